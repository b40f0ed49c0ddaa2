//! My profile: the administrator's details, a password change (the current password checked
//! and limited, the rules, other devices signed out, this browser's session id rotated), an
//! e-mail change that takes effect only through the link sent to the new address, and the
//! signed-in sessions with "Sign out everywhere else".

use crate::helpers::*;
use cabinet_core::Msisdn;
use cabinet_store::{admins, outbox};
use reqwest::StatusCode;

const ACCOUNT: &str = "/account";
const NEW: &str = "Жасыл алма 2026!";

async fn carol(app: &TestApp) -> admins::Admin {
    admins::by_phone(&app.db, &Msisdn::parse(CAROL).unwrap()).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_password_change_checks_the_current_one_and_the_rules_and_may_sign_out_elsewhere() {
    let app = spawn().await;
    let here = app.signed_in(CAROL).await;
    let there = app.signed_in(CAROL).await;
    let page = here.get(ACCOUNT).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Carol Clark") && page.body.contains("+7 707 123 45 67"), "{}", page.body);
    assert!(page.body.contains(CAROL_EMAIL) && page.body.contains("(this browser)"));
    assert_eq!(page.body.matches("Signed in ").count(), 2, "both sessions listed");
    assert!(page.body.contains("href=\"/account\""), "the header's name leads here");

    let change = |current: &'static str, password: &'static str, again: &'static str| {
        let here = &here;
        async move {
            let fields = [("current", current), ("password", password), ("again", again), ("sign_out_elsewhere", "1")];
            here.post_from(ACCOUNT, "/account/password", &fields).await
        }
    };
    let wrong = change("not-my-password", NEW, NEW).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The current password is wrong."), "{}", wrong.body);
    let weak = change(PASSWORD, "qwertyuiop", "qwertyuiop").await;
    assert!(weak.body.contains("too common"), "{}", weak.body);
    let hash = carol(&app).await.password_hash;
    assert_eq!(carol(&app).await.password_hash, hash, "nothing changed yet");

    let done = change(PASSWORD, NEW, NEW).await;
    done.assert_redirect("/account?done=password");
    assert!(done.set_cookies().iter().any(|c| c.starts_with("cabinet_session=")), "a new session id");
    let after = here.get("/account?done=password").await;
    assert!(after.body.contains("Your password has been changed."), "this browser stays signed in");
    // The other browser is signed out; the old password no longer signs in, the new one does.
    there.get("/numbers").await.assert_redirect("/signin");
    assert_eq!(app.browser().submit_password(CAROL, PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.browser().submit_password(CAROL, NEW).await.assert_redirect("/signin/code");

    // Guessing the current password from an open session stops after five tries.
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        let fields = [("current", "guess-guess-1"), ("password", NEW), ("again", NEW)];
        last = here.post_from(ACCOUNT, "/account/password", &fields).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_new_email_takes_effect_only_through_the_link_sent_to_it_once() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let refused = b.post_from(ACCOUNT, "/account/email", &[("email", "buh@alfa"), ("current", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = b.post_from(ACCOUNT, "/account/email", &[("email", "new@alfa.kz"), ("current", "nope-nope-1")]).await;
    assert!(wrong.body.contains("The current password is wrong."));
    assert!(app.last_message_to("new@alfa.kz").await.is_none(), "nothing sent for a refused form");

    b.post_from(ACCOUNT, "/account/email", &[("email", " New@Alfa.KZ "), ("current", PASSWORD)])
        .await
        .assert_redirect("/account?done=email-sent");
    assert_eq!(carol(&app).await.email.as_deref(), Some(CAROL_EMAIL), "unchanged until the link is opened");
    let mail: outbox::Message = app.last_message_to("New@alfa.kz").await.expect("the link to the new address");
    let link = mail.body.split_whitespace().find(|w| w.contains("/account/email/")).expect("a link");
    let path = &link[link.find("/account/email/").unwrap()..];
    b.get(path).await.assert_redirect("/account?done=email");
    assert_eq!(carol(&app).await.email.as_deref(), Some("New@alfa.kz"));
    let shown = b.get("/account?done=email").await.body;
    assert!(shown.contains("Your e-mail address has been changed.") && shown.contains("New@alfa.kz"), "{shown}");
    // Once only.
    b.get(path).await.assert_redirect("/account?done=email-link-dead");
    // Sign-in codes of Carol's (another operator's number) now go to the new address.
    app.browser().submit_password(CAROL, PASSWORD).await.assert_redirect("/signin/code");
    let code = app.last_message_to("New@alfa.kz").await.unwrap();
    assert!(code.subject.unwrap_or_default().contains("code"));
}

#[tokio::test]
async fn signing_out_everywhere_else_ends_the_other_sessions_only() {
    let app = spawn().await;
    let here = app.signed_in(ALICE).await;
    let there = app.signed_in(ALICE).await;
    let other_admin = app.signed_in(CAROL).await;
    here.post_from(ACCOUNT, "/account/sessions/end-others", &[]).await.assert_redirect("/account?done=sessions");
    let page = here.get("/account?done=sessions").await.body;
    assert!(page.contains("You have been signed out everywhere else.") && page.matches("Signed in ").count() == 1);
    there.get("/numbers").await.assert_redirect("/signin");
    assert_eq!(other_admin.get("/numbers").await.status, StatusCode::OK, "another administrator's sessions stay");
    // Without the form's token nothing happens; signed out, the page is not shown.
    assert_eq!(here.post("/account/sessions/end-others", &[]).await.status, StatusCode::FORBIDDEN);
    app.browser().get(ACCOUNT).await.assert_redirect("/signin?next=/account");
}

#[tokio::test]
async fn a_company_gets_a_short_name_only_its_administrator_sees_in_the_switcher() {
    let app = spawn().await;
    let alice = app.signed_in(ALICE).await;
    let carol = app.signed_in(CAROL).await;
    let a =
        cabinet_store::companies::by_bin(&app.db, &cabinet_core::Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let b =
        cabinet_store::companies::by_bin(&app.db, &cabinet_core::Bin::parse(BIN_B).unwrap()).await.unwrap().unwrap();
    let page = alice.get(ACCOUNT).await.body;
    assert!(page.contains("ТОО «Альфа»") && page.contains(BIN_A) && page.contains(BIN_B), "both companies listed");

    let form = format!("/account/companies/{}", a.id);
    let long = "Альфа".repeat(13);
    let refused = alice.post_from(ACCOUNT, &form, &[("alias", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("at most 60 characters") && refused.body.contains(&long), "{}", refused.body);
    alice.post_from(ACCOUNT, &form, &[("alias", "  Альфа-склад  ")]).await.assert_redirect("/account?done=alias");
    let numbers = alice.get("/numbers").await.body;
    assert!(numbers.contains("Альфа-склад · BIN 940740000015"), "the switcher shows the alias");
    assert!(!carol.get("/numbers").await.body.contains("Альфа-склад"), "Carol's switcher keeps the full name");
    // Empty: the full name again.
    alice.post_from(ACCOUNT, &form, &[("alias", "")]).await.assert_redirect("/account?done=alias");
    assert!(!alice.get("/numbers").await.body.contains("Альфа-склад"));
    // A company not granted to Carol: not found, nothing stored.
    let theirs = format!("/account/companies/{}", b.id);
    assert_eq!(carol.post_from(ACCOUNT, &theirs, &[("alias", "Mine")]).await.status, StatusCode::NOT_FOUND);
    let grants: Vec<Option<String>> = sqlx::query_scalar("SELECT alias FROM admin_companies WHERE company_id = $1")
        .bind(&b.id)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(grants.iter().all(|a| a.is_none()), "{grants:?}");
}
