//! Documents and reports → Actions history: every action of the company's administrators
//! in a period, newest first, a page at a time.

use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::error::{PeriodField, period_error};
use crate::pages::number_head::reason_text;
use crate::pages::operations::{Details, ban_key, forward_kind_key};
use crate::render::{Frame, html, urlencode};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::operator::Operation;
use cabinet_core::time::OperatorZone;
use cabinet_core::time::{PeriodError, now_ms, parse_period};
use cabinet_reports::{Cell, TableHead, TableWriter};
use cabinet_store::actions::{self, Action};
use jiff::ToSpan;
use serde::Deserialize;
use std::io::{Seek, SeekFrom};

const PAGE_SIZE: i64 = 50;
/// The longest period one request may cover.
const MAX_DAYS: i32 = 3 * 366;

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    /// Read as text, so that any value gets the visitor's own error page.
    page: Option<String>,
}

/// The furthest page whose offset still fits in a number the store takes.
const MAX_PAGE: i64 = i64::MAX / PAGE_SIZE;

/// The page asked for: absent is the first; otherwise a whole number from 1.
fn page_number(page: Option<&str>) -> Option<i64> {
    match page.map(str::trim) {
        None | Some("") => Some(1),
        Some(s) => s.parse().ok().filter(|n| (1..=MAX_PAGE).contains(n)),
    }
}

pub struct Row {
    action: String,
    status_key: &'static str,
    status_class: &'static str,
    reason: Option<String>,
    when: String,
    admin: String,
}

impl HistoryPage {
    /// The message for one field of the period, when the mistake is in it.
    fn error_for(&self, from: bool) -> Option<&str> {
        crate::error::period_error_at(&self.error, from)
    }
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    frame: Frame,
    from: String,
    to: String,
    /// The mistake in the period and the field it belongs to.
    error: Option<(PeriodField, String)>,
    rows: Vec<Row>,
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    xlsx_href: String,
    /// "51–100 of 2,345": the rows this page shows.
    range: Option<String>,
}

/// The details of an action that is not about a number: what it was about, in its words.
#[derive(Deserialize)]
struct Subject {
    subject: String,
}

/// Records an action of the documents' tabs, about `subject` (an invoice's number, a BIN, a
/// period, an address) as `action_text` words it: a success, or a failure with its reason.
pub(crate) async fn record_about(
    state: &AppState,
    signed: &Signed,
    scope: &crate::auth::CompanyScope,
    kind: &str,
    subject: &str,
    failure: Option<&str>,
) -> Result<(), WebError> {
    let details = serde_json::json!({ "subject": subject }).to_string();
    let action = actions::NewAction {
        kind,
        msisdn: None,
        details: &details,
        status: if failure.is_some() { actions::FAILURE } else { actions::SUCCESS },
        reason: failure,
        job_id: None,
    };
    actions::record_now(&state.db, &signed.actor(scope), &action, now_ms()).await?;
    Ok(())
}

/// "Block number 77010542001": the action's words with its subject.
pub fn action_text(t: &Tr, a: &Action) -> String {
    let number = a.msisdn.clone().unwrap_or_default();
    if a.kind == "transfer"
        && let Some(text) = crate::pages::transfer::action_text(t, &number, &a.details)
    {
        return text;
    }
    let key = format!("action-{}", a.kind.replace('_', "-"));
    // Actions on documents name what they were about (an invoice's number, a period).
    if let Ok(Subject { subject }) = serde_json::from_str(&a.details)
        && let Some(text) = t.try_t1(&key, "subject", subject.as_str())
    {
        return text;
    }
    let details: Option<Details> = serde_json::from_str(&a.details).ok();
    let name = match details.as_ref().map(|d| (&d.operation, &d.name)) {
        Some((_, Some(name))) => t.text(name).to_string(),
        Some((Operation::SetBan { ban, .. }, None)) => t.t(ban_key(*ban)),
        Some((Operation::AddForwarding { kind, .. } | Operation::RemoveForwarding { kind }, None)) => {
            t.t(forward_kind_key(*kind))
        }
        Some((Operation::SetService { code, .. }, None)) => code.clone(),
        Some((
            Operation::RegisterImei { imei }
            | Operation::RegisterDuplicateImei { imei }
            | Operation::ReregisterImei { imei, .. }
            | Operation::RemoveImei { imei },
            None,
        )) => imei.clone(),
        _ => String::new(),
    };
    let text = if name.is_empty() {
        t.try_t1(&key, "number", number.as_str())
    } else {
        t.try_t2(&key, ("name", name), ("number", number.as_str()))
    };
    text.unwrap_or_else(|| format!("{} {number}", a.kind))
}

