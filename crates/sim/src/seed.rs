//! Deterministic seeding: a customer (BIN) with thousands of numbers, their accounts, tariffs,
//! services, allowances and contract phones, generated from a seed so that a demo, a test and
//! a benchmark all see the same company. Seeding a BIN that exists adds numbers to it.

mod billing;
mod generate;
mod limits;
mod open_month;
mod payments;
mod rows;
mod unallocated;
mod write;

use crate::SimError;
use cabinet_core::Bin;
use cabinet_core::time::OperatorZone;
use cabinet_store::{Db, Dialect};
use std::collections::HashSet;

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedSpec {
    pub bin: Bin,
    /// The company's name; kept as it is when the BIN exists already.
    pub name: String,
    /// How many numbers to add.
    pub numbers: u32,
    /// The same seed gives the same numbers, accounts, tariffs and services.
    pub seed: u64,
    /// Dates are generated relative to this instant (usage of the current billing month,
    /// package connection dates, contract phones).
    pub now_ms: i64,
    /// The zone billing months are cut in.
    pub zone: OperatorZone,
    /// How many of the history's last finished months to leave open (0: close them all), so
    /// that a benchmark can close one.
    pub open_months: u32,
}

/// What a seeding added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub numbers: u64,
    pub accounts: u64,
    pub services: u64,
    pub allowances: u64,
    pub contract_phones: u64,
}

/// Numbers per write transaction. Each batch adds a few entries under every 4-digit run of
/// the search index, so every commit rewrites most of that index's pages: fewer, larger
/// batches seed 100,000 numbers in half the time of batches of 2,000. Each batch is generated
/// just before it is written, so one batch is what a seed holds in memory: 10,000 seeded
/// 100,000 numbers in 7.5 s at a 229 MB peak on SQLite (20,000: 6.8 s, 266 MB) before the
/// seed closed its history's months; with them, 28 s and 435 MB (5,000: 32 s, 324 MB).
/// A batch holds SQLite's write lock for a few seconds; other writers wait (busy_timeout 5 s).
const NUMBERS_PER_BATCH: usize = 10_000;

/// Adds `spec.numbers` numbers to the customer `spec.bin`, creating the customer if needed.
/// Numbers and account numbers already in the simulator (of any customer) are skipped.
pub async fn seed_customer(db: &Db, spec: &SeedSpec) -> Result<SeedReport, SimError> {
    // The whole seed runs on one connection. Through the pool its batches took turns on two
    // (see `Db::begin_write_on`), each with a full page cache and its own copies of the
    // prepared bulk INSERTs, and each batch's commit made the other's cache stale (40,000
    // numbers in a debug build: 260-310 MB peak on two connections, 185-190 MB on one).
    let mut conn = db.pool().acquire().await?;
    let mut tx = db.begin_write_on(&mut conn).await?;
    let created = sqlx::query(
        "INSERT INTO sim_customers (bin, name, number_count, created_ms) VALUES ($1, $2, 0, $3) ON CONFLICT (bin) DO NOTHING",
    )
    .bind(spec.bin.as_str())
    .bind(spec.name.as_str())
    .bind(spec.now_ms)
    .execute(&mut *tx)
    .await?;
    if created.rows_affected() > 0 {
        let rows = unallocated::unallocated(spec.seed, spec.bin.as_str(), spec.now_ms);
        unallocated::write(&mut tx, spec.bin.as_str(), &rows).await?;
    }
    tx.commit().await?;
    if spec.numbers == 0 {
        return Ok(SeedReport::default());
    }

    let taken_msisdns: HashSet<String> = sqlx::query_as::<_, (String,)>("SELECT msisdn FROM sim_subscribers")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(m,)| m)
        .collect();
    let taken_accounts: HashSet<String> = sqlx::query_as::<_, (String,)>("SELECT account_no FROM sim_accounts")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(a,)| a)
        .collect();
    let batches = generate::Generator::new(spec, taken_msisdns, taken_accounts).batches(NUMBERS_PER_BATCH)?;

    // The history's months that are over are closed with the numbers (VAT as in force).
    let mut months = Vec::new();
    let mut to_close = billing::months_to_close(&spec.zone, spec.now_ms);
    to_close.truncate(to_close.len().saturating_sub(spec.open_months as usize));
    for month in to_close {
        let rate = crate::billing::vat::rate_bp(&mut conn, month).await?;
        months.push(crate::billing::charges::MonthToClose::new(&spec.zone, month, rate));
    }
    // The month still open, as the daily runs up to the seed's day have posted it.
    let open = {
        let today = spec.zone.civil_date(spec.now_ms).map(cabinet_core::time::BillingMonth::of);
        let rate = match today {
            Some(month) => crate::billing::vat::rate_bp(&mut conn, month).await?,
            None => 0,
        };
        let (m, last_day) = crate::billing::usage_charges::month_so_far(&spec.zone, spec.now_ms, rate)?
            .ok_or_else(|| SimError::BadData(format!("no date at {} ms", spec.now_ms)))?;
        open_month::OpenMonth { m, last_day, now_ms: spec.now_ms }
    };
    let mut report = SeedReport::default();
    for batch in batches {
        let batch = &batch;
        let closed = billing::close_batch(&spec.zone, spec.bin.as_str(), spec.seed, &months, &open, batch).await?;
        write::write_batch(db, &mut conn, &spec.zone, spec.bin.as_str(), batch, &closed, &open).await?;
        report.numbers += batch.subscribers.len() as u64;
        report.accounts += batch.accounts.len() as u64;
        report.services += batch.services.len() as u64;
        report.allowances += batch.allowances.len() as u64;
        report.contract_phones += batch.phones.len() as u64;
    }
    drop(conn);
    limits::fit(db, &spec.zone, spec.bin.as_str(), spec.now_ms).await?;
    // PostgreSQL plans by statistics; fresh ones after a bulk load keep searches on their
    // indexes before autovacuum gets round to it. (SQLite's searches pin their indexes.)
    // VACUUM marks the new pages all-visible, so that the walks and the run index are read
    // from the index alone instead of visiting each row (a three-digit search visits
    // thousands).
    if db.dialect() == Dialect::Postgres {
        use sqlx::Executor;
        db.pool()
            .execute(
                "VACUUM (ANALYZE) sim_subscribers, sim_accounts, sim_number_grams, sim_subscriber_services, \
                 sim_allowances, sim_contract_phones, sim_ledger_txns, sim_ledger_entries, sim_payments, \
                 sim_invoices, sim_invoice_lines, sim_usage_posted",
            )
            .await?;
    }
    tracing::info!(bin = spec.bin.as_str(), numbers = report.numbers, accounts = report.accounts, "simulator seeded");
    Ok(report)
}
