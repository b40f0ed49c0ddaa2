//! Usage details of a number (the profile head and the list's row menu): a period within
//! the last 90 days including today (default: the last month), on screen a page at a time
//! with totals by kind. Today's records may still be coming in, and the page says so.

use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::documents::{NumberPeriod, ReportRequest};
use crate::error::{PeriodField, WebError};
use crate::export::{Format, local_time};
use crate::pages::history::{BadPeriod, Period, period_since};
use crate::render::{Frame, html, urlencode};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::{UsageKind, UsageRecord, UsageReport, UsageTotal, UsageUnit};
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_core::{Money, Msisdn};
use cabinet_reports::{Cell, TableHead};
use jiff::ToSpan;
use serde::Deserialize;

/// How far back usage details go, today included.
pub const DAYS_BACK: i64 = 90;
const PAGE_SIZE: usize = 100;

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
    /// The report just asked for (after the request's redirect): the page says it was
    /// accepted, if it is this administrator's.
    report: Option<String>,
}

struct RecordRow {
    when: String,
    kind: String,
    other: String,
    quantity: String,
    from_allowance: String,
    charge: String,
}

struct TotalRow {
    kind: String,
    records: String,
    quantity: String,
    from_allowance: String,
    charge: String,
}

#[derive(Template)]
#[template(path = "usage.html")]
struct UsagePage {
    frame: Frame,
    msisdn: String,
    pretty: String,
    /// The number's own user is looking (self-care): on screen only.
    selfcare: bool,
    /// Where the period form goes (and the pages' links).
    action: String,
    from: String,
    to: String,
    error: Option<(PeriodField, String)>,
    totals: Vec<TotalRow>,
    total_charge: String,
    rows: Vec<RecordRow>,
    /// "101–200 of 1,234".
    range: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    includes_today: bool,
    /// A report was just asked for: "Your request … has been accepted".
    accepted: bool,
    /// How many days a file made at once may cover.
    at_once_days: i64,
}

impl UsagePage {
    fn error_for(&self, from: bool) -> Option<&str> {
        crate::error::period_error_at(&self.error, from)
    }
}

fn kind_text(t: &Tr, k: UsageKind) -> String {
    t.t(&format!("usage-kind-{}", k.code().replace('_', "-")))
}

/// `3:05` for a call, `1` for messages, `12.34 MB` (`12,34 МБ`) for data.
fn amount(t: &Tr, k: UsageKind, q: i64) -> String {
    match k.unit() {
        UsageUnit::Seconds => format!("{}:{:02}", q / 60, q % 60),
        UsageUnit::Messages | UsageUnit::Fees => cabinet_core::money::format_count(q, t.locale),
        UsageUnit::Kilobytes => {
            let hundredths = q * 100 / 1024;
            let sep = if t.locale == cabinet_core::Locale::En { '.' } else { ',' };
            let mb = format!(
                "{}{sep}{:02}",
                cabinet_core::money::format_count(hundredths / 100, t.locale),
                hundredths % 100
            );
            t.t1("unit-mb", "n", mb)
        }
    }
}

/// A record's type: abroad with its direction, country and zone ("Roaming calls, incoming —
/// Turkey, zone 2").
fn record_kind(t: &Tr, r: &UsageRecord) -> String {
    let Some(place) = &r.roaming else { return kind_text(t, r.kind) };
    let kind = if place.incoming { t.t("usage-roaming-incoming") } else { kind_text(t, r.kind) };
    t.tn(
        "usage-roaming-place",
        vec![
            ("kind", kind.as_str().into()),
            ("country", place.country.get(t.locale).into()),
            ("zone", i64::from(place.zone).into()),
        ],
    )
}

fn record_row(t: &Tr, zone: &cabinet_core::time::OperatorZone, r: &UsageRecord) -> RecordRow {
    RecordRow {
        when: zone.date_time_seconds(r.at_ms),
        kind: record_kind(t, r),
        other: match (r.kind, &r.roaming) {
            (UsageKind::Data | UsageKind::RoamingData, _) => t.t("usage-data-session"),
            // A pack's fee names the pack.
            (UsageKind::RoamingFee, Some(place)) => {
                place.pack.as_ref().map(|p| p.get(t.locale).to_string()).unwrap_or_default()
            }
            _ => r.other.clone(),
        },
        quantity: amount(t, r.kind, r.quantity),
        from_allowance: amount(t, r.kind, r.from_allowance),
        charge: t.money(&r.charge),
    }
}

fn total_row(t: &Tr, s: &UsageTotal) -> TotalRow {
    TotalRow {
        kind: kind_text(t, s.kind),
        records: cabinet_core::money::format_count(s.records as i64, t.locale),
        quantity: amount(t, s.kind, s.quantity),
        from_allowance: amount(t, s.kind, s.from_allowance),
        charge: t.money(&s.charge),
    }
}

