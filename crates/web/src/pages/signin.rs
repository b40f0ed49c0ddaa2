//! Sign-in: phone number and password, then a six-digit one-time code sent by SMS (the
//! operator's own numbers) or e-mail (other operators' and foreign numbers); sign-out.

use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::limits;
use crate::pages::lang::local_path;
use crate::pages::password_reset::UPDATED_COOKIE;
use crate::render::{Frame, html, urlencode};
use crate::visitor::{SESSION_COOKIE, Visitor, cookie, cookie_name, set_cookie};
use crate::{AppState, auth::Signed};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Msisdn;
use cabinet_core::time::now_ms;
use cabinet_store::{admins, otp, outbox, password, sessions};
use serde::Deserialize;
use std::net::IpAddr;

/// How long a visitor has between a right password and the code.
const PENDING_TTL_MS: i64 = 10 * 60 * 1000;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    frame: Frame,
    phone: String,
    error: Option<String>,
    /// "You have signed out", once, right after signing out.
    notice: Option<String>,
    /// The page to go to after the code (a local path), kept through both steps.
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "signin_code.html")]
pub(crate) struct CodePage {
    pub frame: Frame,
    /// Where the code is posted (`…/resend` sends a new one), and the way back.
    pub action: &'static str,
    pub back: &'static str,
    /// The catalog key of the lead naming where the code went (`destination`).
    pub lead_key: &'static str,
    pub destination: String,
    pub resend_in_s: i64,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub next: Option<String>,
}

/// A short-lived cookie that sign-out sets and the sign-in page clears: "You have signed
/// out" shows once, not again on reload.
const SIGNED_OUT_COOKIE: &str = "cabinet_signed_out";

/// The page asked for before signing in, when it is a local path other than the start page
/// (the same check as the language switcher's).
fn next_path(next: Option<String>) -> Option<String> {
    let path = local_path(next);
    (path != "/" && !path.starts_with("/signin")).then_some(path)
}

