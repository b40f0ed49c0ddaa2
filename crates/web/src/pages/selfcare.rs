//! Employee self-care (SPEC §5): the number's user signs in with the number and the secret
//! code the company's administrator sent it, and sees that number's information and usage
//! details — nothing else, and never a change. The company's bans decide: "ban on self-care
//! access" refuses the sign-in (and ends a session at its next page), "ban on self-care
//! usage details" hides the usage details.

use crate::AppState;
use crate::csrf::{CsrfForm, NoFields};
use crate::employee::{EMPLOYEE_COOKIE, Employee};
use crate::error::WebError;
use crate::limits;
use crate::pages::profile::{AllowanceView, allowance_view};
use crate::pages::signin::{log_refusal, until_text};
use crate::pages::usage::{self, Viewer};
use crate::render::{Frame, Guest, html};
use crate::visitor::{Visitor, cookie, cookie_name, set_cookie};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::{NumberProfile, ServiceStatus};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{employee_sessions, secret_codes};
use serde::Deserialize;

/// Set when a session ends because the company barred self-care: the sign-in page says so
/// once.
const BARRED_COOKIE: &str = "cabinet_selfcare_barred";

#[derive(Template)]
#[template(path = "selfcare_signin.html")]
struct SignInPage {
    frame: Frame,
    phone: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "selfcare_number.html")]
struct NumberPage {
    frame: Frame,
    t: crate::Tr,
    pretty: String,
    state_class: &'static str,
    state_key: &'static str,
    tariff: String,
    remaining_label: &'static str,
    remaining: String,
    individual_limit: String,
    available: String,
    roaming_debt: String,
    usage_allowed: bool,
    allowances: Vec<AllowanceView>,
    services: Vec<String>,
}

fn frame(state: &AppState, visitor: &Visitor, title_key: &str, signed: Option<&Msisdn>) -> Frame {
    let mut frame = Frame::public(state, visitor, title_key);
    frame.home = "/selfcare";
    frame.guest = signed.map(|m| Guest { name: m.pretty(), signout: "/selfcare/signout" });
    frame
}

fn signin_page(state: &AppState, visitor: &Visitor, phone: String, error: Option<String>) -> SignInPage {
    SignInPage { frame: frame(state, visitor, "selfcare-title", None), phone, error, notice: None }
}

pub async fn show_signin(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    employee: Option<Employee>,
) -> Response {
    if employee.is_some() {
        return Redirect::to("/selfcare/number").into_response();
    }
    let secure = state.config.secure_cookies;
    let barred = cookie(&headers, &cookie_name(BARRED_COOKIE, secure)).is_some();
    let mut page = signin_page(&state, &visitor, String::new(), None);
    page.notice = barred.then(|| visitor.tr().t("selfcare-barred"));
    let mut res = html(StatusCode::OK, &page);
    if barred {
        res.headers_mut().append(SET_COOKIE, set_cookie(BARRED_COOKIE, "", Some(0), secure));
    }
    res
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let now = now_ms();
    let client = visitor.client_ip;
    let t = visitor.tr();
    let refuse = |status: StatusCode, message: String| {
        Ok(html(status, &signin_page(&state, &visitor, form.phone.clone(), Some(message))))
    };
    let msisdn = match Msisdn::parse(&form.phone) {
        Ok(m) => m,
        Err(e) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, t.t(e.message_key())),
    };
    let who = msisdn.to_string();
    // Charged before the code is checked, unknown numbers alike, so that guesses made at
    // once all count and an unknown number looks like a wrong code.
    let mut charged = match limits::charge_selfcare(&state, &msisdn, client, now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, &who, client);
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                until_text(&state, &visitor, "selfcare-locked", refusal.until_ms),
            );
        }
    };
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    let company = if code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()) {
        secret_codes::company_of(&state.db, &state.secret, msisdn.as_str(), &code).await?
    } else {
        None
    };
    // The code is the company's; the number must still be, as the operator sees it.
    let mut found = None;
    if let Some((company_id, bin)) = company
        && let Ok(bin) = Bin::stored(&bin)
    {
        let profile = state.operator.number_profile(&bin, &msisdn).await.map_err(|_| WebError::Operator(t.locale))?;
        found = profile.map(|p| (company_id, p));
    }
    let Some((company_id, profile)) = found else {
        tracing::warn!(target: "security", event = "selfcare_failed", who = who.as_str(), client = %client,
            "wrong number or secret code");
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, t.t("selfcare-wrong"));
    };
    charged.give_back(&state, now).await?;
    if profile.ban_selfcare {
        tracing::info!(target: "security", event = "selfcare_barred", who = who.as_str(), client = %client,
            "self-care barred by the company");
        return refuse(StatusCode::FORBIDDEN, t.t("selfcare-barred"));
    }
    let id =
        employee_sessions::create(&state.db, &company_id, msisdn.as_str(), now, state.config.session_ttl_ms).await?;
    tracing::info!(target: "security", event = "selfcare_signed_in", who = who.as_str(), client = %client,
        "employee signed in to self-care");
    let mut res = Redirect::to("/selfcare/number").into_response();
    res.headers_mut().append(SET_COOKIE, set_cookie(EMPLOYEE_COOKIE, &id, None, state.config.secure_cookies));
    Ok(res)
}

