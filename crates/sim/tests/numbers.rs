//! Number management against the simulator, on SQLite and (with CABINET_TEST_DATABASE_URL)
//! on PostgreSQL: paging, digit search, capped counts, and the wall between customers.

mod common;

use cabinet_core::operator::{MatchCount, NumberSummary, OperatorPort};
use common::*;
use std::collections::HashSet;

fn holds(s: &NumberSummary, digits: &str) -> bool {
    s.msisdn.as_str().contains(digits) || s.account_no.contains(digits)
}

#[tokio::test]
async fn paging_forward_and_back_covers_every_number_once() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 1_300, 1).await;
    seed(&sim, &b, 150, 2).await;
    assert_eq!(sim.number_count(&a).await.unwrap(), 1_300);
    assert_eq!(sim.number_count(&b).await.unwrap(), 150);

    let forward = all_forward(&sim, &a, None, 97).await;
    assert_eq!(forward.len(), 1_300);
    let backward = all_backward(&sim, &a, None, 97).await;
    assert_eq!(msisdns(&backward), msisdns(&forward));
    assert_eq!(backward, forward, "the same rows whichever way they are reached");

    let theirs: HashSet<String> = msisdns(&all_forward(&sim, &b, None, 40).await).into_iter().collect();
    assert_eq!(theirs.len(), 150);
    assert!(msisdns(&forward).iter().all(|m| !theirs.contains(m)), "no number of B in A's list");

    // A page in the middle, by both cursors.
    let mid = &forward[500].msisdn;
    let page = sim.list_numbers(&a, &query(None, Some(mid.as_str()), None, 10)).await.unwrap();
    assert_eq!(msisdns(&page.items), msisdns(&forward[501..511]));
    assert!(page.has_prev && page.has_next);
    let page = sim.list_numbers(&a, &query(None, None, Some(mid.as_str()), 10)).await.unwrap();
    assert_eq!(msisdns(&page.items), msisdns(&forward[490..500]));
    assert!(page.has_prev && page.has_next);
    // No page size named: the usual twenty.
    let page = sim.list_numbers(&a, &query(None, None, None, 0)).await.unwrap();
    assert_eq!(msisdns(&page.items), msisdns(&forward[..20]));
    // Past the end: nothing, but something before.
    let page = sim.list_numbers(&a, &query(None, Some(forward[1_299].msisdn.as_str()), None, 10)).await.unwrap();
    assert!(page.items.is_empty() && page.has_prev && !page.has_next);
}

/// Queries of every shape: one and two digits, dense three-digit prefixes, sparse substrings
/// of real numbers and accounts, another customer's number, nothing at all.
fn queries(mine: &[NumberSummary], theirs: &[NumberSummary]) -> Vec<String> {
    let mut q: Vec<String> =
        ["7", "0", "77", "05", "701", "778", "000", "999999999"].iter().map(|s| s.to_string()).collect();
    for i in [3usize, 777, 2_024, 4_999, 6_001] {
        let s = &mine[i % mine.len()];
        let m = s.msisdn.as_str();
        q.push(m[4..9].to_string());
        q.push(m[6..].to_string());
        q.push(m.to_string());
        q.push(s.account_no.clone());
        q.push(s.account_no[2..8].to_string());
        // Long queries are looked up by their tail: a changed head must find nothing more.
        let other = if &m[4..5] == "9" { "8" } else { "9" };
        q.push(format!("{other}{}", &m[5..]));
        q.push(format!("{other}{}", &s.account_no[s.account_no.len() - 6..]));
    }
    q.push(theirs[0].msisdn.as_str().to_string());
    q.push(theirs[1].account_no.clone());
    q
}

