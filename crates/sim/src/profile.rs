//! The number profile: one number's money, general information, SIM and device, contract
//! phones, allowances and the catalog's services with their status on the number.

use crate::catalog::{self, SERVICES};
use crate::numbers::{SUMMARY_COLUMNS, SUMMARY_WIDTH, SummaryRow};
use crate::{SimError, json_rows};
use cabinet_core::operator::{
    AccountType, Allowance, AllowanceKind, BillingMethod, ContractPhone, EsimActivation, ForwardKind, ForwardService,
    ForwardTarget, Forwarding, NumberProfile, ServiceEntry, ServiceGroup,
};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::{Db, Dialect, Row, StoreError};
use std::collections::HashSet;
use std::sync::LazyLock;

#[derive(Debug)]
struct ProfileRow {
    summary: SummaryRow,
    state_changed_ms: i64,
    account_type: String,
    past_debt: i64,
    registration_form: String,
    esim: bool,
    ban_ussd: bool,
    ban_selfcare_details: bool,
    ban_selfcare: bool,
    subscription_block: bool,
    hidden_caller_id: bool,
    in_roaming: bool,
    sim_replaced_ms: Option<i64>,
    pin1: String,
    pin2: String,
    puk1: String,
    puk2: String,
    iccid: String,
    last_imei: Option<String>,
    created_ms: i64,
}

impl ProfileRow {
    fn from_select(r: &Row) -> Result<ProfileRow, StoreError> {
        let c = SUMMARY_WIDTH;
        Ok(ProfileRow {
            summary: SummaryRow::from_select(r)?,
            state_changed_ms: r.int(c)?,
            account_type: r.text(c + 1)?,
            past_debt: r.int(c + 2)?,
            registration_form: r.text(c + 3)?,
            esim: r.flag(c + 4)?,
            ban_ussd: r.flag(c + 5)?,
            ban_selfcare_details: r.flag(c + 6)?,
            ban_selfcare: r.flag(c + 7)?,
            subscription_block: r.flag(c + 8)?,
            hidden_caller_id: r.flag(c + 9)?,
            in_roaming: r.flag(c + 10)?,
            sim_replaced_ms: r.opt_int(c + 11)?,
            pin1: r.text(c + 12)?,
            pin2: r.text(c + 13)?,
            puk1: r.text(c + 14)?,
            puk2: r.text(c + 15)?,
            iccid: r.text(c + 16)?,
            last_imei: r.opt_text(c + 17)?,
            created_ms: r.int(c + 18)?,
        })
    }
}

/// The profile of `msisdn`, or None when it is not a number of `customer`.
/// Where the tariff's allowances stand: this month's usage, as rated (`usage`).
pub(crate) struct Now<'a> {
    pub zone: &'a cabinet_core::time::OperatorZone,
    pub days: &'a crate::usage::DayCache,
    pub now_ms: i64,
}

