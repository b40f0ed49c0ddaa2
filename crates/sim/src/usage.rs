//! Usage of a number: its calls, messages and data sessions, derived rather than stored (a
//! 100,000-number company has millions a month). A number's records for a day are a pure
//! function of the customer, the number and the day, so every screen and file that asks
//! sees the same ones; rating folds a billing month's records in time order against the
//! tariff's allowances, then its prices. A number with the roaming service travels now and
//! then (`roaming`): on those days it has records abroad too, rated by zone and pack.

pub mod allowances;
pub(crate) mod package_days;
pub mod roaming;

pub(crate) use allowances::{Allowances, PackageGrant};

use crate::catalog::{self, Tariff};
use cabinet_core::Money;
use cabinet_core::operator::{AllowanceKind, UsageKind, UsageRecord, UsageTotal, UsageUnit};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

pub(crate) const DAY: i64 = 86_400_000;

/// A record before rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub at_ms: i64,
    pub kind: UsageKind,
    pub other: String,
    pub quantity: i64,
    /// Where a record abroad was made.
    pub roaming: Option<roaming::Place>,
}

/// FNV-1a over `parts` (each ended by a separator): a seed for a generator that is stable
/// across builds and platforms (std's hasher is not).
pub(crate) fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How much this number talks, texts and browses, drawn once: 0.3 (a spare SIM) to 2.5.
fn intensity(bin: &str, msisdn: &str) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(fnv(&[bin.as_bytes(), msisdn.as_bytes(), b"intensity"]));
    rng.random_range(0.3..2.5)
}

/// Hours of the day by weight: working hours busy, nights quiet.
const HOURS: [u32; 24] = [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 20, 18, 18, 20, 20, 18, 16, 12, 10, 8, 6, 4, 2];

/// Σ HOURS.
const HOURS_TOTAL: u32 = {
    let mut total = 0;
    let mut i = 0;
    while i < HOURS.len() {
        total += HOURS[i];
        i += 1;
    }
    total
};

fn hour(rng: &mut ChaCha8Rng) -> i64 {
    let mut pick = rng.random_range(0..HOURS_TOTAL);
    for (h, w) in HOURS.iter().enumerate() {
        if pick < *w {
            return h as i64;
        }
        pick -= w;
    }
    12
}

/// Whether records name their other party. Billing and the allowances need only the
/// quantities: the generator then draws the same numbers (so every record is the same) but
/// spells no party out, which is most of its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parties {
    Named,
    Unnamed,
}

fn digits(rng: &mut ChaCha8Rng, n: usize, parties: Parties) -> String {
    let digits = (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8)));
    match parties {
        Parties::Named => digits.collect(),
        Parties::Unnamed => {
            digits.for_each(drop);
            String::new()
        }
    }
}

