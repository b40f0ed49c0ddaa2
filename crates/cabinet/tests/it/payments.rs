//! Payment history of advance numbers: on screen and as XLSX, against the operator's books.

use crate::helpers::*;
use cabinet_core::operator::{BalanceMove, BalanceMoveKind, BillingMethod, NumberQuery, NumberSummary, OperatorPort};
use cabinet_core::{Bin, Locale, Money, Msisdn};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

async fn numbers(app: &TestApp, bin: &str) -> Vec<NumberSummary> {
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    sim.list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items
}

async fn moves(app: &TestApp, n: &Msisdn, from_ms: i64, to_ms: i64) -> Vec<BalanceMove> {
    let sim = Simulator::new(app.db.db.clone());
    sim.balance_moves(&Bin::parse(BIN_A).unwrap(), n, from_ms, to_ms).await.unwrap().unwrap()
}

/// The dates of the last `days` days up to today, as the forms take them, and as instants.
fn last_days(days: i64) -> (String, String, i64, i64) {
    let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let from = today.checked_sub(jiff::Span::new().days(days)).unwrap();
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
    let f = |d: jiff::civil::Date| d.strftime("%d-%m-%Y").to_string();
    (f(from), f(today), ms(from), ms(today.tomorrow().unwrap()))
}

#[tokio::test]
async fn an_advance_numbers_payments_are_shown_and_exported_as_the_books_hold_them() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let (from, to, from_ms, to_ms) = last_days(80);
    let all = numbers(&app, BIN_A).await;
    let mut chosen = None;
    for n in all.iter().filter(|n| n.billing == BillingMethod::Advance) {
        let m = moves(&app, &n.msisdn, from_ms, to_ms).await;
        let top_up = m.iter().any(|mv| matches!(mv.kind, BalanceMoveKind::TopUp { .. }));
        let invoice = m.iter().any(|mv| matches!(mv.kind, BalanceMoveKind::Invoice { .. }));
        // The open month's usage up to yesterday, unless today is the month's first day.
        let usage = m.iter().any(|mv| matches!(mv.kind, BalanceMoveKind::Usage { .. })) || to.starts_with("01-");
        if top_up && invoice && usage {
            chosen = Some((n.clone(), m));
            break;
        }
    }
    let (n, m) = chosen.expect("an advance number topped up, invoiced and charged for usage in the last 80 days");

    let profile = b.get(&format!("/numbers/{}", n.msisdn)).await;
    assert!(profile.body.contains(&format!("href=\"/numbers/{}/payments\"", n.msisdn)), "the number page leads there");

    let page = b.get(&format!("/numbers/{}/payments?from={from}&to={to}", n.msisdn)).await;
    assert_eq!(page.status, StatusCode::OK);
    // Top-ups, and the closed months' invoices settled from the balance.
    let type_of = |mv: &BalanceMove| match &mv.kind {
        BalanceMoveKind::TopUp { .. } => "Balance top-up",
        BalanceMoveKind::Invoice { .. } => "Monthly invoice",
        BalanceMoveKind::Usage { .. } => "Usage charges",
        other => panic!("the seed makes no {other:?}"),
    };
    for kind in ["Balance top-up", "Monthly invoice", "Usage charges"] {
        let cells = page.body.matches(&format!("<td data-label=\"Type\">{kind}</td>")).count();
        assert_eq!(cells, m.iter().filter(|mv| type_of(mv) == kind).count(), "{kind}: {}", page.body);
    }
    for mv in &m {
        if let BalanceMoveKind::Invoice { invoice, .. } = &mv.kind {
            assert!(page.body.contains(&format!("Invoice {invoice} for ")), "the comment names the invoice");
        }
        if let BalanceMoveKind::Usage { last_day, .. } = &mv.kind {
            let (y, rest) = last_day.split_once('-').unwrap();
            let (mo, d) = rest.split_once('-').unwrap();
            let says = format!("Calls, messages and data up to {d}.{mo}.{y} inclusive");
            assert!(page.body.contains(&says), "the comment says up to which day: {says}");
        }
    }
    for mv in &m {
        assert!(page.body.contains(&mv.amount.format(Locale::En)));
        assert!(page.body.contains(&mv.balance_after.format(Locale::En)));
    }
    assert!(page.body.contains("reference "), "the comment names the channel's reference");

    let res = b
        .client
        .get(format!("{}/numbers/{}/payments.xlsx?from={from}&to={to}", b.base, n.msisdn))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<_> = range.rows().skip(4).collect();
    assert_eq!(rows.len(), m.len(), "a row per move");
    for (row, mv) in rows.iter().zip(&m) {
        assert!(matches!(&row[0], Data::DateTime(d) if d.is_datetime()), "a date cell: {:?}", row[0]);
        assert_eq!(row[1], Data::String(type_of(mv).into()));
        let money = |c: &Data| match c {
            Data::Float(f) => (f * 100.0).round() as i64,
            other => panic!("a number cell, not {other:?}"),
        };
        assert_eq!(money(&row[3]), mv.amount.tiyn());
        assert_eq!(money(&row[4]) + money(&row[3]), money(&row[5]), "before + sum = after");
        assert_eq!(money(&row[5]), mv.balance_after.tiyn());
    }
}

