//! What the accounting documents read of the books: the invoice register (a customer's
//! invoices of a span of months, a page at a time) and the settlement a reconciliation
//! statement shows, both from the same invoices and ledger the rest of the billing writes.
//!
//! The settlement is the ledger seen from the customer's side: the entries on its accounts
//! (numbers, credit accounts, the customer-level unallocated account) — charges are what
//! left them, payments what came in. Transactions that only move money between the
//! customer's own accounts (transfers, allocations) are neither, and the opening of the
//! books belongs to the opening balance whenever it was dated. An invoice counts on its
//! date (its month's last day), not on the day its month was closed, so that a month's
//! charges are its invoices. Once every invoice dated before an instant is booked, the
//! closing there is what the customer's accounts hold, negated: the ledger's own figure.

use super::read::{COLUMNS, invoice_of};
use crate::SimError;
use cabinet_core::operator::{Invoice, RegisterQuery, Settlement, SettlementPeriod};
use cabinet_core::{Bin, Money};
use cabinet_store::Db;
use sqlx::AssertSqlSafe;

/// One page of the register: the invoices of the months in order, then by account.
pub(crate) async fn register(db: &Db, customer: &Bin, q: &RegisterQuery) -> Result<Vec<Invoice>, SimError> {
    let (after_month, after_account) = q.after.clone().unwrap_or_default();
    let sql = format!(
        "SELECT {COLUMNS} FROM sim_invoices i WHERE i.bin = $1 AND i.billing_month >= $2 AND i.billing_month <= $3 \
         AND (i.billing_month > $4 OR (i.billing_month = $4 AND i.account_no > $5)) \
         ORDER BY i.billing_month, i.account_no LIMIT {}",
        q.limit.clamp(1, 10_000)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(customer.as_str())
        .bind(q.from_month.as_str())
        .bind(q.to_month.as_str())
        .bind(after_month)
        .bind(after_account)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(invoice_of).collect()
}

/// The customer's side of an entry: its accounts, not the operator's (`op:…`).
const CUSTOMER_SIDE: &str = "e.account NOT LIKE 'op:%'";
/// Transactions within the customer's own accounts, and invoices (dated by `INVOICES`).
const NOT_MOVEMENTS: &str = "('transfer', 'allocation', 'opening', 'invoice')";
/// What left the customer's accounts, and what came in, as two sums.
const OUT_AND_IN: &str = "CAST(COALESCE(SUM(CASE WHEN e.amount < 0 THEN -e.amount ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN e.amount > 0 THEN e.amount ELSE 0 END), 0) AS BIGINT)";

/// The settlement over the periods between `bounds` (ascending instants). An invoice
/// counts on the day it is dated (its month's last), whenever its month was closed.
pub(crate) async fn settlement(db: &Db, customer: &Bin, bounds: &[i64]) -> Result<Settlement, SimError> {
    let Some(&start) = bounds.first() else {
        return Ok(Settlement { opening: Money(0), periods: Vec::new() });
    };
    if bounds.windows(2).any(|w| w[0] > w[1]) {
        return Err(SimError::BadData("settlement bounds out of order".into()));
    }
    let (out, came) = moved(db, customer, i64::MIN, start).await?;
    let opened: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) FROM sim_ledger_txns t \
         JOIN sim_ledger_entries e ON e.txn_id = t.id WHERE t.bin = $1 AND t.kind = 'opening' AND {CUSTOMER_SIDE}"
    )))
    .bind(customer.as_str())
    .fetch_one(db.pool())
    .await?;
    let mut periods = Vec::with_capacity(bounds.len().saturating_sub(1));
    for w in bounds.windows(2) {
        let (out, came) = moved(db, customer, w[0], w[1]).await?;
        periods.push(SettlementPeriod { charges: Money(out), payments: Money(came) });
    }
    // What the customer's accounts hold is what it paid ahead: owed is its negation.
    Ok(Settlement { opening: Money(out - came - opened), periods })
}

/// What left the customer's accounts in `[from_ms, to_ms)` and what came in: its invoices
/// by their date, every other movement by when it was booked.
async fn moved(db: &Db, customer: &Bin, from_ms: i64, to_ms: i64) -> Result<(i64, i64), SimError> {
    let booked: (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {OUT_AND_IN} FROM sim_ledger_txns t JOIN sim_ledger_entries e ON e.txn_id = t.id \
         WHERE t.bin = $1 AND t.created_ms >= $2 AND t.created_ms < $3 AND t.kind NOT IN {NOT_MOVEMENTS} \
         AND {CUSTOMER_SIDE}"
    )))
    .bind(customer.as_str())
    .bind(from_ms)
    .bind(to_ms)
    .fetch_one(db.pool())
    .await?;
    let invoiced: (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {OUT_AND_IN} FROM sim_invoices i JOIN sim_ledger_entries e ON e.txn_id = i.txn_id \
         WHERE i.bin = $1 AND i.issued_ms >= $2 AND i.issued_ms < $3 AND {CUSTOMER_SIDE}"
    )))
    .bind(customer.as_str())
    .bind(from_ms)
    .bind(to_ms)
    .fetch_one(db.pool())
    .await?;
    Ok((booked.0 + invoiced.0, booked.1 + invoiced.1))
}
