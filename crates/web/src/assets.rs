//! Static assets (CSS, htmx, scripts, images), embedded in the binary.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

pub async fn serve(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let etag = format!("\"{}\"", crate::assets::hex8(&file.metadata.sha256_hash()));
            let mut res = (StatusCode::OK, file.data.into_owned()).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            if let Ok(v) = HeaderValue::from_str(&etag) {
                h.insert(header::ETAG, v);
            }
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/assets/brand.css`: the white label's overrides of app.css's design tokens, generated
/// from the configuration (a stylesheet, since the CSP forbids inline styles).
pub async fn brand_css(State(state): State<crate::AppState>) -> Response {
    let mut res = (StatusCode::OK, state.config.brand.css()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

/// `/assets/brand-logo`: the configured logo file, if any.
pub async fn brand_logo(State(state): State<crate::AppState>) -> Response {
    let Some(logo) = &state.config.brand.logo else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut res = (StatusCode::OK, logo.bytes.to_vec()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(logo.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

fn hex8(hash: &[u8; 32]) -> String {
    cabinet_store::ids::hex(&hash[..8])
}
