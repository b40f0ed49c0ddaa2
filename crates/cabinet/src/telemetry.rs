//! Logs (tracing, text or JSON) and the Prometheus recorder.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

pub fn init_logs(json: bool) {
    init_logs_to(json, std::io::stderr);
}

/// Logs to `writer` (tests read what a request logged). Each request's lines carry the
/// fields of its `request` span: request_id and client.
pub fn init_logs_to<W>(json: bool, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_env("CABINET_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colours only on a terminal: a log file or journald gets plain text.
    let ansi = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// Latency buckets, in seconds: from a cached page (a millisecond) to a slow export. Buckets,
/// unlike quantiles, can be summed across instances.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// How often recorded samples are folded into the histograms when nobody scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process-wide metrics recorder (installed once; tests start several portals), with
/// its upkeep: without it every sample is kept until the next scrape, and memory grows while
/// nobody scrapes.
pub fn metrics() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets(LATENCY_BUCKETS)
                .expect("buckets are not empty")
                .install_recorder()
                .ok()?;
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(UPKEEP_EVERY);
                        upkeep.run_upkeep();
                    }
                })
                .ok()?;
            Some(handle)
        })
        .clone()
}

/// Counts a job that has finished: `cabinet_jobs_finished_total{kind, outcome}`. The job
/// worker calls it once per job, when the job leaves the queue for good; `outcome` is one of
/// a few fixed words (labels must not be free text), e.g. `jobs::DONE` ("done": carried
/// out), `jobs::FAILED` ("failed": given up or unrunnable).
pub fn job_finished(kind: &str, outcome: &'static str) {
    metrics::counter!("cabinet_jobs_finished_total", "kind" => kind.to_string(), "outcome" => outcome).increment(1);
}
