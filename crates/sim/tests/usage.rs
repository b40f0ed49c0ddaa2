//! Usage records derived from the seed, and their rating against the tariff's allowances.

mod common;

use cabinet_core::operator::{NumberState, NumberSummary, OperatorPort, UsageKind, UsageRecord};
use cabinet_sim::{Simulator, catalog, usage};
use common::*;

const DAY: i64 = 86_400_000;

/// 2025-09-01 00:00 in Almaty (UTC+5): a billing month of the seeded history.
const SEPT: i64 = 1_756_666_800_000;
const OCT: i64 = SEPT + 30 * DAY;

async fn report(sim: &Simulator, n: &NumberSummary, from: i64, to: i64) -> Vec<UsageRecord> {
    sim.usage(&bin_a(), &n.msisdn, from, to).await.unwrap().unwrap().records
}

async fn numbers(sim: &Simulator) -> Vec<NumberSummary> {
    all_forward(sim, &bin_a(), None, 200).await
}

#[tokio::test]
async fn the_same_number_and_days_give_the_same_records_in_time_order() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 60, 5).await;
    let n = numbers(&sim).await.into_iter().find(|n| n.state == NumberState::Active).unwrap();
    let a = report(&sim, &n, SEPT, OCT).await;
    assert!(a.len() > 100, "a month of calls, messages and sessions ({})", a.len());
    assert_eq!(a, report(&sim, &n, SEPT, OCT).await);
    assert!(a.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    assert!(a.iter().all(|r| r.at_ms >= SEPT && r.at_ms < OCT && r.quantity > 0));
    for kind in UsageKind::ALL {
        assert!(a.iter().any(|r| r.kind == kind) || kind == UsageKind::InternationalCall, "some {kind:?}");
    }
    // Part of the month is the same records as the month cut: rating starts at the month's
    // first day either way.
    let mid = SEPT + 12 * DAY + 3_600_000;
    let part = report(&sim, &n, mid, OCT).await;
    assert_eq!(part, a.iter().filter(|r| r.at_ms >= mid).cloned().collect::<Vec<_>>());
    // Another customer's number is not found.
    seed(&sim, &bin_b(), 5, 6).await;
    let other = all_forward(&sim, &bin_b(), None, 10).await.remove(0);
    assert_eq!(sim.usage(&bin_a(), &other.msisdn, SEPT, OCT).await.unwrap(), None);
}

#[tokio::test]
async fn allowances_are_used_first_and_the_rest_is_charged_at_the_tariffs_prices() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 120, 5).await;
    let mut charged = 0;
    for n in numbers(&sim).await.iter().filter(|n| n.state == NumberState::Active).take(40) {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let code =
            catalog::TARIFFS.iter().find(|t| t.name.en == p.summary.tariff.get(cabinet_core::Locale::En)).unwrap();
        let records = report(&sim, n, SEPT, OCT).await;
        for kind in UsageKind::ALL {
            let of: Vec<_> = records.iter().filter(|r| r.kind == kind).collect();
            let used: i64 = of.iter().map(|r| r.from_allowance).sum();
            let total: i64 = of.iter().map(|r| r.quantity).sum();
            let grant = code.grants.iter().find(|g| g.kind == kind.allowance());
            match grant.map(|g| g.amount) {
                Some(None) => assert_eq!(used, total, "unlimited: all of it from the allowance"),
                Some(Some(g)) => assert_eq!(used, total.min(g), "{kind:?}: the allowance is used up first"),
                None => assert_eq!(used, 0, "{kind:?}: no allowance"),
            }
            let (unit, per) = usage::price(code, kind);
            for r in &of {
                assert!(r.from_allowance <= r.quantity);
                let beyond = r.quantity - r.from_allowance;
                assert_eq!(r.charge.tiyn(), (beyond + unit - 1) / unit * per.tiyn(), "per started unit");
                charged += usize::from(r.charge.tiyn() > 0);
            }
            // Once a record was charged, no later one of the kind drew on the allowance.
            if let Some(first) = of.iter().position(|r| r.from_allowance < r.quantity) {
                assert!(of[first + 1..].iter().all(|r| r.from_allowance == 0), "{kind:?}");
            }
        }
    }
    assert!(charged > 0, "some usage went beyond the allowances");
}

#[tokio::test]
async fn no_usage_while_blocked_and_less_at_weekends() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let all = numbers(&sim).await;
    for n in all.iter().filter(|n| n.state != NumberState::Active).take(5) {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let records = report(&sim, n, 0, i64::MAX / 2).await;
        assert!(records.iter().all(|r| r.at_ms < p.state_changed_ms), "nothing once blocked");
    }
    // Saturdays and Sundays of September 2025 (6–7, 13–14, 20–21, 27–28) against weekdays.
    let (mut weekend, mut weekday) = (0usize, 0usize);
    for n in all.iter().filter(|n| n.state == NumberState::Active).take(30) {
        for r in report(&sim, n, SEPT, OCT).await {
            let day = (r.at_ms - SEPT) / DAY + 1;
            if [6, 7, 13, 14, 20, 21, 27, 28].contains(&day) {
                weekend += 1;
            } else {
                weekday += 1;
            }
        }
    }
    // 8 weekend days against 22 weekdays, at less than half the rate.
    assert!((weekend as f64 / 8.0) < 0.6 * (weekday as f64 / 22.0), "weekend {weekend}, weekday {weekday}");
}

/// The profile's Remaining allowance follows from the same records: what this month's usage
/// took from each of the tariff's allowances and what remains add up to the allowance.
#[tokio::test]
async fn allowance_used_and_remaining_add_up_to_the_allowance() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 120, 5).await;
    let zone = almaty();
    let now = cabinet_core::time::now_ms();
    let today = zone.civil_date(now).unwrap();
    let month_start = zone.start_of_day_ms(today.first_of_month());
    let mut checked = 0;
    for n in numbers(&sim).await.iter().filter(|n| n.state == NumberState::Active).take(30) {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let records = report(&sim, n, month_start, now + DAY).await;
        for a in p.allowances.iter().filter(|a| a.from_tariff && !a.unlimited) {
            let used: i64 = records.iter().filter(|r| r.kind.allowance() == a.kind).map(|r| r.from_allowance).sum();
            assert_eq!(a.available + used, a.total, "{} {:?}", n.msisdn, a.kind);
            assert!(a.available >= 0 && a.connected_ms == month_start, "this month's allowance");
            checked += 1;
        }
    }
    assert!(checked > 20, "allowances checked: {checked}");
    // Asking again (past days remembered) gives the same.
    let n = numbers(&sim).await.into_iter().find(|n| n.state == NumberState::Active).unwrap();
    let first = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap().allowances;
    let again = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap().allowances;
    assert_eq!(first, again);
}
