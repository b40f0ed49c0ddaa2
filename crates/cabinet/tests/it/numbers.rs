//! Number management and the number profile, as an administrator sees them.

use crate::helpers::*;
use cabinet_core::operator::{NumberQuery, OperatorPort};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

async fn all_numbers(app: &TestApp, bin: &str) -> Vec<String> {
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    sim.list_numbers(&Bin::parse(bin).unwrap(), &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.msisdn.to_string())
        .collect()
}

#[tokio::test]
async fn the_list_pages_through_every_number_once() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let mut seen = Vec::new();
    let mut page = b.get("/numbers").await;
    assert!(page.body.contains("60 numbers"), "the company's count is shown");
    loop {
        seen.extend(numbers_on(&page));
        match pager_link(&page, "next") {
            Some(next) => page = b.get(&next).await,
            None => break,
        }
    }
    assert_eq!(seen, all_numbers(&app, BIN_A).await, "every number once, in order");
    // And back again.
    let back = b.get(&pager_link(&page, "prev").expect("a previous page")).await;
    assert_eq!(numbers_on(&back), seen[20..40].to_vec());
}

#[tokio::test]
async fn search_finds_a_number_typed_in_any_format_and_by_account() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let numbers = all_numbers(&app, BIN_A).await;
    let target = Msisdn::parse(&numbers[7]).unwrap();
    for typed in [target.pretty(), format!("8{}", &target.as_str()[1..]), target.to_string()] {
        let page = b.get(&format!("/numbers?q={}", typed.replace(' ', "+"))).await;
        assert_eq!(numbers_on(&page), vec![target.to_string()], "typed {typed}");
        assert!(page.body.contains("1 number found"));
    }
    let digits = &target.as_str()[5..9];
    let page = b.get(&format!("/numbers?q={digits}")).await;
    let found = numbers_on(&page);
    assert!(found.contains(&target.to_string()));
    let sim = Simulator::new(app.db.db.clone());
    for n in &found {
        let p = sim.number_profile(&Bin::parse(BIN_A).unwrap(), &Msisdn::parse(n).unwrap()).await.unwrap().unwrap();
        assert!(n.contains(digits) || p.summary.account_no.contains(digits), "{n} does not contain {digits}");
    }
    let profile = sim.number_profile(&Bin::parse(BIN_A).unwrap(), &target).await.unwrap().unwrap();
    let by_account = b.get(&format!("/numbers?q={}", profile.summary.account_no)).await;
    assert!(numbers_on(&by_account).contains(&target.to_string()));
}

#[tokio::test]
async fn a_search_that_is_not_digits_gets_a_clear_message() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let page = b.get("/numbers?q=abc").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Search by digits of a number or an account number only."));
    let none = b.get("/numbers?q=00000000000").await;
    assert!(none.body.contains("No numbers found."));
}

#[tokio::test]
async fn search_as_you_type_returns_the_table_alone() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let res = b.client.get(format!("{}/numbers?q=70", b.base)).header("HX-Request", "true").send().await.unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("number-link"));
    assert!(!body.contains("<html"), "only the fragment");
}