/// Where to go once signed in.
fn after_signin(next: Option<String>) -> String {
    next_path(next).unwrap_or_else(|| "/numbers".into())
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    if visitor.session.as_ref().is_some_and(|s| s.stage == sessions::STAGE_ACTIVE) {
        return Redirect::to(&after_signin(q.next)).into_response();
    }
    let secure = state.config.secure_cookies;
    let signed_out = cookie(&headers, &cookie_name(SIGNED_OUT_COOKIE, secure)).is_some();
    let updated = cookie(&headers, &cookie_name(UPDATED_COOKIE, secure)).is_some();
    let frame = Frame::public(&state, &visitor, "signin-title");
    let notice = if updated {
        Some(visitor.tr().t("account-updated"))
    } else {
        signed_out.then(|| visitor.tr().t("signout-done"))
    };
    let page = SignInPage { frame, phone: String::new(), error: None, notice, next: next_path(q.next) };
    let mut res = html(StatusCode::OK, &page);
    // Each says its word once, not again on reload.
    for (name, set) in [(SIGNED_OUT_COOKIE, signed_out), (UPDATED_COOKIE, updated)] {
        if set {
            res.headers_mut().append(SET_COOKIE, set_cookie(name, "", Some(0), secure));
        }
    }
    res
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn signin_page(state: &AppState, visitor: &Visitor, form: &SignInForm, error: String) -> SignInPage {
    let frame = Frame::public(state, visitor, "signin-title");
    SignInPage {
        frame,
        phone: form.phone.clone(),
        error: Some(error),
        notice: None,
        next: next_path(form.next.clone()),
    }
}

fn signin_error(state: &AppState, visitor: &Visitor, form: &SignInForm, key: &str, status: StatusCode) -> Response {
    html(status, &signin_page(state, visitor, form, visitor.tr().t(key)))
}

/// "Too many attempts, try again after …": the minute is rounded up, so that trying at the
/// time shown works.
pub(crate) fn until_text(state: &AppState, visitor: &Visitor, key: &str, until_ms: i64) -> String {
    visitor.tr().t1(key, "until", state.config.zone.date_time(until_ms + 59_999))
}

/// Logs a refusal by a locked counter, and the lockout itself once, when it happens.
pub(crate) fn log_refusal(r: &limits::Refusal, who: &str, client: IpAddr) {
    if r.first {
        tracing::warn!(target: "security", event = "lockout", scope = r.scope, who, client = %client,
            until_ms = r.until_ms, "too many failures: locked");
    } else {
        tracing::warn!(target: "security", event = "refused_locked", scope = r.scope, who, client = %client,
            until_ms = r.until_ms, "refused while locked");
    }
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(mut form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let now = now_ms();
    let client = visitor.client_ip;
    let phone = match Msisdn::parse(&form.phone) {
        Ok(phone) => phone,
        Err(e) => return Ok(signin_error(&state, &visitor, &form, e.message_key(), StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let who = phone.to_string();
    let device =
        cookie(&headers, limits::DEVICE_COOKIE).and_then(|c| limits::known_device(&state.secret, c, &phone, now));
    // Charged before the password is checked, so that attempts made at once all count; a
    // locked counter refuses even the right password. Unknown phones are charged alike.
    let mut charged = match limits::charge_password(&state, &phone, client, device.as_deref(), now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, &who, client);
            let page =
                signin_page(&state, &visitor, &form, until_text(&state, &visitor, "signin-locked", refusal.until_ms));
            return Ok(html(StatusCode::TOO_MANY_REQUESTS, &page));
        }
    };
    let admin = admins::by_phone(&state.db, &phone).await?;
    // An unknown phone costs the same hash as a wrong password and gets the same message.
    let hash = admin.as_ref().and_then(|a| a.password_hash.clone()).unwrap_or_else(|| password::DUMMY_HASH.to_string());
    let good = password::verify(std::mem::take(&mut form.password), hash).await;
    let Some(admin) = admin.filter(|a| good && a.password_hash.is_some()) else {
        tracing::warn!(target: "security", event = "signin_failed", who = who.as_str(), client = %client,
            known_device = device.is_some(), "wrong phone number or password");
        return Ok(signin_error(&state, &visitor, &form, "signin-wrong", StatusCode::UNPROCESSABLE_ENTITY));
    };
    charged.give_back(&state, now).await?;
    // Too many wrong codes: no new code until the pause ends (the password was right, so
    // saying so tells nothing new to whoever locked it).
    if let Some(until) = limits::codes_locked_until(&state, &admin.id, now).await? {
        tracing::warn!(target: "security", event = "refused_locked", scope = "account codes", who = admin.id.as_str(),
            client = %client, until_ms = until, "no code sent: code entry locked");
        let page = signin_page(&state, &visitor, &form, until_text(&state, &visitor, "otp-locked", until));
        return Ok(html(StatusCode::TOO_MANY_REQUESTS, &page));
    }
    let challenge = send_code(&state, &visitor.tr(), &admin, now).await?;
    let Some(challenge) = challenge else {
        return Ok(signin_error(&state, &visitor, &form, "signin-no-email", StatusCode::UNPROCESSABLE_ENTITY));
    };
    let id =
        sessions::create(&state.db, &admin.id, sessions::STAGE_OTP, None, Some(&challenge.id), now, PENDING_TTL_MS)
            .await?;
    tracing::info!(target: "security", event = "password_accepted", who = admin.id.as_str(), client = %client,
        known_device = device.is_some(), "password accepted, code sent");
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, set_cookie(SESSION_COOKIE, &id, None, state.config.secure_cookies));
    let code_path = match next_path(form.next) {
        Some(next) => format!("/signin/code?next={}", urlencode(&next)),
        None => "/signin/code".into(),
    };
    Ok((headers, Redirect::to(&code_path)).into_response())
}

/// Issues a code and puts the message in the outbox: SMS to the operator's own numbers,
/// e-mail otherwise. None when an e-mail is needed and the administrator has none.
async fn send_code(
    state: &AppState,
    t: &Tr,
    admin: &admins::Admin,
    now: i64,
) -> Result<Option<otp::Challenge>, WebError> {
    let phone = Msisdn::parse(&admin.phone).map_err(|_| WebError::Internal)?;
    let code = otp::new_code();
    let text = t.t1("otp-message", "code", code.as_str());
    let (channel, recipient) = if state.config.is_operator_number(&phone) {
        (outbox::SMS, admin.phone.clone())
    } else {
        match admin.email.as_deref().filter(|e| !e.is_empty()) {
            Some(email) => (outbox::EMAIL, email.to_string()),
            None => return Ok(None),
        }
    };
    let challenge = otp::issue(&state.db, &state.secret, &admin.id, channel, &code, state.config.otp, now).await?;
    let subject = (channel == outbox::EMAIL).then(|| t.t("otp-subject"));
    state.send_secret(channel, &recipient, subject.as_deref(), &text, now).await?;
    Ok(Some(challenge))
}

/// `+7 701 *** ** 01` or `a***@example.kz`: enough to recognise, not enough to learn.
pub(crate) fn masked(channel: &str, admin_phone: &str, email: Option<&str>) -> String {
    if channel == outbox::EMAIL {
        let email = email.unwrap_or("");
        match email.split_once('@') {
            Some((user, domain)) => format!("{}***@{domain}", user.chars().next().unwrap_or('*')),
            None => "***".into(),
        }
    } else {
        let d = admin_phone;
        if d.len() == 11 { format!("+7 {} *** ** {}", &d[1..4], &d[9..11]) } else { "***".into() }
    }
}

async fn pending(state: &AppState, visitor: &Visitor) -> Result<Option<otp::Challenge>, WebError> {
    let Some(session) = visitor.session.as_ref().filter(|s| s.stage == sessions::STAGE_OTP) else {
        return Ok(None);
    };
    let Some(cid) = &session.challenge_id else {
        return Ok(None);
    };
    Ok(otp::get(&state.db, cid).await?)
}

/// Whole seconds until a new code may be sent, rounded up: the page counts down exactly
/// this, and the server refuses a resend only while it is above zero, so the button is never
/// enabled before the server accepts.
pub(crate) fn resend_wait_s(resend_after_ms: i64, now_ms: i64) -> i64 {
    ((resend_after_ms - now_ms).max(0) + 999) / 1000
}

struct CodeView<'a> {
    challenge: &'a otp::Challenge,
    next: Option<String>,
}

fn code_page(
    state: &AppState,
    visitor: &Visitor,
    view: CodeView<'_>,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let c = view.challenge;
    let session = visitor.session.as_ref().expect("pending session");
    let frame = Frame::public(state, visitor, "otp-title");
    let destination = masked(&c.channel, &session.admin_phone, session.admin_email.as_deref());
    let resend_in_s = resend_wait_s(c.resend_after_ms, now_ms());
    let next = next_path(view.next);
    let page = CodePage {
        frame,
        action: "/signin/code",
        back: "/signin",
        lead_key: "otp-lead",
        destination,
        resend_in_s,
        error,
        notice,
        next,
    };
    html(status, &page)
}

pub async fn show_code(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    match pending(&state, &visitor).await? {
        Some(c) => {
            Ok(code_page(&state, &visitor, CodeView { challenge: &c, next: q.next }, None, None, StatusCode::OK))
        }
        None => Ok(Redirect::to("/signin").into_response()),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

pub async fn submit_code(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let Some(challenge) = pending(&state, &visitor).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let view = || CodeView { challenge: &challenge, next: form.next.clone() };
    let t = visitor.tr();
    let code = form.code.trim();
    if !otp::well_formed(code) {
        return Ok(code_page(
            &state,
            &visitor,
            view(),
            Some(t.t("otp-format")),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let now = now_ms();
    let client = visitor.client_ip;
    let pending = visitor.session.as_ref().expect("pending session");
    let admin_id = pending.admin_id.as_str();
    // Charged to the account before the check: a resend or a second sign-in gives no fresh
    // tries, and codes sent at once all count.
    let mut charged = match limits::charge_code(&state, admin_id, now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, admin_id, client);
            let msg = until_text(&state, &visitor, "otp-locked", refusal.until_ms);
            return Ok(code_page(&state, &visitor, view(), Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
        }
    };
    match otp::verify(&state.db, &state.secret, &challenge.id, code, now).await? {
        otp::Verdict::Accepted => {
            charged.give_back(&state, now).await?;
            // A new session id at sign-in: whatever id the browser held before is worthless.
            sessions::delete(&state.db, &pending.id_hash).await?;
            let companies = admins::companies_of(&state.db, admin_id).await?;
            let first = companies.first().map(|c| c.id.as_str());
            let id = sessions::create(
                &state.db,
                admin_id,
                sessions::STAGE_ACTIVE,
                first,
                None,
                now,
                state.config.session_ttl_ms,
            )
            .await?;
            tracing::info!(target: "security", event = "signin_succeeded", who = admin_id, client = %client,
                "signed in");
            let mut headers = HeaderMap::new();
            headers.insert(SET_COOKIE, set_cookie(SESSION_COOKIE, &id, None, state.config.secure_cookies));
            // This browser is now known for this phone: a stranger's failures elsewhere do
            // not lock it out.
            if let Ok(phone) = Msisdn::parse(&pending.admin_phone) {
                let device = limits::device_cookie(&state.secret, &phone, now);
                let age_s = limits::DEVICE_TTL_MS / 1000;
                headers.append(
                    SET_COOKIE,
                    set_cookie(limits::DEVICE_COOKIE, &device, Some(age_s), state.config.secure_cookies),
                );
            }
            Ok((headers, Redirect::to(&after_signin(form.next.clone()))).into_response())
        }
        otp::Verdict::Wrong { attempts_left } => {
            tracing::warn!(target: "security", event = "code_failed", who = admin_id, client = %client,
                attempts_left, "wrong one-time code");
            let msg = t.t1("otp-wrong", "left", attempts_left);
            Ok(code_page(&state, &visitor, view(), Some(msg), None, StatusCode::UNPROCESSABLE_ENTITY))
        }
        otp::Verdict::Dead => {
            tracing::warn!(target: "security", event = "code_failed", who = admin_id, client = %client,
                attempts_left = 0, "one-time code used up, expired or wrong once too often");
            Ok(code_page(&state, &visitor, view(), Some(t.t("otp-dead")), None, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

pub async fn resend_code(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let Some(challenge) = pending(&state, &visitor).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let view = |c| CodeView { challenge: c, next: form.next.clone() };
    let t = visitor.tr();
    let now = now_ms();
    let wait_s = resend_wait_s(challenge.resend_after_ms, now);
    if wait_s > 0 {
        let msg = t.t1("otp-resend-wait", "seconds", wait_s);
        return Ok(code_page(&state, &visitor, view(&challenge), Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
    }
    let session = visitor.session.as_ref().expect("pending session");
    if let Some(until) = limits::codes_locked_until(&state, &session.admin_id, now).await? {
        tracing::warn!(target: "security", event = "refused_locked", scope = "account codes",
            who = session.admin_id.as_str(), client = %visitor.client_ip, until_ms = until, "no code sent: code entry locked");
        let msg = until_text(&state, &visitor, "otp-locked", until);
        return Ok(code_page(&state, &visitor, view(&challenge), Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
    }
    let Some(admin) = admins::by_id(&state.db, &session.admin_id).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    otp::retire(&state.db, &challenge.id).await?;
    let Some(fresh) = send_code(&state, &t, &admin, now).await? else {
        return Err(WebError::Internal);
    };
    sessions::set_challenge(&state.db, &session.id_hash, &fresh.id).await?;
    Ok(code_page(&state, &visitor, view(&fresh), None, Some(t.t("otp-resent")), StatusCode::OK))
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    sessions::delete(&state.db, &signed.session.id_hash).await?;
    Ok(back_to_signin(SESSION_COOKIE, SIGNED_OUT_COOKIE, state.config.secure_cookies))
}

/// To the sign-in page, dropping the cookie `clear` and setting `notice` for a minute: the
/// page says its word once ("You have signed out", "Your account has been updated").
pub(crate) fn back_to_signin(clear: &str, notice: &str, secure: bool) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, set_cookie(clear, "", Some(0), secure));
    headers.append(SET_COOKIE, set_cookie(notice, "1", Some(60), secure));
    (headers, Redirect::to("/signin")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_whole_seconds_rounded_up() {
        assert_eq!(resend_wait_s(10_000, 10_000), 0);
        assert_eq!(resend_wait_s(10_000, 11_000), 0);
        assert_eq!(resend_wait_s(10_000, 9_999), 1);
        assert_eq!(resend_wait_s(10_000, 9_000), 1);
        assert_eq!(resend_wait_s(10_000, 8_999), 2);
        assert_eq!(resend_wait_s(60_000, 0), 60);
        assert_eq!(resend_wait_s(60_000, 1), 60);
    }

    #[test]
    fn only_a_local_page_is_gone_back_to() {
        assert_eq!(
            next_path(Some("/numbers/77010542001/forwarding".into())).as_deref(),
            Some("/numbers/77010542001/forwarding")
        );
        for bad in ["//evil.example", "https://evil.example", "/signin/code", "/", ""] {
            assert_eq!(next_path(Some(bad.into())), None, "{bad}");
        }
        assert_eq!(after_signin(None), "/numbers");
    }
}
