//! Payments through the channels (Kaspi, bank card, terminal, bank transfer): to a credit
//! account, settling its invoices as `debt::pay_account` does; or, for a bank transfer
//! without a valid account, kept at the customer level (`customer:<bin>:unallocated` against
//! `op:cash`) until operator staff allocate it to an account. Each is one ledger transaction
//! in one store transaction, idempotent on its reference; a payment is allocated once, however
//! many ask at the same moment.

use super::debt::{self, AccountPayment};
use crate::SimError;
use cabinet_core::operator::{Payment, PaymentChannel, PaymentCursor, PaymentQuery, PaymentsOf, UnallocatedPayment};
use cabinet_core::{Bin, Money};
use cabinet_store::Db;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// The ledger account of a customer's payments not yet allocated to an account.
pub fn unallocated_account(customer: &str) -> String {
    format!("customer:{customer}:unallocated")
}

/// Where a payment goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayTo<'a> {
    /// One of the customer's credit accounts.
    Account(&'a str),
    /// Nowhere yet: the transfer named no valid account.
    Unallocated,
}

/// A payment as the channel reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingPayment<'a> {
    pub to: PayTo<'a>,
    pub amount: Money,
    pub channel: PaymentChannel,
    /// The channel's reference (a bank transfer's payment order number).
    pub reference: &'a str,
    pub received_ms: i64,
}

/// What receiving a payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Put to the account: its debt after, and the numbers taken out of Blocked / Debt.
    ToAccount(AccountPayment),
    /// Kept at the customer level until allocated.
    Unallocated,
    /// This reference was received before: nothing changed.
    Before,
}

/// Why a payment or an allocation was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRefusal {
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("a payment needs its reference (for a bank transfer, the payment order's number)")]
    NoReference,
    #[error("the simulator has no customer with this BIN")]
    UnknownCustomer,
    #[error("the account is not one of the customer's accounts")]
    UnknownAccount,
    #[error("the account is an advance account: its numbers are topped up, not the account")]
    NotCreditAccount,
    #[error("only a bank transfer can arrive without an account")]
    UnallocatedNeedsBankTransfer,
    #[error("the customer has no unallocated payment with this reference")]
    UnknownPayment,
    #[error("the payment was allocated before, to account {0}")]
    AlreadyAllocated(String),
}

/// Receives a payment for the customer, or refuses it and changes nothing.
pub async fn receive(
    db: &Db,
    customer: &Bin,
    payment: &IncomingPayment<'_>,
) -> Result<Result<Received, PaymentRefusal>, SimError> {
    let reference = payment.reference.trim();
    if payment.amount.tiyn() <= 0 {
        return Ok(Err(PaymentRefusal::NotPositive));
    }
    if reference.is_empty() {
        return Ok(Err(PaymentRefusal::NoReference));
    }
    match payment.to {
        PayTo::Account(account_no) => {
            if let Err(refusal) = credit_account_of(&mut *db.pool().acquire().await?, customer, account_no).await? {
                return Ok(Err(refusal));
            }
            let paid = debt::pay(
                db,
                customer,
                account_no,
                payment.amount,
                (payment.channel.code(), reference),
                payment.received_ms,
            )
            .await?;
            Ok(Ok(match paid {
                Some((paid, true)) => Received::ToAccount(paid),
                Some((_, false)) => Received::Before,
                // The account left the customer between the look and the payment.
                None => return Ok(Err(PaymentRefusal::UnknownAccount)),
            }))
        }
        PayTo::Unallocated if payment.channel != PaymentChannel::BankTransfer => {
            Ok(Err(PaymentRefusal::UnallocatedNeedsBankTransfer))
        }
        PayTo::Unallocated => receive_unallocated(db, customer, payment.amount, reference, payment.received_ms).await,
    }
}