#[tokio::test]
async fn the_profile_shows_what_the_operator_knows() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let numbers = all_numbers(&app, BIN_A).await;
    for n in numbers.iter().take(12) {
        let msisdn = Msisdn::parse(n).unwrap();
        let p = sim.number_profile(&bin, &msisdn).await.unwrap().unwrap();
        let page = b.get(&format!("/numbers/{n}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&msisdn.pretty()));
        assert!(page.body.contains(&p.iccid), "ICCID");
        assert!(page.body.contains(&p.pin2) && page.body.contains(&p.puk1), "PIN/PUK");
        assert!(page.body.contains(&p.summary.account_no));
        assert!(page.body.contains(&p.summary.tariff.en), "tariff name in English");
        assert!(page.body.contains(&p.summary.remaining.format(cabinet_core::Locale::En)), "remaining money");
        for s in &p.services {
            assert!(page.body.contains(&format!("data-code=\"{}\"", s.code)), "service {}", s.code);
        }
        for section in [
            "General information",
            "SIM card and device",
            "Contract phone",
            "Remaining allowance",
            "Additional allowances",
            "Services",
        ] {
            assert!(page.body.contains(section), "{section}");
        }
    }
    let missing = b.get("/numbers/77000000000").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = b.get("/numbers/not-a-number").await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_switch_language_and_money_follows() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let n = all_numbers(&app, BIN_A).await.remove(0);
    let sim = Simulator::new(app.db.db.clone());
    let p = sim.number_profile(&Bin::parse(BIN_A).unwrap(), &Msisdn::parse(&n).unwrap()).await.unwrap().unwrap();

    let en = b.get(&format!("/numbers/{n}")).await;
    assert!(en.body.contains("General information"));
    b.get(&format!("/lang/ru?next=/numbers/{n}")).await.assert_redirect(&format!("/numbers/{n}"));
    let ru = b.get(&format!("/numbers/{n}")).await;
    assert!(ru.body.contains("Общая информация"));
    assert!(ru.body.contains(&p.summary.remaining.format(cabinet_core::Locale::Ru)));
    assert!(ru.body.contains("lang=\"ru\""));
    b.get("/lang/kk?next=/numbers").await;
    let kk = b.get("/numbers").await;
    assert!(kk.body.contains("<html lang=\"kk\">"));
    assert!(kk.body.contains("Нөмірлерді басқару"));
    let bad = b.get("/lang/de?next=/numbers").await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let open_redirect = b.get("/lang/en?next=//evil.example").await;
    open_redirect.assert_redirect("/");
}

#[tokio::test]
async fn an_administrator_of_two_companies_switches_between_them() {
    let app = spawn().await;
    let b = app.signed_in(ALICE).await;
    let id_of = |bin: &'static str| {
        let db = app.db.db.clone();
        async move { cabinet_store::companies::by_bin(&db, &Bin::parse(bin).unwrap()).await.unwrap().unwrap().id }
    };
    let (a_id, b_id) = (id_of(BIN_A).await, id_of(BIN_B).await);
    let a_numbers = all_numbers(&app, BIN_A).await;
    let b_numbers = all_numbers(&app, BIN_B).await;
    let first = b.get("/numbers").await;
    assert!(first.body.contains("ТОО «Альфа»") && first.body.contains("АО «Бета»"), "both companies in the switcher");
    for (id, expected, count) in [(&b_id, &b_numbers, "30 numbers"), (&a_id, &a_numbers, "60 numbers")] {
        let csrf = b.get("/numbers").await.csrf();
        let before = sessions_of(&app, ALICE).await;
        let switched = b.post("/company", &[("csrf", csrf.as_str()), ("company_id", id.as_str())]).await;
        switched.assert_redirect("/numbers");
        // Another company may be another role: the session gets a new id, the old one is gone.
        assert!(b.cookie_value(&switched, "cabinet_session").await.is_some(), "a new session cookie");
        let after = sessions_of(&app, ALICE).await;
        assert_eq!((before.len(), after.len()), (1, 1));
        assert_ne!(before, after, "the id rotated");
        let page = b.get("/numbers").await;
        assert!(page.body.contains(count), "{count}");
        assert_eq!(numbers_on(&page), expected[..20].to_vec());
        assert!(page.body.contains(&format!("value=\"{id}\" selected")), "the switcher shows the current company");
    }
}

