//! Sign-in under attack: codes and passwords tried at once, across resends and from many
//! addresses; the owner's own browser keeps working; every failure and lockout is logged.

use crate::helpers::*;
use reqwest::StatusCode;
use std::net::IpAddr;

/// A browser whose connections come from `ip` (any 127.x.y.z reaches the portal on Linux).
fn browser_from(app: &TestApp, ip: &str) -> Browser {
    let client = crate::helpers::http()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    Browser { client, base: format!("http://{}", app.addr) }
}

/// Posts the code form `n` times at once with the same session and token.
async fn codes_at_once(b: &Browser, code: &str, n: usize) -> Vec<Page> {
    let csrf = b.get("/signin/code").await.csrf();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, url) = (b.client.clone(), format!("{}/signin/code", b.base));
        let form = [("csrf", csrf.clone()), ("code", code.to_string())];
        set.spawn(async move {
            let res = client.post(url).form(&form).send().await.unwrap();
            Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.unwrap() }
        });
    }
    set.join_all().await
}

fn wrong_code_for(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

/// The `dd.mm.yyyy hh:mm` after `marker` in a page, if any.
fn time_after<'a>(body: &'a str, marker: &str) -> Option<&'a str> {
    let start = body.find(marker)? + marker.len();
    let t = body.get(start..start + 16)?;
    let shape = t.bytes().enumerate().all(|(i, b)| match i {
        2 | 5 => b == b'.',
        10 => b == b' ',
        13 => b == b':',
        _ => b.is_ascii_digit(),
    });
    shape.then_some(t)
}

async fn active_sessions(app: &TestApp) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE stage = 'active'").fetch_one(app.db.pool()).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_right_codes_at_once_open_one_session() {
    let app = spawn().await;
    // A few rounds: the requests must meet inside the check for the race to show.
    for round in 1..=6 {
        let b = app.browser();
        b.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
        let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
        let pages = codes_at_once(&b, &code, 2).await;
        let signed_in = pages.iter().filter(|p| p.location() == Some("/numbers")).count();
        assert_eq!(signed_in, 1, "round {round}: {:?}", pages.iter().map(|p| p.status).collect::<Vec<_>>());
        assert_eq!(active_sessions(&app).await, round, "one session per sign-in");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_wrong_codes_at_once_spend_five_tries_at_most() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    let pages = codes_at_once(&b, wrong_code_for(&code), 20).await;
    // Each try that was checked answers with the tries left; five tries give 4, 3, 2, 1
    // and then "this code has expired or was entered wrongly too many times".
    let mut left: Vec<&str> = pages
        .iter()
        .filter_map(|p| {
            ["4 attempts", "3 attempts", "2 attempts", "1 attempt "].into_iter().find(|m| p.body.contains(m))
        })
        .collect();
    left.sort();
    assert_eq!(left, ["1 attempt ", "2 attempts", "3 attempts", "4 attempts"]);
    assert!(pages.iter().all(|p| p.status != StatusCode::SEE_OTHER), "no wrong code signs in");
    let late = b.submit_code(&code).await;
    assert_eq!(late.status.as_u16() / 100, 4, "the right code no longer works: {}", late.body);
    b.get("/numbers").await.assert_redirect("/signin");
    assert_eq!(active_sessions(&app).await, 0);
}

