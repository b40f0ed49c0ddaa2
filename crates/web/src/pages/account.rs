//! My profile (manual 002 "Administrator profile"; SPEC §4.1): the administrator's name,
//! phone and e-mail; change the e-mail (with the current password; the new address takes
//! effect when the link sent to it is opened); change the password (current, new twice, with
//! "Sign out on other devices"); the signed-in sessions with "Sign out everywhere else".
//!
//! The current password is checked against a limit per account, so that a session left open
//! cannot be used to guess it. A password change rotates this browser's session id.

use crate::AppState;
use crate::auth::Signed;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::limits;
use crate::pages::mailed_reports::address;
use crate::pages::signin::{log_refusal, until_text};
use crate::render::{Frame, html};
use crate::visitor::{SESSION_COOKIE, set_cookie};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Msisdn;
use cabinet_core::password_rules::{self, MIN_CHARS};
use cabinet_core::time::now_ms;
use cabinet_store::{admins, email_changes, outbox, password, sessions};
use serde::Deserialize;

/// How long the link confirming a new e-mail address works.
const EMAIL_LINK_TTL_MS: i64 = 24 * 3600 * 1000;

/// One of the administrator's sessions as listed.
struct SessionRow {
    signed_in: String,
    until: String,
    current: bool,
}

/// Which form a mistake belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Email,
    Password,
    /// A company's alias (the company's id is in the error's text slot's owner row).
    Alias,
}

/// Characters an alias may have.
const ALIAS_MAX_CHARS: usize = 60;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    frame: Frame,
    name: String,
    phone: String,
    email: Option<String>,
    /// What the e-mail form shows again after a mistake.
    new_email: String,
    error: Option<(Form, String)>,
    notice: Option<String>,
    sessions: Vec<SessionRow>,
    sign_out_elsewhere: bool,
    min_chars: i64,
    /// My companies: each with its full name, BIN and the alias only this administrator sees.
    companies: Vec<cabinet_store::admins::GrantedCompany>,
    /// The company whose alias was refused, and what was typed.
    alias_for: Option<(String, String)>,
    /// The current company's administrators may be managed from here (the full role).
    manages_admins: bool,
}

impl AccountPage {
    fn error_in(&self, form: Form) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == form).map(|(_, e)| e.as_str())
    }

    fn email_error(&self) -> Option<&str> {
        self.error_in(Form::Email)
    }

    fn password_error(&self) -> Option<&str> {
        self.error_in(Form::Password)
    }

    /// The form's mistakes show at the current password (the first field).
    fn new_password_error(&self) -> Option<&str> {
        None
    }

    /// The refused alias of `company_id`: what was typed and why.
    fn alias_error(&self, company_id: &str) -> Option<(&str, &str)> {
        let (id, typed) = self.alias_for.as_ref()?;
        (id == company_id).then_some((typed.as_str(), self.error_in(Form::Alias)?))
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    /// What was just done (after a form's redirect).
    done: Option<String>,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    error: Option<(Form, String)>,
    notice: Option<String>,
    (new_email, sign_out_elsewhere): (String, bool),
) -> Result<AccountPage, WebError> {
    let t = signed.visitor.tr();
    let now = now_ms();
    let zone = &state.config.zone;
    let sessions = sessions::live_of(&state.db, &signed.session.admin_id, now)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            signed_in: zone.date_time(s.created_ms),
            until: zone.date_time(s.expires_ms),
            current: s.id_hash == signed.session.id_hash,
        })
        .collect();
    let phone = Msisdn::parse(&signed.session.admin_phone).map(|m| m.pretty()).unwrap_or_default();
    Ok(AccountPage {
        frame: Frame::signed(state, signed, t.t("account-title")).await?,
        name: signed.session.admin_name.clone(),
        phone,
        email: signed.session.admin_email.clone(),
        new_email,
        error,
        notice,
        sessions,
        sign_out_elsewhere,
        min_chars: MIN_CHARS as i64,
        companies: admins::companies_of(&state.db, &signed.session.admin_id).await?,
        alias_for: None,
        manages_admins: signed.require(crate::auth::Permission::ManageAdmins).is_ok(),
    })
}