/// The other party of a call or message of this kind.
fn other(rng: &mut ChaCha8Rng, kind: UsageKind, parties: Parties) -> String {
    const ON_NET: [&str; 4] = ["701", "702", "775", "778"];
    const OFF_NET: [&str; 4] = ["705", "707", "747", "771"];
    const LANDLINE: [&str; 3] = ["727", "717", "7122"];
    const ABROAD: [&str; 5] = ["49", "86", "90", "971", "44"];
    let pick = |rng: &mut ChaCha8Rng, xs: &[&'static str]| xs[rng.random_range(0..xs.len())];
    let (code, rest, prefix) = match kind {
        UsageKind::OnNetCall | UsageKind::Sms => (pick(rng, &ON_NET), 7, "7"),
        UsageKind::OffNetCall => (pick(rng, &OFF_NET), 7, "7"),
        UsageKind::LandlineCall => {
            let code = pick(rng, &LANDLINE);
            (code, 10 - code.len(), "7")
        }
        UsageKind::InternationalCall => {
            let code = pick(rng, &ABROAD);
            (code, 10 - code.len().min(3), "")
        }
        UsageKind::Data | UsageKind::RoamingData => {
            return match parties {
                Parties::Named => "internet".to_string(),
                Parties::Unnamed => String::new(),
            };
        }
        UsageKind::RoamingCall | UsageKind::RoamingFee => return String::new(),
    };
    let tail = digits(rng, rest, parties);
    match parties {
        Parties::Named => format!("{prefix}{code}{tail}"),
        Parties::Unnamed => tail,
    }
}

/// Saturdays and Sundays, when people call less.
fn is_weekend(d: jiff::civil::Date) -> bool {
    matches!(d.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday)
}

/// The number's records of the local day starting at `day_start_ms` (none before
/// `from_ms` or from `until_ms` on: before the number existed, once it is blocked, after
/// now), in time order.
pub(crate) fn day(
    bin: &str,
    msisdn: &str,
    day_start_ms: i64,
    weekend: bool,
    (from_ms, until_ms): (i64, i64),
    parties: Parties,
) -> Vec<Raw> {
    day_of(bin, msisdn, intensity(bin, msisdn), day_start_ms, weekend, (from_ms, until_ms), parties)
}

/// `day` for a number whose intensity is known (drawing it costs a generator of its own).
fn day_of(
    bin: &str,
    msisdn: &str,
    intensity: f64,
    day_start_ms: i64,
    weekend: bool,
    (from_ms, until_ms): (i64, i64),
    parties: Parties,
) -> Vec<Raw> {
    let day_no = day_start_ms.div_euclid(DAY);
    let mut rng = ChaCha8Rng::seed_from_u64(fnv(&[bin.as_bytes(), msisdn.as_bytes(), &day_no.to_le_bytes()]));
    let scale = intensity * if weekend { 0.4 } else { 1.0 };
    let count = |rng: &mut ChaCha8Rng, lo: f64, hi: f64| (rng.random_range(lo..hi) * scale).round() as usize;
    let mut out = Vec::new();
    let at = |rng: &mut ChaCha8Rng| day_start_ms + hour(rng) * 3_600_000 + rng.random_range(0..3_600_000);
    // Calibrated to a corporate number's month at the average intensity: about 500 minutes
    // of calls, 2–3 GB of data, some overrun of the smaller tariffs' allowances. (At 2–12 calls
    // a day, one in ten long, and one data session in eight of 50–400 MB, an average number
    // ran some 1,300 minutes and 10 GB a month: invoices of ~54,000 ₸ a number.)
    for _ in 0..count(&mut rng, 1.0, 6.0) {
        let kind = match rng.random_range(0..100) {
            0..45 => UsageKind::OnNetCall,
            45..77 => UsageKind::OffNetCall,
            77..97 => UsageKind::LandlineCall,
            _ => UsageKind::InternationalCall,
        };
        // Most calls are short; a few run long.
        let seconds =
            if rng.random_range(0..20) == 0 { rng.random_range(300..2_400) } else { rng.random_range(5..300) };
        let other = other(&mut rng, kind, parties);
        out.push(Raw { at_ms: at(&mut rng), kind, other, quantity: seconds, roaming: None });
    }
    for _ in 0..count(&mut rng, 0.0, 5.0) {
        out.push(Raw {
            at_ms: at(&mut rng),
            kind: UsageKind::Sms,
            other: other(&mut rng, UsageKind::Sms, parties),
            quantity: 1,
            roaming: None,
        });
    }
    for _ in 0..count(&mut rng, 2.0, 7.0) {
        let kb =
            if rng.random_range(0..20) == 0 { rng.random_range(20_000..200_000) } else { rng.random_range(50..15_000) };
        let other = other(&mut rng, UsageKind::Data, parties);
        out.push(Raw { at_ms: at(&mut rng), kind: UsageKind::Data, other, quantity: kb, roaming: None });
    }
    out.retain(|r| r.at_ms >= from_ms && r.at_ms < until_ms);
    out.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.kind.code().cmp(b.kind.code())));
    out
}

/// What one unit beyond the allowances costs at home, and how big a unit is: a started
/// minute, a message, a started megabyte. None for the roaming kinds (`roaming::price`
/// prices them by zone).
pub fn price(tariff: &Tariff, kind: UsageKind) -> Option<(i64, Money)> {
    let tenge = |t: i64| Money(t * 100);
    let m2m = tariff.code == "m2m";
    let per_unit = match kind {
        UsageKind::OnNetCall => tenge(10),
        UsageKind::OffNetCall => tenge(if m2m { 40 } else { 25 }),
        UsageKind::LandlineCall => tenge(20),
        UsageKind::InternationalCall => tenge(150),
        UsageKind::Sms => tenge(15),
        UsageKind::Data => tenge(10),
        UsageKind::RoamingCall | UsageKind::RoamingData | UsageKind::RoamingFee => return None,
    };
    Some((unit_size(kind), per_unit))
}

