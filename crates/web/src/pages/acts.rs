//! Documents and reports → Service delivery certificate and invoice breakdown (manuals 000
//! and 004): the company's acts of completed works, found by account or phone number, year
//! and month, or by invoice number — account, document number, date, status (viewed or
//! new), type — each downloaded at once as PDF (the act with its breakdown) or Excel (the
//! breakdown). A month's documents are published from the 5th of the next month. Each
//! search and each download is recorded in the actions history; a download marks the
//! document viewed for the company.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::export::{Format, download};
use crate::invoice_files::{self, ACTS_FROM_DAY, Customer, InvoiceFile};
use crate::pages::invoice_search::any_invoice_number;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{Invoice, InvoiceQuery};
use cabinet_core::time::now_ms;
use cabinet_store::{companies, document_views};
use serde::Deserialize;

/// The actions a search and a download record.
pub const SEARCH_KIND: &str = "acts_search";
pub const DOWNLOAD_KIND: &str = "act_download";
/// The most documents one search lists: the newest first.
const LIST_LIMIT: usize = 100;
/// Years offered: the current one and this many before it.
const YEARS_BACK: i16 = 3;

#[derive(Deserialize, Default)]
pub struct Params {
    /// An account number or a phone number.
    q: Option<String>,
    year: Option<String>,
    month: Option<String>,
    invoice: Option<String>,
}

/// A search as typed, checked.
#[derive(Debug, Default, PartialEq, Eq)]
struct Search {
    account: Option<String>,
    msisdn: Option<String>,
    year: Option<i16>,
    month: Option<i8>,
    invoice: Option<String>,
}

/// The field a mistake is in, and the catalog's words for it.
#[derive(Debug, PartialEq, Eq)]
enum Mistake {
    Subject,
    Year,
    Month,
    Invoice,
}

impl Mistake {
    fn key(&self) -> &'static str {
        match self {
            Mistake::Subject => "acts-error-subject",
            Mistake::Year => "acts-error-year",
            Mistake::Month => "acts-error-month",
            Mistake::Invoice => "acts-error-invoice",
        }
    }

    fn field(&self) -> &'static str {
        match self {
            Mistake::Subject => "acts-q",
            Mistake::Year => "acts-year",
            Mistake::Month => "acts-month",
            Mistake::Invoice => "acts-invoice",
        }
    }
}

fn parse(p: &Params, current_year: i16) -> Result<Search, Mistake> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let mut s = Search::default();
    if let Some(q) = given(&p.q) {
        let digits: String = q.split_whitespace().collect();
        if let Ok(m) = Msisdn::parse(&q) {
            s.msisdn = Some(m.as_str().to_string());
        } else if (8..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            s.account = Some(digits);
        } else {
            return Err(Mistake::Subject);
        }
    }
    if let Some(y) = given(&p.year) {
        let year = y.parse::<i16>().ok().filter(|y| (current_year - YEARS_BACK..=current_year).contains(y));
        s.year = Some(year.ok_or(Mistake::Year)?);
    }
    if let Some(m) = given(&p.month) {
        let month = m.parse::<i8>().ok().filter(|m| (1..=12).contains(m)).ok_or(Mistake::Month)?;
        // A month is of a year: without one it would name twelve.
        if s.year.is_none() {
            return Err(Mistake::Month);
        }
        s.month = Some(month);
    }
    if let Some(n) = given(&p.invoice) {
        s.invoice = Some(any_invoice_number(&n).ok_or(Mistake::Invoice)?);
    }
    Ok(s)
}

struct Row {
    account: String,
    number: String,
    date: String,
    viewed: bool,
}

