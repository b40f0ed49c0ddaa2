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
    for kind in UsageKind::HOME {
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
        for kind in UsageKind::HOME {
            let of: Vec<_> = records.iter().filter(|r| r.kind == kind).collect();
            let used: i64 = of.iter().map(|r| r.from_allowance).sum();
            let total: i64 = of.iter().map(|r| r.quantity).sum();
            // A package's allowance adds to the tariff's (the test below checks those).
            if p.allowances.iter().any(|a| !a.from_tariff && Some(a.kind) == kind.allowance()) {
                continue;
            }
            let grant = code.grants.iter().find(|g| Some(g.kind) == kind.allowance());
            match grant.map(|g| g.amount) {
                Some(None) => assert_eq!(used, total, "unlimited: all of it from the allowance"),
                Some(Some(g)) => assert_eq!(used, total.min(g), "{kind:?}: the allowance is used up first"),
                None => assert_eq!(used, 0, "{kind:?}: no allowance"),
            }
            let (unit, per) = usage::price(code, kind).unwrap();
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
            let used: i64 =
                records.iter().filter(|r| r.kind.allowance() == Some(a.kind)).map(|r| r.from_allowance).sum();
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

/// A package's allowance shrinks with the home usage it covers: from its connection (in the
/// last month, or the one before) to now, what the records drew beyond the tariff's
/// allowance of its kind and what the profile says remains add up to the package's
/// allowance; and nothing of that kind was charged while any of it remained.
#[tokio::test]
async fn a_packages_allowance_used_and_remaining_add_up_to_it() {
    let (_db, sim) = simulator().await;
    let now = cabinet_core::time::now_ms();
    let spec = cabinet_sim::seed::SeedSpec { now_ms: now, ..spec(&bin_a(), 400, 11) };
    cabinet_sim::seed::seed_customer(sim.db(), &spec).await.unwrap();
    let zone = almaty();
    let mut checked = 0;
    for n in numbers(&sim).await.iter().filter(|n| n.state == NumberState::Active) {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let tariff =
            catalog::TARIFFS.iter().find(|t| t.name.en == p.summary.tariff.get(cabinet_core::Locale::En)).unwrap();
        for a in p.allowances.iter().filter(|a| !a.from_tariff && !a.unlimited && a.until_ms > now) {
            let same_kind = p.allowances.iter().filter(|b| !b.from_tariff && b.kind == a.kind).count();
            let group = catalog::SERVICES.iter().find(|s| s.name.localized() == a.name).map(|s| s.group);
            if same_kind > 1 || group == Some(cabinet_core::operator::ServiceGroup::Roaming) {
                continue;
            }
            let of_kind = |r: &&UsageRecord| r.kind.allowance() == Some(a.kind) && r.roaming.is_none();
            let tariff_total = tariff.grants.iter().find(|g| g.kind == a.kind).map_or(0, |g| g.amount.unwrap());
            // Month by month from the package's month: its records after the connection drew
            // on the tariff's allowance until that month's was spent, then on the package.
            let mut used = 0;
            let mut month = zone.civil_date(a.connected_ms).unwrap().first_of_month();
            while zone.start_of_day_ms(month) < now {
                let (start, end) = (
                    zone.start_of_day_ms(month),
                    zone.start_of_day_ms(month.checked_add(jiff::Span::new().months(1)).unwrap()),
                );
                let records = report(&sim, n, start, end.min(now)).await;
                let records: Vec<&UsageRecord> = records.iter().filter(of_kind).collect();
                let before: i64 = records.iter().filter(|r| r.at_ms < a.connected_ms).map(|r| r.quantity).sum();
                let all: i64 = records.iter().map(|r| r.quantity).sum();
                let from_tariff = all.min(tariff_total) - before.min(tariff_total);
                let after: Vec<&&UsageRecord> = records.iter().filter(|r| r.at_ms >= a.connected_ms).collect();
                let covered: i64 = after.iter().map(|r| r.from_allowance).sum();
                used += covered - from_tariff;
                // Charged only once the allowances were spent.
                if let Some(first) = after.iter().position(|r| r.charge.tiyn() > 0) {
                    assert!(after[first + 1..].iter().all(|r| r.from_allowance == 0), "{} {:?}", n.msisdn, a.kind);
                }
                month = month.checked_add(jiff::Span::new().months(1)).unwrap();
            }
            assert!(used >= 0 && used <= a.total, "{} {:?}: used {used} of {}", n.msisdn, a.kind, a.total);
            assert_eq!(a.available + used, a.total, "{} {:?}", n.msisdn, a.kind);
            // Asked again, the day's start remembered: the same.
            let again = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
            assert_eq!(again.allowances, p.allowances, "{}", n.msisdn);
            checked += 1;
        }
    }
    assert!(checked > 20, "package allowances checked: {checked}");
}

/// The seeded customer's numbers with each one's services (code, switched on at).
async fn services(sim: &Simulator) -> std::collections::HashMap<String, Vec<(String, i64)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT v.msisdn, v.service_code, v.activated_ms FROM sim_subscriber_services v \
         JOIN sim_subscribers s ON s.msisdn = v.msisdn WHERE s.bin = $1",
    )
    .bind(bin_a().as_str())
    .fetch_all(sim.db().pool())
    .await
    .unwrap();
    let mut out: std::collections::HashMap<String, Vec<(String, i64)>> = Default::default();
    for (msisdn, code, at) in rows {
        out.entry(msisdn).or_default().push((code, at));
    }
    out
}

