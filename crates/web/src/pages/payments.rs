//! Payment history of an advance number (the number page's "Payment history", manual
//! 001): a period, then on screen or as an XLSX file — date and time, type, comment (the
//! channel and its reference, or the other number of a transfer), sum, balance before and
//! after. A credit number's payments belong to its account (issue 11's payments report).

use crate::auth::{Permission, Signed};
use crate::error::{PeriodField, WebError};
use crate::export::{Format, local_time};
use crate::pages::history::{BadPeriod, Longest, Period, period_within};
use crate::pages::operations::company_number_as;
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{BalanceMove, BalanceMoveKind, BillingMethod};
use cabinet_core::time::OperatorZone;
use cabinet_reports::{Cell, TableHead};
use serde::Deserialize;

/// The longest period one request may cover (the operator keeps a year of payments here).
const MAX_DAYS: i32 = 366;

#[derive(Deserialize, Default)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
}

struct MoveRow {
    when: String,
    kind: String,
    comment: String,
    amount: String,
    incoming: bool,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "payments.html")]
struct PaymentsPage {
    frame: Frame,
    msisdn: String,
    pretty: String,
    advance: bool,
    from: String,
    to: String,
    error: Option<(PeriodField, String)>,
    rows: Vec<MoveRow>,
}

impl PaymentsPage {
    fn error_for(&self, from: bool) -> Option<&str> {
        crate::error::period_error_at(&self.error, from)
    }
}

fn kind_text(t: &Tr, k: &BalanceMoveKind) -> String {
    t.t(match k {
        BalanceMoveKind::TopUp { .. } => "payments-kind-top-up",
        BalanceMoveKind::TransferIn { .. } => "payments-kind-transfer-in",
        BalanceMoveKind::TransferOut { .. } => "payments-kind-transfer-out",
        BalanceMoveKind::Charge { .. } => "payments-kind-charge",
        BalanceMoveKind::Invoice { .. } => "payments-kind-invoice",
        BalanceMoveKind::Usage { .. } => "payments-kind-usage",
    })
}

fn comment(t: &Tr, k: &BalanceMoveKind) -> String {
    match k {
        BalanceMoveKind::TopUp { channel, reference } => {
            let channel = t.try_t(&format!("channel-{}", channel.replace('_', "-"))).unwrap_or_else(|| channel.clone());
            t.t2("payments-comment-top-up", ("channel", channel), ("reference", reference.as_str()))
        }
        BalanceMoveKind::TransferIn { from, reference } => {
            t.t2("payments-comment-from", ("number", Msisdn::pretty_text(from)), ("reference", reference.as_str()))
        }
        BalanceMoveKind::TransferOut { to, reference } => {
            t.t2("payments-comment-to", ("number", Msisdn::pretty_text(to)), ("reference", reference.as_str()))
        }
        BalanceMoveKind::Charge { service, reference } => {
            t.t2("payments-comment-charge", ("service", t.text(service)), ("reference", reference.as_str()))
        }
        BalanceMoveKind::Invoice { month, invoice, .. } => {
            // `2026-11` reads as `11.2026`, as dates do.
            let (y, m) = month.split_once('-').unwrap_or((month.as_str(), ""));
            t.t2("payments-comment-invoice", ("invoice", invoice.as_str()), ("month", format!("{m}.{y}")))
        }
        BalanceMoveKind::Usage { last_day, reference } => {
            // `2026-12-02` reads as `02.12.2026`.
            let date: String = last_day.rsplit('-').collect::<Vec<_>>().join(".");
            t.t2("payments-comment-usage", ("date", date), ("reference", reference.as_str()))
        }
    }
}

fn screen_row(t: &Tr, zone: &OperatorZone, m: &BalanceMove) -> MoveRow {
    MoveRow {
        when: zone.date_time_seconds(m.at_ms),
        kind: kind_text(t, &m.kind),
        comment: comment(t, &m.kind),
        amount: t.money(&m.amount),
        incoming: m.amount.tiyn() >= 0,
        before: t.money(&m.balance_before),
        after: t.money(&m.balance_after),
    }
}

