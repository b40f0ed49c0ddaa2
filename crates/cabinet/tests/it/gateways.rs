//! The outside world of delivery, on loopback: a local HTTP server that plays a Kannel SMS
//! gateway and records what it gets, and a real SMTP server (Python's aiosmtpd) writing a
//! Maildir that the tests read back.

use crate::helpers::{Options, TEST_SECRET, TestApp, spawn_with};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use cabinet_delivery::sms::{Coding, SmsSettings};
use cabinet_delivery::smtp::{Security, SmtpSettings};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A portal delivering through a fresh SMS gateway and SMTP server, with a configured
/// secret (as production needs), on `options` otherwise.
pub async fn delivering(options: Options) -> (TestApp, SmsGateway, SmtpServer) {
    let gateway = SmsGateway::start().await;
    let smtp = SmtpServer::start().await;
    let app = spawn_with(Options {
        smtp: Some(smtp.settings()),
        sms: Some(gateway.settings()),
        secret: Some(TEST_SECRET.into()),
        ..options
    })
    .await;
    (app, gateway, smtp)
}

pub const GATEWAY_USER: &str = "cabinet";
pub const GATEWAY_PASSWORD: &str = "gw-secret";

/// One request the gateway accepted.
#[derive(Debug, Clone)]
pub struct Sms {
    pub to: String,
    pub text: String,
    pub coding: String,
    pub from: String,
}

#[derive(Default)]
struct GatewayState {
    accepted: Vec<Sms>,
    /// Requests answered 503 while the gateway is "down".
    refused: usize,
    /// How many more requests to refuse.
    down_for: usize,
    /// Recipients the gateway rejects for good (400).
    rejected: Vec<String>,
}

/// A Kannel `sendsms` stand-in on a random loopback port.
#[derive(Clone)]
pub struct SmsGateway {
    pub addr: SocketAddr,
    state: Arc<Mutex<GatewayState>>,
}

impl SmsGateway {
    pub async fn start() -> SmsGateway {
        let state = Arc::new(Mutex::new(GatewayState::default()));
        let app = axum::Router::new().route("/cgi-bin/sendsms", get(sendsms)).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        SmsGateway { addr, state }
    }

    pub fn settings(&self) -> SmsSettings {
        SmsSettings {
            url: format!("http://{}/cgi-bin/sendsms", self.addr),
            username: GATEWAY_USER.into(),
            password: GATEWAY_PASSWORD.into(),
            from: "Cabinet".into(),
            coding: Coding::Auto,
            timeout_seconds: 5,
        }
    }

    /// The next `n` requests are answered 503, as a gateway that is down.
    pub fn go_down_for(&self, n: usize) {
        self.state.lock().unwrap().down_for = n;
    }

    pub fn reject(&self, recipient: &str) {
        self.state.lock().unwrap().rejected.push(recipient.to_string());
    }

    pub fn accepted(&self) -> Vec<Sms> {
        self.state.lock().unwrap().accepted.clone()
    }

    pub fn refused(&self) -> usize {
        self.state.lock().unwrap().refused
    }

    /// Waits (up to 20 s) for `n` accepted messages to `to`, and returns them all.
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Sms> {
        for _ in 0..400 {
            let got: Vec<Sms> = self.accepted().into_iter().filter(|m| m.to == to).collect();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the gateway did not get {n} SMS to {to}: {:?}", self.accepted());
    }
}

async fn sendsms(
    State(state): State<Arc<Mutex<GatewayState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, &'static str) {
    let mut s = state.lock().unwrap();
    if q.get("username").map(String::as_str) != Some(GATEWAY_USER)
        || q.get("password").map(String::as_str) != Some(GATEWAY_PASSWORD)
    {
        return (StatusCode::FORBIDDEN, "Authorization failed for sendsms");
    }
    if s.down_for > 0 {
        s.down_for -= 1;
        s.refused += 1;
        return (StatusCode::SERVICE_UNAVAILABLE, "Sendsms: no SMSC connections");
    }
    let field = |k: &str| q.get(k).cloned().unwrap_or_default();
    if q.get("charset").map(String::as_str) != Some("UTF-8") || field("to").is_empty() {
        return (StatusCode::BAD_REQUEST, "Missing receiver number or charset");
    }
    if s.rejected.contains(&field("to")) {
        return (StatusCode::BAD_REQUEST, "Number is not allowed");
    }
    s.accepted.push(Sms { to: field("to"), text: field("text"), coding: field("coding"), from: field("from") });
    (StatusCode::ACCEPTED, "0: Accepted for delivery")
}

/// A real SMTP server (aiosmtpd) on a random loopback port, delivering into a Maildir.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    mode: SmtpMode,
    dir: tempfile::TempDir,
    child: Child,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A received e-mail, as Python's e-mail parser reads it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    /// File name and the SHA-256 of its bytes, per attachment.
    pub attachments: Vec<(String, String)>,
    /// Each attachment's bytes, base64 (to read a report back).
    pub contents: Vec<String>,
}

