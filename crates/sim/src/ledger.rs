//! The operator's books: balanced transactions of entries in integer tiyn (see migration 5).
//! A balance changes only here, in the store transaction that writes its entries; spending is
//! one guarded UPDATE, so that parallel requests cannot spend the same money twice.

use crate::SimError;
use cabinet_core::operator::{BalanceMove, BalanceMoveKind, TransferDone, TransferRefusal};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::Db;
use sqlx::{AnyConnection, Row};

/// The ledger account of an advance number's balance.
pub fn number_account(msisdn: &str) -> String {
    format!("number:{msisdn}")
}

/// The ledger account of a billing account's debt: minus its unpaid charges of past periods
/// (`sim_accounts.past_debt`).
pub fn billing_account(account_no: &str) -> String {
    format!("account:{account_no}")
}

/// The reference a customer sees for a ledger transaction.
fn reference(txn_id: i64) -> String {
    format!("T{txn_id:08}")
}

/// Moves `amount` between two of the customer's advance numbers, or refuses and moves
/// nothing. The same `key` again answers as the first request did and moves nothing more.
pub(crate) async fn transfer(
    db: &Db,
    customer: &Bin,
    from: &Msisdn,
    to: &Msisdn,
    amount: Money,
    key: &str,
) -> Result<Result<TransferDone, TransferRefusal>, SimError> {
    if from == to {
        return Ok(Err(TransferRefusal::SameNumber));
    }
    if amount.tiyn() <= 0 {
        return Ok(Err(TransferRefusal::NotPositive));
    }
    if let Some(done) = made_with(db, key).await? {
        return Ok(Ok(done));
    }
    let mut tx = db.begin_write().await?;
    let conn: &mut AnyConnection = &mut tx;
    let parties = sqlx::query(
        "SELECT s.msisdn, a.billing FROM sim_subscribers s JOIN sim_accounts a ON a.account_no = s.account_no \
         WHERE s.bin = $1 AND s.msisdn IN ($2, $3)",
    )
    .bind(customer.as_str())
    .bind(from.as_str())
    .bind(to.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let billing_of = |n: &Msisdn| -> Option<String> {
        parties.iter().find(|r| r.get::<String, _>(0) == n.as_str()).map(|r| r.get::<String, _>(1))
    };
    let refusal = match (billing_of(from).as_deref(), billing_of(to).as_deref()) {
        (None, _) => Some(TransferRefusal::UnknownSender),
        (_, None) => Some(TransferRefusal::UnknownRecipient),
        (Some(b), _) if b != "advance" => Some(TransferRefusal::SenderNotAdvance),
        (_, Some(b)) if b != "advance" => Some(TransferRefusal::RecipientNotAdvance),
        _ => None,
    };
    if let Some(r) = refusal {
        return Ok(Err(r));
    }
    let now = cabinet_core::time::now_ms();
    // The transaction's row first: a second request with the same key waits here for the
    // first to commit, then finds its transfer instead of making another.
    let txn_id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, 'transfer', $2, $3) \
         ON CONFLICT (key) DO NOTHING RETURNING id",
    )
    .bind(customer.as_str())
    .bind(key)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(txn_id) = txn_id else {
        drop(tx);
        return made_with(db, key)
            .await?
            .map(Ok)
            .ok_or_else(|| SimError::BadData(format!("transfer {key} recorded under another kind")));
    };
    // Rows are locked in number order, whichever way the money goes, so that two opposite
    // transfers on PostgreSQL wait for each other instead of deadlocking.
    let (sender_after, recipient_after) = if from.as_str() < to.as_str() {
        let Some(s) = spend(conn, customer, from, amount).await? else {
            return Ok(Err(TransferRefusal::NotEnoughMoney));
        };
        (s, receive(conn, customer, to, amount).await?)
    } else {
        let r = receive(conn, customer, to, amount).await?;
        let Some(s) = spend(conn, customer, from, amount).await? else {
            return Ok(Err(TransferRefusal::NotEnoughMoney));
        };
        (s, r)
    };
    sqlx::query(
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, $2, $3, $4), ($1, $5, $6, $7)",
    )
    .bind(txn_id)
    .bind(number_account(from.as_str()))
    .bind(-amount.tiyn())
    .bind(sender_after)
    .bind(number_account(to.as_str()))
    .bind(amount.tiyn())
    .bind(recipient_after)
    .execute(&mut *conn)
    .await?;
    tx.commit().await?;
    Ok(Ok(TransferDone {
        reference: reference(txn_id),
        sender_balance: Money(sender_after),
        recipient_balance: Money(recipient_after),
    }))
}

