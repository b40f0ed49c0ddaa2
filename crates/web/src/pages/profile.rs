//! The number profile: state, money, general information, SIM and device, contract
//! phones, allowances and services — everything the operator knows about one number.

use crate::auth::{CompanyScope, Permission, Signed};
use crate::error::WebError;
use crate::pages::number_head::{self, NumberHead};
use crate::pages::operations;
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{
    AccountType, Allowance, AllowanceKind, Ban, BillingMethod, NumberProfile, Operation, ServiceEntry, ServiceGroup,
    ServiceStatus,
};
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
    sim_replaced: String,
    groups: Vec<ServiceGroupView>,
    tariff_allowances: Vec<AllowanceView>,
    extra_allowances: Vec<AllowanceView>,
    phones: Vec<PhoneView>,
}

struct BanView {
    code: &'static str,
    label: String,
    value: String,
    href: Option<String>,
    link_text: String,
}

struct ServiceGroupView {
    title: String,
    services: Vec<ServiceEntry>,
}

struct AllowanceView {
    name: String,
    unlimited: bool,
    amount: String,
    connected: String,
    until: String,
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

    fn service_status_key(&self, s: &ServiceEntry) -> &'static str {
        match s.status {
            ServiceStatus::Active => "service-active",
            ServiceStatus::Available => "service-available",
            ServiceStatus::Unavailable => "service-unavailable",
        }
    }

    fn service_class(&self, s: &ServiceEntry) -> &'static str {
        match s.status {
            ServiceStatus::Active => "active",
            ServiceStatus::Available => "available",
            ServiceStatus::Unavailable => "unavailable",
        }
    }

    fn is_active(&self, s: &ServiceEntry) -> bool {
        s.status == ServiceStatus::Active
    }

    /// Where the service's switch leads (its confirmation), for who may change services.
    fn service_href(&self, s: &ServiceEntry) -> Option<String> {
        let on = match s.status {
            ServiceStatus::Active => false,
            ServiceStatus::Available => true,
            ServiceStatus::Unavailable => return None,
        };
        let op = Operation::SetService { code: s.code.clone(), on };
        self.can_manage.then(|| operations::path_of(self.p.summary.msisdn.as_str(), &op))
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

fn allowance_view(t: &Tr, zone: &OperatorZone, a: &Allowance) -> AllowanceView {
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
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(signed.locale()))?;
    render(&state, &signed, &scope, msisdn, StatusCode::OK).await
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
    let head = number_head::view_of(state, signed, &profile, records.latest);
    let groups = ServiceGroup::ALL
        .into_iter()
        .map(|g| ServiceGroupView {
            title: t.t(group_key(g)),
            services: profile.services.iter().filter(|s| s.group == g).cloned().collect(),
        })
        .filter(|g| !g.services.is_empty())
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
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let bans = Ban::ALL
        .into_iter()
        .map(|ban| {
            let set = ban.is_set(&profile);
            let op = Operation::SetBan { ban, on: !set };
            BanView {
                code: ban.code(),
                label: t.t(operations::ban_key(ban)),
                value: t.t(if set { "flag-on" } else { "flag-off" }),
                href: can_manage.then(|| operations::path_of(msisdn.as_str(), &op)),
                link_text: t.t(if set { "ban-remove" } else { "ban-set" }),
            }
        })
        .collect();
    let secret_code = records.secret_code_ms.map(|ms| zone.date_time(ms));
    let frame = Frame::signed(state, signed, msisdn.pretty()).await?;
    let page = ProfilePage {
        secret_code,
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
