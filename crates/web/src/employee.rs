//! An employee signed in to self-care (SPEC §5): the number they signed in with, in the
//! company that sent its secret code. The session's cookie is its own, apart from the
//! administrators'; the handlers of `/selfcare` take an `Employee` and ask the operator only
//! about that number.

use crate::AppState;
use crate::error::WebError;
use crate::visitor::{Visitor, token_cookie};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::employee_sessions::{self, EmployeeSession};

pub const EMPLOYEE_COOKIE: &str = "cabinet_employee";
/// The expiry is moved on when at least this much of the idle time has passed.
const EXTEND_EVERY_MS: i64 = 60_000;

#[derive(Debug, Clone)]
pub struct Employee {
    pub visitor: Visitor,
    pub session: EmployeeSession,
    pub msisdn: Msisdn,
    pub bin: Bin,
}

impl FromRequestParts<AppState> for Employee {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = parts.extensions.get::<Visitor>().cloned().ok_or(WebError::Internal)?;
        let secure = state.config.secure_cookies;
        let Some(id) = token_cookie(&parts.headers, EMPLOYEE_COOKIE, secure) else {
            return Err(WebError::SelfcareSignInRequired);
        };
        let now = now_ms();
        let session = employee_sessions::get(&state.db, id, now).await?.ok_or(WebError::SelfcareSignInRequired)?;
        let ttl = state.config.session_ttl_ms;
        if session.expires_ms - now < ttl - EXTEND_EVERY_MS {
            employee_sessions::extend(&state.db, &session.id_hash, now + ttl, state.config.session_max_ms).await?;
        }
        let msisdn = Msisdn::parse(&session.msisdn).map_err(|_| WebError::Internal)?;
        let bin = Bin::stored(&session.company_bin).map_err(|_| WebError::Internal)?;
        Ok(Employee { visitor, session, msisdn, bin })
    }
}

/// `Option<Employee>`: None for a visitor without a live self-care session.
impl axum::extract::OptionalFromRequestParts<AppState> for Employee {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <Employee as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(e) => Ok(Some(e)),
            Err(WebError::SelfcareSignInRequired) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