pub(crate) async fn load(
    db: &Db,
    customer: &Bin,
    msisdn: &Msisdn,
    now: Now<'_>,
) -> Result<Option<NumberProfile>, SimError> {
    let (row, children) = Children::load(db, customer, msisdn.as_str()).await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let blocked_since = (row.summary.state != "active").then_some(row.state_changed_ms);
    let month = crate::usage::month_to_date(
        now.days,
        now.zone,
        customer.as_str(),
        msisdn.as_str(),
        row.created_ms,
        blocked_since,
        now.now_ms,
    );
    let (month_start, next_month) = current_month(now.zone, now.now_ms);
    let tariff_code = row.summary.tariff_code.clone();
    let account_credit_limit = row.summary.credit_limit;
    let summary = row.summary.into_summary()?;
    // A credit number owes what its roaming cost this month; an advance one pays it from its
    // balance when the month is invoiced.
    let roaming_debt = match summary.billing {
        BillingMethod::Credit => crate::usage::roaming_to_date(
            now.zone,
            (customer.as_str(), msisdn.as_str()),
            children.services_since.iter().map(|(code, at)| (code.as_str(), *at)),
            (row.created_ms, blocked_since),
            now.now_ms,
        ),
        BillingMethod::Advance => Money::ZERO,
    };

    let connected = &children.services;
    let services = ServiceGroup::ALL
        .iter()
        .flat_map(|g| SERVICES.iter().filter(move |s| s.group == *g))
        .map(|s| ServiceEntry {
            code: s.code.to_string(),
            group: s.group,
            name: s.name.localized(),
            terms: s.terms.localized(),
            price: Money(s.price),
            volume: s.volume.map(|v| v.localized()),
            family: s.family.map(str::to_string),
            status: s.status_on(connected.contains(s.code), &tariff_code, summary.billing, summary.state),
        })
        .collect();

    // Packages' allowances shrink with the home usage they cover since their connection: the
    // month's records rated as its invoice will rate them (only numbers with a package on).
    let packages =
        crate::usage::PackageGrant::of_rows(children.allowances.iter().map(
            |(s, k, unlimited, _, total, from, until)| (s.as_str(), k.as_str(), *unlimited, *total, *from, *until),
        ));
    let fold = match packages.iter().any(|p| p.overlaps(month_start, now.now_ms + 1)) {
        false => None,
        true => Some(crate::usage::allowances_now(
            now.days,
            now.zone,
            (customer.as_str(), msisdn.as_str()),
            crate::usage::tariff_of(&tariff_code),
            &packages,
            (row.created_ms, blocked_since),
            now.now_ms,
        )?),
    };
    let mut allowances = Vec::with_capacity(children.allowances.len());
    for (source, kind, unlimited, available, total, connected_ms, until_ms) in children.allowances {
        let kind =
            AllowanceKind::from_code(&kind).ok_or_else(|| SimError::BadData(format!("allowance kind {kind:?}")))?;
        let from_tariff = source == "tariff";
        // Tariff allowances are named by kind; a package's by the package.
        let name = match (from_tariff, catalog::service(&source)) {
            (false, Some(s)) => s.name.localized(),
            _ => catalog::allowance_name(kind).localized(),
        };
        // The tariff's allowances renew every billing month and shrink with its usage.
        let is_home_package = packages.iter().any(|p| p.source == source && p.kind == kind);
        let (available, connected_ms, until_ms) = match (from_tariff, &fold) {
            (true, _) => (total - crate::usage::used_of(&month, kind, total), month_start, next_month),
            // A package whose days are over has nothing left, however much it was used.
            (false, _) if is_home_package && until_ms <= now.now_ms => (0, connected_ms, until_ms),
            (false, Some(left)) if is_home_package && !unlimited => {
                (total - left.package_used(&source, kind), connected_ms, until_ms)
            }
            (false, _) => (available, connected_ms, until_ms),
        };
        allowances.push(Allowance { kind, name, from_tariff, unlimited, available, total, connected_ms, until_ms });
    }
    // The tariff's first, then packages by connection; each in the kinds' fixed order.
    allowances.sort_by_key(|a| (!a.from_tariff, a.connected_ms, kind_rank(a.kind)));

    let contract_phones = children
        .phones
        .into_iter()
        .map(|(device_name, device_type, active, activated_ms, terminates_ms, term, monthly, price, promotion)| {
            ContractPhone {
                device_name,
                device_type: catalog::device_type_name(&device_type),
                active,
                activated_ms,
                terminates_ms,
                term_months: term.clamp(0, i64::from(u32::MAX)) as u32,
                monthly_payment: Money(monthly),
                contract_price: Money(price),
                promotion,
            }
        })
        .collect();

    let account_type = match row.account_type.as_str() {
        "common" => AccountType::Common,
        "separate" => AccountType::Separate,
        other => return Err(SimError::BadData(format!("account type {other:?}"))),
    };
    // Advance numbers have no credit limit, whatever the account row holds.
    let credit_limit = match summary.billing {
        BillingMethod::Credit => account_credit_limit.map(Money),
        BillingMethod::Advance => None,
    };
    let mut forwardings = Vec::with_capacity(children.forwardings.len());
    for (kind, target_type, target) in children.forwardings {
        let kind = ForwardKind::from_code(&kind).ok_or_else(|| SimError::BadData(format!("forwarding kind {kind}")))?;
        let target = match target_type.as_str() {
            "number" => ForwardTarget::Number(target),
            _ => ForwardTarget::Service(target),
        };
        forwardings.push(Forwarding { kind, target });
    }
    forwardings.sort_by_key(|f| f.kind);
    let forward_services = crate::catalog::FORWARD_SERVICES
        .iter()
        .map(|(code, name)| ForwardService { code: code.to_string(), name: name.localized() })
        .collect();
    Ok(Some(NumberProfile {
        summary,
        state_changed_ms: row.state_changed_ms,
        account_type,
        credit_limit,
        past_debt: Money(row.past_debt),
        roaming_debt,
        registration_form: row.registration_form,
        esim: row.esim,
        ban_ussd: row.ban_ussd,
        ban_selfcare_details: row.ban_selfcare_details,
        ban_selfcare: row.ban_selfcare,
        subscription_block: row.subscription_block,
        hidden_caller_id: row.hidden_caller_id,
        in_roaming: row.in_roaming,
        sim_replaced_ms: row.sim_replaced_ms,
        pin1: row.pin1,
        pin2: row.pin2,
        puk1: row.puk1,
        puk2: row.puk2,
        iccid: row.iccid,
        last_imei: row.last_imei,
        contract_phones,
        allowances,
        services,
        forwardings,
        forward_services,
        esim_activation: children.esim,
        registered_imeis: children.imeis,
    }))
}

