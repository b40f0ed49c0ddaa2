//! Delivery for real: sign-in codes reach a local SMS gateway and a real SMTP server and the
//! administrator signs in with them; attachments arrive; a gateway that is down loses
//! nothing and each message is sent once, with two instances sharing the queue; refusals
//! are visible; production without channels refuses to start.

use crate::gateways::{SmtpMode, SmtpServer, delivering};
use crate::helpers::{ALICE, CAROL, CAROL_EMAIL, Options, PASSWORD, TEST_SECRET, TestApp, code_in, spawn_with};
use cabinet::config::Settings;
use cabinet_delivery::smtp::SmtpSettings;
use cabinet_store::outbox::{self, Attachment, Outgoing};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Waits (up to 20 s) until no message is waiting for delivery.
async fn delivered(app: &TestApp) -> Vec<outbox::Message> {
    for _ in 0..400 {
        let all = outbox::latest(&app.db, 1000).await.unwrap();
        if all.iter().all(|m| m.state != outbox::PENDING) {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("messages still pending: {:?}", outbox::latest(&app.db, 1000).await.unwrap());
}

#[tokio::test]
async fn a_code_sent_by_sms_through_the_gateway_signs_the_administrator_in() {
    let (app, gateway, _smtp) = delivering(Options { dev: false, ..Options::default() }).await;
    let b = app.browser();
    b.get("/lang/ru?next=/signin").await;
    b.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");

    let sms = gateway.wait_for(ALICE, 1).await.remove(0);
    assert!(sms.text.contains("Код"), "the text is in the visitor's language: {}", sms.text);
    assert_eq!(sms.coding, "2", "Cyrillic goes as UCS-2");
    assert_eq!(sms.from, "Cabinet");
    b.submit_code(&code_in(&sms.text)).await.assert_redirect("/numbers");
    assert_eq!(b.get("/numbers").await.status, 200);

    let stored = delivered(&app).await.into_iter().find(|m| m.recipient == ALICE).unwrap();
    assert_eq!((stored.state.as_str(), stored.attempts), (outbox::SENT, 1));
    assert!(stored.redacted && !stored.body.contains(&code_in(&sms.text)), "the code is not kept: {stored:?}");
}

#[tokio::test]
async fn a_code_sent_by_email_over_smtp_signs_the_administrator_in() {
    let (app, gateway, smtp) = delivering(Options { dev: false, ..Options::default() }).await;
    let b = app.browser();
    b.submit_password(CAROL, PASSWORD).await.assert_redirect("/signin/code");

    let mail = smtp.wait_for(CAROL_EMAIL).await;
    assert!(mail.from.contains("noreply@cabinet.example.kz"), "{mail:?}");
    assert!(!mail.subject.is_empty());
    b.submit_code(&code_in(&mail.text)).await.assert_redirect("/numbers");

    let stored = delivered(&app).await.into_iter().find(|m| m.recipient == CAROL_EMAIL).unwrap();
    assert_eq!(stored.state, outbox::SENT);
    assert!(mail.message_id.contains(&stored.id), "the Message-ID names the outbox row: {}", mail.message_id);
    assert!(gateway.accepted().is_empty(), "another operator's number gets no SMS");
}

#[tokio::test]
async fn an_email_arrives_with_its_attachment() {
    let (app, _gateway, smtp) = delivering(Options { dev: false, ..Options::default() }).await;
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..50_000u32).map(|i| (i * 7 % 251) as u8)).collect();
    let files = [Attachment {
        file_name: "Акт сверки 2026-11.pdf".into(),
        content_type: "application/pdf".into(),
        content: pdf.clone(),
    }];
    let message = Outgoing::email("bookkeeper@example.kz", "Акт сверки за ноябрь", "Документ во вложении.")
        .with_attachments(&files);
    outbox::enqueue(&app.db, &message, cabinet_core::time::now_ms()).await.unwrap();

    let mail = smtp.wait_for("bookkeeper@example.kz").await;
    assert_eq!(mail.subject, "Акт сверки за ноябрь");
    assert_eq!(mail.text.trim(), "Документ во вложении.");
    let sha = Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(mail.attachments, vec![("Акт сверки 2026-11.pdf".to_string(), sha)]);
}

/// A portal whose mail goes out with `settings`, and a message to `to`.
async fn mail_through(settings: SmtpSettings, to: &str) -> TestApp {
    let app = spawn_with(Options { smtp: Some(settings), ..Options::default() }).await;
    outbox::enqueue(&app.db, &Outgoing::email(to, "Отчёт готов", "Файл во вложении."), cabinet_core::time::now_ms())
        .await
        .unwrap();
    app
}

