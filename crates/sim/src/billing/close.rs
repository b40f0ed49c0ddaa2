//! Closing a billing month for one customer or all: a customer's accounts a batch at a time
//! (their numbers rated on the blocking pool, then written in one store transaction), so
//! that 100,000 numbers never sit in memory at once.

use super::charges::{self, Accounts, Draft, MonthToClose, NumberInMonth};
use super::{post, vat};
use crate::SimError;
use crate::usage::allowances::{StoredGrantRow, grant_row};
use cabinet_core::operator::{BillingMethod, Operation};
use cabinet_core::time::{BillingMonth, OperatorZone};
use cabinet_core::{Bin, Money};
use cabinet_store::Db;
use sqlx::{AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};

/// Accounts per batch: about 1,200 numbers, a few hundred kilobytes of rows.
const ACCOUNTS_PER_BATCH: i64 = 1_000;

/// What a closing made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CloseReport {
    /// Invoices this closing wrote (none for accounts invoiced before).
    pub invoices: u64,
    /// Their totals with VAT.
    pub total: Money,
    /// Numbers put into Blocked / Debt for an invoice unpaid past its due date.
    pub blocked: u64,
}

impl CloseReport {
    fn add(&mut self, other: CloseReport) {
        self.invoices += other.invoices;
        self.total = Money(self.total.tiyn() + other.total.tiyn());
        self.blocked += other.blocked;
    }
}

/// Closes `month` for the customer, or for every customer: one invoice per account that has
/// something to charge, posted at `now_ms`. Refused while the month is not over; accounts
/// invoiced for the month before are left as they are. Then every invoice unpaid past its
/// due date blocks its account's numbers (`debt::block_overdue`).
pub async fn close_month(
    db: &Db,
    zone: &OperatorZone,
    month: BillingMonth,
    customer: Option<&Bin>,
    now_ms: i64,
) -> Result<CloseReport, SimError> {
    let (_, end_ms) = month.bounds_ms(zone);
    if end_ms > now_ms {
        return Err(SimError::MonthNotOver(month.to_string()));
    }
    let customers: Vec<String> = match customer {
        Some(bin) => {
            let known: Option<String> = sqlx::query_scalar("SELECT bin FROM sim_customers WHERE bin = $1")
                .bind(bin.as_str())
                .fetch_optional(db.pool())
                .await?;
            vec![known.ok_or_else(|| SimError::UnknownCustomer(bin.as_str().to_string()))?]
        }
        None => sqlx::query_scalar("SELECT bin FROM sim_customers ORDER BY bin").fetch_all(db.pool()).await?,
    };
    let rate_bp = vat::rate_bp(&mut *db.pool().acquire().await?, month).await?;
    let m = MonthToClose::new(zone, month, rate_bp);
    let mut report = CloseReport::default();
    for bin in customers {
        report.add(close_customer(db, zone, &bin, &m, now_ms).await?);
        let bin = Bin::stored(&bin).map_err(|_| SimError::BadData(format!("customer BIN {bin:?}")))?;
        report.blocked += super::debt::block_overdue(db, &bin, now_ms).await?;
    }
    Ok(report)
}

async fn close_customer(
    db: &Db,
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    now_ms: i64,
) -> Result<CloseReport, SimError> {
    let mut report = CloseReport::default();
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
        let invoiced: HashSet<String> = sqlx::query_scalar(
            "SELECT account_no FROM sim_invoices WHERE bin = $1 AND billing_month = $2 AND account_no > $3 \
             AND account_no <= $4",
        )
        .bind(bin)
        .bind(m.month.to_string())
        .bind(after.as_str())
        .bind(last.as_str())
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .collect();
        let mut numbers = numbers_of(db, bin, &after, &last, m).await?;
        let mut batch = Vec::new();
        for r in &accounts {
            let account_no: String = r.get(0);
            if invoiced.contains(&account_no) {
                continue;
            }
            let billing = BillingMethod::from_code(&r.get::<String, _>(1))
                .ok_or_else(|| SimError::BadData(format!("billing of {account_no}")))?;
            let of = numbers.remove(&account_no).unwrap_or_default();
            batch.push((account_no, billing, of));
        }
        let drafts = drafts_in_parallel(zone, bin, m, batch).await?;
        report.add(write(db, zone, bin, m, &drafts, now_ms).await?);
        after = last;
    }
    Ok(report)
}