/// Takes `amount` from the number's balance in one guarded statement (None: not enough), so
/// that two requests at once cannot both spend the same money.
async fn spend(conn: &mut AnyConnection, customer: &Bin, n: &Msisdn, amount: Money) -> Result<Option<i64>, SimError> {
    Ok(sqlx::query_scalar(
        "UPDATE sim_subscribers SET balance = balance - $1 WHERE msisdn = $2 AND bin = $3 AND balance >= $1 \
         RETURNING balance",
    )
    .bind(amount.tiyn())
    .bind(n.as_str())
    .bind(customer.as_str())
    .fetch_optional(conn)
    .await?)
}

async fn receive(conn: &mut AnyConnection, customer: &Bin, n: &Msisdn, amount: Money) -> Result<i64, SimError> {
    Ok(sqlx::query_scalar(
        "UPDATE sim_subscribers SET balance = balance + $1 WHERE msisdn = $2 AND bin = $3 RETURNING balance",
    )
    .bind(amount.tiyn())
    .bind(n.as_str())
    .bind(customer.as_str())
    .fetch_one(conn)
    .await?)
}

/// The transfer made with this key, as it was answered then.
async fn made_with(db: &Db, key: &str) -> Result<Option<TransferDone>, SimError> {
    let rows = sqlx::query(
        "SELECT t.id, e.amount, e.balance_after FROM sim_ledger_txns t JOIN sim_ledger_entries e ON e.txn_id = t.id \
         WHERE t.key = $1 AND t.kind = 'transfer'",
    )
    .bind(key)
    .fetch_all(db.pool())
    .await?;
    let (Some(first), 2) = (rows.first(), rows.len()) else { return Ok(None) };
    let after = |negative: bool| {
        rows.iter()
            .find(|r| (r.get::<i64, _>(1) < 0) == negative)
            .map(|r| Money(r.get::<Option<i64>, _>(2).unwrap_or_default()))
            .unwrap_or_default()
    };
    Ok(Some(TransferDone {
        reference: reference(first.get::<i64, _>(0)),
        sender_balance: after(true),
        recipient_balance: after(false),
    }))
}

/// What the books say, for checks: Σ of all entries (0 when every transaction balances), the
/// transactions whose entries do not sum to zero, and each number account's Σ against its
/// running balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooksCheck {
    pub total: i64,
    /// Transactions whose entries do not sum to zero, and transfers without both entries.
    pub unbalanced_txns: Vec<i64>,
    /// Numbers whose entries do not add up to their balance: (msisdn, Σ entries, balance).
    pub mismatched_numbers: Vec<(String, i64, i64)>,
    /// Accounts whose entries do not add up to minus their past-period debt: (account,
    /// Σ entries, past debt).
    pub mismatched_accounts: Vec<(String, i64, i64)>,
    /// The customer-level account (`customer:<bin>:unallocated`) when its entries do not add
    /// up to the payments not yet allocated: (Σ entries, Σ unallocated payments).
    pub mismatched_unallocated: Option<(i64, i64)>,
}

