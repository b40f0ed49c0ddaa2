//! First sign-in and forgotten password: a code by SMS (through the SMS gateway stand-in)
//! for the operator's own numbers, a link by e-mail (to a real SMTP server on loopback) for
//! others; the password rules; "Sign out on other devices"; single use; and an unknown
//! phone answered exactly as a known one, with nothing sent.

use crate::gateways::delivering;
use crate::helpers::*;
use cabinet_core::Msisdn;
use cabinet_store::admins;
use reqwest::StatusCode;

const FORGOT: &str = "/signin/forgot";
const CODE_PAGE: &str = "/signin/forgot/code";
const NEW_PASSWORD: &str = "/signin/password";
const NEW: &str = "Жасыл алма 2026!";

/// An administrator the operator has registered but who never signed in (no password).
async fn never_activated(app: &TestApp, phone: &str, email: Option<&str>) -> admins::Admin {
    let phone = Msisdn::parse(phone).unwrap();
    let new = admins::NewAdmin { phone: &phone, name: "Dana Daulet", email, password_hash: None };
    let admin = admins::create(&app.db, new, 0).await.unwrap();
    let a =
        cabinet_store::companies::by_bin(&app.db, &cabinet_core::Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    admins::grant(&app.db, &admin, &a, "full", 0).await.unwrap();
    admin
}

#[tokio::test]
async fn a_never_activated_administrator_sets_a_password_by_sms_code_and_then_signs_in() {
    let (app, gateway, _smtp) = delivering(Options::default()).await;
    let dana = "77015550011";
    never_activated(&app, dana, None).await;
    let b = app.browser();
    // Without a password the sign-in says only what it says to anyone; the page points to
    // the recovery.
    let signin = b.get("/signin").await;
    assert!(signin.body.contains("href=\"/signin/forgot\"") && signin.body.contains("Signing in for the first time?"));
    b.submit_password(dana, "anything-at-all").await;
    assert!(gateway.accepted().is_empty(), "no code for an account without a password");

    let bad = b.post_from(FORGOT, FORGOT, &[("phone", "+7 701 555 00 1")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    b.post_from(FORGOT, FORGOT, &[("phone", "+7 701 555 00 11")]).await.assert_redirect(CODE_PAGE);
    let page = b.get(CODE_PAGE).await;
    assert!(page.body.contains("+7 701 *** ** 11"), "{}", page.body);
    let sms = gateway.wait_for(dana, 1).await;
    let code = code_in(&sms[0].text);
    assert!(sms[0].text.contains("password recovery code"), "{}", sms[0].text);
    // Before the code, no password can be set.
    b.get(NEW_PASSWORD).await.assert_redirect(FORGOT);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let refused = b.post_from(CODE_PAGE, CODE_PAGE, &[("code", wrong)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("4 tries left") || refused.body.contains("4 attempts"), "{}", refused.body);
    b.post_from(CODE_PAGE, CODE_PAGE, &[("code", &code)]).await.assert_redirect(NEW_PASSWORD);

    // The rules, each with its reason; nothing is set meanwhile.
    let form = b.get(NEW_PASSWORD).await;
    assert!(form.body.contains("At least 10 characters.") && form.body.contains("checked"), "{}", form.body);
    for (password, again, says) in [
        ("short", "short", "at least 10 characters"),
        ("qwertyuiop", "qwertyuiop", "too common"),
        ("pin 7015550011!", "pin 7015550011!", "must not contain your phone number"),
        (NEW, "Жасыл алма 2025!", "do not match"),
    ] {
        let refused = b.post_from(NEW_PASSWORD, NEW_PASSWORD, &[("password", password), ("again", again)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(refused.body.contains(says), "{password}: {}", refused.body);
    }
    let admin = admins::by_phone(&app.db, &Msisdn::parse(dana).unwrap()).await.unwrap().unwrap();
    assert!(admin.password_hash.is_none(), "no password set by a refused form");
    let fields = [("password", NEW), ("again", NEW), ("sign_out_elsewhere", "1")];
    b.post_from(NEW_PASSWORD, NEW_PASSWORD, &fields).await.assert_redirect("/signin");
    let updated = b.get("/signin").await;
    assert!(updated.body.contains("Your account has been updated"), "{}", updated.body);
    assert!(!b.get("/signin").await.body.contains("Your account has been updated"), "said once");
    // The recovery is over: its cookie sets nothing more.
    b.get(NEW_PASSWORD).await.assert_redirect(FORGOT);

    // The new password signs in (its code by SMS too).
    b.submit_password(dana, NEW).await.assert_redirect("/signin/code");
    let sms = gateway.wait_for(dana, 2).await;
    b.submit_code(&code_in(&sms[1].text)).await.assert_redirect("/numbers");
    assert_eq!(b.get("/numbers").await.status, StatusCode::OK);
}

#[tokio::test]
async fn another_operators_number_gets_a_single_use_link_by_email_and_may_sign_out_everywhere() {
    let (app, _gateway, smtp) = delivering(Options::default()).await;
    // Carol's number is another operator's: her sign-in codes and her link go by e-mail.
    let elsewhere = app.signed_in(CAROL).await;
    assert_eq!(elsewhere.get("/numbers").await.status, StatusCode::OK);
    let b = app.browser();
    b.post_from(FORGOT, FORGOT, &[("phone", CAROL)]).await.assert_redirect("/signin/forgot/sent");
    assert!(b.get("/signin/forgot/sent").await.body.contains("Check your e-mail"));
    // (Her sign-in code came by e-mail before.)
    let mut mail = None;
    for _ in 0..400 {
        mail = smtp.mails().into_iter().find(|m| m.to.contains(CAROL_EMAIL) && m.subject.contains("reset credentials"));
        if mail.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mail = mail.expect("the link by e-mail");
    let link = mail.text.split_whitespace().find(|w| w.contains("/signin/reset/")).expect("a link in the mail");
    let path = &link[link.find("/signin/reset/").unwrap()..];
    assert!(link.starts_with(&format!("http://{}", app.addr)), "the portal's own address: {link}");

    // Opened in another browser (the mail app's): that browser sets the password.
    let opener = app.browser();
    opener.get(path).await.assert_redirect(NEW_PASSWORD);
    let fields = [("password", NEW), ("again", NEW), ("sign_out_elsewhere", "1")];
    opener.post_from(NEW_PASSWORD, NEW_PASSWORD, &fields).await.assert_redirect("/signin");
    // Signed out everywhere else; the old password no longer works, the new one does.
    elsewhere.get("/numbers").await.assert_redirect("/signin");
    let old = app.browser().submit_password(CAROL, PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.browser().submit_password(CAROL, NEW).await.assert_redirect("/signin/code");
    // The link works once.
    let again = app.browser().get(path).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("This link no longer works"), "{}", again.body);
}

#[tokio::test]
async fn an_unknown_phone_is_answered_as_a_known_one_and_nothing_is_sent() {
    let (app, gateway, smtp) = delivering(Options::default()).await;
    let known = app.browser();
    let unknown = app.browser();
    // The operator's numbers: the same redirect and the same code page, wrong codes alike.
    let a = known.post_from(FORGOT, FORGOT, &[("phone", ALICE)]).await;
    let b = unknown.post_from(FORGOT, FORGOT, &[("phone", "77019998877")]).await;
    assert_eq!((a.status, a.location()), (b.status, b.location()));
    let (pa, pb) = (known.get(CODE_PAGE).await, unknown.get(CODE_PAGE).await);
    assert_eq!(pa.status, pb.status);
    let lead = |p: &Page| p.body.lines().find(|l| l.contains("class=\"lead\"")).unwrap().replace(char::is_numeric, "#");
    assert_eq!(lead(&pa), lead(&pb), "the same words, but for the number's digits");
    let wa = known.post_from(CODE_PAGE, CODE_PAGE, &[("code", "999999")]).await;
    let wb = unknown.post_from(CODE_PAGE, CODE_PAGE, &[("code", "999999")]).await;
    assert_eq!(wa.status, wb.status);
    // Another operator's: the same "check your e-mail".
    let c = known.post_from(FORGOT, FORGOT, &[("phone", CAROL)]).await;
    let d = unknown.post_from(FORGOT, FORGOT, &[("phone", "77079998877")]).await;
    assert_eq!((c.status, c.location()), (d.status, d.location()));
    // Only the known ones were sent anything.
    gateway.wait_for(ALICE, 1).await;
    smtp.wait_for(CAROL_EMAIL).await;
    let sent = cabinet_store::outbox::latest(&app.db, 100).await.unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().all(|m| m.recipient == ALICE || m.recipient == CAROL_EMAIL), "{sent:?}");
    // Asking again and again is limited per phone.
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = unknown.post_from(FORGOT, FORGOT, &[("phone", "77019998877")]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