/// The drafts of a batch of accounts (`charges::drafts`).
pub(crate) async fn drafts_in_parallel(
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    batch: Accounts,
) -> Result<Vec<Draft>, SimError> {
    in_parallel(zone, bin, m, batch, charges::drafts).await
}

/// What rates a batch of accounts for a month: their drafts, what they owe so far.
pub(crate) type Rating<T> = fn(&OperatorZone, &str, &MonthToClose, Accounts) -> Result<Vec<T>, SimError>;

/// `rate` over a batch of accounts on the blocking pool (CPU work: off the async threads),
/// split across the machine's cores; the results in the batch's order.
pub(crate) async fn in_parallel<T: Send + 'static>(
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    mut batch: Accounts,
    rate: Rating<T>,
) -> Result<Vec<T>, SimError> {
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let size = batch.len().div_ceil(parts).max(1);
    let mut tasks = Vec::new();
    while !batch.is_empty() {
        let rest = batch.split_off(size.min(batch.len()));
        let part = std::mem::replace(&mut batch, rest);
        let (zone, bin, m) = (zone.clone(), bin.to_string(), m.clone());
        tasks.push(tokio::task::spawn_blocking(move || rate(&zone, &bin, &m, part)));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.extend(t.await.map_err(|e| SimError::BadData(format!("rating failed: {e}")))??);
    }
    Ok(out)
}

/// The batch's invoices, their lines and their ledger transactions in one store transaction.
async fn write(
    db: &Db,
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    drafts: &[Draft],
    now_ms: i64,
) -> Result<CloseReport, SimError> {
    if drafts.is_empty() {
        return Ok(CloseReport::default());
    }
    let mut tx = db.begin_write().await?;
    let conn: &mut sqlx::AnyConnection = &mut tx;
    let claimed = post::claim(conn, db.dialect(), bin, m, drafts, now_ms).await?;
    let entries = post::post_live(conn, &claimed).await?;
    post::write_entries(conn, db.dialect(), &entries).await?;
    post::write_invoices(conn, db.dialect(), zone, bin, m, &claimed, |d| match d.billing {
        BillingMethod::Advance => (d.total(), Some(now_ms)),
        BillingMethod::Credit => (0, None),
    })
    .await?;
    tx.commit().await?;
    Ok(CloseReport {
        invoices: claimed.len() as u64,
        total: Money(claimed.iter().map(|(d, _)| d.total()).sum()),
        blocked: 0,
    })
}