#[tokio::test]
async fn search_finds_exactly_the_numbers_holding_the_digits() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    // Queries of 4+ digits read the digit-run index, shorter ones walk the number index.
    seed(&sim, &a, 6_000, 11).await;
    seed(&sim, &b, 400, 12).await;
    let mine = all_forward(&sim, &a, None, 500).await;
    let theirs = all_forward(&sim, &b, None, 500).await;
    assert_eq!(mine.len(), 6_000);

    for digits in queries(&mine, &theirs) {
        let expected: Vec<String> = msisdns(&mine.iter().filter(|s| holds(s, &digits)).cloned().collect::<Vec<_>>());
        let found = all_forward(&sim, &a, Some(&digits), 50).await;
        assert_eq!(msisdns(&found), expected, "search {digits}");
        let n = expected.len() as u64;
        assert_eq!(sim.count_matches(&a, &digits, 100_000).await.unwrap(), MatchCount::Exactly(n), "count {digits}");
        // The page can carry the same count (one call for the list and its count).
        let mut q = common::query(Some(&digits), None, None, 20);
        q.count_cap = Some(25);
        let page = sim.list_numbers(&a, &q).await.unwrap();
        let expected_capped = if n > 25 { MatchCount::AtLeast(25) } else { MatchCount::Exactly(n) };
        assert_eq!(page.matched, Some(expected_capped), "page count {digits}");
        let capped = sim.count_matches(&a, &digits, 25).await.unwrap();
        assert_eq!(capped, if n > 25 { MatchCount::AtLeast(25) } else { MatchCount::Exactly(n) }, "capped {digits}");
    }

    // Backward through a dense and a sparse result, and typed decorations are ignored.
    let sparse = mine[2_024].msisdn.as_str()[5..10].to_string();
    for digits in ["701".to_string(), sparse] {
        let fwd = all_forward(&sim, &a, Some(&digits), 7).await;
        assert_eq!(all_backward(&sim, &a, Some(&digits), 7).await, fwd, "backward {digits}");
    }
    let typed = mine[10].msisdn.pretty();
    let found = all_forward(&sim, &a, Some(&typed), 20).await;
    assert_eq!(msisdns(&found), vec![mine[10].msisdn.as_str().to_string()], "{typed}");
}

#[tokio::test]
async fn numbers_seeded_before_the_digit_run_index_and_the_books_are_found_after_the_upgrade() {
    // Migrations 3, 5 and 7 upgrade what an older version seeded: its search runs, its
    // balances and its accounts' debts.
    use cabinet_store::migrations::MigrationSet;
    let db = cabinet_store::testing::test_db().await;
    let before = MigrationSet { table: "_sim_migrations", steps: &cabinet_sim::SIMULATOR.steps[..2] };
    db.apply(&before).await.unwrap();
    // The seed of this version writes the runs; a table that the upgrade's own replaces
    // takes them and is dropped, as if they had never been written.
    sqlx::query("CREATE TABLE sim_number_grams (bin TEXT, gram TEXT, msisdn TEXT)").execute(db.pool()).await.unwrap();
    // Nor had it books: the ledger's upgrade opens them from the balances it finds.
    let key = match db.dialect() {
        cabinet_store::Dialect::Sqlite => "INTEGER PRIMARY KEY",
        cabinet_store::Dialect::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    };
    for sql in [
        format!("CREATE TABLE sim_ledger_txns (id {key}, bin TEXT, kind TEXT, key TEXT UNIQUE, created_ms BIGINT)"),
        format!(
            "CREATE TABLE sim_ledger_entries (id {key}, txn_id BIGINT, account TEXT, amount BIGINT, balance_after BIGINT)"
        ),
        "CREATE TABLE sim_payments (txn_id BIGINT, msisdn TEXT, channel TEXT, reference TEXT, amount BIGINT, received_ms BIGINT, \
         account_no TEXT)"
            .to_string(),
        // Nor billing months: the seed of today closes the history's, so they stand in here.
        "CREATE TABLE sim_vat_rates (valid_from TEXT, rate_bp BIGINT)".to_string(),
        "INSERT INTO sim_vat_rates VALUES ('2009-01-01', 1200), ('2026-01-01', 1600)".to_string(),
        format!(
            "CREATE TABLE sim_invoices (id {key}, bin TEXT, account_no TEXT, billing_month TEXT, billing TEXT, \
             registration_no TEXT, system_no TEXT, issued_ms BIGINT, due_ms BIGINT, net BIGINT, vat_rate_bp BIGINT, \
             vat BIGINT, total BIGINT, paid BIGINT, paid_ms BIGINT, txn_id BIGINT)"
        ),
        "CREATE TABLE sim_invoice_lines (invoice_id BIGINT, seq BIGINT, msisdn TEXT, kind TEXT, code TEXT, \
         quantity BIGINT, net BIGINT, vat BIGINT)"
            .to_string(),
        "CREATE TABLE sim_usage_posted (msisdn TEXT, month TEXT, through_ms BIGINT, amount BIGINT, \
         PRIMARY KEY (msisdn, month))"
            .to_string(),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(db.pool()).await.unwrap();
    }
    let sim = cabinet_sim::Simulator::new(db.db.clone());
    let a = bin_a();
    seed(&sim, &a, 500, 41).await;
    let debts: i64 = sqlx::query_scalar("SELECT CAST(SUM(past_debt) AS BIGINT) FROM sim_accounts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(debts > 0, "some accounts owe");
    for table in [
        "sim_number_grams",
        "sim_payments",
        "sim_ledger_entries",
        "sim_ledger_txns",
        "sim_vat_rates",
        "sim_invoice_lines",
        "sim_invoices",
        "sim_usage_posted",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE {table}"))).execute(db.pool()).await.unwrap();
    }

    sim.migrate().await.unwrap();
    let books = cabinet_sim::ledger::check_books(sim.db(), &a).await.unwrap();
    assert_eq!(
        (books.total, books.unbalanced_txns.len(), books.mismatched_numbers.len(), books.mismatched_accounts.len()),
        (0, 0, 0, 0),
        "the balances and the debts found entered the books: {books:?}"
    );
    let opened: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sim_ledger_entries").fetch_one(db.pool()).await.unwrap();
    assert!(opened > 1, "the balances found entered the books ({opened} entries)");
    let mine = all_forward(&sim, &a, None, 100).await;
    for s in [&mine[0], &mine[250], &mine[499]] {
        for digits in [&s.msisdn.as_str()[3..9], &s.msisdn.as_str()[7..], &s.account_no[1..]] {
            let expected = msisdns(&mine.iter().filter(|n| holds(n, digits)).cloned().collect::<Vec<_>>());
            assert!(!expected.is_empty());
            assert_eq!(msisdns(&all_forward(&sim, &a, Some(digits), 20).await), expected, "search {digits}");
        }
    }
}

#[tokio::test]
async fn small_customers_search_the_same_way() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 700, 21).await;
    seed(&sim, &b, 3_000, 22).await;
    let mine = all_forward(&sim, &a, None, 300).await;
    let theirs = all_forward(&sim, &b, None, 300).await;
    for digits in queries(&mine, &theirs) {
        let expected: Vec<NumberSummary> = mine.iter().filter(|s| holds(s, &digits)).cloned().collect();
        assert_eq!(all_forward(&sim, &a, Some(&digits), 30).await, expected, "search {digits}");
        assert_eq!(
            sim.count_matches(&a, &digits, 1_000).await.unwrap(),
            MatchCount::Exactly(expected.len() as u64),
            "count {digits}"
        );
    }
}

