//! Company administrators (beyond the original portal): an administrator with the full role
//! lists the company's administrators with their roles, gives access to another one by
//! phone (an account the operator has not registered is created without a password: its
//! owner activates it with "Forgot password?"), changes their roles and removes their
//! access. Nobody changes their own access here, and the company always keeps an
//! administrator with the full role. Each change is recorded in the actions history.

use crate::AppState;
use crate::auth::{CompanyScope, Permission, Signed};
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::history::record_about;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Msisdn;
use cabinet_core::email::Email;
use cabinet_core::time::now_ms;
use cabinet_store::admins::{self, AccessRefusal, CompanyAdmin};
use cabinet_store::{StoreError, ids};
use serde::Deserialize;

/// The roles, in the order the page offers them (`role-…` in the catalogs).
pub const ROLES: [&str; 4] = ["full", "operations", "accountant", "read_only"];

const PAGE: &str = "/company/admins";

struct Row {
    admin: CompanyAdmin,
    phone: String,
    /// The signed-in administrator's own row: no controls.
    me: bool,
}

#[derive(Template)]
#[template(path = "company_admins.html")]
struct AdminsPage {
    frame: Frame,
    company: String,
    rows: Vec<Row>,
    roles: &'static [&'static str],
    error: Option<String>,
    notice: Option<String>,
    /// The grant form as typed (after a mistake).
    phone: String,
    name: String,
    email: String,
    role: String,
}

#[derive(Deserialize, Default)]
pub struct Params {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    error: Option<String>,
    notice: Option<String>,
    form: Option<&GrantForm>,
) -> Result<AdminsPage, WebError> {
    let t = signed.visitor.tr();
    let rows = admins::of_company(&state.db, &scope.company_id)
        .await?
        .into_iter()
        .map(|a| Row {
            phone: Msisdn::parse(&a.phone).map(|m| m.pretty()).unwrap_or_else(|_| a.phone.clone()),
            me: a.admin_id == signed.session.admin_id,
            admin: a,
        })
        .collect();
    let company = signed.session.company_name.clone().unwrap_or_default();
    let typed = |f: fn(&GrantForm) -> &String| form.map(f).cloned().unwrap_or_default();
    Ok(AdminsPage {
        frame: Frame::signed(state, signed, t.t("company-admins-title")).await?,
        company,
        rows,
        roles: &ROLES,
        error,
        notice,
        phone: typed(|f| &f.phone),
        name: typed(|f| &f.name),
        email: typed(|f| &f.email),
        role: form.map_or_else(|| "read_only".to_string(), |f| f.role.clone()),
    })
}

/// GET /company/admins
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ManageAdmins)?;
    let t = signed.visitor.tr();
    let notice = match p.done.as_deref() {
        Some("granted") => Some(t.t("company-admins-granted")),
        Some("role") => Some(t.t("company-admins-role-changed")),
        Some("removed") => Some(t.t("company-admins-removed")),
        _ => None,
    };
    Ok(html(StatusCode::OK, &page(&state, &signed, &scope, None, notice, None).await?))
}

#[derive(Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

fn role_of(typed: &str) -> Option<&'static str> {
    ROLES.iter().copied().find(|r| *r == typed)
}