/// How big a charged unit of the kind is: a started minute, a message, a started megabyte,
/// a fee.
pub fn unit_size(kind: UsageKind) -> i64 {
    match kind.unit() {
        UsageUnit::Seconds => catalog::MIN,
        UsageUnit::Kilobytes => catalog::MB,
        UsageUnit::Messages | UsageUnit::Fees => 1,
    }
}

/// How many units of `unit` the part of a record no allowance covered (`beyond`) is charged
/// as: every started one counts.
pub(crate) fn started_units(beyond: i64, unit: i64) -> i64 {
    (beyond + unit - 1) / unit
}

/// Rates records in time order against `allowances` (the caller renews the tariff's at each
/// billing month's start): at home each draws on its allowances first, what is left over
/// costs the tariff's price per started unit; abroad the number's roaming pack and the
/// zone's prices apply (`roaming`).
pub(crate) fn rate(
    allowances: &mut Allowances<'_>,
    tariff: &Tariff,
    raws: Vec<Raw>,
    mut abroad: Option<roaming::Rater>,
) -> Vec<UsageRecord> {
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        if r.roaming.is_some() {
            if let Some(rater) = abroad.as_mut() {
                rater.rate(r, &mut out);
            }
            continue;
        }
        let from_allowance = r.kind.allowance().map_or(0, |kind| allowances.take(kind, r.at_ms, r.quantity));
        let Some((unit, per_unit)) = price(tariff, r.kind) else { continue };
        let units = started_units(r.quantity - from_allowance, unit);
        out.push(UsageRecord {
            at_ms: r.at_ms,
            kind: r.kind,
            other: r.other,
            quantity: r.quantity,
            from_allowance,
            charge: Money(units * per_unit.tiyn()),
            roaming: None,
        });
    }
    out
}

/// The records added up by kind, in the kinds' order; kinds without records are left out.
pub(crate) fn totals(records: &[UsageRecord]) -> Vec<UsageTotal> {
    UsageKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let of: Vec<_> = records.iter().filter(|r| r.kind == kind).collect();
            (!of.is_empty()).then(|| UsageTotal {
                kind,
                records: of.len() as u64,
                quantity: of.iter().map(|r| r.quantity).sum(),
                from_allowance: of.iter().map(|r| r.from_allowance).sum(),
                charge: Money(of.iter().map(|r| r.charge.tiyn()).sum()),
            })
        })
        .collect()
}

/// The tariff a number's records are rated against.
pub(crate) fn tariff_of(code: &str) -> &'static Tariff {
    catalog::tariff(code).unwrap_or(&catalog::TARIFFS[0])
}

/// The number's rated records in `[from_ms, to_ms)` (cut at `now_ms`), or None when it is
/// not the customer's. Each billing month touched is rated from its first day, so that a
/// record in mid-month finds its allowances as they stood.
pub(crate) async fn report(
    db: &cabinet_store::Db,
    zone: &cabinet_core::time::OperatorZone,
    customer: &cabinet_core::Bin,
    msisdn: &cabinet_core::Msisdn,
    from_ms: i64,
    to_ms: i64,
    now_ms: i64,
) -> Result<Option<cabinet_core::operator::UsageReport>, crate::SimError> {
    use jiff::ToSpan;
    let row = db
        .select(number_sql(db.dialect()))
        .text(msisdn.as_str())
        .text(customer.as_str())
        .optional(|r| Ok((r.text(0)?, r.text(1)?, r.int(2)?, r.int(3)?, r.opt_text(4)?, r.opt_text(5)?)))
        .await?;
    let Some((tariff_code, state, state_changed_ms, created_ms, services, packages)) = row else { return Ok(None) };
    let services: Vec<(String, i64)> = crate::json_rows::parse(services)?;
    let roaming = roaming::Setup::of(services.iter().map(|(code, at)| (code.as_str(), *at)));
    let packages: Vec<allowances::StoredGrantRow> = crate::json_rows::parse(packages)?;
    let packages = PackageGrant::of_rows(packages.iter().map(allowances::grant_row));
    // A blocked number makes no calls: nothing from the moment it was blocked.
    let blocked_since = (state != "active").then_some(state_changed_ms);
    let until = to_ms.min(now_ms).min(blocked_since.unwrap_or(i64::MAX));
    let tariff = tariff_of(&tariff_code);
    // Nothing before the number existed: the months before it need no walking. The months
    // are rated in one pass, so a package carried from one into the next is rated once.
    let Some(first) = zone.civil_date(from_ms.max(created_ms)) else { return Ok(None) };
    let Some(last) = zone.civil_date(until.max(from_ms.max(created_ms) + 1) - 1) else { return Ok(None) };
    let end = last.first_of_month().checked_add(1.month()).map_err(|e| crate::SimError::BadData(e.to_string()))?;
    let number = (customer.as_str(), msisdn.as_str());
    let cut = (created_ms, until);
    let (rated, _) = fold_months(
        zone,
        number,
        tariff,
        roaming.as_ref(),
        &packages,
        cut,
        (first.first_of_month(), end),
        Parties::Named,
    )?;
    let records: Vec<UsageRecord> = rated.into_iter().filter(|r| r.at_ms >= from_ms && r.at_ms < to_ms).collect();
    let totals = totals(&records);
    Ok(Some(cabinet_core::operator::UsageReport { records, totals }))
}

