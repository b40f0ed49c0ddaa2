//! A member of the operator's staff signed in to the operator console (`/operator`): its
//! own accounts, sessions and cookie, apart from the companies' administrators.

use crate::AppState;
use crate::error::WebError;
use crate::visitor::{Visitor, token_cookie};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cabinet_core::time::now_ms;
use cabinet_store::operator_staff::{self, StaffSession};

pub const STAFF_COOKIE: &str = "cabinet_staff";
/// The expiry is moved on when at least this much of the idle time has passed.
const EXTEND_EVERY_MS: i64 = 60_000;

#[derive(Debug, Clone)]
pub struct Staff {
    pub visitor: Visitor,
    pub session: StaffSession,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = parts.extensions.get::<Visitor>().cloned().ok_or(WebError::Internal)?;
        let secure = state.config.secure_cookies;
        let Some(id) = token_cookie(&parts.headers, STAFF_COOKIE, secure) else {
            return Err(WebError::StaffSignInRequired);
        };
        let now = now_ms();
        let session = operator_staff::session(&state.db, id, now).await?.ok_or(WebError::StaffSignInRequired)?;
        let ttl = state.config.session_ttl_ms;
        if session.expires_ms - now < ttl - EXTEND_EVERY_MS {
            operator_staff::extend(&state.db, &session.id_hash, now + ttl, state.config.session_max_ms).await?;
        }
        Ok(Staff { visitor, session })
    }
}

/// `Option<Staff>`: None for a visitor without a live staff session.
impl axum::extract::OptionalFromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <Staff as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(s) => Ok(Some(s)),
            Err(WebError::StaffSignInRequired) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