/// How the test SMTP server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// Plain SMTP, no authentication.
    Plain,
    /// STARTTLS required, then AUTH (user `cabinet`, password `mail-secret`).
    StartTls,
    /// TLS from the first byte (SMTPS), then AUTH.
    Tls,
}

pub const SMTP_USER: &str = "cabinet";
pub const SMTP_PASSWORD: &str = "mail-secret";

/// A Maildir-writing aiosmtpd with TLS and AUTH as `mode` asks.
const SMTP_SERVER: &str = r#"
import ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword
mode, port, maildir, cert, key = sys.argv[1:6]
def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == b'cabinet' and data.password == b'mail-secret'
    return AuthResult(success=ok)
kw = {}
if mode != 'plain':
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    # PLAIN only: aiosmtpd's LOGIN exchange stalls after a failed PLAIN.
    kw = dict(authenticator=authenticate, auth_required=True, auth_require_tls=True, auth_exclude_mechanism=['LOGIN'])
    if mode == 'starttls':
        kw.update(tls_context=ctx, require_starttls=True)
    else:
        # The whole connection is TLS, which aiosmtpd's AUTH check does not see.
        kw.update(ssl_context=ctx, auth_require_tls=False)
c = Controller(Mailbox(maildir), hostname='127.0.0.1', port=int(port), **kw)
c.start()
print('ready', flush=True)
threading.Event().wait()
"#;

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        SmtpServer::start_with(SmtpMode::Plain).await
    }

    pub async fn start_with(mode: SmtpMode) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("Maildir");
        if mode != SmtpMode::Plain {
            make_certificates(dir.path());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mode_arg = match mode {
            SmtpMode::Plain => "plain",
            SmtpMode::StartTls => "starttls",
            SmtpMode::Tls => "tls",
        };
        let child = Command::new("python3")
            .args(["-c", SMTP_SERVER, mode_arg, &port.to_string()])
            .arg(&maildir)
            .arg(dir.path().join("server.pem"))
            .arg(dir.path().join("server.key"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd==1.4.6)");
        // Owned at once, so that the server is stopped whatever happens next.
        let server = SmtpServer { port, maildir, mode, dir, child };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub fn settings(&self) -> SmtpSettings {
        let tls = self.mode != SmtpMode::Plain;
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(self.port),
            security: match self.mode {
                SmtpMode::Plain => Security::None,
                SmtpMode::StartTls => Security::Starttls,
                SmtpMode::Tls => Security::Tls,
            },
            user: if tls { SMTP_USER.into() } else { String::new() },
            password: if tls { SMTP_PASSWORD.into() } else { String::new() },
            from: "Cabinet <noreply@cabinet.example.kz>".into(),
            timeout_seconds: 5,
            ca_file: tls.then(|| self.dir.path().join("ca.pem")),
        }
    }

    /// Every message received so far.
    pub fn mails(&self) -> Vec<Mail> {
        let new = self.maildir.join("new");
        let Ok(entries) = std::fs::read_dir(&new) else { return Vec::new() };
        entries.filter_map(|e| e.ok()).map(|e| parse_mail(&e.path())).collect()
    }

    /// Waits (up to 20 s) for a message to `to`.
    pub async fn wait_for(&self, to: &str) -> Mail {
        for _ in 0..400 {
            if let Some(m) = self.mails().into_iter().find(|m| m.to.contains(to)) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no e-mail to {to} arrived");
    }
}

/// A private CA and a server certificate for 127.0.0.1 signed by it (openssl), in `dir`.
fn make_certificates(dir: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Cabinet test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
}

/// Reads a Maildir file with Python's own e-mail parser (an independent MIME reader).
fn parse_mail(path: &Path) -> Mail {
    const SCRIPT: &str = r#"
import base64, email, email.policy, hashlib, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
body = m.get_body(preferencelist=('plain',))
files = [(p.get_filename(), hashlib.sha256(p.get_payload(decode=True) or b'').hexdigest())
         for p in m.iter_attachments()]
print(json.dumps({'to': str(m['To']), 'from': str(m['From']), 'subject': str(m['Subject']),
                  'message_id': str(m['Message-ID']), 'text': body.get_content() if body else '',
                  'attachments': files,
                  'contents': [base64.b64encode(p.get_payload(decode=True) or b'').decode() for p in m.iter_attachments()]}))
"#;
    let out = Command::new("python3").args(["-c", SCRIPT]).arg(path).output().unwrap();
    assert!(out.status.success(), "could not parse {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
