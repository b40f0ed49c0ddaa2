//! The number profile: state, money, general information, SIM and device, contract
//! phones, allowances and services — everything the operator knows about one number.

use crate::auth::{CompanyScope, Permission, Signed};
use crate::error::WebError;
use crate::pages::number_head::{self, NumberHead, OpNotice, Place};
use crate::pages::operations;
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{
    AccountType, Allowance, AllowanceKind, Ban, BillingMethod, NumberProfile, NumberState, Operation, ServiceGroup,
    ServiceStatus,
};
use cabinet_core::rules;
use cabinet_core::time::OperatorZone;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    frame: Frame,
    t: Tr,
    p: NumberProfile,
    head: NumberHead,
    can_manage: bool,
    bans: Vec<BanView>,
    /// When the number's secret code was sent, if it has one.
    secret_code: Option<String>,
    /// Why a secret code cannot be sent now, if it cannot.
    secret_why_not: Option<String>,
    /// Why the services' switches cannot be turned now (the number's state), said once.
    services_why_not: Option<String>,
    /// The outcome of a switch the administrator turned, shown at that switch.
    notice: Option<OpNotice>,
    sim_replaced: String,
    groups: Vec<ServiceGroupView>,
    tariff_allowances: Vec<AllowanceView>,
    extra_allowances: Vec<AllowanceView>,
    phones: Vec<PhoneView>,
}

/// A ban's state in General information (it is switched under Additional services).
struct BanView {
    code: &'static str,
    label: String,
    value: String,
}

struct ServiceGroupView {
    title: String,
    switches: Vec<SwitchView>,
}

/// A service's or a ban's switch: on or off, where it leads (its confirmation), or why it
/// cannot be turned now.
struct SwitchView {
    /// The element's id, the anchor the administrator comes back to.
    anchor: String,
    /// "active" | "available" | "unavailable"
    class: &'static str,
    code: String,
    name: String,
    on: bool,
    status: String,
    href: Option<String>,
    why_not: Option<String>,
    /// Disabled for the number's state, which the Services card says once (`services-why`).
    state_refused: bool,
    price: Option<String>,
    volume: Option<String>,
    terms: Option<String>,
}

pub(crate) struct AllowanceView {
    pub name: String,
    pub unlimited: bool,
    pub amount: String,
    pub connected: String,
    pub until: String,
}

struct PhoneView {
    device_name: String,
    status: String,
    activated: String,
    terminates: String,
    term: String,
    monthly: String,
    price: String,
    promotion: String,
    device_type: String,
}

impl ProfilePage {
    fn billing(&self) -> String {
        self.t.t(match self.p.summary.billing {
            BillingMethod::Credit => "billing-credit",
            BillingMethod::Advance => "billing-advance",
        })
    }

    fn account_type(&self) -> String {
        self.t.t(match self.p.account_type {
            AccountType::Separate => "account-separate",
            AccountType::Common => "account-common",
        })
    }

    fn remaining_label(&self) -> String {
        self.t.t(match self.p.summary.billing {
            BillingMethod::Credit => "money-remaining-credit",
            BillingMethod::Advance => "money-prepaid-balance",
        })
    }

    fn yes_no(&self, v: &bool) -> String {
        self.t.t(if *v { "flag-yes" } else { "flag-no" })
    }
}

fn group_key(g: ServiceGroup) -> &'static str {
    match g {
        ServiceGroup::CallsSms => "group-calls-sms",
        ServiceGroup::Data => "group-data",
        ServiceGroup::Roaming => "group-roaming",
        ServiceGroup::Additional => "group-additional",
        ServiceGroup::Promotions => "group-promotions",
    }
}

/// `50.00 min of 50.00 min`, `20480.00 MB of 20480.00 MB`, `500 SMS of 500 SMS`.
fn allowance_amount(t: &Tr, a: &Allowance) -> String {
    let fmt = |v: i64| -> String {
        match a.kind {
            AllowanceKind::Sms => t.t1("unit-sms", "n", v.to_string()),
            AllowanceKind::Data => t.t1("unit-mb", "n", hundredths(t, v * 100 / 1024)),
            _ => t.t1("unit-min", "n", hundredths(t, v * 100 / 60)),
        }
    };
    t.t2("allowance-of", ("available", fmt(a.available)), ("total", fmt(a.total)))
}

