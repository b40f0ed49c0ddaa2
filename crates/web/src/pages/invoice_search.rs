//! Documents and reports → Search for mobile number by invoice number (manuals 000 and 004):
//! the registration number of an electronic invoice (ESF) or its number in the billing
//! system, and its year → the company's numbers on that invoice, on screen or as XLSX. Each
//! search of a well-formed number is recorded in the actions history ("Getting a list of
//! mobile numbers by invoice number …"), failed when the company has no such invoice.

use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::export::{Format, file_of};
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::InvoiceDocument;
use cabinet_core::time::now_ms;
use cabinet_reports::{Cell, TableHead};
use serde::Deserialize;

/// The action a search records.
pub const KIND: &str = "invoice_numbers";
/// Why a search failed: the company has no invoice with that number in that year.
pub const NOT_FOUND: &str = "invoice_not_found";
/// Invoices are searched back this many years before the current one.
const YEARS_BACK: i16 = 3;

#[derive(Deserialize, Default)]
pub struct Params {
    by: Option<String>,
    number: Option<String>,
    year: Option<String>,
    output: Option<String>,
}

/// Which of an invoice's numbers is typed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    /// The electronic invoice's registration number: `ESF-<BIN>-<YYYYMMDD>-<account>`.
    Registration,
    /// The billing system's number: digits.
    System,
}

/// A search as typed, checked.
struct Search {
    by: By,
    number: String,
    year: i16,
    xlsx: bool,
}

/// What is wrong with a search, as the field it belongs to and the catalog's key.
#[derive(Debug, PartialEq, Eq)]
enum Mistake {
    Number(&'static str),
    Year,
}

/// The registration number's shape: `ESF-`, 12 digits (the BIN), 8 (the date), 10 (the
/// account).
fn is_registration_no(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 4 && parts[0] == "ESF" && digits(parts[1], 12) && digits(parts[2], 8) && digits(parts[3], 10)
}

/// The billing system's number's shape: 6 to 20 digits.
fn is_system_no(s: &str) -> bool {
    (6..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Spaces and case as people copy a number from a PDF; nothing else is changed.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<String>().to_uppercase()
}

/// An invoice's number as typed, of either kind, normalised; None when it is neither.
pub fn any_invoice_number(s: &str) -> Option<String> {
    let n = normalise(s);
    (is_registration_no(&n) || is_system_no(&n)).then_some(n)
}

fn parse(p: &Params, current_year: i16) -> Result<Search, Mistake> {
    let by = match p.by.as_deref() {
        Some("system") => By::System,
        _ => By::Registration,
    };
    let number = normalise(p.number.as_deref().unwrap_or(""));
    match by {
        _ if number.is_empty() => return Err(Mistake::Number("invoice-search-error-empty")),
        By::Registration if !is_registration_no(&number) => {
            return Err(Mistake::Number("invoice-search-error-registration"));
        }
        By::System if !is_system_no(&number) => return Err(Mistake::Number("invoice-search-error-system")),
        _ => {}
    }
    let year = p
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i16>().ok())
        .filter(|y| (current_year - YEARS_BACK..=current_year).contains(y))
        .ok_or(Mistake::Year)?;
    Ok(Search { by, number, year, xlsx: p.output.as_deref() == Some("xlsx") })
}

/// The invoice the search names, if it is the company's, of that year, and its number is of
/// the kind chosen.
fn matches(doc: &InvoiceDocument, s: &Search) -> bool {
    let number = match s.by {
        By::Registration => &doc.invoice.registration_no,
        By::System => &doc.invoice.system_no,
    };
    *number == s.number && doc.invoice.month.starts_with(&format!("{:04}-", s.year))
}

/// The invoice's numbers, each once, in the invoice's order.
fn numbers_of(doc: &InvoiceDocument) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in &doc.lines {
        if out.last() != Some(&l.msisdn) && !out.contains(&l.msisdn) {
            out.push(l.msisdn.clone());
        }
    }
    out
}

struct Row {
    number: String,
    href: String,
}

#[derive(Template)]
#[template(path = "invoice_search.html")]
struct SearchPage {
    frame: Frame,
    by_system: bool,
    number: String,
    year: i16,
    years: Vec<i16>,
    xlsx: bool,
    /// What is wrong with the number or the year, in words.
    number_error: Option<String>,
    year_error: Option<String>,
    /// Whether a search was made and found nothing of the company's.
    not_found: bool,
    /// The invoice number the rows are of.
    invoice: String,
    rows: Vec<Row>,
}

