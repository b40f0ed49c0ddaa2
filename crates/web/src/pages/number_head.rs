//! The head of the number profile: the number, its state and the date of the last change,
//! the buttons that fit that state, and the outcome of the administrator's own request.
//! While a request waits for the operator the head asks for itself again every second
//! (htmx), so the page updates by itself; without JavaScript, Refresh does the same.
//!
//! The outcome is a one-time notice: the request leaves the action's id in a short-lived
//! cookie, the page where the administrator acted (the profile at the switch, the forwarding
//! page, the device page) shows what changed once the outcome is known, and clears the
//! cookie as it does, so a reload does not show it again.

use crate::auth::{CompanyScope, Permission, Signed};
use crate::error::WebError;
use crate::pages::numbers::state_key;
use crate::pages::operations::{self, Details};
use crate::render::html;
use crate::visitor::{cookie, cookie_name, set_cookie};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{ForwardTarget, NumberProfile, NumberState, Operation};
use cabinet_core::rules::{self, Refusal};
use cabinet_store::actions;

/// The cookie that carries the id of the administrator's latest request until its outcome
/// has been shown.
pub const FLASH_COOKIE: &str = "cabinet_op";
/// How long an outcome waits to be shown (the cookie's life).
const FLASH_MAX_AGE_S: i64 = 30 * 60;

/// Where an operation is done, and so where its outcome is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Profile,
    Forwarding,
    Device,
}

impl Place {
    pub fn of_kind(kind: &str) -> Place {
        if kind.starts_with("forwarding_") {
            Place::Forwarding
        } else if kind.starts_with("imei_") {
            Place::Device
        } else {
            Place::Profile
        }
    }

    /// The page of this place for a number.
    pub fn path(self, msisdn: &str) -> String {
        match self {
            Place::Profile => format!("/numbers/{msisdn}"),
            Place::Forwarding => format!("/numbers/{msisdn}/forwarding"),
            Place::Device => format!("/numbers/{msisdn}/imei"),
        }
    }
}

/// What an action's outcome says, and where it goes on the page.
#[derive(Debug, Clone)]
pub struct OpNotice {
    /// "success" | "failure" | "processing"
    pub class: &'static str,
    pub text: String,
    /// The id of the switch it concerns (a service or a ban); None: the top of the page.
    pub anchor: Option<String>,
}

impl OpNotice {
    pub fn processing(&self) -> bool {
        self.class == "processing"
    }

    /// Whether the notice belongs next to the switch `anchor` (or, for None, at the top).
    pub fn is_at(&self, anchor: &str) -> bool {
        self.anchor.as_deref() == Some(anchor)
    }
}

/// The notice markup for pages other than the profile: while the request is processed it
/// asks for itself again every second, and reloads the page when the outcome arrives.
#[derive(Template)]
#[template(path = "op_notice.html")]
pub struct NoticeView {
    pub msisdn: String,
    /// "forwarding" | "device": which page polls.
    pub at: &'static str,
    pub notice: Option<OpNotice>,
}

/// The text of an action's outcome reason, in the visitor's language.
pub fn reason_text(t: &Tr, reason: &str) -> String {
    // A code the catalogs know, or else the operator's own words.
    t.try_t(&format!("reason-{}", reason.replace('_', "-"))).unwrap_or_else(|| reason.to_string())
}

