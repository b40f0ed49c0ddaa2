//! The open month of the seeded numbers as the daily runs up to the seed's day would have
//! left it (`billing::usage_charges`), written with the numbers instead of rated again by a
//! run over the whole company: advance numbers have paid their usage so far from their
//! balances (a `usage` ledger transaction each), credit numbers' charges of the period (and
//! their accounts') hold what their invoices would so far, and `sim_usage_posted` records
//! both, so that the next run posts only what is new.

use crate::SimError;
use crate::billing::charges::MonthToClose;
use crate::billing::post::{self, Entry};
use crate::billing::usage_charges::Due;
use crate::bulk::{insert, insert_returning};
use crate::ledger::number_account;
use cabinet_core::operator::BillingMethod;
use cabinet_store::Dialect;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The open month cut at the start of the seed's day (`usage_charges::month_so_far`).
#[derive(Clone)]
pub(crate) struct OpenMonth {
    pub m: MonthToClose,
    /// The last day it covers (ISO), as a run's ledger keys name it.
    pub last_day: String,
    /// When the seed's run took it.
    pub now_ms: i64,
}

/// What each number owes for the open month so far, by number, and the sum of its credit
/// numbers' by account.
pub(crate) fn accrued(dues: &[Due]) -> (HashMap<&str, &Due>, HashMap<&str, i64>) {
    let by_number = dues.iter().map(|d| (d.msisdn.as_str(), d)).collect();
    let mut by_account: HashMap<&str, i64> = HashMap::new();
    for d in dues.iter().filter(|d| d.billing == BillingMethod::Credit) {
        *by_account.entry(d.account_no.as_str()).or_default() += d.due;
    }
    (by_number, by_account)
}

/// Writes what the batch's numbers posted for the open month; `balances` are the advance
/// numbers' seeded balances, which their usage leaves.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    dialect: Dialect,
    bin: &str,
    open: &OpenMonth,
    dues: &[Due],
    balances: &HashMap<&str, i64>,
) -> Result<(), SimError> {
    let month = open.m.month.to_string();
    insert(conn, dialect, "INSERT INTO sim_usage_posted (msisdn, month, through_ms, amount)", 4, dues, |q, d| {
        q.bind(d.msisdn.clone()).bind(month.clone()).bind(open.m.end_ms).bind(d.due)
    })
    .await?;
    let paid: Vec<&Due> = dues.iter().filter(|d| d.billing == BillingMethod::Advance).collect();
    if paid.is_empty() {
        return Ok(());
    }
    // As `usage_charges::write` keys a run's transaction: nothing was posted before.
    let key = |d: &Due| format!("usage:{}:{}:0-{}", d.msisdn, open.last_day, d.due);
    let rows = insert_returning(
        conn,
        dialect,
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms)",
        "RETURNING id, key",
        4,
        &paid,
        |q, d| q.bind(bin).bind("usage").bind(key(d)).bind(open.now_ms),
    )
    .await?;
    let ids: HashMap<String, i64> = rows.iter().map(|r| (r.get::<String, _>(1), r.get::<i64, _>(0))).collect();
    let mut entries: Vec<Entry> = Vec::with_capacity(paid.len() * 2);
    for d in paid {
        let id = *ids.get(&key(d)).ok_or_else(|| SimError::BadData(format!("usage {}", key(d))))?;
        entries.push((id, number_account(&d.msisdn), -d.due, balances.get(d.msisdn.as_str()).copied()));
        entries.push((id, "op:revenue".to_string(), d.due, None));
    }
    post::write_entries(conn, dialect, &entries).await?;
    Ok(())
}