/// The stored session ids (hashes) of the administrator with `phone`.
async fn sessions_of(app: &TestApp, phone: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT s.id_hash FROM sessions s JOIN admins a ON a.id = s.admin_id WHERE a.phone = $1")
        .bind(phone)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

/// The row of `n` in a list page or a row fragment.
fn row_of<'a>(body: &'a str, n: &str) -> &'a str {
    let start = body.find(&format!("<tr id=\"row-{n}\"")).unwrap_or_else(|| panic!("no row for {n}"));
    let end = body[start..].find("</tr>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn the_list_and_the_profile_agree_while_any_request_waits_and_the_row_updates_itself() {
    // No worker: the request stays with Cabinet (Processing), the operator still says Active.
    let app = spawn_with(Options { worker: false, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    let n = all_numbers(&app, BIN_A).await.remove(0);
    let before = b.get("/numbers").await;
    assert!(row_of(&before.body, &n).contains("state active"), "{}", row_of(&before.body, &n));

    // A service switch: not a change of the number's state.
    let profile = b.get(&format!("/numbers/{n}")).await;
    let marker = format!("href=\"/numbers/{n}/services/");
    let start = profile.body.find(&marker).expect("a service switch") + "href=\"".len();
    let href = &profile.body[start..start + profile.body[start..].find('"').unwrap()];
    let confirm = b.get(href).await;
    assert_eq!(confirm.status, StatusCode::OK, "{href}");
    b.post(href, &[("csrf", confirm.csrf().as_str())]).await;

    let profile = b.get(&format!("/numbers/{n}")).await;
    assert!(profile.body.contains("id=\"number-state\">Processing"), "the profile says Processing");
    let list = b.get("/numbers").await;
    let row = row_of(&list.body, &n);
    assert!(row.contains("state processing") && row.contains(">Processing<"), "the list agrees: {row}");
    assert!(row.contains(&format!("hx-get=\"/numbers/{n}/row\"")) && row.contains("every 2s"), "it polls: {row}");
    let other = all_numbers(&app, BIN_A).await.remove(1);
    assert!(!row_of(&list.body, &other).contains("hx-get"), "only the waiting row polls");

    let fragment = b.get(&format!("/numbers/{n}/row")).await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.body.contains("<html"), "the row alone");
    assert!(row_of(&fragment.body, &n).contains(">Processing<"));

    // The request is done: the row shows the state, stops polling and announces it.
    let company = cabinet_store::companies::by_bin(&app.db.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let pending = cabinet_store::actions::pending_on(&app.db.db, &company.id, &n).await.unwrap().expect("pending");
    let job = pending.job_id.unwrap();
    cabinet_store::actions::finish_for_job(&app.db.db, &job, cabinet_store::actions::SUCCESS, None, 1).await.unwrap();
    let fragment = b.get(&format!("/numbers/{n}/row")).await;
    let row = row_of(&fragment.body, &n);
    assert!(row.contains(">Active<") && !row.contains("hx-get"), "{row}");
    assert!(row.contains("data-announce=\""), "{row}");
    assert!(row_of(&b.get("/numbers").await.body, &n).contains(">Active<"));

    // Another company's number, or no number at all, has no row.
    let theirs = all_numbers(&app, BIN_B).await.remove(0);
    assert_eq!(b.get(&format!("/numbers/{theirs}/row")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/numbers/garbage/row").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_show_their_range_and_a_refused_search_replaces_the_results() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let first = b.get("/numbers").await;
    assert!(first.body.contains("1–20 of 60"), "the first page's range");
    let second = b.get(&pager_link(&first, "next").unwrap()).await;
    assert!(second.body.contains("21–40 of 60"), "the second page's range");
    let third = b.get(&pager_link(&second, "next").unwrap()).await;
    assert!(third.body.contains("41–60 of 60"));
    assert!(pager_link(&third, "next").is_none());
    let back = b.get(&pager_link(&third, "prev").unwrap()).await;
    assert!(back.body.contains("21–40 of 60"), "back again");
    // A position that does not fit the page is not believed on the first page.
    let forged = b.get("/numbers?from=500").await;
    assert!(forged.body.contains("1–20 of 60"));
    // An old link without the position shows no range rather than a wrong one.
    let old = b.get(&format!("/numbers?after={}", numbers_on(&first)[19])).await;
    assert_eq!(numbers_on(&old), numbers_on(&second));
    assert!(!old.body.contains("id=\"numbers-range\"") && !old.body.contains("1–20 of"));

    // Search-as-you-type with letters: the 422 fragment holds the message and neither the
    // count nor the rows (app.js lets htmx swap it in).
    let res = b.client.get(format!("{}/numbers?q=abc", b.base)).header("HX-Request", "true").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"search-error\"") && !body.contains("number-link") && !body.contains("numbers-count"));

    // A search that finds nothing says what to try, and offers the whole list.
    let none = b.get("/numbers?q=00000000000").await;
    assert!(none.body.contains("class=\"empty-state\"") && none.body.contains("Show all numbers"));
}
