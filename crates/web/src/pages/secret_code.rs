//! Secret codes for employees' self-care: the administrator sends one to the number by SMS
//! (replacing any earlier code) or deletes it. The code lets the number's user see the
//! number's information, never change services.

use crate::AppState;
use crate::auth::Signed;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::operations::{ConfirmPage, target};
use crate::pages::profile;
use crate::render::{Frame, html};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::NumberState;
use cabinet_core::time::now_ms;
use cabinet_store::{actions, secret_codes};

fn words(send: bool) -> (&'static str, &'static str, &'static str) {
    if send {
        ("secret-send-title", "secret-send-question", "/secret-code/send")
    } else {
        ("secret-delete-title", "secret-delete-question", "/secret-code/delete")
    }
}

fn which(action: &str) -> Option<bool> {
    match action {
        "send" => Some(true),
        "delete" => Some(false),
        _ => None,
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    signed: Signed,
    Path((n, action)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let send = which(&action).ok_or(WebError::NotFound(signed.locale()))?;
    let (_, msisdn, _) = target(&state, &signed, &n).await?;
    let t = signed.visitor.tr();
    let (title, question, path) = words(send);
    let frame = Frame::signed(&state, &signed, t.t(title)).await?;
    let page = ConfirmPage {
        pretty: msisdn.pretty(),
        action: format!("/numbers/{msisdn}{path}"),
        msisdn: msisdn.to_string(),
        question: t.t(question),
        confirm: t.t("op-confirm-yes"),
        frame,
        hidden: Vec::new(),
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path((n, action)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let send = which(&action).ok_or(WebError::NotFound(signed.locale()))?;
    let (scope, msisdn, profile) = target(&state, &signed, &n).await?;
    let who = signed.actor(&scope);
    let now = now_ms();
    if !send {
        let gone = secret_codes::delete(&state.db, &who, msisdn.as_str(), now).await?;
        let status = if gone { StatusCode::SEE_OTHER } else { StatusCode::UNPROCESSABLE_ENTITY };
        if !gone {
            return profile::render(&state, &signed, &scope, msisdn, status).await;
        }
        return Ok(Redirect::to(&format!("/numbers/{msisdn}")).into_response());
    }
    // A blocked number cannot receive the SMS.
    if profile.summary.state != NumberState::Active {
        let refused = actions::NewAction {
            kind: "secret_code_sent",
            msisdn: Some(msisdn.as_str()),
            details: "{}",
            status: actions::FAILURE,
            reason: Some("not_active"),
            job_id: None,
        };
        actions::record_now(&state.db, &who, &refused, now).await?;
        return profile::render(&state, &signed, &scope, msisdn, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let code = secret_codes::new_code();
    let sms = signed.visitor.tr().t1("secret-sms", "code", code.as_str());
    secret_codes::issue(&state.db, &state.secret, &who, msisdn.as_str(), &code, &sms, now).await?;
    state.jobs_wake.notify_one();
    Ok(Redirect::to(&format!("/numbers/{msisdn}")).into_response())
}
