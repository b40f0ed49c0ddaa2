//! Balance transfer from the tab beside Number management: the form, the confirmation, the
//! operator's ledger, the notice, the actions history, and refusals that move nothing.

use crate::helpers::*;
use cabinet_core::operator::{BillingMethod, NumberQuery, NumberSummary, OperatorPort};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

async fn numbers(app: &TestApp, bin: &str) -> Vec<NumberSummary> {
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    sim.list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items
}

async fn balance(app: &TestApp, bin: &str, n: &Msisdn) -> i64 {
    let sim = Simulator::new(app.db.db.clone());
    sim.number_profile(&Bin::parse(bin).unwrap(), n).await.unwrap().unwrap().summary.remaining.tiyn()
}

/// Two advance numbers of company A, the first with at least 100 ₸.
async fn sender_and_recipient(app: &TestApp) -> (Msisdn, Msisdn) {
    let all = numbers(app, BIN_A).await;
    let advance: Vec<_> = all.iter().filter(|n| n.billing == BillingMethod::Advance).collect();
    let from = advance.iter().find(|n| n.remaining.tiyn() >= 10_000).expect("an advance number with 100 ₸");
    let to = advance.iter().find(|n| n.msisdn != from.msisdn).expect("a second advance number");
    (from.msisdn.clone(), to.msisdn.clone())
}

fn key_in(page: &Page) -> String {
    let at = page.body.find("name=\"key\" value=\"").expect("the confirmation carries a key") + 18;
    page.body[at..at + 32].to_string()
}

async fn history(b: &Browser) -> String {
    b.get("/reports/actions").await.body
}

#[tokio::test]
async fn a_transfer_is_confirmed_made_once_shown_and_recorded() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let (from, to) = sender_and_recipient(&app).await;
    let (a0, b0) = (balance(&app, BIN_A, &from).await, balance(&app, BIN_A, &to).await);
    let amount = Money(5_005).format(cabinet_core::Locale::En);

    let form = b.get("/transfer").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Balance transfer from one company number to another"));
    assert!(form.body.contains("aria-current=\"page\">Balance transfer<"), "the tab is in the main menu");

    // Typed as people type: dashes in the numbers, a space in the tenge.
    let typed_from = format!("{}-{}-{}", &from.as_str()[1..4], &from.as_str()[4..7], &from.as_str()[7..]);
    let fields = [("from", typed_from.as_str()), ("to", to.as_str()), ("tenge", "50"), ("tiyn", "05")];
    let confirm = b.post_from("/transfer", "/transfer/confirm", &fields).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.body.contains(&escaped(&format!(
            "Transfer {amount} from number {} to number {}?",
            from.pretty(),
            to.pretty()
        ))),
        "{}",
        confirm.body
    );
    assert_eq!(balance(&app, BIN_A, &from).await, a0, "nothing moves before the confirmation");

    let key = key_in(&confirm);
    let hidden = [("from", from.as_str()), ("to", to.as_str()), ("tenge", "50"), ("tiyn", "05"), ("key", key.as_str())];
    let csrf = confirm.csrf();
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(&hidden);
    let done = b.post("/transfer", &form).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let notice_at = done.location().unwrap().to_string();
    assert!(notice_at.starts_with("/transfer?done="));
    assert_eq!(balance(&app, BIN_A, &from).await, a0 - 5_005);
    assert_eq!(balance(&app, BIN_A, &to).await, b0 + 5_005);

    let notice = b.get(&notice_at).await;
    assert!(notice.body.contains(&format!("The balance has been transferred: {amount}")), "{}", notice.body);
    assert!(notice.body.contains(&Money(a0 - 5_005).format(cabinet_core::Locale::En)), "the sender's new balance");

    // A second click on the same confirmation moves nothing more.
    let again = b.post("/transfer", &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(balance(&app, BIN_A, &from).await, a0 - 5_005);

    let h = history(&b).await;
    assert!(
        h.contains(&escaped(&format!(
            "Balance transfer of {amount} from number {} to number {}",
            from.pretty(),
            to.pretty()
        ))),
        "the history names the transfer"
    );
    // The profile shows the new balance at once.
    let profile = b.get(&format!("/numbers/{from}")).await;
    assert!(profile.body.contains(&Money(a0 - 5_005).format(cabinet_core::Locale::En)));
}

