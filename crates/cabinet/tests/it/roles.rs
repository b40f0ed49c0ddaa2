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
async fn admin_with_role(app: &TestApp, phone: &str, role: &str) -> Browser {
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