fn hundredths(t: &Tr, v: i64) -> String {
    let sep = if t.locale == cabinet_core::Locale::En { '.' } else { ',' };
    format!("{}{sep}{:02}", v / 100, v % 100)
}

pub(crate) fn allowance_view(t: &Tr, zone: &OperatorZone, a: &Allowance) -> AllowanceView {
    AllowanceView {
        name: t.text(&a.name).to_string(),
        unlimited: a.unlimited,
        amount: if a.unlimited { t.t("allowance-unlimited") } else { allowance_amount(t, a) },
        connected: zone.date(a.connected_ms),
        until: zone.date(a.until_ms),
    }
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(signed.locale()))?;
    let t = signed.visitor.tr();
    let notice = number_head::flash(&state, &scope, &t, &headers, msisdn.as_str(), Place::Profile).await?;
    let mut res = render(&state, &signed, &scope, msisdn, StatusCode::OK, notice.clone()).await?;
    number_head::shown(&mut res, &state, &notice);
    Ok(res)
}

/// One of the company's numbers as the operator describes it: another company's number, or
/// one nobody has, is not found.
pub async fn company_number(
    state: &AppState,
    scope: &CompanyScope,
    locale: cabinet_core::Locale,
    msisdn: &Msisdn,
) -> Result<NumberProfile, WebError> {
    state
        .operator
        .number_profile(&scope.bin, msisdn)
        .await
        .map_err(|_| WebError::Operator(locale))?
        .ok_or(WebError::NumberNotFound(locale))
}

/// The profile page of one of the company's numbers (404 for any other number).
pub async fn render(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    msisdn: Msisdn,
    status: StatusCode,
    notice: Option<OpNotice>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    // The operator's view and Cabinet's own records of the number, side by side: on
    // PostgreSQL they go out on two connections at once instead of one after the other.
    let (profile, records) = tokio::join!(
        company_number(state, scope, t.locale, &msisdn),
        cabinet_store::actions::number_records(&state.db, &scope.company_id, msisdn.as_str()),
    );
    let (profile, records) = (profile?, records?);
    let zone = &state.config.zone;
    let current = number_head::current_state(&profile, records.latest.as_ref());
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let head = number_head::view_of(state, signed, &profile, records.latest, notice.clone());
    let groups = ServiceGroup::ALL
        .into_iter()
        .map(|g| {
            let mut switches: Vec<SwitchView> = profile
                .services
                .iter()
                .filter(|s| s.group == g)
                .map(|s| service_switch(&t, &profile, current, can_manage, s))
                .collect();
            // Bans are switched under Additional services, as in the third manual.
            if g == ServiceGroup::Additional {
                switches.extend(Ban::ALL.into_iter().map(|b| ban_switch(&t, &profile, current, can_manage, b)));
            }
            ServiceGroupView { title: t.t(group_key(g)), switches }
        })
        .filter(|g| !g.switches.is_empty())
        .collect();
    let tariff_allowances =
        profile.allowances.iter().filter(|a| a.from_tariff).map(|a| allowance_view(&t, zone, a)).collect();
    let extra_allowances =
        profile.allowances.iter().filter(|a| !a.from_tariff).map(|a| allowance_view(&t, zone, a)).collect();
    let phones = profile
        .contract_phones
        .iter()
        .map(|c| PhoneView {
            device_name: c.device_name.clone(),
            status: t.t(if c.active { "phone-activated" } else { "phone-terminated" }),
            activated: zone.date(c.activated_ms),
            terminates: zone.date(c.terminates_ms),
            term: t.t1("phone-term-months", "months", i64::from(c.term_months)),
            monthly: t.money(&c.monthly_payment),
            price: t.money(&c.contract_price),
            promotion: c.promotion.clone(),
            device_type: t.text(&c.device_type).to_string(),
        })
        .collect();
    let bans = Ban::ALL
        .into_iter()
        .map(|ban| BanView {
            code: ban.code(),
            label: t.t(operations::ban_key(ban)),
            value: t.t(if ban.is_set(&profile) { "flag-on" } else { "flag-off" }),
        })
        .collect();
    let secret_code = records.secret_code_ms.map(|ms| zone.date_time(ms));
    let secret_why_not = rules::check_secret_code(current).err().map(|r| number_head::why_not(&t, r, current));
    let services_why_not = match current {
        NumberState::Active => None,
        NumberState::Processing => Some(t.t("services-locked-processing")),
        NumberState::Blocked => Some(t.t("services-locked-blocked")),
        NumberState::BlockedDebt => Some(t.t("services-locked-debt")),
    }
    .filter(|_| can_manage);
    let frame = Frame::signed(state, signed, msisdn.pretty()).await?;
    let page = ProfilePage {
        secret_code,
        secret_why_not,
        services_why_not,
        notice: notice.filter(|n| n.anchor.is_some()),
        can_manage,
        bans,
        frame,
        t,
        head,
        sim_replaced: profile.sim_replaced_ms.map(|ms| zone.date_time(ms)).unwrap_or_else(|| "—".into()),
        groups,
        tariff_allowances,
        extra_allowances,
        phones,
        p: profile,
    };
    Ok(html(status, &page))
}

