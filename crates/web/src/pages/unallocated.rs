//! Documents and reports → Unallocated payments (manual 004, "Undisclosed payments"): the
//! company's payments that the operator received by bank transfer but could not put to an
//! account — date, payment order number, sum — with the advice to send the payment
//! allocation register to the operator's address; or that there are none. Each view is
//! recorded in the actions history ("View Unknown payments", as the manual's examples show).

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::time::now_ms;
use cabinet_store::actions::{self, NewAction};

/// The action a view records.
pub const VIEW_KIND: &str = "view_unallocated_payments";

struct Row {
    date: String,
    reference: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "unallocated.html")]
struct UnallocatedPage {
    frame: Frame,
    rows: Vec<Row>,
    /// Where the allocation register goes.
    email: String,
}

/// GET /reports/unallocated
pub async fn show(State(state): State<AppState>, signed: Signed) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewPayments)?;
    let t = signed.visitor.tr();
    let payments = state.operator.unallocated_payments(&scope.bin).await.map_err(|_| WebError::Operator(t.locale))?;
    let view = NewAction {
        kind: VIEW_KIND,
        msisdn: None,
        details: "{}",
        status: actions::SUCCESS,
        reason: None,
        job_id: None,
    };
    actions::record_now(&state.db, &signed.actor(&scope), &view, now_ms()).await?;
    let zone = &state.config.zone;
    let rows = payments
        .iter()
        .map(|p| Row {
            // 15-12-2023, as the manual's table writes it.
            date: zone.date(p.received_ms).replace('.', "-"),
            reference: p.reference.clone(),
            amount: p.amount.format(t.locale),
        })
        .collect();
    let frame = Frame::signed(&state, &signed, t.t("unallocated-title")).await?;
    Ok(html(StatusCode::OK, &UnallocatedPage { frame, rows, email: state.config.payments_email.clone() }))
}
