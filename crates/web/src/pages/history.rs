//! Documents and reports → Actions history: every action of the company's administrators
//! in a period, newest first, a page at a time.

use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::pages::number_head::reason_text;
use crate::pages::operations::{Details, ban_key, forward_kind_key};
use crate::render::{Frame, html, urlencode};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::operator::Operation;
use cabinet_core::time::{now_ms, parse_day};
use cabinet_store::actions::{self, Action};
use jiff::ToSpan;
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;
/// The longest period one request may cover.
const MAX_DAYS: i32 = 3 * 366;

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

pub struct Row {
    action: String,
    status_key: &'static str,
    status_class: &'static str,
    reason: Option<String>,
    when: String,
    admin: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    frame: Frame,
    from: String,
    to: String,
    error: Option<String>,
    rows: Vec<Row>,
    total: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// "Block number 77010542001": the action's words with its subject.
pub fn action_text(t: &Tr, a: &Action) -> String {
    let number = a.msisdn.clone().unwrap_or_default();
    let key = format!("action-{}", a.kind.replace('_', "-"));
    let details: Option<Details> = serde_json::from_str(&a.details).ok();
    let name = match details.as_ref().map(|d| (&d.operation, &d.name)) {
        Some((_, Some(name))) => t.text(name).to_string(),
        Some((Operation::SetBan { ban, .. }, None)) => t.t(ban_key(*ban)),
        Some((Operation::AddForwarding { kind, .. } | Operation::RemoveForwarding { kind }, None)) => {
            t.t(forward_kind_key(*kind))
        }
        Some((Operation::SetService { code, .. }, None)) => code.clone(),
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

pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewHistory)?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let today = zone.civil_date(now_ms()).ok_or(WebError::Internal)?;
    let default_from = today.checked_sub(1.month()).unwrap_or(today);
    let from_s = p
        .from
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default_from.strftime("%d-%m-%Y").to_string());
    let to_s = p.to.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| today.strftime("%d-%m-%Y").to_string());
    let period = match (parse_day(&from_s), parse_day(&to_s)) {
        (Ok(f), Ok(to)) if f > to => Err("period-reversed"),
        (Ok(f), Ok(to)) if (to - f).get_days() > MAX_DAYS => Err("period-too-long"),
        (Ok(f), Ok(to)) => Ok((f, to)),
        _ => Err("period-invalid"),
    };
    let mut page = HistoryPage {
        frame: Frame::signed(&state, &signed, t.t("history-title")).await?,
        from: from_s.clone(),
        to: to_s.clone(),
        error: None,
        rows: Vec::new(),
        total: 0,
        prev_href: None,
        next_href: None,
    };
    let (from, to) = match period {
        Ok(p) => p,
        Err(key) => {
            page.error = Some(t.t(key));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let from_ms = zone.start_of_day_ms(from);
    let to_ms = zone.start_of_day_ms(to.tomorrow().unwrap_or(to));
    let n = p.page.unwrap_or(1).max(1);
    let list = actions::in_period(&state.db, &scope.company_id, from_ms, to_ms, (n - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    page.total = actions::count_in_period(&state.db, &scope.company_id, from_ms, to_ms).await?;
    page.rows = list.iter().map(|a| row(&t, zone, a)).collect();
    let href = |k: i64| format!("/reports/actions?from={}&to={}&page={k}", urlencode(&from_s), urlencode(&to_s));
    page.prev_href = (n > 1).then(|| href(n - 1));
    page.next_href = (n * PAGE_SIZE < page.total).then(|| href(n + 1));
    Ok(html(StatusCode::OK, &page))
}
