//! Operations on a number, from its profile or the list's ⋮ menu: a confirmation, then the
//! request (an action in Processing and the job that carries it out), refused at once with
//! the manual's message when the rules forbid it.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::profile;
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::{NumberState, Operation};
use cabinet_core::time::now_ms;
use cabinet_core::{Msisdn, rules};
use cabinet_store::jobs::kinds::OperationPayload;
use cabinet_store::{actions, requests};

/// The operations reachable by URL (`/numbers/{msisdn}/{operation}`).
pub fn parse_operation(name: &str) -> Option<Operation> {
    match name {
        "block" => Some(Operation::Block),
        "unblock" => Some(Operation::Unblock),
        _ => None,
    }
}

/// The confirmation question and button for an operation.
fn wording(op: &Operation) -> (&'static str, &'static str, &'static str) {
    match op {
        Operation::Block => ("op-block-title", "op-block-question", "op-block-confirm"),
        Operation::Unblock => ("op-unblock-title", "op-unblock-question", "op-unblock-confirm"),
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    operation: String,
    question: String,
    confirm: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    signed: Signed,
    Path((number, operation)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ManageNumbers)?;
    let t = signed.visitor.tr();
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(t.locale))?;
    let op = parse_operation(&operation).ok_or(WebError::NotFound(t.locale))?;
    // Only the company's own numbers: another's is not found.
    state
        .operator
        .number_profile(&scope.bin, &msisdn)
        .await
        .map_err(|_| WebError::Operator(t.locale))?
        .ok_or(WebError::NotFound(t.locale))?;
    let (title, question, button) = wording(&op);
    let frame = Frame::signed(&state, &signed, t.t(title)).await?;
    let page = ConfirmPage {
        pretty: msisdn.pretty(),
        msisdn: msisdn.to_string(),
        operation,
        question: t.t(question),
        confirm: t.t(button),
        frame,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(serde::Deserialize)]
pub struct Empty {}

pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path((number, operation)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ManageNumbers)?;
    let t = signed.visitor.tr();
    let msisdn = Msisdn::parse(&number).map_err(|_| WebError::NotFound(t.locale))?;
    let op = parse_operation(&operation).ok_or(WebError::NotFound(t.locale))?;
    let profile = state
        .operator
        .number_profile(&scope.bin, &msisdn)
        .await
        .map_err(|_| WebError::Operator(t.locale))?
        .ok_or(WebError::NotFound(t.locale))?;
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = if pending.is_some() { NumberState::Processing } else { profile.summary.state };
    let who = signed.actor(&scope);
    let now = now_ms();
    if let Err(refusal) = rules::check(&op, current) {
        // Refused here, as the network would: recorded as a failure, nothing sent.
        let details = serde_json::to_string(&op).expect("operations serialize");
        let refused = actions::NewAction {
            kind: op.kind(),
            msisdn: Some(msisdn.as_str()),
            details: &details,
            status: actions::FAILURE,
            reason: Some(refusal.code()),
            job_id: None,
        };
        actions::record_now(&state.db, &who, &refused, now).await?;
        return profile::render(&state, &signed, &scope, msisdn, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let payload = OperationPayload { bin: scope.bin.to_string(), msisdn: msisdn.to_string(), operation: op };
    requests::request_operation(&state.db, &who, &payload, now).await?;
    state.jobs_wake.notify_one();
    Ok(Redirect::to(&format!("/numbers/{msisdn}")).into_response())
}
