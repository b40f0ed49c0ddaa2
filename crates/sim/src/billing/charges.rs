//! What a month charges: per number, from its tariff, its rated usage records, its services
//! and the packages connected in the month; per account, the invoice's draft. Pure: no store.

use super::vat::vat_of;
use crate::{SimError, catalog, usage};
use cabinet_core::operator::{BillingMethod, InvoiceLineKind, UsageKind};
use cabinet_core::time::{BillingMonth, OperatorZone};

/// A batch of accounts to rate: each account's number, billing method and numbers.
pub(crate) type Accounts = Vec<(String, BillingMethod, Vec<NumberInMonth>)>;

/// The month being closed, with the VAT rate in force for it.
#[derive(Debug, Clone)]
pub(crate) struct MonthToClose {
    pub month: BillingMonth,
    pub start_ms: i64,
    pub end_ms: i64,
    pub rate_bp: i64,
}

impl MonthToClose {
    pub(crate) fn new(zone: &OperatorZone, month: BillingMonth, rate_bp: i64) -> MonthToClose {
        let (start_ms, end_ms) = month.bounds_ms(zone);
        MonthToClose { month, start_ms, end_ms, rate_bp }
    }
}

/// One number as closing sees it.
#[derive(Debug, Clone)]
pub(crate) struct NumberInMonth {
    pub msisdn: String,
    pub tariff_code: String,
    pub created_ms: i64,
    /// Since when it makes no calls (it is not active), as the usage details cut it.
    pub blocked_since: Option<i64>,
    /// Services switched on, with the instant each was.
    pub services: Vec<(String, i64)>,
    /// The packages connected in the month, one code per connection.
    pub packages: Vec<String>,
    /// The package allowances its home usage draws on.
    pub grants: Vec<usage::PackageGrant>,
    /// What daily runs posted for the month (`usage_charges`): an advance number's usage
    /// charges taken from its balance, a credit number's charges added to its period's.
    pub usage_posted: i64,
}

impl NumberInMonth {
    /// Its records of the billing month that starts on `first`, up to `until_ms`, rated as
    /// its usage details rate them (without spelling the other party).
    pub(crate) fn rated(
        &self,
        zone: &OperatorZone,
        bin: &str,
        first: jiff::civil::Date,
        until_ms: i64,
    ) -> Result<Vec<cabinet_core::operator::UsageRecord>, SimError> {
        let roaming = usage::roaming::Setup::of(self.services.iter().map(|(code, at)| (code.as_str(), *at)));
        let tariff = usage::tariff_of(&self.tariff_code);
        let cut = (self.created_ms, until_ms);
        usage::rated_month(
            zone,
            (bin, &self.msisdn),
            tariff,
            roaming.as_ref(),
            &self.grants,
            cut,
            first,
            usage::Parties::Unnamed,
        )
    }
}

/// An invoice line before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub msisdn: String,
    pub kind: InvoiceLineKind,
    pub code: String,
    pub quantity: i64,
    pub net: i64,
    pub vat: i64,
}

impl Line {
    /// What the line charges beyond what its package's price took when it was connected
    /// (from an advance balance, or onto a credit number's charges of the period): the
    /// whole line with its VAT, or a package's VAT only.
    pub(crate) fn payable(&self) -> i64 {
        self.net + self.vat - if self.kind == InvoiceLineKind::Package { self.net } else { 0 }
    }
}

/// The code a line kind is stored under.
pub(crate) fn kind_code(kind: InvoiceLineKind) -> &'static str {
    match kind {
        InvoiceLineKind::Subscription => "subscription",
        InvoiceLineKind::Usage(_) => "usage",
        InvoiceLineKind::Service => "service",
        InvoiceLineKind::Package => "package",
    }
}

