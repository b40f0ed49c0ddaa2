//! Credit limits that fit the month. The seed draws each credit account's limit and some
//! numbers' individual limits before their usage is rated; once the open month's charges
//! are posted (`billing::usage_charges`), a limit below what the month is on course to
//! charge (its charges so far, scaled to the whole month, with a quarter's margin) is raised
//! to that, in whole thousands of tenge. So a seeded company starts with every remaining
//! credit and available funds at or above zero, as a real one whose limits were set for its
//! use would.

use crate::SimError;
use cabinet_core::time::OperatorZone;
use cabinet_store::Db;

/// Limits are raised to whole thousands of tenge.
const STEP: i64 = 100_000;

pub(crate) async fn fit(db: &Db, zone: &OperatorZone, bin: &str, now_ms: i64) -> Result<(), SimError> {
    let Some(today) = zone.civil_date(now_ms) else { return Ok(()) };
    let (num, den) = projection(i64::from(today.day()) - 1, i64::from(today.last_of_month().day()));
    // Written into the SQL (numbers only): the engines agree on integer division of bigints.
    let need = |charges: &str| format!("({charges} * {num} / {den})");
    let accounts = format!(
        "UPDATE sim_accounts SET credit_limit = ({need} / {STEP} + 1) * {STEP} \
         WHERE bin = $1 AND billing = 'credit' AND credit_limit < {need}",
        need = need("period_charges")
    );
    sqlx::query(sqlx::AssertSqlSafe(accounts)).bind(bin).execute(db.pool()).await?;
    let numbers = format!(
        "UPDATE sim_subscribers SET individual_limit = ({need} / {STEP} + 1) * {STEP} \
         WHERE bin = $1 AND individual_limit IS NOT NULL AND individual_limit < {need}",
        need = need("period_spent")
    );
    sqlx::query(sqlx::AssertSqlSafe(numbers)).bind(bin).execute(db.pool()).await?;
    Ok(())
}

/// The factor (numerator, denominator) from a month's charges after `elapsed` whole days
/// of `days` to the whole month's, with a quarter more: at most three times (the first
/// days charge the month's fees at once).
fn projection(elapsed: i64, days: i64) -> (i64, i64) {
    if elapsed == 0 { (15, 4) } else { (5 * days.min(3 * elapsed), 4 * elapsed) }
}

#[cfg(test)]
mod tests {
    use super::projection;

    #[test]
    fn the_month_is_scaled_from_its_days_so_far_with_a_margin() {
        let scale = |e, d, x: i64| {
            let (n, q) = projection(e, d);
            x * n / q
        };
        assert_eq!(scale(15, 30, 1_000), 2_500, "half the month: twice, and a quarter more");
        assert_eq!(scale(29, 30, 2_900), 3_750);
        assert_eq!(scale(1, 31, 1_000), 3_750, "at most three times");
        assert_eq!(scale(0, 31, 1_000), 3_750, "on the first day");
    }
}