#[tokio::test]
async fn wrong_codes_count_across_resends_and_sign_ins_then_code_entry_pauses() {
    let app = spawn_with(Options { resend_seconds: 0, ..Options::default() }).await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    for _ in 0..5 {
        let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
        b.submit_code(wrong_code_for(&code)).await;
    }
    // A new code and a parallel sign-in give no fresh tries: ten wrong codes in all.
    b.post_from("/signin/code", "/signin/code/resend", &[]).await;
    let other = app.browser();
    other.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
    for browser in [&b, &b, &other, &other, &other] {
        let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
        let page = browser.submit_code(wrong_code_for(&code)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    let paused = other.submit_code(&code).await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS, "even the right code waits: {}", paused.body);
    assert!(time_after(&paused.body, "sign-in codes are not accepted until ").is_some(), "{}", paused.body);
    assert_eq!(active_sessions(&app).await, 0);

    // No new code is sent meanwhile, neither on resend nor on a new sign-in.
    let sent = app.outbox_len().await;
    let resend = other.post_from("/signin/code", "/signin/code/resend", &[]).await;
    assert_eq!(resend.status, StatusCode::TOO_MANY_REQUESTS);
    let again = app.browser().submit_password(ALICE, PASSWORD).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(time_after(&again.body, "sign-in codes are not accepted until ").is_some(), "{}", again.body);
    assert_eq!(app.outbox_len().await, sent);
    // Another account is not affected.
    app.signed_in(CAROL).await;
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere() {
    let app = spawn().await;
    let attacker = browser_from(&app, "127.0.0.2");
    for _ in 0..5 {
        let page = attacker.submit_password(ALICE, "guess").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = attacker.submit_password(ALICE, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "the attacker's address is locked for this phone");
    assert!(time_after(&locked.body, "Please try again after ").is_some(), "{}", locked.body);
    for _ in 0..5 {
        attacker.submit_password(ALICE, "guess").await;
    }
    assert_eq!(app.outbox_len().await, 0);

    let owner = browser_from(&app, "127.0.0.3");
    owner.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
}

#[tokio::test]
async fn the_owners_known_browser_signs_in_while_many_addresses_attack_the_phone() {
    let app = spawn().await;
    // The owner signed in on this browser before: it is known for this phone.
    let owner = app.signed_in(ALICE).await;
    let home = owner.get("/numbers").await;
    owner.post("/signout", &[("csrf", home.csrf().as_str())]).await.assert_redirect("/signin");

    // Five wrong passwords from each of five addresses: more than a phone allows from
    // unknown devices.
    for i in 10..15 {
        let attacker = browser_from(&app, &format!("127.0.0.{i}"));
        for _ in 0..5 {
            attacker.submit_password(ALICE, "guess").await;
        }
    }
    let stranger = browser_from(&app, "127.0.0.20").submit_password(ALICE, PASSWORD).await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS, "unknown devices wait");

    let before = app.outbox_len().await;
    owner.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
    assert_eq!(app.outbox_len().await, before + 1);
}

#[tokio::test]
async fn failed_sign_ins_lockouts_wrong_codes_and_refused_forms_are_logged_without_secrets() {
    let app = spawn().await;
    let serve = cabinet_serve(&app, &[]);
    let b = Browser { client: app.browser().client, base: serve.base.clone() };

    b.submit_password(ALICE, "guess-one").await;
    let failed = serve.line_with(&["security", "signin_failed", ALICE]).await;
    assert!(failed.contains("client=127.0.0.1"), "{failed}");
    for _ in 0..5 {
        b.submit_password(ALICE, "guess-two").await;
    }
    let lockout = serve.line_with(&["security", "lockout", ALICE]).await;
    assert!(lockout.contains("client=127.0.0.1") && lockout.contains("phone+address"), "{lockout}");

    let other = Browser { client: browser_from(&app, "127.0.0.5").client, base: serve.base.clone() };
    other.submit_password(BOB, PASSWORD).await.assert_redirect("/signin/code");
    let code = code_in(&app.last_message_to(BOB).await.unwrap().body);
    other.submit_code(wrong_code_for(&code)).await;
    let wrong = serve.line_with(&["security", "code_failed", "client=127.0.0.5"]).await;
    assert!(wrong.contains("attempts_left=4"), "{wrong}");

    b.post("/signin", &[("csrf", "0"), ("phone", ALICE), ("password", PASSWORD)]).await;
    serve.line_with(&["security", "csrf_refused", "client=127.0.0.1", "/signin"]).await;

    let log = serve.log.lock().unwrap().clone();
    for secret in [PASSWORD, "guess-one", "guess-two", code.as_str(), wrong_code_for(&code)] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}