/// Why a control cannot be used now, in words that name the cause ("The number is blocked").
pub fn why_not(t: &Tr, refusal: Refusal, state: NumberState) -> String {
    match (refusal, state) {
        (Refusal::InProgress, _) | (_, NumberState::Processing) => t.t("why-processing"),
        (Refusal::NotActive | Refusal::AlreadyBlocked, NumberState::Blocked) => t.t("why-blocked"),
        (Refusal::NotActive | Refusal::AlreadyBlocked | Refusal::BlockedForDebt, NumberState::BlockedDebt) => {
            t.t("why-blocked-debt")
        }
        (Refusal::ServiceUnavailable, _) => t.t("why-unavailable"),
        (Refusal::InRoaming, _) => t.t("why-roaming"),
        (r, _) => {
            let text = reason_text(t, r.code());
            let mut chars = text.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// The forwarding kind as a phrase of "Forwarding … to … is set".
fn forward_phrase(t: &Tr, kind: cabinet_core::operator::ForwardKind) -> String {
    t.t(&format!("fwd-phrase-{}", kind.code().replace('_', "-")))
}

/// What the administrator's action changed (or why it did not), in the visitor's language.
pub fn notice_of(t: &Tr, a: &actions::Action) -> OpNotice {
    let details: Option<Details> = serde_json::from_str(&a.details).ok();
    let op = details.as_ref().map(|d| &d.operation);
    let name = details.as_ref().and_then(|d| d.name.as_ref().or(d.target_name.as_ref())).map(|n| t.text(n).to_string());
    let anchor = op.and_then(operations::anchor_of);
    let reason = reason_text(t, a.reason.as_deref().unwrap_or(""));
    let (class, text) = match a.status.as_str() {
        actions::PROCESSING => ("processing", t.t("op-processing")),
        actions::SUCCESS => ("success", done_text(t, &a.kind, op, name)),
        _ => ("failure", failed_text(t, &a.kind, op, name, reason)),
    };
    OpNotice { class, text, anchor }
}

fn subject(t: &Tr, op: Option<&Operation>, name: Option<String>) -> String {
    match op {
        Some(Operation::SetService { code, .. }) => name.unwrap_or_else(|| code.clone()),
        Some(Operation::SetBan { ban, .. }) => t.t(operations::ban_key(*ban)),
        Some(Operation::ReplaceSim { iccid }) => iccid.clone(),
        Some(
            Operation::RegisterImei { imei }
            | Operation::RegisterDuplicateImei { imei }
            | Operation::ReregisterImei { imei, .. }
            | Operation::RemoveImei { imei },
        ) => imei.clone(),
        Some(Operation::AddForwarding { kind, .. } | Operation::RemoveForwarding { kind }) => forward_phrase(t, *kind),
        _ => String::new(),
    }
}

fn done_text(t: &Tr, kind: &str, op: Option<&Operation>, name: Option<String>) -> String {
    let key = format!("done-{}", kind.replace('_', "-"));
    if let Some(Operation::AddForwarding { kind, target }) = op {
        let target = match target {
            ForwardTarget::Number(n) => Msisdn::pretty_text(n),
            ForwardTarget::Service(code) => t.t1("fwd-notice-service", "name", name.unwrap_or_else(|| code.clone())),
        };
        return t.t2(&key, ("kind", forward_phrase(t, *kind)), ("target", target));
    }
    if kind == "esim_replacement" {
        return t.t("op-success-esim-replacement");
    }
    let subject = subject(t, op, name);
    t.try_t1(&key, "name", subject).unwrap_or_else(|| t.t("op-success"))
}

fn failed_text(t: &Tr, kind: &str, op: Option<&Operation>, name: Option<String>, reason: String) -> String {
    let key = format!("failed-{}", kind.replace('_', "-"));
    let subject = subject(t, op, name);
    t.try_t2(&key, ("name", subject), ("reason", reason.clone()))
        .unwrap_or_else(|| t.t1("op-failure", "reason", reason))
}

/// The administrator's own request on this number that waits to be shown at `place`: its
/// notice, and whether it is final (then the page that shows it clears the cookie).
pub async fn flash(
    state: &AppState,
    scope: &CompanyScope,
    t: &Tr,
    headers: &HeaderMap,
    msisdn: &str,
    place: Place,
) -> Result<Option<OpNotice>, WebError> {
    let secure = state.config.secure_cookies;
    let Some(id) = cookie(headers, &cookie_name(FLASH_COOKIE, secure)).filter(|v| cabinet_store::ids::is_id(v)) else {
        return Ok(None);
    };
    let Some(action) = actions::get(&state.db, &scope.company_id, id).await? else {
        return Ok(None);
    };
    if action.msisdn.as_deref() != Some(msisdn) || Place::of_kind(&action.kind) != place {
        return Ok(None);
    }
    Ok(Some(notice_of(t, &action)))
}

/// Leaves the action's id for the page the administrator is sent back to.
pub fn remember(res: &mut Response, state: &AppState, action_id: &str) {
    let secure = state.config.secure_cookies;
    res.headers_mut().append(SET_COOKIE, set_cookie(FLASH_COOKIE, action_id, Some(FLASH_MAX_AGE_S), secure));
}

/// Once an outcome has been shown, it is not shown again.
pub fn shown(res: &mut Response, state: &AppState, notice: &Option<OpNotice>) {
    if notice.as_ref().is_some_and(|n| !n.processing()) {
        let secure = state.config.secure_cookies;
        res.headers_mut().append(SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), secure));
    }
}

#[derive(Template)]
#[template(path = "number_head.html")]
pub struct NumberHead {
    t: Tr,
    msisdn: String,
    pretty: String,
    state_key: &'static str,
    state_class: &'static str,
    state_changed: String,
    pub processing: bool,
    can_manage: bool,
    can_block: bool,
    can_unblock: bool,
    blocked_for_debt: bool,
    /// The outcome of an operation done from the head (block, SIM, eSIM, secret code…).
    notice: Option<OpNotice>,
    /// The operations of the menu: (id, href, text, why it cannot be used now).
    menu: Vec<MenuItem>,
    /// An advance number's payment history, for who may see payments.
    payments: bool,
}

pub struct MenuItem {
    pub id: &'static str,
    pub href: String,
    pub text: String,
    pub why_not: Option<String>,
}

/// The state the number is in for the rules: Processing while a request is open.
pub fn current_state(profile: &NumberProfile, latest: Option<&actions::Action>) -> NumberState {
    if latest.is_some_and(|a| a.status == actions::PROCESSING) {
        NumberState::Processing
    } else {
        profile.summary.state
    }
}

pub async fn view(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    profile: &NumberProfile,
    notice: Option<OpNotice>,
) -> Result<NumberHead, WebError> {
    let latest = actions::latest_on(&state.db, &scope.company_id, profile.summary.msisdn.as_str()).await?;
    Ok(view_of(state, signed, profile, latest, notice))
}

/// The head, given the latest action on the number (the profile reads it with other records).
pub fn view_of(
    state: &AppState,
    signed: &Signed,
    profile: &NumberProfile,
    latest: Option<actions::Action>,
    notice: Option<OpNotice>,
) -> NumberHead {
    let t = signed.visitor.tr();
    let msisdn = profile.summary.msisdn.as_str();
    let shown = current_state(profile, latest.as_ref());
    let processing = shown == NumberState::Processing;
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let why = |r: Result<(), Refusal>| r.err().map(|r| why_not(&t, r, shown));
    let sim = Operation::ReplaceSim { iccid: String::new() };
    let esim = match shown {
        NumberState::Processing => Err(Refusal::InProgress),
        _ => rules::check_esim_issue(profile),
    };
    let menu = vec![
        MenuItem {
            id: "menu-sim",
            href: format!("/numbers/{msisdn}/sim"),
            text: t.t("op-sim-title"),
            why_not: why(rules::check(&sim, shown)),
        },
        MenuItem {
            id: "menu-esim",
            href: format!("/numbers/{msisdn}/esim"),
            text: t.t("esim-title"),
            why_not: why(esim),
        },
        MenuItem {
            id: "menu-forwarding",
            href: format!("/numbers/{msisdn}/forwarding"),
            text: t.t("fwd-title"),
            why_not: None,
        },
        MenuItem { id: "menu-imei", href: format!("/numbers/{msisdn}/imei"), text: t.t("imei-title"), why_not: None },
        MenuItem {
            id: "menu-secret",
            href: format!("/numbers/{msisdn}/secret-code/send"),
            text: t.t("secret-send"),
            why_not: why(rules::check_secret_code(shown)),
        },
    ];
    NumberHead {
        msisdn: msisdn.to_string(),
        pretty: profile.summary.msisdn.pretty(),
        state_key: state_key(shown),
        state_class: shown.code(),
        state_changed: state.config.zone.date_time(profile.state_changed_ms),
        processing,
        can_manage,
        can_block: shown == NumberState::Active,
        can_unblock: shown == NumberState::Blocked,
        blocked_for_debt: shown == NumberState::BlockedDebt,
        notice: notice.filter(|n| n.anchor.is_none()),
        menu,
        payments: profile.summary.billing == cabinet_core::operator::BillingMethod::Advance
            && signed.require(Permission::ViewPayments).is_ok(),
        t,
    }
}

/// GET /numbers/{msisdn}/head: the head alone, for the page to poll.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) =
        crate::pages::operations::company_number_as(&state, &signed, &number, Permission::ViewNumbers).await?;
    let t = signed.visitor.tr();
    // While polling the head shows the request as processing; the outcome itself is shown
    // (and the cookie cleared) by the page the poll reloads.
    let notice = flash(&state, &scope, &t, &headers, msisdn.as_str(), Place::Profile).await?;
    let processing_notice = notice.filter(|n| n.processing());
    let head = view(&state, &signed, &scope, &profile, processing_notice).await?;
    let done = !head.processing;
    let mut res = html(StatusCode::OK, &head);
    // The page polled while the request was processed; now that it is done, the rest of the
    // page (services, bans, SIM) has changed too: htmx reloads it whole.
    if done && headers.contains_key("hx-request") {
        res.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// GET /numbers/{msisdn}/notice?at=forwarding|device: the notice alone, for the forwarding
/// and device pages to poll while their request is processed.
pub async fn notice(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(number): Path<String>,
    axum::extract::Query(q): axum::extract::Query<NoticeQuery>,
) -> Result<Response, WebError> {
    // Another company's number is not found (its notices are not this company's anyway).
    let (scope, msisdn, _) =
        crate::pages::operations::company_number_as(&state, &signed, &number, Permission::ViewNumbers).await?;
    let t = signed.visitor.tr();
    let (place, at) = if q.at == "device" { (Place::Device, "device") } else { (Place::Forwarding, "forwarding") };
    let notice = flash(&state, &scope, &t, &headers, msisdn.as_str(), place).await?;
    let done = !notice.as_ref().is_some_and(OpNotice::processing);
    let view = NoticeView { msisdn: msisdn.to_string(), at, notice: notice.filter(|n| n.processing()) };
    let mut res = html(StatusCode::OK, &view);
    if done && headers.contains_key("hx-request") {
        res.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    }
    Ok(res)
}

#[derive(serde::Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    at: String,
}