/// GET /numbers/{msisdn}/usage: the period form, the totals and a page of records.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    let t = signed.visitor.tr();
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(t.locale))?;
    let frame = Frame::signed(&state, &signed, t.t("usage-title")).await?;
    let accepted = match &p.report {
        Some(id) => {
            let owner = crate::pages::reports::owner(&signed, &scope);
            cabinet_store::reports::get_for(&state.db, owner, id).await?.is_some()
        }
        None => false,
    };
    render(&state, frame, &scope.bin, &msisdn, &p, accepted, Viewer::Administrator).await
}

/// Who looks at the usage details: the company's administrator (with files and reports) or
/// the number's own user in self-care (on screen only).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewer {
    Administrator,
    Employee,
}

/// The usage details page of one number of the customer `bin` (404 when it is not theirs).
pub(crate) async fn render(
    state: &AppState,
    frame: Frame,
    bin: &cabinet_core::Bin,
    msisdn: &Msisdn,
    p: &Params,
    accepted: bool,
    viewer: Viewer,
) -> Result<Response, WebError> {
    let t = frame.t;
    // The operator answers None for a number that is not the company's; an empty period
    // asks only that, so a wrong period on another company's number is still not found.
    let usage = async |from_ms: i64, to_ms: i64| {
        state
            .operator
            .usage(bin, msisdn, from_ms, to_ms)
            .await
            .map_err(|_| WebError::Operator(t.locale))?
            .ok_or(WebError::NumberNotFound(t.locale))
    };
    let zone = &state.config.zone;
    let action = match viewer {
        Viewer::Administrator => format!("/numbers/{msisdn}/usage"),
        Viewer::Employee => "/selfcare/usage".to_string(),
    };
    let mut page = UsagePage {
        frame,
        pretty: msisdn.pretty(),
        msisdn: msisdn.to_string(),
        selfcare: viewer == Viewer::Employee,
        action,
        from: String::new(),
        to: String::new(),
        error: None,
        totals: Vec::new(),
        total_charge: String::new(),
        rows: Vec::new(),
        range: None,
        prev_href: None,
        next_href: None,
        includes_today: false,
        accepted,
        at_once_days: AT_ONCE_DAYS,
    };
    let period = match usage_period(zone, p) {
        Ok(period) => period,
        Err(BadPeriod { from, to, field, key }) => {
            usage(0, 0).await?;
            page.from = from;
            page.to = to;
            page.error = Some((field, t.t1(key, "days", DAYS_BACK)));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let report = usage(period.from_ms, period.to_ms).await?;
    let pages = report.records.len().div_ceil(PAGE_SIZE).max(1);
    let Some(n) = page_number(p.page.as_deref()).filter(|n| *n <= pages) else {
        return Err(WebError::NotFound(t.locale));
    };
    let start = (n - 1) * PAGE_SIZE;
    let shown = &report.records[start.min(report.records.len())..(start + PAGE_SIZE).min(report.records.len())];
    let href = |k: usize| format!("{}?from={}&to={}&page={k}", page.action, period.from, period.to);
    page.rows = shown.iter().map(|r| record_row(&t, zone, r)).collect();
    page.totals = report.totals.iter().map(|s| total_row(&t, s)).collect();
    page.total_charge = t.money(&Money(report.totals.iter().map(|s| s.charge.tiyn()).sum()));
    page.range = (!shown.is_empty()).then(|| {
        t.tn(
            "usage-range",
            vec![
                ("first", (start as i64 + 1).into()),
                ("last", ((start + shown.len()) as i64).into()),
                ("total", (report.records.len() as i64).into()),
            ],
        )
    });
    page.prev_href = (n > 1).then(|| href(n - 1));
    page.next_href = (n < pages).then(|| href(n + 1));
    page.includes_today = period.to_ms > now_ms();
    page.from = period.from;
    page.to = period.to;
    Ok(html(StatusCode::OK, &page))
}

/// The period asked for, within the last `DAYS_BACK` days, today included.
fn usage_period(zone: &OperatorZone, p: &Params) -> Result<Period, BadPeriod> {
    let today = zone.civil_date(now_ms()).unwrap_or_default();
    let oldest = today.checked_sub((DAYS_BACK - 1).days()).unwrap_or(today);
    period_since(zone, p.from.as_deref(), p.to.as_deref(), oldest, "usage-period-too-old")
}

/// GET /numbers/{msisdn}/usage.xlsx: the period's records as a workbook (date cells,
/// numeric charges), with the totals by type after them.
pub async fn xlsx(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    file(&state, &signed, &number, &p, Format::Xlsx).await
}

/// GET /numbers/{msisdn}/usage.pdf: the same as a PDF (A4, the header on every page).
pub async fn pdf(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    file(&state, &signed, &number, &p, Format::Pdf).await
}

/// The period's records and totals as a file of `format`, at once: only for a short period
/// (a longer one is asked for by POST and made as a report).
async fn file(
    state: &AppState,
    signed: &Signed,
    number: &str,
    p: &Params,
    format: Format,
) -> Result<Response, WebError> {
    // Another company's number is not found, whatever the period.
    let (scope, msisdn, _) =
        crate::pages::operations::company_number_as(state, signed, number, Permission::ViewNumbers).await?;
    let t = signed.visitor.tr();
    let zone = state.config.zone.clone();
    let Ok(period) = usage_period(&zone, p) else { return Err(WebError::BadRequest(t.locale)) };
    if is_large(&period) {
        // A link kept from before: the page's buttons ask for the report.
        return Ok(Redirect::to(&page_href(&msisdn, &period.from, &period.to)).into_response());
    }
    let report = state
        .operator
        .usage(&scope.bin, &msisdn, period.from_ms, period.to_ms)
        .await
        .map_err(|_| WebError::Operator(t.locale))?
        .ok_or(WebError::NumberNotFound(t.locale))?;
    let (head, rows) = table(&t, &zone, &msisdn, (&period.from, &period.to), report);
    crate::export::file_of(format, t.locale, head, rows, &file_name(&msisdn, &period.from, &period.to)).await
}

/// Periods longer than this go as a report (a job, then My reports and e-mail) instead of
/// a file at once. The decision has to be made before asking the operator, so it is made
/// on days, not on rows: a busy number makes a few hundred records a day, so a week is a
/// few thousand rows, a file written in well under a second within the request; three
/// months may take seconds and megabytes, which a request should not hold on to.
pub const AT_ONCE_DAYS: i64 = 7;

/// Whether the period is longer than a file made at once may cover.
fn is_large(period: &Period) -> bool {
    // Whole local days; a day with a clock change is 23 or 25 hours, hence the rounding.
    let days = (period.to_ms - period.from_ms + 12 * 3600 * 1000) / (24 * 3600 * 1000);
    days > AT_ONCE_DAYS
}

fn page_href(msisdn: &Msisdn, from: &str, to: &str) -> String {
    format!("/numbers/{msisdn}/usage?from={}&to={}", urlencode(from), urlencode(to))
}

/// `usage-77011234567-01-11-2026-30-11-2026` (digits and dashes: it goes into a header).
pub(crate) fn file_name(msisdn: &Msisdn, from: &str, to: &str) -> String {
    format!("usage-{msisdn}-{from}-{to}")
}

/// POST /numbers/{msisdn}/usage.xlsx: the period's file asked for from the page's button.
pub async fn request_xlsx(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request_file(&state, &signed, &number, &p, Format::Xlsx).await
}

/// POST /numbers/{msisdn}/usage.pdf: the same as a PDF.
pub async fn request_pdf(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    CsrfForm(p): CsrfForm<Params>,
) -> Result<Response, WebError> {
    request_file(&state, &signed, &number, &p, Format::Pdf).await
}

/// A short period's file is downloaded at once (a redirect to its GET); a longer one is
/// made as a report, and the page says the request was accepted. A wrong period goes back
/// to the page, which says what is wrong.
async fn request_file(
    state: &AppState,
    signed: &Signed,
    number: &str,
    p: &Params,
    format: Format,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    let t = signed.visitor.tr();
    let msisdn = Msisdn::parse(number).map_err(|_| WebError::NotFound(t.locale))?;
    let typed = |s: &Option<String>| s.clone().unwrap_or_default();
    let period = match usage_period(&state.config.zone, p) {
        Ok(period) => period,
        Err(_) => return Ok(Redirect::to(&page_href(&msisdn, &typed(&p.from), &typed(&p.to))).into_response()),
    };
    let query = format!("from={}&to={}", urlencode(&period.from), urlencode(&period.to));
    if !is_large(&period) {
        let href = format!("/numbers/{msisdn}/usage.{}?{query}", format.extension());
        return Ok(Redirect::to(&href).into_response());
    }
    // Nothing is stored for a number that is not the company's (an empty period asks only that).
    state
        .operator
        .usage(&scope.bin, &msisdn, 0, 0)
        .await
        .map_err(|_| WebError::Operator(t.locale))?
        .ok_or(WebError::NumberNotFound(t.locale))?;
    let request = ReportRequest::Usage(NumberPeriod::new(&msisdn, &period, format, None));
    let id = crate::pages::reports::submit(state, signed, &scope, &request).await?;
    Ok(Redirect::to(&format!("{}&report={id}", page_href(&msisdn, &period.from, &period.to))).into_response())
}

/// The report's table: the records (date cells, numeric charges), then the totals by type
/// and the period's total. The same for a file made at once and for a report.
pub(crate) fn table(
    t: &Tr,
    zone: &OperatorZone,
    msisdn: &Msisdn,
    (from, to): (&str, &str),
    report: UsageReport,
) -> (TableHead, impl Iterator<Item = Vec<Cell>> + Send + 'static) {
    let head = crate::export::number_report_head(
        t,
        zone,
        "usage-title",
        msisdn,
        (from, to),
        &[
            ("payments-when", 20.0),
            ("usage-kind", 34.0),
            ("usage-other", 16.0),
            ("usage-quantity", 18.0),
            ("usage-from-allowance", 18.0),
            ("usage-charge", 14.0),
        ],
    );
    let text = |s: String| Cell::Text(s);
    // The totals by type, then the period's total, under the records: a few rows, made now.
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
    for s in &report.totals {
        let shown = total_row(t, s);
        rows.push(vec![
            text(t.t("usage-total")),
            text(shown.kind),
            text(shown.records),
            text(shown.quantity),
            text(shown.from_allowance),
            Cell::Money(s.charge.tiyn()),
        ]);
    }
    let all: i64 = report.totals.iter().map(|s| s.charge.tiyn()).sum();
    let blank = || text(String::new());
    rows.push(vec![text(t.t("usage-total")), blank(), blank(), blank(), blank(), Cell::Money(all)]);
    // The records' rows are made as the writer takes them, so that the cells of every
    // record are never in memory at once.
    let (t, zone) = (*t, zone.clone());
    let records = report.records.into_iter().map(move |r| {
        let shown = record_row(&t, &zone, &r);
        vec![
            local_time(&zone, r.at_ms).map_or_else(|| Cell::Text(String::new()), Cell::DateTime),
            Cell::Text(shown.kind),
            Cell::Text(shown.other),
            Cell::Text(shown.quantity),
            Cell::Text(shown.from_allowance),
            Cell::Money(r.charge.tiyn()),
        ]
    });
    (head, records.chain(rows))
}

/// The page asked for: absent is the first; otherwise a whole number from 1.
fn page_number(page: Option<&str>) -> Option<usize> {
    match page.map(str::trim) {
        None | Some("") => Some(1),
        Some(s) => s.parse().ok().filter(|n| *n >= 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabinet_core::operator::Roaming;
    use cabinet_core::{Locale, Localized};

    #[test]
    fn every_kind_has_a_label_in_every_language() {
        for locale in Locale::ALL {
            let t = Tr::new(locale);
            for k in UsageKind::ALL {
                let key = format!("usage-kind-{}", k.code().replace('_', "-"));
                assert!(t.try_t(&key).is_some(), "{locale:?}: {key}");
            }
        }
    }

    #[test]
    fn a_record_abroad_says_which_way_where_and_for_a_fee_which_pack() {
        let zone = OperatorZone::named("Asia/Almaty").unwrap();
        let place =
            Roaming {
                zone: 2, country: Localized::new("Турция", "Turkey", "Түркия"), incoming: true, pack: None
            };
        let call = UsageRecord {
            at_ms: 0,
            kind: UsageKind::RoamingCall,
            other: "77011234567".into(),
            quantity: 125,
            from_allowance: 0,
            charge: Money(22_500),
            roaming: Some(place.clone()),
        };
        let fee = UsageRecord {
            kind: UsageKind::RoamingFee,
            quantity: 1,
            other: String::new(),
            roaming: Some(Roaming {
                incoming: false,
                pack: Some(Localized::new("Бизнес поездка", "Business travel", "Іссапар")),
                ..place
            }),
            ..call.clone()
        };
        let ru = record_row(&Tr::new(Locale::Ru), &zone, &call);
        assert_eq!(
            (ru.kind.as_str(), ru.other.as_str(), ru.quantity.as_str()),
            ("Роуминг: входящие звонки — Турция, зона 2", "77011234567", "2:05")
        );
        let kk = record_row(&Tr::new(Locale::Kk), &zone, &fee);
        assert_eq!(
            (kk.kind.as_str(), kk.other.as_str(), kk.quantity.as_str()),
            ("Роуминг: пакеттер — Түркия, 2-аймақ", "Іссапар", "1")
        );
        let en = record_row(
            &Tr::new(Locale::En),
            &zone,
            &UsageRecord { kind: UsageKind::RoamingData, quantity: 2048, ..fee },
        );
        assert_eq!((en.kind.as_str(), en.other.as_str()), ("Roaming data — Turkey, zone 2", "Mobile internet"));
    }
}
