//! How failures reach the user: every error becomes a page in the visitor's language with
//! the right status; internal causes are logged, never shown.

use crate::i18n::Tr;
use crate::render::page_error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Locale;

#[derive(Debug)]
pub enum WebError {
    /// Not signed in: go to the sign-in page.
    SignInRequired,
    NotFound(Locale),
    Forbidden(Locale),
    NoCompany(Locale),
    Csrf(Locale),
    BadRequest(Locale),
    /// The operator's system did not answer.
    Operator(Locale),
    Internal,
}

impl From<cabinet_store::StoreError> for WebError {
    fn from(e: cabinet_store::StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        WebError::Internal
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, locale, key) = match self {
            WebError::SignInRequired => return Redirect::to("/signin").into_response(),
            WebError::NotFound(l) => (StatusCode::NOT_FOUND, l, "error-not-found"),
            WebError::Forbidden(l) => (StatusCode::FORBIDDEN, l, "error-forbidden"),
            WebError::NoCompany(l) => (StatusCode::OK, l, "error-no-company"),
            WebError::Csrf(l) => (StatusCode::FORBIDDEN, l, "error-csrf"),
            WebError::BadRequest(l) => (StatusCode::BAD_REQUEST, l, "error-bad-request"),
            WebError::Operator(l) => {
                tracing::warn!(target: "security", event = "server_error", status = 503, "the operator did not answer");
                (StatusCode::SERVICE_UNAVAILABLE, l, "error-operator")
            }
            WebError::Internal => {
                // The cause was logged where it happened; this line marks the answer, and the
                // request's span adds its id and client address.
                tracing::error!(target: "security", event = "server_error", status = 500, "server error");
                (StatusCode::INTERNAL_SERVER_ERROR, Locale::default(), "error-internal")
            }
        };
        page_error(status, Tr::new(locale), key)
    }
}
