//! Unpaid invoices: a credit account with an invoice unpaid past its due date has its active
//! numbers put into Blocked / Debt; a payment to the account settles its debt (what it owed
//! from before the books first, then invoices oldest first) and, once nothing overdue is
//! left, lifts the block.

use crate::SimError;
use crate::ledger::billing_account;
use cabinet_core::{Bin, Money};
use cabinet_store::Db;
use sqlx::{AnyConnection, Row};

/// Puts the active numbers of the customer's credit accounts with an invoice unpaid at
/// `now_ms` past its due date into Blocked / Debt; how many it blocked.
pub async fn block_overdue(db: &Db, customer: &Bin, now_ms: i64) -> Result<u64, SimError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE sim_subscribers SET state = 'blocked_debt', state_changed_ms = $1 \
         WHERE bin = $2 AND state = 'active' AND account_no IN \
           (SELECT account_no FROM sim_invoices \
             WHERE bin = $2 AND billing = 'credit' AND paid < total AND due_ms <= $1)",
    )
    .bind(now_ms)
    .bind(customer.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// What a payment to an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountPayment {
    /// The account's debt after it (negative: paid in advance).
    pub debt: Money,
    /// Numbers taken out of Blocked / Debt.
    pub unblocked: u64,
}

/// Receives `amount` for a credit account of the customer by a channel (`bank_transfer`
/// with the payment order's number as `reference`), in one store transaction: the ledger
/// transaction (the account against `op:cash`; the same reference again changes nothing),
/// its payment row, the invoices it settles, and the lifted block. None when the account
/// is not the customer's or the amount is not positive.
pub async fn pay_account(
    db: &Db,
    customer: &Bin,
    account_no: &str,
    amount: Money,
    (channel, reference): (&str, &str),
    now_ms: i64,
) -> Result<Option<AccountPayment>, SimError> {
    Ok(pay(db, customer, account_no, amount, (channel, reference), now_ms).await?.map(|(paid, _)| paid))
}

/// `pay_account`, also telling whether this call received it (false: the reference was
/// received before, and nothing changed).
pub(crate) async fn pay(
    db: &Db,
    customer: &Bin,
    account_no: &str,
    amount: Money,
    (channel, reference): (&str, &str),
    now_ms: i64,
) -> Result<Option<(AccountPayment, bool)>, SimError> {
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    let mine: Option<i64> = sqlx::query_scalar("SELECT past_debt FROM sim_accounts WHERE account_no = $1 AND bin = $2")
        .bind(account_no)
        .bind(customer.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let (Some(debt_seen), true) = (mine, amount.tiyn() > 0) else { return Ok(None) };
    let key = format!("pay:{account_no}:{reference}");
    let txn: Option<i64> = sqlx::query_scalar(
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, 'payment', $2, $3) \
         ON CONFLICT (key) DO NOTHING RETURNING id",
    )
    .bind(customer.as_str())
    .bind(key.as_str())
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(txn) = txn else {
        // Received before: nothing more.
        return Ok(Some((AccountPayment { debt: Money(debt_seen), unblocked: 0 }, false)));
    };
    let paid = credit_account(conn, account_no, amount.tiyn(), txn, now_ms).await?;
    sqlx::query(
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, 'op:cash', $2, NULL)",
    )
    .bind(txn)
    .bind(-amount.tiyn())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO sim_payments (txn_id, msisdn, channel, reference, amount, received_ms, account_no) \
         VALUES ($1, '', $2, $3, $4, $5, $6)",
    )
    .bind(txn)
    .bind(channel)
    .bind(reference)
    .bind(amount.tiyn())
    .bind(now_ms)
    .bind(account_no)
    .execute(&mut *conn)
    .await?;
    tx.commit().await?;
    Ok(Some((paid, true)))
}

/// Puts `amount` to a credit account inside the caller's transaction, as the ledger
/// transaction `txn` (whose other side the caller writes): the account's entry, its debt
/// down, the invoices it settles and the lifted block.
pub(crate) async fn credit_account(
    conn: &mut AnyConnection,
    account_no: &str,
    amount: i64,
    txn: i64,
    now_ms: i64,
) -> Result<AccountPayment, SimError> {
    // The account's row is locked from here on: what it owed before is read from it, not
    // from an earlier look (a parallel payment may have come between).
    let debt: i64 = sqlx::query_scalar(
        "UPDATE sim_accounts SET past_debt = past_debt - $1 WHERE account_no = $2 RETURNING past_debt",
    )
    .bind(amount)
    .bind(account_no)
    .fetch_one(&mut *conn)
    .await?;
    let debt_before = debt + amount;
    sqlx::query("INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, $2, $3, $4)")
        .bind(txn)
        .bind(billing_account(account_no))
        .bind(amount)
        .bind(-debt)
        .execute(&mut *conn)
        .await?;
    settle_invoices(conn, account_no, debt_before, amount, now_ms).await?;
    let unblocked = lift_if_clear(conn, account_no, debt, now_ms).await?;
    Ok(AccountPayment { debt: Money(debt), unblocked })
}

/// Settles the account's unpaid invoices with `amount`, oldest first, after what it owed
/// from before the books (the part of its debt no invoice explains).
async fn settle_invoices(
    conn: &mut AnyConnection,
    account_no: &str,
    debt_before: i64,
    amount: i64,
    now_ms: i64,
) -> Result<(), SimError> {
    let unpaid = sqlx::query(
        "SELECT id, total - paid FROM sim_invoices WHERE account_no = $1 AND paid < total ORDER BY billing_month",
    )
    .bind(account_no)
    .fetch_all(&mut *conn)
    .await?;
    let on_invoices: i64 = unpaid.iter().map(|r| r.get::<i64, _>(1)).sum();
    let mut left = amount - (debt_before - on_invoices).max(0);
    for r in unpaid {
        if left <= 0 {
            break;
        }
        let (id, owed): (i64, i64) = (r.get(0), r.get(1));
        let part = left.min(owed);
        left -= part;
        sqlx::query(
            "UPDATE sim_invoices SET paid = paid + $1, paid_ms = CASE WHEN paid + $1 >= total THEN $2 ELSE paid_ms END \
             WHERE id = $3",
        )
        .bind(part)
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Takes the account's numbers out of Blocked / Debt when no invoice is unpaid past its due
/// date and nothing from before the books is owed.
async fn lift_if_clear(conn: &mut AnyConnection, account_no: &str, debt: i64, now_ms: i64) -> Result<u64, SimError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(total - paid), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN due_ms <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
           FROM sim_invoices WHERE account_no = $1 AND paid < total",
    )
    .bind(account_no)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?;
    let (on_invoices, overdue): (i64, i64) = (row.get(0), row.get(1));
    if overdue > 0 || debt > on_invoices {
        return Ok(0);
    }
    let done = sqlx::query(
        "UPDATE sim_subscribers SET state = 'active', state_changed_ms = $1 WHERE account_no = $2 AND state = 'blocked_debt'",
    )
    .bind(now_ms)
    .bind(account_no)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
