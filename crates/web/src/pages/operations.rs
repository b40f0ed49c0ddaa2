//! Operations on a number, from its profile or the list's ⋮ menu: a confirmation, then the
//! request (an action in Processing and the job that carries it out), refused at once with
//! the manual's message when the rules forbid it.
//!
//! Routes: `/numbers/{msisdn}/block|unblock`, `/numbers/{msisdn}/services/{code}/on|off`,
//! `/numbers/{msisdn}/bans/{ban}/on|off`; GET asks "Are you sure…", POST does it.

use crate::auth::{CompanyScope, Permission, Signed};
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::number_head::{self, Place};
use crate::pages::{forwarding, imei, profile};
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::{Ban, ForwardKind, ForwardTarget, NumberProfile, Operation};
use cabinet_core::time::now_ms;
use cabinet_core::{Localized, Msisdn, rules};
use cabinet_store::jobs::kinds::{OperationPayload, ResultSms};
use cabinet_store::{actions, requests};
use serde::{Deserialize, Serialize};

/// What the history keeps about an operation: the operation and, for services, the name
/// the administrator saw.
#[derive(Debug, Serialize, Deserialize)]
pub struct Details {
    pub operation: Operation,
    #[serde(default)]
    pub name: Option<Localized>,
    /// For forwarding to a service: the service's name, for the notice of the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_name: Option<Localized>,
}

fn switch(word: &str) -> Option<bool> {
    match word {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// The page's path for an operation on a number.
pub fn path_of(msisdn: &str, op: &Operation) -> String {
    let word = |on: bool| if on { "on" } else { "off" };
    match op {
        Operation::Block => format!("/numbers/{msisdn}/block"),
        Operation::Unblock => format!("/numbers/{msisdn}/unblock"),
        Operation::SetService { code, on } => format!("/numbers/{msisdn}/services/{code}/{}", word(*on)),
        Operation::SetBan { ban, on } => format!("/numbers/{msisdn}/bans/{}/{}", ban.code(), word(*on)),
        Operation::ReplaceSim { .. } => format!("/numbers/{msisdn}/sim"),
        Operation::AddForwarding { .. } => format!("/numbers/{msisdn}/forwarding"),
        Operation::RemoveForwarding { kind } => format!("/numbers/{msisdn}/forwarding/{}/remove", kind.code()),
        Operation::ChangeToEsim => format!("/numbers/{msisdn}/esim/change"),
        Operation::RegisterImei { .. }
        | Operation::RegisterDuplicateImei { .. }
        | Operation::ReregisterImei { .. }
        | Operation::RemoveImei { .. } => format!("/numbers/{msisdn}/imei"),
    }
}

/// The id of the switch an operation concerns on the profile (a service's or a ban's), so
/// that the administrator comes back to it.
pub fn anchor_of(op: &Operation) -> Option<String> {
    match op {
        Operation::SetService { code, .. } => Some(format!("svc-{code}")),
        Operation::SetBan { ban, .. } => Some(format!("ban-switch-{}", ban.code())),
        _ => None,
    }
}

/// Where the administrator goes back to from an operation: the page where it is done, at
/// its switch.
pub fn back_to(msisdn: &str, op: &Operation) -> String {
    let page = Place::of_kind(op.kind()).path(msisdn);
    match anchor_of(op) {
        Some(anchor) => format!("{page}#{anchor}"),
        None => page,
    }
}

/// The catalog key of a ban's name.
pub fn ban_key(ban: Ban) -> &'static str {
    match ban {
        Ban::UssdControl => "general-ban-ussd",
        Ban::SelfcareDetails => "general-ban-details",
        Ban::SelfcareAccess => "general-ban-selfcare",
        Ban::SubscriptionBlock => "general-subscription-block",
        Ban::HiddenCallerId => "general-hidden-id",
    }
}

/// The catalog key of a forwarding kind's name.
pub fn forward_kind_key(kind: ForwardKind) -> &'static str {
    match kind {
        ForwardKind::Unconditional => "fwd-kind-unconditional",
        ForwardKind::Busy => "fwd-kind-busy",
        ForwardKind::NoAnswer => "fwd-kind-no-answer",
        ForwardKind::Unreachable => "fwd-kind-unreachable",
    }
}

