//! Health, readiness, metrics, security headers, the dev outbox.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = spawn().await;
    let b = app.browser();
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(b.get("/readyz").await.body, "ready");
    b.get("/signin").await;
    let metrics = b.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.body.contains("http_requests_total"), "{}", metrics.body);
    assert!(metrics.body.contains("route=\"/signin\""));
    assert!(metrics.body.contains("http_request_duration_seconds"));
}

#[tokio::test]
async fn every_page_carries_security_headers_and_embedded_assets_load() {
    let app = spawn().await;
    let b = app.browser();
    let page = b.get("/signin").await;
    let csp = page.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers.get("x-content-type-options").unwrap(), "nosniff");
    for asset in ["/assets/app.css", "/assets/htmx.min.js", "/assets/app.js"] {
        let a = b.get(asset).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
        assert!(a.headers.get("etag").is_some());
        assert!(page.body.contains(asset), "{asset} linked from the page");
    }
    assert_eq!(b.get("/assets/nope.js").await.status, StatusCode::NOT_FOUND);
    // The white label's stylesheet is always linked; without [brand] it overrides nothing.
    let brand = b.get("/assets/brand.css").await;
    assert_eq!(brand.status, StatusCode::OK);
    assert!(brand.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/css"));
    assert!(page.body.contains("/assets/brand.css") && !brand.body.contains("--color-brand"));
    assert_eq!(b.get("/assets/brand-logo").await.status, StatusCode::NOT_FOUND, "no logo configured");
}

#[tokio::test]
async fn the_dev_outbox_is_served_only_in_dev_mode() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let outbox = b.get("/dev/outbox").await;
    assert_eq!(outbox.status, StatusCode::OK);
    let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    assert!(outbox.body.contains(&code));
    let guide = b.get("/dev/styleguide").await;
    assert_eq!(guide.status, StatusCode::OK);
    for part in [
        "class=\"btn danger\"",
        "class=\"field invalid\"",
        "class=\"error-summary\"",
        "class=\"menu-list\"",
        "class=\"empty-state\"",
        "21–40 of 1 000",
    ] {
        assert!(guide.body.contains(part), "the style guide shows {part}");
    }

    let (prod, gateway, _smtp) = crate::gateways::delivering(Options { dev: false, ..Options::default() }).await;
    let b = prod.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let code = code_in(&gateway.wait_for(ALICE, 1).await[0].text);
    let page = b.get("/dev/outbox").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains(&code));
    assert_eq!(b.get("/dev/styleguide").await.status, StatusCode::NOT_FOUND);
}
