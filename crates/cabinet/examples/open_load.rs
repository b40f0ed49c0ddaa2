//! An open-loop load generator for `scripts/bench`: requests leave at a fixed rate whether or
//! not the earlier ones have been answered, and each one's latency runs from the moment it
//! left the schedule until its body is read. wrk keeps a fixed number of requests in flight
//! and sends the next only when one is answered, so it measures latency at whatever rate the
//! server saturates at; the speed target is a latency at a given rate, which needs this.
//!
//!   open_load URL RATE SECONDS CONNECTIONS [HEADER: VALUE]...
//!
//! Prints one line: `sent ok rate p50_ms p90_ms p99_ms max_ms` (rate is what was achieved).
//! At most CONNECTIONS requests are in flight; a request that waits for a free connection
//! counts its wait as latency, as a browser's would.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderName, HeaderValue, Request};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::{Mutex, Semaphore};

type Body = http_body_util::Empty<bytes::Bytes>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: open_load URL RATE SECONDS CONNECTIONS [HEADER: VALUE]...");
        std::process::exit(2);
    }
    let url: http::Uri = args[0].parse().expect("a URL");
    let rate: f64 = args[1].parse().expect("requests per second");
    let seconds: f64 = args[2].parse().expect("seconds");
    let connections: usize = args[3].parse().expect("connections");
    let headers: Vec<(HeaderName, HeaderValue)> = args[4..]
        .iter()
        .map(|h| {
            let (name, value) = h.split_once(':').expect("HEADER: VALUE");
            (name.trim().parse().expect("a header name"), value.trim().parse().expect("a header value"))
        })
        .collect();
    // One thread: the generator shares the machine with the server it measures.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let report = runtime.block_on(run(url, rate, seconds, connections, headers));
    println!("{report}");
}

async fn run(
    url: http::Uri,
    rate: f64,
    seconds: f64,
    connections: usize,
    headers: Vec<(HeaderName, HeaderValue)>,
) -> String {
    let client: Client<_, Body> =
        Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build_http();
    let slots = Arc::new(Semaphore::new(connections));
    let latencies_us = Arc::new(Mutex::new(Vec::<u64>::new()));
    let failures = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let total = (rate * seconds).round() as u64;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        tokio::time::sleep_until((start + Duration::from_secs_f64(i as f64 / rate)).into()).await;
        // From when the request actually leaves the schedule: the timer's millisecond
        // granularity is the generator's, not the server's.
        let sent = Instant::now();
        let (client, slots, latencies_us, failures) =
            (client.clone(), slots.clone(), latencies_us.clone(), failures.clone());
        let mut request = Request::get(url.clone()).body(Body::new()).expect("a request");
        for (name, value) in &headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await.expect("open semaphore");
            let ok = match client.request(request).await {
                Ok(response) => {
                    let status = response.status();
                    use http_body_util::BodyExt;
                    response.into_body().collect().await.is_ok() && status.is_success()
                }
                Err(_) => false,
            };
            if ok {
                latencies_us.lock().await.push(sent.elapsed().as_micros() as u64);
            } else {
                failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut l = std::mem::take(&mut *latencies_us.lock().await);
    l.sort_unstable();
    let at = |q: f64| -> f64 {
        if l.is_empty() {
            return f64::NAN;
        }
        let i = ((q * l.len() as f64).ceil() as usize).clamp(1, l.len()) - 1;
        l[i] as f64 / 1000.0
    };
    let ok = l.len() as u64;
    format!(
        "{total} {ok} {:.0} {:.2} {:.2} {:.2} {:.2}",
        (ok + failures.load(std::sync::atomic::Ordering::Relaxed)) as f64 / elapsed,
        at(0.50),
        at(0.90),
        at(0.99),
        l.last().map_or(f64::NAN, |m| *m as f64 / 1000.0)
    )
}