/// A service's switch: it leads to the confirmation when the rules allow the change now,
/// else it is shown disabled with the reason (the server refuses the same).
fn service_switch(
    t: &Tr,
    p: &NumberProfile,
    current: NumberState,
    can_manage: bool,
    s: &cabinet_core::operator::ServiceEntry,
) -> SwitchView {
    let on = s.status == ServiceStatus::Active;
    let op = Operation::SetService { code: s.code.clone(), on: !on };
    let state_refused = rules::check(&op, current).is_err();
    // The state's reason is said once for the card; a service's own reason next to it (an
    // unavailable service's status says why already).
    let why_not = match rules::check_service(&p.services, &s.code, !on) {
        _ if state_refused => None,
        Ok(()) => None,
        Err((rules::Refusal::FamilyConflict, Some(rival))) => Some(t.t1("why-family", "name", t.text(&rival.name))),
        Err((rules::Refusal::ServiceUnavailable, _)) => None,
        Err((r, _)) => Some(number_head::why_not(t, r, current)),
    };
    let refused = state_refused || s.status == ServiceStatus::Unavailable || why_not.is_some();
    SwitchView {
        anchor: operations::anchor_of(&op).unwrap_or_default(),
        class: match s.status {
            ServiceStatus::Active => "active",
            ServiceStatus::Available => "available",
            ServiceStatus::Unavailable => "unavailable",
        },
        code: s.code.clone(),
        name: t.text(&s.name).to_string(),
        on,
        status: t.t(match s.status {
            ServiceStatus::Active => "service-active",
            ServiceStatus::Available => "service-available",
            ServiceStatus::Unavailable => "service-unavailable",
        }),
        href: (can_manage && !refused).then(|| operations::path_of(p.summary.msisdn.as_str(), &op)),
        why_not: why_not.filter(|_| can_manage),
        state_refused: state_refused && can_manage,
        price: Some(t.money(&s.price)),
        volume: s.volume.as_ref().map(|v| t.text(v).to_string()),
        terms: Some(t.text(&s.terms).to_string()).filter(|x| !x.is_empty()),
    }
}

/// A ban's switch under Additional services.
fn ban_switch(t: &Tr, p: &NumberProfile, current: NumberState, can_manage: bool, ban: Ban) -> SwitchView {
    let on = ban.is_set(p);
    let op = Operation::SetBan { ban, on: !on };
    let state_refused = rules::check(&op, current).is_err();
    let why_not = match rules::check_on(&op, p, current) {
        Err(_) if state_refused => None,
        Err(r) => Some(number_head::why_not(t, r, current)),
        Ok(()) => None,
    };
    let refused = state_refused || why_not.is_some();
    SwitchView {
        anchor: operations::anchor_of(&op).unwrap_or_default(),
        class: if on { "active" } else { "available" },
        code: ban.code().to_string(),
        name: t.t(operations::ban_key(ban)),
        on,
        status: t.t(if on { "flag-on" } else { "flag-off" }),
        href: (can_manage && !refused).then(|| operations::path_of(p.summary.msisdn.as_str(), &op)),
        why_not: why_not.filter(|_| can_manage),
        state_refused: state_refused && can_manage,
        price: None,
        volume: None,
        terms: None,
    }
}
