//! Seeding and the number profile, on SQLite and (with CABINET_TEST_DATABASE_URL) on
//! PostgreSQL: the same seed gives the same company, and every profile holds together.

mod common;

use cabinet_core::operator::{
    AccountType, BillingMethod, NumberProfile, NumberState, OperatorPort, ServiceGroup, ServiceStatus,
};
use cabinet_core::{Iccid, Imei, Money};
use cabinet_sim::catalog::{self, SERVICES};
use common::*;
use std::collections::{HashMap, HashSet};

async fn profiles(sim: &cabinet_sim::Simulator, bin: &cabinet_core::Bin) -> Vec<NumberProfile> {
    let mut out = Vec::new();
    for s in all_forward(sim, bin, None, 200).await {
        let p = sim.number_profile(bin, &s.msisdn).await.unwrap().expect("own number has a profile");
        assert_eq!(p.summary, s, "the profile's summary is the list's row");
        out.push(p);
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_customer() {
    let (_d1, one) = simulator().await;
    let (_d2, two) = simulator().await;
    let a = bin_a();
    let r1 = seed(&one, &a, 400, 77).await;
    let r2 = seed(&two, &a, 400, 77).await;
    assert_eq!(r1, r2);
    assert_eq!(r1.numbers, 400);
    let p1 = profiles(&one, &a).await;
    assert_eq!(p1.len(), 400);
    assert_eq!(msisdns(&all_forward(&two, &a, None, 200).await), msisdns(&all_forward(&one, &a, None, 200).await));
    // Each number read from both at once: the allowances left count the month's usage up to
    // the moment of reading, which moves on between two reads a second apart.
    for p in &p1 {
        let (x, y) = tokio::join!(one.number_profile(&a, &p.summary.msisdn), two.number_profile(&a, &p.summary.msisdn));
        assert_eq!(x.unwrap(), y.unwrap(), "same seed, same profile of {}", p.summary.msisdn);
    }

    let (_d3, three) = simulator().await;
    seed(&three, &a, 400, 78).await;
    let other = all_forward(&three, &a, None, 200).await;
    assert_ne!(
        msisdns(&other),
        msisdns(&p1.iter().map(|p| p.summary.clone()).collect::<Vec<_>>()),
        "another seed, another company"
    );
}

#[tokio::test]
async fn seeding_an_existing_customer_adds_numbers() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 250, 5).await;
    // The same seed again would draw the same numbers: they are taken, so others are drawn.
    let again = seed(&sim, &a, 150, 5).await;
    assert_eq!(again.numbers, 150);
    seed(&sim, &b, 100, 5).await;
    assert_eq!(sim.number_count(&a).await.unwrap(), 400);
    assert_eq!(sim.number_count(&b).await.unwrap(), 100);
    let mine = all_forward(&sim, &a, None, 128).await;
    let theirs = all_forward(&sim, &b, None, 128).await;
    assert_eq!((mine.len(), theirs.len()), (400, 100), "the count is the rows");
    let mine: HashSet<String> = msisdns(&mine).into_iter().collect();
    assert!(msisdns(&theirs).iter().all(|m| !mine.contains(m)), "numbers are unique across customers");
    let (name,): (String,) = sqlx::query_as("SELECT name FROM sim_customers WHERE bin = $1")
        .bind(a.as_str())
        .fetch_one(sim.db().pool())
        .await
        .unwrap();
    assert_eq!(name, spec(&a, 0, 0).name);
    assert_eq!(seed(&sim, &a, 0, 9).await.numbers, 0);
}

#[tokio::test]
async fn seeding_two_thousand_numbers_adds_each_once() {
    // Speed is the bench's (scripts/bench seeds 100,000); a test checks what was added.
    let (_db, sim) = simulator().await;
    let report = seed(&sim, &bin_a(), 2_000, 3).await;
    assert_eq!(report.numbers, 2_000);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sim_subscribers WHERE bin = $1")
        .bind(bin_a().as_str())
        .fetch_one(sim.db().pool())
        .await
        .unwrap();
    assert_eq!(count, 2_000);
}

