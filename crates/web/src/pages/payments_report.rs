//! A number's payments report (manual 000, "Отчет по платежам по номеру GSM"; the payment
//! history page links to it): a period within the last three months, then the report is
//! made as a job — the same table as the payment history's XLSX — mailed to the address on
//! the form (the administrator's own filled in) and listed in My reports. A longer period
//! or a wrong address is refused on the form and nothing is stored.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::documents::{NumberPeriod, ReportRequest};
use crate::error::{PeriodField, WebError};
use crate::export::Format;
use crate::pages::history::{BadPeriod, Period, period_since};
use crate::pages::mailed_reports::address;
use crate::pages::operations::company_number_as;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::BillingMethod;
use cabinet_core::time::{OperatorZone, now_ms};
use jiff::ToSpan;
use serde::Deserialize;

/// How far back the report goes: "Максимальный период запроса 3 месяца от текущей даты".
const MONTHS_BACK: i32 = 3;

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    /// The report just asked for (after the request's redirect).
    report: Option<String>,
    /// The address the file is mailed to (the form fills in the administrator's own).
    email: Option<String>,
}

#[derive(Template)]
#[template(path = "payments_report.html")]
struct ReportPage {
    frame: Frame,
    msisdn: String,
    pretty: String,
    advance: bool,
    from: String,
    to: String,
    error: Option<(PeriodField, String)>,
    accepted: bool,
    /// The address the report is mailed to, and what is wrong with it.
    email: String,
    email_error: Option<String>,
}

impl ReportPage {
    fn error_for(&self, from: bool) -> Option<&str> {
        crate::error::period_error_at(&self.error, from)
    }
}

/// The first day the report may cover: three calendar months before today.
fn earliest(zone: &OperatorZone) -> jiff::civil::Date {
    let today = zone.civil_date(now_ms()).unwrap_or_default();
    today.checked_sub(MONTHS_BACK.months()).unwrap_or(today)
}

/// The period typed, within the last three months (today included).
fn report_period(zone: &OperatorZone, from: Option<&str>, to: Option<&str>) -> Result<Period, BadPeriod> {
    period_since(zone, from, to, earliest(zone), "payments-report-too-old")
}

/// GET /numbers/{msisdn}/payments/report: the form (and the notice after a request).
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) = company_number_as(&state, &signed, &number, Permission::ViewPayments).await?;
    let t = signed.visitor.tr();
    let accepted = match &p.report {
        Some(id) => {
            let owner = crate::pages::reports::owner(&signed, &scope);
            cabinet_store::reports::get_for(&state.db, owner, id).await?.is_some()
        }
        None => false,
    };
    // The default period (the last month) is within the limit; a typed one is checked.
    let (from, to, error) = match report_period(&state.config.zone, p.from.as_deref(), p.to.as_deref()) {
        Ok(period) => (period.from, period.to, None),
        Err(bad) => (bad.from, bad.to, Some((bad.field, message(&state, &t, bad.key)))),
    };
    let page = ReportPage {
        frame: Frame::signed(&state, &signed, t.t("payments-report-title")).await?,
        pretty: msisdn.pretty(),
        msisdn: msisdn.to_string(),
        advance: profile.summary.billing == BillingMethod::Advance,
        from,
        to,
        error,
        accepted,
        email: signed.session.admin_email.clone().unwrap_or_default(),
        email_error: None,
    };
    Ok(html(StatusCode::OK, &page))
}

/// A period mistake in words (the three-month limit names its first day).
fn message(state: &AppState, t: &crate::Tr, key: &str) -> String {
    if key == "payments-report-too-old" {
        t.t1(key, "date", earliest(&state.config.zone).strftime("%d-%m-%Y").to_string())
    } else {
        t.t(key)
    }
}

/// POST /numbers/{msisdn}/payments/report: the request. A wrong period is shown on the form
/// (422) and nothing is stored; otherwise the report and its job, then the notice.
pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) = company_number_as(&state, &signed, &number, Permission::ViewPayments).await?;
    let t = signed.visitor.tr();
    if profile.summary.billing != BillingMethod::Advance {
        // A credit number's payments are its account's (the page says so, with no form).
        return Err(WebError::NotFound(t.locale));
    }
    // Both fields are checked, so that the form names every mistake at once.
    let (period, to) =
        match (report_period(&state.config.zone, p.from.as_deref(), p.to.as_deref()), address(p.email.as_deref())) {
            (Ok(period), Ok(to)) => (period, to),
            (period, to) => {
                let (from, until, error) = match period {
                    Ok(ok) => (ok.from, ok.to, None),
                    Err(bad) => (bad.from, bad.to, Some((bad.field, message(&state, &t, bad.key)))),
                };
                let page = ReportPage {
                    frame: Frame::signed(&state, &signed, t.t("payments-report-title")).await?,
                    pretty: msisdn.pretty(),
                    msisdn: msisdn.to_string(),
                    advance: true,
                    error,
                    from,
                    to: until,
                    accepted: false,
                    email: p.email.clone().unwrap_or_default(),
                    email_error: to.err().map(|key| t.t(key)),
                };
                return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
        };
    let request = ReportRequest::Payments(NumberPeriod::new(&msisdn, &period, Format::Xlsx, Some(&to)));
    let id = crate::pages::reports::submit(&state, &signed, &scope, &request).await?;
    Ok(Redirect::to(&format!("/numbers/{msisdn}/payments/report?report={id}")).into_response())
}
