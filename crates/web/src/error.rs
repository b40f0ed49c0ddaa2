//! How failures reach the user: every error becomes a page in the visitor's language with
//! the right status; internal causes are logged, never shown.
//!
//! A handler's `WebError` becomes a bare response that carries what went wrong (an
//! `ErrorView`); the `error_pages` layer, which knows the visitor, renders it as a full page
//! with the header, so that a signed-in administrator can still switch company or sign out.

use crate::AppState;
use crate::Tr;
use crate::auth::Signed;
use crate::render::{Frame, html, urlencode};
use crate::visitor::Visitor;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Locale;
use cabinet_core::time::{DateError, PeriodError};
use cabinet_store::sessions::STAGE_ACTIVE;

#[derive(Debug)]
pub enum WebError {
    /// Not signed in: go to the sign-in page (and come back here after it).
    SignInRequired,
    /// Not signed in to self-care: go to its sign-in page.
    SelfcareSignInRequired,
    /// Not signed in to the operator console: go to its sign-in page.
    StaffSignInRequired,
    /// No such page: an unknown address, or a malformed one (`/numbers/abc`).
    NotFound(Locale),
    /// A well-formed number that is not among the current company's numbers.
    NumberNotFound(Locale),
    Forbidden(Locale),
    /// The company barred the number's usage details from self-care.
    SelfcareDetailsBarred(Locale),
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

/// What an error response carries to the `error_pages` layer: its status and message key.
#[derive(Debug, Clone, Copy)]
struct ErrorView {
    status: StatusCode,
    key: &'static str,
}

/// Marks the redirect of a request that needed a signed-in administrator.
#[derive(Debug, Clone, Copy)]
struct SignInNeeded;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, locale, key) = match self {
            WebError::SignInRequired => {
                let mut res = Redirect::to("/signin").into_response();
                res.extensions_mut().insert(SignInNeeded);
                return res;
            }
            WebError::SelfcareSignInRequired => return Redirect::to("/selfcare").into_response(),
            WebError::StaffSignInRequired => return Redirect::to("/operator/signin").into_response(),
            WebError::NotFound(l) => (StatusCode::NOT_FOUND, l, "error-not-found"),
            WebError::NumberNotFound(l) => (StatusCode::NOT_FOUND, l, "error-number-not-found"),
            WebError::Forbidden(l) => (StatusCode::FORBIDDEN, l, "error-forbidden"),
            WebError::SelfcareDetailsBarred(l) => (StatusCode::FORBIDDEN, l, "selfcare-details-barred"),
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
        // The layer replaces this body with the page; without it, the message alone remains.
        let mut res = (status, Tr::new(locale).t(key)).into_response();
        res.extensions_mut().insert(ErrorView { status, key });
        res
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    message: String,
    /// A signed-in visitor is offered the way back to the numbers; others, the sign-in.
    signed_in: bool,
}

/// GET of an address no route knows.
pub async fn not_found(visitor: Visitor) -> WebError {
    WebError::NotFound(visitor.locale)
}

/// Middleware (inside `visitor_layer`): renders errors as full pages with the visitor's
/// header, and sends a signed-out visitor to the sign-in page with the page asked for.
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let visitor = req.extensions().get::<Visitor>().cloned();
    // Only a page one can come back to by GET, and not a fragment htmx asked for.
    let returnable = req.method() == Method::GET && !req.headers().contains_key("hx-request");
    let res = next.run(req).await;
    let Some(visitor) = visitor else { return res };
    if res.extensions().get::<SignInNeeded>().is_some() {
        // The numbers are where sign-in leads anyway: no need to say so.
        if returnable && visitor.path.starts_with('/') && !matches!(visitor.path.as_str(), "/" | "/numbers") {
            return Redirect::to(&format!("/signin?next={}", urlencode(&visitor.path))).into_response();
        }
        return res;
    }
    // A body over the route's limit is refused by the limit layer before any handler.
    let too_large = ErrorView { status: StatusCode::PAYLOAD_TOO_LARGE, key: "error-too-large" };
    let view = match res.extensions().get::<ErrorView>().copied() {
        Some(view) => view,
        None if res.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large,
        None => return res,
    };
    let t = visitor.tr();
    let title = t.t("error-title");
    let message = t.t(view.key);
    let session = visitor.session.clone().filter(|s| s.stage == STAGE_ACTIVE);
    let signed_in = session.is_some();
    let frame = match session {
        Some(session) => {
            let signed = Signed { visitor: visitor.clone(), session };
            match Frame::signed(&state, &signed, title.clone()).await {
                Ok(frame) => frame,
                Err(_) => Frame::public(&state, &visitor, "error-title"),
            }
        }
        None => Frame::public(&state, &visitor, "error-title"),
    };
    let mut page = html(view.status, &ErrorPage { frame, message, signed_in });
    // Headers the handler set (a cookie cleared, say) stay.
    for (name, value) in res.headers() {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
    page
}

/// The catalog key that names what is wrong with one typed date of a period.
fn date_key(from: bool, e: DateError) -> &'static str {
    match (from, e) {
        (true, DateError::Empty) => "period-from-empty",
        (true, DateError::Format) => "period-from-format",
        (true, DateError::NoSuchDate) => "period-from-no-such-date",
        (false, DateError::Empty) => "period-to-empty",
        (false, DateError::Format) => "period-to-format",
        (false, DateError::NoSuchDate) => "period-to-no-such-date",
    }
}

/// Which field of a period form a mistake belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodField {
    From,
    To,
}

/// The message of a period's mistake when it belongs to the beginning (`from`) or the end.
pub fn period_error_at(error: &Option<(PeriodField, String)>, from: bool) -> Option<&str> {
    let want = if from { PeriodField::From } else { PeriodField::To };
    error.as_ref().filter(|(f, _)| *f == want).map(|(_, m)| m.as_str())
}

/// The catalog key of a period's mistake, and the field it belongs to.
pub fn period_error(e: PeriodError) -> (PeriodField, &'static str) {
    match e {
        PeriodError::From(d) => (PeriodField::From, date_key(true, d)),
        PeriodError::To(d) => (PeriodField::To, date_key(false, d)),
        PeriodError::Reversed => (PeriodField::To, "period-reversed"),
        PeriodError::TooLong => (PeriodField::From, "period-too-long"),
        PeriodError::FromInFuture => (PeriodField::From, "period-from-future"),
        PeriodError::ToInFuture => (PeriodField::To, "period-to-future"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabinet_core::IdError;

    #[test]
    fn every_input_mistake_has_a_message_in_every_language() {
        let period_keys = [
            PeriodError::From(DateError::Empty),
            PeriodError::From(DateError::Format),
            PeriodError::From(DateError::NoSuchDate),
            PeriodError::To(DateError::Empty),
            PeriodError::To(DateError::Format),
            PeriodError::To(DateError::NoSuchDate),
            PeriodError::Reversed,
            PeriodError::TooLong,
            PeriodError::FromInFuture,
            PeriodError::ToInFuture,
        ]
        .map(|e| period_error(e).1);
        for (locale, keys) in crate::catalog_keys() {
            for key in IdError::ALL_KEYS.iter().chain(period_keys.iter()) {
                assert!(keys.iter().any(|k| k == key), "{key} missing in {locale:?}");
            }
        }
        let unique: std::collections::HashSet<_> = period_keys.iter().collect();
        assert_eq!(unique.len(), period_keys.len(), "each period mistake has its own message");
    }
}
