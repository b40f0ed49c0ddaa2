//! Usage details on screen: the period's rules, the totals and the records as the operator
//! rates them, a page at a time.

use crate::helpers::*;
use cabinet_core::operator::{NumberQuery, NumberState, OperatorPort, UsageKind};
use cabinet_core::{Bin, Locale, Money};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

fn almaty() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Almaty").unwrap()
}

fn day(d: jiff::civil::Date) -> String {
    d.strftime("%d-%m-%Y").to_string()
}

fn start_ms(d: jiff::civil::Date) -> i64 {
    d.to_zoned(almaty()).unwrap().timestamp().as_millisecond()
}

#[tokio::test]
async fn usage_details_show_the_operators_records_and_totals_for_the_period() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let numbers = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items;
    let n = numbers.iter().find(|n| n.state == NumberState::Active).unwrap();

    let profile = b.get(&format!("/numbers/{}", n.msisdn)).await;
    assert!(profile.body.contains(&format!("href=\"/numbers/{}/usage\"", n.msisdn)), "the profile head leads there");
    assert!(
        b.get("/numbers").await.body.contains(&format!("class=\"menu-usage\" href=\"/numbers/{}/usage\"", n.msisdn))
    );

    // The default period: the last month up to today.
    let page = b.get(&format!("/numbers/{}/usage", n.msisdn)).await;
    assert_eq!(page.status, StatusCode::OK);
    let today = jiff::Timestamp::now().to_zoned(almaty()).date();
    let from = today.checked_sub(jiff::Span::new().months(1)).unwrap();
    assert!(
        page.body.contains(&format!("value=\"{}\"", day(from)))
            && page.body.contains(&format!("value=\"{}\"", day(today)))
    );
    assert!(page.body.contains("id=\"usage-today\""), "today's records may be incomplete");
    let report = sim
        .usage(&Bin::parse(BIN_A).unwrap(), &n.msisdn, start_ms(from), start_ms(today.tomorrow().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert!(report.records.len() > 100, "a month of usage is more than a page ({})", report.records.len());
    let total = cabinet_core::money::format_count(report.records.len() as i64, Locale::En);
    assert!(page.body.contains(&format!("1–100 of {total}")), "{}", page.body);
    assert_eq!(page.body.matches("<tr><td data-label=\"Date and time\">").count(), 100);
    let charge: i64 = report.records.iter().map(|r| r.charge.tiyn()).sum();
    assert!(page.body.contains(&format!("id=\"usage-total-charge\">{}<", Money(charge).format(Locale::En))));
    for s in &report.totals {
        assert!(page.body.contains(&s.charge.format(Locale::En)), "{:?}", s.kind);
    }
    let first = &report.records[0];
    assert!(page.body.contains(&first.charge.format(Locale::En)));

    // The next page carries on where the first stopped.
    let next = b.get(&format!("/numbers/{}/usage?from={}&to={}&page=2", n.msisdn, day(from), day(today))).await;
    assert_eq!(next.status, StatusCode::OK);
    assert!(next.body.contains(&format!("101–{} of {total}", report.records.len().min(200))));
}

#[tokio::test]
async fn a_roaming_numbers_usage_details_show_its_records_abroad_with_the_country_and_zone() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let bin = Bin::parse(BIN_A).unwrap();
    // Roaming switched on for every number long ago: some of them travelled lately.
    sqlx::query(
        "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) \
         SELECT msisdn, 'roaming', 0 FROM sim_subscribers WHERE bin = $1 \
         ON CONFLICT (msisdn, service_code) DO UPDATE SET activated_ms = 0",
    )
    .bind(BIN_A)
    .execute(app.db.db.pool())
    .await
    .unwrap();
    let today = jiff::Timestamp::now().to_zoned(almaty()).date();
    let from = today.checked_sub(jiff::Span::new().days(89)).unwrap();
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let mut abroad = None;
    for n in sim.list_numbers(&bin, &q).await.unwrap().items.iter().filter(|n| n.state == NumberState::Active) {
        let report = sim.usage(&bin, &n.msisdn, start_ms(from), start_ms(today)).await.unwrap().unwrap();
        if let Some(r) = report.records.into_iter().find(|r| r.kind == UsageKind::RoamingData) {
            abroad = Some((n.msisdn.clone(), r));
            break;
        }
    }
    let (msisdn, record) = abroad.expect("a number travelled in the last 90 days");
    let place = record.roaming.clone().unwrap();
    let trip_day = jiff::Timestamp::from_millisecond(record.at_ms).unwrap().to_zoned(almaty()).date();
    let page = b.get(&format!("/numbers/{msisdn}/usage?from={}&to={}", day(trip_day), day(trip_day))).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = format!(
        "<td data-label=\"Type\">Roaming data — {}, zone {}</td><td data-label=\"Number\">Mobile internet</td>",
        place.country.en, place.zone
    );
    assert!(page.body.contains(&row), "a roaming row: {}", page.body);
    assert!(page.body.contains("<td data-label=\"Type\">Roaming data</td>"), "and its total by type");
    // The same row in the day's XLSX, with its charge as a number.
    use calamine::{Data, Reader, Xlsx};
    let url = format!("{}/numbers/{msisdn}/usage.xlsx?from={}&to={}", b.base, day(trip_day), day(trip_day));
    let bytes = b.client.get(url).send().await.unwrap().bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let kind = Data::String(format!("Roaming data — {}, zone {}", place.country.en, place.zone));
    let charges: Vec<i64> = range
        .rows()
        .filter(|r| r.len() > 5 && r[1] == kind)
        .map(|r| match &r[5] {
            Data::Float(f) => (f * 100.0).round() as i64,
            other => panic!("a number cell, not {other:?}"),
        })
        .collect();
    assert!(charges.contains(&record.charge.tiyn()), "the XLSX has the roaming row: {charges:?}");
}

