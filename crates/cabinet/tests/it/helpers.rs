//! The test harness: a seeded portal with three administrators, and a browser-like client.

use cabinet::commands;
use cabinet::config::Settings;
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::testing::{TestDb, test_db};
use cabinet_store::{admins, companies, outbox};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PASSWORD: &str = "correct-horse-42";
/// Company A: 60 numbers. Company B: 30 numbers.
pub const BIN_A: &str = "940740000015";
pub const BIN_B: &str = "050540001331";
/// Alice: operator number (SMS), companies A and B.
pub const ALICE: &str = "77012112101";
/// Bob: operator number (SMS), company B only.
pub const BOB: &str = "77752223344";
/// Carol: another operator's number (e-mail), company A only.
pub const CAROL: &str = "77071234567";
pub const CAROL_EMAIL: &str = "carol@example.kz";

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: TestDb,
    pub settings: Settings,
}

pub struct Options {
    pub dev: bool,
    pub resend_seconds: i64,
    /// The simulated network's delay (0: operations finish as soon as the worker runs).
    pub sim_delay_ms: i64,
    pub sim_failure_rate: f64,
    /// Delivery channels (none: messages stay in the outbox, as in dev mode).
    pub smtp: Option<cabinet_delivery::smtp::SmtpSettings>,
    pub sms: Option<cabinet_delivery::sms::SmsSettings>,
    /// Run the job worker (off: jobs stay in the queue for the test to look at).
    pub worker: bool,
    /// The configured server secret (None: the store's generated one, dev mode only).
    pub secret: Option<String>,
    pub trusted_proxies: Vec<String>,
    pub public_origin: Option<String>,
}

/// A server secret long enough to be accepted.
pub const TEST_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

impl Default for Options {
    fn default() -> Self {
        Options {
            dev: true,
            resend_seconds: 60,
            sim_delay_ms: 0,
            sim_failure_rate: 0.0,
            worker: true,
            secret: None,
            trusted_proxies: Vec::new(),
            public_origin: None,
            smtp: None,
            sms: None,
        }
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(opts: Options) -> TestApp {
    let db = test_db().await;
    cabinet_sim::Simulator::new(db.db.clone()).migrate().await.unwrap();
    let zone = OperatorZone::named("Asia/Almaty").unwrap();
    commands::seed(&db, &Bin::parse(BIN_A).unwrap(), "ТОО «Альфа»", 60, 11, &zone).await.unwrap();
    commands::seed(&db, &Bin::parse(BIN_B).unwrap(), "АО «Бета»", 30, 12, &zone).await.unwrap();
    let a = companies::by_bin(&db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let b = companies::by_bin(&db, &Bin::parse(BIN_B).unwrap()).await.unwrap().unwrap();
    let hash = cabinet_store::password::hash(PASSWORD.into()).await;
    for (phone, name, email, grants) in [
        (ALICE, "Усанова Алия", Some("alice@example.kz"), vec![&a, &b]),
        (BOB, "Bob Brown", None, vec![&b]),
        (CAROL, "Carol Clark", Some(CAROL_EMAIL), vec![&a]),
    ] {
        let phone = Msisdn::parse(phone).unwrap();
        let admin = admins::create(&db, admins::NewAdmin { phone: &phone, name, email, password_hash: Some(&hash) }, 0)
            .await
            .unwrap();
        for c in grants {
            admins::grant(&db, &admin, c, "full", 0).await.unwrap();
        }
    }
    let settings = Settings {
        listen: "127.0.0.1:0".into(),
        dev: Some(opts.dev),
        demo: Some(false),
        otp_resend_seconds: opts.resend_seconds,
        sim_delay_ms: opts.sim_delay_ms,
        sim_failure_rate: opts.sim_failure_rate,
        default_language: "en".into(),
        smtp: opts.smtp,
        sms: opts.sms,
        worker: opts.worker,
        secret: opts.secret.map(cabinet::config::Secret),
        trusted_proxies: opts.trusted_proxies,
        public_origin: opts.public_origin,
        ..Settings::default()
    };
    let portal = cabinet::app::Portal::bind(&settings, db.db.clone()).await.unwrap();
    let addr = portal.spawn();
    TestApp { addr, db, settings }
}

impl TestApp {
    /// A second portal process on the same store (its own worker), as a second instance
    /// behind a load balancer would be.
    pub async fn another_instance(&self) -> SocketAddr {
        cabinet::app::Portal::bind(&self.settings, self.db.db.clone()).await.unwrap().spawn()
    }
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a CSRF token") + marker.len();
        self.body[start..start + 64].to_string()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
    }

    pub fn assert_redirect(&self, to: &str) {
        assert!(self.status.is_redirection(), "expected a redirect to {to}, got {} {}", self.status, self.body);
        assert_eq!(self.location(), Some(to));
    }
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        let client = http().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, base: format!("http://{}", self.addr) }
    }

    /// The newest outbox message to `recipient`.
    pub async fn last_message_to(&self, recipient: &str) -> Option<outbox::Message> {
        outbox::latest(&self.db, 100).await.unwrap().into_iter().find(|m| m.recipient == recipient)
    }

