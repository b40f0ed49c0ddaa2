//! Operability: liveness, readiness, Prometheus metrics, and the security headers every
//! response carries.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cabinet_store::outbox;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Instant;

pub async fn healthz() -> &'static str {
    "ok"
}

/// The job worker's sign of life: its loop beats at least every lease while it lives.
/// `/readyz` fails when a started worker has stopped beating (a panic killed its task, or
/// it is stuck), so that an orchestrator restarts the process.
#[derive(Clone, Default)]
pub struct WorkerPulse(Arc<PulseInner>);

#[derive(Default)]
struct PulseInner {
    started: AtomicBool,
    last_ms: AtomicI64,
}

impl WorkerPulse {
    /// How long a silence means the worker is dead (its loop waits at most a fraction of a
    /// second between passes, and renews leases every third of a lease while a job runs).
    pub const SILENCE_MS: i64 = 30_000;

    pub fn start(&self, now_ms: i64) {
        self.beat(now_ms);
        self.0.started.store(true, Ordering::Release);
    }

    pub fn beat(&self, now_ms: i64) {
        self.0.last_ms.store(now_ms, Ordering::Release);
    }

    /// False only for a worker that was started and has gone silent.
    pub fn alive(&self, now_ms: i64) -> bool {
        !self.0.started.load(Ordering::Acquire) || now_ms - self.0.last_ms.load(Ordering::Acquire) < Self::SILENCE_MS
    }
}

/// Ready when the store answers and this process's job worker (if it runs one) lives.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if let Err(e) = state.db.ping().await {
        tracing::warn!(error = %e, "store not ready");
        return (StatusCode::SERVICE_UNAVAILABLE, "store unavailable").into_response();
    }
    if !state.worker_pulse.alive(cabinet_core::time::now_ms()) {
        tracing::error!("the job worker has stopped");
        return (StatusCode::SERVICE_UNAVAILABLE, "job worker stopped").into_response();
    }
    (StatusCode::OK, "ready").into_response()
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = &state.metrics else {
        return (StatusCode::NOT_FOUND, "metrics are off").into_response();
    };
    // The outbox's backlog is the store's, shared by every instance: read at scrape time.
    match cabinet_store::outbox::count_by_state(&state.db).await {
        Ok(counts) => {
            for s in [outbox::PENDING, outbox::SENT, outbox::FAILED, outbox::KEPT] {
                let n = counts.iter().find(|(state, _)| state == s).map_or(0, |(_, n)| *n);
                metrics::gauge!("cabinet_outbox_messages", "state" => s).set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not count the outbox for /metrics"),
    }
    job_queue_depth(&state).await;
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
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

#[cfg(test)]
mod tests {
    use super::WorkerPulse;

    #[test]
    fn a_worker_that_stops_beating_is_reported_dead() {
        let pulse = WorkerPulse::default();
        assert!(pulse.alive(1_000_000), "no worker started: nothing to report");
        pulse.start(1_000_000);
        assert!(pulse.alive(1_000_000 + WorkerPulse::SILENCE_MS - 1));
        assert!(!pulse.alive(1_000_000 + WorkerPulse::SILENCE_MS), "silent for too long");
        pulse.beat(1_000_000 + WorkerPulse::SILENCE_MS);
        assert!(pulse.alive(1_000_000 + WorkerPulse::SILENCE_MS + 1));
    }
}
