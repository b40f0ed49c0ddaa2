//! Who gets what: the pages of each kind against every actor there is today — signed out,
//! an administrator of company A in each role, and an administrator of company B only —
//! with the status each must get from the server, whatever the page offers (both engines).

use crate::helpers::*;
use cabinet_core::operator::{BillingMethod, NumberState};
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{admins, companies};
use reqwest::StatusCode;

const SIGN_IN: u16 = 303;
const OK: u16 = 200;
const NO: u16 = 403;
const NOT_FOUND: u16 = 404;

/// An administrator of company A only, with `role`.
pub async fn admin_with_role(app: &TestApp, phone: &str, role: &str) -> Browser {
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let hash = cabinet_store::password::hash(PASSWORD.into()).await;
    let phone_no = Msisdn::parse(phone).unwrap();
    let new = admins::NewAdmin { phone: &phone_no, name: role, email: None, password_hash: Some(&hash) };
    let admin = admins::create(&app.db, new, 0).await.unwrap();
    admins::grant(&app.db, &admin, &a, role, 0).await.unwrap();
    app.signed_in(phone).await
}

#[tokio::test]
async fn each_actor_gets_exactly_what_its_role_allows() {
    let app = spawn().await;
    let actors = [
        ("signed out", app.browser()),
        ("full", app.signed_in(CAROL).await),
        ("operations", admin_with_role(&app, "77015551001", "operations").await),
        ("accountant", admin_with_role(&app, "77015551002", "accountant").await),
        ("read_only", admin_with_role(&app, "77015551003", "read_only").await),
        ("company B", app.signed_in(BOB).await),
    ];
    let active = numbers_of_state(&app, BIN_A, NumberState::Active).await;
    let n =
        active.iter().find(|n| n.billing == BillingMethod::Advance).expect("an active advance number").msisdn.clone();
    let number = |path: &str| format!("/numbers/{n}{path}");
    // (page, what each actor gets: signed out, full, operations, accountant, read-only, B)
    let table: Vec<(String, [u16; 6])> = vec![
        ("/numbers".into(), [SIGN_IN, OK, OK, OK, OK, OK]),
        (number(""), [SIGN_IN, OK, OK, OK, OK, NOT_FOUND]),
        (number("/usage"), [SIGN_IN, OK, OK, OK, OK, NOT_FOUND]),
        (number("/block"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/sim"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/forwarding"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/imei"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/esim"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/secret-code/send"), [SIGN_IN, OK, OK, NO, NO, NOT_FOUND]),
        (number("/payments/report"), [SIGN_IN, OK, NO, OK, OK, NOT_FOUND]),
        (number("/payments"), [SIGN_IN, OK, NO, OK, OK, NOT_FOUND]),
        ("/transfer".into(), [SIGN_IN, OK, NO, OK, NO, OK]),
        ("/reports".into(), [SIGN_IN, OK, OK, OK, OK, OK]),
        ("/reports/actions".into(), [SIGN_IN, OK, OK, OK, OK, OK]),
        ("/reports/acts".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/invoice-numbers".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/breakdown".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/reconciliation".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/devices".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/roaming-packages".into(), [SIGN_IN, OK, OK, OK, OK, OK]),
        ("/reports/register".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/number-list".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/company-payments".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/reports/unallocated".into(), [SIGN_IN, OK, NO, OK, OK, OK]),
        ("/company/admins".into(), [SIGN_IN, OK, NO, NO, NO, OK]),
        ("/account".into(), [SIGN_IN, OK, OK, OK, OK, OK]),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in &table {
        for ((who, b), want) in actors.iter().zip(expected) {
            let got = b.get(path).await.status.as_u16();
            if got != *want {
                wrong.push(format!("{who} GET {path}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // What a role may not do is refused when sent anyway, and changes nothing.
    let block = number("/block");
    for (who, b) in &actors[3..5] {
        let sent = b.post_from("/numbers", &block, &[]).await;
        assert_eq!(sent.status, StatusCode::FORBIDDEN, "{who}");
    }
    let (recorded,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM actions WHERE msisdn = $1")
        .bind(n.as_str())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(recorded, 0, "no action was recorded for the number");
    let after = numbers_of_state(&app, BIN_A, NumberState::Active).await;
    assert!(after.iter().any(|m| m.msisdn == n), "the number is still active");
}

/// What an actor must get from a route.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// Exactly this status (and no redirect).
    Is(u16),
    /// A redirect to this sign-in page (administrators', self-care's, the console's).
    SignIn(&'static str),
    /// A redirect elsewhere (the page sends a signed-in visitor on).
    Redirect,
    /// Past the gate: the handler ran (a page, a refusal of the empty form, a redirect that
    /// is not to a sign-in) — not 403, not 404, not a sign-in, not a server error.
    Passes,
}
use Want::*;

const S: Want = SignIn("/signin");
const E: Want = SignIn("/selfcare");
const P: Want = SignIn("/operator/signin");
const OK_: Want = Is(200);
const NO_: Want = Is(403);
const NF: Want = Is(404);

/// The eight actors, in the table's order.
const ACTORS: [&str; 8] =
    ["signed out", "employee", "full", "operations", "accountant", "read_only", "company B", "operator staff"];

/// A page of the administrators' for the four roles of company A, company B's full
/// administrator (`b`), and the others sent to the administrators' sign-in.
fn admin(roles: [Want; 4], b: Want) -> [Want; 8] {
    [S, S, roles[0], roles[1], roles[2], roles[3], b, S]
}

const ANY_ROLE: [Want; 4] = [OK_, OK_, OK_, OK_];
const MANAGE: [Want; 4] = [OK_, OK_, NO_, NO_];
const MONEY_VIEW: [Want; 4] = [OK_, NO_, OK_, OK_];
const TRANSFER: [Want; 4] = [OK_, NO_, OK_, NO_];
const FULL_ONLY: [Want; 4] = [OK_, NO_, NO_, NO_];

/// The same for a form sent (POST): the allowed roles get past the gate.
fn passes(roles: [Want; 4]) -> [Want; 4] {
    roles.map(|w| if matches!(w, Is(200)) { Passes } else { w })
}

/// Every route of router.rs, by method, and what each actor gets. A route missing here
/// fails the test: a new route must say who may use it.
fn table() -> Vec<(&'static str, &'static str, [Want; 8])> {
    let all = |w: Want| [w; 8];
    let page_b_number = NF;
    vec![
        ("GET", "/", all(Redirect)),
        // Sign-in and recovery: anyone; a signed-in administrator is sent on to the numbers.
        ("GET", "/signin", [OK_, OK_, Redirect, Redirect, Redirect, Redirect, Redirect, OK_]),
        ("POST", "/signin", all(Passes)),
        // The code step without a password just given: back to the sign-in.
        ("GET", "/signin/code", all(S)),
        ("POST", "/signin/code", all(S)),
        ("POST", "/signin/code/resend", all(S)),
        ("GET", "/signin/forgot", all(OK_)),
        ("POST", "/signin/forgot", all(Passes)),
        ("GET", "/signin/forgot/code", all(Redirect)),
        ("POST", "/signin/forgot/code", all(Redirect)),
        ("POST", "/signin/forgot/code/resend", all(Redirect)),
        ("GET", "/signin/forgot/sent", all(OK_)),
        ("GET", "/signin/reset/{token}", all(Passes)),
        ("GET", "/signin/password", all(Redirect)),
        ("POST", "/signin/password", all(Redirect)),
        ("POST", "/signout", all(S)),
        // The company's numbers.
        ("GET", "/numbers", admin(ANY_ROLE, OK_)),
        ("GET", "/numbers/{msisdn}", admin(ANY_ROLE, page_b_number)),
        ("GET", "/numbers/{msisdn}/head", admin(ANY_ROLE, NF)),
        ("GET", "/numbers/{msisdn}/notice", admin(ANY_ROLE, NF)),
        ("GET", "/numbers/{msisdn}/row", admin(ANY_ROLE, NF)),
        ("GET", "/numbers/{msisdn}/payments", admin(MONEY_VIEW, NF)),
        ("GET", "/numbers/{msisdn}/usage", admin(ANY_ROLE, NF)),
        // A month at once is a report: to the page that says so.
        ("GET", "/numbers/{msisdn}/usage.xlsx", admin([Redirect; 4], NF)),
        ("POST", "/numbers/{msisdn}/usage.xlsx", admin(passes(ANY_ROLE), NF)),
        ("GET", "/numbers/{msisdn}/usage.pdf", admin([Redirect; 4], NF)),
        ("POST", "/numbers/{msisdn}/usage.pdf", admin(passes(ANY_ROLE), NF)),
        ("GET", "/numbers/{msisdn}/payments/report", admin(MONEY_VIEW, NF)),
        ("POST", "/numbers/{msisdn}/payments/report", admin(passes(MONEY_VIEW), NF)),
        ("GET", "/numbers/{msisdn}/payments.xlsx", admin(MONEY_VIEW, NF)),
        ("GET", "/numbers/{msisdn}/sim", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/sim", admin(passes(MANAGE), NF)),
        ("POST", "/numbers/{msisdn}/sim/confirm", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/imei", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/imei", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/imei/step", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/esim", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/esim/issue", admin(passes(MANAGE), NF)),
        // No eSIM issued: no QR code.
        ("GET", "/numbers/{msisdn}/esim/qr.png", admin([NF, NF, NO_, NO_], NF)),
        ("POST", "/numbers/{msisdn}/esim/ready", admin(passes(MANAGE), NF)),
        ("POST", "/numbers/{msisdn}/esim/change", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/forwarding", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/forwarding", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/forwarding/{kind}/remove", admin(passes(MANAGE), NF)),
        ("POST", "/numbers/{msisdn}/forwarding/{kind}/remove", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/secret-code/{action}", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/secret-code/{action}", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/{operation}", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/{operation}", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/services/{code}/{switch}", admin(passes(MANAGE), NF)),
        ("POST", "/numbers/{msisdn}/services/{code}/{switch}", admin(passes(MANAGE), NF)),
        ("GET", "/numbers/{msisdn}/bans/{ban}/{switch}", admin(MANAGE, NF)),
        ("POST", "/numbers/{msisdn}/bans/{ban}/{switch}", admin(passes(MANAGE), NF)),
        // Money and documents.
        ("GET", "/transfer", admin(TRANSFER, OK_)),
        ("POST", "/transfer", admin(passes(TRANSFER), Passes)),
        ("POST", "/transfer/confirm", admin(passes(TRANSFER), Passes)),
        ("GET", "/reports", admin(ANY_ROLE, OK_)),
        ("GET", "/reports/{id}/row", admin([NF; 4], NF)),
        ("GET", "/reports/{id}/download", admin([NF; 4], NF)),
        ("GET", "/reports/actions", admin(ANY_ROLE, OK_)),
        ("GET", "/reports/actions.xlsx", admin(ANY_ROLE, OK_)),
        ("GET", "/reports/unallocated", admin(MONEY_VIEW, OK_)),
        ("GET", "/reports/invoice-numbers", admin(MONEY_VIEW, OK_)),
        ("GET", "/reports/acts", admin(MONEY_VIEW, OK_)),
        ("GET", "/reports/acts/{file}", admin([NF, NO_, NF, NF], NF)),
        ("GET", "/reports/breakdown", admin(MONEY_VIEW, OK_)),
        ("GET", "/reports/register", admin(MONEY_VIEW, OK_)),
        ("POST", "/reports/register", admin(passes(MONEY_VIEW), Passes)),
        ("GET", "/reports/reconciliation", admin(MONEY_VIEW, OK_)),
        ("POST", "/reports/reconciliation", admin(passes(MONEY_VIEW), Passes)),
        ("GET", "/reports/company-payments", admin(MONEY_VIEW, OK_)),
        ("POST", "/reports/company-payments", admin(passes(MONEY_VIEW), Passes)),
        ("GET", "/reports/roaming-packages", admin(ANY_ROLE, OK_)),
        ("POST", "/reports/roaming-packages", admin(passes(ANY_ROLE), Passes)),
        ("GET", "/reports/number-list", admin(MONEY_VIEW, OK_)),
        ("POST", "/reports/number-list", admin(passes(MONEY_VIEW), Passes)),
        ("GET", "/reports/devices", admin(MONEY_VIEW, OK_)),
        ("POST", "/reports/devices", admin(passes(MONEY_VIEW), Passes)),
        // The company and the administrator's own account.
        // A company not granted (the form names none): not found.
        ("POST", "/company", admin([NF; 4], NF)),
        ("GET", "/company/admins", admin(FULL_ONLY, OK_)),
        ("POST", "/company/admins", admin(passes(FULL_ONLY), Passes)),
        ("POST", "/company/admins/{admin_id}/role", admin([NF, NO_, NO_, NO_], NF)),
        ("POST", "/company/admins/{admin_id}/remove", admin([NF, NO_, NO_, NO_], NF)),
        ("GET", "/account", admin(ANY_ROLE, OK_)),
        ("POST", "/account/password", admin(passes(ANY_ROLE), Passes)),
        ("POST", "/account/email", admin(passes(ANY_ROLE), Passes)),
        ("GET", "/account/email/{token}", all(Passes)),
        ("POST", "/account/sessions/end-others", admin(passes(ANY_ROLE), Passes)),
        ("POST", "/account/companies/{company_id}", admin([NF; 4], NF)),
        // Employee self-care: the employee's own pages; everybody else to its sign-in.
        ("GET", "/selfcare", [OK_, Redirect, OK_, OK_, OK_, OK_, OK_, OK_]),
        ("POST", "/selfcare", all(Passes)),
        ("GET", "/selfcare/number", [E, OK_, E, E, E, E, E, E]),
        ("GET", "/selfcare/usage", [E, OK_, E, E, E, E, E, E]),
        ("POST", "/selfcare/signout", all(E)),
        // Register and the operator console (operator staff only).
        ("GET", "/register", all(OK_)),
        ("POST", "/register", all(Passes)),
        ("GET", "/register/sent", all(OK_)),
        ("GET", "/operator", [P, P, P, P, P, P, P, OK_]),
        ("GET", "/operator/signin", [OK_, OK_, OK_, OK_, OK_, OK_, OK_, Redirect]),
        ("POST", "/operator/signin", all(Passes)),
        ("POST", "/operator/signout", all(P)),
        ("GET", "/operator/requests/{id}", [P, P, P, P, P, P, P, NF]),
        ("GET", "/operator/requests/{id}/letter", [P, P, P, P, P, P, P, NF]),
        ("POST", "/operator/requests/{id}/approve", [P, P, P, P, P, P, P, NF]),
        ("POST", "/operator/requests/{id}/reject", [P, P, P, P, P, P, P, NF]),
        // Language, developer pages (dev mode: loopback only, see deploy.rs), plumbing.
        ("GET", "/lang/{code}", all(Redirect)),
        ("GET", "/dev/outbox", all(OK_)),
        ("GET", "/dev/styleguide", all(OK_)),
        ("GET", "/assets/brand.css", all(OK_)),
        ("GET", "/assets/brand-logo", all(NF)),
        ("GET", "/assets/{*path}", all(OK_)),
        ("GET", "/healthz", all(OK_)),
        ("GET", "/readyz", all(OK_)),
        ("GET", "/metrics", all(OK_)),
    ]
}

fn meets(want: Want, page: &Page) -> bool {
    let status = page.status.as_u16();
    let to = page.location().unwrap_or("");
    // A sign-in page itself (with the page to come back to), not a step of a flow after it.
    let at = |p: &str| to == p || to.starts_with(&format!("{p}?"));
    let to_signin = status == 303 && ["/signin", "/selfcare", "/operator/signin"].into_iter().any(at);
    match want {
        Is(s) => status == s,
        SignIn(p) => status == 303 && at(p),
        Redirect => (300..400).contains(&status) && !to_signin,
        Passes => status < 500 && status != 403 && status != 404 && !to_signin,
    }
}

/// Every route of the application (router.rs) against every actor there is: signed out, an
/// employee in self-care, company A's administrators in each role, company B's
/// administrator (another company: its numbers are not found), and operator staff. Forms
/// are sent with the actor's own valid token (and a role, for the one form that needs a
/// field before its rules), so that only the server's rules decide.
#[tokio::test]
async fn every_route_answers_every_actor_as_the_table_says() {
    let app = spawn().await;
    let active = numbers_of_state(&app, BIN_A, NumberState::Active).await;
    let n = active.iter().find(|n| n.billing == BillingMethod::Advance).expect("an advance number").msisdn.to_string();
    // The employee: a number of A with self-care open, signed in with its code.
    let carol = app.signed_in(CAROL).await;
    let sim = cabinet_sim::Simulator::new(app.db.db.clone());
    let bin_a = Bin::parse(BIN_A).unwrap();
    let mut employee_number = None;
    for m in &active {
        use cabinet_core::operator::OperatorPort;
        let p = sim.number_profile(&bin_a, &m.msisdn).await.unwrap().unwrap();
        if !p.ban_selfcare && !p.ban_selfcare_details && m.msisdn.as_str() != n {
            employee_number = Some(m.msisdn.to_string());
            break;
        }
    }
    let en = employee_number.expect("a number with self-care open");
    let send = format!("/numbers/{en}/secret-code/send");
    carol.post_from(&send, &send, &[]).await;
    let sms = app.last_message_to(&en).await.unwrap().body;
    let code = sms.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 8).unwrap().to_string();
    let employee = app.browser();
    employee.post_from("/selfcare", "/selfcare", &[("phone", en.as_str()), ("code", code.as_str())]).await;
    let actors = [
        app.browser(),
        employee,
        carol,
        admin_with_role(&app, "77015551001", "operations").await,
        admin_with_role(&app, "77015551002", "accountant").await,
        admin_with_role(&app, "77015551003", "read_only").await,
        app.signed_in(BOB).await,
        crate::registration::staff_browser(&app, "aigerim").await,
    ];
    let segment = |route: &str, name: &str| -> String {
        match name {
            "msisdn" => n.clone(),
            "code" if route.starts_with("/lang/") => "en".into(),
            "code" => "voicemail".into(),
            "operation" => "block".into(),
            "kind" => "busy".into(),
            "action" => "send".into(),
            "switch" => "on".into(),
            "ban" => "ussd_control".into(),
            "path" => "app.js".into(),
            "file" => "act-none.pdf".into(),
            "company_id" | "admin_id" => "0123456789abcdef0123456789abcdef".into(),
            _ => "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
        }
    };
    let table = table();
    // The table and the router name the same routes.
    let mut declared: Vec<(String, &str)> = Vec::new();
    for r in crate::fuzz::routes() {
        if r.get {
            declared.push((r.path.clone(), "GET"));
        }
        if r.post {
            declared.push((r.path.clone(), "POST"));
        }
    }
    let missing: Vec<_> =
        declared.iter().filter(|(p, m)| !table.iter().any(|(tm, tp, _)| tm == m && tp == p)).collect();
    assert!(missing.is_empty(), "routes without a row in the table: {missing:?}");
    let stale: Vec<_> = table
        .iter()
        .filter(|(m, p, _)| !declared.iter().any(|(dp, dm)| dm == m && dp == p))
        .map(|r| (r.0, r.1))
        .collect();
    assert!(stale.is_empty(), "rows for routes the router does not have: {stale:?}");

    // Pages first, then forms; sign-outs last (they end the actors' sessions).
    let mut order: Vec<&(&str, &str, [Want; 8])> = table.iter().filter(|r| r.0 == "GET").collect();
    order.extend(table.iter().filter(|r| r.0 == "POST" && !r.1.ends_with("signout")));
    // The administrators' last: their form tokens belong to their sessions.
    order.extend(table.iter().filter(|r| r.0 == "POST" && r.1.ends_with("signout")).rev());
    let mut tokens = Vec::new();
    for b in &actors {
        tokens.push(b.get("/register").await.csrf());
    }
    let mut wrong = Vec::new();
    for (method, pattern, wants) in order {
        let path = crate::fuzz::fill(pattern, |name| segment(pattern, name));
        for (i, b) in actors.iter().enumerate() {
            let page = if *method == "GET" {
                b.get(&path).await
            } else {
                b.post(&path, &[("csrf", tokens[i].as_str()), ("role", "read_only")]).await
            };
            if !meets(wants[i], &page) {
                wrong.push(format!(
                    "{} {method} {path}: {} {}, want {:?}",
                    ACTORS[i],
                    page.status.as_u16(),
                    page.location().unwrap_or(""),
                    wants[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} answers differ:\n{}", wrong.len(), table.len() * 8, wrong.join("\n"));
}
