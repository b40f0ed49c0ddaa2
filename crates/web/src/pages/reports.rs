//! My reports (`/reports`, beside Documents and reports): the reports this administrator
//! asked for in the current company, newest first, with their state, size and expiry; a
//! report still being made polls its row until it is ready; a ready one downloads from the
//! store chunk by chunk. Another administrator's or another company's report is not found.

/// The tabs of Documents and reports, in the manuals' order: (slug, address, the catalog's
/// key of its name, what the page requires). `reports_tabs.html` draws those the role
/// allows; a page names its own by the slug.
pub const TABS: [(&str, &str, &str, Permission); 12] = [
    ("invoice-numbers", "/reports/invoice-numbers", "invoice-search-title", Permission::ViewDocuments),
    ("actions", "/reports/actions", "history-title", Permission::ViewHistory),
    ("number-list", "/reports/number-list", "number-list-page-title", Permission::ViewDocuments),
    ("acts", "/reports/acts", "acts-title", Permission::ViewDocuments),
    ("register", "/reports/register", "register-title", Permission::ViewDocuments),
    ("reconciliation", "/reports/reconciliation", "reconciliation-title", Permission::ViewDocuments),
    ("devices", "/reports/devices", "devices-page-title", Permission::ViewDocuments),
    ("company-payments", "/reports/company-payments", "company-payments-title", Permission::ViewPayments),
    ("unallocated", "/reports/unallocated", "unallocated-title", Permission::ViewPayments),
    ("breakdown", "/reports/breakdown", "breakdown-title", Permission::ViewDocuments),
    ("roaming-packages", "/reports/roaming-packages", "roaming-packages-title", Permission::ViewNumbers),
    ("my-reports", "/reports", "nav-my-reports", Permission::ViewNumbers),
];

/// Whether the tab `slug` is the page's (`tab`), for the template.
pub fn is_tab(tab: &str, slug: &str) -> bool {
    tab == slug
}

use crate::auth::{CompanyScope, Permission, Signed};
use crate::documents::{self, ReportRequest};
use crate::error::WebError;
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_store::reports::{self, Owner, Report};

/// The most reports the page lists (a week's worth for anyone but a robot).
const LIST_LIMIT: i64 = 200;

/// Whose reports a request may see: the administrator's own, in the current company.
pub(crate) fn owner<'a>(signed: &'a Signed, scope: &'a CompanyScope) -> Owner<'a> {
    Owner { company_id: &scope.company_id, admin_id: &signed.session.admin_id }
}

/// Records a report request (and its job) in the administrator's language, and wakes this
/// process's worker; returns the report's id.
pub(crate) async fn submit(
    state: &AppState,
    signed: &Signed,
    scope: &CompanyScope,
    request: &ReportRequest,
) -> Result<String, WebError> {
    let t = signed.visitor.tr();
    let new = reports::NewReport {
        kind: request.kind(),
        params: &request.params(),
        title: &request.title(&t),
        locale: t.locale.code(),
    };
    let id = reports::request(&state.db, owner(signed, scope), &new, now_ms()).await?;
    state.jobs_wake.notify_one();
    Ok(id)
}

/// One report as a row shows it.
pub struct Row {
    id: String,
    title: String,
    asked: String,
    state_key: &'static str,
    /// The pill's class (the design system's state colours).
    state_class: &'static str,
    pending: bool,
    reason: Option<String>,
    size: String,
    expires: String,
    download: bool,
    /// Say the outcome to screen readers: only a polled row that has just finished (the
    /// rows a page loads with are not news).
    announce: bool,
}

fn row(t: &Tr, zone: &OperatorZone, r: &Report) -> Row {
    let (state_key, state_class) = match r.state.as_str() {
        reports::READY => ("report-state-ready", "ready"),
        reports::FAILED => ("report-state-failed", "failed"),
        reports::RUNNING => ("report-state-running", "processing"),
        _ => ("report-state-queued", "processing"),
    };
    // Worded anew in the reader's language when the kind is known here.
    let title = ReportRequest::parse(&r.kind, &r.params).map_or_else(|| r.title.clone(), |q| q.title(t));
    Row {
        id: r.id.clone(),
        title,
        asked: zone.date_time(r.created_ms),
        state_key,
        state_class,
        pending: r.pending(),
        reason: (r.state == reports::FAILED).then(|| documents::failure_text(t, r.error.as_deref().unwrap_or(""))),
        size: r.size_bytes.map_or_else(|| "—".to_string(), |b| size_text(t, b)),
        expires: zone.date_time(r.expires_ms),
        download: r.state == reports::READY,
        announce: false,
    }
}