/// The service's name as the profile lists it.
fn service_name(p: &NumberProfile, code: &str) -> Option<Localized> {
    p.services.iter().find(|s| s.code == code).map(|s| s.name.clone())
}

/// Title, question and button of the confirmation.
fn wording(t: &Tr, op: &Operation, p: &NumberProfile) -> (String, String, String) {
    let yes = t.t("op-continue");
    match op {
        Operation::Block => (t.t("op-block-title"), t.t("op-block-question"), yes),
        Operation::Unblock => (t.t("op-unblock-title"), t.t("op-unblock-question"), yes),
        Operation::SetService { code, on } => {
            let name = service_name(p, code).map(|n| t.text(&n).to_string()).unwrap_or_else(|| code.clone());
            let (title, q) = if *on {
                ("op-service-on-title", "op-service-on-question")
            } else {
                ("op-service-off-title", "op-service-off-question")
            };
            (t.t(title), t.t1(q, "name", name), t.t("op-continue"))
        }
        Operation::SetBan { ban, on } => {
            let name = t.t(ban_key(*ban));
            let (title, q) = if *on {
                ("op-ban-on-title", "op-ban-on-question")
            } else {
                ("op-ban-off-title", "op-ban-off-question")
            };
            (t.t(title), t.t1(q, "name", name), yes)
        }
        Operation::ReplaceSim { iccid } => (t.t("op-sim-title"), t.t1("op-sim-question", "iccid", iccid.as_str()), yes),
        // The third manual's eSIM confirmation: "Back" / "Yes, I am sure".
        Operation::ChangeToEsim => (t.t("esim-title"), t.t("esim-confirm-question"), t.t("op-confirm-yes")),
        Operation::RegisterImei { imei } => {
            (t.t("imei-title"), t.t1("imei-register-question", "imei", imei.as_str()), yes)
        }
        Operation::RemoveImei { imei } => (t.t("imei-title"), t.t1("imei-remove-question", "imei", imei.as_str()), yes),
        Operation::RegisterDuplicateImei { imei } | Operation::ReregisterImei { imei, .. } => {
            (t.t("imei-title"), imei.clone(), yes)
        }
        Operation::AddForwarding { kind, .. } | Operation::RemoveForwarding { kind } => {
            (t.t("fwd-title"), t.t1("fwd-remove-question", "kind", t.t(forward_kind_key(*kind))), yes)
        }
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub(crate) struct ConfirmPage {
    pub frame: Frame,
    pub pretty: String,
    pub action: String,
    pub question: String,
    pub confirm: String,
    /// Where "Back" returns: the page (and switch) the administrator came from.
    pub back: String,
    /// Why the operation cannot be done now: then the page says so instead of asking.
    pub refusal: Option<String>,
    /// Fields the confirmation carries on (the new ICCID).
    pub hidden: Vec<(&'static str, String)>,
}

/// The company's number and its profile, for a manager; 404 for anything else.
pub(crate) async fn target(
    state: &AppState,
    signed: &Signed,
    number: &str,
) -> Result<(CompanyScope, Msisdn, NumberProfile), WebError> {
    company_number_as(state, signed, number, Permission::ManageNumbers).await
}

/// One of the company's numbers from the path, for who has `permission`: a malformed number
/// or one the company does not have is not found.
pub(crate) async fn company_number_as(
    state: &AppState,
    signed: &Signed,
    number: &str,
    permission: Permission,
) -> Result<(CompanyScope, Msisdn, NumberProfile), WebError> {
    let scope = signed.require(permission)?;
    let l = signed.locale();
    let msisdn = Msisdn::parse(number).map_err(|_| WebError::NotFound(l))?;
    let profile = profile::company_number(state, &scope, l, &msisdn).await?;
    Ok((scope, msisdn, profile))
}

pub(crate) async fn confirm(
    state: AppState,
    signed: Signed,
    number: String,
    op: Option<Operation>,
) -> Result<Response, WebError> {
    let op = op.ok_or(WebError::NotFound(signed.locale()))?;
    let (scope, msisdn, profile) = target(&state, &signed, &number).await?;
    let t = signed.visitor.tr();
    let (title, question, confirm) = wording(&t, &op, &profile);
    let latest = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, latest.as_ref());
    let refusal = rules::check_on(&op, &profile, current).err().map(|r| {
        let why = number_head::reason_text(&t, r.code());
        t.t1("op-refused-now", "reason", why)
    });
    let back = match &op {
        Operation::ReplaceSim { .. } => format!("/numbers/{msisdn}/sim"),
        Operation::ChangeToEsim => format!("/numbers/{msisdn}/esim"),
        _ => back_to(msisdn.as_str(), &op),
    };
    let frame = Frame::signed(&state, &signed, title).await?;
    let hidden = match &op {
        Operation::ReplaceSim { iccid } => vec![("iccid", iccid.clone())],
        _ => Vec::new(),
    };
    let page = ConfirmPage {
        pretty: msisdn.pretty(),
        action: path_of(msisdn.as_str(), &op),
        question,
        confirm,
        back,
        refusal,
        frame,
        hidden,
    };
    Ok(html(StatusCode::OK, &page))
}

pub(crate) async fn request(
    state: AppState,
    signed: Signed,
    number: String,
    op: Option<Operation>,
) -> Result<Response, WebError> {
    let op = op.ok_or(WebError::NotFound(signed.locale()))?;
    let (scope, msisdn, profile) = target(&state, &signed, &number).await?;
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, pending.as_ref());
    let name = match &op {
        Operation::SetService { code, .. } => service_name(&profile, code),
        _ => None,
    };
    let target_name = match &op {
        Operation::AddForwarding { target: ForwardTarget::Service(code), .. } => {
            profile.forward_services.iter().find(|s| s.code == *code).map(|s| s.name.clone())
        }
        _ => None,
    };
    let details =
        serde_json::to_string(&Details { operation: op.clone(), name, target_name }).expect("details serialize");
    let who = signed.actor(&scope);
    let now = now_ms();
    if let Err(refusal) = rules::check_on(&op, &profile, current) {
        // Refused here, as the network would: recorded as a failure, nothing sent.
        let refused = actions::NewAction {
            kind: op.kind(),
            msisdn: Some(msisdn.as_str()),
            details: &details,
            status: actions::FAILURE,
            reason: Some(refusal.code()),
            job_id: None,
        };
        let id = actions::record_now(&state.db, &who, &refused, now).await?;
        let t = signed.visitor.tr();
        let notice = actions::get(&state.db, &scope.company_id, &id).await?.map(|a| number_head::notice_of(&t, &a));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return match Place::of_kind(op.kind()) {
            Place::Profile => profile::render(&state, &signed, &scope, msisdn, status, notice).await,
            Place::Forwarding => forwarding::refused(&state, &signed, msisdn.as_str(), notice).await,
            Place::Device => imei::refused(&state, &signed, msisdn.as_str(), notice).await,
        };
    }
    // Device registration results also go to the number by SMS, as the operator's do.
    let result_sms = match &op {
        Operation::RegisterImei { imei }
        | Operation::RegisterDuplicateImei { imei }
        | Operation::ReregisterImei { imei, .. }
        | Operation::RemoveImei { imei } => {
            let t = signed.visitor.tr();
            Some(ResultSms {
                done: t.t1("imei-sms-done", "imei", imei.as_str()),
                failed: t.t1("imei-sms-failed", "imei", imei.as_str()),
            })
        }
        _ => None,
    };
    let back = back_to(msisdn.as_str(), &op);
    let payload =
        OperationPayload { bin: scope.bin.to_string(), msisdn: msisdn.to_string(), operation: op, result_sms };
    let (action_id, _) = requests::request_operation(&state.db, &who, &payload, &details, now).await?;
    state.jobs_wake.notify_one();
    let mut res = Redirect::to(&back).into_response();
    number_head::remember(&mut res, &state, &action_id);
    Ok(res)
}

fn state_op(name: &str) -> Option<Operation> {
    match name {
        "block" => Some(Operation::Block),
        "unblock" => Some(Operation::Unblock),
        _ => None,
    }
}

fn service_op(code: String, word: &str) -> Option<Operation> {
    let valid = !code.is_empty()
        && code.len() <= 64
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    Some(Operation::SetService { code, on: switch(word)? }).filter(|_| valid)
}

fn ban_op(ban: &str, word: &str) -> Option<Operation> {
    Some(Operation::SetBan { ban: Ban::from_code(ban)?, on: switch(word)? })
}

pub async fn confirm_state(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, op)): Path<(String, String)>,
) -> Result<Response, WebError> {
    confirm(s, signed, n, state_op(&op)).await
}