/// What the usage details need of a number, in one statement (`json_rows`): its tariff,
/// state, creation, services (roaming) and package allowances.
fn number_sql(dialect: cabinet_store::Dialect) -> &'static str {
    static SQL: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
        [cabinet_store::Dialect::Sqlite, cabinet_store::Dialect::Postgres].map(|d| {
            format!(
                "SELECT s.tariff_code, s.state, s.state_changed_ms, s.created_ms, {}, {} \
                 FROM sim_subscribers s WHERE s.msisdn = $1 AND s.bin = $2",
                crate::json_rows::column(
                    d,
                    "service_code, activated_ms",
                    "sim_subscriber_services WHERE msisdn = s.msisdn"
                ),
                crate::json_rows::column(
                    d,
                    PACKAGE_COLUMNS,
                    "sim_allowances WHERE msisdn = s.msisdn AND source <> 'tariff'"
                ),
            )
        })
    });
    &SQL[usize::from(dialect == cabinet_store::Dialect::Postgres)]
}

/// A number's allowance rows other than its tariff's, as `PackageGrant::of_rows` takes them.
const PACKAGE_COLUMNS: &str = "source, kind, CAST(unlimited AS BIGINT), total, connected_ms, until_ms";

/// The number's records of the billing month that starts on `first` (none before
/// `created_ms` or from `until_ms` on), rated from the month's first day: what the usage
/// details show for the month and what its invoice charges. With a roaming setup, its
/// trips' records abroad come in time order among the home ones.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rated_month(
    zone: &cabinet_core::time::OperatorZone,
    number: (&str, &str),
    tariff: &Tariff,
    setup: Option<&roaming::Setup>,
    packages: &[PackageGrant],
    cut: (i64, i64),
    first: jiff::civil::Date,
    parties: Parties,
) -> Result<Vec<UsageRecord>, crate::SimError> {
    Ok(fold_month(zone, number, tariff, setup, packages, cut, first, parties)?.0)
}

/// `rated_month`'s records, and where the allowances stand after them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fold_month<'p>(
    zone: &cabinet_core::time::OperatorZone,
    number: (&str, &str),
    tariff: &'p Tariff,
    setup: Option<&roaming::Setup>,
    packages: &'p [PackageGrant],
    cut: (i64, i64),
    first: jiff::civil::Date,
    parties: Parties,
) -> Result<(Vec<UsageRecord>, Allowances<'p>), crate::SimError> {
    use jiff::ToSpan;
    let first = first.first_of_month();
    let next = first.checked_add(1.month()).map_err(|e| crate::SimError::BadData(e.to_string()))?;
    fold_months(zone, number, tariff, setup, packages, cut, (first, next), parties)
}

