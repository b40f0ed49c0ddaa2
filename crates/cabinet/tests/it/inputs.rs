//! Input that a review from outside found mishandled: redirects with control characters,
//! periods with line breaks, pages past any end, a phone number a digit short, and the
//! actions history's spreadsheet (every row, real dates) with counts grouped as money is.

use crate::helpers::*;
use cabinet_core::operator::{NumberQuery, OperatorPort};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::Simulator;
use cabinet_store::{actions, admins, companies};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn the_language_switch_goes_only_to_a_plain_local_path() {
    let app = spawn().await;
    let b = app.browser();
    b.get("/lang/en?next=/numbers%3Fq%3D0542").await.assert_redirect("/numbers?q=0542");
    // A browser drops the tab and lands on //evil.example; CR, LF and NUL cannot be in a header.
    for next in ["/%09/evil.example", "/%0a/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/x%00", "/%5Cevil.example"] {
        let page = b.get(&format!("/lang/en?next={next}")).await;
        assert!(page.status.is_redirection(), "{next}: {}", page.status);
        assert_eq!(page.location(), Some("/"), "{next}");
    }
}

/// Today in the operator's zone as the period fields take it, and `days` before.
fn days_back(days: i64) -> (String, String) {
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap()).date();
    let from = today.checked_sub(jiff::Span::new().days(days)).unwrap();
    (from.strftime("%d-%m-%Y").to_string(), today.strftime("%d-%m-%Y").to_string())
}

#[tokio::test]
async fn the_history_takes_periods_with_line_breaks_and_refuses_pages_past_any_end() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let (from, to) = days_back(10);
    // The period as typed went into the file name header: CR or LF made it a 500.
    let res = b.get(&format!("/reports/actions.xlsx?from={from}%0d%0a&to=%0a{to}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-disposition"], format!("attachment; filename=\"actions-{from}-{to}.xlsx\""));
    let page = b.get(&format!("/reports/actions?from=%0d{from}&to={to}%0d%0a")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("value=\"{from}\"")), "the period written anew");

    for bad in ["9223372036854775807", "99999999999999999999", "-1", "0", "1e3", "%00"] {
        let page = b.get(&format!("/reports/actions?page={bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page={bad}");
        assert!(page.body.contains("<html"), "the visitor's error page, not a bare rejection");
    }
    // The furthest page whose offset the store can take: empty, but a page.
    let far = b.get(&format!("/reports/actions?page={}", i64::MAX / 50)).await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(b.get("/reports/actions?page=1").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_forwarding_number_a_digit_short_is_refused_not_made_another_number() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    let n = sim.list_numbers(&bin, &NumberQuery { limit: 1, ..NumberQuery::default() }).await.unwrap().items[0]
        .msisdn
        .to_string();
    let path = format!("/numbers/{n}/forwarding");
    // `+7` and nine digits used to be saved as +7 770 011 12 35.
    let res = b.post_from(&path, &path, &[("kind", "busy"), ("direction", "number"), ("number", "+7700111235")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("The number is too short"), "{}", res.body);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let profile = sim.number_profile(&bin, &Msisdn::parse(&n).unwrap()).await.unwrap().unwrap();
    assert!(profile.forwardings.is_empty(), "nothing was set: {:?}", profile.forwardings);
    let (jobs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'operation'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(jobs, 0, "nothing was sent to the operator");
}

#[tokio::test]
async fn a_number_typed_with_plus_seven_is_found_digit_by_digit() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 5, ..NumberQuery::default() };
    let n = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items[3].msisdn.to_string();
    // `+7 701 054 20 06` typed so far: the tenth digit must not turn it into +7 770 105 42 00.
    for typed in 4..=11 {
        let query = format!("%2B{}", &n[..typed]);
        let page = b.get(&format!("/numbers?q={query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert!(numbers_on(&page).contains(&n), "+{} finds {n}", &n[..typed]);
    }
    let page = b.get(&format!("/numbers?q=%2B{n}5")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "more than ten digits after +7 is no number");
}

#[tokio::test]
async fn the_history_spreadsheet_holds_every_row_with_real_dates_and_counts_are_grouped() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn().await;
    let company = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let carol = admins::by_phone(&app.db, &Msisdn::parse(CAROL).unwrap()).await.unwrap().unwrap();
    let who =
        actions::Actor { company_id: &company.id, admin_id: &carol.id, admin_name: "Carol Clark", admin_phone: CAROL };
    let new = actions::NewAction {
        kind: "block",
        msisdn: Some("77010000001"),
        details: "{}",
        status: actions::SUCCESS,
        reason: None,
        job_id: None,
    };
    // More rows than one read from the store and than one page of the history, a minute apart.
    const ROWS: i64 = 2_345;
    let newest = now_ms() - 60_000;
    let mut tx = app.db.begin_write().await.unwrap();
    for i in 0..ROWS {
        actions::record(&mut tx, &who, &new, newest - i * 60_000).await.unwrap();
    }
    tx.commit().await.unwrap();

    let b = app.signed_in(CAROL).await;
    let (from, to) = days_back(5);
    let page = b.get(&format!("/reports/actions?from={from}&to={to}")).await;
    assert!(page.body.contains("2,345 actions"), "grouped as money is: {}", page.body);
    b.get("/lang/ru").await;
    let page = b.get(&format!("/reports/actions?from={from}&to={to}")).await;
    assert!(page.body.contains("2\u{a0}345 действий"), "{}", page.body);
    b.get("/lang/en").await;

    let res = b.client.get(format!("{}/reports/actions.xlsx?from={from}&to={to}", b.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<_> = range.rows().skip(4).collect();
    assert_eq!(rows.len() as i64, ROWS, "every row, past the store's page of 1000");
    let serial = |row: &[Data]| match &row[2] {
        Data::DateTime(d) if d.is_datetime() => d.as_f64(),
        other => panic!("a date cell, not {other:?}"),
    };
    // Excel's serial: days since 1899-12-30, the time as a fraction of the day.
    let local = jiff::Timestamp::from_millisecond(newest)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .datetime();
    let days = local.date().since(jiff::civil::date(1899, 12, 30)).unwrap().get_days();
    let seconds = i64::from(local.hour()) * 3600 + i64::from(local.minute()) * 60 + i64::from(local.second());
    let expected = f64::from(days) + seconds as f64 / 86_400.0;
    assert!((serial(rows[0]) - expected).abs() < 0.5 / 86_400.0, "{} vs {expected}", serial(rows[0]));
    assert!(rows.windows(2).all(|w| serial(w[0]) > serial(w[1])), "newest first, a minute apart");
    assert_eq!(rows[0][0], Data::String("Block number 77010000001".into()));
    assert_eq!(rows[0][3], Data::String(format!("Carol Clark {CAROL}")));
}