#[tokio::test]
async fn refusals_say_why_move_nothing_and_the_operators_are_recorded() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let (from, to) = sender_and_recipient(&app).await;
    let (a0, b0) = (balance(&app, BIN_A, &from).await, balance(&app, BIN_A, &to).await);
    let csrf = b.get("/transfer").await.csrf();
    let send = |from: String, to: String, tenge: String| {
        let b = &b;
        let csrf = csrf.clone();
        async move {
            let key = cabinet_store::ids::new_id();
            let form = [
                ("csrf", csrf.as_str()),
                ("from", from.as_str()),
                ("to", to.as_str()),
                ("tenge", tenge.as_str()),
                ("tiyn", "00"),
                ("key", key.as_str()),
            ];
            b.post("/transfer", &form).await
        }
    };

    // More than the sender has: the operator refuses; the history records the failure.
    let too_much = (a0 / 100 + 1).to_string();
    let page = send(from.to_string(), to.to_string(), too_much).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(&escaped("the sender's balance is less than the amount")), "{}", page.body);
    // Another company's number is not this company's, whatever its balance.
    let other = numbers(&app, BIN_B).await.into_iter().find(|n| n.billing == BillingMethod::Advance).unwrap();
    let other0 = balance(&app, BIN_B, &other.msisdn).await;
    let page = send(from.to_string(), other.msisdn.to_string(), "1".into()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(&escaped("the recipient is not one of the company's numbers")));
    let page = send(other.msisdn.to_string(), to.to_string(), "1".into()).await;
    assert!(page.body.contains(&escaped("the sender is not one of the company's numbers")));
    assert_eq!(balance(&app, BIN_B, &other.msisdn).await, other0);
    // A credit number has no balance to give.
    let credit = numbers(&app, BIN_A).await.into_iter().find(|n| n.billing == BillingMethod::Credit).unwrap();
    let page = send(credit.msisdn.to_string(), to.to_string(), "1".into()).await;
    assert!(page.body.contains("the sender is a credit number"));

    assert_eq!((balance(&app, BIN_A, &from).await, balance(&app, BIN_A, &to).await), (a0, b0));
    let h = history(&b).await;
    assert_eq!(h.matches("Balance transfer of").count(), 4, "each refusal of the operator is in the history");

    // Mistakes in the form: said at their fields, nothing sent, nothing recorded.
    for (f, t, tenge, tiyn, says) in [
        ("+7700111235", to.as_str(), "1", "00", "after +7"),
        (from.as_str(), to.as_str(), "abc", "00", "Enter the amount as tenge"),
        (from.as_str(), to.as_str(), "0", "00", "Enter an amount greater than zero"),
        (from.as_str(), to.as_str(), "1", "123", "Enter the amount as tenge"),
        (from.as_str(), from.as_str(), "1", "00", "the same number"),
        (from.as_str(), to.as_str(), "1000000000", "00", "The amount is too large"),
    ] {
        let form = [("csrf", csrf.as_str()), ("from", f), ("to", t), ("tenge", tenge), ("tiyn", tiyn)];
        for path in ["/transfer/confirm", "/transfer"] {
            let page = b.post(path, &form).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {f} {t} {tenge} {tiyn}");
            assert!(page.body.contains(says) || page.body.contains(&escaped(says)), "{path}: {says}\n{}", page.body);
        }
    }
    assert_eq!(history(&b).await.matches("Balance transfer of").count(), 4, "form mistakes are not recorded");
    assert_eq!((balance(&app, BIN_A, &from).await, balance(&app, BIN_A, &to).await), (a0, b0));
}

/// Money is the full and accountant roles' business: the operations role is neither offered
/// the tab nor let through, and an accountant is.
#[tokio::test]
async fn only_roles_that_may_move_money_are_offered_and_let_transfer() {
    use cabinet_store::{admins, companies};
    let app = spawn().await;
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let hash = cabinet_store::password::hash(PASSWORD.into()).await;
    for (phone, role) in [("77017770001", "operations"), ("77017770002", "accountant")] {
        let m = Msisdn::parse(phone).unwrap();
        let admin = admins::create(
            &app.db,
            admins::NewAdmin { phone: &m, name: role, email: None, password_hash: Some(&hash) },
            0,
        )
        .await
        .unwrap();
        admins::grant(&app.db, &admin, &a, role, 0).await.unwrap();
    }
    let operations = app.signed_in("77017770001").await;
    let numbers = operations.get("/numbers").await;
    assert_eq!(numbers.status, StatusCode::OK);
    assert!(!numbers.body.contains("href=\"/transfer\""), "the tab is not offered");
    assert_eq!(operations.get("/transfer").await.status, StatusCode::FORBIDDEN);
    let (from, to) = sender_and_recipient(&app).await;
    let before = balance(&app, BIN_A, &from).await;
    let csrf = numbers.csrf();
    let key = cabinet_store::ids::new_id();
    let form = [
        ("csrf", csrf.as_str()),
        ("from", from.as_str()),
        ("to", to.as_str()),
        ("tenge", "1"),
        ("tiyn", "00"),
        ("key", key.as_str()),
    ];
    assert_eq!(operations.post("/transfer", &form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(balance(&app, BIN_A, &from).await, before, "nothing moved");

    let accountant = app.signed_in("77017770002").await;
    assert!(accountant.get("/numbers").await.body.contains("href=\"/transfer\""));
    assert_eq!(accountant.get("/transfer").await.status, StatusCode::OK);
}