fn has(services: &std::collections::HashMap<String, Vec<(String, i64)>>, n: &NumberSummary, code: &str) -> bool {
    services.get(n.msisdn.as_str()).is_some_and(|s| s.iter().any(|(c, _)| c == code))
}

/// 2026's first three billing months: after the seed's T0, so every seeded service was on
/// all through them.
fn months_2026() -> Vec<(jiff::civil::Date, i64, i64)> {
    let zone = almaty();
    (1..=3)
        .map(|m| {
            let first = jiff::civil::date(2026, m, 1);
            let next = jiff::civil::date(2026, m + 1, 1);
            (first, zone.start_of_day_ms(first), zone.start_of_day_ms(next))
        })
        .collect()
}

#[tokio::test]
async fn a_roaming_number_has_records_abroad_on_its_trip_days_only_and_others_have_none() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 7).await;
    let zone = almaty();
    let services = services(&sim).await;
    let all = numbers(&sim).await;
    let (mut trip_days, mut idle_trips) = (0, 0);
    for n in &all {
        let roams = has(&services, n, "roaming");
        for (first, from, to) in months_2026() {
            let trips = usage::roaming::trips(bin_a().as_str(), n.msisdn.as_str(), first);
            let abroad: Vec<_> = report(&sim, n, from, to).await.into_iter().filter(|r| r.kind.is_roaming()).collect();
            if !roams || n.state != NumberState::Active {
                // Without the roaming service, or blocked (all seeded blocks began before T0),
                // a number whose draw made it travel has nothing abroad.
                assert!(abroad.is_empty(), "{} roams without the service or while blocked", n.msisdn);
                idle_trips += usize::from(!trips.is_empty());
                continue;
            }
            let mut days: Vec<jiff::civil::Date> = abroad.iter().map(|r| zone.civil_date(r.at_ms).unwrap()).collect();
            days.dedup();
            let expected: Vec<jiff::civil::Date> = trips
                .iter()
                .flat_map(|t| {
                    (0..i64::from(t.days)).map(move |k| t.first.checked_add(jiff::Span::new().days(k)).unwrap())
                })
                .collect();
            assert_eq!(days, expected, "{}: records abroad on every trip day and no other", n.msisdn);
            for r in &abroad {
                let day = zone.civil_date(r.at_ms).unwrap();
                let trip = trips.iter().find(|t| t.covers(day)).unwrap();
                let place = r.roaming.as_ref().expect("a record abroad says where");
                assert_eq!((place.zone, &place.country), (trip.zone, &trip.country()));
                if r.kind != UsageKind::RoamingFee {
                    let (unit, per) = usage::roaming::price(r.kind, place);
                    let beyond = r.quantity - r.from_allowance;
                    assert_eq!(r.charge.tiyn(), (beyond + unit - 1) / unit * per.tiyn(), "per started unit");
                }
            }
            trip_days += days.len();
        }
    }
    assert!(trip_days > 10, "some roaming numbers travelled ({trip_days} days)");
    assert!(idle_trips > 10, "the check on numbers that may not roam means something ({idle_trips})");
}