#[derive(Template)]
#[template(path = "acts.html")]
struct ActsPage {
    frame: Frame,
    q: String,
    year: String,
    month: String,
    invoice: String,
    years: Vec<i16>,
    /// What is wrong, in words, and the field's id.
    error: Option<(String, &'static str)>,
    searched: bool,
    rows: Vec<Row>,
    /// More documents matched than the page lists.
    more: bool,
}

/// GET /reports/acts
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let now = now_ms();
    let current_year = zone.civil_date(now).map_or(2026, |d| d.year());
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut page = ActsPage {
        frame: Frame::signed(&state, &signed, t.t("acts-title")).await?,
        q: text(&p.q),
        year: text(&p.year),
        month: text(&p.month),
        invoice: text(&p.invoice),
        years: (current_year - YEARS_BACK..=current_year).rev().collect(),
        error: None,
        searched: false,
        rows: Vec::new(),
        more: false,
    };
    // The form opened, not yet asked.
    if p.q.is_none() && p.year.is_none() && p.month.is_none() && p.invoice.is_none() {
        return Ok(html(StatusCode::OK, &page));
    }
    let search = match parse(&p, current_year) {
        Ok(s) => s,
        Err(m) => {
            page.error = Some((t.t(m.key()), m.field()));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let query = InvoiceQuery {
        account_no: search.account.clone(),
        month: search.year.zip(search.month).map(|(y, m)| format!("{y:04}-{m:02}")),
        msisdn: search.msisdn.clone(),
        number: search.invoice.clone(),
        limit: 10_000,
    };
    let invoices = state.operator.invoices(&scope.bin, &query).await.map_err(|_| WebError::Operator(t.locale))?;
    let mut found: Vec<Invoice> = invoices
        .into_iter()
        .filter(|i| search.year.is_none_or(|y| i.month.starts_with(&format!("{y:04}-"))))
        .filter(|i| invoice_files::published(zone, &i.month, ACTS_FROM_DAY, now))
        .collect();
    page.more = found.len() > LIST_LIMIT;
    found.truncate(LIST_LIMIT);
    let numbers: Vec<String> = found.iter().map(|i| i.system_no.clone()).collect();
    let viewed = document_views::viewed(&state.db, &scope.company_id, &numbers).await?;
    crate::pages::history::record_about(&state, &signed, &scope, SEARCH_KIND, scope.bin.as_str(), None).await?;
    page.searched = true;
    page.rows = found
        .into_iter()
        .map(|i| Row {
            viewed: viewed.contains(&i.system_no),
            account: i.account_no,
            date: zone.date(i.issued_ms),
            number: i.system_no,
        })
        .collect();
    Ok(html(StatusCode::OK, &page))
}

/// GET /reports/acts/{file}: `<document number>.pdf` (the act with its breakdown) or
/// `.xlsx` (the breakdown), of the company's published documents only.
pub async fn file(
    State(state): State<AppState>,
    signed: Signed,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let t = signed.visitor.tr();
    let (number, format) = match file.rsplit_once('.') {
        Some((n, "pdf")) => (n, Format::Pdf),
        Some((n, "xlsx")) => (n, Format::Xlsx),
        _ => return Err(WebError::NotFound(t.locale)),
    };
    let zone = &state.config.zone;
    let now = now_ms();
    let doc = match any_invoice_number(number) {
        Some(n) => state.operator.invoice(&scope.bin, &n).await.map_err(|_| WebError::Operator(t.locale))?,
        None => None,
    };
    // Another company's document, a number that is none, and one not yet published look alike.
    let doc = doc
        .filter(|d| {
            d.invoice.system_no == number && invoice_files::published(zone, &d.invoice.month, ACTS_FROM_DAY, now)
        })
        .ok_or(WebError::NotFound(t.locale))?;
    let company = companies::by_bin(&state.db, &scope.bin).await?.ok_or(WebError::Internal)?;
    let kind = match format {
        Format::Pdf => InvoiceFile::Act,
        Format::Xlsx => InvoiceFile::Breakdown,
    };
    let name = invoice_files::file_name(kind, &doc);
    let customer = Customer { name: &company.name, bin: scope.bin.as_str() };
    let built = invoice_files::build(kind, format, t.locale, zone, &state.config.legal, &customer, doc).await;
    let built = built.map_err(|e| {
        tracing::error!(error = %e, "an act could not be made");
        WebError::Internal
    })?;
    document_views::record(&state.db, &scope.company_id, number, now).await?;
    crate::pages::history::record_about(&state, &signed, &scope, DOWNLOAD_KIND, number, None).await?;
    download(built, format, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str, year: &str, month: &str, invoice: &str) -> Params {
        let some = |s: &str| Some(s.to_string());
        Params { q: some(q), year: some(year), month: some(month), invoice: some(invoice) }
    }

    #[test]
    fn filters_are_an_account_or_a_number_a_year_and_month_or_an_invoice() {
        let ok = |q, y, m, i| parse(&params(q, y, m, i), 2026).unwrap();
        assert_eq!(ok("", "", "", ""), Search::default(), "all of the company's");
        assert_eq!(ok("4001234567", "", "", "").account.as_deref(), Some("4001234567"));
        assert_eq!(ok("25060831", "2026", "3", "").account.as_deref(), Some("25060831"));
        assert_eq!(ok("+7 701 054 20 06", "", "", "").msisdn.as_deref(), Some("77010542006"));
        assert_eq!(ok("", "2025", "11", "").month, Some(11));
        assert_eq!(ok("", "", "", "326114001234567").invoice.as_deref(), Some("326114001234567"));
        let bad = |q, y, m, i| parse(&params(q, y, m, i), 2026).unwrap_err();
        assert_eq!(bad("12345", "", "", ""), Mistake::Subject);
        assert_eq!(bad("+7700111235", "", "", ""), Mistake::Subject, "+7 and nine digits is no number");
        assert_eq!(bad("", "2019", "", ""), Mistake::Year);
        assert_eq!(bad("", "2026", "13", ""), Mistake::Month);
        assert_eq!(bad("", "", "5", ""), Mistake::Month, "a month needs its year");
        assert_eq!(bad("", "", "", "ESF-1"), Mistake::Invoice);
    }
}
