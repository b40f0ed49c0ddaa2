//! Sign-in with password and one-time code, and sign-out.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn an_operator_number_signs_in_with_a_code_by_sms() {
    let app = spawn().await;
    let b = app.browser();
    let first = b.get("/numbers").await;
    first.assert_redirect("/signin");
    let page = b.submit_password("+7 701 211 21 01", PASSWORD).await;
    page.assert_redirect("/signin/code");
    let pending_cookie = b.cookie_value(&page, "cabinet_session").await.expect("a pending session");

    let sms = app.last_message_to(ALICE).await.expect("an SMS with the code");
    assert_eq!(sms.channel, "sms");
    let code_page = b.get("/signin/code").await;
    assert!(code_page.body.contains("+7 701 *** ** 01"), "the masked destination is shown");

    let done = b.submit_code(&code_in(&sms.body)).await;
    done.assert_redirect("/numbers");
    let active_cookie = b.cookie_value(&done, "cabinet_session").await.expect("a new session cookie");
    assert_ne!(active_cookie, pending_cookie, "the session id is rotated at sign-in");
    for c in done.set_cookies() {
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    }
    let numbers = b.get("/numbers").await;
    assert_eq!(numbers.status, StatusCode::OK);
    assert!(numbers.body.contains("Усанова Алия"));
    assert_eq!(numbers_on(&numbers).len(), 20);
}

#[tokio::test]
async fn another_operators_number_gets_the_code_by_email() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(CAROL, PASSWORD).await.assert_redirect("/signin/code");
    let mail = app.last_message_to(CAROL_EMAIL).await.expect("an e-mail with the code");
    assert_eq!(mail.channel, "email");
    assert!(app.last_message_to(CAROL).await.is_none(), "no SMS to another operator's number");
    assert!(b.get("/signin/code").await.body.contains("c***@example.kz"));
    b.submit_code(&code_in(&mail.body)).await.assert_redirect("/numbers");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_phone_get_the_same_answer_and_send_nothing() {
    let app = spawn().await;
    let b = app.browser();
    let wrong = b.submit_password(ALICE, "not-the-password").await;
    let unknown = b.submit_password("77019998877", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Wrong phone number or password."));
    assert!(unknown.body.contains("Wrong phone number or password."));
    assert_eq!(app.outbox_len().await, 0);
    b.get("/numbers").await.assert_redirect("/signin");
}

#[tokio::test]
async fn a_malformed_phone_is_refused_with_a_clear_message() {
    let app = spawn().await;
    let page = app.browser().submit_password("12345", PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The number is too short"), "{}", page.body);
    assert_eq!(app.outbox_len().await, 0);
}

#[tokio::test]
async fn five_wrong_codes_end_the_code() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let code = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let first = b.submit_code(wrong).await;
    assert!(first.body.contains("4 attempts left"), "{}", first.body);
    for _ in 0..4 {
        b.submit_code(wrong).await;
    }
    let late = b.submit_code(&code).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("expired or was entered wrongly too many times"));
    b.get("/numbers").await.assert_redirect("/signin");
}

#[tokio::test]
async fn a_code_that_is_not_six_digits_is_refused() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let page = b.submit_code("12ab").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The code is six digits."));
}

#[tokio::test]
async fn send_code_again_waits_for_the_countdown_then_replaces_the_code() {
    let app = spawn().await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let early = b.post_from("/signin/code", "/signin/code/resend", &[]).await;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.outbox_len().await, 1, "no second code before the countdown ends");

    let app = spawn_with(Options { resend_seconds: 0, ..Options::default() }).await;
    let b = app.browser();
    b.submit_password(ALICE, PASSWORD).await;
    let old = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    let again = b.post_from("/signin/code", "/signin/code/resend", &[]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("A new code has been sent."));
    assert_eq!(app.outbox_len().await, 2);
    let new = code_in(&app.last_message_to(ALICE).await.unwrap().body);
    if old != new {
        let stale = b.submit_code(&old).await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "the replaced code no longer works");
    }
    b.submit_code(&new).await.assert_redirect("/numbers");
}

#[tokio::test]
async fn forms_without_the_csrf_token_or_from_another_site_are_refused() {
    let app = spawn().await;
    let b = app.browser();
    b.get("/signin").await;
    let no_token = b.post("/signin", &[("phone", ALICE), ("password", PASSWORD)]).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let bad_token = b.post("/signin", &[("csrf", &"0".repeat(64)), ("phone", ALICE), ("password", PASSWORD)]).await;
    assert_eq!(bad_token.status, StatusCode::FORBIDDEN);
    let csrf = b.get("/signin").await.csrf();
    let res = b
        .client
        .post(format!("{}/signin", b.base))
        .header("Origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("phone", ALICE), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.outbox_len().await, 0, "nothing was sent for refused forms");

    // Signed in, every state-changing form still needs the token.
    let signed = app.signed_in(ALICE).await;
    for path in ["/signout", "/company"] {
        let page = signed.post(path, &[("company_id", "x")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} without a token");
    }
    assert_eq!(signed.get("/numbers").await.status, StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_phone() {
    let app = spawn().await;
    let b = app.browser();
    for _ in 0..10 {
        b.submit_password(BOB, "wrong-password").await;
    }
    let limited = b.submit_password(BOB, PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many sign-in attempts"));
    assert_eq!(app.outbox_len().await, 0, "even the right password sends no code while limited");
    // Another phone is not affected.
    app.browser().submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn().await;
    let b = app.signed_in(ALICE).await;
    let home = b.get("/numbers").await;
    let out = b.post("/signout", &[("csrf", home.csrf().as_str())]).await;
    out.assert_redirect("/signin");
    b.get("/numbers").await.assert_redirect("/signin");
}