type AllowanceRow = (String, String, bool, i64, i64, i64, i64);
type PhoneRow = (String, String, bool, i64, i64, i64, i64, i64, String);
/// A contract phone as the profile query gives it: seq first, flags as numbers.
#[derive(serde::Deserialize)]
struct PhoneJson(i64, String, String, i64, i64, i64, i64, i64, i64, String);

/// The rows of the six small tables about one number that a profile shows.
#[derive(Default)]
struct Children {
    services: HashSet<String>,
    /// The services with the instant each was switched on.
    services_since: Vec<(String, i64)>,
    allowances: Vec<AllowanceRow>,
    /// In purchase order.
    phones: Vec<PhoneRow>,
    forwardings: Vec<(String, String, String)>,
    esim: Option<EsimActivation>,
    /// In registration order.
    imeis: Vec<String>,
}

/// How many columns the profile row has (`ProfileRow::from_select`).
const PROFILE_WIDTH: usize = SUMMARY_WIDTH + 19;

/// The number's row and the six small tables about it in one query, so one round trip: on
/// PostgreSQL each query costs a network round trip and the driver's work, more than these
/// lookups themselves. Each table comes as one column beside the row: a JSON array of its
/// rows (arrays of their columns), from a scalar subquery. (A UNION of the seven tables, each
/// padded to the row's 41 columns, cost PostgreSQL three times as much: setting up its
/// projections outweighed the lookups — 0.18 ms against 0.06 ms a profile in pgbench.) The
/// row comes only for the customer's own number.
fn profile_sql(dialect: Dialect) -> &'static str {
    static SQL: LazyLock<[String; 2]> =
        LazyLock::new(|| [build_profile_sql(Dialect::Sqlite), build_profile_sql(Dialect::Postgres)]);
    &SQL[usize::from(dialect == Dialect::Postgres)]
}

