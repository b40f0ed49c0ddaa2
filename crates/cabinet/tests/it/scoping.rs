//! No administrator ever sees another company's data: company B's administrator tries
//! every route with company A's ids.

use crate::helpers::*;
use cabinet_core::Bin;
use cabinet_core::operator::{NumberQuery, OperatorPort};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

#[tokio::test]
async fn company_b_gets_nothing_of_company_a() {
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let a_numbers: Vec<String> = sim
        .list_numbers(&Bin::parse(BIN_A).unwrap(), &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.msisdn.to_string())
        .collect();
    let a = cabinet_store::companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let bob = app.signed_in(BOB).await;

    // The list never shows A's numbers, on any page or search.
    let mut page = bob.get("/numbers").await;
    assert!(page.body.contains("30 numbers"));
    loop {
        for n in numbers_on(&page) {
            assert!(!a_numbers.contains(&n), "{n} of company A listed to B");
        }
        match pager_link(&page, "next") {
            Some(next) => page = bob.get(&next).await,
            None => break,
        }
    }
    for n in a_numbers.iter().take(10) {
        let profile = bob.get(&format!("/numbers/{n}")).await;
        assert_eq!(profile.status, StatusCode::NOT_FOUND, "profile of A's {n}");
        assert!(!profile.body.contains(n.as_str()) || profile.body.contains("another company"));
        let search = bob.get(&format!("/numbers?q={n}")).await;
        assert!(numbers_on(&search).is_empty(), "search for A's {n}");
    }
    // Switching to A's company id is refused and changes nothing.
    let csrf = bob.get("/numbers").await.csrf();
    let switch = bob.post("/company", &[("csrf", csrf.as_str()), ("company_id", a.id.as_str())]).await;
    assert_eq!(switch.status, StatusCode::NOT_FOUND);
    let after = bob.get("/numbers").await;
    assert!(after.body.contains("30 numbers"), "still in company B");
    assert!(!after.body.contains("ТОО «Альфа»"), "A is not even named");
}

#[tokio::test]
async fn pages_need_a_signed_in_administrator() {
    let app = spawn().await;
    let anon = app.browser();
    anon.get("/numbers").await.assert_redirect("/signin");
    // Elsewhere, sign-in is told the page to come back to.
    anon.get("/numbers/77012112101").await.assert_redirect("/signin?next=/numbers/77012112101");
    anon.get("/numbers?q=701").await.assert_redirect("/signin?next=/numbers%3Fq%3D701");
    // Halfway (password given, code not yet): still not signed in.
    anon.submit_password(ALICE, PASSWORD).await;
    anon.get("/numbers").await.assert_redirect("/signin");
}