    pub async fn outbox_len(&self) -> usize {
        outbox::latest(&self.db, 1000).await.unwrap().len()
    }

    /// A browser signed in as `phone`, on the numbers page.
    pub async fn signed_in(&self, phone: &str) -> Browser {
        let b = self.browser();
        let code_page = b.submit_password(phone, PASSWORD).await;
        code_page.assert_redirect("/signin/code");
        let recipient = if phone == CAROL { CAROL_EMAIL } else { phone };
        let code = code_in(&self.last_message_to(recipient).await.expect("a code was sent").body);
        let done = b.submit_code(&code).await;
        done.assert_redirect("/numbers");
        b
    }
}

/// An HTTP client for tests. reqwest is built with rustls and no crypto provider of its own
/// (the portal installs ring at start), so the test process installs it too.
pub fn http() -> reqwest::ClientBuilder {
    cabinet_delivery::install_crypto();
    reqwest::Client::builder()
}

/// The six-digit code in a message.
pub fn code_in(text: &str) -> String {
    let code = text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6);
    code.unwrap_or_else(|| panic!("a six-digit code in {text:?}")).to_string()
}

impl Browser {
    pub async fn get(&self, path: &str) -> Page {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.unwrap() }
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self.client.post(format!("{}{path}", self.base)).form(form).send().await.unwrap();
        Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.unwrap() }
    }

    /// Posts a form with the CSRF token of the page at `form_page`.
    pub async fn post_from(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(form_page).await.csrf();
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post(path, &form).await
    }

    pub async fn submit_password(&self, phone: &str, password: &str) -> Page {
        self.post_from("/signin", "/signin", &[("phone", phone), ("password", password)]).await
    }

    pub async fn submit_code(&self, code: &str) -> Page {
        self.post_from("/signin/code", "/signin/code", &[("code", code)]).await
    }

    pub async fn cookie_value(&self, page: &Page, name: &str) -> Option<String> {
        page.set_cookies()
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")).map(|v| v.split(';').next().unwrap().to_string()))
    }
}

/// The profile links of a numbers page, in order.
pub fn numbers_on(page: &Page) -> Vec<String> {
    page.body.split("class=\"number-link\" href=\"/numbers/").skip(1).map(|s| s[..11].to_string()).collect()
}

/// The href of the link with rel=`rel` ("next"/"prev"), unescaped.
pub fn pager_link(page: &Page, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    let start = page.body.find(&marker)? + marker.len();
    let end = page.body[start..].find('"')? + start;
    Some(page.body[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

/// Text as askama escapes it into HTML.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Waits (up to 10 s) until no action of the test's companies is still processing: the
/// worker has recorded every outcome.
pub async fn settle(app: &TestApp) {
    for _ in 0..200 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM actions WHERE status = 'processing'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if n == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("actions still processing");
}

/// The numbers of the company with `bin` that are in `state`, in the list's order.
#[allow(dead_code)] // the browser test's
pub async fn numbers_of_state(
    app: &TestApp,
    bin: &str,
    state: cabinet_core::operator::NumberState,
) -> Vec<cabinet_core::operator::NumberSummary> {
    use cabinet_core::operator::{NumberQuery, OperatorPort};
    let sim = cabinet_sim::Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let all = sim.list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items;
    all.into_iter().filter(|n| n.state == state).collect()
}

/// A valid ICCID (the Luhn check digit right) that no seeded SIM card has.
#[allow(dead_code)] // the browser test's
pub fn unused_iccid(tail: &str) -> String {
    let body = format!("8999702{tail:0>12}");
    format!("{body}{}", cabinet_core::ids::luhn_check_digit(&body))
}

/// A real `cabinet serve` whose log lines are collected.
pub struct Serve {
    pub child: Child,
    pub base: String,
    pub log: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `env` adds settings (`CABINET_*`) to the process's.
pub fn cabinet_serve(app: &TestApp, env: &[(&str, &str)]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cabinet"))
        .args(["--database-url", &app.db.url, "--listen", "127.0.0.1:0", "--demo", "false", "--dev", "true", "serve"])
        .env("CABINET_DEFAULT_LANGUAGE", "en")
        .env_remove("CABINET_LOG")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut base = String::new();
    while !base.starts_with("http://") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            // Say why: the process's own last words.
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err).ok();
            }
            panic!("serve ended before listening ({:?}): {err}", child.wait());
        }
        if let Some(addr) = line.trim().strip_prefix("Cabinet is listening on ") {
            base = addr.to_string();
        }
    }
    std::thread::spawn(move || for _ in out.lines() {});
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&(without_colours(&line) + "\n"));
        }
    });
    Serve { child, base, log }
}

/// A log line without its ANSI colour codes (`ESC [ … m`).
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| *c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

impl Serve {
    /// Waits (up to 10 s) for a log line holding every one of `parts`, and returns it.
    pub async fn line_with(&self, parts: &[&str]) -> String {
        for _ in 0..200 {
            let log = self.log.lock().unwrap().clone();
            if let Some(line) = log.lines().find(|l| parts.iter().all(|p| l.contains(p))) {
                return line.to_string();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no log line with {parts:?} in:\n{}", self.log.lock().unwrap());
    }
}