/// The number (one of the company's) and its moves in the period, or the page's error.
async fn moves(
    state: &AppState,
    signed: &Signed,
    number: &str,
    p: &Params,
) -> Result<(Msisdn, bool, Result<(Period, Vec<BalanceMove>), BadPeriod>), WebError> {
    let (scope, msisdn, profile) = company_number_as(state, signed, number, Permission::ViewPayments).await?;
    let advance = profile.summary.billing == BillingMethod::Advance;
    let longest = Longest { days: MAX_DAYS, message: "payments-period-too-long" };
    let period = match period_within(&state.config.zone, p.from.as_deref(), p.to.as_deref(), longest) {
        Ok(period) => period,
        Err(bad) => return Ok((msisdn, advance, Err(bad))),
    };
    let moves = if advance {
        state
            .operator
            .balance_moves(&scope.bin, &msisdn, period.from_ms, period.to_ms)
            .await
            .map_err(|_| WebError::Operator(signed.locale()))?
            .ok_or(WebError::NumberNotFound(signed.locale()))?
    } else {
        Vec::new()
    };
    Ok((msisdn, advance, Ok((period, moves))))
}

/// GET /numbers/{msisdn}/payments: the period form and the moves on screen.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let (msisdn, advance, found) = moves(&state, &signed, &number, &p).await?;
    let frame = Frame::signed(&state, &signed, t.t("payments-title")).await?;
    let zone = &state.config.zone;
    let (status, from, to, error, rows) = match found {
        Ok((period, moves)) => {
            let rows = moves.iter().rev().map(|m| screen_row(&t, zone, m)).collect();
            (StatusCode::OK, period.from, period.to, None, rows)
        }
        Err(BadPeriod { from, to, field, key }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, from, to, Some((field, t.t(key))), Vec::new())
        }
    };
    let page =
        PaymentsPage { frame, pretty: msisdn.pretty(), msisdn: msisdn.to_string(), advance, from, to, error, rows };
    Ok(html(status, &page))
}

/// GET /numbers/{msisdn}/payments.xlsx: the same moves as a workbook with real dates and
/// numeric money.
pub async fn xlsx(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let (msisdn, advance, found) = moves(&state, &signed, &number, &p).await?;
    let Ok((period, moves)) = found else { return Err(WebError::BadRequest(t.locale)) };
    if !advance {
        return Err(WebError::NotFound(t.locale));
    }
    let zone = state.config.zone.clone();
    let (head, rows) = table(&t, &zone, &msisdn, (&period.from, &period.to), &moves);
    crate::export::file_of(Format::Xlsx, t.locale, head, rows, &file_name(&msisdn, &period.from, &period.to)).await
}

/// `payments-77011234567-01-11-2026-30-11-2026` (digits and dashes: it goes into a header).
pub(crate) fn file_name(msisdn: &Msisdn, from: &str, to: &str) -> String {
    format!("payments-{msisdn}-{from}-{to}")
}

/// The moves as a table with real dates and numeric money: the same for the file made at
/// once and for the payments report.
pub(crate) fn table(
    t: &Tr,
    zone: &OperatorZone,
    msisdn: &Msisdn,
    (from, to): (&str, &str),
    moves: &[BalanceMove],
) -> (TableHead, Vec<Vec<Cell>>) {
    let head = crate::export::number_report_head(
        t,
        zone,
        "payments-title",
        msisdn,
        (from, to),
        &[
            ("payments-when", 20.0),
            ("payments-kind", 26.0),
            ("payments-comment", 44.0),
            ("payments-sum", 16.0),
            ("payments-before", 16.0),
            ("payments-after", 16.0),
        ],
    );
    let rows = moves
        .iter()
        .map(|m| {
            vec![
                local_time(zone, m.at_ms).map_or_else(|| Cell::Text(String::new()), Cell::DateTime),
                Cell::Text(kind_text(t, &m.kind)),
                Cell::Text(comment(t, &m.kind)),
                Cell::Money(m.amount.tiyn()),
                Cell::Money(m.balance_before.tiyn()),
                Cell::Money(m.balance_after.tiyn()),
            ]
        })
        .collect();
    (head, rows)
}