/// The numbers of the customer's accounts in `(after, last]`, by account, with their
/// services and the packages connected in the month.
pub(crate) async fn numbers_of(
    db: &Db,
    bin: &str,
    after: &str,
    last: &str,
    m: &MonthToClose,
) -> Result<HashMap<String, Vec<NumberInMonth>>, SimError> {
    let rows = sqlx::query(
        "SELECT msisdn, account_no, tariff_code, state, state_changed_ms, created_ms FROM sim_subscribers \
         WHERE bin = $1 AND account_no > $2 AND account_no <= $3",
    )
    .bind(bin)
    .bind(after)
    .bind(last)
    .fetch_all(db.pool())
    .await?;
    let mut by_number: HashMap<String, (String, NumberInMonth)> = HashMap::with_capacity(rows.len());
    for r in rows {
        let msisdn: String = r.get(0);
        let state: String = r.get(3);
        let n = NumberInMonth {
            msisdn: msisdn.clone(),
            tariff_code: r.get(2),
            created_ms: r.get(5),
            // As the usage details cut it: nothing from the moment it stopped being active.
            blocked_since: (state != "active").then(|| r.get(4)),
            services: Vec::new(),
            packages: Vec::new(),
            grants: Vec::new(),
            usage_posted: 0,
        };
        by_number.insert(msisdn, (r.get(1), n));
    }
    let services = sqlx::query(
        "SELECT v.msisdn, v.service_code, v.activated_ms FROM sim_subscriber_services v \
         JOIN sim_subscribers s ON s.msisdn = v.msisdn WHERE s.bin = $1 AND s.account_no > $2 AND s.account_no <= $3",
    )
    .bind(bin)
    .bind(after)
    .bind(last)
    .fetch_all(db.pool())
    .await?;
    for r in services {
        if let Some((_, n)) = by_number.get_mut(&r.get::<String, _>(0)) {
            n.services.push((r.get(1), r.get(2)));
        }
    }
    let requests = sqlx::query(
        "SELECT r.msisdn, r.operation FROM sim_requests r JOIN sim_subscribers s ON s.msisdn = r.msisdn \
         WHERE s.bin = $1 AND s.account_no > $2 AND s.account_no <= $3 AND r.state = 'done' \
         AND r.finished_ms >= $4 AND r.finished_ms < $5",
    )
    .bind(bin)
    .bind(after)
    .bind(last)
    .bind(m.start_ms)
    .bind(m.end_ms)
    .fetch_all(db.pool())
    .await?;
    for r in requests {
        let op: Operation =
            serde_json::from_str(&r.get::<String, _>(1)).map_err(|e| SimError::BadData(e.to_string()))?;
        if let (Operation::SetService { code, on: true }, Some((_, n))) =
            (op, by_number.get_mut(&r.get::<String, _>(0)))
        {
            n.packages.push(code);
        }
    }
    let allowances = sqlx::query(
        "SELECT v.msisdn, v.source, v.kind, CAST(v.unlimited AS BIGINT), v.total, v.connected_ms, v.until_ms \
         FROM sim_allowances v JOIN sim_subscribers s ON s.msisdn = v.msisdn \
         WHERE s.bin = $1 AND s.account_no > $2 AND s.account_no <= $3 AND v.source <> 'tariff' \
         AND v.connected_ms < $5 AND v.until_ms > $4",
    )
    .bind(bin)
    .bind(after)
    .bind(last)
    .bind(m.start_ms)
    .bind(m.end_ms)
    .fetch_all(db.pool())
    .await?;
    let mut rows_of: HashMap<String, Vec<StoredGrantRow>> = HashMap::new();
    for r in allowances {
        rows_of.entry(r.get(0)).or_default().push((r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6)));
    }
    for (msisdn, rows) in rows_of {
        if let Some((_, n)) = by_number.get_mut(&msisdn) {
            n.grants = crate::usage::PackageGrant::of_rows(rows.iter().map(grant_row));
        }
    }
    let posted = sqlx::query(
        "SELECT v.msisdn, v.amount FROM sim_usage_posted v JOIN sim_subscribers s ON s.msisdn = v.msisdn \
         WHERE s.bin = $1 AND s.account_no > $2 AND s.account_no <= $3 AND v.month = $4",
    )
    .bind(bin)
    .bind(after)
    .bind(last)
    .bind(m.month.to_string())
    .fetch_all(db.pool())
    .await?;
    for r in posted {
        if let Some((_, n)) = by_number.get_mut(&r.get::<String, _>(0)) {
            n.usage_posted = r.get(1);
        }
    }
    let mut out: HashMap<String, Vec<NumberInMonth>> = HashMap::new();
    for (_, (account_no, n)) in by_number {
        out.entry(account_no).or_default().push(n);
    }
    Ok(out)
}