/// GET /reports/invoice-numbers
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewDocuments)?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let current_year = zone.civil_date(now_ms()).map_or(2026, |d| d.year());
    let years: Vec<i16> = (current_year - YEARS_BACK..=current_year).rev().collect();
    let mut page = SearchPage {
        frame: Frame::signed(&state, &signed, t.t("invoice-search-title")).await?,
        by_system: p.by.as_deref() == Some("system"),
        number: p.number.clone().unwrap_or_default(),
        year: current_year,
        years,
        xlsx: p.output.as_deref() == Some("xlsx"),
        number_error: None,
        year_error: None,
        not_found: false,
        invoice: String::new(),
        rows: Vec::new(),
    };
    if p.number.is_none() {
        return Ok(html(StatusCode::OK, &page));
    }
    let search = match parse(&p, current_year) {
        Ok(s) => s,
        Err(m) => {
            match m {
                Mistake::Number(key) => page.number_error = Some(t.t(key)),
                Mistake::Year => page.year_error = Some(t.t("invoice-search-error-year")),
            }
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    page.year = search.year;
    let found = state
        .operator
        .invoice(&scope.bin, &search.number)
        .await
        .map_err(|_| WebError::Operator(t.locale))?
        .filter(|doc| matches(doc, &search));
    crate::pages::history::record_about(
        &state,
        &signed,
        &scope,
        KIND,
        &search.number,
        found.is_none().then_some(NOT_FOUND),
    )
    .await?;
    let Some(doc) = found else {
        page.not_found = true;
        return Ok(html(StatusCode::OK, &page));
    };
    let numbers = numbers_of(&doc);
    if search.xlsx {
        return xlsx(&t, zone, &search.number, numbers).await;
    }
    page.invoice = search.number;
    page.rows = numbers
        .into_iter()
        .map(|n| {
            let pretty = Msisdn::pretty_text(&n);
            Row { href: format!("/numbers/{n}"), number: pretty }
        })
        .collect();
    Ok(html(StatusCode::OK, &page))
}

/// The numbers as a spreadsheet: the number and the invoice's number on each row, as the
/// manual's table has them.
async fn xlsx(
    t: &Tr,
    zone: &cabinet_core::time::OperatorZone,
    invoice: &str,
    numbers: Vec<String>,
) -> Result<Response, WebError> {
    let head = TableHead {
        sheet: t.t("invoice-search-sheet"),
        title: t.t1("invoice-search-file-title", "invoice", invoice),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: vec![t.t("invoice-search-phone"), t.t("invoice-search-invoice")],
        widths: vec![20.0, 40.0],
    };
    let invoice = invoice.to_string();
    let rows: Vec<Vec<Cell>> =
        numbers.into_iter().map(|n| vec![Cell::Text(Msisdn::pretty_text(&n)), Cell::Text(invoice.clone())]).collect();
    let name = format!("numbers-{}", invoice.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    file_of(Format::Xlsx, t.locale, head, rows, &name).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(by: &str, number: &str, year: &str) -> Params {
        Params { by: Some(by.into()), number: Some(number.into()), year: Some(year.into()), output: None }
    }

    #[test]
    fn only_whole_invoice_numbers_of_the_kind_chosen_are_searched() {
        let ok = parse(&params("registration", " esf-940740000015-20261130-4001234567 ", "2026"), 2026).unwrap();
        assert_eq!(ok.number, "ESF-940740000015-20261130-4001234567");
        assert!(parse(&params("system", "326114001234567", "2024"), 2026).is_ok());
        let number = |by, n| parse(&params(by, n, "2026"), 2026).err();
        assert_eq!(number("registration", ""), Some(Mistake::Number("invoice-search-error-empty")));
        for bad in ["326114001234567", "ESF-94074000001-20261130-4001234567", "ESF-940740000015-2026113-4001234567x"] {
            assert_eq!(
                number("registration", bad),
                Some(Mistake::Number("invoice-search-error-registration")),
                "{bad}"
            );
        }
        for bad in ["12345", "3261140012345678901234", "32611400123456a", "ESF-940740000015-20261130-4001234567"] {
            assert_eq!(number("system", bad), Some(Mistake::Number("invoice-search-error-system")), "{bad}");
        }
        for year in ["2022", "2027", "20x6", ""] {
            assert!(matches!(parse(&params("system", "326114001234567", year), 2026), Err(Mistake::Year)), "{year}");
        }
    }
}