async fn receive_unallocated(
    db: &Db,
    customer: &Bin,
    amount: Money,
    reference: &str,
    received_ms: i64,
) -> Result<Result<Received, PaymentRefusal>, SimError> {
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sim_customers WHERE bin = $1")
        .bind(customer.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        return Ok(Err(PaymentRefusal::UnknownCustomer));
    }
    let Some(txn) =
        claim_txn(conn, customer.as_str(), "payment", &unallocated_key(customer.as_str(), reference), received_ms)
            .await?
    else {
        return Ok(Ok(Received::Before));
    };
    write_unallocated(conn, customer.as_str(), txn, amount.tiyn(), reference, received_ms).await?;
    tx.commit().await?;
    Ok(Ok(Received::Unallocated))
}

/// The idempotency key of a customer-level payment: one per customer and payment order.
fn unallocated_key(customer: &str, reference: &str) -> String {
    format!("unallocated:{customer}:{reference}")
}

/// Inserts a ledger transaction under `key`; None when the key was taken before (a parallel
/// insert waits for the first to commit, then gets None).
async fn claim_txn(
    conn: &mut AnyConnection,
    customer: &str,
    kind: &str,
    key: &str,
    created_ms: i64,
) -> Result<Option<i64>, SimError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO NOTHING RETURNING id",
    )
    .bind(customer)
    .bind(kind)
    .bind(key)
    .bind(created_ms)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A customer-level payment's entries and rows, for the receipt transaction `txn`.
pub(crate) async fn write_unallocated(
    conn: &mut AnyConnection,
    customer: &str,
    txn: i64,
    amount: i64,
    reference: &str,
    received_ms: i64,
) -> Result<(), SimError> {
    sqlx::query(
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, $2, $3, NULL), ($1, 'op:cash', $4, NULL)",
    )
    .bind(txn)
    .bind(unallocated_account(customer))
    .bind(amount)
    .bind(-amount)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO sim_payments (txn_id, msisdn, channel, reference, amount, received_ms, account_no) \
         VALUES ($1, '', 'bank_transfer', $2, $3, $4, NULL)",
    )
    .bind(txn)
    .bind(reference)
    .bind(amount)
    .bind(received_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO sim_unallocated_payments (txn_id, bin, reference, amount, received_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(txn)
    .bind(customer)
    .bind(reference)
    .bind(amount)
    .bind(received_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Receives the seed's customer-level payments inside its transaction (see `receive`).
pub(crate) async fn seed_unallocated(
    conn: &mut AnyConnection,
    customer: &str,
    amount: i64,
    reference: &str,
    received_ms: i64,
) -> Result<(), SimError> {
    if let Some(txn) = claim_txn(conn, customer, "payment", &unallocated_key(customer, reference), received_ms).await? {
        write_unallocated(conn, customer, txn, amount, reference, received_ms).await?;
    }
    Ok(())
}

/// The account if it is one of the customer's credit accounts.
async fn credit_account_of(
    conn: &mut AnyConnection,
    customer: &Bin,
    account_no: &str,
) -> Result<Result<(), PaymentRefusal>, SimError> {
    let billing: Option<String> =
        sqlx::query_scalar("SELECT billing FROM sim_accounts WHERE account_no = $1 AND bin = $2")
            .bind(account_no)
            .bind(customer.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match billing.as_deref() {
        None => Err(PaymentRefusal::UnknownAccount),
        Some("credit") => Ok(()),
        Some(_) => Err(PaymentRefusal::NotCreditAccount),
    })
}

/// What an allocation did: the amount moved and what it did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocated {
    pub amount: Money,
    pub account: AccountPayment,
}

/// Allocates the customer's unallocated payment `reference` to its credit account
/// `account_no`, in one store transaction: the payment is marked by one guarded UPDATE (of
/// two allocations at once, one finds it unallocated; the other is refused), then a ledger
/// transaction moves the money from the customer level to the account, which settles its
/// invoices and lifts its block as a payment does.
pub async fn allocate(
    db: &Db,
    customer: &Bin,
    reference: &str,
    account_no: &str,
    now_ms: i64,
) -> Result<Result<Allocated, PaymentRefusal>, SimError> {
    let reference = reference.trim();
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    if let Err(refusal) = credit_account_of(conn, customer, account_no).await? {
        return Ok(Err(refusal));
    }
    let claimed = sqlx::query(
        "UPDATE sim_unallocated_payments SET allocated_account = $1, allocated_ms = $2 \
         WHERE bin = $3 AND reference = $4 AND allocated_account IS NULL RETURNING txn_id, amount",
    )
    .bind(account_no)
    .bind(now_ms)
    .bind(customer.as_str())
    .bind(reference)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(claimed) = claimed else {
        let before: Option<Option<String>> = sqlx::query_scalar(
            "SELECT allocated_account FROM sim_unallocated_payments WHERE bin = $1 AND reference = $2",
        )
        .bind(customer.as_str())
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
        return Ok(Err(match before.flatten() {
            Some(account) => PaymentRefusal::AlreadyAllocated(account),
            None => PaymentRefusal::UnknownPayment,
        }));
    };
    let (receipt, amount): (i64, i64) = (claimed.get(0), claimed.get(1));
    let txn = claim_txn(conn, customer.as_str(), "allocation", &format!("allocate:{receipt}"), now_ms)
        .await?
        .ok_or_else(|| SimError::BadData(format!("payment {receipt} allocated twice")))?;
    sqlx::query("UPDATE sim_unallocated_payments SET allocation_txn = $1 WHERE txn_id = $2")
        .bind(txn)
        .bind(receipt)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, $2, $3, NULL)")
        .bind(txn)
        .bind(unallocated_account(customer.as_str()))
        .bind(-amount)
        .execute(&mut *conn)
        .await?;
    let account = debt::credit_account(conn, account_no, amount, txn, now_ms).await?;
    tx.commit().await?;
    Ok(Ok(Allocated { amount: Money(amount), account }))
}

/// The customer's payments not yet allocated, oldest first.
pub(crate) async fn unallocated(db: &Db, customer: &Bin) -> Result<Vec<UnallocatedPayment>, SimError> {
    let rows = sqlx::query(
        "SELECT received_ms, reference, amount FROM sim_unallocated_payments \
          WHERE bin = $1 AND allocated_account IS NULL ORDER BY received_ms, txn_id",
    )
    .bind(customer.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| UnallocatedPayment { received_ms: r.get(0), reference: r.get(1), amount: Money(r.get(2)) })
        .collect())
}