/// GET /account
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let notice = match p.done.as_deref() {
        Some("password") => Some(t.t("account-password-changed")),
        Some("email-sent") => Some(t.t("account-email-sent")),
        Some("email") => Some(t.t("account-email-changed")),
        Some("email-link-dead") => Some(t.t("account-email-link-dead")),
        Some("sessions") => Some(t.t("account-sessions-ended")),
        Some("alias") => Some(t.t("account-alias-saved")),
        _ => None,
    };
    Ok(html(StatusCode::OK, &page(&state, &signed, None, notice, (String::new(), true)).await?))
}

/// Checks the current password typed on a form, charged to the account; the status and the
/// message for the form when it is wrong (422) or the account's checks are paused (429).
async fn current_password(
    state: &AppState,
    signed: &Signed,
    typed: String,
) -> Result<Result<(), (StatusCode, String)>, WebError> {
    let t = signed.visitor.tr();
    let now = now_ms();
    let admin_id = signed.session.admin_id.as_str();
    let mut charged = match limits::charge_account_password(state, admin_id, now).await? {
        Ok(charged) => charged,
        Err(refusal) => {
            log_refusal(&refusal, admin_id, signed.visitor.client_ip);
            let msg = until_text(state, &signed.visitor, "account-password-locked", refusal.until_ms);
            return Ok(Err((StatusCode::TOO_MANY_REQUESTS, msg)));
        }
    };
    let hash = admins::by_id(&state.db, admin_id).await?.and_then(|a| a.password_hash);
    let good = password::verify(typed, hash.unwrap_or_else(|| password::DUMMY_HASH.to_string())).await;
    if !good {
        tracing::warn!(target: "security", event = "current_password_wrong", who = admin_id,
            client = %signed.visitor.client_ip, "wrong current password on My profile");
        return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, t.t("account-current-wrong"))));
    }
    charged.give_back(state, now).await?;
    Ok(Ok(()))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
    sign_out_elsewhere: Option<String>,
}

/// POST /account/password
pub async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(mut form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let elsewhere = form.sign_out_elsewhere.is_some();
    let refuse = async |state: &AppState, signed: &Signed, (status, msg): (StatusCode, String)| {
        let page = page(state, signed, Some((Form::Password, msg)), None, (String::new(), elsewhere)).await?;
        Ok::<Response, WebError>(html(status, &page))
    };
    if let Err(refusal) = current_password(&state, &signed, std::mem::take(&mut form.current)).await? {
        return refuse(&state, &signed, refusal).await;
    }
    let phone = Msisdn::parse(&signed.session.admin_phone).map_err(|_| WebError::Internal)?;
    if let Err(problem) = password_rules::check(&form.password, &form.again, &phone) {
        let msg = t.t1(problem.message_key(), "min", MIN_CHARS as i64);
        return refuse(&state, &signed, (StatusCode::UNPROCESSABLE_ENTITY, msg)).await;
    }
    let hash = password::hash(std::mem::take(&mut form.password)).await;
    let admin_id = signed.session.admin_id.as_str();
    admins::set_password(&state.db, admin_id, &hash).await?;
    if elsewhere {
        sessions::delete_others(&state.db, admin_id, &signed.session.id_hash).await?;
    }
    // A new session id for this browser: whoever held the old one holds nothing now.
    let company = signed.session.company_id.as_deref();
    let Some(id) = sessions::rotate(&state.db, &signed.session.id_hash, company).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    tracing::info!(target: "security", event = "password_changed", who = admin_id, client = %signed.visitor.client_ip,
        signed_out_elsewhere = elsewhere, "password changed on My profile");
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, set_cookie(SESSION_COOKIE, &id, None, state.config.secure_cookies));
    Ok((headers, Redirect::to("/account?done=password")).into_response())
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    email: String,
}

