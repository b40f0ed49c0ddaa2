//! Employee self-care (SPEC §5): the number's user signs in with the number and the secret
//! code the administrator sent, sees that number only, never changes anything; the
//! company's bans and the code's replacement or deletion decide.

use crate::helpers::*;
use cabinet_core::operator::{NumberQuery, NumberState, OperatorPort};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

/// An Active number of company A with self-care and its usage details allowed.
async fn open_number(app: &TestApp, skip: usize) -> String {
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let mut found = Vec::new();
    for n in sim.list_numbers(&bin, &q).await.unwrap().items {
        let p = sim.number_profile(&bin, &n.msisdn).await.unwrap().unwrap();
        if n.state == NumberState::Active && !p.ban_selfcare && !p.ban_selfcare_details {
            found.push(n.msisdn.to_string());
        }
    }
    found.remove(skip)
}

async fn set_flag(app: &TestApp, column: &str, msisdn: &str, on: bool) {
    // `column` is one of this file's two literals.
    sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE sim_subscribers SET {column} = $1 WHERE msisdn = $2")))
        .bind(i16::from(on))
        .bind(msisdn)
        .execute(app.db.pool())
        .await
        .unwrap();
}

/// The administrator (Carol, company A) sends the number a secret code; returns it.
async fn send_code(app: &TestApp, admin: &Browser, n: &str) -> String {
    let confirm = admin.get(&format!("/numbers/{n}/secret-code/send")).await;
    admin.post(&format!("/numbers/{n}/secret-code/send"), &[("csrf", confirm.csrf().as_str())]).await;
    let sms = app.last_message_to(n).await.expect("an SMS to the number");
    assert!(sms.body.contains(&format!("http://{}/selfcare", app.addr)), "the SMS says where: {}", sms.body);
    sms.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 8).expect("an eight-digit code").to_string()
}

async fn employee_sign_in(b: &Browser, n: &str, code: &str) -> Page {
    b.post_from("/selfcare", "/selfcare", &[("phone", n), ("code", code)]).await
}

fn wrong(code: &str) -> String {
    let last = code.as_bytes()[7];
    format!("{}{}", &code[..7], if last == b'9' { '0' } else { (last + 1) as char })
}

