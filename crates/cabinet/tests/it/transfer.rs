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

    // A second click on the same confirmation moves nothing more and leads to the same notice.
    let again = b.post("/transfer", &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), Some(notice_at.as_str()));
    assert_eq!(balance(&app, BIN_A, &from).await, a0 - 5_005);

    let h = history(&b).await;
    let named =
        escaped(&format!("Balance transfer of {amount} from number {} to number {}", from.pretty(), to.pretty()));
    assert_eq!(h.matches(&named).count(), 1, "the history names the transfer once");
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

/// The portal killed (SIGKILL) while the operator makes a confirmed transfer: nothing is
/// lost and nothing made twice. The transfer waits in the actions history as processing;
/// the next process asks the operator again with the confirmation's key once the page's
/// hold runs out, so the transfer is made once, recorded with its reference, and the
/// company's money is where it was, only moved.
#[tokio::test]
async fn a_portal_killed_mid_transfer_loses_and_creates_nothing() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let (from, to) = sender_and_recipient(&app).await;
    let (a0, b0) = (balance(&app, BIN_A, &from).await, balance(&app, BIN_A, &to).await);
    let all_before: i64 = numbers(&app, BIN_A).await.iter().map(|n| n.remaining.tiyn()).sum();
    // The operator takes 3 s to answer; a claim holds a job 2 s.
    let slow = [("CABINET_SIM_TRANSFER_DELAY_MS", "3000"), ("CABINET_JOB_LEASE_SECONDS", "2")];
    let first = cabinet_serve(&app, &slow);
    let on_first = Browser { client: b.client.clone(), base: first.base.clone() };
    let fields = [("from", from.as_str()), ("to", to.as_str()), ("tenge", "12"), ("tiyn", "34")];
    let confirm = on_first.post_from("/transfer", "/transfer/confirm", &fields).await;
    let key = key_in(&confirm);
    let csrf = confirm.csrf();
    let form: Vec<(String, String)> = [("csrf", csrf.as_str()), ("key", key.as_str())]
        .into_iter()
        .chain(fields)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let url = format!("{}/transfer", first.base);
    let client = b.client.clone();
    let posted = tokio::spawn(async move { client.post(url).form(&form).send().await });
    // The transfer is recorded as under way before the operator is asked.
    let processing = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM actions WHERE kind = 'transfer' AND status = 'processing'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        n
    };
    for _ in 0..100 {
        if processing().await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(processing().await, 1, "the transfer is under way");
    drop(first); // SIGKILL, while the operator is still answering
    assert!(posted.await.unwrap().is_err(), "the page never answered");
    assert_eq!(balance(&app, BIN_A, &from).await, a0, "nothing was moved yet");

    // The next process finishes it.
    let _second = cabinet_serve(&app, &[("CABINET_JOB_LEASE_SECONDS", "2")]);
    for _ in 0..300 {
        if processing().await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(processing().await, 0, "the transfer's outcome is recorded");
    assert_eq!(balance(&app, BIN_A, &from).await, a0 - 1_234, "made once");
    assert_eq!(balance(&app, BIN_A, &to).await, b0 + 1_234);
    let all_after: i64 = numbers(&app, BIN_A).await.iter().map(|n| n.remaining.tiyn()).sum();
    assert_eq!(all_after, all_before, "the company's money only moved");
    let (txns,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sim_ledger_txns WHERE kind = 'transfer' AND key = $1")
        .bind(&key)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(txns, 1, "one transfer in the books");
    let (status, details): (String, String) =
        sqlx::query_as("SELECT status, details FROM actions WHERE kind = 'transfer'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "success");
    assert!(details.contains("\"reference\":\"T"), "recorded with the operator's reference: {details}");
    // The history names it.
    let h = history(&b).await;
    assert!(h.contains(&escaped(&format!("from number {} to number {}", from.pretty(), to.pretty()))));
}