/// POST /account/email: the link to the new address; nothing changes until it is opened.
pub async fn change_email(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    CsrfForm(mut form): CsrfForm<EmailForm>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let typed = form.email.clone();
    let refuse = async |state: &AppState, signed: &Signed, (status, msg): (StatusCode, String)| {
        let page = page(state, signed, Some((Form::Email, msg)), None, (typed.clone(), true)).await?;
        Ok::<Response, WebError>(html(status, &page))
    };
    let to = match address(Some(&form.email)) {
        Ok(to) => to,
        Err(key) => return refuse(&state, &signed, (StatusCode::UNPROCESSABLE_ENTITY, t.t(key))).await,
    };
    if let Err(refusal) = current_password(&state, &signed, std::mem::take(&mut form.current)).await? {
        return refuse(&state, &signed, refusal).await;
    }
    let Some(base) = crate::links::base(&state, &headers) else {
        tracing::error!(event = "email_change_undeliverable", "set public_origin: the confirmation link needs it");
        return Err(WebError::Internal);
    };
    let now = now_ms();
    let admin_id = signed.session.admin_id.as_str();
    let token = email_changes::request(&state.db, admin_id, to.as_str(), EMAIL_LINK_TTL_MS, now).await?;
    let body = format!(
        "{}\n\n{base}/account/email/{token}\n\n{}\n",
        t.t1("account-email-message", "email", to.as_str()),
        t.t1("account-email-expires", "hours", EMAIL_LINK_TTL_MS / 3_600_000)
    );
    let subject = t.t("account-email-subject");
    state.send_secret(outbox::EMAIL, to.as_str(), Some(&subject), &body, now).await?;
    tracing::info!(target: "security", event = "email_change_requested", who = admin_id,
        client = %signed.visitor.client_ip, "confirmation link sent to the new address");
    Ok(Redirect::to("/account?done=email-sent").into_response())
}

/// GET /account/email/{token}: the link from the new address's mailbox, once.
pub async fn confirm_email(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let confirmed = if crate::visitor::valid_token(&token) {
        email_changes::confirm(&state.db, &token, now_ms()).await?
    } else {
        None
    };
    Ok(match confirmed {
        Some((admin_id, _)) => {
            tracing::info!(target: "security", event = "email_changed", who = admin_id.as_str(), "e-mail address confirmed");
            Redirect::to("/account?done=email").into_response()
        }
        None => Redirect::to("/account?done=email-link-dead").into_response(),
    })
}

#[derive(Deserialize)]
pub struct AliasForm {
    #[serde(default)]
    alias: String,
}

/// An alias as typed: trimmed; empty means none (the full name again). Refused: longer than
/// `ALIAS_MAX_CHARS`, or holding control characters (it is shown in every page's header).
fn alias(typed: &str) -> Result<Option<String>, &'static str> {
    let a = typed.trim();
    if a.chars().any(char::is_control) {
        return Err("account-alias-invalid");
    }
    if a.chars().count() > ALIAS_MAX_CHARS {
        return Err("account-alias-long");
    }
    Ok((!a.is_empty()).then(|| a.to_string()))
}

/// POST /account/companies/{company_id}: My companies → the alias of one (only the
/// companies granted to this administrator; another's id is not found).
pub async fn set_alias(
    State(state): State<AppState>,
    signed: Signed,
    Path(company_id): Path<String>,
    CsrfForm(form): CsrfForm<AliasForm>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let admin_id = signed.session.admin_id.as_str();
    if !cabinet_store::ids::is_id(&company_id)
        || admins::granted_company(&state.db, admin_id, &company_id).await?.is_none()
    {
        return Err(WebError::NotFound(t.locale));
    }
    match alias(&form.alias) {
        Ok(a) => {
            admins::set_alias(&state.db, admin_id, &company_id, a.as_deref()).await?;
            state.companies.forget(&admin_id.to_string());
            Ok(Redirect::to("/account?done=alias").into_response())
        }
        Err(key) => {
            let mut page = page(
                &state,
                &signed,
                Some((Form::Alias, t.t1(key, "max", ALIAS_MAX_CHARS as i64))),
                None,
                (String::new(), true),
            )
            .await?;
            page.alias_for = Some((company_id, form.alias));
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// POST /account/sessions/end-others
pub async fn end_other_sessions(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let n = sessions::delete_others(&state.db, &signed.session.admin_id, &signed.session.id_hash).await?;
    tracing::info!(target: "security", event = "sessions_ended", who = signed.session.admin_id.as_str(),
        client = %signed.visitor.client_ip, ended = n, "signed out everywhere else");
    Ok(Redirect::to("/account?done=sessions").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_is_trimmed_and_bounded_and_empty_means_none() {
        assert_eq!(alias("  Альфа  "), Ok(Some("Альфа".into())));
        assert_eq!(alias("   "), Ok(None));
        assert_eq!(alias(&"ә".repeat(60)), Ok(Some("ә".repeat(60))), "characters, not bytes");
        assert_eq!(alias(&"ә".repeat(61)), Err("account-alias-long"));
        assert_eq!(alias("Аль\u{0}фа"), Err("account-alias-invalid"));
        assert_eq!(alias("Аль\nфа"), Err("account-alias-invalid"));
    }
}
