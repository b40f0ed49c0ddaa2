//! Roaming: the trips abroad of a number with the roaming service, its calls and data on
//! those days, and what they cost by zone and by the roaming pack on the number. Derived as
//! home usage is, without a table: a number's trips in a month are a function of the
//! customer, the number and the month, its records abroad of the customer, the number and
//! the day. Abroad the number keeps its home records too (forwarded calls, the home
//! network's sessions): roaming records come besides them, so the tariff's allowances, and
//! the profile that shows them, never depend on the trips.

use super::{DAY, Parties, Raw, fnv, hour, other};
use crate::catalog::{MB, MIN, Text};
use cabinet_core::Money;
use cabinet_core::operator::{Roaming, UsageKind, UsageRecord};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// A roaming zone: its countries, how often trips go there, and its prices in tenge (per
/// started minute of a call made, of a call received, per started megabyte).
struct Zone {
    countries: &'static [Text],
    weight: u32,
    call_out: i64,
    call_in: i64,
    data_mb: i64,
}

const fn c(ru: &'static str, en: &'static str, kk: &'static str) -> Text {
    Text { ru, en, kk }
}

/// Zones 1 to 4, nearest and cheapest first.
static ZONES: [Zone; 4] = [
    Zone {
        countries: &[
            c("Россия", "Russia", "Ресей"),
            c("Узбекистан", "Uzbekistan", "Өзбекстан"),
            c("Кыргызстан", "Kyrgyzstan", "Қырғызстан"),
            c("Грузия", "Georgia", "Грузия"),
        ],
        weight: 40,
        call_out: 60,
        call_in: 30,
        data_mb: 30,
    },
    Zone {
        countries: &[
            c("Турция", "Turkey", "Түркия"),
            c("Германия", "Germany", "Германия"),
            c("Италия", "Italy", "Италия"),
        ],
        weight: 25,
        call_out: 150,
        call_in: 75,
        data_mb: 60,
    },
    Zone {
        countries: &[
            c("Китай", "China", "Қытай"),
            c("ОАЭ", "United Arab Emirates", "БАӘ"),
            c("Южная Корея", "South Korea", "Оңтүстік Корея"),
            c("Таиланд", "Thailand", "Таиланд"),
        ],
        weight: 25,
        call_out: 200,
        call_in: 100,
        data_mb: 90,
    },
    Zone {
        countries: &[c("США", "United States", "АҚШ"), c("Канада", "Canada", "Канада")],
        weight: 10,
        call_out: 300,
        call_in: 150,
        data_mb: 150,
    },
];

/// Where a record before rating was made (indexes into `ZONES`), and for a fee the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    zone: u8,
    country: u8,
    incoming: bool,
    /// The start of the local day: a pack's daily fee and allowance are per day.
    day_start_ms: i64,
    pack: Option<&'static str>,
}

impl Place {
    fn roaming(&self) -> Roaming {
        let zone = &ZONES[usize::from(self.zone)];
        Roaming {
            zone: self.zone + 1,
            country: zone.countries[usize::from(self.country)].localized(),
            incoming: self.incoming,
            pack: self.pack.and_then(crate::catalog::service).map(|s| s.name.localized()),
        }
    }
}

/// A trip abroad: whole local days, all in one billing month, in one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    pub first: jiff::civil::Date,
    /// 2 to 7.
    pub days: i8,
    /// 1 to 4.
    pub zone: u8,
    country: u8,
}

impl Trip {
    pub fn covers(&self, d: jiff::civil::Date) -> bool {
        d >= self.first && (d - self.first).get_days() < i32::from(self.days)
    }

    pub fn country(&self) -> cabinet_core::Localized {
        ZONES[usize::from(self.zone - 1)].countries[usize::from(self.country)].localized()
    }
}

/// What a number has for roaming: the roaming service (on since when) and the roaming packs
/// on it (each since when).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub since_ms: i64,
    pub packs: Vec<(Pack, i64)>,
}