pub async fn request_state(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, op)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    request(s, signed, n, state_op(&op)).await
}

pub async fn confirm_service(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, code, word)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    confirm(s, signed, n, service_op(code, &word)).await
}

pub async fn request_service(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, code, word)): Path<(String, String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    request(s, signed, n, service_op(code, &word)).await
}

pub async fn confirm_ban(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, ban, word)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    confirm(s, signed, n, ban_op(&ban, &word)).await
}

pub async fn request_ban(
    State(s): State<AppState>,
    signed: Signed,
    Path((n, ban, word)): Path<(String, String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    request(s, signed, n, ban_op(&ban, &word)).await
}

#[derive(Template)]
#[template(path = "sim.html")]
struct SimPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    iccid: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SimForm {
    #[serde(default)]
    iccid: String,
}

/// The SIM replacement form, again with the typed ICCID and what is wrong with it.
async fn sim_form(
    state: &AppState,
    signed: &Signed,
    number: &str,
    iccid: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (_, msisdn, _) = target(state, signed, number).await?;
    let t = signed.visitor.tr();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let frame = Frame::signed(state, signed, t.t("op-sim-title")).await?;
    let page = SimPage { frame, pretty: msisdn.pretty(), msisdn: msisdn.to_string(), iccid: iccid.to_string(), error };
    Ok(html(status, &page))
}

/// The ICCID as typed, parsed; or the form again with the catalog's message.
async fn parsed_iccid(
    state: &AppState,
    signed: &Signed,
    number: &str,
    typed: &str,
) -> Result<Result<Operation, Response>, WebError> {
    match cabinet_core::Iccid::parse(typed) {
        Ok(iccid) => Ok(Ok(Operation::ReplaceSim { iccid: iccid.to_string() })),
        Err(e) => {
            let msg = signed.visitor.tr().t(e.message_key());
            Ok(Err(sim_form(state, signed, number, typed, Some(msg)).await?))
        }
    }
}

/// GET /numbers/{msisdn}/sim: enter the new SIM card's number.
pub async fn sim_show(State(s): State<AppState>, signed: Signed, Path(n): Path<String>) -> Result<Response, WebError> {
    sim_form(&s, &signed, &n, "", None).await
}

/// POST /numbers/{msisdn}/sim/confirm: the typed ICCID checked, then "Are you sure…".
pub async fn sim_confirm(
    State(s): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(form): CsrfForm<SimForm>,
) -> Result<Response, WebError> {
    match parsed_iccid(&s, &signed, &n, &form.iccid).await? {
        Ok(op) => confirm(s, signed, n, Some(op)).await,
        Err(page) => Ok(page),
    }
}

/// POST /numbers/{msisdn}/sim: the replacement requested.
pub async fn sim_request(
    State(s): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(form): CsrfForm<SimForm>,
) -> Result<Response, WebError> {
    match parsed_iccid(&s, &signed, &n, &form.iccid).await? {
        Ok(op) => request(s, signed, n, Some(op)).await,
        Err(page) => Ok(page),
    }
}
