//! Safe defaults for deployment: the server secret, demo and dev pages on a reachable
//! address, and running behind a reverse proxy (client address, public origin, cookies).

use crate::helpers::*;
use reqwest::StatusCode;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

/// A real `cabinet serve` process; killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    /// Kept open: the process prints more after the address, and a closed pipe would end it.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the process and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut log = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
        log
    }
}

fn cabinet(url: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cabinet"));
    c.args(["--database-url", url])
        .args(args)
        .env_remove("CABINET_SECRET")
        .env_remove("CABINET_SECRET_FILE")
        .env("CABINET_LOG", "info")
        .env("CABINET_SIM_DELAY_MS", "0");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Starts `cabinet … serve` and waits for it to say where it listens.
fn serve(url: &str, args: &[&str], env: &[(&str, &str)]) -> Serve {
    let mut child = cabinet(url, args, env).arg("serve").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut port = None;
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(addr) = line.strip_prefix("Cabinet is listening on http://") {
            port = addr.trim().rsplit_once(':').map(|(_, p)| p.parse().unwrap());
            break;
        }
        line.clear();
    }
    let Some(port) = port else {
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        panic!("cabinet serve did not start: {err}");
    };
    Serve { child, port, _stdout: stdout }
}

async fn companies(db: &cabinet_store::testing::TestDb) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies").fetch_one(db.pool()).await.unwrap();
    n
}

#[tokio::test]
async fn on_a_reachable_address_the_portal_needs_a_secret_and_shows_no_demo() {
    let db = cabinet_store::testing::test_db().await;
    let out = cabinet(&db.url, &["--listen", "0.0.0.0:0", "serve"], &[]).output().unwrap();
    assert!(!out.status.success(), "it must not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no server secret") && err.contains("secret_file"), "{err}");
    let short =
        cabinet(&db.url, &["--listen", "0.0.0.0:0", "serve"], &[("CABINET_SECRET", "hunter2")]).output().unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 32"));

    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "0123456789abcdef0123456789abcdef0123456789abcdef\n").unwrap();
    // Channels from the environment (nested keys with `__`); nothing is sent in this test.
    let channels = [
        ("CABINET_SMS__URL", "http://127.0.0.1:9/cgi-bin/sendsms"),
        ("CABINET_SMS__USERNAME", "cabinet"),
        ("CABINET_SMS__PASSWORD", "gw-secret"),
        ("CABINET_SMTP__HOST", "127.0.0.1"),
        ("CABINET_SMTP__SECURITY", "none"),
        ("CABINET_SMTP__FROM", "noreply@cabinet.example.kz"),
    ];
    let mut env = vec![("CABINET_SECRET_FILE", secret_file.to_str().unwrap())];
    env.extend(channels);
    // Reachable from other machines: the links in mails need the public address.
    let unaddressed = cabinet(&db.url, &["--listen", "0.0.0.0:0", "serve"], &env).output().unwrap();
    assert!(!unaddressed.status.success(), "it must not start without public_origin");
    assert!(String::from_utf8_lossy(&unaddressed.stderr).contains("set public_origin"));
    env.push(("CABINET_PUBLIC_ORIGIN", "https://cabinet.example.kz"));
    let server = serve(&db.url, &["--listen", "0.0.0.0:0"], &env);
    let client = crate::helpers::http().build().unwrap();
    let outbox = client.get(format!("{}/dev/outbox", server.base())).send().await.unwrap();
    assert_eq!(outbox.status(), StatusCode::NOT_FOUND, "no dev pages");
    assert_eq!(companies(&db).await, 0, "no demo data");
    let signin = client.get(format!("{}/signin", server.base())).send().await.unwrap();
    assert_eq!(signin.status(), StatusCode::OK);
    let log = server.stop();
    assert!(!log.contains("DEMO") && !log.contains("DEVELOPER"), "{log}");
}

#[tokio::test]
async fn demo_and_dev_pages_on_a_reachable_address_only_when_asked_and_loudly() {
    let db = cabinet_store::testing::test_db().await;
    let server = serve(&db.url, &["--listen", "0.0.0.0:0", "--demo", "true", "--dev", "true"], &[]);
    let outbox =
        crate::helpers::http().build().unwrap().get(format!("{}/dev/outbox", server.base())).send().await.unwrap();
    assert_eq!(outbox.status(), StatusCode::OK);
    assert_eq!(companies(&db).await, 2, "the demo is seeded");
    let log = server.stop();
    assert!(log.contains("WARN") && log.contains("DEMO DATA and DEVELOPER PAGES"), "{log}");
    assert!(log.contains("other machines can reach them"), "{log}");
}