#[tokio::test]
async fn mail_goes_over_starttls_and_tls_with_authentication() {
    for mode in [SmtpMode::StartTls, SmtpMode::Tls] {
        let smtp = SmtpServer::start_with(mode).await;
        let app = mail_through(smtp.settings(), "accountant@example.kz").await;
        let mail = smtp.wait_for("accountant@example.kz").await;
        assert_eq!(mail.subject, "Отчёт готов", "{mode:?}");
        let m = delivered(&app).await.remove(0);
        assert_eq!(m.state, outbox::SENT, "{mode:?}");
    }
}

#[tokio::test]
async fn mail_is_not_sent_to_a_relay_whose_certificate_is_not_trusted() {
    let smtp = SmtpServer::start_with(SmtpMode::StartTls).await;
    // Without the relay's CA its certificate is not trusted: nothing goes in the clear.
    let untrusted = SmtpSettings { ca_file: None, ..smtp.settings() };
    let app = mail_through(untrusted, "a@example.kz").await;
    let m = wait_for_attempt(&app).await;
    assert_eq!(m.state, outbox::PENDING, "tried again later: {m:?}");
    assert!(m.last_error.as_deref().unwrap_or("").contains("SMTP"), "{m:?}");

    assert!(smtp.mails().is_empty(), "the relay received nothing");
}

