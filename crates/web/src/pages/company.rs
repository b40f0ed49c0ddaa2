//! The company switcher: an administrator of several companies picks the one to work in.

use crate::AppState;
use crate::auth::Signed;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::visitor::{SESSION_COOKIE, set_cookie};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_store::{admins, ids, sessions};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    company_id: String,
}

pub async fn switch(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<SwitchForm>,
) -> Result<Response, WebError> {
    // Only a company granted to this administrator: another company's id is not found.
    if !ids::is_id(&form.company_id) {
        return Err(WebError::NotFound(signed.locale()));
    }
    let company = admins::granted_company(&state.db, &signed.session.admin_id, &form.company_id)
        .await?
        .ok_or(WebError::NotFound(signed.locale()))?;
    // Another company may mean another role: a new session id (`sessions::rotate`).
    let Some(id) = sessions::rotate(&state.db, &signed.session.id_hash, Some(&company.id)).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, set_cookie(SESSION_COOKIE, &id, None, state.config.secure_cookies));
    Ok((headers, Redirect::to("/numbers")).into_response())
}