/// The number as the operator sees it now: a number that has left the company, or whose
/// self-care the company has barred since, ends the session.
async fn current_profile(state: &AppState, employee: &Employee) -> Result<Result<NumberProfile, Response>, WebError> {
    let profile = state
        .operator
        .number_profile(&employee.bin, &employee.msisdn)
        .await
        .map_err(|_| WebError::Operator(employee.visitor.locale))?;
    match profile {
        Some(p) if !p.ban_selfcare => Ok(Ok(p)),
        gone => {
            employee_sessions::delete(&state.db, &employee.session.id_hash).await?;
            let secure = state.config.secure_cookies;
            let mut res = Redirect::to("/selfcare").into_response();
            res.headers_mut().append(SET_COOKIE, set_cookie(EMPLOYEE_COOKIE, "", Some(0), secure));
            if gone.is_some() {
                res.headers_mut().append(SET_COOKIE, set_cookie(BARRED_COOKIE, "1", Some(60), secure));
            }
            Ok(Err(res))
        }
    }
}

pub async fn number(State(state): State<AppState>, employee: Employee) -> Result<Response, WebError> {
    let p = match current_profile(&state, &employee).await? {
        Ok(p) => p,
        Err(res) => return Ok(res),
    };
    let t = employee.visitor.tr();
    let zone = &state.config.zone;
    let s = &p.summary;
    let page = NumberPage {
        frame: frame(&state, &employee.visitor, "selfcare-number-title", Some(&employee.msisdn)),
        pretty: employee.msisdn.pretty(),
        state_class: s.state.code(),
        state_key: crate::pages::numbers::state_key(s.state),
        tariff: t.text(&s.tariff).to_string(),
        remaining_label: match s.billing {
            cabinet_core::operator::BillingMethod::Credit => "money-remaining-credit",
            cabinet_core::operator::BillingMethod::Advance => "money-prepaid-balance",
        },
        remaining: t.money(&s.remaining),
        individual_limit: t.opt_money(&s.individual_limit),
        available: t.opt_money(&s.available_funds),
        roaming_debt: t.money(&p.roaming_debt),
        usage_allowed: !p.ban_selfcare_details,
        allowances: p.allowances.iter().map(|a| allowance_view(&t, zone, a)).collect(),
        services: p
            .services
            .iter()
            .filter(|s| s.status == ServiceStatus::Active)
            .map(|s| t.text(&s.name).to_string())
            .collect(),
        t,
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn usage(
    State(state): State<AppState>,
    employee: Employee,
    Query(params): Query<usage::Params>,
) -> Result<Response, WebError> {
    let p = match current_profile(&state, &employee).await? {
        Ok(p) => p,
        Err(res) => return Ok(res),
    };
    if p.ban_selfcare_details {
        return Err(WebError::SelfcareDetailsBarred(employee.visitor.locale));
    }
    let mut frame = frame(&state, &employee.visitor, "usage-title", Some(&employee.msisdn));
    frame.title = employee.visitor.tr().t("usage-title");
    usage::render(&state, frame, &employee.bin, &employee.msisdn, &params, false, Viewer::Employee).await
}

pub async fn sign_out(
    State(state): State<AppState>,
    employee: Option<Employee>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    if let Some(e) = employee {
        employee_sessions::delete(&state.db, &e.session.id_hash).await?;
    }
    let mut res = Redirect::to("/selfcare").into_response();
    res.headers_mut().append(SET_COOKIE, set_cookie(EMPLOYEE_COOKIE, "", Some(0), state.config.secure_cookies));
    Ok(res)
}