/// Waits (up to 20 s) until the first message has been tried at least once.
async fn wait_for_attempt(app: &TestApp) -> outbox::Message {
    for _ in 0..400 {
        let m = outbox::latest(&app.db, 1).await.unwrap().remove(0);
        if m.attempts > 0 {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the message was never tried");
}

#[tokio::test]
async fn a_gateway_that_is_down_loses_nothing_and_each_message_goes_once() {
    let (app, gateway, _smtp) = delivering(Options { dev: false, ..Options::default() }).await;
    // A second instance on the same store: two workers share the queue.
    app.another_instance().await;
    gateway.go_down_for(12);
    let now = cabinet_core::time::now_ms();
    let texts: Vec<String> = (0..8).map(|i| format!("Message {i}")).collect();
    for t in &texts {
        outbox::enqueue(&app.db, &Outgoing::sms("77012000001", t), now).await.unwrap();
    }
    gateway.wait_for("77012000001", texts.len()).await;
    let stored = delivered(&app).await;
    // Anything sent twice would have arrived by now: the last retry is long done.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut got: Vec<String> = gateway.accepted().into_iter().map(|m| m.text).collect();
    got.sort();
    assert_eq!(got, texts, "every message arrived, and only once");
    assert_eq!(gateway.refused(), 12);
    assert!(stored.iter().all(|m| m.state == outbox::SENT), "{stored:?}");
    assert!(stored.iter().any(|m| m.attempts > 1), "some were tried again");
    assert_eq!(stored.iter().map(|m| m.attempts).sum::<i64>(), 8 + 12, "one try per request the gateway saw");
}

#[tokio::test]
async fn a_refused_message_fails_visibly() {
    let (app, gateway, _smtp) = delivering(Options::default()).await;
    gateway.reject("77012000002");
    outbox::enqueue(&app.db, &Outgoing::sms("77012000002", "Номер заблокирован"), cabinet_core::time::now_ms())
        .await
        .unwrap();
    let m = delivered(&app).await.remove(0);
    assert_eq!((m.state.as_str(), m.attempts), (outbox::FAILED, 1), "a refusal is not retried");
    assert!(m.last_error.as_deref().unwrap_or("").contains("Number is not allowed"), "{m:?}");

    let b = app.browser();
    b.get("/lang/en?next=/").await;
    let page = b.get("/dev/outbox").await;
    assert!(page.body.contains("data-state=\"failed\""), "{}", page.body);
    assert!(page.body.contains("Not delivered") && page.body.contains("Number is not allowed"));
    let metrics = b.get("/metrics").await.body;
    assert!(metrics.contains("cabinet_outbox_messages{state=\"failed\"} 1"), "{metrics}");
    assert!(metrics.contains("cabinet_outbox_delivery_failures_total{channel=\"sms\"} 1"), "{metrics}");
}

#[test]
fn production_without_channels_refuses_to_start_and_says_what_to_configure() {
    let base = Settings { dev: Some(false), demo: Some(false), ..Settings::default() };
    let err = format!("{:#}", base.channels().err().expect("refused"));
    assert!(err.contains("[sms]") && err.contains("[smtp]"), "{err}");

    let only_sms = Settings {
        sms: Some(cabinet_delivery::sms::SmsSettings {
            url: "http://127.0.0.1:13013/cgi-bin/sendsms".into(),
            username: "u".into(),
            password: "p".into(),
            from: String::new(),
            coding: Default::default(),
            timeout_seconds: 5,
        }),
        ..base.clone()
    };
    let err = format!("{:#}", only_sms.channels().err().expect("refused"));
    assert!(err.contains("[smtp]") && !err.contains("[sms]"), "{err}");
    assert!(Settings { dev: Some(true), ..base }.channels().is_ok(), "dev mode keeps messages in the outbox");

    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cabinet"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .args(["--demo", "false", "--dev", "false", "serve"])
        .env_remove("CABINET_DATABASE_URL")
        .env("CABINET_SECRET", TEST_SECRET)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("[sms]") && stderr.contains("[smtp]"), "{stderr}");
}

/// Issue 12's flows through the real channels: a company's request approved (the answer by
/// SMS through the gateway), its administrator's first sign-in (the recovery code and the
/// sign-in code through the gateway); another company's request rejected (the answer over
/// SMTP); an employee's secret code through the gateway opens self-care.
#[tokio::test]
async fn requests_for_access_first_sign_in_and_secret_codes_travel_through_the_gateways() {
    use crate::registration::{LETTER, register, staff_browser};
    let (app, gateway, smtp) = delivering(Options { dev: false, ..Options::default() }).await;
    let applicant = app.browser();
    let dana = "77015559001";
    let fields = |phone: &'static str, email: &'static str| {
        [
            ("bin", crate::helpers::BIN_A),
            ("company_name", "ТОО «Альфа»"),
            ("admin_name", "Дана Даулет"),
            ("phone", phone),
            ("email", email),
        ]
    };
    register(&applicant, &fields(dana, "dana@alfa.kz"), Some(("letter.pdf", LETTER)))
        .await
        .assert_redirect("/register/sent");
    register(&applicant, &fields("77071119002", "erzhan@alfa.kz"), Some(("letter.pdf", LETTER)))
        .await
        .assert_redirect("/register/sent");
    let (pending, _) = cabinet_store::access_requests::list(&app.db, 10).await.unwrap();
    let id_of = |phone: &str| pending.iter().find(|r| r.phone == phone).unwrap().id.clone();
    let staff = staff_browser(&app, "aigerim").await;
    let page = format!("/operator/requests/{}", id_of(dana));
    let csrf = staff.get(&page).await.csrf();
    staff.post(&format!("{page}/approve"), &[("csrf", csrf.as_str())]).await.assert_redirect(&page);
    let other = format!("/operator/requests/{}", id_of("77071119002"));
    staff.post(&format!("{other}/reject"), &[("csrf", csrf.as_str()), ("reason", "No letter head.")]).await;

    let answer = gateway.wait_for(dana, 1).await.remove(0);
    assert!(answer.text.contains("approved") && answer.text.contains("/signin"), "{}", answer.text);
    let rejected = smtp.wait_for("erzhan@alfa.kz").await;
    assert!(rejected.text.contains("No letter head."), "{rejected:?}");

    // The first sign-in: the recovery code by SMS, a password, then the sign-in code.
    let b = app.browser();
    b.post_from("/signin/forgot", "/signin/forgot", &[("phone", dana)]).await.assert_redirect("/signin/forgot/code");
    let code = code_in(&gateway.wait_for(dana, 2).await[1].text);
    b.post_from("/signin/forgot/code", "/signin/forgot/code", &[("code", &code)])
        .await
        .assert_redirect("/signin/password");
    let new = "Жасыл алма 2026!";
    let set = [("password", new), ("again", new), ("sign_out_elsewhere", "1")];
    b.post_from("/signin/password", "/signin/password", &set).await.assert_redirect("/signin");
    b.submit_password(dana, new).await.assert_redirect("/signin/code");
    let code = code_in(&gateway.wait_for(dana, 3).await[2].text);
    b.submit_code(&code).await.assert_redirect("/numbers");

    // Her first act: a secret code for one of the numbers; its user opens self-care with it.
    let numbers = crate::helpers::numbers_on(&b.get("/numbers").await);
    let sim = cabinet_sim::Simulator::new(app.db.db.clone());
    let bin = cabinet_core::Bin::parse(crate::helpers::BIN_A).unwrap();
    let mut open = None;
    for n in numbers {
        use cabinet_core::operator::OperatorPort;
        let p = sim.number_profile(&bin, &cabinet_core::Msisdn::parse(&n).unwrap()).await.unwrap().unwrap();
        if p.summary.state == cabinet_core::operator::NumberState::Active && !p.ban_selfcare {
            open = Some(n);
            break;
        }
    }
    let n = open.expect("an Active number with self-care open");
    let send = format!("/numbers/{n}/secret-code/send");
    b.post_from(&send, &send, &[]).await.assert_redirect(&format!("/numbers/{n}"));
    let sms = gateway.wait_for(&n, 1).await.remove(0);
    let secret = sms.text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 8).unwrap().to_string();
    let employee = app.browser();
    employee
        .post_from("/selfcare", "/selfcare", &[("phone", &n), ("code", &secret)])
        .await
        .assert_redirect("/selfcare/number");
    assert_eq!(employee.get("/selfcare/number").await.status, 200);
    let stored = delivered(&app).await.into_iter().find(|m| m.recipient == n).unwrap();
    assert!(stored.redacted && !stored.body.contains(&secret), "the secret code is not kept once delivered");
}
