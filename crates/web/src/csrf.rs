//! CSRF protection: every form carries a token derived from the visitor's cookie (session
//! or anonymous) and the server secret, checked in constant time; requests whose Origin is
//! another site are refused outright. Together with SameSite=Lax cookies.

use crate::visitor::Visitor;
use crate::{AppState, error::WebError};
use axum::extract::{FromRequest, Request};
use axum::http::header::{HOST, ORIGIN};
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub fn token(secret: &str, cookie_value: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    m.update(b"csrf:");
    m.update(cookie_value.as_bytes());
    cabinet_store::ids::hex(&m.finalize().into_bytes())
}

/// Logs a refused form (never the token itself).
fn refused(visitor: &Visitor, reason: &'static str) {
    tracing::warn!(target: "security", event = "csrf_refused", reason, client = %visitor.client_ip,
        path = visitor.path.as_str(), "form refused");
}

/// A form with no fields of its own (only the token): sign-out, confirmations.
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// Forms that change something are parsed through this: it refuses a missing or wrong
/// token, or a cross-site Origin, before the handler runs.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

/// Refuses a request whose Origin is another site.
fn check_origin(req: &Request, state: &AppState, visitor: &Visitor) -> Result<(), WebError> {
    if let Some(origin) = req.headers().get(ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        // Behind a proxy Host may be the upstream's name: the configured public origin
        // is what a browser on our pages sends.
        let same = match (&state.config.public_origin, req.headers().get(HOST)) {
            (Some(public), _) => public.matches(origin),
            (None, Some(host)) => {
                let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
                origin_host == host.to_str().unwrap_or("")
            }
            (None, None) => true,
        };
        if !same {
            refused(visitor, "cross-site origin");
            return Err(WebError::Csrf(visitor.locale));
        }
    }
    Ok(())
}

/// Refuses a missing or wrong token.
fn check_token(visitor: &Visitor, sent: &str) -> Result<(), WebError> {
    if !bool::from(sent.as_bytes().ct_eq(visitor.csrf_token.as_bytes())) {
        refused(visitor, if sent.is_empty() { "missing token" } else { "wrong token" });
        return Err(WebError::Csrf(visitor.locale));
    }
    Ok(())
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = req.extensions().get::<Visitor>().cloned().ok_or(WebError::Internal)?;
        check_origin(&req, state, &visitor)?;
        let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes =
            axum::body::to_bytes(req.into_body(), 64 * 1024).await.map_err(|_| WebError::BadRequest(visitor.locale))?;
        let sent: TokenOnly = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadRequest(visitor.locale))?;
        let sent = if sent.csrf.is_empty() { header_token.unwrap_or_default() } else { sent.csrf };
        check_token(&visitor, &sent)?;
        let form: T = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadRequest(visitor.locale))?;
        Ok(CsrfForm(form))
    }
}

/// A form with a file (multipart/form-data), checked like `CsrfForm`: its text fields and
/// the one file it carries (field name, file name, bytes). The route's body limit bounds it.
pub struct CsrfUpload {
    pub fields: std::collections::HashMap<String, String>,
    pub file: Option<UploadedFile>,
}

pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl FromRequest<AppState> for CsrfUpload {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = req.extensions().get::<Visitor>().cloned().ok_or(WebError::Internal)?;
        check_origin(&req, state, &visitor)?;
        let bad = || WebError::BadRequest(visitor.locale);
        let mut multipart = axum::extract::Multipart::from_request(req, state).await.map_err(|_| bad())?;
        let mut fields = std::collections::HashMap::new();
        let mut file = None;
        while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                // One file a form; a second is a forged form.
                Some(_) if file.is_some() => return Err(bad()),
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(|_| bad())?.to_vec();
                    file = Some(UploadedFile { field: name, file_name, bytes });
                }
                None => {
                    let text = field.text().await.map_err(|_| bad())?;
                    if text.len() > 4096 || fields.insert(name, text).is_some() {
                        return Err(bad());
                    }
                }
            }
        }
        check_token(&visitor, fields.get("csrf").map(String::as_str).unwrap_or(""))?;
        Ok(CsrfUpload { fields, file })
    }
}
