//! Every request's identity: the client's address (through trusted proxies only), a request
//! id, a tracing span carrying both (so that every log line of the request names them),
//! and one access-log line when the response is ready.

use crate::AppState;
use crate::config::TrustedProxies;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// The client's address, as far as it can be believed.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// The client behind `peer`: a trusted proxy's `X-Forwarded-For` is read from the right,
/// through further trusted proxies, to the first address that is not one. Anything to the
/// left of that was written by the client and proves nothing.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.contains(client) {
        return client;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        let Some(addr) = parse_hop(hop) else { break };
        client = addr.to_canonical();
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or `203.0.113.7:5000`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// An incoming request id is kept only if it is short and plain (it goes into logs and a
/// response header).
fn sane_request_id(v: &str) -> bool {
    (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// Middleware (outermost): works out the client and the request id, runs the request inside
/// a span that carries them, echoes the id and writes the access-log line.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let peer =
        req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let trusted = &state.config.trusted_proxies;
    let client = client_addr(peer, req.headers(), trusted);
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| trusted.contains(peer) && sane_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(|| cabinet_store::ids::random_hex(8));
    let method = req.method().clone();
    // The path without the query: queries hold what administrators search for.
    let path = req.uri().path().to_string();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    req.extensions_mut().insert(ClientAddr(client));

    let span = tracing::info_span!("request", request_id = %id, client = %client);
    let mut res = next.run(req).instrument(span.clone()).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    span.in_scope(|| {
        tracing::info!(
            target: "access",
            method = %method,
            path = %path,
            route = route.as_deref().unwrap_or(""),
            status = res.status().as_u16(),
            ms = (start.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            "request"
        )
    });
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_through_trusted_proxies() {
        let none = TrustedProxies::default();
        let proxies = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap();
        // No proxy configured: the header is the client's own claim.
        assert_eq!(client_addr(ip("127.0.0.1"), &xff(&["203.0.113.7"]), &none), ip("127.0.0.1"));
        // A peer that is not a trusted proxy: ignored too.
        assert_eq!(client_addr(ip("198.51.100.1"), &xff(&["203.0.113.7"]), &proxies), ip("198.51.100.1"));
        // Through the proxy: the address it saw.
        assert_eq!(client_addr(ip("127.0.0.1"), &xff(&["203.0.113.7"]), &proxies), ip("203.0.113.7"));
        // A forged entry on the left is skipped; the chain of proxies is walked.
        assert_eq!(
            client_addr(ip("127.0.0.1"), &xff(&["1.1.1.1, 203.0.113.7, 10.0.0.2"]), &proxies),
            ip("203.0.113.7")
        );
        assert_eq!(client_addr(ip("127.0.0.1"), &xff(&["1.1.1.1", "203.0.113.7"]), &proxies), ip("203.0.113.7"));
        // Garbage stops the walk at the last address known good.
        assert_eq!(client_addr(ip("127.0.0.1"), &xff(&["203.0.113.7, junk"]), &proxies), ip("127.0.0.1"));
        assert_eq!(client_addr(ip("127.0.0.1"), &xff(&[]), &proxies), ip("127.0.0.1"));
        assert_eq!(client_addr(ip("::ffff:127.0.0.1"), &xff(&["[2001:db8::1]:443"]), &proxies), ip("2001:db8::1"));
    }

    #[test]
    fn only_plain_short_request_ids_are_kept() {
        assert!(sane_request_id("0b7c1d2e-aa12-4c9f-9d7e-1f2e3d4c5b6a"));
        assert!(sane_request_id("abc.def:1_2"));
        assert!(!sane_request_id(""));
        assert!(!sane_request_id(&"a".repeat(65)));
        assert!(!sane_request_id("a b"));
        assert!(!sane_request_id("a\"b"));
    }
}