#[tokio::test]
async fn on_loopback_the_demo_runs_as_before_and_says_so() {
    let db = cabinet_store::testing::test_db().await;
    let server = serve(&db.url, &["--listen", "127.0.0.1:0"], &[]);
    assert_eq!(
        crate::helpers::http()
            .build()
            .unwrap()
            .get(format!("{}/dev/outbox", server.base()))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(companies(&db).await, 2);
    let log = server.stop();
    assert!(log.contains("DEMO DATA and DEVELOPER PAGES") && log.contains("this machine only"), "{log}");
}

#[tokio::test]
async fn a_configured_secret_is_used_and_never_written_to_the_store() {
    let (app, gateway, _smtp) = crate::gateways::delivering(Options { dev: false, ..Options::default() }).await;
    app.browser().submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
    // The one-time code's MAC is keyed by the configured secret.
    let code = code_in(&gateway.wait_for(ALICE, 1).await[0].text);
    let (challenge,): (String,) =
        sqlx::query_as("SELECT id FROM otp_challenges").fetch_one(app.db.pool()).await.unwrap();
    let verdict = cabinet_store::otp::verify(&app.db, TEST_SECRET, &challenge, &code, cabinet_core::time::now_ms())
        .await
        .unwrap();
    assert!(matches!(verdict, cabinet_store::otp::Verdict::Accepted), "{verdict:?}");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM settings WHERE key = 'server_secret'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "a copy of the database holds no secret");
}

async fn signin_ip_keys(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT key FROM auth_attempts WHERE key LIKE 'signin-ip:%'")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn post_signin_via(b: &Browser, forwarded_for: &str) -> Page {
    let csrf = b.get("/signin").await.csrf();
    let res = b
        .client
        .post(format!("{}/signin", b.base))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("csrf", csrf.as_str()), ("phone", ALICE), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.unwrap() }
}

#[tokio::test]
async fn the_client_address_comes_from_x_forwarded_for_only_through_trusted_proxies() {
    let direct = spawn().await;
    post_signin_via(&direct.browser(), "203.0.113.7").await;
    assert_eq!(signin_ip_keys(&direct).await, ["signin-ip:127.0.0.1"], "a client's own header proves nothing");

    let proxied = spawn_with(Options { trusted_proxies: vec!["127.0.0.1".into()], ..Options::default() }).await;
    post_signin_via(&proxied.browser(), "198.51.100.1, 203.0.113.7").await;
    assert_eq!(signin_ip_keys(&proxied).await, ["signin-ip:203.0.113.7"], "the address the proxy saw");
}

#[tokio::test]
async fn behind_https_cookies_are_secure_host_prefixed_hsts_is_sent_and_origin_is_the_public_one() {
    let app = spawn_with(Options {
        public_origin: Some("https://cabinet.example.kz".into()),
        trusted_proxies: vec!["127.0.0.1".into()],
        ..Options::default()
    })
    .await;
    // A plain client: Secure cookies are not sent back over http, so cookies go by hand.
    let client = crate::helpers::http().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let base = format!("http://{}", app.addr);
    let page = client.get(format!("{base}/signin")).send().await.unwrap();
    assert_eq!(page.headers().get("strict-transport-security").unwrap(), "max-age=31536000");
    let set_cookie = page.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("__Host-cabinet_anon="), "{set_cookie}");
    assert!(set_cookie.contains("; Path=/") && set_cookie.contains("; Secure") && !set_cookie.contains("Domain"));
    let anon = set_cookie.split(';').next().unwrap().to_string();
    let csrf = Page { status: page.status(), headers: page.headers().clone(), body: page.text().await.unwrap() }.csrf();

    let post = |origin: &'static str, cookie: String| {
        let csrf = csrf.clone();
        let client = client.clone();
        let base = base.clone();
        async move {
            client
                .post(format!("{base}/signin"))
                .header("origin", origin)
                .header("cookie", cookie)
                .form(&[("csrf", csrf.as_str()), ("phone", ALICE), ("password", PASSWORD)])
                .send()
                .await
                .unwrap()
        }
    };
    let ok = post("https://cabinet.example.kz", anon.clone()).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER, "the public origin is our own");
    assert_eq!(ok.headers().get("location").unwrap(), "/signin/code");
    let session = ok.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(session.starts_with("__Host-cabinet_session=") && session.contains("; Secure"), "{session}");
    // The address the server is reached at upstream is not what browsers on our pages send.
    assert_eq!(post("http://127.0.0.1", anon.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(post("https://evil.example", anon.clone()).await.status(), StatusCode::FORBIDDEN);
    // A cookie without the prefix (which a plain-http page could have planted) is not ours.
    let unprefixed = anon.trim_start_matches("__Host-").to_string();
    assert_eq!(post("https://cabinet.example.kz", unprefixed).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_a_public_origin_cookies_are_plain_and_no_hsts() {
    let app = spawn().await;
    let page = app.browser().get("/signin").await;
    assert!(page.headers.get("strict-transport-security").is_none());
    let cookies = page.set_cookies();
    assert!(cookies[0].starts_with("cabinet_anon=") && !cookies[0].contains("Secure"), "{cookies:?}");
}