/// The number's lines for the month, in a fixed order: subscription, usage by kind (roaming
/// calls, data and packs' fees last, for a number with the roaming service), services,
/// packages. The subscription and services' fees are whole months: charged when the
/// number existed before the month ended and was not blocked all through it.
pub(crate) fn number_lines(
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    n: &NumberInMonth,
) -> Result<Vec<Line>, SimError> {
    let mut lines = Vec::new();
    if n.created_ms >= m.end_ms {
        return Ok(lines);
    }
    let mut push = |kind, code: &str, quantity, net| {
        if net > 0 {
            let vat = vat_of(net, m.rate_bp);
            lines.push(Line { msisdn: n.msisdn.clone(), kind, code: code.to_string(), quantity, net, vat });
        }
    };
    let tariff = usage::tariff_of(&n.tariff_code);
    let blocked_all_month = n.blocked_since.is_some_and(|b| b <= m.start_ms);
    if !blocked_all_month {
        push(InvoiceLineKind::Subscription, tariff.code, 1, tariff.monthly_fee);
    }
    let until = m.end_ms.min(n.blocked_since.unwrap_or(i64::MAX));
    if until > m.start_ms {
        let records = n.rated(zone, bin, m.month.first_day(), until)?;
        // One line a kind (roaming ones included): its started units and their charge, the
        // same records the usage details add up.
        let mut by_kind = [(0i64, 0i64); UsageKind::ALL.len()];
        for r in &records {
            if let Some(i) = UsageKind::ALL.iter().position(|k| *k == r.kind) {
                let unit = usage::unit_size(r.kind);
                let units =
                    if r.charge.tiyn() > 0 { usage::started_units(r.quantity - r.from_allowance, unit) } else { 0 };
                by_kind[i].0 += units;
                by_kind[i].1 += r.charge.tiyn();
            }
        }
        for (kind, (units, charge)) in UsageKind::ALL.into_iter().zip(by_kind) {
            push(InvoiceLineKind::Usage(kind), kind.code(), units, charge);
        }
    }
    let mut services: Vec<&(String, i64)> = n.services.iter().collect();
    services.sort();
    for (code, since) in services {
        let fee = catalog::service(code).and_then(|s| s.monthly_fee());
        if let (Some(fee), true) = (fee, *since < m.end_ms && !blocked_all_month) {
            push(InvoiceLineKind::Service, code, 1, fee);
        }
    }
    let mut packages: Vec<&String> = n.packages.iter().collect();
    packages.sort();
    for group in packages.chunk_by(|a, b| a == b) {
        if let Some(s) = catalog::service(group[0]).filter(|s| s.is_package()) {
            let count = group.len() as i64;
            push(InvoiceLineKind::Package, s.code, count, count * s.price);
        }
    }
    Ok(lines)
}

/// One account's invoice before it is written.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub account_no: String,
    pub billing: BillingMethod,
    pub lines: Vec<Line>,
    /// What daily runs posted for the month before closing (number, amount), in number
    /// order: advance numbers' usage charges taken from their balances, credit numbers'
    /// charges added to the account's charges of the period (`usage_charges`).
    pub posted: Vec<(String, i64)>,
}

impl Draft {
    pub(crate) fn net(&self) -> i64 {
        self.lines.iter().map(|l| l.net).sum()
    }

    pub(crate) fn vat(&self) -> i64 {
        self.lines.iter().map(|l| l.vat).sum()
    }

    pub(crate) fn total(&self) -> i64 {
        self.net() + self.vat()
    }

    /// What advance balances paid of the month before closing: the packages' prices when
    /// they were connected and the usage that daily runs took.
    pub(crate) fn prepaid(&self) -> i64 {
        match self.billing {
            BillingMethod::Advance => {
                let packages: i64 =
                    self.lines.iter().filter(|l| l.kind == InvoiceLineKind::Package).map(|l| l.net).sum();
                packages + self.posted.iter().map(|(_, a)| a).sum::<i64>()
            }
            BillingMethod::Credit => 0,
        }
    }

    /// What closing takes from each advance number's balance (in number order): its lines
    /// with their VAT, less what it paid of them before (`prepaid`).
    pub(crate) fn number_charges(&self) -> Vec<(String, i64)> {
        let mut out: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
        for l in &self.lines {
            *out.entry(l.msisdn.as_str()).or_default() += l.payable();
        }
        for (msisdn, posted) in &self.posted {
            *out.entry(msisdn.as_str()).or_default() -= posted;
        }
        out.into_iter().filter(|(_, a)| *a != 0).map(|(m, a)| (m.to_string(), a)).collect()
    }

    /// What the month added to a credit account's charges of the period before it was
    /// closed, by number (in number order): the daily runs' accruals (`usage_charges`) and
    /// the prices of the packages connected in it. Closing takes them off again, since the
    /// invoice holds them now.
    pub(crate) fn accrued(&self) -> Vec<(String, i64)> {
        let mut out: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
        for l in self.lines.iter().filter(|l| l.kind == InvoiceLineKind::Package) {
            *out.entry(l.msisdn.as_str()).or_default() += l.net;
        }
        for (msisdn, posted) in &self.posted {
            *out.entry(msisdn.as_str()).or_default() += posted;
        }
        out.into_iter().filter(|(_, a)| *a != 0).map(|(m, a)| (m.to_string(), a)).collect()
    }
}

/// The drafts of a run of accounts (in account order, each with its numbers in number
/// order); accounts with nothing to charge get none.
pub(crate) fn drafts(
    zone: &OperatorZone,
    bin: &str,
    m: &MonthToClose,
    accounts: Accounts,
) -> Result<Vec<Draft>, SimError> {
    let mut out = Vec::new();
    for (account_no, billing, mut numbers) in accounts {
        numbers.sort_by(|a, b| a.msisdn.cmp(&b.msisdn));
        let mut lines = Vec::new();
        for n in &numbers {
            lines.extend(number_lines(zone, bin, m, n)?);
        }
        let posted: Vec<(String, i64)> =
            numbers.iter().filter(|n| n.usage_posted != 0).map(|n| (n.msisdn.clone(), n.usage_posted)).collect();
        if !lines.is_empty() || !posted.is_empty() {
            out.push(Draft { account_no, billing, lines, posted });
        }
    }
    Ok(out)
}
