//! Company administrators: an administrator with the full role gives, changes and removes
//! other administrators' access to the company; the roles take effect on the server at
//! once; nobody changes their own access; the company always keeps a full administrator,
//! even when two of them take each other's away at the same moment (both engines).

use crate::helpers::*;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{admins, companies};
use reqwest::StatusCode;

const PAGE: &str = "/company/admins";

async fn admin_id(app: &TestApp, phone: &str) -> String {
    admins::by_phone(&app.db, &Msisdn::parse(phone).unwrap()).await.unwrap().unwrap().id
}

async fn role_in_a(app: &TestApp, phone: &str) -> Option<String> {
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    admins::granted_company(&app.db, &admin_id(app, phone).await, &a.id).await.unwrap().map(|g| g.role)
}

/// Alice administers both companies: she works in A for these tests.
async fn alice_in_a(app: &TestApp) -> Browser {
    let alice = app.signed_in(ALICE).await;
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    alice.post_from("/numbers", "/company", &[("company_id", &a.id)]).await.assert_redirect("/numbers");
    alice
}

#[tokio::test]
async fn a_full_administrator_gives_changes_and_removes_access_and_the_roles_apply_at_once() {
    let app = spawn().await;
    let alice = alice_in_a(&app).await;
    let carol = app.signed_in(CAROL).await;
    let page = alice.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Carol Clark") && page.body.contains("+7 707 123 45 67"), "{}", page.body);
    assert!(alice.get("/account").await.body.contains("href=\"/company/admins\""), "linked from My profile");

    // A phone without an account: a name is needed, then the account is created unactivated.
    let dana = "77015550022";
    let unnamed = alice.post_from(PAGE, PAGE, &[("phone", dana), ("role", "accountant")]).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("give the administrator"), "{}", unnamed.body);
    let fields = [("phone", "+7 701 555 00 22"), ("name", "Дана Даулет"), ("role", "accountant")];
    alice.post_from(PAGE, PAGE, &fields).await.assert_redirect("/company/admins?done=granted");
    assert_eq!(role_in_a(&app, dana).await.as_deref(), Some("accountant"));
    let dana_admin = admins::by_phone(&app.db, &Msisdn::parse(dana).unwrap()).await.unwrap().unwrap();
    assert!(dana_admin.password_hash.is_none(), "activated by Forgot password?");
    assert!(alice.get(PAGE).await.body.contains("Not activated yet"));
    let again = alice.post_from(PAGE, PAGE, &fields).await;
    assert!(again.body.contains("has access to the company already"), "{}", again.body);

    // Carol, full so far, may transfer; as read-only she may not, at once, and the page is
    // not offered to her.
    assert_eq!(carol.get("/transfer").await.status, StatusCode::OK);
    let carol_id = admin_id(&app, CAROL).await;
    let form = format!("{PAGE}/{carol_id}/role");
    // Operations: the documents' tabs are not offered, and refused if asked for.
    alice.post_from(PAGE, &form, &[("role", "operations")]).await.assert_redirect("/company/admins?done=role");
    let history = carol.get("/reports/actions").await.body;
    assert!(history.contains("id=\"tab-actions\"") && !history.contains("id=\"tab-acts\""), "{history}");
    assert!(!history.contains("id=\"tab-company-payments\""));
    assert_eq!(carol.get("/reports/acts").await.status, StatusCode::FORBIDDEN);
    alice.post_from(PAGE, &form, &[("role", "read_only")]).await.assert_redirect("/company/admins?done=role");
    assert!(carol.get("/reports/actions").await.body.contains("id=\"tab-acts\""), "read-only reads documents");
    assert_eq!(carol.get("/transfer").await.status, StatusCode::FORBIDDEN);
    assert_eq!(carol.get("/reports/actions").await.status, StatusCode::OK, "read-only still reads");
    assert_eq!(carol.get(PAGE).await.status, StatusCode::FORBIDDEN);
    assert!(!carol.get("/account").await.body.contains("href=\"/company/admins\""));
    let forged = carol.post_from("/account", &format!("{PAGE}/{}/remove", admin_id(&app, ALICE).await), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a read-only administrator changes nobody's access");
    let history = alice.get("/reports/actions").await.body;
    assert!(history.contains("Role changed: +7 707 123 45 67 · Read only"), "{history}");
    assert!(history.contains("Access to the company given to +7 701 555 00 22 · Accountant"));

    // Removed: Carol's session no longer reaches the company.
    alice
        .post_from(PAGE, &format!("{PAGE}/{carol_id}/remove"), &[])
        .await
        .assert_redirect("/company/admins?done=removed");
    assert_eq!(role_in_a(&app, CAROL).await, None);
    let after = carol.get("/numbers").await.body;
    assert!(after.contains("No company is linked to your account") && !after.contains("ТОО «Альфа»"), "{after}");
    assert!(alice.get("/reports/actions").await.body.contains("Access to the company removed from +7 707 123 45 67"));
}

#[tokio::test]
async fn nobody_changes_their_own_access_nor_another_companys_administrators() {
    let app = spawn().await;
    let alice = alice_in_a(&app).await;
    let me = admin_id(&app, ALICE).await;
    let own = alice.post_from(PAGE, &format!("{PAGE}/{me}/role"), &[("role", "read_only")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.body.contains("You cannot change your own access"), "{}", own.body);
    assert_eq!(role_in_a(&app, ALICE).await.as_deref(), Some("full"));
    // Bob administers company B only: in company A he is not found.
    let bob = admin_id(&app, BOB).await;
    assert_eq!(alice.post_from(PAGE, &format!("{PAGE}/{bob}/remove"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(alice.post_from(PAGE, &format!("{PAGE}/not-an-id/remove"), &[]).await.status, StatusCode::NOT_FOUND);
    let odd = alice.post_from(PAGE, &format!("{PAGE}/{me}/role"), &[("role", "god")]).await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
}

/// Alice and Carol, both full, take each other's full role away at the same moment: one
/// succeeds, the other is refused, and the company keeps a full administrator.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_full_administrators_demoting_each_other_at_once_leave_one_full() {
    let app = spawn().await;
    let alice = alice_in_a(&app).await;
    let carol = app.signed_in(CAROL).await;
    let (alice_id, carol_id) = (admin_id(&app, ALICE).await, admin_id(&app, CAROL).await);
    let (a_csrf, c_csrf) = (alice.get(PAGE).await.csrf(), carol.get(PAGE).await.csrf());
    let a_form = format!("{PAGE}/{carol_id}/role");
    let c_form = format!("{PAGE}/{alice_id}/role");
    let a_fields = [("csrf", a_csrf.as_str()), ("role", "operations")];
    let c_fields = [("csrf", c_csrf.as_str()), ("role", "operations")];
    let (a, c) = tokio::join!(alice.post(&a_form, &a_fields), carol.post(&c_form, &c_fields));
    let done = [&a, &c].iter().filter(|p| p.status == StatusCode::SEE_OTHER).count();
    assert_eq!(done, 1, "{} {}", a.status, c.status);
    let refused = if a.status == StatusCode::SEE_OTHER { &c } else { &a };
    assert!(
        refused.status == StatusCode::FORBIDDEN
            || refused.body.contains("must keep an administrator with the full role"),
        "{}: {}",
        refused.status,
        refused.body
    );
    let fulls = [role_in_a(&app, ALICE).await, role_in_a(&app, CAROL).await];
    assert_eq!(fulls.iter().filter(|r| r.as_deref() == Some("full")).count(), 1, "{fulls:?}");
}
