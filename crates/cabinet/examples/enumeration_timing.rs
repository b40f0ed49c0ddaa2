//! Can a stranger tell a registered phone from an unknown one by how long the portal takes
//! to answer? (Issue 12: "same page, same timing".) A portal on a temporary store (SQLite,
//! or PostgreSQL with CABINET_TEST_DATABASE_URL) with 200 administrators and 200 employees'
//! secret codes; then, alternating, a known and an unknown phone through each form that
//! names one — a wrong password at sign-in, "Forgot password?", a wrong secret code at
//! self-care — each from an address of its own (127.x.y.z) so that no limit interferes. It
//! prints the median and 90th percentile of both and the difference of the medians.
//!
//!   cargo run --release -p cabinet --example enumeration_timing [ROUNDS]
//!
//! A program rather than a test: timing is measured, not asserted.

use cabinet::config::Settings;
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{admins, companies};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const BIN: &str = "940740000015";
const PASSWORD: &str = "correct-horse-42";

fn client(n: u32) -> reqwest::Client {
    let ip = Ipv4Addr::new(127, 10 + (n >> 16) as u8, (n >> 8) as u8, n as u8);
    cabinet_delivery::install_crypto();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(ip))
        .build()
        .unwrap()
}

fn csrf(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).expect("a form") + marker.len();
    body[start..start + 64].to_string()
}

/// GET `form`, then POST `path` with its token and `fields`; the POST's time.
async fn timed(c: &reqwest::Client, base: &str, form: &str, path: &str, fields: &[(&str, &str)]) -> Duration {
    let token = csrf(&c.get(format!("{base}{form}")).send().await.unwrap().text().await.unwrap());
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    let start = Instant::now();
    let res = c.post(format!("{base}{path}")).form(&all).send().await.unwrap();
    let status = res.status();
    res.bytes().await.unwrap();
    let took = start.elapsed();
    assert!(status.as_u16() < 500, "{path}: {status}");
    took
}

fn summary(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[v.len() * 9 / 10]))
}

#[tokio::main]
async fn main() {
    let rounds: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let db = cabinet_store::testing::test_db().await;
    cabinet_sim::Simulator::new(db.db.clone()).migrate().await.unwrap();
    let zone = OperatorZone::named("Asia/Almaty").unwrap();
    let bin = Bin::parse(BIN).unwrap();
    cabinet::commands::seed(&db, &bin, "ТОО «Альфа»", 400, 7, &zone).await.unwrap();
    let company = companies::by_bin(&db, &bin).await.unwrap().unwrap();
    let hash = cabinet_store::password::hash(PASSWORD.into()).await;
    let known = |i: u32| format!("7701600{i:04}");
    let unknown = |i: u32| format!("7701700{i:04}");
    let mut first = None;
    for i in 0..rounds {
        let phone = Msisdn::parse(&known(i)).unwrap();
        let new = admins::NewAdmin { phone: &phone, name: "Known", email: None, password_hash: Some(&hash) };
        let admin = admins::create(&db, new, 0).await.unwrap();
        admins::grant(&db, &admin, &company, "full", 0).await.unwrap();
        first.get_or_insert(admin);
    }
    let first = first.expect("at least one round");
    // Employees: the company's numbers with a secret code; unknown ones have none.
    use cabinet_core::operator::OperatorPort;
    let q = cabinet_core::operator::NumberQuery { limit: 400, ..Default::default() };
    let numbers = cabinet_sim::Simulator::new(db.db.clone()).list_numbers(&bin, &q).await.unwrap().items;
    let secret = cabinet_store::settings::server_secret(&db).await.unwrap();
    let who = cabinet_store::actions::Actor {
        company_id: &company.id,
        admin_id: &first.id,
        admin_name: &first.name,
        admin_phone: &first.phone,
    };
    let (with_code, without): (Vec<_>, Vec<_>) =
        numbers.iter().partition(|n| n.msisdn.as_str().as_bytes()[10] % 2 == 0);
    for n in &with_code {
        cabinet_store::secret_codes::issue(&db, &secret, &who, n.msisdn.as_str(), "12345678", "code", 0).await.unwrap();
    }
    let settings = Settings {
        listen: "127.0.0.1:0".into(),
        dev: Some(true),
        demo: Some(false),
        worker: false,
        default_language: "en".into(),
        ..Settings::default()
    };
    let addr = cabinet::app::Portal::bind(&settings, db.db.clone()).await.unwrap().spawn();
    let base = format!("http://{addr}");
    println!(
        "{rounds} rounds each, alternating known and unknown, {}:",
        if db.url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
    );
    let mut n = 0u32;
    let mut next = || {
        n += 1;
        client(n)
    };
    let (mut k, mut u) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        let wrong = [("password", "not-the-password")];
        let (kp, up) = (known(i), unknown(i));
        k.push(timed(&next(), &base, "/signin", "/signin", &[&[("phone", kp.as_str())][..], &wrong].concat()).await);
        u.push(timed(&next(), &base, "/signin", "/signin", &[&[("phone", up.as_str())][..], &wrong].concat()).await);
    }
    report("sign-in, wrong password", k, u);
    let (mut k, mut u) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        let (kp, up) = (known(i), unknown(i));
        k.push(timed(&next(), &base, "/signin/forgot", "/signin/forgot", &[("phone", kp.as_str())]).await);
        u.push(timed(&next(), &base, "/signin/forgot", "/signin/forgot", &[("phone", up.as_str())]).await);
    }
    report("Forgot password?", k, u);
    let (mut k, mut u) = (Vec::new(), Vec::new());
    for i in 0..rounds as usize {
        let (kn, un) =
            (with_code[i % with_code.len()].msisdn.to_string(), without[i % without.len()].msisdn.to_string());
        // A fresh wrong code each time (five per number lock it).
        let code = format!("{:08}", 90_000_000 + i);
        let c = next();
        k.push(timed(&c, &base, "/selfcare", "/selfcare", &[("phone", kn.as_str()), ("code", code.as_str())]).await);
        let c = next();
        u.push(timed(&c, &base, "/selfcare", "/selfcare", &[("phone", un.as_str()), ("code", code.as_str())]).await);
    }
    report("self-care, wrong code", k, u);
}

fn report(what: &str, known: Vec<Duration>, unknown: Vec<Duration>) {
    let (km, k90) = summary(known);
    let (um, u90) = summary(unknown);
    println!(
        "  {what:<26} known: median {km:7.3} ms, p90 {k90:7.3} ms | unknown: median {um:7.3} ms, p90 {u90:7.3} ms | difference of medians {:+.3} ms",
        km - um
    );
}