/// The number's records of the billing months from `first` up to `end` (both first days of
/// months), each month rated from its first day, the tariff's allowances renewed at each
/// and a package's running on across them; and where the allowances stand after them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fold_months<'p>(
    zone: &cabinet_core::time::OperatorZone,
    (bin, msisdn): (&str, &str),
    tariff: &'p Tariff,
    setup: Option<&roaming::Setup>,
    packages: &'p [PackageGrant],
    (created_ms, until_ms): (i64, i64),
    (first, end): (jiff::civil::Date, jiff::civil::Date),
    parties: Parties,
) -> Result<(Vec<UsageRecord>, Allowances<'p>), crate::SimError> {
    use jiff::ToSpan;
    let bad = |e: jiff::Error| crate::SimError::BadData(e.to_string());
    let intensity = intensity(bin, msisdn);
    let cut = (created_ms, until_ms);
    let mut allowances = Allowances::new(tariff, packages);
    // A package connected before `first` spent part of itself then, after those months'
    // tariff allowances: rate the home usage from the start of its month first.
    let (start_ms, end_ms) = (zone.start_of_day_ms(first), zone.start_of_day_ms(end));
    let earliest = packages.iter().filter(|p| p.overlaps(start_ms, end_ms)).map(|p| p.from_ms).min();
    if let Some(mut m) = earliest.filter(|f| *f < start_ms).and_then(|f| zone.civil_date(f)).map(|d| d.first_of_month())
    {
        while m < first {
            let m_next = m.checked_add(1.month()).map_err(bad)?;
            let raws = home_raws(zone, (bin, msisdn), intensity, (m, m_next), cut, Parties::Unnamed)?;
            rate(&mut allowances, tariff, raws, None);
            allowances.renew();
            m = m_next;
        }
    }
    let mut records = Vec::new();
    let mut month = first;
    while month < end && zone.start_of_day_ms(month) < until_ms {
        let next = month.checked_add(1.month()).map_err(bad)?;
        let mut raws = home_raws(zone, (bin, msisdn), intensity, (month, next), cut, parties)?;
        // Only a number with the roaming service draws anything more.
        let abroad = match setup {
            None => None,
            Some(setup) => {
                let more = roaming::records_between(zone, bin, msisdn, setup, (month, next), cut, parties);
                if !more.is_empty() {
                    raws.extend(more);
                    // Stable: a home record keeps its place before a roaming one at the same instant.
                    raws.sort_by_key(|r| r.at_ms);
                }
                Some(roaming::Rater::for_month(zone, bin, msisdn, setup, month, cut))
            }
        };
        if month > first {
            allowances.renew();
        }
        records.extend(rate(&mut allowances, tariff, raws, abroad));
        month = next;
    }
    Ok((records, allowances))
}

/// The number's home records of the days in `[from, to)` (none before `created_ms` or from
/// `until_ms` on), in time order.
fn home_raws(
    zone: &cabinet_core::time::OperatorZone,
    (bin, msisdn): (&str, &str),
    intensity: f64,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    (created_ms, until_ms): (i64, i64),
    parties: Parties,
) -> Result<Vec<Raw>, crate::SimError> {
    let mut raws = Vec::new();
    let mut d = from;
    while d < to && zone.start_of_day_ms(d) < until_ms {
        let start = zone.start_of_day_ms(d);
        raws.extend(day_of(bin, msisdn, intensity, start, is_weekend(d), (created_ms, until_ms), parties));
        d = d.tomorrow().map_err(|e| crate::SimError::BadData(e.to_string()))?;
    }
    Ok(raws)
}

/// What whole past days used, by kind, per number: a past day's records never change, so a
/// profile asks the generator only for today. Keyed by what cuts a day's records: the
/// number, the day, when it was created and since when it is blocked.
#[derive(Debug, Default)]
pub struct DayCache {
    days: std::sync::Mutex<std::collections::HashMap<DayKey, [i64; 6]>>,
    /// Where a number's allowances stood at the start of a day (`packages_left`).
    mornings: std::sync::Mutex<std::collections::HashMap<MorningKey, allowances::Snapshot>>,
}

