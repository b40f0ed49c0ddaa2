//! Block and unblock from the profile and the list's menu: confirmation, Processing, the
//! outcome, the actions history, and the server's refusals.

use crate::helpers::*;
use cabinet_core::operator::{NumberQuery, NumberState, NumberSummary, OperatorPort};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::Simulator;
use reqwest::StatusCode;
use std::time::Duration;

async fn numbers_in(app: &TestApp, bin: &str, state: NumberState) -> Vec<NumberSummary> {
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let all = sim.list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items;
    all.into_iter().filter(|n| n.state == state).collect()
}

async fn state_of(app: &TestApp, bin: &str, n: &str) -> NumberState {
    let sim = Simulator::new(app.db.db.clone());
    sim.number_profile(&Bin::parse(bin).unwrap(), &Msisdn::parse(n).unwrap()).await.unwrap().unwrap().summary.state
}

/// Waits (up to 10 s) until the number reaches `state`.
async fn wait_for(app: &TestApp, bin: &str, n: &str, state: NumberState) {
    for _ in 0..200 {
        if state_of(app, bin, n).await == state {
            return settle(app).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{n} never became {state:?}");
}

#[tokio::test]
async fn block_and_unblock_from_the_profile_are_confirmed_carried_out_and_recorded() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();

    let profile = b.get(&format!("/numbers/{n}")).await;
    assert!(profile.body.contains(&format!("href=\"/numbers/{n}/block\"")), "a Block button on an active number");
    assert!(!profile.body.contains(&format!("href=\"/numbers/{n}/unblock\"")));
    let confirm = b.get(&format!("/numbers/{n}/block")).await;
    assert!(confirm.body.contains("Are you sure you want to block this number?"));
    let done = b.post(&format!("/numbers/{n}/block"), &[("csrf", confirm.csrf().as_str())]).await;
    done.assert_redirect(&format!("/numbers/{n}"));
    wait_for(&app, BIN_A, &n, NumberState::Blocked).await;

    let after = b.get(&format!("/numbers/{n}")).await;
    assert!(after.body.contains("The number is blocked"), "{}", after.body);
    assert!(after.body.contains(&format!("href=\"/numbers/{n}/unblock\"")), "now an Unblock button");

    let confirm = b.get(&format!("/numbers/{n}/unblock")).await;
    b.post(&format!("/numbers/{n}/unblock"), &[("csrf", confirm.csrf().as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    wait_for(&app, BIN_A, &n, NumberState::Active).await;

    let history = b.get("/reports/actions").await;
    assert!(history.body.contains(&format!("Block number {n}")), "{}", history.body);
    assert!(history.body.contains(&format!("Unblock number {n}")));
    assert!(history.body.contains("Carol Clark 77071234567"), "who did it");
    assert_eq!(history.body.matches(">Success<").count(), 2);
    let unblock_at = history.body.find(&format!("Unblock number {n}")).unwrap();
    assert!(unblock_at < history.body.find(&format!(">Block number {n}")).unwrap(), "newest first");
}

#[tokio::test]
async fn a_slow_network_shows_processing_until_it_answers() {
    let app = spawn_with(Options { sim_delay_ms: 800, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();
    let csrf = b.get(&format!("/numbers/{n}/block")).await.csrf();
    b.post(&format!("/numbers/{n}/block"), &[("csrf", csrf.as_str())]).await;
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(page.body.contains("id=\"number-state\">Processing<"), "{}", page.body);
    assert!(page.body.contains(&format!("hx-get=\"/numbers/{n}/head\"")), "the head polls itself");
    let again = b.post(&format!("/numbers/{n}/block"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a second change while processing is refused");
    assert!(again.body.contains("still being processed"));
    wait_for(&app, BIN_A, &n, NumberState::Blocked).await;
    let head = b.get(&format!("/numbers/{n}/head")).await;
    assert!(head.body.contains(">Blocked<") && !head.body.contains("hx-trigger"), "{}", head.body);
}

#[tokio::test]
async fn a_number_blocked_for_debt_cannot_be_unblocked_and_the_refusal_is_recorded() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let Some(debt) = numbers_in(&app, BIN_A, NumberState::BlockedDebt).await.into_iter().next() else {
        panic!("the seed has no number blocked for debt");
    };
    let n = debt.msisdn.to_string();
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(!page.body.contains(&format!("/numbers/{n}/unblock")), "no Unblock button");
    assert!(page.body.contains("blocked for unpaid charges"));
    let csrf = page.csrf();
    let refused = b.post(&format!("/numbers/{n}/unblock"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("cannot be unblocked by the administrator"), "{}", refused.body);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state_of(&app, BIN_A, &n).await, NumberState::BlockedDebt, "nothing changed");
    let history = b.get("/reports/actions").await;
    assert!(history.body.contains(&format!("Unblock number {n}")), "{}", history.body);
    assert!(history.body.contains(">Failure<"));
    let (jobs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'operation'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(jobs, 0, "nothing was sent to the operator");
}

#[tokio::test]
async fn another_companys_number_cannot_be_touched() {
    let app = spawn().await;
    let bob = app.signed_in(BOB).await;
    let theirs = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();
    let csrf = bob.get("/numbers").await.csrf();
    assert_eq!(bob.get(&format!("/numbers/{theirs}/block")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.post(&format!("/numbers/{theirs}/block"), &[("csrf", csrf.as_str())]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.get(&format!("/numbers/{theirs}/head")).await.status, StatusCode::NOT_FOUND);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state_of(&app, BIN_A, &theirs).await, NumberState::Active);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM actions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(n, 0, "no trace in anybody's history");
    // Nor without the form token, nor an unknown operation.
    let carol = app.signed_in(CAROL).await;
    assert_eq!(carol.post(&format!("/numbers/{theirs}/block"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(carol.get(&format!("/numbers/{theirs}/explode")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_menu_offers_the_operations_that_fit_each_number() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let page = b.get("/numbers").await;
    for n in numbers_on(&page) {
        let state = state_of(&app, BIN_A, &n).await;
        assert_eq!(page.body.contains(&format!("href=\"/numbers/{n}/block\"")), state == NumberState::Active, "{n}");
        assert_eq!(page.body.contains(&format!("href=\"/numbers/{n}/unblock\"")), state == NumberState::Blocked, "{n}");
        assert_eq!(page.body.contains(&format!("href=\"/numbers/{n}/sim\"")), state == NumberState::Active, "{n}");
        assert!(page.body.contains(&format!("href=\"/numbers/{n}/imei\"")), "{n}");
        assert!(page.body.contains(&format!("href=\"/numbers/{n}/forwarding\"")), "{n}");
    }
}

#[tokio::test]
async fn the_history_checks_its_period() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let bad = b.get("/reports/actions?from=31-02-2025&to=01-03-2025").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("dd-mm-yyyy"));
    let reversed = b.get("/reports/actions?from=10-03-2025&to=01-03-2025").await;
    assert!(reversed.body.contains("after its end"));
    let old = b.get("/reports/actions?from=01-01-2020&to=31-12-2020").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("0 actions"));
}

#[tokio::test]
async fn services_are_switched_from_the_profile_with_confirmation() {
    use cabinet_core::operator::ServiceStatus;
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn;
    let p = sim.number_profile(&bin, &n).await.unwrap().unwrap();
    let svc = p.services.iter().find(|s| s.status == ServiceStatus::Available && s.family.is_none()).unwrap().clone();
    let on_path = format!("/numbers/{n}/services/{}/on", svc.code);

    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(
        page.body.contains(&format!("href=\"{on_path}\"")),
        "an available service's switch leads to its confirmation"
    );
    let confirm = b.get(&on_path).await;
    let question = format!("Are you sure you want to connect the package \"{}\"?", svc.name.en);
    assert!(confirm.body.contains(&escaped(&question)), "{}", confirm.body);
    b.post(&on_path, &[("csrf", confirm.csrf().as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}#svc-{}", svc.code));
    for _ in 0..200 {
        let p = sim.number_profile(&bin, &n).await.unwrap().unwrap();
        if p.services.iter().any(|s| s.code == svc.code && s.status == ServiceStatus::Active) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    let p = sim.number_profile(&bin, &n).await.unwrap().unwrap();
    assert_eq!(p.services.iter().find(|s| s.code == svc.code).unwrap().status, ServiceStatus::Active);
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(page.body.contains(&format!("/numbers/{n}/services/{}/off", svc.code)), "now it can be disabled");
    let history = b.get("/reports/actions").await;
    let action = format!("Service activation \"{}\" on number {n}", svc.name.en);
    assert!(history.body.contains(&escaped(&action)), "{}", history.body);

    // Connecting it again is refused by the server, with the reason, and recorded.
    let again = b.post(&on_path, &[("csrf", confirm.csrf().as_str())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already connected"));
    // A blocked number's services cannot be changed.
    let blocked = numbers_in(&app, BIN_A, NumberState::Blocked).await.remove(0).msisdn;
    let refused =
        b.post(&format!("/numbers/{blocked}/services/{}/on", svc.code), &[("csrf", confirm.csrf().as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("only for numbers in the Active status"));
    let bad = b.get(&format!("/numbers/{n}/services/{}/sideways", svc.code)).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bans_are_switched_under_additional_services() {
    use cabinet_core::operator::Ban;
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(1).msisdn;
    let was = Ban::UssdControl.is_set(&sim.number_profile(&bin, &n).await.unwrap().unwrap());
    let path = format!("/numbers/{n}/bans/ussd_control/{}", if was { "off" } else { "on" });
    let page = b.get(&format!("/numbers/{n}")).await;
    let services_at = page.body.find("id=\"services-h\"").unwrap();
    let additional_at = page.body[services_at..].find("Additional services").unwrap() + services_at;
    let switch_at = page.body.find(&format!("href=\"{path}\"")).expect("a switch for the ban");
    assert!(switch_at > additional_at, "the ban's switch is under Additional services");
    let general = &page.body[page.body.find("id=\"general-h\"").unwrap()..services_at];
    assert!(!general.contains("/bans/"), "General information shows the bans' state only");
    assert!(general.contains(&format!("id=\"ban-ussd_control\">{}<", if was { "Enabled" } else { "Disabled" })));
    let confirm = b.get(&path).await;
    assert!(confirm.body.contains("Ban on SMS / USSD control"));
    b.post(&path, &[("csrf", confirm.csrf().as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}#ban-switch-ussd_control"));
    for _ in 0..200 {
        if Ban::UssdControl.is_set(&sim.number_profile(&bin, &n).await.unwrap().unwrap()) != was {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert_eq!(Ban::UssdControl.is_set(&sim.number_profile(&bin, &n).await.unwrap().unwrap()), !was);
    let history = b.get("/reports/actions").await;
    assert!(history.body.contains("Ban on SMS / USSD control"), "{}", history.body);
    assert_eq!(b.get(&format!("/numbers/{n}/bans/everything/on")).await.status, StatusCode::NOT_FOUND);
}

fn fresh_iccid(tail: &str) -> String {
    let body = format!("8999702{tail:0>12}");
    format!("{body}{}", cabinet_core::ids::luhn_check_digit(&body))
}

#[tokio::test]
async fn a_sim_card_is_replaced_after_its_number_is_checked_and_confirmed() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(2).msisdn;
    let before = sim.number_profile(&bin, &n).await.unwrap().unwrap();

    let form = b.get(&format!("/numbers/{n}/sim")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let bad = b
        .post(&format!("/numbers/{n}/sim/confirm"), &[("csrf", csrf.as_str()), ("iccid", "8999702200121068521")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "a wrong check digit");
    assert!(bad.body.contains("The last (check) digit does not match"));
    let bad = b.post(&format!("/numbers/{n}/sim"), &[("csrf", csrf.as_str()), ("iccid", "12345")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "checked again on the final step");

    let iccid = fresh_iccid("777000111");
    let confirm =
        b.post(&format!("/numbers/{n}/sim/confirm"), &[("csrf", csrf.as_str()), ("iccid", iccid.as_str())]).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains(&format!("to the SIM card {iccid}?")));
    b.post(&format!("/numbers/{n}/sim"), &[("csrf", csrf.as_str()), ("iccid", iccid.as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    for _ in 0..200 {
        if sim.number_profile(&bin, &n).await.unwrap().unwrap().iccid == iccid {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    let after = sim.number_profile(&bin, &n).await.unwrap().unwrap();
    assert_eq!(after.iccid, iccid);
    assert!(
        after.sim_replaced_ms.is_some() && after.sim_replaced_ms != before.sim_replaced_ms,
        "a new replacement date"
    );
    assert_ne!(
        (after.puk1.clone(), after.puk2.clone()),
        (before.puk1.clone(), before.puk2.clone()),
        "the new card's codes"
    );
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(page.body.contains(&iccid));
    assert!(b.get("/reports/actions").await.body.contains(&format!("SIM replacement on number {n}")));

    // Another number's card is refused by the network; the action says why.
    let other = numbers_in(&app, BIN_A, NumberState::Active).await.remove(3).msisdn;
    let taken = sim.number_profile(&bin, &other).await.unwrap().unwrap().iccid;
    b.post(&format!("/numbers/{n}/sim"), &[("csrf", csrf.as_str()), ("iccid", taken.as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    for _ in 0..200 {
        if b.get("/reports/actions").await.body.contains("in use on another number") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert!(b.get("/reports/actions").await.body.contains("this SIM card is in use on another number"));
    assert_eq!(sim.number_profile(&bin, &n).await.unwrap().unwrap().iccid, iccid, "unchanged");

    // Only Active numbers.
    let blocked = numbers_in(&app, BIN_A, NumberState::Blocked).await.remove(0).msisdn;
    let refused = b
        .post(&format!("/numbers/{blocked}/sim"), &[("csrf", csrf.as_str()), ("iccid", fresh_iccid("5").as_str())])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("only for numbers in the Active status"));
}

#[tokio::test]
async fn a_secret_code_is_sent_to_the_number_by_sms_and_deleted() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(4).msisdn.to_string();
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(page.body.contains("id=\"secret-code\">Not set"));
    let confirm = b.get(&format!("/numbers/{n}/secret-code/send")).await;
    assert!(confirm.body.contains("never change services"));
    b.post(&format!("/numbers/{n}/secret-code/send"), &[("csrf", confirm.csrf().as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    let sms = app.last_message_to(&n).await.expect("an SMS to the number");
    assert_eq!(sms.channel, "sms");
    let code =
        sms.body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 8).expect("an eight-digit code").to_string();
    let company = cabinet_store::companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let secret = cabinet_store::settings::server_secret(&app.db).await.unwrap();
    assert!(cabinet_store::secret_codes::matches(&app.db, &secret, &company.id, &n, &code).await.unwrap());
    assert!(b.get(&format!("/numbers/{n}")).await.body.contains("id=\"secret-code\">Sent "));

    let del = b.get(&format!("/numbers/{n}/secret-code/delete")).await;
    b.post(&format!("/numbers/{n}/secret-code/delete"), &[("csrf", del.csrf().as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    assert!(!cabinet_store::secret_codes::matches(&app.db, &secret, &company.id, &n, &code).await.unwrap());
    let again = b.post(&format!("/numbers/{n}/secret-code/delete"), &[("csrf", del.csrf().as_str())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let history = b.get("/reports/actions").await;
    assert!(history.body.contains(&format!("Sending a secret code to number {n}")));
    assert!(history.body.contains(&format!("Deleting the secret code of number {n}")));

    let blocked = numbers_in(&app, BIN_A, NumberState::Blocked).await.remove(0).msisdn.to_string();
    let refused = b.post(&format!("/numbers/{blocked}/secret-code/send"), &[("csrf", del.csrf().as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.last_message_to(&blocked).await.is_none(), "no SMS to a blocked number");
    let bob = app.signed_in(BOB).await;
    let csrf = bob.get("/numbers").await.csrf();
    assert_eq!(
        bob.post(&format!("/numbers/{n}/secret-code/send"), &[("csrf", csrf.as_str())]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn call_forwarding_rules_are_added_listed_and_removed() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(5).msisdn.to_string();
    let page = b.get(&format!("/numbers/{n}/forwarding")).await;
    assert!(page.body.contains("No call forwarding is set."));
    let csrf = page.csrf();
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
        form.extend(fields);
        let b = &b;
        let path = format!("/numbers/{n}/forwarding");
        async move {
            let res = b.client.post(format!("{}{path}", b.base)).form(&form).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    // Bad input is refused with the reason and changes nothing.
    let (status, body) =
        post(vec![("kind", "busy".into()), ("direction", "number".into()), ("number", "12345".into())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("The number is too short"));
    let (status, _) =
        post(vec![("kind", "".into()), ("direction", "service".into()), ("service", "voicemail".into())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) =
        post(vec![("kind", "busy".into()), ("direction", "service".into()), ("service", "missed_calls_2050".into())])
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for _ in 0..200 {
        if !sim.number_profile(&bin, &Msisdn::parse(&n).unwrap()).await.unwrap().unwrap().forwardings.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    let page = b.get(&format!("/numbers/{n}/forwarding")).await;
    assert!(page.body.contains("When busy"));
    assert!(page.body.contains("Missed call notification 2050"));
    assert_eq!(
        notice_in(&page.body).unwrap(),
        "Forwarding when busy to the service «Missed call notification 2050» is set"
    );

    // Unconditional forwarding conflicts with the busy rule: refused, with the reason.
    let (status, body) = post(vec![
        ("kind", "unconditional".into()),
        ("direction", "number".into()),
        ("number", "+7 701 999 88 77".into()),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("exclude each other"), "{body}");

    let confirm = b.get(&format!("/numbers/{n}/forwarding/busy/remove")).await;
    assert!(confirm.body.contains("remove the forwarding"));
    b.post(&format!("/numbers/{n}/forwarding/busy/remove"), &[("csrf", csrf.as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}/forwarding"));
    for _ in 0..200 {
        if sim.number_profile(&bin, &Msisdn::parse(&n).unwrap()).await.unwrap().unwrap().forwardings.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert!(b.get(&format!("/numbers/{n}/forwarding")).await.body.contains("No call forwarding is set."));
    let history = b.get("/reports/actions").await;
    assert!(
        history.body.contains(&escaped(&format!("Call forwarding \"When busy\" on number {n}"))),
        "{}",
        history.body
    );
    assert!(history.body.contains(&escaped(&format!("Removing call forwarding \"When busy\" on number {n}"))));
}

#[tokio::test]
async fn the_actions_history_downloads_as_a_spreadsheet() {
    use calamine::{Reader, Xlsx};
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let debt = numbers_in(&app, BIN_A, NumberState::BlockedDebt).await.remove(0).msisdn.to_string();
    let csrf = b.get("/numbers").await.csrf();
    b.post(&format!("/numbers/{debt}/unblock"), &[("csrf", csrf.as_str())]).await;
    let page = b.get("/reports/actions").await;
    let href = page
        .body
        .split("id=\"history-xlsx\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let res = b.client.get(format!("{}{href}", b.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert!(cell(1, 0).starts_with("Data as of"));
    assert_eq!(
        (cell(3, 0), cell(3, 1), cell(3, 2), cell(3, 3)),
        ("Action".into(), "Status".into(), "Date and time".into(), "Administrator".into())
    );
    assert_eq!(cell(4, 0), format!("Unblock number {debt}"));
    assert!(cell(4, 1).starts_with("Failure (a number blocked for debt"), "{}", cell(4, 1));
    assert_eq!(cell(4, 3), "Carol Clark 77071234567");
    let bad = b.get("/reports/actions.xlsx?from=99-99-2025&to=01-01-2025").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

/// Reads the QR code in a PNG, as a phone's camera would.
fn scan_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn an_esim_is_issued_as_a_scannable_qr_code_and_the_number_moves_to_it() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(6).msisdn;
    let page = b.get(&format!("/numbers/{n}/esim?os=android")).await;
    assert!(page.body.contains("SIM manager"), "Android's steps");
    assert!(page.body.contains("valid for 1 day"));
    let csrf = page.csrf();
    b.post(&format!("/numbers/{n}/esim/issue"), &[("csrf", csrf.as_str()), ("os", "ios")])
        .await
        .assert_redirect(&format!("/numbers/{n}/esim?os=ios"));
    let page = b.get(&format!("/numbers/{n}/esim?os=ios")).await;
    assert!(page.body.contains("id=\"esim-qr\""));
    let res = b.client.get(format!("{}/numbers/{n}/esim/qr.png", b.base)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/png");
    let scanned = scan_qr(&res.bytes().await.unwrap());
    let activation = sim.number_profile(&bin, &n).await.unwrap().unwrap().esim_activation.unwrap();
    assert_eq!(scanned, activation.lpa, "the QR carries the activation code");
    assert!(scanned.starts_with("LPA:1$"));

    let untick = b.post(&format!("/numbers/{n}/esim/ready"), &[("csrf", csrf.as_str()), ("os", "ios")]).await;
    assert_eq!(untick.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(untick.body.contains("Tick"));
    let confirm =
        b.post(&format!("/numbers/{n}/esim/ready"), &[("csrf", csrf.as_str()), ("os", "ios"), ("sure", "yes")]).await;
    assert!(confirm.body.contains("Are you sure the settings have been done on your phone?"));
    b.post(&format!("/numbers/{n}/esim/change"), &[("csrf", csrf.as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    for _ in 0..200 {
        if sim.number_profile(&bin, &n).await.unwrap().unwrap().esim {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    let profile = b.get(&format!("/numbers/{n}")).await;
    assert!(profile.body.contains("Done! You have successfully replaced the eSIM."), "{}", profile.body);
    assert!(profile.body.contains("id=\"esim\">Yes"));
    let history = b.get("/reports/actions").await;
    assert!(
        history.body.contains(&format!("eSIM issue for number {n}"))
            && history.body.contains(&format!("eSIM replacement on number {n}"))
    );

    // Not for a blocked number, with the manual's reason; no QR then.
    let blocked = numbers_in(&app, BIN_A, NumberState::Blocked).await.remove(0).msisdn;
    let refused = b.post(&format!("/numbers/{blocked}/esim/issue"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("only for numbers in the Active status"));
    assert_eq!(b.get(&format!("/numbers/{blocked}/esim/qr.png")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn devices_are_registered_from_the_imei_page_with_a_request_history() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(7).msisdn;
    let page = b.get(&format!("/numbers/{n}/imei")).await;
    assert_eq!(page.status, StatusCode::OK);
    let last = sim.number_profile(&bin, &n).await.unwrap().unwrap().last_imei;
    if let Some(i) = &last {
        assert!(page.body.contains(&format!("id=\"imei-last\">{i}<")));
    }
    let csrf = page.csrf();
    let post = |fields: &[(&str, &str)]| {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let b = &b;
        let path = format!("/numbers/{n}/imei");
        async move { b.client.post(format!("{}{path}", b.base)).form(&form).send().await.unwrap() }
    };
    let bad = post(&[("action", "register"), ("imei", "123")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("14 digits"));
    let no_terms = post(&[("action", "duplicate"), ("imei", "35367807650001")]).await;
    assert_eq!(no_terms.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let imei = "35367807650001";
    assert_eq!(
        post(&[("action", "duplicate"), ("imei", imei), ("terms", "yes")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let registered =
        || async { sim.number_profile(&bin, &n).await.unwrap().unwrap().registered_imeis.contains(&imei.to_string()) };
    for _ in 0..200 {
        if registered().await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert!(registered().await);
    let page = b.get(&format!("/numbers/{n}/imei")).await;
    assert!(page.body.contains("Duplicate registered successfully"), "{}", page.body);
    let sms = app.last_message_to(n.as_str()).await.expect("the result by SMS to the number");
    assert!(sms.body.contains(imei) && sms.body.contains("has been carried out"), "{}", sms.body);
    let again = post(&[("action", "register"), ("imei", imei)]).await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "already registered with this number: refused at once"
    );

    assert_eq!(post(&[("action", "remove"), ("imei", imei)]).await.status(), StatusCode::SEE_OTHER);
    for _ in 0..200 {
        if !registered().await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert!(!registered().await);
    assert!(b.get(&format!("/numbers/{n}/imei")).await.body.contains("Registration removed"));

    // A re-registration naming the wrong previous owner fails, and says why.
    let rr = post(&[
        ("action", "reregister"),
        ("imei", "35367807650002"),
        ("prev_msisdn", "77071112233"),
        ("prev_owner", "940740000015"),
        ("terms", "yes"),
    ])
    .await;
    assert_eq!(rr.status(), StatusCode::SEE_OTHER);
    for _ in 0..200 {
        if b.get(&format!("/numbers/{n}/imei")).await.body.contains("does not match the registration") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&app).await;
    assert!(b.get(&format!("/numbers/{n}/imei")).await.body.contains("Failed: the previous owner"));
    let sms = app.last_message_to(n.as_str()).await.unwrap();
    assert!(sms.body.contains("35367807650002") && sms.body.contains("was not carried out"), "{}", sms.body);
    let history = b.get("/reports/actions").await.body;
    assert!(history.contains(&format!("Duplicate device registration {n} (IMEI {imei})")), "{history}");

    let bob = app.signed_in(BOB).await;
    assert_eq!(bob.get(&format!("/numbers/{n}/imei")).await.status, StatusCode::NOT_FOUND);
}

/// The text of the profile's (or page's) one-time notice, if one is shown.
fn notice_in(body: &str) -> Option<String> {
    let start = body.find("id=\"op-notice\"")?;
    let text = &body[start..];
    let open = text.find('>')? + 1;
    let close = text[open..].find('<')? + open;
    Some(text[open..close].to_string())
}

#[tokio::test]
async fn controls_that_would_be_refused_are_shown_disabled_with_the_reason() {
    let app = spawn_with(Options { worker: false, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    for (state, why) in
        [(NumberState::Blocked, "The number is blocked"), (NumberState::BlockedDebt, "The number is blocked for debt")]
    {
        let n = numbers_in(&app, BIN_A, state).await.remove(0).msisdn.to_string();
        let page = b.get(&format!("/numbers/{n}")).await;
        assert!(!page.body.contains(&format!("href=\"/numbers/{n}/services/")), "{n}: no service switch leads on");
        assert!(page.body.contains("class=\"toggle disabled\" aria-disabled=\"true\""), "{n}");
        let marker = "id=\"services-why\">";
        let said = &page.body[page.body.find(marker).expect("the reason, once") + marker.len()..];
        assert!(said.starts_with(why), "{n}: {why}");
        assert!(page.body.contains(" services-why\">"), "{n}: each disabled switch is described by it");
        assert!(!page.body.contains(&format!("href=\"/numbers/{n}/sim\"")), "{n}: no SIM replacement");
        assert!(!page.body.contains(&format!("href=\"/numbers/{n}/secret-code/send\"")), "{n}: no secret code");
        assert!(page.body.contains(&format!("href=\"/numbers/{n}/bans/")), "{n}: bans still change when blocked");
        // The server refuses all the same, and a confirmation asked for directly says why.
        let confirm = b.get(&format!("/numbers/{n}/services/voicemail/on")).await;
        assert!(!confirm.body.contains("id=\"confirm\""), "{n}: nothing to confirm");
        assert!(confirm.body.contains("only for numbers in the Active status"), "{}", confirm.body);
    }
    // While a request waits for the operator, nothing else can be asked of the number.
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();
    let csrf = b.get(&format!("/numbers/{n}/block")).await.csrf();
    b.post(&format!("/numbers/{n}/block"), &[("csrf", csrf.as_str())]).await;
    let page = b.get(&format!("/numbers/{n}")).await;
    assert!(page.body.contains("A change to this number is being processed"), "{}", page.body);
    assert!(!page.body.contains(&format!("href=\"/numbers/{n}/services/")));
    assert!(!page.body.contains(&format!("href=\"/numbers/{n}/bans/")));
    let refused = b.post(&format!("/numbers/{n}/bans/hidden_caller_id/on"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "the server refuses too");
}

#[tokio::test]
async fn feedback_names_the_change_shows_once_and_returns_to_where_the_user_acted() {
    use cabinet_core::operator::ServiceStatus;
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(8).msisdn;
    let p = sim.number_profile(&bin, &n).await.unwrap().unwrap();
    let svc = p.services.iter().find(|s| s.status == ServiceStatus::Available && s.family.is_none()).unwrap().clone();

    // A service: back at its switch, «name» is on, once.
    let on = format!("/numbers/{n}/services/{}/on", svc.code);
    let csrf = b.get(&on).await.csrf();
    b.post(&on, &[("csrf", csrf.as_str())]).await.assert_redirect(&format!("/numbers/{n}#svc-{}", svc.code));
    settle(&app).await;
    let page = b.get(&format!("/numbers/{n}")).await;
    let said = notice_in(&page.body).expect("a notice");
    assert_eq!(said, escaped(&format!("«{}» is on", svc.name.en)));
    let li = &page.body[page.body.find(&format!("id=\"svc-{}\"", svc.code)).unwrap()..];
    assert!(li[..li.find("</li>").unwrap()].contains("id=\"op-notice\""), "shown at the switch");
    assert!(!page.body.contains("Status has been successfully changed"));
    assert_eq!(notice_in(&b.get(&format!("/numbers/{n}")).await.body), None, "a reload does not show it again");

    // A failure names what failed and why.
    let again = b.post(&on, &[("csrf", csrf.as_str())]).await;
    assert_eq!(
        notice_in(&again.body).unwrap(),
        escaped(&format!("«{}» was not switched on: the service is already connected", svc.name.en))
    );

    // Forwarding: back on the forwarding page, where the rule is listed.
    let fwd = format!("/numbers/{n}/forwarding");
    b.post(
        &fwd,
        &[("csrf", csrf.as_str()), ("kind", "unconditional"), ("direction", "number"), ("number", "77019998877")],
    )
    .await
    .assert_redirect(&fwd);
    settle(&app).await;
    let page = b.get(&fwd).await;
    assert_eq!(notice_in(&page.body).unwrap(), "Forwarding of all calls to +7 701 999 88 77 is set");
    assert!(page.body.contains("Unconditional"));
    assert_eq!(notice_in(&b.get(&fwd).await.body), None);

    // A device: back on the device page.
    let imei = "35367807650011";
    b.post(&format!("/numbers/{n}/imei"), &[("csrf", csrf.as_str()), ("action", "register"), ("imei", imei)])
        .await
        .assert_redirect(&format!("/numbers/{n}/imei"));
    settle(&app).await;
    let page = b.get(&format!("/numbers/{n}/imei")).await;
    assert_eq!(notice_in(&page.body).unwrap(), format!("The device {imei} is registered with this number"));
    assert_eq!(notice_in(&b.get(&format!("/numbers/{n}/imei")).await.body), None);

    // The SIM card, in the profile's head.
    let iccid = fresh_iccid("424242");
    b.post(&format!("/numbers/{n}/sim"), &[("csrf", csrf.as_str()), ("iccid", iccid.as_str())])
        .await
        .assert_redirect(&format!("/numbers/{n}"));
    settle(&app).await;
    assert_eq!(notice_in(&b.get(&format!("/numbers/{n}")).await.body).unwrap(), format!("The SIM card is now {iccid}"));

    // The secret code, in Russian and Kazakh too.
    b.get("/lang/ru?next=/numbers").await;
    b.post(&format!("/numbers/{n}/secret-code/send"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(
        notice_in(&b.get(&format!("/numbers/{n}")).await.body).unwrap(),
        "Секретный код отправлен на номер в SMS"
    );
    b.get("/lang/kk?next=/numbers").await;
    let off = format!("/numbers/{n}/services/{}/off", svc.code);
    b.post(&off, &[("csrf", csrf.as_str())]).await;
    settle(&app).await;
    let kk = notice_in(&b.get(&format!("/numbers/{n}")).await.body).unwrap();
    assert_eq!(kk, escaped(&format!("«{}» қызметі өшірілді", svc.name.kk)));
}

#[tokio::test]
async fn the_outcome_waits_for_the_poll_then_shows_once_after_the_reload() {
    let app = spawn_with(Options { sim_delay_ms: 800, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();
    let csrf = b.get(&format!("/numbers/{n}/block")).await.csrf();
    b.post(&format!("/numbers/{n}/block"), &[("csrf", csrf.as_str())]).await;
    let poll = || async {
        let res =
            b.client.get(format!("{}/numbers/{n}/head", b.base)).header("hx-request", "true").send().await.unwrap();
        let refresh = res.headers().contains_key("hx-refresh");
        let cleared =
            res.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("cabinet_op="));
        (refresh, cleared, res.text().await.unwrap())
    };
    let (refresh, cleared, body) = poll().await;
    assert!(!refresh && !cleared);
    assert!(body.contains("is being processed"), "{body}");
    wait_for(&app, BIN_A, &n, NumberState::Blocked).await;
    let (refresh, cleared, _) = poll().await;
    assert!(refresh, "the outcome arrived: the page reloads");
    assert!(!cleared, "the poll leaves the outcome to the reloaded page");
    let page = b.get(&format!("/numbers/{n}")).await;
    assert_eq!(notice_in(&page.body).unwrap(), "The number is blocked");
    assert_eq!(notice_in(&b.get(&format!("/numbers/{n}")).await.body), None, "once");
}

#[tokio::test]
async fn device_registration_follows_the_manuals_steps_and_every_request_is_confirmed() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(9).msisdn;
    let imei = "35367807650029";
    let page = b.get(&format!("/numbers/{n}/imei")).await;
    let csrf = page.csrf();
    // Register: "Are you sure…", Back / Continue.
    let confirm = b.get(&format!("/numbers/{n}/imei/step?step=register&imei={imei}")).await;
    assert!(confirm.body.contains(&format!("register the device with IMEI {imei} with this number?")));
    assert!(confirm.body.contains(&format!("id=\"back\" href=\"/numbers/{n}/imei\">Back<")), "{}", confirm.body);
    assert!(confirm.body.contains(">Continue</button>"));
    b.post(&format!("/numbers/{n}/imei"), &[("csrf", csrf.as_str()), ("action", "register"), ("imei", imei)])
        .await
        .assert_redirect(&format!("/numbers/{n}/imei"));
    settle(&app).await;
    // Remove: a link to its confirmation, not a one-click form.
    let page = b.get(&format!("/numbers/{n}/imei")).await;
    let remove = format!("/numbers/{n}/imei/step?step=remove&amp;imei={imei}");
    assert!(page.body.contains(&format!("href=\"{remove}\"")), "{}", page.body);
    assert!(!page.body.contains("value=\"remove\""), "no button that removes at once");
    let confirm = b.get(&remove.replace("&amp;", "&")).await;
    assert!(confirm.body.contains(&format!("remove the registration of the device with IMEI {imei}?")));
    assert!(
        confirm.body.contains("name=\"action\"") || confirm.body.contains(&format!("action=\"/numbers/{n}/imei\""))
    );
    assert!(sim.number_profile(&bin, &n).await.unwrap().unwrap().registered_imeis.contains(&imei.to_string()));

    // Re-register: the terms and "I confirm", then the previous owner, then Re-register.
    let other = "35367807650037";
    let terms = b.get(&format!("/numbers/{n}/imei/step?step=reregister&imei={other}")).await;
    assert!(terms.body.contains("Device re-registration (IMEI)"));
    assert!(terms.body.contains("does not transfer the ownership"));
    assert!(terms.body.contains(">I confirm<"));
    assert!(!terms.body.contains("id=\"prev-msisdn\""), "the owner is asked after the terms");
    let owner = b.get(&format!("/numbers/{n}/imei/step?step=reregister&imei={other}&accepted=1")).await;
    assert!(owner.body.contains("id=\"prev-msisdn\"") && owner.body.contains("id=\"prev-owner\""));
    assert!(owner.body.contains(">Re-register<"));
    let wrong = b
        .post(
            &format!("/numbers/{n}/imei"),
            &[
                ("csrf", csrf.as_str()),
                ("action", "reregister"),
                ("terms", "yes"),
                ("imei", other),
                ("prev_msisdn", "77012115299"),
                ("prev_owner", "123456789012"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("class=\"field invalid\""), "the owner's IIN/BIN field is named");
    assert!(wrong.body.contains("href=\"#prev-owner\""));
    assert!(wrong.body.contains("value=\"77012115299\""), "what was typed stays");

    // Register duplicate: the terms, "I confirm", then Register duplicate.
    let terms = b.get(&format!("/numbers/{n}/imei/step?step=duplicate&imei={other}")).await;
    assert!(terms.body.contains("Duplicate registration (IMEI)") && terms.body.contains(">I confirm<"));
    let last = b.get(&format!("/numbers/{n}/imei/step?step=duplicate&imei={other}&accepted=1")).await;
    assert!(last.body.contains(">Register duplicate<") && last.body.contains("name=\"terms\" value=\"yes\""));
    assert!(!last.body.contains("id=\"prev-msisdn\""));
}

#[tokio::test]
async fn confirmations_say_back_and_continue_and_russian_says_blocked_debt_as_the_manuals() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(0).msisdn.to_string();
    let confirm = b.get(&format!("/numbers/{n}/services/voicemail/on")).await;
    let confirm =
        if confirm.body.contains("id=\"confirm\"") { confirm } else { b.get(&format!("/numbers/{n}/block")).await };
    assert!(confirm.body.contains(">Back</a>") && confirm.body.contains(">Continue</button>"), "{}", confirm.body);
    let back_at = confirm.body.find("id=\"back\"").unwrap();
    assert!(back_at < confirm.body.find("id=\"confirm\"").unwrap(), "Back, then Continue");
    let profile = b.get(&format!("/numbers/{n}")).await;
    assert!(profile.body.contains("class=\"menu-button\"") && !profile.body.contains('☰'), "the menu's icon");

    let debt = numbers_in(&app, BIN_A, NumberState::BlockedDebt).await.remove(0).msisdn.to_string();
    b.get("/lang/ru?next=/numbers").await;
    let page = b.get(&format!("/numbers/{debt}")).await;
    assert!(page.body.contains("id=\"number-state\">Заблокирован / Долг<"), "{}", page.body);
    let ru = b.get(&format!("/numbers/{n}/block")).await;
    assert!(ru.body.contains(">Назад</a>") && ru.body.contains(">Продолжить</button>"));
}

#[tokio::test]
async fn the_forwarding_page_waits_for_its_outcome_and_shows_it_once() {
    let app = spawn_with(Options { sim_delay_ms: 800, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    let n = numbers_in(&app, BIN_A, NumberState::Active).await.remove(3).msisdn.to_string();
    let fwd = format!("/numbers/{n}/forwarding");
    let csrf = b.get(&fwd).await.csrf();
    b.post(&fwd, &[("csrf", csrf.as_str()), ("kind", "busy"), ("direction", "number"), ("number", "77019998877")])
        .await
        .assert_redirect(&fwd);
    let page = b.get(&fwd).await;
    assert!(page.body.contains(&format!("hx-get=\"/numbers/{n}/notice?at=forwarding\"")), "{}", page.body);
    assert!(notice_in(&page.body).unwrap().contains("being processed"));
    let poll = || async {
        let url = format!("{}/numbers/{n}/notice?at=forwarding", b.base);
        let res = b.client.get(url).header("hx-request", "true").send().await.unwrap();
        res.headers().contains_key("hx-refresh")
    };
    assert!(!poll().await, "still processing");
    settle(&app).await;
    assert!(poll().await, "the outcome arrived: the page reloads");
    let page = b.get(&fwd).await;
    assert_eq!(notice_in(&page.body).unwrap(), "Forwarding when busy to +7 701 999 88 77 is set");
    assert_eq!(notice_in(&b.get(&fwd).await.body), None);
    // The profile does not show another page's outcome.
    assert_eq!(notice_in(&b.get(&format!("/numbers/{n}")).await.body), None);
}
