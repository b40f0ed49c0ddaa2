//! The language switcher: a cookie, then back to the page the visitor was on.

use crate::AppState;
use crate::error::WebError;
use crate::visitor::{LANG_COOKIE, Visitor, set_cookie};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::Locale;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a plain path on this site, else the start page. `//evil.example`, `/\\evil.example`
/// and `https://…` would be open redirects; browsers drop tabs and newlines from a URL, so
/// `/%09/evil.example` arrives as `//evil.example`; CR, LF or NUL cannot go into a header at
/// all. So only printable ASCII is kept (our links percent-encode everything else).
pub(crate) fn local_path(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.len() <= 2048
                && n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n
        }
        _ => "/".into(),
    }
}

pub async fn switch(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let locale = Locale::from_code(&code).ok_or(WebError::NotFound(visitor.locale))?;
    let mut headers = HeaderMap::new();
    headers
        .insert(SET_COOKIE, set_cookie(LANG_COOKIE, locale.code(), Some(365 * 24 * 3600), state.config.secure_cookies));
    Ok((headers, Redirect::to(&local_path(q.next))).into_response())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths() {
        assert_eq!(local_path(Some("/numbers?q=1".into())), "/numbers?q=1");
        assert_eq!(local_path(Some("//evil.example".into())), "/");
        assert_eq!(local_path(Some("https://evil.example".into())), "/");
        assert_eq!(local_path(Some("/\\evil.example".into())), "/");
        assert_eq!(local_path(None), "/");
        for hostile in ["/\t/evil.example", "/\n/evil.example", "/\r\n/x", "/x\0", "/ /evil.example", "/x\u{7f}", "/é"]
        {
            assert_eq!(local_path(Some(hostile.into())), "/", "{hostile:?}");
        }
        assert_eq!(
            local_path(Some("/reports/actions?from=01-11-2026&to=30-11-2026".into())),
            "/reports/actions?from=01-11-2026&to=30-11-2026"
        );
    }
}