/// The number, the day, when it was created, since when it is blocked, its tariff and its
/// packages.
type MorningKey = (String, i64, i64, i64, &'static str, Vec<PackageGrant>);

type DayKey = (String, i64, i64, i64);

/// Remembered days at most (about 100 bytes each); past it the cache starts afresh.
const DAY_CACHE_MAX: usize = 400_000;

fn quantities(raws: &[Raw]) -> [i64; 6] {
    let mut q = [0; 6];
    for r in raws {
        if let Some(i) = UsageKind::HOME.iter().position(|k| *k == r.kind) {
            q[i] += r.quantity;
        }
    }
    q
}

/// Seconds, messages and kilobytes of each home kind (in `UsageKind::HOME` order) the number used
/// in the current billing month up to `now_ms`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn month_to_date(
    cache: &DayCache,
    zone: &cabinet_core::time::OperatorZone,
    bin: &str,
    msisdn: &str,
    created_ms: i64,
    blocked_since: Option<i64>,
    now_ms: i64,
) -> [i64; 6] {
    let mut sum = [0; 6];
    let Some(today) = zone.civil_date(now_ms) else { return sum };
    let until = now_ms.min(blocked_since.unwrap_or(i64::MAX));
    let mut d = today.first_of_month();
    while d <= today {
        let start = zone.start_of_day_ms(d);
        let weekend = is_weekend(d);
        let q = if d == today {
            quantities(&day(bin, msisdn, start, weekend, (created_ms, until), Parties::Unnamed))
        } else {
            let key = (msisdn.to_string(), start, created_ms, blocked_since.unwrap_or(-1));
            let known = cache.days.lock().unwrap_or_else(|e| e.into_inner()).get(&key).copied();
            match known {
                Some(q) => q,
                None => {
                    let q = quantities(&day(bin, msisdn, start, weekend, (created_ms, until), Parties::Unnamed));
                    let mut map = cache.days.lock().unwrap_or_else(|e| e.into_inner());
                    if map.len() >= DAY_CACHE_MAX {
                        map.clear();
                    }
                    map.insert(key, q);
                    q
                }
            }
        };
        for (s, v) in sum.iter_mut().zip(q) {
            *s += v;
        }
        let Ok(next) = d.tomorrow() else { break };
        d = next;
    }
    sum
}

/// Where the number's allowances stand at `now_ms` after its home records of the current
/// billing month (and of the part of a package's days before it), as `fold_month` rates
/// them: what the profile shows of its packages. The fold up to the day's start is
/// remembered, so that a profile rates only today's records.
#[allow(clippy::too_many_arguments)]
pub(crate) fn allowances_now<'p>(
    cache: &DayCache,
    zone: &cabinet_core::time::OperatorZone,
    (bin, msisdn): (&str, &str),
    tariff: &'p Tariff,
    packages: &'p [PackageGrant],
    (created_ms, blocked_since): (i64, Option<i64>),
    now_ms: i64,
) -> Result<Allowances<'p>, crate::SimError> {
    let today = zone.civil_date(now_ms).ok_or_else(|| crate::SimError::BadData(format!("no date at {now_ms}")))?;
    let start = zone.start_of_day_ms(today);
    let until = now_ms.min(blocked_since.unwrap_or(i64::MAX));
    let key = (msisdn.to_string(), start, created_ms, blocked_since.unwrap_or(-1), tariff.code, packages.to_vec());
    let known = cache.mornings.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
    let mut left = match known {
        Some(snapshot) => Allowances::restore(tariff, packages, snapshot),
        None => {
            let cut = (created_ms, until.min(start));
            let (_, left) = fold_month(zone, (bin, msisdn), tariff, None, packages, cut, today, Parties::Unnamed)?;
            let mut map = cache.mornings.lock().unwrap_or_else(|e| e.into_inner());
            if map.len() >= DAY_CACHE_MAX / 30 {
                map.clear();
            }
            map.insert(key, left.snapshot());
            left
        }
    };
    let raws = day(bin, msisdn, start, is_weekend(today), (created_ms, until), Parties::Unnamed);
    rate(&mut left, tariff, raws, None);
    Ok(left)
}

/// What the number's roaming cost in the current billing month up to `now_ms` (its records
/// abroad and its packs' fees, rated as its usage details rate them; none before
/// `created_ms` or from `blocked_since` on): the profile's outstanding roaming amount. A
/// number without the roaming service draws nothing.
pub(crate) fn roaming_to_date<'a>(
    zone: &cabinet_core::time::OperatorZone,
    (bin, msisdn): (&str, &str),
    services: impl IntoIterator<Item = (&'a str, i64)>,
    (created_ms, blocked_since): (i64, Option<i64>),
    now_ms: i64,
) -> Money {
    let Some(setup) = roaming::Setup::of(services) else { return Money::ZERO };
    let Some(today) = zone.civil_date(now_ms) else { return Money::ZERO };
    let Ok(tomorrow) = today.tomorrow() else { return Money::ZERO };
    let first = today.first_of_month();
    let cut = (created_ms, now_ms.min(blocked_since.unwrap_or(i64::MAX)));
    let raws = roaming::records_between(zone, bin, msisdn, &setup, (first, tomorrow), cut, Parties::Unnamed);
    let mut rater = roaming::Rater::for_month(zone, bin, msisdn, &setup, first, cut);
    let mut records = Vec::with_capacity(raws.len());
    for r in raws {
        rater.rate(r, &mut records);
    }
    Money(records.iter().map(|r| r.charge.tiyn()).sum())
}

