//! Advance numbers pay their usage as they go: the daily run takes each advance number's
//! usage charges of the month still open, from the month's start to the start of the day,
//! from its balance, so that the balance a profile shows (and a transfer may spend) has
//! what the number used before today taken off. Closing the month takes only the rest
//! (`Draft::prepaid`).
//!
//! Each run rates the month from its start again (as the usage details and the invoice do)
//! and takes the difference from what was taken before (`sim_usage_posted`): a day a run
//! missed is caught up by the next, and a run repeated takes nothing more. Only the month
//! still open is posted: the days of a month that ended before a run are left to its
//! closing, so that the two never count the same charges.

use super::charges::NumberInMonth;
use super::close::numbers_of;
use crate::SimError;
use crate::ledger::number_account;
use cabinet_core::time::{BillingMonth, OperatorZone};
use cabinet_store::Db;
use sqlx::{AnyConnection, AssertSqlSafe};

/// Accounts a batch, as closing walks them.
const ACCOUNTS_PER_BATCH: i64 = 1_000;

/// Takes the customer's advance numbers' usage charges of the current month up to the start
/// of `now_ms`'s day from their balances; returns how many numbers were charged.
pub(crate) async fn post_usage(db: &Db, zone: &OperatorZone, bin: &str, now_ms: i64) -> Result<u64, SimError> {
    let Some(today) = zone.civil_date(now_ms) else { return Ok(0) };
    let month = BillingMonth::of(today);
    let m = super::charges::MonthToClose::new(zone, month, 0);
    let through_ms = zone.start_of_day_ms(today);
    if through_ms <= m.start_ms {
        // The month's first day: nothing of it is over yet.
        return Ok(0);
    }
    let last_day = today.yesterday().map_err(|e| SimError::BadData(e.to_string()))?.to_string();
    let mut charged = 0;
    let mut after = String::new();
    loop {
        let accounts: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT account_no FROM sim_accounts WHERE bin = $1 AND billing = 'advance' AND account_no > $2 \
             ORDER BY account_no LIMIT {ACCOUNTS_PER_BATCH}"
        )))
        .bind(bin)
        .bind(after.as_str())
        .fetch_all(db.pool())
        .await?;
        let Some(last) = accounts.last().cloned() else { break };
        let numbers: Vec<NumberInMonth> = numbers_of(db, bin, &after, &last, &m)
            .await?
            .into_iter()
            .filter(|(account, _)| accounts.binary_search(account).is_ok())
            .flat_map(|(_, numbers)| numbers)
            .collect();
        let (zone2, bin2, first) = (zone.clone(), bin.to_string(), month.first_day());
        let due = tokio::task::spawn_blocking(move || due(&zone2, &bin2, first, through_ms, numbers))
            .await
            .map_err(|e| SimError::BadData(format!("rating failed: {e}")))??;
        charged += write(db, bin, month, (through_ms, &last_day, now_ms), &due).await?;
        after = last;
    }
    Ok(charged)
}

/// The usage charges of the numbers' current month up to the start of `now_ms`'s day, by
/// number: what a daily run at `now_ms` takes in all (the seed's opening balances have it).
pub(crate) fn due_today(
    zone: &OperatorZone,
    bin: &str,
    now_ms: i64,
    numbers: Vec<NumberInMonth>,
) -> Result<Vec<(String, i64)>, SimError> {
    let Some(today) = zone.civil_date(now_ms) else { return Ok(Vec::new()) };
    let through_ms = zone.start_of_day_ms(today);
    let first = today.first_of_month();
    Ok(due(zone, bin, first, through_ms, numbers)?.into_iter().map(|d| (d.msisdn, d.due)).collect())
}

/// A number's usage charges due up to the run's instant, and what was taken before.
struct Due {
    msisdn: String,
    due: i64,
    taken: i64,
}

/// Each number's usage charges of the month before `through_ms` (none on the month's first
/// day), in number order.
fn due(
    zone: &OperatorZone,
    bin: &str,
    first: jiff::civil::Date,
    through_ms: i64,
    mut numbers: Vec<NumberInMonth>,
) -> Result<Vec<Due>, SimError> {
    numbers.sort_by(|a, b| a.msisdn.cmp(&b.msisdn));
    let mut out = Vec::with_capacity(numbers.len());
    for n in numbers {
        let until = through_ms.min(n.blocked_since.unwrap_or(i64::MAX));
        let records = n.rated(zone, bin, first, until)?;
        let due = records.iter().map(|r| r.charge.tiyn()).sum();
        out.push(Due { msisdn: n.msisdn, due, taken: n.usage_posted });
    }
    Ok(out)
}

/// Takes each number's difference in one store transaction. What was taken is moved on
/// first, guarded by what this run read: a run that raced another for the same number finds
/// it changed and leaves the number to it.
async fn write(
    db: &Db,
    bin: &str,
    month: BillingMonth,
    (through_ms, last_day, now_ms): (i64, &str, i64),
    due: &[Due],
) -> Result<u64, SimError> {
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    let mut charged = 0;
    for d in due.iter().filter(|d| d.due != d.taken) {
        let moved = sqlx::query(
            "INSERT INTO sim_usage_posted (msisdn, month, through_ms, amount) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (msisdn, month) DO UPDATE SET through_ms = excluded.through_ms, amount = excluded.amount \
             WHERE sim_usage_posted.amount = $5",
        )
        .bind(d.msisdn.as_str())
        .bind(month.to_string())
        .bind(through_ms)
        .bind(d.due)
        .bind(d.taken)
        .execute(&mut *conn)
        .await?;
        if moved.rows_affected() == 0 {
            continue;
        }
        let amount = d.due - d.taken;
        // The number, the last day covered and the month's total before and after.
        let key = format!("usage:{}:{last_day}:{}-{}", d.msisdn, d.taken, d.due);
        let txn: i64 = sqlx::query_scalar(
            "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, 'usage', $2, $3) RETURNING id",
        )
        .bind(bin)
        .bind(key)
        .bind(now_ms)
        .fetch_one(&mut *conn)
        .await?;
        // Usage has happened: the balance may go below zero (the number's debt).
        let after: i64 =
            sqlx::query_scalar("UPDATE sim_subscribers SET balance = balance - $1 WHERE msisdn = $2 RETURNING balance")
                .bind(amount)
                .bind(d.msisdn.as_str())
                .fetch_one(&mut *conn)
                .await?;
        sqlx::query(
            "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) \
             VALUES ($1, $2, $3, $4), ($1, 'op:revenue', $5, NULL)",
        )
        .bind(txn)
        .bind(number_account(&d.msisdn))
        .bind(-amount)
        .bind(after)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
        charged += 1;
    }
    tx.commit().await?;
    Ok(charged)
}