fn build_profile_sql(dialect: Dialect) -> String {
    let rows = |columns: &str, from: &str| crate::json_rows::column(dialect, columns, from);
    format!(
        "SELECT {SUMMARY_COLUMNS}, s.state_changed_ms, a.account_type, a.past_debt, \
           s.registration_form, s.esim, s.ban_ussd, s.ban_selfcare_details, s.ban_selfcare, s.subscription_block, \
           s.hidden_caller_id, s.in_roaming, s.sim_replaced_ms, s.pin1, s.pin2, s.puk1, s.puk2, s.iccid, s.last_imei, s.created_ms, \
           {}, {}, {}, {}, {}, {} \
         FROM sim_subscribers s JOIN sim_accounts a ON a.account_no = s.account_no WHERE s.msisdn = $1 AND s.bin = $3",
        rows("service_code, activated_ms", "sim_subscriber_services WHERE msisdn = s.msisdn"),
        rows(
            "source, kind, unlimited, available, total, connected_ms, until_ms",
            "sim_allowances WHERE msisdn = s.msisdn"
        ),
        rows(
            "seq, device_name, device_type, active, activated_ms, terminates_ms, term_months, monthly_payment, \
             contract_price, promotion",
            "sim_contract_phones WHERE msisdn = s.msisdn"
        ),
        rows("kind, target_type, target", "sim_forwardings WHERE msisdn = s.msisdn"),
        rows("matching_id, expires_ms", "sim_esim_activations WHERE msisdn = s.msisdn AND expires_ms > $2"),
        rows("registered_ms, imei", "sim_imei_registry WHERE msisdn = s.msisdn"),
    )
}

impl Children {
    /// The number's profile row (None when it is not the customer's) and its children.
    async fn load(db: &Db, customer: &Bin, msisdn: &str) -> Result<(Option<ProfileRow>, Children), SimError> {
        let now = cabinet_core::time::now_ms();
        let w = PROFILE_WIDTH;
        let loaded = db
            .select(profile_sql(db.dialect()))
            .text(msisdn)
            .int(now)
            .text(customer.as_str())
            .optional(|r| {
                Ok((ProfileRow::from_select(r)?, (0..6).map(|i| r.opt_text(w + i)).collect::<Result<Vec<_>, _>>()?))
            })
            .await?;
        let Some((row, mut json)) = loaded else {
            return Ok((None, Children::default()));
        };
        let mut take = |i: usize| std::mem::take(&mut json[i]);
        let services: Vec<(String, i64)> = json_rows::parse(take(0))?;
        let mut allowances: Vec<(String, String, i64, i64, i64, i64, i64)> = json_rows::parse(take(1))?;
        allowances.sort();
        let mut phones: Vec<PhoneJson> = json_rows::parse(take(2))?;
        phones.sort_by_key(|p| p.0);
        let mut forwardings: Vec<(String, String, String)> = json_rows::parse(take(3))?;
        forwardings.sort();
        let esim: Vec<(String, i64)> = json_rows::parse(take(4))?;
        let mut imeis: Vec<(i64, String)> = json_rows::parse(take(5))?;
        imeis.sort();
        let children = Children {
            services: services.iter().map(|(code, _)| code.clone()).collect(),
            services_since: services,
            allowances: allowances
                .into_iter()
                .map(|(source, kind, unlimited, available, total, connected, until)| {
                    (source, kind, unlimited != 0, available, total, connected, until)
                })
                .collect(),
            phones: phones
                .into_iter()
                .map(|PhoneJson(_, name, kind, active, activated, terminates, term, monthly, price, promotion)| {
                    (name, kind, active != 0, activated, terminates, term, monthly, price, promotion)
                })
                .collect(),
            forwardings,
            esim: esim.first().map(|(id, expires)| crate::operations::activation(id, *expires)),
            imeis: imeis.into_iter().map(|(_, imei)| imei).collect(),
        };
        Ok((Some(row), children))
    }
}

fn kind_rank(kind: AllowanceKind) -> u8 {
    match kind {
        AllowanceKind::OnNetCalls => 0,
        AllowanceKind::OffNetMinutes => 1,
        AllowanceKind::LandlineMinutes => 2,
        AllowanceKind::InternationalMinutes => 3,
        AllowanceKind::Sms => 4,
        AllowanceKind::Data => 5,
    }
}

/// The billing month around `now_ms`: its first instant and the next month's.
fn current_month(zone: &cabinet_core::time::OperatorZone, now_ms: i64) -> (i64, i64) {
    use jiff::ToSpan;
    let today = zone.civil_date(now_ms).unwrap_or_default();
    let first = today.first_of_month();
    let next = first.checked_add(1.month()).unwrap_or(first);
    (zone.start_of_day_ms(first), zone.start_of_day_ms(next))
}