#[tokio::test]
async fn periods_outside_the_last_90_days_and_other_companies_numbers_are_refused() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 100, ..NumberQuery::default() };
    let n = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items.remove(0).msisdn;
    let today = jiff::Timestamp::now().to_zoned(almaty()).date();
    let back = |days: i64| day(today.checked_sub(jiff::Span::new().days(days)).unwrap());
    let page = |from: String, to: String| {
        let b = &b;
        let n = n.clone();
        async move { b.get(&format!("/numbers/{n}/usage?from={from}&to={to}")).await }
    };
    // 90 days including today is the furthest back.
    assert_eq!(page(back(89), back(0)).await.status, StatusCode::OK);
    let old = page(back(90), back(80)).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(old.body.contains("usage details go back 90 days"), "{}", old.body);
    let years = page("01-01-2020".into(), back(0)).await;
    assert!(years.body.contains("usage details go back 90 days"), "the limit, not another: {}", years.body);
    let future = page(back(0), day(today.tomorrow().unwrap())).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page(back(2), back(5)).await.status, StatusCode::UNPROCESSABLE_ENTITY, "reversed");
    assert_eq!(page("31-02-2026".into(), back(0)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.get(&format!("/numbers/{n}/usage?page=999")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/numbers/{n}/usage?page=-1")).await.status, StatusCode::NOT_FOUND);

    let other = sim.list_numbers(&Bin::parse(BIN_B).unwrap(), &q).await.unwrap().items.remove(0).msisdn;
    assert_eq!(b.get(&format!("/numbers/{other}/usage")).await.status, StatusCode::NOT_FOUND);
    // A wrong period does not make another company's number visible either.
    let wrong = format!("/numbers/{other}/usage?from=01-01-2020&to=02-01-2020");
    assert_eq!(b.get(&wrong).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/numbers/12ab/usage").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn usage_details_as_xlsx_hold_every_record_with_dates_and_charges_that_add_up() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let numbers = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items;
    let n = numbers.iter().find(|n| n.state == NumberState::Active).unwrap();
    let today = jiff::Timestamp::now().to_zoned(almaty()).date();
    // A week, today included: the longest period a file is made at once for.
    let from = today.checked_sub(jiff::Span::new().days(6)).unwrap();
    let report = sim
        .usage(&Bin::parse(BIN_A).unwrap(), &n.msisdn, start_ms(from), start_ms(today.tomorrow().unwrap()))
        .await
        .unwrap()
        .unwrap();

    let url = format!("{}/numbers/{}/usage.xlsx?from={}&to={}", b.base, n.msisdn, day(from), day(today));
    let res = b.client.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<_> = range.rows().skip(4).collect();
    let records = &rows[..report.records.len()];
    let money = |c: &Data| match c {
        Data::Float(f) => (f * 100.0).round() as i64,
        other => panic!("a number cell, not {other:?}"),
    };
    for (row, r) in records.iter().zip(&report.records) {
        assert!(matches!(&row[0], Data::DateTime(d) if d.is_datetime()), "a date cell: {:?}", row[0]);
        assert_eq!(money(&row[5]), r.charge.tiyn());
    }
    let total = rows.last().unwrap();
    assert_eq!(total[0], Data::String("Total".into()));
    assert_eq!(
        money(&total[5]),
        records.iter().map(|r| money(&r[5])).sum::<i64>(),
        "the total is the sum of the records"
    );
    assert_eq!(
        b.get(&format!("/numbers/{}/usage.xlsx?from=01-01-2020&to=02-01-2020", n.msisdn)).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn usage_details_as_pdf_read_back_in_russian_with_every_record_and_the_total() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    b.get("/lang/ru").await;
    let sim = Simulator::new(app.db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let numbers = sim.list_numbers(&Bin::parse(BIN_A).unwrap(), &q).await.unwrap().items;
    let n = numbers.iter().find(|n| n.state == NumberState::Active).unwrap();
    let today = jiff::Timestamp::now().to_zoned(almaty()).date();
    let from = today.checked_sub(jiff::Span::new().days(6)).unwrap();
    let report = sim
        .usage(&Bin::parse(BIN_A).unwrap(), &n.msisdn, start_ms(from), start_ms(today.tomorrow().unwrap()))
        .await
        .unwrap()
        .unwrap();

    let url = format!("{}/numbers/{}/usage.pdf?from={}&to={}", b.base, n.msisdn, day(from), day(today));
    let res = b.client.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.pdf");
    std::fs::write(&path, res.bytes().await.unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext reads it");
    // pdftotext gives no-break spaces back as plain ones.
    let text = String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ");
    assert!(text.contains("Детализация") && text.contains(&n.msisdn.pretty()), "{text}");
    assert!(text.contains("Мобильный интернет") && text.contains('₸'), "Cyrillic and the tenge sign");
    let total: i64 = report.records.iter().map(|r| r.charge.tiyn()).sum();
    assert!(text.contains(&Money(total).format(Locale::Ru).replace('\u{a0}', " ")), "the period's total");
    // Every record's time is in the file.
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    for r in &report.records {
        assert!(text.contains(&zone.date_time_seconds(r.at_ms)), "{}", zone.date_time_seconds(r.at_ms));
    }
}
