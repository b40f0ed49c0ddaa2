//! The daily billing run: every customer's advance numbers pay the usage of the open month up
//! to the day and credit numbers' charges of the period grow by it (`usage_charges`), and credit accounts with an invoice unpaid past its due date
//! have their active numbers put into Blocked / Debt (`debt::block_overdue`), every day
//! rather than only when a month is closed. A payment that clears the debt lifts it
//! (`debt::pay_account`, `payments::allocate`).

use super::debt::block_overdue;
use crate::SimError;
use cabinet_core::Bin;
use cabinet_core::time::OperatorZone;
use cabinet_store::Db;

/// What a daily run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DailyReport {
    pub customers: u64,
    /// Advance numbers whose usage was taken from their balances.
    pub usage_charged: u64,
    /// Credit numbers whose charges of the period grew (the remaining credit limit shrank).
    pub credit_accrued: u64,
    /// Numbers put into Blocked / Debt.
    pub blocked: u64,
}

/// Runs the day's billing for every customer as of `now_ms` (again the same day: nothing
/// more is taken or blocked).
pub async fn daily(db: &Db, zone: &OperatorZone, now_ms: i64) -> Result<DailyReport, SimError> {
    let bins: Vec<String> =
        sqlx::query_scalar("SELECT bin FROM sim_customers ORDER BY bin").fetch_all(db.pool()).await?;
    let mut report = DailyReport::default();
    for bin in bins {
        let bin = Bin::stored(&bin).map_err(|_| SimError::BadData(format!("customer BIN {bin:?}")))?;
        let posted = super::usage_charges::post_usage(db, zone, bin.as_str(), now_ms).await?;
        report.usage_charged += posted.charged;
        report.credit_accrued += posted.accrued;
        report.blocked += block_overdue(db, &bin, now_ms).await?;
        report.customers += 1;
    }
    Ok(report)
}

/// Runs `daily` now, whether or not the day has run (`cabinet billing daily`), and counts
/// the day as run: the portals do not repeat it that day.
pub async fn daily_by_hand(db: &Db, zone: &OperatorZone, now_ms: i64) -> Result<DailyReport, SimError> {
    let report = daily(db, zone, now_ms).await?;
    claim_day(db, zone, now_ms).await?;
    Ok(report)
}

/// Records the operator's day of `now_ms` as run; false when it was already.
async fn claim_day(db: &Db, zone: &OperatorZone, now_ms: i64) -> Result<bool, SimError> {
    let Some(day) = zone.civil_date(now_ms) else { return Ok(false) };
    let claimed =
        sqlx::query("INSERT INTO sim_billing_days (day, started_ms) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
            .bind(day.to_string())
            .bind(now_ms)
            .execute(db.pool())
            .await?;
    Ok(claimed.rows_affected() > 0)
}

/// Runs `daily` if no instance has run it on the operator's day of `now_ms` yet (the day is
/// claimed first, so that of the instances that try at once one runs it); None when it had
/// run. A run that fails after its claim leaves the day to the next one: each run blocks
/// whatever is overdue by then.
pub async fn daily_once(db: &Db, zone: &OperatorZone, now_ms: i64) -> Result<Option<DailyReport>, SimError> {
    if !claim_day(db, zone, now_ms).await? {
        return Ok(None);
    }
    Ok(Some(daily(db, zone, now_ms).await?))
}