/// Reads the whole ledger of one customer (tests and the operator's checks).
pub async fn check_books(db: &Db, customer: &Bin) -> Result<BooksCheck, SimError> {
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(e.amount) AS BIGINT) FROM sim_ledger_entries e JOIN sim_ledger_txns t ON t.id = e.txn_id \
         WHERE t.bin = $1",
    )
    .bind(customer.as_str())
    .fetch_one(db.pool())
    .await?;
    // A transaction whose entries do not sum to zero, or a transfer without its two entries.
    let unbalanced_txns: Vec<i64> = sqlx::query_scalar(
        "SELECT t.id FROM sim_ledger_txns t LEFT JOIN sim_ledger_entries e ON e.txn_id = t.id WHERE t.bin = $1 \
         GROUP BY t.id, t.kind HAVING COALESCE(SUM(e.amount), 0) <> 0 OR (t.kind = 'transfer' AND COUNT(e.id) <> 2) \
         ORDER BY t.id",
    )
    .bind(customer.as_str())
    .fetch_all(db.pool())
    .await?;
    let mismatched = sqlx::query(
        "SELECT s.msisdn, CAST(COALESCE(SUM(e.amount), 0) AS BIGINT), s.balance FROM sim_subscribers s \
         JOIN sim_accounts a ON a.account_no = s.account_no \
         LEFT JOIN sim_ledger_entries e ON e.account = 'number:' || s.msisdn \
         WHERE s.bin = $1 AND a.billing = 'advance' GROUP BY s.msisdn, s.balance \
         HAVING CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) <> s.balance",
    )
    .bind(customer.as_str())
    .fetch_all(db.pool())
    .await?;
    let accounts = sqlx::query(
        "SELECT a.account_no, CAST(COALESCE(SUM(e.amount), 0) AS BIGINT), a.past_debt FROM sim_accounts a \
         LEFT JOIN sim_ledger_entries e ON e.account = 'account:' || a.account_no \
         WHERE a.bin = $1 GROUP BY a.account_no, a.past_debt \
         HAVING CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) <> -a.past_debt",
    )
    .bind(customer.as_str())
    .fetch_all(db.pool())
    .await?;
    let unallocated = sqlx::query(
        "SELECT (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM sim_ledger_entries WHERE account = $1), \
                (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM sim_unallocated_payments \
                  WHERE bin = $2 AND allocated_account IS NULL)",
    )
    .bind(crate::billing::unallocated_account(customer.as_str()))
    .bind(customer.as_str())
    .fetch_one(db.pool())
    .await?;
    let (in_books, waiting): (i64, i64) = (unallocated.get(0), unallocated.get(1));
    Ok(BooksCheck {
        mismatched_unallocated: (in_books != waiting).then_some((in_books, waiting)),
        total: total.unwrap_or(0),
        unbalanced_txns,
        mismatched_numbers: mismatched.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect(),
        mismatched_accounts: accounts.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect(),
    })
}