#[tokio::test]
async fn an_employee_sees_their_number_and_its_usage_and_nothing_else() {
    let app = spawn().await;
    let admin = app.signed_in(CAROL).await;
    let n = open_number(&app, 0).await;
    let code = send_code(&app, &admin, &n).await;
    let pretty = Msisdn::parse(&n).unwrap().pretty();

    let employee = app.browser();
    let form = employee.get("/selfcare").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Secret code"));
    let bad = employee_sign_in(&employee, &n, &wrong(&code)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Wrong number or secret code."));
    let unknown = employee_sign_in(&employee, "77019998877", &code).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown number looks like a wrong code");
    assert!(unknown.body.contains("Wrong number or secret code."));
    let malformed = employee_sign_in(&employee, "+7700111235", &code).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);

    employee_sign_in(&employee, &n, &format!("{} {}", &code[..4], &code[4..]))
        .await
        .assert_redirect("/selfcare/number");
    employee.get("/selfcare").await.assert_redirect("/selfcare/number");
    let page = employee.get("/selfcare/number").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&pretty), "the number");
    assert!(page.body.contains("id=\"remaining\""), "its balance");
    assert!(page.body.contains("href=\"/selfcare/usage\""));
    assert!(!page.body.contains("href=\"/numbers"), "no way into the administrators' pages");
    assert!(!page.body.contains("/services/") && !page.body.contains("/bans/"), "no switch of any kind");
    assert!(page.body.contains("action=\"/selfcare/signout\""));
    let usage = employee.get("/selfcare/usage").await;
    assert_eq!(usage.status, StatusCode::OK);
    assert!(usage.body.contains("Usage details") && usage.body.contains(&pretty));
    assert!(!usage.body.contains("usage.xlsx"), "on screen only");
    let period = employee.get("/selfcare/usage?from=01-01-2020&to=02-01-2020").await;
    assert_eq!(period.status, StatusCode::UNPROCESSABLE_ENTITY, "the same period rules");

    // The employee's cookie is not an administrator's: every page of the company is closed.
    for path in ["/numbers", &format!("/numbers/{n}"), &format!("/numbers/{n}/usage"), "/reports/actions", "/account"] {
        let res = employee.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.location().unwrap().starts_with("/signin"), "{path}");
    }
    let csrf = page.csrf();
    let change = employee.post(&format!("/numbers/{n}/block"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(change.status, StatusCode::SEE_OTHER);
    assert!(change.location().unwrap().starts_with("/signin"));

    employee.post("/selfcare/signout", &[("csrf", csrf.as_str())]).await.assert_redirect("/selfcare");
    employee.get("/selfcare/number").await.assert_redirect("/selfcare");
    employee.get("/selfcare/usage").await.assert_redirect("/selfcare");
}

#[tokio::test]
async fn a_replaced_or_deleted_code_ends_the_employees_sessions_at_once() {
    let app = spawn().await;
    let admin = app.signed_in(CAROL).await;
    let n = open_number(&app, 1).await;
    let first = send_code(&app, &admin, &n).await;
    let phone = app.browser();
    let laptop = app.browser();
    for b in [&phone, &laptop] {
        employee_sign_in(b, &n, &first).await.assert_redirect("/selfcare/number");
    }
    let second = send_code(&app, &admin, &n).await;
    for b in [&phone, &laptop] {
        b.get("/selfcare/number").await.assert_redirect("/selfcare");
    }
    assert_eq!(employee_sign_in(&phone, &n, &first).await.status, StatusCode::UNPROCESSABLE_ENTITY, "the old code");
    employee_sign_in(&phone, &n, &second).await.assert_redirect("/selfcare/number");

    let confirm = admin.get(&format!("/numbers/{n}/secret-code/delete")).await;
    admin.post(&format!("/numbers/{n}/secret-code/delete"), &[("csrf", confirm.csrf().as_str())]).await;
    phone.get("/selfcare/number").await.assert_redirect("/selfcare");
    assert_eq!(employee_sign_in(&phone, &n, &second).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_companys_bans_refuse_the_sign_in_and_hide_the_usage_details() {
    let app = spawn().await;
    let admin = app.signed_in(CAROL).await;
    let n = open_number(&app, 2).await;
    let code = send_code(&app, &admin, &n).await;
    let employee = app.browser();

    set_flag(&app, "ban_selfcare", &n, true).await;
    let barred = employee_sign_in(&employee, &n, &code).await;
    assert_eq!(barred.status, StatusCode::FORBIDDEN);
    assert!(barred.body.contains("barred self-care access"));
    set_flag(&app, "ban_selfcare", &n, false).await;
    employee_sign_in(&employee, &n, &code).await.assert_redirect("/selfcare/number");

    set_flag(&app, "ban_selfcare_details", &n, true).await;
    let page = employee.get("/selfcare/number").await;
    assert!(!page.body.contains("href=\"/selfcare/usage\""));
    assert!(page.body.contains("barred usage details"));
    let usage = employee.get("/selfcare/usage").await;
    assert_eq!(usage.status, StatusCode::FORBIDDEN);
    assert!(usage.body.contains("barred usage details"));

    // Barred while signed in: the next page ends the session and says why, once.
    set_flag(&app, "ban_selfcare", &n, true).await;
    employee.get("/selfcare/number").await.assert_redirect("/selfcare");
    let signin = employee.get("/selfcare").await;
    assert!(signin.body.contains("barred self-care access"));
    assert!(!employee.get("/selfcare").await.body.contains("barred self-care access"), "said once");
    set_flag(&app, "ban_selfcare", &n, false).await;
    employee.get("/selfcare/number").await.assert_redirect("/selfcare");
}

#[tokio::test]
async fn wrong_codes_lock_the_number_for_a_while_and_not_another() {
    let app = spawn().await;
    let admin = app.signed_in(CAROL).await;
    let n = open_number(&app, 3).await;
    let other = open_number(&app, 4).await;
    let code = send_code(&app, &admin, &n).await;
    let other_code = send_code(&app, &admin, &other).await;
    let guesser = app.browser();
    for _ in 0..5 {
        assert_eq!(employee_sign_in(&guesser, &n, &wrong(&code)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = employee_sign_in(&guesser, &n, &code).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "even the right code, while locked");
    assert!(locked.body.contains("Too many wrong codes. Please try again after"));
    let owner = app.browser();
    assert_eq!(employee_sign_in(&owner, &n, &code).await.status, StatusCode::TOO_MANY_REQUESTS, "the number is locked");
    employee_sign_in(&owner, &other, &other_code).await.assert_redirect("/selfcare/number");
}

/// Guesses sent at once on one number: at most five are checked, the rest refused (a
/// read-then-write counter would let them all through on PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_guesses_at_once_check_at_most_five() {
    let app = spawn().await;
    let admin = app.signed_in(CAROL).await;
    let n = open_number(&app, 5).await;
    let code = send_code(&app, &admin, &n).await;
    let guesser = app.browser();
    let csrf = guesser.get("/selfcare").await.csrf();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..20u8 {
        let (client, url) = (guesser.client.clone(), format!("{}/selfcare", guesser.base));
        let guess = if i == 19 { code.clone() } else { wrong(&code) };
        let form = [("csrf", csrf.clone()), ("phone", n.clone()), ("code", guess)];
        set.spawn(async move { client.post(url).form(&form).send().await.unwrap().status() });
    }
    let statuses = set.join_all().await;
    let checked = statuses.iter().filter(|s| **s != StatusCode::TOO_MANY_REQUESTS).count();
    assert!(checked <= 6, "at most five wrong guesses (and the right one) checked: {statuses:?}");
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
}
