//! The operator console (`/operator`): operator staff sign in with their own accounts
//! (made with `cabinet staff create`), see the companies' requests for administrator
//! access with their letters, and approve or reject each (`registration`).

use crate::AppState;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::limits;
use crate::pages::signin::{log_refusal, until_text};
use crate::registration;
use crate::render::{Frame, Guest, html};
use crate::staff::{STAFF_COOKIE, Staff};
use crate::visitor::{Visitor, set_cookie};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Msisdn;
use cabinet_core::time::now_ms;
use cabinet_store::access_requests::{self, AccessRequest};
use cabinet_store::{operator_staff, password};
use serde::Deserialize;

fn staff_frame(state: &AppState, staff: &Staff, title_key: &str) -> Frame {
    let mut frame = Frame::public(state, &staff.visitor, title_key);
    frame.home = "/operator";
    frame.guest = Some(Guest { name: staff.session.name.clone(), signout: "/operator/signout" });
    frame
}

#[derive(Template)]
#[template(path = "operator_signin.html")]
struct SignInPage {
    frame: Frame,
    login: String,
    error: Option<String>,
}

fn signin_page(state: &AppState, visitor: &Visitor, login: String, error: Option<String>) -> SignInPage {
    let mut frame = Frame::public(state, visitor, "operator-signin-title");
    frame.home = "/operator";
    SignInPage { frame, login, error }
}

pub async fn show_signin(State(state): State<AppState>, visitor: Visitor, staff: Option<Staff>) -> Response {
    if staff.is_some() {
        return Redirect::to("/operator").into_response();
    }
    html(StatusCode::OK, &signin_page(&state, &visitor, String::new(), None))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(mut form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let now = now_ms();
    let client = visitor.client_ip;
    let login: String = form.login.trim().chars().take(64).collect();
    let refuse = |status: StatusCode, message: String| {
        html(status, &signin_page(&state, &visitor, login.clone(), Some(message)))
    };
    let mut charged = match limits::charge_staff(&state, &login, client, now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, &login, client);
            return Ok(refuse(
                StatusCode::TOO_MANY_REQUESTS,
                until_text(&state, &visitor, "signin-locked", refusal.until_ms),
            ));
        }
    };
    let staff = operator_staff::by_login(&state.db, &login).await?;
    // An unknown login costs the same hash as a wrong password and gets the same message.
    let hash = staff.as_ref().map(|s| s.password_hash.clone()).unwrap_or_else(|| password::DUMMY_HASH.to_string());
    let good = password::verify(std::mem::take(&mut form.password), hash).await;
    let Some(staff) = staff.filter(|_| good) else {
        tracing::warn!(target: "security", event = "staff_signin_failed", who = login.as_str(), client = %client,
            "wrong staff login or password");
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, visitor.tr().t("operator-signin-wrong")));
    };
    charged.give_back(&state, now).await?;
    let id = operator_staff::start_session(&state.db, &staff.id, now, state.config.session_ttl_ms).await?;
    tracing::info!(target: "security", event = "staff_signed_in", who = staff.login.as_str(), client = %client,
        "operator staff signed in");
    let mut res = Redirect::to("/operator").into_response();
    res.headers_mut().append(SET_COOKIE, set_cookie(STAFF_COOKIE, &id, None, state.config.secure_cookies));
    Ok(res)
}

pub async fn sign_out(
    State(state): State<AppState>,
    staff: Option<Staff>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    if let Some(s) = staff {
        operator_staff::end_session(&state.db, &s.session.id_hash).await?;
    }
    let mut res = Redirect::to("/operator/signin").into_response();
    res.headers_mut().append(SET_COOKIE, set_cookie(STAFF_COOKIE, "", Some(0), state.config.secure_cookies));
    Ok(res)
}

/// A request as the console lists and shows it.
struct RequestView {
    id: String,
    bin: String,
    company_name: String,
    admin_name: String,
    phone: String,
    email: String,
    letter_name: String,
    letter_size: String,
    /// The letter is still kept (decided requests' letters go after 90 days).
    letter_kept: bool,
    state_key: &'static str,
    state_class: &'static str,
    reason: Option<String>,
    decided: Option<String>,
    created: String,
    pending: bool,
}

