//! The head of the number profile: the number, its state and the date of the last change,
//! the buttons that fit that state, and the outcome of the latest request. While a request
//! waits for the operator the head asks for itself again every second (htmx), so the page
//! updates by itself; without JavaScript, Refresh does the same.

use crate::auth::{CompanyScope, Permission, Signed};
use crate::error::WebError;
use crate::pages::numbers::state_key;
use crate::render::html;
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{NumberProfile, NumberState};
use cabinet_core::time::now_ms;
use cabinet_store::actions;

/// How long the outcome of the latest request stays on the head.
const OUTCOME_SHOWN_MS: i64 = 10 * 60 * 1000;

#[derive(Template)]
#[template(path = "number_head.html")]
pub struct NumberHead {
    t: Tr,
    msisdn: String,
    pretty: String,
    state_key: &'static str,
    state_class: &'static str,
    state_changed: String,
    processing: bool,
    can_manage: bool,
    can_block: bool,
    can_unblock: bool,
    blocked_for_debt: bool,
    /// ("success" | "failure" | "processing", text)
    notice: Option<(&'static str, String)>,
}

/// The text of an action's outcome reason, in the visitor's language.
pub fn reason_text(t: &Tr, reason: &str) -> String {
    // A code the catalogs know, or else the operator's own words.
    t.try_t(&format!("reason-{}", reason.replace('_', "-"))).unwrap_or_else(|| reason.to_string())
}

pub async fn view(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    profile: &NumberProfile,
) -> Result<NumberHead, WebError> {
    let latest = actions::latest_on(&state.db, &scope.company_id, profile.summary.msisdn.as_str()).await?;
    Ok(view_of(state, signed, profile, latest))
}

/// The head, given the latest action on the number (the profile reads it with other records).
pub fn view_of(
    state: &AppState,
    signed: &Signed,
    profile: &NumberProfile,
    latest: Option<actions::Action>,
) -> NumberHead {
    let t = signed.visitor.tr();
    let msisdn = profile.summary.msisdn.as_str();
    let processing = latest.as_ref().is_some_and(|a| a.status == actions::PROCESSING)
        || profile.summary.state == NumberState::Processing;
    let shown = if processing { NumberState::Processing } else { profile.summary.state };
    let now = now_ms();
    let notice = latest.filter(|a| now - a.finished_ms.unwrap_or(a.created_ms) < OUTCOME_SHOWN_MS).map(|a| {
        match a.status.as_str() {
            actions::PROCESSING => ("processing", t.t("op-processing")),
            actions::SUCCESS => (
                "success",
                t.try_t(&format!("op-success-{}", a.kind.replace('_', "-"))).unwrap_or_else(|| t.t("op-success")),
            ),
            _ => ("failure", t.t1("op-failure", "reason", reason_text(&t, a.reason.as_deref().unwrap_or("")))),
        }
    });
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
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
        notice,
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
    let scope = signed.require(Permission::ViewNumbers)?;
    let t = signed.visitor.tr();
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(t.locale))?;
    let profile = crate::pages::profile::company_number(&state, &scope, t.locale, &msisdn).await?;
    let head = view(&state, &signed, &scope, &profile).await?;
    let done = !head.processing;
    let mut res = html(StatusCode::OK, &head);
    // The page polled while the request was processed; now that it is done, the rest of the
    // page (services, bans, SIM) has changed too: htmx reloads it whole.
    if done && headers.contains_key("hx-request") {
        res.headers_mut().insert("hx-refresh", HeaderValue::from_static("true"));
    }
    Ok(res)
}
