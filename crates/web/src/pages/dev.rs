//! Developer pages, served only in dev mode: the outbox of SMS and e-mail that a real
//! installation would deliver.

use crate::AppState;
use crate::error::WebError;
use crate::render::{Frame, html};
use crate::visitor::Visitor;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_store::outbox;

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    frame: Frame,
    messages: Vec<(String, outbox::Message)>,
}

pub async fn outbox_page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    if !state.config.dev_mode {
        return Err(WebError::NotFound(visitor.locale));
    }
    let messages = outbox::latest(&state.db, 50)
        .await?
        .into_iter()
        .map(|m| (state.config.zone.date_time_seconds(m.created_ms), m))
        .collect();
    let frame = Frame::public(&state, &visitor, "outbox-title");
    Ok(html(StatusCode::OK, &OutboxPage { frame, messages }))
}
