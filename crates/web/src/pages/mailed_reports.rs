//! Documents and reports → List of numbers report and Registered devices report (manual
//! 004): a form with the e-mail address (the administrator's own filled in) and Request.
//! The report is made as a job (`lists`), mailed to that address with the file attached
//! and listed in My reports; each request is recorded in the actions history. A wrong
//! address is shown on the form (422) and nothing is stored.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::documents::{MailTo, ReportRequest};
use crate::error::WebError;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::email::{Email, EmailError};
use serde::Deserialize;

/// The two company reports asked for by e-mail alone.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    NumberList,
    Devices,
}

impl Which {
    /// Also the form's action and the tab's `id` (`tab-…`).
    fn slug(self) -> &'static str {
        match self {
            Which::NumberList => "number-list",
            Which::Devices => "devices",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Which::NumberList => "number-list-page-title",
            Which::Devices => "devices-page-title",
        }
    }

    fn lead_key(self) -> &'static str {
        match self {
            Which::NumberList => "number-list-lead",
            Which::Devices => "devices-lead",
        }
    }

    /// The action each request records (`action-…` in the catalog, naming the address).
    pub fn action_kind(self) -> &'static str {
        match self {
            Which::NumberList => "number_list_report",
            Which::Devices => "devices_report",
        }
    }

    fn request(self, to: &Email) -> ReportRequest {
        let p = MailTo { email: to.to_string() };
        match self {
            Which::NumberList => ReportRequest::NumberList(p),
            Which::Devices => ReportRequest::Devices(p),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    /// The report just asked for (after the request's redirect).
    report: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Form {
    email: Option<String>,
}

#[derive(Template)]
#[template(path = "mailed_report.html")]
struct MailedReportPage {
    frame: Frame,
    tab: &'static str,
    title_key: &'static str,
    lead_key: &'static str,
    email: String,
    email_error: Option<String>,
    accepted: bool,
}

/// The address typed, or the catalog key of what is wrong with it.
pub(crate) fn address(typed: Option<&str>) -> Result<Email, &'static str> {
    Email::parse(typed.unwrap_or("")).map_err(|e| match e {
        EmailError::Empty => "mailed-report-email-empty",
        EmailError::Invalid => "mailed-report-email-invalid",
    })
}

async fn page(
    state: &AppState,
    signed: &Signed,
    which: Which,
    email: String,
    error: Option<String>,
    accepted: bool,
) -> Result<MailedReportPage, WebError> {
    let t = signed.visitor.tr();
    Ok(MailedReportPage {
        frame: Frame::signed(state, signed, t.t(which.title_key())).await?,
        tab: which.slug(),
        title_key: which.title_key(),
        lead_key: which.lead_key(),
        email,
        email_error: error,
        accepted,
    })
}

/// The form (and the notice after a request).
async fn show(state: AppState, signed: Signed, which: Which, p: Params) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let accepted = match &p.report {
        Some(id) => {
            let owner = crate::pages::reports::owner(&signed, &scope);
            cabinet_store::reports::get_for(&state.db, owner, id).await?.is_some()
        }
        None => false,
    };
    let email = signed.session.admin_email.clone().unwrap_or_default();
    Ok(html(StatusCode::OK, &page(&state, &signed, which, email, None, accepted).await?))
}

/// The request: the report and its job, the action, then the notice.
async fn request(state: AppState, signed: Signed, which: Which, form: Form) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let to = match address(form.email.as_deref()) {
        Ok(to) => to,
        Err(key) => {
            let t = signed.visitor.tr();
            let typed = form.email.unwrap_or_default();
            let page = page(&state, &signed, which, typed, Some(t.t(key)), false).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let id = crate::pages::reports::submit(&state, &signed, &scope, &which.request(&to)).await?;
    crate::pages::history::record_about(&state, &signed, &scope, which.action_kind(), to.as_str(), None).await?;
    Ok(Redirect::to(&format!("/reports/{}?report={id}", which.slug())).into_response())
}

/// GET /reports/number-list
pub async fn number_list(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(state, signed, Which::NumberList, p).await
}

/// POST /reports/number-list
pub async fn request_number_list(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<Form>,
) -> Result<Response, WebError> {
    request(state, signed, Which::NumberList, form).await
}

/// GET /reports/devices
pub async fn devices(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(state, signed, Which::Devices, p).await
}

/// POST /reports/devices
pub async fn request_devices(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<Form>,
) -> Result<Response, WebError> {
    request(state, signed, Which::Devices, form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_checked_with_a_message_for_each_mistake() {
        assert_eq!(address(Some(" buh@corp.kz ")).unwrap().as_str(), "buh@corp.kz");
        assert_eq!(address(None), Err("mailed-report-email-empty"));
        assert_eq!(address(Some("buh@corp")), Err("mailed-report-email-invalid"));
    }

    #[test]
    fn every_key_chosen_here_is_in_the_three_catalogs() {
        for locale in [cabinet_core::Locale::Ru, cabinet_core::Locale::En, cabinet_core::Locale::Kk] {
            let t = crate::Tr::new(locale);
            for which in [Which::NumberList, Which::Devices] {
                let action = format!("action-{}", which.action_kind().replace('_', "-"));
                for key in [which.title_key(), which.lead_key(), action.as_str()] {
                    assert!(t.try_t(key).is_some() || t.try_t1(key, "subject", "x").is_some(), "{key} in {locale:?}");
                }
            }
        }
    }
}