/// The roaming packs of the catalog and what each does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pack {
    /// `business_travel`: its daily fee on every day with roaming usage, then 30 minutes
    /// of calls and 500 MB that day.
    BusinessTravel,
    /// `atlas_pro`: its daily fee on every day with roaming data, whose data it covers
    /// whole (past 100 MB at a lower speed).
    AtlasPro,
    /// `roaming_1gb`: 1 GB of data in zones 1–3 for 7 days from its connection; its price
    /// with its first session.
    OneGb,
}

const BUSINESS_TRAVEL_CALLS: i64 = 30 * MIN;
const BUSINESS_TRAVEL_DATA: i64 = 500 * MB;
const ONE_GB: i64 = 1024 * MB;
const ONE_GB_DAYS: i64 = 7;

impl Pack {
    pub fn code(self) -> &'static str {
        match self {
            Pack::BusinessTravel => "business_travel",
            Pack::AtlasPro => "atlas_pro",
            Pack::OneGb => "roaming_1gb",
        }
    }

    fn from_code(code: &str) -> Option<Pack> {
        [Pack::BusinessTravel, Pack::AtlasPro, Pack::OneGb].into_iter().find(|p| p.code() == code)
    }

    /// Its fee (daily, or once for the 1 GB pack), from the catalog.
    pub fn fee(self) -> Money {
        Money(crate::catalog::service(self.code()).map_or(0, |s| s.price))
    }
}

impl Setup {
    /// The roaming setup of a number with these services (code, switched on at), or None
    /// when the roaming service is not among them: such a number never roams.
    pub fn of<'a>(services: impl IntoIterator<Item = (&'a str, i64)>) -> Option<Setup> {
        let mut since = None;
        let mut packs = Vec::new();
        for (code, at) in services {
            if code == "roaming" {
                since = Some(at);
            } else if let Some(p) = Pack::from_code(code) {
                packs.push((p, at));
            }
        }
        packs.sort_by_key(|(p, at)| (*at, p.code()));
        since.map(|since_ms| Setup { since_ms, packs })
    }
}

/// The number's trips in the billing month starting on `first`, in date order: about one
/// roaming number in three travels in a month, a few twice.
pub fn trips(bin: &str, msisdn: &str, first: jiff::civil::Date) -> Vec<Trip> {
    let first = first.first_of_month();
    let month = (i32::from(first.year()) * 12 + i32::from(first.month())).to_le_bytes();
    let mut rng = ChaCha8Rng::seed_from_u64(fnv(&[bin.as_bytes(), msisdn.as_bytes(), &month, b"trips"]));
    if rng.random_range(0..100) >= 35 {
        return Vec::new();
    }
    let count = if rng.random_range(0..5) == 0 { 2 } else { 1 };
    let month_days = i16::from(first.days_in_month());
    let mut out: Vec<Trip> = Vec::with_capacity(count);
    for _ in 0..count {
        let days: i8 = rng.random_range(2..=7);
        let start: i16 = rng.random_range(0..=month_days - i16::from(days));
        let mut pick = rng.random_range(0..ZONES.iter().map(|z| z.weight).sum::<u32>());
        let mut zone = 0;
        while pick >= ZONES[zone].weight {
            pick -= ZONES[zone].weight;
            zone += 1;
        }
        let country = rng.random_range(0..ZONES[zone].countries.len()) as u8;
        let Ok(first_day) = first.checked_add(jiff::Span::new().days(i64::from(start))) else { continue };
        let trip = Trip { first: first_day, days, zone: zone as u8 + 1, country };
        let last = |t: &Trip| t.first.checked_add(jiff::Span::new().days(i64::from(t.days) - 1)).unwrap_or(t.first);
        if out.iter().all(|t| last(&trip) < t.first || trip.first > last(t)) {
            out.push(trip);
        }
    }
    out.sort_by_key(|t| t.first);
    out
}