#[tokio::test]
async fn a_business_travel_pack_takes_its_fee_on_days_abroad_only_and_is_used_before_the_prices() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 7).await;
    let zone = almaty();
    let services = services(&sim).await;
    let roaming: Vec<_> = numbers(&sim)
        .await
        .into_iter()
        .filter(|n| n.state == NumberState::Active && has(&services, n, "roaming"))
        .filter(|n| !has(&services, n, "atlas_pro") && !has(&services, n, "roaming_1gb"))
        .collect();
    assert!(roaming.len() > 5, "roaming numbers: {}", roaming.len());
    let fee = catalog::service("business_travel").unwrap().price;
    let mut days_checked = 0;
    for n in &roaming {
        // The pack on since before the months looked at, as if switched on long ago.
        sqlx::query(
            "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) VALUES ($1, 'business_travel', 0) \
             ON CONFLICT (msisdn, service_code) DO UPDATE SET activated_ms = 0",
        )
        .bind(n.msisdn.as_str())
        .execute(sim.db().pool())
        .await
        .unwrap();
        for (_, from, to) in months_2026() {
            let abroad: Vec<_> = report(&sim, n, from, to).await.into_iter().filter(|r| r.kind.is_roaming()).collect();
            let mut days: Vec<_> = abroad.iter().map(|r| zone.civil_date(r.at_ms).unwrap()).collect();
            days.dedup();
            for day in days {
                let of: Vec<_> = abroad.iter().filter(|r| zone.civil_date(r.at_ms).unwrap() == day).collect();
                assert_eq!(of[0].kind, UsageKind::RoamingFee, "the fee first in the day");
                let fees: Vec<i64> =
                    of.iter().filter(|r| r.kind == UsageKind::RoamingFee).map(|r| r.charge.tiyn()).collect();
                assert_eq!(fees, [fee], "{} {day}: one daily fee on a day abroad", n.msisdn);
                for (kind, allowance) in [(UsageKind::RoamingCall, 30 * 60), (UsageKind::RoamingData, 500 * 1024)] {
                    let used: i64 = of.iter().filter(|r| r.kind == kind).map(|r| r.from_allowance).sum();
                    let total: i64 = of.iter().filter(|r| r.kind == kind).map(|r| r.quantity).sum();
                    assert_eq!(used, total.min(allowance), "{kind:?}: the day's allowance is used first");
                    let charged = of.iter().filter(|r| r.kind == kind && r.charge.tiyn() > 0).count();
                    assert!(charged == 0 || used == allowance, "{kind:?}: charged only once it is used up");
                }
                days_checked += 1;
            }
        }
    }
    assert!(days_checked > 10, "days abroad checked: {days_checked}");
}

/// The profile's outstanding roaming amount: what a credit number's roaming (records abroad
/// and packs' fees) cost this month so far, as its usage details rate it; nothing for an
/// advance number, whose balance pays when the month is invoiced.
#[tokio::test]
async fn the_outstanding_roaming_amount_is_this_months_roaming_of_a_credit_number() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 7).await;
    // Roaming on every number since long ago, so that this month has trips whatever the date.
    sqlx::query(
        "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) \
         SELECT msisdn, 'roaming', 0 FROM sim_subscribers WHERE bin = $1 \
         ON CONFLICT (msisdn, service_code) DO UPDATE SET activated_ms = 0",
    )
    .bind(bin_a().as_str())
    .execute(sim.db().pool())
    .await
    .unwrap();
    let zone = almaty();
    let now = cabinet_core::time::now_ms();
    let month_start = zone.start_of_day_ms(zone.civil_date(now).unwrap().first_of_month());
    let (mut credit, mut owing) = (0, 0);
    for n in numbers(&sim).await {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let abroad: i64 = report(&sim, &n, month_start, now + DAY)
            .await
            .iter()
            .filter(|r| r.kind.is_roaming())
            .map(|r| r.charge.tiyn())
            .sum();
        match n.billing {
            cabinet_core::operator::BillingMethod::Credit => {
                assert_eq!(p.roaming_debt.tiyn(), abroad, "{}", n.msisdn);
                credit += 1;
                owing += usize::from(abroad > 0);
            }
            cabinet_core::operator::BillingMethod::Advance => assert_eq!(p.roaming_debt.tiyn(), 0),
        }
    }
    assert!(credit > 50, "credit numbers checked: {credit} ({owing} owing for roaming)");
}
