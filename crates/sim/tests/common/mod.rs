//! Helpers shared by the simulator's tests: seeded stores on the engine the environment names
//! (SQLite, or PostgreSQL with CABINET_TEST_DATABASE_URL), and walking every page of a list.

#![allow(dead_code)]

use cabinet_core::ids::bin_control_digit;
use cabinet_core::operator::{NumberQuery, NumberSummary, OperatorPort};
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::{SeedReport, SeedSpec, Simulator, seed_customer};
use cabinet_store::testing::{TestDb, test_db};

/// 2025-10-09T16:53:20Z: a fixed "now", so that seeded dates do not depend on the clock.
pub const T0: i64 = 1_760_028_800_000;

/// A valid BIN made of `first11` and its control digit.
pub fn bin(first11: &str) -> Bin {
    let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
    let c = bin_control_digit(&digits).expect("a BIN with a control digit");
    Bin::parse(&format!("{first11}{c}")).unwrap()
}

pub fn bin_a() -> Bin {
    bin("94074000001")
}

pub fn bin_b() -> Bin {
    bin("05014000923")
}

pub fn almaty() -> OperatorZone {
    OperatorZone::named("Asia/Almaty").unwrap()
}

pub fn spec(bin: &Bin, numbers: u32, seed: u64) -> SeedSpec {
    SeedSpec {
        bin: bin.clone(),
        name: format!("ТОО Клиент {}", bin.as_str()),
        numbers,
        seed,
        now_ms: T0,
        zone: almaty(),
        open_months: 0,
    }
}

/// A fresh store with Cabinet's and the simulator's schemas.
pub async fn simulator() -> (TestDb, Simulator) {
    let db = test_db().await;
    let sim = Simulator::new(db.db.clone());
    sim.migrate().await.expect("simulator migrations");
    (db, sim)
}

pub async fn seed(sim: &Simulator, bin: &Bin, numbers: u32, seed: u64) -> SeedReport {
    seed_customer(sim.db(), &spec(bin, numbers, seed)).await.expect("seed")
}

pub fn query(digits: Option<&str>, after: Option<&str>, before: Option<&str>, limit: u32) -> NumberQuery {
    NumberQuery {
        digits: digits.map(str::to_string),
        after: after.map(str::to_string),
        before: before.map(str::to_string),
        limit,
        count_cap: None,
    }
}

/// Every number the list gives for `digits`, page by page forward, checking the page flags
/// on the way.
pub async fn all_forward(sim: &Simulator, bin: &Bin, digits: Option<&str>, limit: u32) -> Vec<NumberSummary> {
    let mut out: Vec<NumberSummary> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = sim.list_numbers(bin, &query(digits, after.as_deref(), None, limit)).await.unwrap();
        assert!(page.items.len() <= limit as usize);
        assert_eq!(page.has_prev, after.is_some() && !out.is_empty(), "has_prev after {after:?} for {digits:?}");
        if page.has_next {
            assert_eq!(page.items.len(), limit as usize, "a page with more after it is full");
        }
        out.extend(page.items.iter().cloned());
        match (page.has_next, page.items.last()) {
            (true, Some(last)) => after = Some(last.msisdn.as_str().to_string()),
            _ => break,
        }
    }
    for pair in out.windows(2) {
        assert!(pair[0].msisdn < pair[1].msisdn, "pages are in number order without repeats");
    }
    out
}

/// Every number for `digits`, page by page backward from the end.
pub async fn all_backward(sim: &Simulator, bin: &Bin, digits: Option<&str>, limit: u32) -> Vec<NumberSummary> {
    let mut out: Vec<NumberSummary> = Vec::new();
    // Any string above every number starts from the end.
    let mut before = "9".to_string();
    loop {
        let page = sim.list_numbers(bin, &query(digits, None, Some(&before), limit)).await.unwrap();
        assert_eq!(page.has_next, !out.is_empty(), "has_next going back from {before} for {digits:?}");
        if page.has_prev {
            assert_eq!(page.items.len(), limit as usize);
        }
        let mut items = page.items.clone();
        items.extend(out);
        out = items;
        match (page.has_prev, page.items.first()) {
            (true, Some(first)) => before = first.msisdn.as_str().to_string(),
            _ => break,
        }
    }
    out
}

pub fn msisdns(items: &[NumberSummary]) -> Vec<String> {
    items.iter().map(|s| s.msisdn.as_str().to_string()).collect()
}

pub fn msisdn(s: &str) -> Msisdn {
    Msisdn::parse(s).unwrap()
}
