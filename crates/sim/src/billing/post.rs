//! Writing a month's invoices: their ledger transactions first (the key is the account and
//! month, so a second closing, or a parallel one, finds them and writes nothing more), then
//! the invoices, their lines and the entries, in the caller's store transaction.

use super::charges::{Draft, MonthToClose, kind_code};
use super::numbering;
use crate::SimError;
use crate::bulk::{insert, insert_returning};
use crate::ledger::{billing_account, number_account};
use cabinet_core::operator::BillingMethod;
use cabinet_core::time::OperatorZone;
use cabinet_store::Dialect;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The ledger transaction's key of an account's invoice for a month.
pub(crate) fn invoice_key(account_no: &str, m: &MonthToClose) -> String {
    format!("invoice:{account_no}:{}", m.month)
}

/// Inserts the drafts' ledger transactions, posted at `posted_ms`, where none is yet: the
/// drafts this closing makes, each with its transaction's id. A parallel closing of the same
/// accounts waits on the keys and then gets none of them.
pub(crate) async fn claim<'d>(
    conn: &mut AnyConnection,
    dialect: Dialect,
    bin: &str,
    m: &MonthToClose,
    drafts: &'d [Draft],
    posted_ms: i64,
) -> Result<Vec<(&'d Draft, i64)>, SimError> {
    let rows = insert_returning(
        conn,
        dialect,
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms)",
        "ON CONFLICT (key) DO NOTHING RETURNING id, key",
        4,
        drafts,
        |q, d| q.bind(bin).bind("invoice").bind(invoice_key(&d.account_no, m)).bind(posted_ms),
    )
    .await?;
    let ids: HashMap<String, i64> = rows.iter().map(|r| (r.get::<String, _>(1), r.get::<i64, _>(0))).collect();
    Ok(drafts.iter().filter_map(|d| ids.get(&invoice_key(&d.account_no, m)).map(|id| (d, *id))).collect())
}

/// An entry of the books: transaction, account, amount, the account's balance after it.
pub(crate) type Entry = (i64, String, i64, Option<i64>);

/// The entries of the claimed invoices as a closing made now posts them: advance balances
/// and credit accounts' debts change here, each with its entry, and a credit account's
/// charges of the period lose what the month added to them (numbers and accounts in
/// order, so that parallel writers on PostgreSQL lock rows in one order).
pub(crate) async fn post_live(conn: &mut AnyConnection, claimed: &[(&Draft, i64)]) -> Result<Vec<Entry>, SimError> {
    let mut entries = Vec::new();
    for (d, txn) in claimed {
        match d.billing {
            BillingMethod::Advance => {
                for (msisdn, amount) in d.number_charges() {
                    let after: i64 = sqlx::query_scalar(
                        "UPDATE sim_subscribers SET balance = balance - $1 WHERE msisdn = $2 RETURNING balance",
                    )
                    .bind(amount)
                    .bind(msisdn.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
                    entries.push((*txn, number_account(&msisdn), -amount, Some(after)));
                }
            }
            BillingMethod::Credit => {
                // The month's charges leave the period's (what the remaining credit is
                // counted from) for the invoice, which is debt until paid.
                // The account's row first, then its numbers', as a package's connection
                // takes them: two writers never wait on each other's second row.
                let accrued = d.accrued();
                let debt: i64 = sqlx::query_scalar(
                    "UPDATE sim_accounts SET past_debt = past_debt + $1, period_charges = period_charges - $2 \
                     WHERE account_no = $3 RETURNING past_debt",
                )
                .bind(d.total())
                .bind(accrued.iter().map(|(_, a)| a).sum::<i64>())
                .bind(d.account_no.as_str())
                .fetch_one(&mut *conn)
                .await?;
                for (msisdn, amount) in &accrued {
                    sqlx::query("UPDATE sim_subscribers SET period_spent = period_spent - $1 WHERE msisdn = $2")
                        .bind(*amount)
                        .bind(msisdn.as_str())
                        .execute(&mut *conn)
                        .await?;
                }
                entries.push((*txn, billing_account(&d.account_no), -d.total(), Some(-debt)));
            }
        }
        entries.extend(revenue_entries(d, *txn));
    }
    Ok(entries)
}

/// The operator's side of an invoice: what it earns (net, less what packages already
/// brought in when connected) and the VAT it owes.
pub(crate) fn revenue_entries(d: &Draft, txn: i64) -> [Entry; 2] {
    [(txn, "op:revenue".to_string(), d.net() - d.prepaid(), None), (txn, "op:vat".to_string(), d.vat(), None)]
}

pub(crate) async fn write_entries(
    conn: &mut AnyConnection,
    dialect: Dialect,
    entries: &[Entry],
) -> Result<(), SimError> {
    insert(
        conn,
        dialect,
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)",
        4,
        entries,
        |q, e| q.bind(e.0).bind(e.1.clone()).bind(e.2).bind(e.3),
    )
    .await?;
    Ok(())
}

/// How much of an invoice is settled when it is written, and when it was in full.
pub(crate) type Settled = (i64, Option<i64>);

/// The invoices and their lines. `settled` says, per draft, what is paid of it already.
pub(crate) async fn write_invoices(
    conn: &mut AnyConnection,
    dialect: Dialect,
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    claimed: &[(&Draft, i64)],
    settled: impl Fn(&Draft) -> Settled,
) -> Result<(), SimError> {
    let (issued, due) = numbering::issued_and_due_ms(zone, m.month);
    let label = m.month.to_string();
    let rows = insert_returning(
        conn,
        dialect,
        "INSERT INTO sim_invoices (bin, account_no, billing_month, billing, registration_no, system_no, issued_ms, \
         due_ms, net, vat_rate_bp, vat, total, paid, paid_ms, txn_id)",
        "RETURNING id, account_no",
        15,
        claimed,
        |q, (d, txn)| {
            let (paid, paid_ms) = settled(d);
            q.bind(bin)
                .bind(d.account_no.clone())
                .bind(label.clone())
                .bind(d.billing.code())
                .bind(numbering::registration_no(bin, &d.account_no, m.month))
                .bind(numbering::system_no(&d.account_no, m.month))
                .bind(issued)
                .bind(due)
                .bind(d.net())
                .bind(m.rate_bp)
                .bind(d.vat())
                .bind(d.total())
                .bind(paid)
                .bind(paid_ms)
                .bind(*txn)
        },
    )
    .await?;
    let ids: HashMap<String, i64> = rows.iter().map(|r| (r.get::<String, _>(1), r.get::<i64, _>(0))).collect();
    let mut lines = Vec::new();
    for (d, _) in claimed {
        let id = *ids.get(&d.account_no).ok_or_else(|| SimError::BadData(format!("invoice of {}", d.account_no)))?;
        lines.extend(d.lines.iter().enumerate().map(|(seq, l)| (id, seq as i64, l)));
    }
    insert(
        conn,
        dialect,
        "INSERT INTO sim_invoice_lines (invoice_id, seq, msisdn, kind, code, quantity, net, vat)",
        8,
        &lines,
        |q, (id, seq, l)| {
            q.bind(*id)
                .bind(*seq)
                .bind(l.msisdn.clone())
                .bind(kind_code(l.kind))
                .bind(l.code.clone())
                .bind(l.quantity)
                .bind(l.net)
                .bind(l.vat)
        },
    )
    .await?;
    Ok(())
}
