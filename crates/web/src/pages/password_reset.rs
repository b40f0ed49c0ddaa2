//! First sign-in and forgotten password (manual 004, "Password Recovery for First-Time Login
//! or Forgotten Password"; SPEC §2): the phone → a six-digit code by SMS for the operator's
//! own numbers, a single-use link by e-mail for others → the new password twice, with "Sign
//! out on other devices" → back to sign-in with "Your account has been updated".
//!
//! The pages answer a phone without an account exactly as one with an account (the store
//! keeps a recovery for it that no code opens, and no message leaves), so that nobody learns
//! which phones are administrators'. Requests are limited per address and per phone; wrong
//! codes are charged to the account as sign-in codes are.

use crate::AppState;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::limits;
use crate::pages::signin::{CodePage, back_to_signin, log_refusal, masked, resend_wait_s, until_text};
use crate::render::{Frame, html};
use crate::visitor::{Visitor, set_cookie, token_cookie, valid_token};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Msisdn;
use cabinet_core::password_rules::{self, MIN_CHARS};
use cabinet_core::time::now_ms;
use cabinet_store::password_resets::{self as resets, Reset, ResetPolicy};
use cabinet_store::{admins, otp, outbox, password};
use serde::Deserialize;

/// The browser's recovery (a random value; the store keeps its hash).
pub const RESET_COOKIE: &str = "cabinet_reset";
/// Set when a password was set: the sign-in page says "Your account has been updated" once.
pub const UPDATED_COOKIE: &str = "cabinet_updated";

fn policy() -> ResetPolicy {
    ResetPolicy::default()
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    frame: Frame,
    phone: String,
    error: Option<String>,
    /// Why the visitor is back here (a link that no longer works).
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "forgot_sent.html")]
struct SentPage {
    frame: Frame,
}

#[derive(Template)]
#[template(path = "new_password.html")]
struct NewPasswordPage {
    frame: Frame,
    error: Option<String>,
    sign_out_elsewhere: bool,
    min_chars: i64,
}

impl NewPasswordPage {
    fn new_password_error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

fn forgot_page(visitor: &Visitor, state: &AppState, phone: String, error: Option<String>) -> ForgotPage {
    ForgotPage { frame: Frame::public(state, visitor, "forgot-title"), phone, error, notice: None }
}

/// The recovery this browser holds, with its cookie.
async fn held(state: &AppState, headers: &HeaderMap) -> Result<Option<(String, Reset)>, WebError> {
    let Some(value) = token_cookie(headers, RESET_COOKIE, state.config.secure_cookies) else {
        return Ok(None);
    };
    Ok(resets::get(&state.db, value).await?.map(|r| (value.to_string(), r)))
}

fn with_cookie(value: &str, max_age_s: Option<i64>, secure: bool, to: &str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, set_cookie(RESET_COOKIE, value, max_age_s, secure));
    (headers, Redirect::to(to)).into_response()
}

/// GET /signin/forgot
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    html(StatusCode::OK, &forgot_page(&visitor, &state, String::new(), None))
}

#[derive(Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    phone: String,
}

/// A recovery asked for is answered no sooner than this after the request came: a known
/// phone's code or link costs a few writes more than an unknown phone's decoy, which the
/// answer's time would otherwise tell (measured by `examples/enumeration_timing.rs`:
/// 0.35 ms on SQLite, more than the spread of either).
const ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(100);

/// Waits out the rest of `ANSWER_FLOOR` since `begun`.
async fn answer_no_sooner(begun: std::time::Instant) {
    tokio::time::sleep(ANSWER_FLOOR.saturating_sub(begun.elapsed())).await;
}