#[tokio::test]
async fn count_matches_stops_at_the_cap() {
    let (_db, sim) = simulator().await;
    let a = bin_a();
    seed(&sim, &a, 300, 31).await;
    // Every number contains a 7.
    assert_eq!(sim.count_matches(&a, "7", 1_000).await.unwrap(), MatchCount::Exactly(300));
    assert_eq!(sim.count_matches(&a, "7", 300).await.unwrap(), MatchCount::Exactly(300));
    assert_eq!(sim.count_matches(&a, "7", 299).await.unwrap(), MatchCount::AtLeast(299));
    assert_eq!(sim.count_matches(&a, "7", 0).await.unwrap(), MatchCount::AtLeast(0));
    assert_eq!(sim.count_matches(&a, "", 10).await.unwrap(), MatchCount::AtLeast(10), "no digits: every number");
    assert_eq!(sim.count_matches(&a, "", 5_000).await.unwrap(), MatchCount::Exactly(300));
}

#[tokio::test]
async fn another_customer_never_sees_these_numbers() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 200, 41).await;
    seed(&sim, &b, 50, 42).await;
    let stranger = bin("11114000001");
    let mine = all_forward(&sim, &a, None, 100).await;
    let theirs: HashSet<String> = msisdns(&all_forward(&sim, &b, None, 100).await).into_iter().collect();

    for s in mine.iter().step_by(17) {
        let m = s.msisdn.as_str();
        assert!(sim.number_profile(&a, &s.msisdn).await.unwrap().is_some());
        assert!(sim.number_profile(&b, &s.msisdn).await.unwrap().is_none(), "B must not see {m}");
        assert!(sim.number_profile(&stranger, &s.msisdn).await.unwrap().is_none());
        for digits in [m, &m[3..], s.account_no.as_str()] {
            let found = all_forward(&sim, &b, Some(digits), 20).await;
            assert!(
                found.iter().all(|f| theirs.contains(f.msisdn.as_str())),
                "B's search {digits} shows only B's numbers"
            );
            assert!(found.iter().all(|f| f.msisdn != s.msisdn));
        }
        assert_eq!(sim.count_matches(&b, m, 10).await.unwrap(), MatchCount::Exactly(0));
    }
    assert_eq!(sim.number_count(&stranger).await.unwrap(), 0);
    let page = sim.list_numbers(&stranger, &query(None, None, None, 20)).await.unwrap();
    assert!(page.items.is_empty() && !page.has_prev && !page.has_next);
    assert!(sim.number_profile(&a, &msisdn("77009999999")).await.unwrap().is_none(), "unknown number");
}
