//! Developer pages, served only in dev mode: the outbox of SMS and e-mail with each
//! message's delivery state, and the style guide of the design system.

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
    /// Time, delivery state in words, the message.
    messages: Vec<(String, String, outbox::Message)>,
}

/// The catalog key naming a delivery state.
fn state_key(state: &str) -> &'static str {
    match state {
        outbox::PENDING => "outbox-state-pending",
        outbox::SENT => "outbox-state-sent",
        outbox::FAILED => "outbox-state-failed",
        _ => "outbox-state-kept",
    }
}

pub async fn outbox_page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    if !state.config.dev_mode {
        return Err(WebError::NotFound(visitor.locale));
    }
    let t = visitor.tr();
    let messages = outbox::latest(&state.db, 50)
        .await?
        .into_iter()
        .map(|m| (state.config.zone.date_time_seconds(m.created_ms), t.t(state_key(&m.state)), m))
        .collect();
    let frame = Frame::public(&state, &visitor, "outbox-title");
    Ok(html(StatusCode::OK, &OutboxPage { frame, messages }))
}

#[derive(Template)]
#[template(path = "styleguide.html")]
struct StyleguidePage {
    frame: Frame,
    /// The pager's range as the numbers list writes it.
    range: String,
}

/// GET /dev/styleguide: every component of the design system, in the visitor's language.
pub async fn styleguide(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    if !state.config.dev_mode {
        return Err(WebError::NotFound(visitor.locale));
    }
    let frame = Frame::public(&state, &visitor, "sg-title");
    let range = frame.t.t2("pager-range", ("range", "21–40"), ("total", "1 000"));
    Ok(html(StatusCode::OK, &StyleguidePage { frame, range }))
}
