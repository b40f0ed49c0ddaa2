//! Register and the operator console: a company asks for administrator access with its
//! letter; operator staff (their own accounts and sign-in) approve or reject it; the
//! applicant is told; approval makes the company, the account and the grant — once.

use crate::helpers::*;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{access_requests, admins, companies};
use reqwest::StatusCode;

pub const LETTER: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const STAFF_PASSWORD: &str = "Жасыл алма 2026!";

/// A customer the operator has and Cabinet does not serve yet (no company row).
async fn operators_new_customer(app: &TestApp, seed: u64) -> Bin {
    let bin = cabinet::commands::default_bin(seed);
    let spec = cabinet_sim::SeedSpec {
        bin: bin.clone(),
        name: format!("ТОО «Гамма {seed}»"),
        numbers: 3,
        seed,
        now_ms: cabinet_core::time::now_ms(),
        zone: cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap(),
        open_months: 0,
    };
    cabinet_sim::seed_customer(&app.db, &spec).await.unwrap();
    bin
}

/// A multipart/form-data body by hand: (content type, bytes).
fn multipart(fields: &[(&str, &str)], letter: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----cabinet-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = letter {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"letter\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn register(b: &Browser, fields: &[(&str, &str)], letter: Option<(&str, &[u8])>) -> Page {
    let csrf = b.get("/register").await.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (content_type, body) = multipart(&all, letter);
    let res = b
        .client
        .post(format!("{}/register", b.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.unwrap() }
}

pub async fn staff_browser(app: &TestApp, login: &str) -> Browser {
    if cabinet_store::operator_staff::by_login(&app.db, login).await.unwrap().is_none() {
        cabinet::commands::staff_create(&app.db, login, "Айгерим Сейтова", STAFF_PASSWORD).await.unwrap();
    }
    let b = app.browser();
    b.post_from("/operator/signin", "/operator/signin", &[("login", login), ("password", STAFF_PASSWORD)])
        .await
        .assert_redirect("/operator");
    b
}

async fn pending_id(app: &TestApp, bin: &Bin) -> String {
    let (pending, _) = access_requests::list(&app.db, 10).await.unwrap();
    pending.into_iter().find(|r| r.bin == bin.as_str()).expect("a pending request").id
}

async fn requests_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM access_requests").fetch_one(app.db.pool()).await.unwrap();
    n
}

#[tokio::test]
async fn a_company_asks_for_access_staff_approve_it_and_the_administrator_is_told_once() {
    let app = spawn().await;
    let bin = operators_new_customer(&app, 41).await;
    let applicant = app.browser();
    let form = applicant.get("/register").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("accept=\".pdf,application/pdf\"")
    );

    // Everything wrong: each field named, nothing stored.
    let bad = register(
        &applicant,
        &[
            ("bin", "000000000000"),
            ("company_name", " "),
            ("admin_name", "Дана"),
            ("phone", "+7700111235"),
            ("email", "dana@"),
        ],
        Some(("letter.pdf", b"PK\x03\x04 not a pdf")),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["bin-error", "company_name-error", "phone-error", "email-error", "letter-error"] {
        assert!(bad.body.contains(&format!("id=\"{field}\"")), "{field}");
    }
    assert!(bad.body.contains("The file is not a PDF document."));
    assert!(!bad.body.contains("id=\"admin_name-error\""), "the right field is not blamed");
    let no_letter = register(
        &applicant,
        &[
            ("bin", bin.as_str()),
            ("company_name", "Гамма"),
            ("admin_name", "Дана"),
            ("phone", "77015557001"),
            ("email", "dana@gamma.kz"),
        ],
        None,
    )
    .await;
    assert!(no_letter.body.contains("Attach the company"));
    assert_eq!(requests_count(&app).await, 0, "a refused request leaves nothing");

    let fields = [
        ("bin", bin.as_str()),
        ("company_name", "Гамма"),
        ("admin_name", "Дана Даулет"),
        ("phone", "+7 701 555 70 01"),
        ("email", "dana@gamma.kz"),
    ];
    register(&applicant, &fields, Some(("Письмо.pdf", LETTER))).await.assert_redirect("/register/sent");
    assert!(applicant.get("/register/sent").await.body.contains("The operator will review your request"));
    let again = register(&applicant, &fields, Some(("letter.pdf", LETTER))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already waiting"));
    assert_eq!(requests_count(&app).await, 1);

    // The console is operator staff's: administrators and strangers are sent to its sign-in.
    let carol = app.signed_in(CAROL).await;
    for b in [&applicant, &carol] {
        b.get("/operator").await.assert_redirect("/operator/signin");
    }
    cabinet::commands::staff_create(&app.db, "aigerim", "Айгерим Сейтова", STAFF_PASSWORD).await.unwrap();
    let wrong = applicant
        .post_from("/operator/signin", "/operator/signin", &[("login", "aigerim"), ("password", "not-the-password")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Wrong login or password."));
    let staff = staff_browser(&app, "aigerim").await;
    let list = staff.get("/operator").await;
    assert!(list.body.contains("Гамма") && list.body.contains(bin.as_str()));
    let id = pending_id(&app, &bin).await;
    let page = staff.get(&format!("/operator/requests/{id}")).await;
    assert!(page.body.contains("+7 701 555 70 01") && page.body.contains("dana@gamma.kz"));
    let letter = staff.get(&format!("/operator/requests/{id}/letter")).await;
    assert_eq!(letter.headers["content-type"], "application/pdf");
    assert!(letter.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(letter.body.as_bytes(), LETTER, "the letter as uploaded");
    assert_eq!(carol.get(&format!("/operator/requests/{id}/letter")).await.status, StatusCode::SEE_OTHER);

    let csrf = page.csrf();
    staff
        .post(&format!("/operator/requests/{id}/approve"), &[("csrf", csrf.as_str())])
        .await
        .assert_redirect(&format!("/operator/requests/{id}"));
    let decided = staff.get(&format!("/operator/requests/{id}")).await;
    assert!(decided.body.contains("Approved") && decided.body.contains("Айгерим Сейтова"));
    let twice = staff.post(&format!("/operator/requests/{id}/approve"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("already been decided"));

    // The company as the operator names it, an unactivated account, the full role.
    let company = companies::by_bin(&app.db, &bin).await.unwrap().expect("the company");
    assert_eq!(company.name, "ТОО «Гамма 41»");
    let phone = Msisdn::parse("77015557001").unwrap();
    let admin = admins::by_phone(&app.db, &phone).await.unwrap().expect("the account");
    assert!(admin.password_hash.is_none(), "activated by the first sign-in");
    assert_eq!(admin.email.as_deref(), Some("dana@gamma.kz"));
    let granted = admins::companies_of(&app.db, &admin.id).await.unwrap();
    assert_eq!(granted.len(), 1);
    assert_eq!((granted[0].id.as_str(), granted[0].role.as_str()), (company.id.as_str(), "full"));
    // Told once, by SMS (the operator's own number), with where to sign in.
    let sms: Vec<_> = cabinet_store::outbox::latest(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "77015557001")
        .collect();
    assert_eq!(sms.len(), 1, "one message");
    assert_eq!(sms[0].channel, "sms");
    assert!(sms[0].body.contains("approved") && sms[0].body.contains(&format!("http://{}/signin", app.addr)));

    // The first sign-in: "Forgot password?" works for the new account.
    let forgot = applicant.post_from("/signin/forgot", "/signin/forgot", &[("phone", "77015557001")]).await;
    forgot.assert_redirect("/signin/forgot/code");
    assert!(app.last_message_to("77015557001").await.unwrap().body.chars().filter(char::is_ascii_digit).count() >= 6);
}

#[tokio::test]
async fn a_request_for_a_customer_the_operator_lacks_is_refused_and_a_rejection_says_why() {
    let app = spawn().await;
    let unknown = cabinet::commands::default_bin(4242);
    let applicant = app.browser();
    // Another operator's number: the answer goes by e-mail.
    let fields = [
        ("bin", unknown.as_str()),
        ("company_name", "ИП Ержан"),
        ("admin_name", "Ержан Ахметов"),
        ("phone", "77071112233"),
        ("email", "erzhan@example.kz"),
    ];
    register(&applicant, &fields, Some(("letter.pdf", LETTER))).await.assert_redirect("/register/sent");
    let id = pending_id(&app, &unknown).await;
    let staff = staff_browser(&app, "berik").await;
    let page = staff.get(&format!("/operator/requests/{id}")).await;
    let csrf = page.csrf();
    let refused = staff.post(&format!("/operator/requests/{id}/approve"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("no customer with this BIN"));
    assert!(companies::by_bin(&app.db, &unknown).await.unwrap().is_none(), "nothing made");
    assert!(app.last_message_to("erzhan@example.kz").await.is_none(), "nobody told yet");

    let no_reason =
        staff.post(&format!("/operator/requests/{id}/reject"), &[("csrf", csrf.as_str()), ("reason", "  ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Give the reason"));
    let reason = "The letter is not signed by the company's head.";
    staff
        .post(&format!("/operator/requests/{id}/reject"), &[("csrf", csrf.as_str()), ("reason", reason)])
        .await
        .assert_redirect(&format!("/operator/requests/{id}"));
    let mail = app.last_message_to("erzhan@example.kz").await.expect("an e-mail to the applicant");
    assert_eq!(mail.channel, "email");
    assert!(mail.body.contains("rejected") && mail.body.contains(reason));
    let shown = staff.get(&format!("/operator/requests/{id}")).await;
    assert!(shown.body.contains("Rejected") && shown.body.contains(&escaped(reason)));
    assert!(admins::by_phone(&app.db, &Msisdn::parse("77071112233").unwrap()).await.unwrap().is_none());
}

#[tokio::test]
async fn an_administrator_gets_a_second_company_by_its_own_request_and_keeps_the_first() {
    let app = spawn().await;
    let applicant = app.browser();
    let fields = [
        ("bin", BIN_B),
        ("company_name", "АО «Бета»"),
        ("admin_name", "Carol Clark"),
        ("phone", CAROL),
        ("email", CAROL_EMAIL),
    ];
    register(&applicant, &fields, Some(("letter.pdf", LETTER))).await.assert_redirect("/register/sent");
    let id = pending_id(&app, &Bin::parse(BIN_B).unwrap()).await;
    let staff = staff_browser(&app, "aigerim").await;
    let csrf = staff.get(&format!("/operator/requests/{id}")).await.csrf();
    staff.post(&format!("/operator/requests/{id}/approve"), &[("csrf", csrf.as_str())]).await;
    let carol = admins::by_phone(&app.db, &Msisdn::parse(CAROL).unwrap()).await.unwrap().unwrap();
    assert!(carol.password_hash.is_some(), "her password stays");
    let mut bins: Vec<String> =
        admins::companies_of(&app.db, &carol.id).await.unwrap().into_iter().map(|c| c.bin).collect();
    bins.sort();
    let mut want = vec![BIN_A.to_string(), BIN_B.to_string()];
    want.sort();
    assert_eq!(bins, want);
    // Signed in, she switches to the new company.
    let b = app.signed_in(CAROL).await;
    assert!(b.get("/numbers").await.body.contains("АО «Бета»"));
}

/// Two members of staff press Approve at the same moment: one approval, one message, one
/// grant (a read-then-write decision would make two).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_staff_approving_one_request_at_once_decide_it_once() {
    let app = spawn().await;
    let bin = operators_new_customer(&app, 43).await;
    for round in 0..3 {
        let phone = format!("7701555800{round}");
        let fields = [
            ("bin", bin.as_str()),
            ("company_name", "Гамма"),
            ("admin_name", "Дана"),
            ("phone", phone.as_str()),
            ("email", "dana@gamma.kz"),
        ];
        register(&app.browser(), &fields, Some(("letter.pdf", LETTER))).await.assert_redirect("/register/sent");
        let id = pending_id(&app, &bin).await;
        let (a, b) = (staff_browser(&app, "aigerim").await, staff_browser(&app, "berik").await);
        let path = format!("/operator/requests/{id}");
        let (ca, cb) = (a.get(&path).await.csrf(), b.get(&path).await.csrf());
        let approve = format!("{path}/approve");
        let (fa, fb) = ([("csrf", ca.as_str())], [("csrf", cb.as_str())]);
        let (ra, rb) = tokio::join!(a.post(&approve, &fa), b.post(&approve, &fb));
        let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}");
        let told = cabinet_store::outbox::latest(&app.db, 200)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.recipient == phone)
            .count();
        assert_eq!(told, 1, "round {round}: told once");
    }
    let (companies,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies WHERE bin = $1")
        .bind(bin.as_str())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(companies, 1);
}

/// The same request sent twice at once (a double click): one is stored, the other told it
/// is already waiting (a check-then-insert let both through).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_request_sent_twice_at_once_is_stored_once() {
    let app = spawn().await;
    for round in 0..3 {
        let phone = format!("7701555810{round}");
        let fields = [
            ("bin", BIN_A),
            ("company_name", "ТОО «Альфа»"),
            ("admin_name", "Дана"),
            ("phone", phone.as_str()),
            ("email", "dana@alfa.kz"),
        ];
        let (a, b) = (app.browser(), app.browser());
        let letter = Some(("letter.pdf", LETTER));
        let (ra, rb) = tokio::join!(register(&a, &fields, letter), register(&b, &fields, letter));
        let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "round {round}");
    }
    assert_eq!(requests_count(&app).await, 3);
}

/// A letter over the limit: a little over is named on the form, far over is refused before
/// it is read; neither is stored.
#[tokio::test]
async fn a_letter_over_the_limit_is_refused_with_a_message() {
    let app = spawn().await;
    let applicant = app.browser();
    let fields = [
        ("bin", BIN_A),
        ("company_name", "ТОО «Альфа»"),
        ("admin_name", "Дана"),
        ("phone", "77015557101"),
        ("email", "dana@alfa.kz"),
    ];
    let max = cabinet_web::registration::LETTER_MAX_BYTES;
    let mut big = LETTER.to_vec();
    big.splice(9..9, std::iter::repeat_n(b' ', max + 1 - LETTER.len()));
    assert_eq!(big.len(), max + 1);
    let over = register(&applicant, &fields, Some(("letter.pdf", &big))).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body.contains("The file is too big: at most 5 MB."));
    let huge = vec![b'%'; max * 2];
    let refused = register(&applicant, &fields, Some(("letter.pdf", &huge))).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body.contains("too big") && refused.body.contains("<header"), "a page, with the header");
    assert_eq!(requests_count(&app).await, 0);
    // Every other form keeps its small limit.
    let form = vec![("q", "x".repeat(300 * 1024))];
    let res = applicant.client.post(format!("{}/signin", applicant.base)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// A member of staff who left: removed with `cabinet staff remove`, their open console
/// session ends at once; a new password ends the sessions too.
#[tokio::test]
async fn a_removed_or_repassworded_member_of_staff_is_signed_out_at_once() {
    let app = spawn().await;
    let aigerim = staff_browser(&app, "aigerim").await;
    let berik = staff_browser(&app, "berik").await;
    assert_eq!(aigerim.get("/operator").await.status, StatusCode::OK);
    cabinet::commands::staff_password(&app.db, "aigerim", "Новый пароль 2027!").await.unwrap();
    aigerim.get("/operator").await.assert_redirect("/operator/signin");
    assert_eq!(berik.get("/operator").await.status, StatusCode::OK, "only hers");
    cabinet::commands::staff_remove(&app.db, "berik").await.unwrap();
    berik.get("/operator").await.assert_redirect("/operator/signin");
    let again = berik
        .post_from("/operator/signin", "/operator/signin", &[("login", "berik"), ("password", STAFF_PASSWORD)])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "the account is gone");
    assert!(cabinet::commands::staff_remove(&app.db, "berik").await.is_err(), "nothing left to remove");
}
