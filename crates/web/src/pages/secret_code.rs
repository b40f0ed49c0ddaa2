//! Secret codes for employees' self-care: the administrator sends one to the number by SMS
//! (replacing any earlier code) or deletes it. The code lets the number's user see the
//! number's information, never change services.

use crate::AppState;
use crate::auth::Signed;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::number_head;
use crate::pages::operations::{ConfirmPage, target};
use crate::pages::profile;
use crate::render::{Frame, html};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::rules;
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
    let (scope, msisdn, profile) = target(&state, &signed, &n).await?;
    let t = signed.visitor.tr();
    let (title, question, path) = words(send);
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, pending.as_ref());
    let refusal = if send { rules::check_secret_code(current).err() } else { None }.map(|r| {
        let why = number_head::reason_text(&t, r.code());
        t.t1("op-refused-now", "reason", why)
    });
    let frame = Frame::signed(&state, &signed, t.t(title)).await?;
    let page = ConfirmPage {
        pretty: msisdn.pretty(),
        action: format!("/numbers/{msisdn}{path}"),
        question: t.t(question),
        confirm: t.t("op-continue"),
        back: format!("/numbers/{msisdn}"),
        refusal,
        frame,
        hidden: Vec::new(),
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path((n, action)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let send = which(&action).ok_or(WebError::NotFound(signed.locale()))?;
    let (scope, msisdn, profile) = target(&state, &signed, &n).await?;
    let who = signed.actor(&scope);
    let now = now_ms();
    let t = signed.visitor.tr();
    if !send {
        let gone = secret_codes::delete(&state.db, &who, msisdn.as_str(), now).await?;
        if !gone {
            let notice = Some(number_head::OpNotice {
                class: "failure",
                text: t.t1("failed-secret-code-deleted", "reason", t.t("reason-no-secret-code")),
                anchor: None,
            });
            return profile::render(&state, &signed, &scope, msisdn, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
        }
        return back_to_profile(&state, &scope, &msisdn).await;
    }
    // A blocked number cannot receive the SMS.
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, pending.as_ref());
    if let Err(refusal) = rules::check_secret_code(current) {
        let refused = actions::NewAction {
            kind: "secret_code_sent",
            msisdn: Some(msisdn.as_str()),
            details: "{}",
            status: actions::FAILURE,
            reason: Some(refusal.code()),
            job_id: None,
        };
        let id = actions::record_now(&state.db, &who, &refused, now).await?;
        let notice = actions::get(&state.db, &scope.company_id, &id).await?.map(|a| number_head::notice_of(&t, &a));
        return profile::render(&state, &signed, &scope, msisdn, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    }
    let code = secret_codes::new_code();
    // Where to use it: the portal's self-care sign-in (the configured public origin).
    let link = crate::links::base(&state, &headers).unwrap_or_default() + "/selfcare";
    let sms = t.t2("secret-sms", ("code", code.as_str()), ("link", link));
    secret_codes::issue(&state.db, &state.secret, &who, msisdn.as_str(), &code, &sms, now).await?;
    state.jobs_wake.notify_one();
    back_to_profile(&state, &scope, &msisdn).await
}

/// Back to the profile, where the notice says what was done (the action just recorded).
async fn back_to_profile(
    state: &AppState,
    scope: &crate::auth::CompanyScope,
    msisdn: &cabinet_core::Msisdn,
) -> Result<Response, WebError> {
    let mut res = Redirect::to(&format!("/numbers/{msisdn}")).into_response();
    if let Some(a) = actions::latest_on(&state.db, &scope.company_id, msisdn.as_str()).await? {
        number_head::remember(&mut res, state, &a.id);
    }
    Ok(res)
}