/// The number's calls and data sessions abroad on a day of `trip` that starts at
/// `day_start_ms`: some calls (a third of them received), one to five data sessions.
pub(crate) fn day(
    bin: &str,
    msisdn: &str,
    trip: &Trip,
    day_start_ms: i64,
    (from_ms, until_ms): (i64, i64),
    parties: Parties,
) -> Vec<Raw> {
    let day_no = day_start_ms.div_euclid(DAY);
    let mut rng =
        ChaCha8Rng::seed_from_u64(fnv(&[bin.as_bytes(), msisdn.as_bytes(), &day_no.to_le_bytes(), b"roaming"]));
    let place = |incoming| Place { zone: trip.zone - 1, country: trip.country, incoming, day_start_ms, pack: None };
    let at = |rng: &mut ChaCha8Rng| day_start_ms + hour(rng) * 3_600_000 + rng.random_range(0..3_600_000);
    let mut out = Vec::new();
    for _ in 0..rng.random_range(0..=4) {
        let incoming = rng.random_range(0..3) == 0;
        let seconds =
            if rng.random_range(0..10) == 0 { rng.random_range(300..1_800) } else { rng.random_range(10..300) };
        // Calls abroad are mostly with colleagues at home.
        let home = if rng.random_range(0..2) == 0 { UsageKind::OnNetCall } else { UsageKind::OffNetCall };
        out.push(Raw {
            at_ms: at(&mut rng),
            kind: UsageKind::RoamingCall,
            other: other(&mut rng, home, parties),
            quantity: seconds,
            roaming: Some(place(incoming)),
        });
    }
    for _ in 0..rng.random_range(1..=5) {
        let kb =
            if rng.random_range(0..10) == 0 { rng.random_range(20_000..80_000) } else { rng.random_range(100..8_000) };
        let other = other(&mut rng, UsageKind::Data, parties);
        out.push(Raw {
            at_ms: at(&mut rng),
            kind: UsageKind::RoamingData,
            other,
            quantity: kb,
            roaming: Some(place(false)),
        });
    }
    out.retain(|r| r.at_ms >= from_ms && r.at_ms < until_ms);
    out
}

/// What one started unit of a call or data session abroad costs, and how big a unit is: a
/// minute (a received call at half the price of one made), a megabyte.
pub fn price(kind: UsageKind, roaming: &Roaming) -> (i64, Money) {
    let zone = &ZONES[usize::from(roaming.zone.clamp(1, 4) - 1)];
    let per_unit = match kind {
        UsageKind::RoamingData => zone.data_mb,
        _ if roaming.incoming => zone.call_in,
        _ => zone.call_out,
    };
    (super::unit_size(kind), Money(per_unit * 100))
}

/// Rates a billing month's roaming records in time order: the pack on the number at each
/// record's time first (with its fee on the first record of a day it is used), the rest at
/// the zone's prices.
pub(crate) struct Rater<'a> {
    setup: &'a Setup,
    /// The day the daily counters are for.
    day_start_ms: i64,
    fee_charged: Vec<Pack>,
    calls_left: i64,
    data_left: i64,
    /// What is left of the 1 GB pack (charged once).
    one_gb_left: Option<i64>,
}