/// The most payments one page returns.
const MAX_PAGE: u32 = 10_000;

/// A page of the customer's payments (see `PaymentQuery`). A payment's date is when it was
/// received; an unallocated payment counts for a credit account once allocated to it.
pub(crate) async fn payments(db: &Db, customer: &Bin, q: &PaymentQuery) -> Result<Vec<Payment>, SimError> {
    let which = match q.which {
        PaymentsOf::CreditAccounts => "p.msisdn = '' AND COALESCE(p.account_no, u.allocated_account) IS NOT NULL",
        PaymentsOf::AdvanceNumbers => "p.msisdn <> ''",
    };
    let after = q.after.unwrap_or(PaymentCursor { received_ms: i64::MIN, id: i64::MIN });
    let sql = format!(
        "SELECT t.created_ms, p.channel, p.reference, COALESCE(p.account_no, u.allocated_account), p.msisdn, p.amount, t.id \
           FROM sim_ledger_txns t JOIN sim_payments p ON p.txn_id = t.id \
           LEFT JOIN sim_unallocated_payments u ON u.txn_id = t.id \
          WHERE t.bin = $1 AND t.kind = 'payment' AND t.created_ms >= $2 AND t.created_ms < $3 \
            AND (t.created_ms > $4 OR (t.created_ms = $4 AND t.id > $5)) AND {which} \
          ORDER BY t.created_ms, t.id LIMIT {}",
        q.limit.clamp(1, MAX_PAGE)
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(customer.as_str())
        .bind(q.from_ms)
        .bind(q.to_ms)
        .bind(after.received_ms)
        .bind(after.id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let msisdn: String = r.get(4);
            let (received_ms, id): (i64, i64) = (r.get(0), r.get(6));
            Payment {
                received_ms,
                channel: r.get(1),
                reference: r.get(2),
                account_no: r.get(3),
                msisdn: (!msisdn.is_empty()).then_some(msisdn),
                amount: Money(r.get(5)),
                cursor: PaymentCursor { received_ms, id },
            }
        })
        .collect())
}