/// POST /signin/forgot: starts a recovery and sends its code or link.
pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<PhoneForm>,
) -> Result<Response, WebError> {
    let begun = std::time::Instant::now();
    let t = visitor.tr();
    let phone = match Msisdn::parse(&form.phone) {
        Ok(phone) => phone,
        Err(e) => {
            let page = forgot_page(&visitor, &state, form.phone.clone(), Some(t.t(e.message_key())));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let now = now_ms();
    let client = visitor.client_ip;
    if let Err(refusal) = limits::charge_reset(&state, &phone, client, now).await? {
        log_refusal(&refusal, phone.as_str(), client);
        let msg = until_text(&state, &visitor, "forgot-locked", refusal.until_ms);
        return Ok(html(StatusCode::TOO_MANY_REQUESTS, &forgot_page(&visitor, &state, form.phone.clone(), Some(msg))));
    }
    let admin = admins::by_phone(&state.db, &phone).await?;
    let by_code = state.config.is_operator_number(&phone);
    let channel = if by_code { resets::CODE } else { resets::LINK };
    let admin_id = admin.as_ref().map(|a| a.id.as_str());
    let started = resets::start(&state.db, &state.secret, phone.as_str(), admin_id, channel, policy(), now).await?;
    tracing::info!(target: "security", event = "password_reset_requested", who = phone.as_str(), client = %client,
        known = admin.is_some(), channel, "password recovery asked for");
    if let Some(admin) = &admin {
        send(&state, &visitor, &headers, admin, channel, &started.secret, now).await?;
    }
    let secure = state.config.secure_cookies;
    let next = if by_code { "/signin/forgot/code" } else { "/signin/forgot/sent" };
    answer_no_sooner(begun).await;
    Ok(with_cookie(&started.cookie, None, secure, next))
}

/// The code by SMS, or the link by e-mail when the administrator has an address (without one
/// nothing can be sent; the page says the same, and the log says why).
async fn send(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    admin: &admins::Admin,
    channel: &str,
    secret: &str,
    now: i64,
) -> Result<(), WebError> {
    let t = visitor.tr();
    let (recipient, subject, body) = if channel == resets::CODE {
        (admin.phone.clone(), None, t.t1("forgot-code-message", "code", secret))
    } else {
        let Some(email) = admin.email.as_deref().filter(|e| !e.is_empty()) else {
            tracing::warn!(target: "security", event = "password_reset_undeliverable", who = admin.id.as_str(),
                "no e-mail address for the recovery link");
            return Ok(());
        };
        let Some(base) = crate::links::base(state, headers) else {
            tracing::error!(
                event = "password_reset_undeliverable",
                who = admin.id.as_str(),
                "set public_origin: a recovery link needs the portal's public address"
            );
            return Ok(());
        };
        let link = format!("{base}/signin/reset/{secret}");
        let minutes = policy().link_ttl_ms / 60_000;
        let body = format!(
            "{}\n\n{link}\n\n{}\n",
            t.t("forgot-link-message"),
            t.t1("forgot-link-expires", "minutes", minutes)
        );
        (email.to_string(), Some(t.t("forgot-link-subject")), body)
    };
    state.send_secret(channel, &recipient, subject.as_deref(), &body, now).await?;
    Ok(())
}

fn code_page(
    state: &AppState,
    visitor: &Visitor,
    reset: &Reset,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let page = CodePage {
        frame: Frame::public(state, visitor, "forgot-code-title"),
        action: "/signin/forgot/code",
        back: "/signin",
        lead_key: "forgot-code-lead",
        destination: masked(outbox::SMS, &reset.phone, None),
        resend_in_s: resend_wait_s(reset.resend_after_ms, now_ms()),
        error,
        notice,
        next: None,
    };
    html(status, &page)
}

/// The recovery by code this browser is in, if any.
async fn by_code(state: &AppState, headers: &HeaderMap) -> Result<Option<(String, Reset)>, WebError> {
    Ok(held(state, headers).await?.filter(|(_, r)| r.channel == resets::CODE && !r.verified && !r.consumed))
}

/// GET /signin/forgot/code
pub async fn show_code(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    Ok(match by_code(&state, &headers).await? {
        Some((_, r)) => code_page(&state, &visitor, &r, None, None, StatusCode::OK),
        None => Redirect::to("/signin/forgot").into_response(),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Wrong codes are charged to the account (as sign-in codes: a resend gives no fresh
/// tries), or to the phone when it has none, so that both lock alike.
fn code_account(reset: &Reset) -> String {
    reset.admin_id.clone().unwrap_or_else(|| format!("phone:{}", reset.phone))
}

/// POST /signin/forgot/code
pub async fn submit_code(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let Some((value, reset)) = by_code(&state, &headers).await? else {
        return Ok(Redirect::to("/signin/forgot").into_response());
    };
    let t = visitor.tr();
    let code = form.code.trim();
    if !otp::well_formed(code) {
        return Ok(code_page(
            &state,
            &visitor,
            &reset,
            Some(t.t("otp-format")),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let now = now_ms();
    let client = visitor.client_ip;
    let account = code_account(&reset);
    let mut charged = match limits::charge_code(&state, &account, now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, &account, client);
            let msg = until_text(&state, &visitor, "otp-locked", refusal.until_ms);
            return Ok(code_page(&state, &visitor, &reset, Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
        }
    };
    match resets::verify_code(&state.db, &state.secret, &value, code, policy(), now).await? {
        otp::Verdict::Accepted => {
            charged.give_back(&state, now).await?;
            tracing::info!(target: "security", event = "password_reset_verified", who = account.as_str(),
                client = %client, "recovery code accepted");
            Ok(Redirect::to("/signin/password").into_response())
        }
        otp::Verdict::Wrong { attempts_left } => {
            tracing::warn!(target: "security", event = "code_failed", who = account.as_str(), client = %client,
                attempts_left, "wrong recovery code");
            let msg = t.t1("otp-wrong", "left", attempts_left);
            Ok(code_page(&state, &visitor, &reset, Some(msg), None, StatusCode::UNPROCESSABLE_ENTITY))
        }
        otp::Verdict::Dead => {
            let msg = t.t("otp-dead");
            Ok(code_page(&state, &visitor, &reset, Some(msg), None, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// POST /signin/forgot/code/resend
pub async fn resend_code(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let begun = std::time::Instant::now();
    let Some((value, reset)) = by_code(&state, &headers).await? else {
        return Ok(Redirect::to("/signin/forgot").into_response());
    };
    let t = visitor.tr();
    let now = now_ms();
    let wait_s = resend_wait_s(reset.resend_after_ms, now);
    if wait_s > 0 {
        let msg = t.t1("otp-resend-wait", "seconds", wait_s);
        return Ok(code_page(&state, &visitor, &reset, Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
    }
    let phone = Msisdn::parse(&reset.phone).map_err(|_| WebError::Internal)?;
    if let Err(refusal) = limits::charge_reset(&state, &phone, visitor.client_ip, now).await? {
        log_refusal(&refusal, phone.as_str(), visitor.client_ip);
        let msg = until_text(&state, &visitor, "forgot-locked", refusal.until_ms);
        return Ok(code_page(&state, &visitor, &reset, Some(msg), None, StatusCode::TOO_MANY_REQUESTS));
    }
    if let Some(code) = resets::resend(&state.db, &state.secret, &value, policy(), now).await?
        && let Some(admin_id) = &reset.admin_id
        && let Some(admin) = admins::by_id(&state.db, admin_id).await?
    {
        send(&state, &visitor, &headers, &admin, resets::CODE, &code, now).await?;
    }
    let fresh = resets::get(&state.db, &value).await?.unwrap_or(reset);
    answer_no_sooner(begun).await;
    Ok(code_page(&state, &visitor, &fresh, None, Some(t.t("otp-resent")), StatusCode::OK))
}

/// GET /signin/forgot/sent: "If the phone belongs to an administrator with an e-mail
/// address, a link has been sent to it."
pub async fn sent(State(state): State<AppState>, visitor: Visitor) -> Response {
    html(StatusCode::OK, &SentPage { frame: Frame::public(&state, &visitor, "forgot-sent-title") })
}

/// GET /signin/reset/{token}: the e-mailed link. Opened once before it expires, it lets this
/// browser set the password; otherwise the recovery form says the link no longer works.
pub async fn open_link(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let opened =
        if valid_token(&token) { resets::open_link(&state.db, &token, policy(), now_ms()).await? } else { None };
    Ok(match opened {
        Some(value) => with_cookie(&value, None, state.config.secure_cookies, "/signin/password"),
        None => {
            tracing::warn!(target: "security", event = "password_reset_link_refused", client = %visitor.client_ip,
                "unknown, used or expired recovery link");
            let mut page = forgot_page(&visitor, &state, String::new(), None);
            page.notice = Some(visitor.tr().t("forgot-link-dead"));
            html(StatusCode::GONE, &page)
        }
    })
}

/// The recovery whose code or link was accepted, still open.
async fn verified(state: &AppState, headers: &HeaderMap) -> Result<Option<(String, Reset)>, WebError> {
    let now = now_ms();
    Ok(held(state, headers).await?.filter(|(_, r)| r.verified && !r.consumed && r.expires_ms > now))
}

/// GET /signin/password
pub async fn show_password(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if verified(&state, &headers).await?.is_none() {
        return Ok(Redirect::to("/signin/forgot").into_response());
    }
    let frame = Frame::public(&state, &visitor, "new-password-title");
    Ok(html(
        StatusCode::OK,
        &NewPasswordPage { frame, error: None, sign_out_elsewhere: true, min_chars: MIN_CHARS as i64 },
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
    /// The checkbox: present when ticked.
    sign_out_elsewhere: Option<String>,
}

/// POST /signin/password: the rules, then the password set once.
pub async fn set_password(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(mut form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let Some((value, reset)) = verified(&state, &headers).await? else {
        return Ok(Redirect::to("/signin/forgot").into_response());
    };
    let phone = Msisdn::parse(&reset.phone).map_err(|_| WebError::Internal)?;
    let elsewhere = form.sign_out_elsewhere.is_some();
    if let Err(problem) = password_rules::check(&form.password, &form.again, &phone) {
        let frame = Frame::public(&state, &visitor, "new-password-title");
        let error = Some(visitor.tr().t1(problem.message_key(), "min", MIN_CHARS as i64));
        let page = NewPasswordPage { frame, error, sign_out_elsewhere: elsewhere, min_chars: MIN_CHARS as i64 };
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let hash = password::hash(std::mem::take(&mut form.password)).await;
    let now = now_ms();
    let Some(admin_id) = resets::complete(&state.db, &value, &hash, elsewhere, now).await? else {
        // Used by a request at the same time, or expired meanwhile.
        return Ok(Redirect::to("/signin/forgot").into_response());
    };
    tracing::info!(target: "security", event = "password_set", who = admin_id.as_str(), client = %visitor.client_ip,
        signed_out_elsewhere = elsewhere, "password set by recovery");
    Ok(back_to_signin(RESET_COOKIE, UPDATED_COOKIE, state.config.secure_cookies))
}

#[cfg(test)]
mod tests {
    use cabinet_core::password_rules::PasswordProblem;

    #[test]
    fn every_key_used_here_is_in_the_three_catalogs() {
        for locale in [cabinet_core::Locale::Ru, cabinet_core::Locale::En, cabinet_core::Locale::Kk] {
            let t = crate::Tr::new(locale);
            for key in [
                "forgot-title",
                "forgot-code-title",
                "forgot-sent-title",
                "forgot-link-subject",
                "forgot-link-message",
                "forgot-link-dead",
                "new-password-title",
                "account-updated",
            ] {
                assert!(t.try_t(key).is_some(), "{key} in {locale:?}");
            }
            for problem in [
                PasswordProblem::TooShort,
                PasswordProblem::TooLong,
                PasswordProblem::Phone,
                PasswordProblem::Common,
                PasswordProblem::Mismatch,
            ] {
                let key = problem.message_key();
                assert!(t.try_t1(key, "min", 10).is_some(), "{key} in {locale:?}");
            }
        }
    }
}
