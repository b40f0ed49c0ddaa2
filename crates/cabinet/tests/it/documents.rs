//! Documents and reports → the accounting documents' tabs, against the invoices the
//! simulator's billing made: what each finds, as a page and as a file, what it records in the
//! actions history, what it refuses, and that another company's documents never show.

use crate::helpers::*;
use cabinet_core::Bin;
use cabinet_core::Msisdn;
use cabinet_core::operator::{InvoiceDocument, InvoiceQuery, OperatorPort};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

/// The customer's newest invoices with their lines.
async fn documents(sim: &Simulator, bin: &str) -> Vec<InvoiceDocument> {
    let bin = Bin::parse(bin).unwrap();
    let mut out = Vec::new();
    for i in sim.invoices(&bin, &InvoiceQuery { limit: 50, ..Default::default() }).await.unwrap() {
        out.push(sim.invoice(&bin, &i.system_no).await.unwrap().unwrap());
    }
    out
}

/// The invoice's numbers, each once.
fn numbers_of(doc: &InvoiceDocument) -> Vec<String> {
    let mut out: Vec<String> = doc.lines.iter().map(|l| l.msisdn.clone()).collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn an_invoice_number_finds_the_numbers_on_that_invoice_and_nothing_of_another_company() {
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let ours = documents(&sim, BIN_A).await;
    // An invoice with several numbers (a common account), if the seed made one.
    let doc = ours.iter().max_by_key(|d| numbers_of(d).len()).expect("company A has invoices");
    let numbers = numbers_of(doc);
    let (system, registration) = (&doc.invoice.system_no, &doc.invoice.registration_no);
    let year = &doc.invoice.month[..4];
    let carol = app.signed_in(CAROL).await;

    let shown = |page: &Page| {
        let mut found: Vec<String> = page
            .body
            .match_indices("href=\"/numbers/")
            .map(|(at, m)| page.body[at + m.len()..].split('"').next().unwrap().to_string())
            .collect();
        found.sort();
        found
    };
    for (by, number) in [("system", system), ("registration", registration)] {
        let page =
            carol.get(&format!("/reports/invoice-numbers?by={by}&number={number}&year={year}&output=screen")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(shown(&page), numbers, "by {by}: the invoice's numbers, each once");
        for n in &numbers {
            assert!(page.body.contains(&Msisdn::pretty_text(n)), "{n} written as a phone number");
        }
        assert!(page.body.contains(&format!("<td data-label=\"Invoice number\">{number}</td>")));
        assert!(page.body.contains("id=\"tab-invoice-numbers\" aria-current=\"page\""), "its tab is current");
    }

    // As a spreadsheet: a row per number, with the invoice's number.
    let res = carol
        .client
        .get(format!("{}/reports/invoice-numbers?by=system&number={system}&year={year}&output=xlsx", carol.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<_> = range.rows().skip(4).collect();
    let mut in_file: Vec<String> = rows
        .iter()
        .map(|r| match &r[0] {
            Data::String(s) => s.chars().filter(char::is_ascii_digit).collect(),
            other => panic!("a number as text, not {other:?}"),
        })
        .collect();
    in_file.sort();
    assert_eq!(in_file, numbers);
    assert!(rows.iter().all(|r| r[1] == Data::String(system.clone())), "the invoice's number on each row");

    // Another year, or the other kind of number: not found, and recorded as failed.
    let other_year = year.parse::<i16>().unwrap() - 1;
    let none = carol.get(&format!("/reports/invoice-numbers?by=system&number={system}&year={other_year}")).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("No invoice found") && shown(&none).is_empty());
    // Company B's invoice: Carol has only A.
    let theirs = documents(&sim, BIN_B).await;
    let b_invoice = &theirs.first().expect("company B has invoices").invoice;
    let page = carol
        .get(&format!(
            "/reports/invoice-numbers?by=system&number={}&year={}",
            b_invoice.system_no,
            &b_invoice.month[..4]
        ))
        .await;
    assert!(page.body.contains("No invoice found") && shown(&page).is_empty(), "nothing of B's");

    // A malformed number: refused with the reason, nothing recorded.
    let history_before = carol.get("/reports/actions").await.body.matches("by invoice number").count();
    for (by, number) in [("system", registration.as_str()), ("registration", system.as_str()), ("system", "12")] {
        let bad = carol.get(&format!("/reports/invoice-numbers?by={by}&number={number}&year={year}")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{by} {number}");
        assert!(bad.body.contains("id=\"invoice-number-error\"") && shown(&bad).is_empty());
    }
    let bad_year = carol.get(&format!("/reports/invoice-numbers?by=system&number={system}&year=1999")).await;
    assert_eq!(bad_year.status, StatusCode::UNPROCESSABLE_ENTITY);
    let history = carol.get("/reports/actions").await.body;
    assert_eq!(history.matches("by invoice number").count(), history_before, "refusals are not recorded");
    // Each search of the number is: the page, the file, the other year's.
    let line = format!("Getting a list of mobile numbers by invoice number {system}");
    assert_eq!(history.matches(&line).count(), 3, "{history}");
    assert!(history.contains("no such invoice of the company"), "the failure's reason");

    // In Russian and Kazakh, the manual's words.
    carol.get("/lang/ru").await;
    let ru = carol.get(&format!("/reports/invoice-numbers?by=system&number={system}&year={year}")).await.body;
    assert!(ru.contains("Поиск мобильного номера по номеру счета-фактуры") && ru.contains("Номер телефона"));
    carol.get("/lang/kk").await;
    let kk = carol.get("/reports/invoice-numbers").await.body;
    assert!(kk.contains("Шот-фактура нөмірі бойынша ұялы нөмірді іздеу"));

    // Bob (company B) finds his own invoice, and not A's.
    let bob = app.signed_in(BOB).await;
    let his = bob
        .get(&format!(
            "/reports/invoice-numbers?by=system&number={}&year={}",
            b_invoice.system_no,
            &b_invoice.month[..4]
        ))
        .await;
    assert!(!shown(&his).is_empty());
    let not_his = bob.get(&format!("/reports/invoice-numbers?by=system&number={system}&year={year}")).await;
    assert!(shown(&not_his).is_empty());
}
