//! The company reports' benchmark: a company of N numbers (default 100,000) seeded into a
//! temporary SQLite store, then the list of numbers report's file made as the `report` job
//! makes it
//! (`documents::build`: the simulator read a page at a time, the rows fed to the XLSX writer
//! as they come) in a child process of this binary, so that the peak resident memory it
//! prints (`VmHWM`) is the report's alone, not the seed's. Goal (issue 11): ≤ 64 MiB.
//! On SQLite `VmHWM` also counts the database file's pages the store's read connections map
//! (`mmap_size`, see cabinet-store's `select.rs`): they grow with the file, not with the
//! report, so the process's own memory (`RssAnon`) is sampled and printed beside it. A debug
//! build at 100,000 numbers: 1.6–2.6 s, `VmHWM` 81–87 MiB of which some 64 MiB mapped file
//! pages; own memory peaked at 23 MiB (33.5 MiB `VmHWM` at 10,000 numbers). Then, in a
//! process of its own too, a 36-month reconciliation statement of the same company (its
//! figures are sums the store makes: the months' queries, not the rows, cost).
//!
//!   cargo run -p cabinet --example number_list_bench [NUMBERS]
//!   scripts/bench-lists [NUMBERS]          (the release build)
//!
//! A program rather than a `cargo bench` target: it is run for its printed figures.

use cabinet_core::Locale;
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_sim::{SeedSpec, Simulator, seed_customer};
use cabinet_store::Db;
use cabinet_web::documents::{self, MailTo, ReportRequest};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

// The portal's allocator (crates/cabinet/src/main.rs), so that the peak is the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BIN: &str = "940740000015";
const PEAK_GOAL_MIB: f64 = 64.0;

fn zone() -> OperatorZone {
    OperatorZone::named("Asia/Almaty").expect("the operator's zone")
}

/// A figure of /proc/self/status in KiB (`VmHWM`: the peak resident memory so far;
/// `RssAnon` / `RssFile`: resident now, the process's own memory / mapped file pages).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn peak_kib() -> u64 {
    status_kib("VmHWM")
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, url, which] = args.as_slice()
        && flag == "--build"
    {
        return build(url, which == "reconciliation").await;
    }
    let numbers: u32 = args.first().map(|n| n.parse()).transpose()?.unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url).await?;
    let sim = Simulator::new(db.clone());
    sim.migrate().await?;
    let started = Instant::now();
    let spec = SeedSpec {
        bin: cabinet_core::Bin::parse(BIN)?,
        name: "Bench LLP".into(),
        numbers,
        seed: 42,
        now_ms: now_ms(),
        zone: zone(),
        // No month closed: the list needs numbers and accounts, not invoices.
        open_months: 1_000,
    };
    seed_customer(&db, &spec).await?;
    println!("seeded {numbers} numbers in {:.1} s", started.elapsed().as_secs_f64());
    drop(sim);
    db.pool().close().await;
    for which in ["list", "reconciliation"] {
        let status = Command::new(std::env::current_exe()?).args(["--build", &url, which]).status()?;
        anyhow::ensure!(status.success(), "the report's process failed");
    }
    Ok(())
}

/// The child: makes the report's file once and prints its time, size and peak memory.
async fn build(url: &str, reconciliation: bool) -> anyhow::Result<()> {
    let db = Db::connect(url).await?;
    let sim = Simulator::new(db);
    let bin = cabinet_core::Bin::parse(BIN)?;
    let request = if reconciliation {
        let today = zone().civil_date(now_ms()).expect("today");
        let from = today.checked_sub(jiff::Span::new().months(36))?;
        let day = |d: jiff::civil::Date| d.strftime("%d-%m-%Y").to_string();
        let ms = |d: jiff::civil::Date| zone().start_of_day_ms(d);
        ReportRequest::Reconciliation(documents::CompanyPeriod {
            from: day(from),
            to: day(today),
            from_ms: ms(from),
            to_ms: ms(today.tomorrow()?),
            format: cabinet_web::Format::Pdf,
            email: None,
        })
    } else {
        ReportRequest::NumberList(MailTo { email: "bench@example.kz".into() })
    };
    let what = if reconciliation { "36-month reconciliation statement" } else { "list of numbers report" };
    let before = peak_kib();
    // The kernel keeps no peak of the process's own memory apart from mapped files: sample it.
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut max = 0;
            while !done.load(Ordering::Relaxed) {
                max = max.max(status_kib("RssAnon"));
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            max
        })
    };
    let started = Instant::now();
    let (zone, legal) = (zone(), cabinet_web::OperatorLegal::default());
    let source =
        documents::Source { operator: &sim, zone: &zone, legal: &legal, bin: &bin, customer: "ТОО «Бенч»" };
    let built = documents::build(&source, Locale::Ru, &request).await?;
    let secs = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let anon_peak = sampler.join().unwrap_or(0);
    let peak = mib(peak_kib());
    println!(
        "{what}: {secs:.1} s, {:.1} MiB file, peak RSS {peak:.1} MiB (before building {:.1} MiB): {}",
        built.size as f64 / 1024.0 / 1024.0,
        mib(before),
        if peak <= PEAK_GOAL_MIB { "goal met (≤ 64 MiB)" } else { "GOAL MISSED (64 MiB)" }
    );
    // The store's read connections map the database file (mmap_size) and keep a page cache
    // each: resident file pages are the OS's page cache, not the report's rows.
    println!(
        "own memory (RssAnon, sampled every 2 ms) peaked at {:.1} MiB; after building {:.1} MiB own, {:.1} MiB of \
         mapped files (RssFile)",
        mib(anon_peak),
        mib(status_kib("RssAnon")),
        mib(status_kib("RssFile"))
    );
    Ok(())
}
