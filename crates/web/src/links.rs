//! Absolute links in messages (a recovery link, an e-mail confirmation): they point at the
//! configured public origin, or — on a portal reached on loopback (a laptop, a test), or in
//! dev mode — at the address the request came to. Never at a Host header from elsewhere in
//! production: a forged one would send the owner's link to the forger's site (and a portal
//! reachable from other machines does not start without `public_origin`).

use crate::AppState;
use axum::http::HeaderMap;
use axum::http::header::HOST;

/// `scheme://host[:port]` for links, or None when the portal's public address is unknown
/// (set `public_origin`).
pub(crate) fn base(state: &AppState, headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = &state.config.public_origin {
        return Some(origin.as_str().to_string());
    }
    let host = headers.get(HOST)?.to_str().ok()?;
    let name = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let trusted = state.config.dev_mode || matches!(name, "127.0.0.1" | "localhost" | "[::1]");
    trusted.then(|| format!("http://{host}"))
}