impl<'a> Rater<'a> {
    pub(crate) fn new(setup: &'a Setup) -> Rater<'a> {
        Rater { setup, day_start_ms: i64::MIN, fee_charged: Vec::new(), calls_left: 0, data_left: 0, one_gb_left: None }
    }

    /// The pack that covers a record of `kind` at `at_ms` in zone `zone` (0-based), if any.
    fn pack_for(&self, kind: UsageKind, at_ms: i64, zone: u8) -> Option<Pack> {
        self.setup.packs.iter().rev().find_map(|(p, since)| {
            let on = *since <= at_ms;
            let fits = match p {
                Pack::BusinessTravel => true,
                Pack::AtlasPro => kind == UsageKind::RoamingData,
                Pack::OneGb => kind == UsageKind::RoamingData && at_ms < since + ONE_GB_DAYS * DAY && zone < 3,
            };
            (on && fits).then_some(*p)
        })
    }

    /// The record rated, after the fee it brings, if it is the first of its day (or of the
    /// pack) to use a pack.
    pub(crate) fn rate(&mut self, r: Raw, out: &mut Vec<UsageRecord>) {
        let Some(place) = r.roaming else { return };
        if place.day_start_ms != self.day_start_ms {
            self.day_start_ms = place.day_start_ms;
            self.fee_charged.clear();
            self.calls_left = BUSINESS_TRAVEL_CALLS;
            self.data_left = BUSINESS_TRAVEL_DATA;
        }
        let pack = self.pack_for(r.kind, r.at_ms, place.zone);
        if let Some(p) = pack {
            let due = match p {
                Pack::OneGb => self.one_gb_left.is_none(),
                _ => !self.fee_charged.contains(&p),
            };
            if due {
                if p == Pack::OneGb {
                    self.one_gb_left = Some(ONE_GB);
                }
                self.fee_charged.push(p);
                let fee_place = Place { pack: Some(p.code()), incoming: false, ..place };
                out.push(UsageRecord {
                    at_ms: r.at_ms,
                    kind: UsageKind::RoamingFee,
                    other: String::new(),
                    quantity: 1,
                    from_allowance: 0,
                    charge: p.fee(),
                    roaming: Some(fee_place.roaming()),
                });
            }
        }
        let from_allowance = match (pack, r.kind) {
            (Some(Pack::AtlasPro), _) => r.quantity,
            (Some(Pack::BusinessTravel), UsageKind::RoamingCall) => take(&mut self.calls_left, r.quantity),
            (Some(Pack::BusinessTravel), _) => take(&mut self.data_left, r.quantity),
            (Some(Pack::OneGb), _) => take(self.one_gb_left.get_or_insert(0), r.quantity),
            (None, _) => 0,
        };
        let roaming = place.roaming();
        let (unit, per_unit) = price(r.kind, &roaming);
        let units = super::started_units(r.quantity - from_allowance, unit);
        out.push(UsageRecord {
            at_ms: r.at_ms,
            kind: r.kind,
            other: r.other,
            quantity: r.quantity,
            from_allowance,
            charge: Money(units * per_unit.tiyn()),
            roaming: Some(roaming),
        });
    }
}

/// Up to `quantity` taken from what is `left`.
fn take(left: &mut i64, quantity: i64) -> i64 {
    let used = quantity.min(*left).max(0);
    *left -= used;
    used
}

/// The number's records abroad in `[from, to)` (whole local days of its trips, from the
/// moment the roaming service was switched on; none before `created_ms` or from `until_ms`
/// on), in time order.
pub(crate) fn records_between(
    zone: &cabinet_core::time::OperatorZone,
    bin: &str,
    msisdn: &str,
    setup: &Setup,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    (created_ms, until_ms): (i64, i64),
    parties: Parties,
) -> Vec<Raw> {
    let mut out = Vec::new();
    let cut = (created_ms.max(setup.since_ms), until_ms);
    let mut month = from.first_of_month();
    while month < to {
        for trip in trips(bin, msisdn, month) {
            let mut d = trip.first.max(from);
            while trip.covers(d) && d < to {
                let start = zone.start_of_day_ms(d);
                if start >= until_ms {
                    break;
                }
                let mut records = day(bin, msisdn, &trip, start, cut, parties);
                records.sort_by_key(|r| r.at_ms);
                out.extend(records);
                let Ok(next) = d.tomorrow() else { break };
                d = next;
            }
        }
        let Some(next) = month.last_of_month().tomorrow().ok() else { break };
        month = next;
    }
    out
}

impl<'a> Rater<'a> {
    /// A rater for the billing month that starts on `first`: a 1 GB pack connected in the
    /// month before, still running, comes with what its days then used (and its price paid).
    pub(crate) fn for_month(
        zone: &cabinet_core::time::OperatorZone,
        bin: &str,
        msisdn: &str,
        setup: &'a Setup,
        first: jiff::civil::Date,
        cut: (i64, i64),
    ) -> Rater<'a> {
        let mut rater = Rater::new(setup);
        let month_start = zone.start_of_day_ms(first);
        let carried = setup
            .packs
            .iter()
            .filter(|(p, since)| *p == Pack::OneGb && *since < month_start && since + ONE_GB_DAYS * DAY > month_start);
        if let Some(since) = carried.map(|(_, since)| *since).max() {
            let from = zone.civil_date(since).unwrap_or(first);
            let before = records_between(zone, bin, msisdn, setup, (from, first), cut, Parties::Unnamed);
            let mut scratch = Vec::new();
            for r in before {
                rater.rate(r, &mut scratch);
            }
        }
        rater
    }
}