/// Opens the books of a batch of new numbers inside the seed's transaction: their balances
/// and their accounts' debts (as negative amounts) as entries of the customer's opening
/// transaction, against `op:opening`.
pub(crate) async fn open_books(
    conn: &mut AnyConnection,
    customer: &str,
    balances: &[(&str, i64)],
    debts: &[(&str, i64)],
    now_ms: i64,
) -> Result<(), SimError> {
    sqlx::query(
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, 'opening', $2, $3) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(customer)
    .bind(format!("opening:{customer}"))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    let txn_id: i64 = sqlx::query_scalar("SELECT id FROM sim_ledger_txns WHERE key = $1")
        .bind(format!("opening:{customer}"))
        .fetch_one(&mut *conn)
        .await?;
    let opened: i64 = balances.iter().map(|(_, b)| b).sum::<i64>() - debts.iter().map(|(_, d)| d).sum::<i64>();
    let entries: Vec<(String, i64, Option<i64>)> = balances
        .iter()
        .filter(|(_, b)| *b != 0)
        .map(|(m, b)| (number_account(m), *b, Some(*b)))
        .chain(debts.iter().filter(|(_, d)| *d != 0).map(|(a, d)| (billing_account(a), -*d, Some(-*d))))
        .chain(std::iter::once(("op:opening".to_string(), -opened, None)))
        .collect();
    for chunk in entries.chunks(500) {
        let mut sql = String::from("INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ");
        for i in 0..chunk.len() {
            let p = i * 3;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, ${}, ${}, ${})", p + 2, p + 3, p + 4));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(txn_id);
        for (account, amount, after) in chunk {
            q = q.bind(account.clone()).bind(*amount).bind(*after);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An advance number's balance changes in `[from_ms, to_ms)`, oldest first (the opening of
/// the books is not a change); None when the number is not the customer's.
pub(crate) async fn balance_moves(
    db: &Db,
    customer: &Bin,
    msisdn: &Msisdn,
    from_ms: i64,
    to_ms: i64,
) -> Result<Option<Vec<BalanceMove>>, SimError> {
    let mine: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sim_subscribers WHERE msisdn = $1 AND bin = $2")
        .bind(msisdn.as_str())
        .bind(customer.as_str())
        .fetch_optional(db.pool())
        .await?;
    if mine.is_none() {
        return Ok(None);
    }
    // The other side of a transfer is the transaction's other number entry.
    let rows = sqlx::query(
        "SELECT t.id, t.kind, t.created_ms, e.amount, e.balance_after, p.channel, p.reference, \
                (SELECT o.account FROM sim_ledger_entries o WHERE o.txn_id = t.id AND o.id <> e.id AND o.account LIKE 'number:%'), \
                t.key \
           FROM sim_ledger_entries e JOIN sim_ledger_txns t ON t.id = e.txn_id \
           LEFT JOIN sim_payments p ON p.txn_id = t.id \
          WHERE e.account = $1 AND t.bin = $2 AND t.kind <> 'opening' AND t.created_ms >= $3 AND t.created_ms < $4 \
          ORDER BY t.created_ms, t.id",
    )
    .bind(number_account(msisdn.as_str()))
    .bind(customer.as_str())
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await?;
    let mut moves = Vec::with_capacity(rows.len());
    for r in rows {
        let (id, kind, at_ms, amount): (i64, String, i64, i64) = (r.get(0), r.get(1), r.get(2), r.get(3));
        let after: i64 = r.get::<Option<i64>, _>(4).unwrap_or_default();
        let other = r.get::<Option<String>, _>(7).unwrap_or_default().trim_start_matches("number:").to_string();
        let kind = match kind.as_str() {
            "payment" => BalanceMoveKind::TopUp {
                channel: r.get::<Option<String>, _>(5).unwrap_or_default(),
                reference: r.get::<Option<String>, _>(6).unwrap_or_default(),
            },
            "transfer" if amount >= 0 => BalanceMoveKind::TransferIn { from: other, reference: reference(id) },
            "transfer" => BalanceMoveKind::TransferOut { to: other, reference: reference(id) },
            "charge" => {
                // The key is `charge:<service>:<request>`.
                let key: String = r.get(8);
                let code = key.split(':').nth(1).unwrap_or_default();
                let service = crate::catalog::service(code)
                    .map_or_else(|| cabinet_core::Localized::new(code, code, code), |s| s.name.localized());
                BalanceMoveKind::Charge { service, reference: reference(id) }
            }
            // The key is `invoice:<account>:<YYYY-MM>`.
            "invoice" => {
                let key: String = r.get(8);
                let mut parts = key.split(':').skip(1);
                let (account, month) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
                let invoice = cabinet_core::time::BillingMonth::parse(month)
                    .map(|m| crate::billing::system_no(account, m))
                    .map_err(|_| SimError::BadData(format!("invoice key {key:?}")))?;
                BalanceMoveKind::Invoice { month: month.to_string(), invoice, reference: reference(id) }
            }
            // The key is `usage:<msisdn>:<last day>:<month before>-<month so far>`.
            "usage" => {
                let key: String = r.get(8);
                let last_day = key.split(':').nth(2).unwrap_or_default().to_string();
                BalanceMoveKind::Usage { last_day, reference: reference(id) }
            }
            other => return Err(SimError::BadData(format!("ledger transaction kind {other:?}"))),
        };
        moves.push(BalanceMove {
            at_ms,
            kind,
            amount: Money(amount),
            balance_before: Money(after - amount),
            balance_after: Money(after),
        });
    }
    Ok(Some(moves))
}

/// Charges `amount` to an advance number's balance inside the caller's transaction, as a
/// ledger transaction (key `key`) against `op:revenue`: one guarded statement, so that two
/// charges at once cannot take the balance below zero. False when the balance is short.
pub(crate) async fn charge(
    conn: &mut AnyConnection,
    customer: &str,
    msisdn: &str,
    amount: i64,
    key: &str,
    now_ms: i64,
) -> Result<bool, SimError> {
    let after: Option<i64> = sqlx::query_scalar(
        "UPDATE sim_subscribers SET balance = balance - $1 WHERE msisdn = $2 AND balance >= $1 RETURNING balance",
    )
    .bind(amount)
    .bind(msisdn)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(after) = after else { return Ok(false) };
    let txn_id: i64 = sqlx::query_scalar(
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms) VALUES ($1, 'charge', $2, $3) RETURNING id",
    )
    .bind(customer)
    .bind(key)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after) VALUES ($1, $2, $3, $4), ($1, 'op:revenue', $5, NULL)",
    )
    .bind(txn_id)
    .bind(number_account(msisdn))
    .bind(-amount)
    .bind(after)
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