fn row(t: &Tr, zone: &cabinet_core::time::OperatorZone, a: &Action) -> Row {
    let (status_key, status_class) = match a.status.as_str() {
        actions::SUCCESS => ("status-success", "success"),
        actions::FAILURE => ("status-failure", "failure"),
        _ => ("status-processing", "processing"),
    };
    Row {
        action: action_text(t, a),
        status_key,
        status_class,
        reason: a.reason.as_deref().map(|r| reason_text(t, r)),
        when: zone.date_time_seconds(a.created_ms),
        admin: format!("{} {}", a.admin_name, a.admin_phone),
    }
}

/// A period as dates (`dd-mm-yyyy`, written anew: what was typed may hold spaces or
/// control characters) and as instants `[from_ms, to_ms)`.
pub(crate) struct Period {
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// A period that cannot be used: as typed, the field at fault and the catalog key of what
/// is wrong.
pub(crate) struct BadPeriod {
    pub from: String,
    pub to: String,
    pub field: PeriodField,
    pub key: &'static str,
}

fn period(zone: &OperatorZone, p: &Params) -> Result<Period, BadPeriod> {
    period_within(zone, p.from.as_deref(), p.to.as_deref(), Longest { days: MAX_DAYS, message: "period-too-long" })
}

/// How long a page's period may be, and the catalog key of the message that says so (each
/// page names its own limit).
pub(crate) struct Longest {
    pub days: i32,
    pub message: &'static str,
}

/// The period typed (default: the last month up to today), at most `longest.days` long.
pub(crate) fn period_within(
    zone: &OperatorZone,
    from: Option<&str>,
    to: Option<&str>,
    longest: Longest,
) -> Result<Period, BadPeriod> {
    let today = zone.civil_date(now_ms()).unwrap_or_default();
    let default_from = today.checked_sub(1.month()).unwrap_or(today);
    let typed = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_string);
    let from_s = typed(from).unwrap_or_else(|| default_from.strftime("%d-%m-%Y").to_string());
    let to_s = typed(to).unwrap_or_else(|| today.strftime("%d-%m-%Y").to_string());
    match parse_period(&from_s, &to_s, today, longest.days) {
        Ok((f, to)) => {
            let (from_ms, to_ms) = (zone.start_of_day_ms(f), zone.start_of_day_ms(to.tomorrow().unwrap_or(to)));
            let day = |d: jiff::civil::Date| d.strftime("%d-%m-%Y").to_string();
            Ok(Period { from: day(f), to: day(to), from_ms, to_ms })
        }
        Err(e) => {
            let (field, key) = period_error(e);
            let key = if e == PeriodError::TooLong { longest.message } else { key };
            Err(BadPeriod { from: from_s, to: to_s, field, key })
        }
    }
}

