//! Documents and reports → Invoice register, Reconciliation statement, Payments report
//! and the Atlas Pro roaming package's days (manuals 000 and 004): a period within the last
//! three years (the payments report: six months, credit numbers' or advance numbers'; the
//! roaming package: the 90 days usage is kept), then the document is made as a report job
//! (`statements`), mailed to the address on the form ("Enter your email address"; the
//! administrator's own filled in) and kept in My reports — "Your request to submit a
//! report has been accepted". A period that starts too early or a wrong address is refused
//! on the form and nothing is stored. Each request is recorded in the actions history.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::documents::{CompanyPeriod, PaymentsPeriod, ReportRequest};
use crate::error::{PeriodField, WebError};
use crate::export::Format;
use crate::pages::history::{BadPeriod, Period, period_since};
use crate::pages::mailed_reports::address;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::time::{OperatorZone, now_ms};
use jiff::ToSpan;
use serde::Deserialize;

/// How far back the register and the statement go: "The maximum available period … is the
/// past 3 years", "available only for the past 36 months".
const YEARS_BACK: i32 = 3;
/// "The maximum request period is 6 months from today."
const PAYMENTS_MONTHS_BACK: i32 = 6;
/// Usage is kept this many days (as the usage details' period).
const USAGE_DAYS_BACK: i32 = 90;

/// Which of the two documents a page asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Statement {
    Register,
    Reconciliation,
    Payments,
    RoamingPackages,
}

impl Statement {
    fn slug(self) -> &'static str {
        match self {
            Statement::Register => "register",
            Statement::Reconciliation => "reconciliation",
            Statement::Payments => "company-payments",
            Statement::RoamingPackages => "roaming-packages",
        }
    }

    /// The catalog's keys of its words are `<slug>-title`, `<slug>-lead`, `<slug>-note`.
    fn key(self, what: &str) -> String {
        format!("{}-{what}", self.slug())
    }

    /// A register or a payments report is for importing (a spreadsheet); a statement is
    /// for signing (a PDF).
    fn format(self) -> Format {
        match self {
            Statement::Register | Statement::Payments | Statement::RoamingPackages => Format::Xlsx,
            Statement::Reconciliation => Format::Pdf,
        }
    }

    fn request(self, p: CompanyPeriod, advance: bool) -> ReportRequest {
        match self {
            Statement::Register => ReportRequest::Register(p),
            Statement::Reconciliation => ReportRequest::Reconciliation(p),
            Statement::Payments => ReportRequest::CompanyPayments(PaymentsPeriod { period: p, advance }),
            Statement::RoamingPackages => ReportRequest::RoamingPackages(p),
        }
    }

    /// Who may ask for it.
    fn permission(self) -> Permission {
        match self {
            Statement::Payments => Permission::ViewPayments,
            // Usage, as a number's usage details are.
            Statement::RoamingPackages => Permission::ViewNumbers,
            _ => Permission::ViewDocuments,
        }
    }

    /// The first day it may cover.
    fn earliest(self, zone: &OperatorZone) -> jiff::civil::Date {
        let today = zone.civil_date(now_ms()).unwrap_or_default();
        let back = match self {
            Statement::Payments => PAYMENTS_MONTHS_BACK.months(),
            Statement::RoamingPackages => USAGE_DAYS_BACK.days(),
            _ => YEARS_BACK.years(),
        };
        today.checked_sub(back).unwrap_or(today)
    }

    /// The action its request records.
    fn action(self) -> &'static str {
        match self {
            Statement::Register => "register_request",
            Statement::Reconciliation => "reconciliation_request",
            Statement::Payments => "company_payments_request",
            Statement::RoamingPackages => "roaming_packages_request",
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    /// The payments report's: `advance` or `credit` (the default).
    which: Option<String>,
    /// The address the file is mailed to (the form fills in the administrator's own).
    email: Option<String>,
    /// The report just asked for (after the request's redirect).
    report: Option<String>,
}

#[derive(Template)]
#[template(path = "statement_report.html")]
struct StatementPage {
    frame: Frame,
    slug: &'static str,
    title: String,
    lead: String,
    note: String,
    from: String,
    to: String,
    error: Option<(PeriodField, String)>,
    accepted: bool,
    email: String,
    email_error: Option<String>,
    /// The payments report's choice of whose payments, and the choice made.
    payments: bool,
    advance: bool,
}

impl StatementPage {
    fn error_for(&self, from: bool) -> Option<&str> {
        crate::error::period_error_at(&self.error, from)
    }
}

fn period(zone: &OperatorZone, which: Statement, p: &Params) -> Result<Period, BadPeriod> {
    period_since(zone, p.from.as_deref(), p.to.as_deref(), which.earliest(zone), "statement-too-old")
}

