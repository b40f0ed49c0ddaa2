//! Documents and reports → Unallocated payments: the company's payments the operator could
//! not put to an account, as the simulator keeps them; the advice with the operator's
//! address; the empty message; each view in the actions history; never another company's.

use crate::helpers::*;
use cabinet_core::operator::{BillingMethod, NumberQuery, OperatorPort, PaymentChannel};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Locale, Money};
use cabinet_sim::Simulator;
use cabinet_sim::billing::{IncomingPayment, PayTo, Received, allocate, receive};
use reqwest::StatusCode;

const DAY: i64 = 86_400_000;

/// Allocates every payment of the customer's that waits, so that its page has none.
async fn allocate_all(sim: &Simulator, bin: &Bin) {
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let numbers = sim.list_numbers(bin, &q).await.unwrap().items;
    let account = &numbers.iter().find(|n| n.billing == BillingMethod::Credit).expect("a credit account").account_no;
    for p in sim.unallocated_payments(bin).await.unwrap() {
        allocate(sim.db(), bin, &p.reference, account, now_ms()).await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_company_sees_its_own_unallocated_payments_with_the_advice_and_each_view_is_recorded() {
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let (a, b) = (Bin::parse(BIN_A).unwrap(), Bin::parse(BIN_B).unwrap());
    let received_ms = now_ms() - 3 * DAY;
    let payment = IncomingPayment {
        to: PayTo::Unallocated,
        amount: Money(123_456),
        channel: PaymentChannel::BankTransfer,
        reference: "PO-4711",
        received_ms,
    };
    assert_eq!(receive(sim.db(), &a, &payment).await.unwrap(), Ok(Received::Unallocated));
    allocate_all(&sim, &b).await;
    let waiting = sim.unallocated_payments(&a).await.unwrap();
    assert!(!waiting.is_empty());

    // Carol administers company A only.
    let carol = app.signed_in(CAROL).await;
    let page = carol.get("/reports/unallocated").await;
    assert_eq!(page.status, StatusCode::OK);
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    for p in &waiting {
        let row = format!(
            "{}</td>\n    <td data-label=\"Payment order number\">{}</td>\n    <td class=\"money\" data-label=\"Sum\">{}</td>",
            zone.date(p.received_ms).replace('.', "-"),
            p.reference,
            p.amount.format(Locale::En)
        );
        assert!(page.body.contains(&row), "{row} in {}", page.body);
    }
    assert_eq!(page.body.matches("<td data-label=\"Payment order number\">").count(), waiting.len(), "no other rows");
    assert!(page.body.contains(
        "Dear Administrator, please note that there are unallocated payment(s) on your account. Kindly send the \
         payment allocation register to payments@cabinet.example.kz for proper processing."
    ));
    assert!(!page.body.contains("You have no unallocated payments."));
    assert!(page.body.contains("id=\"tab-unallocated\" aria-current=\"page\""), "its tab is current");

    // The view is in the company's actions history, under Carol's name.
    let history = carol.get("/reports/actions").await.body;
    assert!(history.contains("href=\"/reports/unallocated\" id=\"tab-unallocated\""), "a tab beside Actions history");
    let at = history.find("View Unknown payments").expect("the view is recorded");
    assert!(history[at..].contains("Carol Clark 77071234567"), "by whom");

    // Bob administers company B only: none of A's payments, the empty message, no advice.
    let bob = app.signed_in(BOB).await;
    let theirs = bob.get("/reports/unallocated").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains("You have no unallocated payments."));
    assert!(!theirs.body.contains("PO-4711") && !theirs.body.contains("Dear Administrator"));
    assert!(!bob.get("/reports/actions").await.body.contains("Carol Clark"), "nor A's history");

    // In Russian, the manual's words.
    carol.get("/lang/ru").await;
    let ru = carol.get("/reports/unallocated").await.body;
    assert!(ru.contains("Неразнесенные платежи") && ru.contains("Номер платежного поручения"));
    assert!(ru.contains("Просим отправить для зачисления платежа/ей реестр на payments@cabinet.example.kz"));
    assert!(ru.contains(&Money(123_456).format(Locale::Ru)));

    // Once allocated, the payment leaves the page.
    allocate_all(&sim, &a).await;
    carol.get("/lang/en").await;
    let none = carol.get("/reports/unallocated").await.body;
    assert!(none.contains("You have no unallocated payments.") && !none.contains("PO-4711"));
    let views = carol.get("/reports/actions").await.body.matches("View Unknown payments").count();
    assert_eq!(views, 3, "each view is recorded");
}