/// The period typed, starting no earlier than `earliest` (today included) and of no other
/// length limit: one that starts too early is told so with `too_early`, the page's own
/// message naming the limit.
pub(crate) fn period_since(
    zone: &OperatorZone,
    from: Option<&str>,
    to: Option<&str>,
    earliest: jiff::civil::Date,
    too_early: &'static str,
) -> Result<Period, BadPeriod> {
    // Any length: the beginning's limit bounds it.
    match period_within(zone, from, to, Longest { days: i32::MAX, message: too_early }) {
        Ok(period) if period.from_ms < zone.start_of_day_ms(earliest) => {
            Err(BadPeriod { from: period.from, to: period.to, field: PeriodField::From, key: too_early })
        }
        other => other,
    }
}

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewHistory)?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let frame = Frame::signed(&state, &signed, t.t("history-title")).await?;
    let Period { from: from_s, to: to_s, from_ms, to_ms } = match period(zone, &p) {
        Ok(p) => p,
        Err(BadPeriod { from, to, field, key }) => {
            let page = HistoryPage {
                frame,
                from,
                to,
                error: Some((field, t.t(key))),
                rows: Vec::new(),
                total: 0,
                prev_href: None,
                next_href: None,
                xlsx_href: String::new(),
                range: None,
            };
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let n = page_number(p.page.as_deref()).ok_or(WebError::BadRequest(t.locale))?;
    let list = actions::in_period(&state.db, &scope.company_id, from_ms, to_ms, (n - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let total = actions::count_in_period(&state.db, &scope.company_id, from_ms, to_ms).await?;
    let query = format!("from={}&to={}", urlencode(&from_s), urlencode(&to_s));
    let range = (!list.is_empty()).then(|| {
        let first = (n - 1) * PAGE_SIZE + 1;
        let last = first + list.len() as i64 - 1;
        let count = |v: i64| cabinet_core::money::format_count(v, t.locale);
        t.t2("history-range", ("range", format!("{}–{}", count(first), count(last))), ("total", total))
    });
    let page = HistoryPage {
        range,
        frame,
        rows: list.iter().map(|a| row(&t, zone, a)).collect(),
        total,
        prev_href: (n > 1).then(|| format!("/reports/actions?{query}&page={}", n - 1)),
        next_href: (n * PAGE_SIZE < total).then(|| format!("/reports/actions?{query}&page={}", n + 1)),
        xlsx_href: format!("/reports/actions.xlsx?{query}"),
        from: from_s,
        to: to_s,
        error: None,
    };
    Ok(html(StatusCode::OK, &page))
}

/// The most rows one export holds (a period of three years of a large company).
const EXPORT_LIMIT: usize = 500_000;
/// Rows read from the store at a time: the export holds about this many in memory.
const EXPORT_PAGE: i64 = 1_000;

/// GET /reports/actions.xlsx: the same period as a spreadsheet. The store is read a page at
/// a time and each page is written into a constant-memory workbook on a blocking thread; the
/// finished file (in a temporary file) is sent in chunks.
pub async fn xlsx(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewHistory)?;
    let t = signed.visitor.tr();
    let zone = state.config.zone.clone();
    let Ok(Period { from: from_s, to: to_s, from_ms, to_ms }) = period(&zone, &p) else {
        return Err(WebError::BadRequest(t.locale));
    };
    let head = TableHead {
        sheet: t.t("history-title"),
        title: format!("{} {from_s} → {to_s}", t.t("history-title")),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: ["history-action", "history-status", "history-when", "history-admin"].iter().map(|k| t.t(k)).collect(),
        widths: vec![60.0, 30.0, 20.0, 36.0],
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(2);
    let writer =
        tokio::task::spawn_blocking(move || -> Result<std::fs::File, Box<dyn std::error::Error + Send + Sync>> {
            let mut table = TableWriter::new(head)?;
            while let Some(rows) = rx.blocking_recv() {
                for row in &rows {
                    table.row(row)?;
                }
            }
            let mut file = tempfile::tempfile()?;
            table.finish(&mut file)?;
            file.seek(SeekFrom::Start(0))?;
            Ok(file)
        });
    let mut cursor: Option<actions::Cursor> = None;
    let mut sent = 0;
    while sent < EXPORT_LIMIT {
        let page = actions::in_period_after(&state.db, &scope.company_id, from_ms, to_ms, cursor.as_ref(), EXPORT_PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        cursor = Some((last.created_ms, last.id.clone()));
        sent += page.len();
        let full = page.len() as i64 == EXPORT_PAGE;
        let rows = page.iter().map(|a| export_row(&t, &zone, a)).collect();
        // A closed channel means the writer failed; its error is told below.
        if tx.send(rows).await.is_err() || !full {
            break;
        }
    }
    drop(tx);
    let file = writer.await.map_err(|_| WebError::Internal)?.map_err(|e| {
        tracing::error!(error = %e, "history export failed");
        WebError::Internal
    })?;
    crate::export::xlsx_attachment(file, &format!("actions-{from_s}-{to_s}.xlsx"))
}

/// A row of the export: the moment is a date cell, the rest as the page words it.
fn export_row(t: &Tr, zone: &OperatorZone, a: &Action) -> Vec<Cell> {
    let r = row(t, zone, a);
    let status = match &r.reason {
        Some(reason) => format!("{} ({reason})", t.t(r.status_key)),
        None => t.t(r.status_key),
    };
    let when = crate::export::local_time(zone, a.created_ms);
    vec![
        Cell::Text(r.action),
        Cell::Text(status),
        when.map(Cell::DateTime).unwrap_or(Cell::Text(r.when)),
        Cell::Text(r.admin),
    ]
}