/// POST /company/admins: access for an administrator by phone (created if the operator has
/// no account for the phone yet).
pub async fn grant(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ManageAdmins)?;
    let t = signed.visitor.tr();
    let refuse = async |key: &str| -> Result<Response, WebError> {
        let page = page(&state, &signed, &scope, Some(t.t(key)), None, Some(&form)).await?;
        Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    let Some(role) = role_of(&form.role) else { return Err(WebError::BadRequest(t.locale)) };
    let phone = match Msisdn::parse(&form.phone) {
        Ok(phone) => phone,
        Err(e) => return refuse(e.message_key()).await,
    };
    let email = match form.email.trim() {
        "" => None,
        typed => match Email::parse(typed) {
            Ok(e) => Some(e),
            Err(_) => return refuse("mailed-report-email-invalid").await,
        },
    };
    let now = now_ms();
    let admin = match admins::by_phone(&state.db, &phone).await? {
        Some(admin) => admin,
        None => {
            let name = form.name.trim();
            if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
                return refuse("company-admins-name-needed").await;
            }
            // Codes of other operators' numbers go by e-mail: such an account needs one.
            if email.is_none() && !state.config.is_operator_number(&phone) {
                return refuse("company-admins-email-needed").await;
            }
            let new =
                admins::NewAdmin { phone: &phone, name, email: email.as_ref().map(Email::as_str), password_hash: None };
            match admins::create(&state.db, new, now).await {
                Ok(admin) => admin,
                // Created at the same moment by someone else: use theirs.
                Err(StoreError::Conflict(_)) => admins::by_phone(&state.db, &phone).await?.ok_or(WebError::Internal)?,
                Err(e) => return Err(e.into()),
            }
        }
    };
    if !admins::add_access(&state.db, &scope.company_id, &admin.id, role, now).await? {
        return refuse("company-admins-already").await;
    }
    state.companies.forget(&admin.id);
    let subject = format!("{} · {}", phone.pretty(), t.t(&format!("role-{role}")));
    record_about(&state, &signed, &scope, "admin_access_granted", &subject, None).await?;
    tracing::info!(target: "security", event = "access_granted", who = signed.session.admin_id.as_str(),
        to = admin.id.as_str(), role, "company access granted");
    Ok(Redirect::to(&format!("{PAGE}?done=granted")).into_response())
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// The administrator a change names: another one of this company's (their row), never
/// oneself.
async fn other_admin(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    admin_id: &str,
) -> Result<Result<CompanyAdmin, &'static str>, WebError> {
    let t = signed.visitor.tr();
    if !ids::is_id(admin_id) {
        return Err(WebError::NotFound(t.locale));
    }
    let found = admins::of_company(&state.db, &scope.company_id).await?.into_iter().find(|a| a.admin_id == admin_id);
    let Some(admin) = found else { return Err(WebError::NotFound(t.locale)) };
    if admin.admin_id == signed.session.admin_id {
        return Ok(Err("company-admins-not-yourself"));
    }
    Ok(Ok(admin))
}

/// Changes or removes another administrator's access (None: removes).
async fn change(
    state: AppState,
    signed: Signed,
    admin_id: String,
    role: Option<&'static str>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ManageAdmins)?;
    let t = signed.visitor.tr();
    let refuse = async |key: &str| -> Result<Response, WebError> {
        let page = page(&state, &signed, &scope, Some(t.t(key)), None, None).await?;
        Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    let admin = match other_admin(&state, &signed, &scope, &admin_id).await? {
        Ok(admin) => admin,
        Err(key) => return refuse(key).await,
    };
    match admins::change_access(&state.db, &scope.company_id, &admin.admin_id, role).await? {
        Ok(()) => {}
        Err(AccessRefusal::LastFull) => return refuse("company-admins-last-full").await,
        Err(AccessRefusal::NotFound) => return Err(WebError::NotFound(t.locale)),
    }
    // Their company switcher shows the change at once (here; other instances within seconds).
    state.companies.forget(&admin.admin_id);
    let phone = Msisdn::parse(&admin.phone).map(|m| m.pretty()).unwrap_or(admin.phone);
    let (kind, subject, done) = match role {
        Some(role) => ("admin_role_changed", format!("{phone} · {}", t.t(&format!("role-{role}"))), "role"),
        None => ("admin_access_removed", phone, "removed"),
    };
    record_about(&state, &signed, &scope, kind, &subject, None).await?;
    tracing::info!(target: "security", event = kind, who = signed.session.admin_id.as_str(),
        to = admin.admin_id.as_str(), role = role.unwrap_or("none"), "company access changed");
    Ok(Redirect::to(&format!("{PAGE}?done={done}")).into_response())
}

/// POST /company/admins/{admin_id}/role
pub async fn set_role(
    State(state): State<AppState>,
    signed: Signed,
    Path(admin_id): Path<String>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<Response, WebError> {
    let Some(role) = role_of(&form.role) else { return Err(WebError::BadRequest(signed.locale())) };
    change(state, signed, admin_id, Some(role)).await
}

/// POST /company/admins/{admin_id}/remove
pub async fn remove(
    State(state): State<AppState>,
    signed: Signed,
    Path(admin_id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    change(state, signed, admin_id, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_its_words_in_the_three_catalogs() {
        for locale in [cabinet_core::Locale::Ru, cabinet_core::Locale::En, cabinet_core::Locale::Kk] {
            let t = crate::Tr::new(locale);
            for role in ROLES {
                assert!(t.try_t(&format!("role-{role}")).is_some(), "role-{role} in {locale:?}");
                assert!(crate::auth::role_allows(role, Permission::ViewNumbers), "{role} sees the numbers");
            }
            for kind in ["admin-access-granted", "admin-role-changed", "admin-access-removed"] {
                assert!(t.try_t1(&format!("action-{kind}"), "subject", "x").is_some(), "{kind} in {locale:?}");
            }
        }
        assert_eq!(ROLES.iter().filter(|r| crate::auth::role_allows(r, Permission::ManageAdmins)).count(), 1);
    }
}