fn view(state: &AppState, t: &crate::Tr, r: AccessRequest) -> RequestView {
    let zone = &state.config.zone;
    let (state_key, state_class) = match r.state.as_str() {
        access_requests::APPROVED => ("operator-state-approved", "active"),
        access_requests::REJECTED => ("operator-state-rejected", "blocked"),
        _ => ("operator-state-pending", "processing"),
    };
    RequestView {
        pending: r.state == access_requests::PENDING,
        bin: r.bin,
        company_name: r.company_name,
        admin_name: r.admin_name,
        phone: Msisdn::parse(&r.phone).map(|m| m.pretty()).unwrap_or(r.phone),
        email: r.email,
        letter_name: r.letter_name,
        letter_kept: r.letter_size > 0,
        letter_size: t.t1("operator-kb", "kb", (r.letter_size + 1023) / 1024),
        state_key,
        state_class,
        reason: r.reason,
        decided: match (r.decided_by, r.decided_ms) {
            (Some(by), Some(ms)) => Some(t.t2("operator-decided", ("who", by), ("when", zone.date_time(ms)))),
            _ => None,
        },
        created: zone.date_time(r.created_ms),
        id: r.id,
    }
}

#[derive(Template)]
#[template(path = "operator_requests.html")]
struct ListPage {
    frame: Frame,
    pending: Vec<RequestView>,
    decided: Vec<RequestView>,
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    let t = staff.visitor.tr();
    let (pending, decided) = access_requests::list(&state.db, 50).await?;
    let page = ListPage {
        frame: staff_frame(&state, &staff, "operator-title"),
        pending: pending.into_iter().map(|r| view(&state, &t, r)).collect(),
        decided: decided.into_iter().map(|r| view(&state, &t, r)).collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "operator_request.html")]
struct RequestPage {
    frame: Frame,
    r: RequestView,
    error: Option<String>,
    /// The error is the reason's (empty or too long): the field is marked.
    reason_error: bool,
    reason: String,
}

async fn request_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    status: StatusCode,
    refusal: Option<registration::Refusal>,
    reason: String,
) -> Result<Response, WebError> {
    let t = staff.visitor.tr();
    let r = access_requests::get(&state.db, id).await?.ok_or(WebError::NotFound(t.locale))?;
    let page = RequestPage {
        frame: staff_frame(state, staff, "operator-request-title"),
        r: view(state, &t, r),
        error: refusal.map(|r| t.t(r.message_key())),
        reason_error: refusal == Some(registration::Refusal::NoReason),
        reason,
    };
    Ok(html(status, &page))
}

pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> Result<Response, WebError> {
    request_page(&state, &staff, &id, StatusCode::OK, None, String::new()).await
}

/// The company's letter, as uploaded (a download: never shown inline on our origin).
pub async fn letter(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> Result<Response, WebError> {
    let (name, bytes) =
        access_requests::letter(&state.db, &id).await?.ok_or(WebError::NotFound(staff.visitor.locale))?;
    let mut res = bytes.into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    let disposition = format!("attachment; filename=\"{name}\"");
    res.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(|_| WebError::Internal)?);
    Ok(res)
}

pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let Some(base) = crate::links::base(&state, &headers) else {
        return Err(WebError::Internal);
    };
    let outcome = registration::approve(
        &state.db,
        state.operator.as_ref(),
        &state.config,
        &base,
        &id,
        &staff.session.name,
        now_ms(),
    )
    .await?;
    match outcome {
        Ok(_) => {
            tracing::info!(target: "security", event = "access_approved", request = id.as_str(),
                who = staff.session.login.as_str(), "request for access approved");
            state.jobs_wake.notify_one();
            Ok(Redirect::to(&format!("/operator/requests/{id}")).into_response())
        }
        Err(refusal) => request_page(&state, &staff, &id, StatusCode::CONFLICT, Some(refusal), String::new()).await,
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> Result<Response, WebError> {
    let outcome =
        registration::reject(&state.db, &state.config, &id, &staff.session.name, &form.reason, now_ms()).await?;
    match outcome {
        Ok(()) => {
            tracing::info!(target: "security", event = "access_rejected", request = id.as_str(),
                who = staff.session.login.as_str(), "request for access rejected");
            state.jobs_wake.notify_one();
            Ok(Redirect::to(&format!("/operator/requests/{id}")).into_response())
        }
        Err(refusal) => {
            let status = if refusal == registration::Refusal::NoReason {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            request_page(&state, &staff, &id, status, Some(refusal), form.reason).await
        }
    }
}