#[tokio::test]
async fn a_transfer_shows_on_both_numbers_and_wrong_requests_are_refused() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let all = numbers(&app, BIN_A).await;
    let advance: Vec<_> = all.iter().filter(|n| n.billing == BillingMethod::Advance).collect();
    let from = advance.iter().find(|n| n.remaining.tiyn() >= 10_000).unwrap();
    let to = advance.iter().find(|n| n.msisdn != from.msisdn).unwrap();
    let sim = Simulator::new(app.db.db.clone());
    sim.transfer(&Bin::parse(BIN_A).unwrap(), &from.msisdn, &to.msisdn, Money(1_234), "pay-test")
        .await
        .unwrap()
        .unwrap();

    let out = b.get(&format!("/numbers/{}/payments", from.msisdn)).await;
    assert!(out.body.contains("Balance transfer out"));
    assert!(out.body.contains(&escaped(&format!("To number {}", to.msisdn.pretty()))));
    assert!(out.body.contains(&Money(-1_234).format(Locale::En)));
    let inn = b.get(&format!("/numbers/{}/payments", to.msisdn)).await;
    assert!(inn.body.contains("Balance transfer in"));
    assert!(inn.body.contains(&escaped(&format!("From number {}", from.msisdn.pretty()))));

    // A credit number: its payments are its account's; no form, no file.
    let credit = all.iter().find(|n| n.billing == BillingMethod::Credit).unwrap();
    let page = b.get(&format!("/numbers/{}/payments", credit.msisdn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"payments-credit\"") && !page.body.contains("id=\"payments-screen\""));
    assert!(!b.get(&format!("/numbers/{}", credit.msisdn)).await.body.contains("id=\"payments\""));
    assert_eq!(b.get(&format!("/numbers/{}/payments.xlsx", credit.msisdn)).await.status, StatusCode::NOT_FOUND);
    // Another company's number and a malformed one are not found; a bad period is said.
    let other = numbers(&app, BIN_B).await.into_iter().find(|n| n.billing == BillingMethod::Advance).unwrap();
    assert_eq!(b.get(&format!("/numbers/{}/payments", other.msisdn)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/numbers/12ab/payments").await.status, StatusCode::NOT_FOUND);
    let bad = b.get(&format!("/numbers/{}/payments?from=31-02-2026&to=01-03-2026", from.msisdn)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"payments-error\""));
    // More than a year is refused with this page's own limit, not the actions history's.
    let bad = b.get(&format!("/numbers/{}/payments?from=01-01-2025&to=01-03-2026", from.msisdn)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("366"), "the year's limit is named");
    assert!(!bad.body.contains("3 year") && !bad.body.contains("3 год"));
    let bad = b.get(&format!("/numbers/{}/payments.xlsx?from=01-01-2020&to=01-03-2026", from.msisdn)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
