//! Where a number's allowances stand while its records are rated in time order: the
//! tariff's renew every billing month; a package's last from its connection for its 30 days,
//! whichever months they fall in, and are drawn on only once the tariff's of the same kind
//! are spent (packages in the order they were connected).

use crate::catalog::{self, Tariff};
use cabinet_core::operator::AllowanceKind;
use cabinet_core::operator::ServiceGroup;

/// An allowance a package adds while it is on: `total` units of `kind` (None: unlimited) for
/// records made in `[from_ms, until_ms)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PackageGrant {
    /// The package's service code.
    pub source: String,
    pub kind: AllowanceKind,
    pub total: Option<i64>,
    pub from_ms: i64,
    pub until_ms: i64,
}

/// An allowance row as the store keeps it: source, kind, unlimited, total, connected, until.
pub(crate) type GrantRow<'a> = (&'a str, &'a str, bool, i64, i64, i64);

/// `GrantRow` as a query reads it.
pub(crate) type StoredGrantRow = (String, String, i64, i64, i64, i64);

/// A stored row as `PackageGrant::of_rows` takes it.
pub(crate) fn grant_row(r: &StoredGrantRow) -> GrantRow<'_> {
    (r.0.as_str(), r.1.as_str(), r.2 != 0, r.3, r.4, r.5)
}

impl PackageGrant {
    /// The grants that home usage draws on, from the number's allowance rows (source, kind,
    /// unlimited, total, connected, until); the tariff's rows and roaming packs' (whose
    /// allowances count only abroad, `roaming::Rater`) are left out, in connection order.
    pub(crate) fn of_rows<'a>(rows: impl IntoIterator<Item = GrantRow<'a>>) -> Vec<PackageGrant> {
        let mut out: Vec<PackageGrant> = rows
            .into_iter()
            .filter(|(source, ..)| catalog::service(source).is_some_and(|s| s.group != ServiceGroup::Roaming))
            .filter_map(|(source, kind, unlimited, total, from_ms, until_ms)| {
                Some(PackageGrant {
                    source: source.to_string(),
                    kind: AllowanceKind::from_code(kind)?,
                    total: (!unlimited).then_some(total),
                    from_ms,
                    until_ms,
                })
            })
            .collect();
        out.sort_by(|a, b| (a.from_ms, &a.source).cmp(&(b.from_ms, &b.source)));
        out
    }

    /// Whether the package's days overlap `[from_ms, to_ms)`.
    pub(crate) fn overlaps(&self, from_ms: i64, to_ms: i64) -> bool {
        self.from_ms < to_ms && self.until_ms > from_ms
    }
}

/// Where the allowances stood at some instant (`Allowances::snapshot`).
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    tariff_left: Vec<(AllowanceKind, Option<i64>)>,
    used: Vec<i64>,
}

/// The allowances left as records are rated.
#[derive(Debug)]
pub(crate) struct Allowances<'a> {
    tariff: &'a Tariff,
    /// What is left of the tariff's this billing month (None: unlimited).
    tariff_left: Vec<(AllowanceKind, Option<i64>)>,
    /// Each package grant with what its records have used.
    packages: Vec<(&'a PackageGrant, i64)>,
}

impl<'a> Allowances<'a> {
    pub(crate) fn new(tariff: &'a Tariff, packages: &'a [PackageGrant]) -> Allowances<'a> {
        let mut a = Allowances { tariff, tariff_left: Vec::new(), packages: packages.iter().map(|p| (p, 0)).collect() };
        a.renew();
        a
    }

    /// What is left and used, to go on from later (`restore`).
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot { tariff_left: self.tariff_left.clone(), used: self.packages.iter().map(|(_, u)| *u).collect() }
    }

    /// The allowances as `snapshot` found them, for the same tariff and packages.
    pub(crate) fn restore(tariff: &'a Tariff, packages: &'a [PackageGrant], snapshot: Snapshot) -> Allowances<'a> {
        let used = snapshot.used.into_iter().chain(std::iter::repeat(0));
        Allowances { tariff, tariff_left: snapshot.tariff_left, packages: packages.iter().zip(used).collect() }
    }

    /// A new billing month: the tariff's allowances are whole again (packages run on).
    pub(crate) fn renew(&mut self) {
        self.tariff_left = self.tariff.grants.iter().map(|g| (g.kind, g.amount)).collect();
    }

    /// How much of a record of `quantity` units of `kind` made at `at_ms` the allowances
    /// cover, taken from them: the tariff's first, then the packages on at that instant.
    pub(crate) fn take(&mut self, kind: AllowanceKind, at_ms: i64, quantity: i64) -> i64 {
        let mut want = quantity;
        if let Some((_, left)) = self.tariff_left.iter_mut().find(|(k, _)| *k == kind) {
            match left {
                None => return quantity,
                Some(rest) => {
                    let used = want.min(*rest);
                    *rest -= used;
                    want -= used;
                }
            }
        }
        for (grant, used) in &mut self.packages {
            if want == 0 {
                break;
            }
            if grant.kind != kind || at_ms < grant.from_ms || at_ms >= grant.until_ms {
                continue;
            }
            let covered = match grant.total {
                None => want,
                Some(total) => want.min(total - *used),
            };
            *used += covered;
            want -= covered;
        }
        quantity - want
    }

    /// What records have used of the package `source`'s allowance of `kind`.
    pub(crate) fn package_used(&self, source: &str, kind: AllowanceKind) -> i64 {
        self.packages.iter().filter(|(g, _)| g.source == source && g.kind == kind).map(|(_, used)| *used).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TARIFFS;

    fn grant(source: &str, kind: AllowanceKind, total: i64, from_ms: i64, until_ms: i64) -> PackageGrant {
        PackageGrant { source: source.into(), kind, total: Some(total), from_ms, until_ms }
    }

    #[test]
    fn the_tariff_first_then_packages_in_connection_order_only_while_on() {
        let tariff = TARIFFS.iter().find(|t| t.grants.iter().any(|g| g.kind == AllowanceKind::Sms)).unwrap();
        let sms = tariff.grants.iter().find(|g| g.kind == AllowanceKind::Sms).unwrap().amount.unwrap();
        let packages = [
            grant("sms_100", AllowanceKind::Sms, 100, 1_000, 2_000),
            grant("sms_500", AllowanceKind::Sms, 500, 1_500, 9_000),
        ];
        let mut a = Allowances::new(tariff, &packages);
        // Before any package: only the tariff's.
        assert_eq!(a.take(AllowanceKind::Sms, 500, sms + 10), sms);
        // The first package while it is on, then the second for what it cannot cover.
        assert_eq!(a.take(AllowanceKind::Sms, 1_600, 150), 150);
        assert_eq!(a.package_used("sms_100", AllowanceKind::Sms), 100);
        assert_eq!(a.package_used("sms_500", AllowanceKind::Sms), 50);
        // After the first ran out of days, the second alone; after both, nothing.
        assert_eq!(a.take(AllowanceKind::Sms, 2_500, 10), 10);
        assert_eq!(a.take(AllowanceKind::Sms, 9_000, 10), 0);
        // A new month renews the tariff's, not the packages'.
        a.renew();
        assert_eq!(a.take(AllowanceKind::Sms, 3_000, sms + 1_000), sms + 440);
        assert_eq!(a.package_used("sms_500", AllowanceKind::Sms), 500);
    }
}
