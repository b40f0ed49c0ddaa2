//! Who is asking: the language, the session (if any) and the CSRF token of every request,
//! worked out once by a middleware and handed to handlers as a `Visitor`.

use crate::AppState;
use crate::csrf;
use crate::request::ClientAddr;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use cabinet_core::Locale;
use cabinet_core::time::now_ms;
use cabinet_store::sessions::{self, SessionContext};
use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

pub const SESSION_COOKIE: &str = "cabinet_session";
/// A session's expiry is moved on when at least this much of its idle time has passed.
const EXTEND_EVERY_MS: i64 = 60_000;
pub const ANON_COOKIE: &str = "cabinet_anon";
pub const LANG_COOKIE: &str = "cabinet_lang";

#[derive(Debug, Clone)]
pub struct Visitor {
    pub locale: Locale,
    pub session: Option<SessionContext>,
    pub csrf_token: String,
    pub client_ip: IpAddr,
    /// What the current page's path and query are (for the language switcher).
    pub path: String,
}

impl Visitor {
    pub fn tr(&self) -> crate::Tr {
        crate::Tr::new(self.locale)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Visitor>().cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A cookie's name as sent: over TLS with the `__Host-` prefix, which browsers accept only
/// from a secure origin, with Path=/ and no Domain, so that neither a plain-http page nor a
/// sibling subdomain can plant or overwrite it.
pub fn cookie_name(name: &str, secure: bool) -> Cow<'_, str> {
    if secure { Cow::Owned(format!("__Host-{name}")) } else { Cow::Borrowed(name) }
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always; Secure and `__Host-` over TLS.
pub fn set_cookie(name: &str, value: &str, max_age_s: Option<i64>, secure: bool) -> HeaderValue {
    let name = cookie_name(name, secure);
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_s {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are ASCII")
}

/// A token this portal makes (a cookie or a link's): 64 hex digits; anything else is not
/// looked up at all.
pub(crate) fn valid_token(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A token cookie this portal set (`name`, with the `__Host-` prefix over TLS), when it is
/// well formed: anything else is not looked up.
pub(crate) fn token_cookie<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    cookie(headers, &cookie_name(name, secure)).filter(|v| valid_token(v))
}

/// Middleware: loads the session, picks the language, and makes sure an anonymous visitor
/// has a cookie to bind the CSRF token to.
pub async fn visitor_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let secure = state.config.secure_cookies;
    let locale = cookie(headers, &cookie_name(LANG_COOKIE, secure))
        .and_then(Locale::from_code)
        .unwrap_or(state.config.default_locale);
    let client_ip = req.extensions().get::<ClientAddr>().map(|c| c.0).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());

    let mut session_id = None;
    let mut session = None;
    if let Some(id) = token_cookie(headers, SESSION_COOKIE, secure) {
        match sessions::context(&state.db, id, now_ms()).await {
            Ok(Some(ctx)) => {
                // Idle timeout: an active session in use lives on, up to its absolute limit
                // (`extend` caps it); one write a minute at most.
                let now = now_ms();
                let ttl = state.config.session_ttl_ms;
                if ctx.stage == sessions::STAGE_ACTIVE
                    && ctx.expires_ms - now < ttl - EXTEND_EVERY_MS
                    && let Err(e) =
                        sessions::extend(&state.db, &ctx.id_hash, now + ttl, state.config.session_max_ms).await
                {
                    tracing::warn!(error = %e, "extending the session failed");
                }
                session_id = Some(id.to_string());
                session = Some(ctx);
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "loading the session failed"),
        }
    }
    let mut new_anon = None;
    let csrf_key = match (&session_id, token_cookie(headers, ANON_COOKIE, secure)) {
        (Some(id), _) => id.clone(),
        (None, Some(anon)) => anon.to_string(),
        (None, None) => {
            let anon = cabinet_store::ids::random_hex(32);
            new_anon = Some(anon.clone());
            anon
        }
    };
    let csrf_token = csrf::token(&state.secret, &csrf_key);
    req.extensions_mut().insert(Visitor { locale, session, csrf_token, client_ip, path });
    let mut res = next.run(req).await;
    if let Some(anon) = new_anon {
        res.headers_mut().append(SET_COOKIE, set_cookie(ANON_COOKIE, &anon, None, state.config.secure_cookies));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_with_the_host_prefix_over_tls() {
        let plain = set_cookie("a", "b", None, false);
        assert_eq!(plain, "a=b; Path=/; HttpOnly; SameSite=Lax");
        let tls = set_cookie("a", "b", Some(0), true);
        assert_eq!(tls, "__Host-a=b; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
    }

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("x=1; cabinet_lang=kk"));
        h.append(COOKIE, HeaderValue::from_static("cabinet_session=abc"));
        assert_eq!(cookie(&h, LANG_COOKIE), Some("kk"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, ANON_COOKIE), None);
    }
}