/// What an invoice calls a line of a roaming kind.
pub fn kind_name(kind: UsageKind) -> Text {
    match kind {
        UsageKind::RoamingData => c("Роуминг: интернет", "Roaming data", "Роуминг: интернет"),
        UsageKind::RoamingFee => c("Роуминг: пакеты", "Roaming packs", "Роуминг: пакеттер"),
        _ => c("Роуминг: звонки", "Roaming calls", "Роуминг: қоңыраулар"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    /// A record abroad in zone `zone` (1–4) on day `day` (from 0) at `hour`.
    fn raw(kind: UsageKind, day: i64, hour: i64, quantity: i64, zone: u8) -> Raw {
        let day_start_ms = day * DAY;
        let place = Place { zone: zone - 1, country: 0, incoming: false, day_start_ms, pack: None };
        Raw { at_ms: day_start_ms + hour * HOUR, kind, other: "77010000000".into(), quantity, roaming: Some(place) }
    }

    fn rated(setup: &Setup, raws: Vec<Raw>) -> Vec<UsageRecord> {
        let mut rater = Rater::new(setup);
        let mut out = Vec::new();
        for r in raws {
            rater.rate(r, &mut out);
        }
        out
    }

    fn with(pack: Option<(Pack, i64)>) -> Setup {
        Setup { since_ms: 0, packs: pack.into_iter().collect() }
    }

    fn fees(records: &[UsageRecord]) -> Vec<(i64, i64)> {
        records.iter().filter(|r| r.kind == UsageKind::RoamingFee).map(|r| (r.at_ms / DAY, r.charge.tiyn())).collect()
    }

    /// Three days abroad: calls and data on day 0, calls only on day 2, data only on day 3.
    fn trip() -> Vec<Raw> {
        vec![
            raw(UsageKind::RoamingCall, 0, 9, 1_500, 2),
            raw(UsageKind::RoamingData, 0, 10, 400 * MB, 2),
            raw(UsageKind::RoamingCall, 0, 11, 400, 2),
            raw(UsageKind::RoamingData, 0, 12, 150 * MB, 2),
            raw(UsageKind::RoamingCall, 2, 9, 61, 2),
            raw(UsageKind::RoamingData, 3, 9, 10 * MB + 1, 2),
        ]
    }

    #[test]
    fn without_a_pack_each_record_costs_the_zones_price_per_started_unit() {
        let records = rated(&with(None), trip());
        assert!(fees(&records).is_empty());
        let charges: Vec<i64> = records.iter().map(|r| r.charge.tiyn()).collect();
        // Zone 2: 150 ₸ a minute made, 60 ₸ a megabyte.
        assert_eq!(
            charges,
            [25 * 150 * 100, 400 * 60 * 100, 7 * 150 * 100, 150 * 60 * 100, 2 * 150 * 100, 11 * 60 * 100]
        );
        assert!(records.iter().all(|r| r.from_allowance == 0 && r.roaming.as_ref().unwrap().zone == 2));
        let incoming = Roaming { incoming: true, ..records[0].roaming.clone().unwrap() };
        assert_eq!(price(UsageKind::RoamingCall, &incoming), (60, Money(75 * 100)), "a call received at half");
    }

    #[test]
    fn business_travel_charges_its_fee_only_on_days_used_and_its_allowance_comes_first() {
        let records = rated(&with(Some((Pack::BusinessTravel, 0))), trip());
        assert_eq!(
            fees(&records),
            [(0, 1_990 * 100), (2, 1_990 * 100), (3, 1_990 * 100)],
            "no fee on day 1, without usage"
        );
        let usage: Vec<_> = records.iter().filter(|r| r.kind != UsageKind::RoamingFee).collect();
        // 30 minutes of calls a day: 1,500 s, then 300 of the next 400 s; 500 MB: 400, then 100 of 150.
        let covered: Vec<i64> = usage.iter().map(|r| r.from_allowance).collect();
        assert_eq!(covered, [1_500, 400 * MB, 300, 100 * MB, 61, 10 * MB + 1]);
        let charges: Vec<i64> = usage.iter().map(|r| r.charge.tiyn()).collect();
        assert_eq!(charges, [0, 0, 2 * 150 * 100, 50 * 60 * 100, 0, 0], "only what the day's allowance left over");
        // The fee comes first in the day, at its first record's instant.
        let first = records.iter().position(|r| r.kind == UsageKind::RoamingFee).unwrap();
        assert_eq!((first, records[first].at_ms), (0, records[1].at_ms));
        assert_eq!(records[0].roaming.as_ref().unwrap().pack.as_ref().unwrap().en, "Business travel");
    }

    #[test]
    fn atlas_pro_covers_data_on_days_with_data_and_leaves_calls_at_the_zones_prices() {
        let records = rated(&with(Some((Pack::AtlasPro, 0))), trip());
        assert_eq!(fees(&records), [(0, 950 * 100), (3, 950 * 100)], "day 2 had calls only");
        for r in records.iter().filter(|r| r.kind == UsageKind::RoamingData) {
            assert_eq!((r.from_allowance, r.charge), (r.quantity, Money::ZERO));
        }
        let calls: Vec<i64> =
            records.iter().filter(|r| r.kind == UsageKind::RoamingCall).map(|r| r.charge.tiyn()).collect();
        assert_eq!(calls, [25 * 150 * 100, 7 * 150 * 100, 2 * 150 * 100]);
    }

    #[test]
    fn one_gb_is_charged_once_and_covers_data_in_its_zones_for_seven_days() {
        let raws = vec![
            raw(UsageKind::RoamingData, 1, 9, 700 * MB, 1),
            raw(UsageKind::RoamingData, 2, 9, 400 * MB, 1),
            raw(UsageKind::RoamingData, 3, 9, 10 * MB, 4),
            raw(UsageKind::RoamingData, 8, 9, 10 * MB, 1),
        ];
        let records = rated(&with(Some((Pack::OneGb, DAY))), raws);
        assert_eq!(fees(&records), [(1, 4_990 * 100)], "its price once, with its first session");
        let data: Vec<_> = records.iter().filter(|r| r.kind == UsageKind::RoamingData).collect();
        let covered: Vec<i64> = data.iter().map(|r| r.from_allowance).collect();
        assert_eq!(covered, [700 * MB, 324 * MB, 0, 0], "1 GB, not zone 4, not after 7 days");
        let charges: Vec<i64> = data.iter().map(|r| r.charge.tiyn()).collect();
        assert_eq!(charges, [0, 76 * 30 * 100, 10 * 150 * 100, 10 * 30 * 100]);
    }

    #[test]
    fn a_pack_applies_from_the_moment_it_is_switched_on() {
        let records = rated(&with(Some((Pack::BusinessTravel, 11 * HOUR))), trip());
        assert_eq!(fees(&records), [(0, 1_990 * 100), (2, 1_990 * 100), (3, 1_990 * 100)]);
        let first_two: Vec<i64> = records.iter().take(2).map(|r| r.charge.tiyn()).collect();
        assert_eq!(first_two, [25 * 150 * 100, 400 * 60 * 100], "before it, the zone's prices");
        assert_eq!(records[2].kind, UsageKind::RoamingFee);
    }

    #[test]
    fn trips_are_whole_days_inside_the_month_for_a_few_numbers() {
        let first = jiff::civil::date(2026, 2, 1);
        let mut travelling = 0;
        for i in 0..1_000 {
            let msisdn = format!("7701{i:07}");
            let trips = trips("940740000015", &msisdn, first);
            assert_eq!(trips, super::trips("940740000015", &msisdn, first), "the same every time");
            travelling += usize::from(!trips.is_empty());
            for (k, t) in trips.iter().enumerate() {
                assert!((2..=7).contains(&t.days) && (1..=4).contains(&t.zone));
                let last = t.first.checked_add(jiff::Span::new().days(i64::from(t.days) - 1)).unwrap();
                assert_eq!((t.first.month(), last.month()), (2, 2), "{t:?}");
                assert!(trips[k + 1..].iter().all(|u| !u.covers(t.first) && !u.covers(last) && !t.covers(u.first)));
            }
        }
        assert!((250..450).contains(&travelling), "about a third travel in a month ({travelling})");
    }
}
