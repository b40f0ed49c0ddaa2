//! Issue 9, access: input errors that name the mistake, error pages with the header, sign-in
//! that returns to the page asked for, sign-out that says so, the resend countdown, the
//! actions history's form, and a demo that names no real operator.

use crate::helpers::*;
use cabinet_core::Bin;
use cabinet_core::ids::luhn_check_digit;
use cabinet_core::operator::{NumberQuery, OperatorPort};
use cabinet_sim::Simulator;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// The company's numbers, as the simulator lists them.
async fn numbers_of(app: &TestApp, bin: &str) -> Vec<String> {
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let list = sim.list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items;
    list.into_iter().map(|n| n.msisdn.to_string()).collect()
}

/// The number in `attr="…"` of the page.
fn attr_number(body: &str, attr: &str) -> i64 {
    let marker = format!("{attr}=\"");
    let start = body.find(&marker).unwrap_or_else(|| panic!("no {attr} in {body}")) + marker.len();
    body[start..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn typed_identifiers_are_refused_with_the_mistake_named() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_of(&app, BIN_A).await.remove(0);

    // A SIM card number with a wrong check digit: not "19–20 digits starting with 89".
    let body = "8999702200121068527";
    let wrong = format!("{body}{}", (luhn_check_digit(body) + 1) % 10);
    let page =
        b.post_from(&format!("/numbers/{n}/sim"), &format!("/numbers/{n}/sim/confirm"), &[("iccid", &wrong)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The last (check) digit does not match"), "{}", page.body);
    assert!(!page.body.contains("is 19–20 digits starting with 89, as printed"), "not the generic format");
    let page =
        b.post_from(&format!("/numbers/{n}/sim"), &format!("/numbers/{n}/sim/confirm"), &[("iccid", "12345")]).await;
    assert!(page.body.contains("19 or 20 digits"), "{}", page.body);

    // An IMEI of 15 digits whose last one is wrong.
    let imei = format!("35367807651154{}", (luhn_check_digit("35367807651154") + 1) % 10);
    let path = format!("/numbers/{n}/imei");
    let page = b.post_from(&path, &path, &[("imei", &imei), ("action", "register")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The 15th (check) digit does not match"), "{}", page.body);

    // Forwarding to a number a digit short, and to a foreign mobile.
    let path = format!("/numbers/{n}/forwarding");
    let fields = |number: &'static str| [("kind", "busy"), ("direction", "number"), ("number", number)];
    let page = b.post_from(&path, &path, &fields("+7 701 211 21 0")).await;
    assert!(page.body.contains("The number is too short"), "{}", page.body);
    let page = b.post_from(&path, &path, &fields("+7 916 123 45 67")).await;
    assert!(page.body.contains("This is not a Kazakhstan mobile number"), "{}", page.body);

    // The sign-in form names it too, in the visitor's language.
    let signed_out = app.browser();
    signed_out.get("/lang/ru").await;
    let page = signed_out.submit_password("+7 701 211 21 011", PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("В номере лишние цифры"), "{}", page.body);
    assert!(page.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn the_history_names_what_is_wrong_with_the_period() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let check = |from: &'static str, to: &'static str, message: &'static str, field: &'static str| {
        let b = &b;
        async move {
            let page = b.get(&format!("/reports/actions?from={from}&to={to}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{from} {to}");
            assert!(page.body.contains(message), "{from} {to}: {}", page.body);
            assert!(page.body.contains(&format!("id=\"{field}-error\"")), "{from} {to}: the {field} field");
            assert!(page.body.contains("class=\"error-summary\""));
        }
    };
    check("31-02-2026", "01-03-2026", "There is no such date as the beginning of the period", "from").await;
    check("01-02-2026", "2026-03-01", "Enter the end of the period as dd-mm-yyyy", "to").await;
    check("10-03-2025", "01-03-2025", "after its end", "to").await;
    check("01-01-2020", "31-12-2024", "at most 3 years", "from").await;
    check("01-01-2020", "01-01-2999", "The end of the period cannot be after today", "to").await;
    check("01-01-2998", "01-01-2999", "The beginning of the period cannot be in the future", "from").await;

    // Nothing in the period: an empty state, not a bare line.
    let old = b.get("/reports/actions?from=01-01-2020&to=31-12-2020").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("class=\"empty-state\""), "{}", old.body);
    assert!(old.body.contains("No actions in this period"));

    // A row: the data table, every cell labelled for the narrow layout.
    let n = numbers_of(&app, BIN_A).await.remove(0);
    b.post_from(&format!("/numbers/{n}/block"), &format!("/numbers/{n}/block"), &[]).await;
    let page = b.get("/reports/actions").await;
    assert!(page.body.contains("<table class=\"data"), "{}", page.body);
    let cells = page.body.matches("<td").count();
    assert!(cells >= 4, "{}", page.body);
    assert_eq!(page.body.matches("<td data-label=\"").count() + page.body.matches("\" data-label=\"").count(), cells);
    assert!(page.body.contains("<label for=\"from\">Beginning of period</label>"));
    assert!(page.body.contains("<span class=\"range\">1–1 of 1</span>"), "{}", page.body);
}

#[tokio::test]
async fn error_pages_have_the_header_and_tell_a_bad_address_from_another_company_s_number() {
    let app = spawn().await;
    let bob = app.signed_in(BOB).await;
    let alice = app.signed_in(ALICE).await;
    // Alice can switch company and sign out from an error page.
    let page = alice.get("/numbers/abc").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"), "{}", page.body);
    assert!(!page.body.contains("another company"));
    assert!(page.body.contains("id=\"signout\""), "{}", page.body);
    assert!(page.body.contains("id=\"company-select\""));
    assert!(page.body.contains("<header"));

    for path in ["/no/such/page", "/numbers/77010542001/explode", "/numbers/7701"] {
        let page = alice.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}: {}", page.body);
        assert!(page.body.contains("id=\"signout\""), "{path}");
    }

    // A well-formed number of company A, asked for by B's administrator.
    let a_number = numbers_of(&app, BIN_A).await.remove(0);
    let page = bob.get(&format!("/numbers/{a_number}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("It may belong to another company"), "{}", page.body);
    assert!(page.body.contains("id=\"signout\""));

    // In the visitor's language.
    alice.get("/lang/kk").await;
    let page = alice.get("/numbers/abc").await;
    assert!(page.body.contains("Бет табылмады"), "{}", page.body);

    // Signed out: the page, and no sign-out button.
    let page = app.browser().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert!(!page.body.contains("id=\"signout\""));
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for() {
    let app = spawn().await;
    let n = numbers_of(&app, BIN_B).await.remove(0);
    let wanted = format!("/numbers/{n}/forwarding");
    let b = app.browser();
    let first = b.get(&wanted).await;
    first.assert_redirect(&format!("/signin?next={wanted}"));
    let signin = b.get(first.location().unwrap()).await;
    assert!(signin.body.contains(&format!("name=\"next\" value=\"{wanted}\"")), "{}", signin.body);
    let csrf = signin.csrf();
    let after_password =
        b.post("/signin", &[("csrf", &csrf), ("phone", BOB), ("password", PASSWORD), ("next", &wanted)]).await;
    after_password.assert_redirect(&format!("/signin/code?next={wanted}"));
    let code_page = b.get(after_password.location().unwrap()).await;
    assert_eq!(code_page.body.matches(&format!("name=\"next\" value=\"{wanted}\"")).count(), 2, "code and resend");
    let code = code_in(&app.last_message_to(BOB).await.unwrap().body);
    let csrf = code_page.csrf();
    let done = b.post("/signin/code", &[("csrf", &csrf), ("code", &code), ("next", &wanted)]).await;
    done.assert_redirect(&wanted);
    assert_eq!(b.get(&wanted).await.status, StatusCode::OK);

    // Only a local path: another site is never gone to.
    let b = app.browser();
    let page = b.get("/signin?next=//evil.example/x").await;
    assert!(!page.body.contains("name=\"next\""), "no page to go back to");
    let csrf = page.csrf();
    let p = b
        .post("/signin", &[("csrf", &csrf), ("phone", ALICE), ("password", PASSWORD), ("next", "https://evil.example")])
        .await;
    p.assert_redirect("/signin/code");
    let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    let csrf = b.get("/signin/code").await.csrf();
    let done = b.post("/signin/code", &[("csrf", &csrf), ("code", &code), ("next", "//evil.example")]).await;
    done.assert_redirect("/numbers");
}

#[tokio::test]
async fn signing_out_says_so_once() {
    let app = spawn().await;
    let b = app.signed_in(BOB).await;
    let out = b.post_from("/numbers", "/signout", &[]).await;
    out.assert_redirect("/signin");
    let page = b.get("/signin").await;
    assert!(page.body.contains("You have signed out"), "{}", page.body);
    assert!(page.body.contains("id=\"signout-notice\""));
    let again = b.get("/signin").await;
    assert!(!again.body.contains("You have signed out"), "shown once, not on reload");
    // A first visit says nothing of the kind.
    assert!(!app.browser().get("/signin").await.body.contains("You have signed out"));
}

#[tokio::test]
async fn the_resend_button_waits_exactly_as_long_as_the_server() {
    let app = spawn_with(Options { resend_seconds: 2, ..Options::default() }).await;
    let b = app.browser();
    b.submit_password(BOB, PASSWORD).await.assert_redirect("/signin/code");
    let page = b.get("/signin/code").await;
    let loaded = Instant::now();
    let shown = attr_number(&page.body, "data-countdown");
    assert!(shown >= 1, "the button starts disabled");
    // Asked at once, the server names the same wait.
    let csrf = page.csrf();
    let early = b.post("/signin/code/resend", &[("csrf", &csrf)]).await;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(early.body.contains(&format!("A new code can be sent in {shown} sec.")), "page {shown}: {}", early.body);
    // When the page's countdown ends (it enables the button then), the server accepts.
    let sent_before = app.outbox_len().await;
    tokio::time::sleep(Duration::from_secs(shown as u64).saturating_sub(loaded.elapsed())).await;
    let on_time = b.post("/signin/code/resend", &[("csrf", &csrf)]).await;
    assert_eq!(on_time.status, StatusCode::OK, "{}", on_time.body);
    assert_eq!(app.outbox_len().await, sent_before + 1, "a new code was sent");
}

#[tokio::test]
async fn the_demo_names_no_real_operator() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let mut pages = Vec::new();
    let mut page = b.get("/numbers").await;
    loop {
        pages.push(page.body.clone());
        match pager_link(&page, "next") {
            Some(next) => page = b.get(&next).await,
            None => break,
        }
    }
    let numbers = numbers_of(&app, BIN_A).await;
    for n in numbers.iter().take(25) {
        let profile = b.get(&format!("/numbers/{n}")).await;
        assert_eq!(profile.status, StatusCode::OK);
        pages.push(profile.body);
    }
    assert!(pages.iter().any(|p| p.contains("Calls within the network")), "allowances are still shown");
    for body in &pages {
        let lower = body.to_lowercase();
        for brand in ["kcell", "activ/", "/activ", "кселл"] {
            assert!(!lower.contains(brand), "{brand} on a page: {body}");
        }
    }
}