/// The form's fields as shown again: the address and what is wrong with it.
type EmailField = (String, Option<String>);

async fn page(
    state: &AppState,
    signed: &Signed,
    which: Statement,
    (from, to, error): (String, String, Option<(PeriodField, String)>),
    (email, email_error): EmailField,
    (accepted, advance): (bool, bool),
) -> Result<StatementPage, WebError> {
    let t = signed.visitor.tr();
    Ok(StatementPage {
        frame: Frame::signed(state, signed, t.t(&which.key("title"))).await?,
        slug: which.slug(),
        title: t.t(&which.key("title")),
        lead: t.t(&which.key("lead")),
        note: t.t(&which.key("note")),
        from,
        to,
        error,
        accepted,
        email,
        email_error,
        payments: which == Statement::Payments,
        advance,
    })
}

/// The period mistake in words (the limit names its first day).
fn message(state: &AppState, t: &crate::Tr, which: Statement, key: &str) -> String {
    if key == "statement-too-old" {
        t.t1(key, "date", which.earliest(&state.config.zone).strftime("%d-%m-%Y").to_string())
    } else {
        t.t(key)
    }
}

async fn show(state: AppState, signed: Signed, which: Statement, p: Params) -> Result<Response, WebError> {
    let scope = signed.require(which.permission())?;
    let t = signed.visitor.tr();
    let accepted = match &p.report {
        Some(id) => {
            let owner = crate::pages::reports::owner(&signed, &scope);
            cabinet_store::reports::get_for(&state.db, owner, id).await?.is_some()
        }
        None => false,
    };
    let fields = match period(&state.config.zone, which, &p) {
        Ok(period) => (period.from, period.to, None),
        Err(bad) => (bad.from, bad.to, Some((bad.field, message(&state, &t, which, bad.key)))),
    };
    let advance = p.which.as_deref() == Some("advance");
    let email = (signed.session.admin_email.clone().unwrap_or_default(), None);
    Ok(html(StatusCode::OK, &page(&state, &signed, which, fields, email, (accepted, advance)).await?))
}

async fn request(state: AppState, signed: Signed, which: Statement, p: Params) -> Result<Response, WebError> {
    let scope = signed.require(which.permission())?;
    let t = signed.visitor.tr();
    let advance = match p.which.as_deref() {
        None | Some("credit") => false,
        Some("advance") => true,
        Some(_) => return Err(WebError::BadRequest(t.locale)),
    };
    // Both fields are checked, so that the form names every mistake at once.
    let (period, to) = match (period(&state.config.zone, which, &p), address(p.email.as_deref())) {
        (Ok(period), Ok(to)) => (period, to),
        (period, to) => {
            let fields = match period {
                Ok(ok) => (ok.from, ok.to, None),
                Err(bad) => (bad.from, bad.to, Some((bad.field, message(&state, &t, which, bad.key)))),
            };
            let email = (p.email.clone().unwrap_or_default(), to.err().map(|key| t.t(key)));
            let page = page(&state, &signed, which, fields, email, (false, advance)).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let subject = format!("{} → {} · {to}", period.from, period.to);
    let request = which.request(CompanyPeriod::new(&period, which.format(), Some(&to)), advance);
    let id = crate::pages::reports::submit(&state, &signed, &scope, &request).await?;
    crate::pages::history::record_about(&state, &signed, &scope, which.action(), &subject, None).await?;
    Ok(Redirect::to(&format!("/reports/{}?report={id}", which.slug())).into_response())
}

/// GET /reports/register
pub async fn register_form(
    State(s): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(s, signed, Statement::Register, p).await
}

/// POST /reports/register
pub async fn register_request(
    State(s): State<AppState>,
    signed: Signed,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request(s, signed, Statement::Register, p).await
}

/// GET /reports/reconciliation
pub async fn reconciliation_form(
    State(s): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(s, signed, Statement::Reconciliation, p).await
}

/// POST /reports/reconciliation
pub async fn reconciliation_request(
    State(s): State<AppState>,
    signed: Signed,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request(s, signed, Statement::Reconciliation, p).await
}

/// GET /reports/company-payments
pub async fn payments_form(
    State(s): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(s, signed, Statement::Payments, p).await
}

/// POST /reports/company-payments
pub async fn payments_request(
    State(s): State<AppState>,
    signed: Signed,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request(s, signed, Statement::Payments, p).await
}

/// GET /reports/roaming-packages
pub async fn roaming_packages_form(
    State(s): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    show(s, signed, Statement::RoamingPackages, p).await
}

/// POST /reports/roaming-packages
pub async fn roaming_packages_request(
    State(s): State<AppState>,
    signed: Signed,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request(s, signed, Statement::RoamingPackages, p).await
}
