//! The open month's charges as they happen. The daily run rates each number's usage of the
//! month still open, from the month's start to the start of the day (as the usage details
//! and the invoice rate it), and posts what it has not posted before (`sim_usage_posted`):
//! - an advance number pays its usage charges from its balance (a `usage` ledger
//!   transaction), so that the balance a profile shows (and a transfer may spend) has what
//!   the number used before today taken off; closing takes only the rest (`Draft::prepaid`).
//! - a credit number's charges of the period (`period_spent`, and its account's
//!   `period_charges`, from which the remaining credit limit is counted) grow by what its
//!   invoice would hold so far: the subscription and services' monthly fees from the
//!   month's first day, its usage with VAT, its packages' VAT (their prices were added when
//!   they were connected). Closing takes them off again (`Draft::accrued`); nothing moves in
//!   the books until the invoice.
//!
//! A day a run missed is caught up by the next, and a run repeated posts nothing more. Only
//! the month still open is posted: the days of a month that ended before a run are left to
//! its closing, so that the two never count the same charges.

use super::charges::{Accounts, MonthToClose, number_lines};
use super::close::{in_parallel, numbers_of};
use crate::SimError;
use crate::ledger::number_account;
use cabinet_core::operator::BillingMethod;
use cabinet_core::time::{BillingMonth, OperatorZone};
use cabinet_store::Db;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// Accounts a batch, as closing walks them.
const ACCOUNTS_PER_BATCH: i64 = 1_000;

/// What a run posted: numbers whose balance paid, numbers whose period's charges grew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Posted {
    pub charged: u64,
    pub accrued: u64,
}

/// Posts the customer's numbers' charges of the current month up to the start of `now_ms`'s
/// day (see the module).
pub(crate) async fn post_usage(db: &Db, zone: &OperatorZone, bin: &str, now_ms: i64) -> Result<Posted, SimError> {
    let Some(today) = zone.civil_date(now_ms) else { return Ok(Posted::default()) };
    let rate_bp = super::vat::rate_bp(&mut *db.pool().acquire().await?, BillingMonth::of(today)).await?;
    let Some((m, last_day)) = month_so_far(zone, now_ms, rate_bp)? else { return Ok(Posted::default()) };
    let mut posted = Posted::default();
    let mut after = String::new();
    loop {
        let accounts = sqlx::query(AssertSqlSafe(format!(
            "SELECT account_no, billing FROM sim_accounts WHERE bin = $1 AND account_no > $2 \
             ORDER BY account_no LIMIT {ACCOUNTS_PER_BATCH}"
        )))
        .bind(bin)
        .bind(after.as_str())
        .fetch_all(db.pool())
        .await?;
        let Some(last) = accounts.last().map(|r| r.get::<String, _>(0)) else { break };
        let mut by_account = numbers_of(db, bin, &after, &last, &m).await?;
        let mut batch = Vec::with_capacity(accounts.len());
        for r in &accounts {
            let account_no: String = r.get(0);
            let billing = BillingMethod::from_code(&r.get::<String, _>(1))
                .ok_or_else(|| SimError::BadData(format!("billing of {account_no}")))?;
            let numbers = by_account.remove(&account_no).unwrap_or_default();
            batch.push((account_no, billing, numbers));
        }
        let due = in_parallel(zone, bin, &m, batch, due).await?;
        let p = write(db, bin, m.month, (m.end_ms, &last_day, now_ms), &due).await?;
        posted.charged += p.charged;
        posted.accrued += p.accrued;
        after = last;
    }
    Ok(posted)
}

/// The open month of `now_ms` as a run at that instant posts it, from its first day to the
/// start of `now_ms`'s day (packages connected and services switched on today count from
/// tomorrow's run), with the last day it covers (ISO date).
pub(crate) fn month_so_far(
    zone: &OperatorZone,
    now_ms: i64,
    rate_bp: i64,
) -> Result<Option<(MonthToClose, String)>, SimError> {
    let Some(today) = zone.civil_date(now_ms) else { return Ok(None) };
    let mut m = MonthToClose::new(zone, BillingMonth::of(today), rate_bp);
    m.end_ms = zone.start_of_day_ms(today);
    let last_day = today.yesterday().map_err(|e| SimError::BadData(e.to_string()))?.to_string();
    Ok(Some((m, last_day)))
}

/// A number's charges due up to the run's instant, and what was posted before.
pub(crate) struct Due {
    pub msisdn: String,
    pub account_no: String,
    pub billing: BillingMethod,
    pub due: i64,
    pub taken: i64,
}

/// Each number's charges of the month `m` cuts at the run's day (see the module), in
/// account and number order.
pub(crate) fn due(zone: &OperatorZone, bin: &str, m: &MonthToClose, accounts: Accounts) -> Result<Vec<Due>, SimError> {
    let mut out = Vec::new();
    for (account_no, billing, mut numbers) in accounts {
        numbers.sort_by(|a, b| a.msisdn.cmp(&b.msisdn));
        for n in numbers {
            let due = match billing {
                BillingMethod::Advance => {
                    let until = m.end_ms.min(n.blocked_since.unwrap_or(i64::MAX));
                    if until <= m.start_ms {
                        0
                    } else {
                        let records = n.rated(zone, bin, m.month.first_day(), until)?;
                        records.iter().map(|r| r.charge.tiyn()).sum()
                    }
                }
                BillingMethod::Credit => number_lines(zone, bin, m, &n)?.iter().map(|l| l.payable()).sum(),
            };
            out.push(Due { msisdn: n.msisdn, account_no: account_no.clone(), billing, due, taken: n.usage_posted });
        }
    }
    Ok(out)
}

/// Posts each number's difference in one store transaction. What was posted is moved on
/// first, guarded by what this run read: a run that raced another for the same number finds
/// it changed and leaves the number to it.
async fn write(
    db: &Db,
    bin: &str,
    month: BillingMonth,
    (through_ms, last_day, now_ms): (i64, &str, i64),
    due: &[Due],
) -> Result<Posted, SimError> {
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    let mut posted = Posted::default();
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
        match d.billing {
            BillingMethod::Advance => {
                // The number, the last day covered and the month's total before and after.
                let key = format!("usage:{}:{last_day}:{}-{}", d.msisdn, d.taken, d.due);
                pay_usage(conn, bin, &d.msisdn, amount, &key, now_ms).await?;
                posted.charged += 1;
            }
            BillingMethod::Credit => {
                // The account's row first, then the number's, as a package's connection.
                sqlx::query("UPDATE sim_accounts SET period_charges = period_charges + $1 WHERE account_no = $2")
                    .bind(amount)
                    .bind(d.account_no.as_str())
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("UPDATE sim_subscribers SET period_spent = period_spent + $1 WHERE msisdn = $2")
                    .bind(amount)
                    .bind(d.msisdn.as_str())
                    .execute(&mut *conn)
                    .await?;
                posted.accrued += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(posted)
}

/// An advance number's usage paid from its balance: one ledger transaction (the number
/// against `op:revenue`).
async fn pay_usage(
    conn: &mut AnyConnection,
    bin: &str,
    msisdn: &str,
    amount: i64,
    key: &str,
    now_ms: i64,
) -> Result<(), SimError> {
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
            .bind(msisdn)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) \
         VALUES ($1, $2, $3, $4), ($1, 'op:revenue', $5, NULL)",
    )
    .bind(txn)
    .bind(number_account(msisdn))
    .bind(-amount)
    .bind(after)
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
