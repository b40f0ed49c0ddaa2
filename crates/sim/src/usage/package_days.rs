//! The Atlas Pro roaming package day by day (the second manual's "Детализация по пакету
//! Атлас Про"): for each of a customer's numbers with the package, the days its usage
//! details show the package's daily fee — where the number was, the fee, and the roaming
//! data that day, which the package covered. Read from the same rated records as the usage
//! details, so the two agree.

use crate::SimError;
use cabinet_core::operator::{RoamingPackageDay, RoamingPackagePage, UsageKind};
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::Db;
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// The package's code in the catalog.
const PACKAGE: &str = "atlas_pro";

pub(crate) async fn page(
    db: &Db,
    zone: &OperatorZone,
    customer: &Bin,
    (from_ms, to_ms): (i64, i64),
    after: Option<&str>,
    numbers: u32,
) -> Result<RoamingPackagePage, SimError> {
    let limit = numbers.clamp(1, 1_000);
    let msisdns: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT s.msisdn FROM sim_subscribers s JOIN sim_subscriber_services v ON v.msisdn = s.msisdn \
         WHERE s.bin = $1 AND v.service_code = $2 AND s.msisdn > $3 ORDER BY s.msisdn LIMIT {limit}"
    )))
    .bind(customer.as_str())
    .bind(PACKAGE)
    .bind(after.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    let next = (msisdns.len() == limit as usize).then(|| msisdns.last().cloned()).flatten();
    let package = crate::catalog::service(PACKAGE).map(|s| s.name.localized());
    let now = cabinet_core::time::now_ms();
    let mut days = Vec::new();
    for m in &msisdns {
        let Ok(msisdn) = Msisdn::parse(m) else { continue };
        let Some(report) = super::report(db, zone, customer, &msisdn, from_ms, to_ms, now).await? else { continue };
        // By day: the package's fee, where, and the data.
        let mut by_day: BTreeMap<i64, (Option<RoamingPackageDay>, i64)> = BTreeMap::new();
        for r in &report.records {
            let Some(day) = zone.civil_date(r.at_ms).map(|d| zone.start_of_day_ms(d)) else { continue };
            let Some(roaming) = &r.roaming else { continue };
            let entry = by_day.entry(day).or_default();
            match r.kind {
                UsageKind::RoamingFee if roaming.pack.is_some() && roaming.pack == package => {
                    entry.0 = Some(RoamingPackageDay {
                        msisdn: m.clone(),
                        day_ms: day,
                        country: roaming.country.clone(),
                        fee: Money(r.charge.tiyn()),
                        data_kb: 0,
                    });
                }
                UsageKind::RoamingData => entry.1 += r.quantity,
                _ => {}
            }
        }
        days.extend(by_day.into_values().filter_map(|(day, data_kb)| day.map(|d| RoamingPackageDay { data_kb, ..d })));
    }
    Ok(RoamingPackagePage { days, next })
}