/// The part of an allowance of `kind` with `total` units that a month's usage took.
pub(crate) fn used_of(month: &[i64; 6], kind: AllowanceKind, total: i64) -> i64 {
    let used: i64 =
        UsageKind::HOME.iter().zip(month).filter(|(k, _)| k.allowance() == Some(kind)).map(|(_, q)| *q).sum();
    used.min(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1 GB in roaming connected near a month's end: its price once, and one gigabyte over
    /// its 7 days, whichever month they fall in.
    #[test]
    fn a_one_gb_pack_carries_into_the_next_month() {
        let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
        let (jan, feb) = (jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 2, 1));
        let since = zone.start_of_day_ms(jiff::civil::date(2026, 1, 28));
        let setup = roaming::Setup::of([("roaming", 0), ("roaming_1gb", since)]).unwrap();
        let window = (jiff::civil::date(2026, 1, 28), jiff::civil::date(2026, 2, 4));
        let bin = "940740000015";
        // A number with data abroad on both sides of the month's end, within the pack's days.
        let msisdn = (0..20_000)
            .map(|i| format!("7701{i:07}"))
            .find(|m| {
                let raws = roaming::records_between(&zone, bin, m, &setup, window, (0, i64::MAX), Parties::Unnamed);
                let data = |r: &&Raw| r.kind == UsageKind::RoamingData && r.at_ms < since + 7 * DAY;
                let feb_ms = zone.start_of_day_ms(feb);
                raws.iter().filter(data).any(|r| r.at_ms < feb_ms)
                    && raws.iter().filter(data).any(|r| r.at_ms >= feb_ms)
            })
            .expect("some number travels across the month's end");
        let tariff = &catalog::TARIFFS[0];
        let mut records = Vec::new();
        for first in [jan, feb] {
            let month =
                rated_month(&zone, (bin, &msisdn), tariff, Some(&setup), &[], (0, i64::MAX), first, Parties::Unnamed);
            records.extend(month.unwrap().into_iter().filter(|r| r.kind.is_roaming()));
        }
        let fees = records.iter().filter(|r| r.kind == UsageKind::RoamingFee).count();
        assert_eq!(fees, 1, "{msisdn}: the pack's price once");
        let covered: i64 = records.iter().map(|r| r.from_allowance).sum();
        let in_window: i64 = records
            .iter()
            .filter(|r| r.kind == UsageKind::RoamingData && r.at_ms >= since && r.at_ms < since + 7 * DAY)
            .filter(|r| r.roaming.as_ref().is_some_and(|p| p.zone <= 3))
            .map(|r| r.quantity)
            .sum();
        assert_eq!(covered, in_window.min(1024 * 1024), "{msisdn}: one gigabyte over both months");
    }

    #[test]
    fn unnamed_parties_leave_every_record_and_charge_the_same() {
        let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
        let first = jiff::civil::date(2026, 3, 1);
        let mut records = 0;
        for (i, tariff) in catalog::TARIFFS.iter().enumerate() {
            let msisdn = format!("7701555{i:04}");
            let cut = (0, i64::MAX);
            let number = ("940740000015", msisdn.as_str());
            let roaming = roaming::Setup::of([("roaming", 0), ("business_travel", 0)]);
            let named = rated_month(&zone, number, tariff, roaming.as_ref(), &[], cut, first, Parties::Named).unwrap();
            let unnamed =
                rated_month(&zone, number, tariff, roaming.as_ref(), &[], cut, first, Parties::Unnamed).unwrap();
            let key = |r: &UsageRecord| (r.at_ms, r.kind, r.quantity, r.from_allowance, r.charge);
            assert_eq!(named.iter().map(key).collect::<Vec<_>>(), unnamed.iter().map(key).collect::<Vec<_>>());
            let party = |r: &&UsageRecord| r.kind != UsageKind::RoamingFee;
            assert!(named.iter().filter(party).all(|r| !r.other.is_empty()));
            assert!(unnamed.iter().all(|r| r.other.is_empty()));
            records += named.len();
        }
        assert!(records > 1_000, "a month has records ({records})");
    }
}