/// `980 B`, `12,3 KB`, `4,5 MB` (a decimal point in English).
fn size_text(t: &Tr, bytes: i64) -> String {
    let tenths = |unit: i64| {
        let x = (bytes * 10 + unit / 2) / unit;
        let sep = if t.locale == cabinet_core::Locale::En { '.' } else { ',' };
        format!("{}{sep}{}", cabinet_core::money::format_count(x / 10, t.locale), x % 10)
    };
    match bytes {
        b if b < 1024 => t.t1("size-bytes", "n", b),
        b if b < 1024 * 1024 => t.t1("size-kb", "n", tenths(1024)),
        _ => t.t1("size-mb", "n", tenths(1024 * 1024)),
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    frame: Frame,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "reports_row.html")]
struct RowFragment {
    t: Tr,
    r: Row,
}

/// GET /reports: the list.
pub async fn list(State(state): State<AppState>, signed: Signed) -> Result<Response, WebError> {
    // Anyone who may see the numbers may have asked for a report; each row is their own.
    let scope = signed.require(Permission::ViewNumbers)?;
    let t = signed.visitor.tr();
    let list = reports::list_for(&state.db, owner(&signed, &scope), LIST_LIMIT).await?;
    let frame = Frame::signed(&state, &signed, t.t("reports-title")).await?;
    let rows = list.iter().map(|r| row(&t, &state.config.zone, r)).collect();
    Ok(html(StatusCode::OK, &ReportsPage { frame, rows }))
}

/// The administrator's report `id` in the current company, or not found.
async fn own_report(state: &AppState, signed: &Signed, id: &str) -> Result<Report, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    reports::get_for(&state.db, owner(signed, &scope), id).await?.ok_or(WebError::NotFound(signed.locale()))
}

/// GET /reports/{id}/row: one row, which polls itself while the report is being made.
pub async fn row_fragment(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let r = own_report(&state, &signed, &id).await?;
    let t = signed.visitor.tr();
    let mut shown = row(&t, &state.config.zone, &r);
    shown.announce = !shown.pending;
    Ok(html(StatusCode::OK, &RowFragment { t, r: shown }))
}

/// GET /reports/{id}/download: the file, read from the store a chunk at a time.
pub async fn download(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let r = own_report(&state, &signed, &id).await?;
    let l = signed.locale();
    if r.state != reports::READY {
        return Err(WebError::NotFound(l));
    }
    // One who may no longer see what the report holds may not download it either.
    if let Some(q) = ReportRequest::parse(&r.kind, &r.params) {
        signed.require(q.permission())?;
    }
    let name = safe_file_name(r.file_name.as_deref().unwrap_or("report"));
    let content_type = r.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
    let db = state.db.clone();
    let chunks = futures_util::stream::unfold(Some(0i64), move |next| {
        let db = db.clone();
        let id = r.id.clone();
        async move {
            let position = next?;
            match reports::chunk(&db, &id, position).await {
                Ok(Some(bytes)) => Some((Ok(bytes), Some(position + 1))),
                Ok(None) => None,
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    let mut headers = vec![
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    if let Some(size) = r.size_bytes {
        headers.push((header::CONTENT_LENGTH, size.to_string()));
    }
    let mut res = Body::from_stream(chunks).into_response();
    for (k, v) in headers {
        res.headers_mut().insert(k, v.parse().map_err(|_| WebError::Internal)?);
    }
    Ok(res)
}

/// The stored name with anything but letters, digits, dots, dashes and underscores made a
/// dash: it goes into a quoted header parameter.
fn safe_file_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() { "report".to_string() } else { trimmed.chars().take(120).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_in_headers_are_plain() {
        assert_eq!(safe_file_name("usage-77011234567-01-11-2026.xlsx"), "usage-77011234567-01-11-2026.xlsx");
        assert_eq!(safe_file_name("a\"b\r\nc/../Отчёт.pdf"), "a-b--c-..------.pdf");
        assert_eq!(safe_file_name("..."), "report");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        let ru = Tr::new(cabinet_core::Locale::Ru);
        let en = Tr::new(cabinet_core::Locale::En);
        assert_eq!(size_text(&en, 980), "980 B");
        assert_eq!(size_text(&en, 12_595), "12.3 KB");
        assert_eq!(size_text(&ru, 4_718_592), "4,5 МБ");
    }
}