/// Per-account facts straight from the simulator's tables, to check the profile's money.
async fn accounts(sim: &cabinet_sim::Simulator) -> HashMap<String, (Option<i64>, i64, i64)> {
    let rows: Vec<(String, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT a.account_no, a.credit_limit, a.period_charges, \
         CAST(COALESCE(SUM(CASE WHEN a.billing = 'credit' THEN s.period_spent ELSE 0 END), 0) AS BIGINT) \
         FROM sim_accounts a JOIN sim_subscribers s ON s.account_no = a.account_no \
         GROUP BY a.account_no, a.credit_limit, a.period_charges",
    )
    .fetch_all(sim.db().pool())
    .await
    .unwrap();
    rows.into_iter().map(|(no, limit, charges, spent)| (no, (limit, charges, spent))).collect()
}

#[tokio::test]
async fn profiles_hold_together() {
    let (_db, sim) = simulator().await;
    let a = bin_a();
    seed(&sim, &a, 1_500, 2025).await;
    let all = profiles(&sim, &a).await;
    let accounts = accounts(&sim).await;
    let zone = almaty();
    // The tariff's allowances are the current billing month's, whenever the seed ran.
    let today = zone.civil_date(cabinet_core::time::now_ms()).unwrap();
    let month_start = zone.start_of_day_ms(today.first_of_month());
    let next_month = zone.start_of_day_ms(today.last_of_month().tomorrow().unwrap());

    let mut per_account: HashMap<&str, Vec<&NumberProfile>> = HashMap::new();
    for p in &all {
        per_account.entry(p.summary.account_no.as_str()).or_default().push(p);
    }
    let count = |f: &dyn Fn(&NumberProfile) -> bool| all.iter().filter(|p| f(p)).count();
    let n = all.len();

    for p in &all {
        let s = &p.summary;
        let m = s.msisdn.as_str();
        let (limit, charges, spent) = accounts[&s.account_no];
        // Money.
        match s.billing {
            BillingMethod::Credit => {
                assert_eq!(p.credit_limit, limit.map(Money), "{m}");
                assert_eq!(s.remaining, Money(limit.unwrap() - charges), "{m}: remaining credit = limit - charges");
                assert_eq!(charges, spent, "{m}: the account's charges are its numbers' spending");
                assert!(s.remaining.0 >= 0, "{m}");
            }
            BillingMethod::Advance => {
                assert_eq!(p.credit_limit, None, "{m}");
                assert!(s.individual_limit.is_none(), "{m}");
                assert_eq!(s.remaining.0 < 0, s.state == NumberState::BlockedDebt, "{m}: only debtors are below zero");
            }
        }
        match (s.individual_limit, s.available_funds) {
            (Some(l), Some(f)) => assert!(f.0 >= 0 && f <= l, "{m}: funds within the limit"),
            (None, None) => {}
            other => panic!("{m}: funds without a limit or the reverse: {other:?}"),
        }
        if s.state == NumberState::BlockedDebt && s.billing == BillingMethod::Credit {
            assert!(p.past_debt.0 > 0, "{m}: blocked for debt with no debt");
        }
        // Accounts: a common one is shared, a separate one is not.
        let sharing = per_account[s.account_no.as_str()].len();
        assert_eq!(p.account_type == AccountType::Common, sharing > 1, "{m} shares its account with {sharing}");
        assert!(
            per_account[s.account_no.as_str()]
                .iter()
                .all(|o| o.summary.billing == s.billing && o.summary.remaining == s.remaining
                    || s.billing == BillingMethod::Advance)
        );
        // SIM and device.
        assert!(
            Iccid::parse(&p.iccid).is_ok() && p.iccid.len() == 20 && p.iccid.starts_with("89997"),
            "{m}: {}",
            p.iccid
        );
        if let Some(imei) = &p.last_imei {
            assert_eq!(
                Imei::parse(imei).map(|i| i.as_str().to_string()).ok(),
                Some(imei.clone()),
                "{m}: 14-digit IMEI"
            );
        }
        for (pin, len) in [(&p.pin1, 4), (&p.pin2, 4), (&p.puk1, 8), (&p.puk2, 8)] {
            assert!(pin.len() == len && pin.bytes().all(|b| b.is_ascii_digit()), "{m}: {pin}");
        }
        assert!(p.state_changed_ms <= T0 && p.sim_replaced_ms.is_none_or(|t| t <= T0));
        // Allowances.
        let tariff = catalog::TARIFFS.iter().find(|t| t.name.localized() == s.tariff).expect("a catalog tariff");
        let from_tariff: Vec<_> = p.allowances.iter().filter(|x| x.from_tariff).collect();
        assert_eq!(
            from_tariff.iter().map(|x| x.kind).collect::<Vec<_>>(),
            tariff.grants.iter().map(|g| g.kind).collect::<Vec<_>>(),
            "{m}"
        );
        for x in &p.allowances {
            assert!(0 <= x.available && x.available <= x.total, "{m}: {x:?}");
            assert_eq!(x.unlimited, x.total == 0, "{m}: {x:?}");
            if x.from_tariff {
                assert_eq!((x.connected_ms, x.until_ms), (month_start, next_month), "{m}: this billing month");
            } else {
                assert!(x.connected_ms <= T0 && T0 < x.until_ms, "{m}: allowance in force at the seed's now");
            }
        }
        // Services: the whole catalog, grouped, each once.
        assert_eq!(p.services.len(), SERVICES.len());
        let ranks: Vec<usize> =
            p.services.iter().map(|e| ServiceGroup::ALL.iter().position(|g| *g == e.group).unwrap()).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{m}: services grouped");
        let active: Vec<_> = p.services.iter().filter(|e| e.status == ServiceStatus::Active).collect();
        assert!((1..=4).contains(&active.len()), "{m}: {} active", active.len());
        let families: Vec<_> = active.iter().filter_map(|e| catalog::service(&e.code).unwrap().family).collect();
        assert_eq!(families.len(), families.iter().collect::<HashSet<_>>().len(), "{m}: one service per family");
        for e in &p.services {
            let entry = catalog::service(&e.code).unwrap();
            if e.code == "roaming_registration" {
                assert_eq!(e.status, ServiceStatus::Unavailable);
            }
            if s.state != NumberState::Active {
                assert_ne!(e.status, ServiceStatus::Available, "{m}: nothing can be switched on a blocked number");
            }
            if e.status == ServiceStatus::Available {
                assert!(entry.offered_to(&tariff_code(&s.tariff), s.billing));
            }
            // A package's allowance comes with it.
            let has_allowance = p.allowances.iter().any(|x| !x.from_tariff && x.name == entry.name.localized());
            assert_eq!(has_allowance, e.status == ServiceStatus::Active && !entry.grants.is_empty(), "{m}: {}", e.code);
        }
        for c in &p.contract_phones {
            assert!(c.activated_ms < c.terminates_ms && [12, 24].contains(&c.term_months), "{m}: {c:?}");
            assert_eq!(c.active, c.terminates_ms > T0);
            assert!(c.monthly_payment.0 * i64::from(c.term_months) >= c.contract_price.0);
            assert!(!c.device_name.is_empty() && !c.device_type.kk.is_empty());
        }
    }

    // The mix of a corporate customer.
    let pct = |k: usize| k * 100 / n;
    assert!((88..=96).contains(&pct(count(&|p| p.summary.state == NumberState::Active))), "active share");
    assert!(
        count(&|p| p.summary.state == NumberState::Blocked) > 0
            && count(&|p| p.summary.state == NumberState::BlockedDebt) > 0
    );
    assert!((80..=90).contains(&pct(count(&|p| p.summary.billing == BillingMethod::Credit))), "credit share");
    assert!((15..=25).contains(&pct(count(&|p| p.account_type == AccountType::Common))), "common-account share");
    assert!((1..=10).contains(&pct(count(&|p| !p.contract_phones.is_empty()))), "contract phones");
    assert!(count(&|p| p.contract_phones.len() == 2) > 0, "someone has two devices");
    assert!(count(&|p| p.individual_limit_set()) > 0 && count(&|p| p.past_debt.0 > 0) > 0);
    // The outstanding roaming amount is this month's roaming of credit numbers (`usage` tests).
    assert_eq!(count(&|p| p.summary.billing == BillingMethod::Advance && p.roaming_debt.0 != 0), 0);
    assert!(count(&|p| p.esim) > 0 && count(&|p| p.ban_selfcare) > 0 && count(&|p| p.sim_replaced_ms.is_some()) > 0);
    let own = count(&|p| ["701", "702", "775", "778"].contains(&p.summary.msisdn.prefix()));
    assert!(pct(own) >= 95, "numbers are on the operator's own prefixes");
}

trait Limited {
    fn individual_limit_set(&self) -> bool;
}

impl Limited for NumberProfile {
    fn individual_limit_set(&self) -> bool {
        self.summary.individual_limit.is_some()
    }
}

fn tariff_code(name: &cabinet_core::Localized) -> String {
    catalog::TARIFFS.iter().find(|t| t.name.localized() == *name).unwrap().code.to_string()
}
