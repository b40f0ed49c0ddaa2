//! What hangs off a generated number: the allowances of its tariff, its services (with the
//! packages' allowances) and its contract phones.

use super::{DAY, Generator, HOUR};
use crate::catalog::{self, SERVICES, Tariff};
use crate::seed::SeedSpec;
use crate::seed::rows::{AllowanceRow, Batch, PhoneRow, ServiceRow, SubscriberRow};
use cabinet_core::operator::BillingMethod;
use rand::RngExt;

/// Packages last 30 days from connection.
const PACKAGE_DAYS: i64 = 30;

/// Devices sold in instalments: name as the operator's warehouse spells it, type, price in tenge.
const DEVICES: &[(&str, &str, i64)] = &[
    ("ТЕЛЕФОН IPHONE 11 BLACK 128 GB", "phone", 249_990),
    ("ТЕЛЕФОН IPHONE 13 MIDNIGHT 128 GB", "phone", 349_990),
    ("ТЕЛЕФОН IPHONE 15 PRO 256 GB NATURAL TITANIUM", "phone", 649_990),
    ("ТЕЛЕФОН IPHONE 16 BLACK 128 GB", "phone", 499_990),
    ("ТЕЛЕФОН SAMSUNG GALAXY S24 ULTRA 512 GB TITANIUM GRAY", "phone", 699_990),
    ("ТЕЛЕФОН SAMSUNG GALAXY A55 5G 128 GB NAVY", "phone", 219_990),
    ("ТЕЛЕФОН SAMSUNG GALAXY A15 128 GB BLACK", "phone", 89_990),
    ("ТЕЛЕФОН XIAOMI REDMI NOTE 13 PRO 256 GB", "phone", 159_990),
    ("ПЛАНШЕТ APPLE IPAD 10.9 WI-FI + CELLULAR 64 GB", "tablet", 329_990),
    ("ПЛАНШЕТ SAMSUNG GALAXY TAB S9 FE 5G 128 GB", "tablet", 279_990),
    ("СМАРТ-ЧАСЫ APPLE WATCH SE 44 MM CELLULAR", "watch", 189_990),
    ("РОУТЕР ZTE MF296R 4G", "router", 34_990),
];

impl Generator<'_> {
    /// Used part of an allowance: grows with the elapsed part of its period, with spread.
    fn used(&mut self, total: i64, elapsed: f64) -> i64 {
        let f = (elapsed * self.rng.random_range(0.2..1.5)).clamp(0.0, 1.0);
        (total as f64 * f) as i64
    }

    pub(super) fn tariff_allowances(&mut self, sub: &SubscriberRow, tariff: &Tariff, batch: &mut Batch) {
        for g in tariff.grants {
            let (unlimited, total) = match g.amount {
                None => (true, 0),
                Some(t) => (false, t),
            };
            let used = self.used(total, self.month_elapsed);
            batch.allowances.push(AllowanceRow {
                msisdn: sub.msisdn.clone(),
                source: "tariff",
                kind: g.kind,
                unlimited,
                available: total - used,
                total,
                connected_ms: self.month_start_ms,
                until_ms: self.next_month_ms,
            });
        }
    }

    /// One to four services the number's tariff and billing allow, at most one per family;
    /// packages were connected within their 30 days, and their allowances come with them.
    pub(super) fn services(&mut self, sub: &SubscriberRow, billing: BillingMethod, batch: &mut Batch) {
        let offered: Vec<_> = SERVICES.iter().filter(|s| s.offered_to(sub.tariff_code, billing)).collect();
        let want = self.rng.random_range(1..=4usize);
        let mut chosen: Vec<&catalog::Service> = Vec::new();
        for _ in 0..12 {
            if chosen.len() == want || offered.is_empty() {
                break;
            }
            let s = offered[self.rng.random_range(0..offered.len())];
            let clash = chosen.iter().any(|c| c.code == s.code || (s.family.is_some() && c.family == s.family));
            if !clash {
                chosen.push(s);
            }
        }
        for s in chosen {
            let is_package = !s.grants.is_empty() || s.family.is_some();
            let activated_ms = if is_package {
                self.ago(HOUR, (PACKAGE_DAYS - 1) * DAY).max(sub.created_ms)
            } else {
                self.ago(DAY, 3 * 365 * DAY).max(sub.created_ms)
            };
            let elapsed = (self.spec.now_ms - activated_ms) as f64 / (PACKAGE_DAYS * DAY) as f64;
            for g in s.grants {
                let total = g.amount.unwrap_or(0);
                let used = self.used(total, elapsed);
                batch.allowances.push(AllowanceRow {
                    msisdn: sub.msisdn.clone(),
                    source: s.code,
                    kind: g.kind,
                    unlimited: g.amount.is_none(),
                    available: total - used,
                    total,
                    connected_ms: activated_ms,
                    until_ms: activated_ms + PACKAGE_DAYS * DAY,
                });
            }
            batch.services.push(ServiceRow { msisdn: sub.msisdn.clone(), code: s.code, activated_ms });
        }
    }

    /// About one number in twenty has a device in instalments; a few have two.
    pub(super) fn contract_phones(&mut self, sub: &SubscriberRow, batch: &mut Batch) {
        if !self.chance(0.05) {
            return;
        }
        let count = if self.chance(0.12) { 2 } else { 1 };
        for seq in 1..=count {
            let (device_name, device_type, price) = DEVICES[self.rng.random_range(0..DEVICES.len())];
            let term_months: i64 = if self.chance(0.5) { 12 } else { 24 };
            let activated_ms = self.ago(10 * DAY, 30 * 30 * DAY).max(sub.created_ms);
            let terminates_ms = add_months(self.spec, activated_ms, term_months);
            let contract_price = price * 100;
            batch.phones.push(PhoneRow {
                msisdn: sub.msisdn.clone(),
                seq,
                device_name,
                device_type,
                active: terminates_ms > self.spec.now_ms,
                activated_ms,
                terminates_ms,
                term_months,
                // Rounded up to whole tenge, as instalment schedules are.
                monthly_payment: (contract_price + term_months * 100 - 1) / (term_months * 100) * 100,
                contract_price,
                promotion: if self.chance(0.85) { "Business Phone Plus" } else { "Business Phone" },
            });
        }
    }
}

/// `ms` plus whole calendar months in the operator's zone.
fn add_months(spec: &SeedSpec, ms: i64, months: i64) -> i64 {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|ts| ts.to_zoned(spec.zone.tz().clone()).checked_add(jiff::Span::new().months(months)).ok())
        .map_or(ms + months * 30 * DAY, |z| z.timestamp().as_millisecond())
}
