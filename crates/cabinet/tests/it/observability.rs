//! What an operator watches: /metrics (histograms, the job queue), request ids, and logs
//! whose every line names the request and the client.

use crate::helpers::*;
use cabinet_core::time::now_ms;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// The value of the metric line that starts with `series` (name and labels).
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn latencies_are_histograms_and_the_job_queue_is_measured() {
    let app = spawn_with(Options { worker: false, ..Options::default() }).await;
    let b = app.browser();
    b.get("/signin").await;
    let metrics = b.get("/metrics").await.body;
    // Buckets add up across instances; quantiles do not.
    assert!(metrics.contains("# TYPE http_request_duration_seconds histogram"), "{metrics}");
    assert!(metrics.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/signin\",le=\"0.005\"}"));
    assert!(!metrics.contains("quantile="));
    assert_eq!(sample(&metrics, "cabinet_jobs{kind=\"operation\",state=\"queued\"}"), Some(0.0), "{metrics}");

    // Two jobs queued, one of them taken by a worker (with the portal's worker off).
    let mut conn = app.db.pool().acquire().await.unwrap();
    for _ in 0..2 {
        cabinet_store::jobs::enqueue(&mut conn, "operation", "{}", 3, now_ms(), now_ms()).await.unwrap();
    }
    cabinet_store::jobs::enqueue(&mut conn, "report", "{}", 3, now_ms() + 3_600_000, now_ms()).await.unwrap();
    drop(conn);
    cabinet_store::jobs::claim(&app.db, "test-worker", now_ms(), 60_000).await.unwrap().expect("a due job");
    let metrics = b.get("/metrics").await.body;
    assert_eq!(sample(&metrics, "cabinet_jobs{kind=\"operation\",state=\"queued\"}"), Some(1.0), "{metrics}");
    assert_eq!(sample(&metrics, "cabinet_jobs{kind=\"operation\",state=\"running\"}"), Some(1.0));
    assert_eq!(sample(&metrics, "cabinet_jobs{kind=\"report\",state=\"queued\"}"), Some(1.0));

    // What the job worker reports when a job ends.
    cabinet::telemetry::job_finished("operation", cabinet_store::jobs::DONE);
    cabinet::telemetry::job_finished("operation", cabinet_store::jobs::DONE);
    cabinet::telemetry::job_finished("operation", cabinet_store::jobs::FAILED);
    let metrics = b.get("/metrics").await.body;
    assert_eq!(
        sample(&metrics, "cabinet_jobs_finished_total{kind=\"operation\",outcome=\"done\"}"),
        Some(2.0),
        "{metrics}"
    );
    assert_eq!(sample(&metrics, "cabinet_jobs_finished_total{kind=\"operation\",outcome=\"failed\"}"), Some(1.0));
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = crate::helpers::http().build().unwrap().get(format!("http://{}{path}", app.addr));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn request_id(res: &reqwest::Response) -> String {
    res.headers().get("x-request-id").expect("every response names its request").to_str().unwrap().to_string()
}

#[tokio::test]
async fn every_response_carries_a_request_id_taken_from_trusted_proxies_only() {
    let direct = spawn().await;
    let a = request_id(&get_with(&direct, "/signin", &[]).await);
    let b = request_id(&get_with(&direct, "/healthz", &[]).await);
    assert!(a.len() == 16 && a.bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
    assert_ne!(a, b);
    let forged = request_id(&get_with(&direct, "/signin", &[("x-request-id", "chosen-by-client")]).await);
    assert_ne!(forged, "chosen-by-client", "not from an untrusted peer");

    let proxied = spawn_with(Options { trusted_proxies: vec!["127.0.0.1".into()], ..Options::default() }).await;
    let id = request_id(&get_with(&proxied, "/signin", &[("x-request-id", "nginx-1f2e3d4c")]).await);
    assert_eq!(id, "nginx-1f2e3d4c");
    let long = "x".repeat(65);
    for insane in [long.as_str(), "a b", "<script>"] {
        assert_ne!(request_id(&get_with(&proxied, "/signin", &[("x-request-id", insane)]).await), insane);
    }
}

/// A log sink for the test's subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_log_line_of_a_request_names_the_request_and_the_client_and_each_request_is_logged() {
    let captured = Captured::default();
    let sink = captured.clone();
    cabinet::telemetry::init_logs_to(true, move || sink.clone());
    let app = spawn_with(Options { trusted_proxies: vec!["127.0.0.1".into()], ..Options::default() }).await;
    get_with(&app, "/signin", &[("x-request-id", "req-ok"), ("x-forwarded-for", "203.0.113.9")]).await;
    // A request that logs on its way: readiness with the store gone.
    app.db.pool().close().await;
    let res = get_with(&app, "/readyz", &[("x-request-id", "req-down"), ("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let of = |id: &str| -> Vec<&serde_json::Value> {
        lines.iter().filter(|l| l["span"]["request_id"] == id).collect::<Vec<_>>()
    };
    let down = of("req-down");
    let warning = down.iter().find(|l| l["fields"]["message"] == "store not ready").expect("the handler's line");
    assert_eq!(warning["span"]["client"], "203.0.113.9", "{warning}");
    let access = |lines: &[&serde_json::Value]| -> serde_json::Value {
        (*lines.iter().find(|l| l["target"] == "access").expect("an access line")).clone()
    };
    let a = access(&down);
    assert_eq!(a["fields"]["status"], 503);
    assert_eq!(a["fields"]["path"], "/readyz");
    assert_eq!(a["span"]["client"], "203.0.113.9");
    let ok = access(&of("req-ok"));
    assert_eq!(ok["fields"]["status"], 200);
    assert_eq!(ok["fields"]["method"], "GET");
    assert_eq!(ok["fields"]["route"], "/signin");
}
