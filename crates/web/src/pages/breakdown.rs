//! Documents and reports → Invoice breakdown (manual 004: "Allows you to download a
//! transcript of an invoice for cellular services. You can search for a document by
//! personal account, and also select the required period and file format."): an account, a
//! year and month, PDF or XLSX → the invoice's charges by number, downloaded at once. Each
//! request is recorded in the actions history, failed when the account has no published
//! invoice for the month.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::export::{Format, download};
use crate::invoice_files::{self, ACTS_FROM_DAY, Customer, InvoiceFile};
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::operator::InvoiceQuery;
use cabinet_core::time::{BillingMonth, now_ms};
use cabinet_store::companies;
use serde::Deserialize;

pub const KIND: &str = "invoice_breakdown";
pub const NOT_FOUND: &str = "invoice_not_found";
/// How far back a breakdown may be asked for, in months.
const MONTHS_BACK: i32 = 36;

#[derive(Deserialize, Default)]
pub struct Params {
    account: Option<String>,
    /// `YYYY-MM`, as a month input sends it.
    month: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "breakdown.html")]
struct BreakdownPage {
    frame: Frame,
    account: String,
    month: String,
    pdf: bool,
    /// The latest month one may ask for, and the earliest (`YYYY-MM`).
    max_month: String,
    min_month: String,
    account_error: Option<String>,
    month_error: Option<String>,
    not_found: bool,
}

/// What is wrong with a request, by field.
#[derive(Debug, PartialEq, Eq)]
enum Mistake {
    Account,
    Month,
}

/// The account, the month and the format, checked against the months one may ask for.
fn parse(p: &Params, (min, max): (BillingMonth, BillingMonth)) -> Result<(String, BillingMonth, Format), Mistake> {
    let account: String = p.account.as_deref().unwrap_or("").split_whitespace().collect();
    if !(8..=10).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Mistake::Account);
    }
    let month = BillingMonth::parse(p.month.as_deref().unwrap_or("").trim())
        .ok()
        .filter(|m| (min..=max).contains(m))
        .ok_or(Mistake::Month)?;
    let format = if p.format.as_deref() == Some("xlsx") { Format::Xlsx } else { Format::Pdf };
    Ok((account, month, format))
}

/// The months one may ask for: the last published one and three years before it.
fn months(zone: &cabinet_core::time::OperatorZone, now: i64) -> (BillingMonth, BillingMonth) {
    let today = zone.civil_date(now).unwrap_or(jiff::civil::date(2026, 1, 1));
    let mut max = BillingMonth::of(today).prev();
    if !invoice_files::published(zone, &max.to_string(), ACTS_FROM_DAY, now) {
        max = max.prev();
    }
    let mut min = max;
    for _ in 0..MONTHS_BACK - 1 {
        min = min.prev();
    }
    (min, max)
}

/// GET /reports/breakdown
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let now = now_ms();
    let (min, max) = months(zone, now);
    let mut page = BreakdownPage {
        frame: Frame::signed(&state, &signed, t.t("breakdown-title")).await?,
        account: p.account.clone().unwrap_or_default(),
        month: p.month.clone().unwrap_or_else(|| max.to_string()),
        pdf: p.format.as_deref() != Some("xlsx"),
        max_month: max.to_string(),
        min_month: min.to_string(),
        account_error: None,
        month_error: None,
        not_found: false,
    };
    if p.account.is_none() && p.month.is_none() {
        return Ok(html(StatusCode::OK, &page));
    }
    let (account, month, format) = match parse(&p, (min, max)) {
        Ok(ok) => ok,
        Err(Mistake::Account) => {
            page.account_error = Some(t.t("breakdown-error-account"));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(Mistake::Month) => {
            page.month_error = Some(t.t2("breakdown-error-month", ("from", min.to_string()), ("to", max.to_string())));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let query = InvoiceQuery {
        account_no: Some(account.clone()),
        month: Some(month.to_string()),
        limit: 1,
        ..Default::default()
    };
    let found = state.operator.invoices(&scope.bin, &query).await.map_err(|_| WebError::Operator(t.locale))?;
    let doc = match found.first() {
        Some(i) => state.operator.invoice(&scope.bin, &i.system_no).await.map_err(|_| WebError::Operator(t.locale))?,
        None => None,
    };
    crate::pages::history::record_about(
        &state,
        &signed,
        &scope,
        KIND,
        &format!("{account}, {month}"),
        doc.is_none().then_some(NOT_FOUND),
    )
    .await?;
    let Some(doc) = doc else {
        page.not_found = true;
        return Ok(html(StatusCode::OK, &page));
    };
    let company = companies::by_bin(&state.db, &scope.bin).await?.ok_or(WebError::Internal)?;
    let customer = Customer { name: &company.name, bin: scope.bin.as_str() };
    let name = invoice_files::file_name(InvoiceFile::Breakdown, &doc);
    let file =
        invoice_files::build(InvoiceFile::Breakdown, format, t.locale, zone, &state.config.legal, &customer, doc)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "an invoice breakdown could not be made");
                WebError::Internal
            })?;
    download(file, format, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_and_a_month_within_three_years() {
        let m = |s| BillingMonth::parse(s).unwrap();
        let window = (m("2023-12"), m("2026-11"));
        let p = |a: &str, mo: &str, f: &str| Params {
            account: Some(a.into()),
            month: Some(mo.into()),
            format: Some(f.into()),
        };
        assert_eq!(
            parse(&p("4001234567", "2026-11", "xlsx"), window),
            Ok(("4001234567".into(), m("2026-11"), Format::Xlsx))
        );
        assert_eq!(parse(&p("2506 0831", "2023-12", "pdf"), window).unwrap().0, "25060831");
        assert_eq!(parse(&p("1234567", "2026-11", "pdf"), window), Err(Mistake::Account));
        assert_eq!(parse(&p("40012345678", "2026-11", "pdf"), window), Err(Mistake::Account));
        for month in ["2026-12", "2023-11", "2026-13", "11.2026", ""] {
            assert_eq!(parse(&p("4001234567", month, "pdf"), window), Err(Mistake::Month), "{month}");
        }
    }
}
