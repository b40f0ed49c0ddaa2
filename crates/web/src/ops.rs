//! Operability: liveness, readiness, Prometheus metrics, and the security headers every
//! response carries.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Instant;

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the store answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "store not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable").into_response()
        }
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => {
            job_queue_depth(&state).await;
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
        }
        None => (StatusCode::NOT_FOUND, "metrics are off").into_response(),
    }
}

/// `cabinet_jobs{kind,state}`: queued and running jobs, read from the store at scrape time
/// (the queue is shared by every instance, so any instance answers for all). A kind and
/// state seen once is reported as 0 afterwards rather than vanishing.
async fn job_queue_depth(state: &AppState) {
    static SEEN: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let rows = match cabinet_store::jobs::depth(&state.db).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, "reading the job queue's depth failed");
            return;
        }
    };
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    for s in [cabinet_store::jobs::QUEUED, cabinet_store::jobs::RUNNING] {
        seen.insert((cabinet_store::jobs::kinds::OPERATION.to_string(), s.to_string()));
    }
    for (kind, st, _) in &rows {
        seen.insert((kind.clone(), st.clone()));
    }
    for (kind, st) in seen.iter() {
        let n = rows.iter().find(|(k, s, _)| k == kind && s == st).map_or(0, |r| r.2);
        metrics::gauge!("cabinet_jobs", "kind" => kind.clone(), "state" => st.clone()).set(n as f64);
    }
}

/// Counts requests and their latency per route (the route's pattern, not the raw path, so
/// that numbers do not explode the label space).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Content-Security-Policy and friends: no inline scripts or styles, no framing; HSTS when
/// the public origin is https.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.config.hsts() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
