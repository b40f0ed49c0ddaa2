//! Documents and reports → the accounting documents' tabs, against the invoices the
//! simulator's billing made: what each finds, as a page and as a file, what it records in the
//! actions history, what it refuses, and that another company's documents never show.

use crate::helpers::*;
use cabinet_core::Bin;
use cabinet_core::Msisdn;
use cabinet_core::operator::{InvoiceDocument, InvoiceQuery, OperatorPort};
use cabinet_sim::Simulator;
use reqwest::StatusCode;

/// The customer's invoices with their lines, newest first.
async fn documents(sim: &Simulator, bin: &str) -> Vec<InvoiceDocument> {
    let bin = Bin::parse(bin).unwrap();
    let mut out = Vec::new();
    for i in sim.invoices(&bin, &InvoiceQuery { limit: 10_000, ..Default::default() }).await.unwrap() {
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

/// Whether a month's acts are published now: from the 5th of the next month, in Almaty.
fn published(month: &str) -> bool {
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    let next = cabinet_core::time::BillingMonth::parse(month).unwrap().next().first_day();
    cabinet_core::time::now_ms() >= zone.start_of_day_ms(jiff::civil::date(next.year(), next.month(), 5))
}

/// The text of a PDF, as pdftotext gives it (no-break spaces as plain ones).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext reads it");
    String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ")
}

/// A spreadsheet's table: the rows under the header whose first cell is `first`, to the
/// first empty row.
fn xlsx_table(bytes: Vec<u8>, first: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header = rows.iter().position(|r| r[0] == Data::String(first.into())).expect("the header row");
    rows[header + 1..].iter().take_while(|r| r[0] != Data::Empty).cloned().collect()
}

fn tiyn(c: &calamine::Data) -> i64 {
    match c {
        calamine::Data::Float(f) => (f * 100.0).round() as i64,
        other => panic!("a money cell, not {other:?}"),
    }
}

/// The acts tab lists the company's published documents; each downloads as the act with its
/// breakdown (PDF) and as the breakdown (Excel), whose figures are the invoice's to the tiyn;
/// a download marks it viewed; another company's act is not there.
#[tokio::test]
async fn acts_list_the_published_invoices_and_download_as_pdf_and_excel_that_add_up_to_the_invoice() {
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let ours: Vec<InvoiceDocument> = documents(&sim, BIN_A).await;
    let published_docs: Vec<&InvoiceDocument> = ours.iter().filter(|d| published(&d.invoice.month)).collect();
    assert!(!published_docs.is_empty(), "the seeded history has published acts");
    let carol = app.signed_in(CAROL).await;

    let all = carol.get("/reports/acts?q=&year=&month=&invoice=").await;
    assert_eq!(all.status, StatusCode::OK);
    let listed = all.body.matches("href=\"/reports/acts/").count() / 2;
    assert_eq!(listed, published_docs.len().min(100), "every published act, once (two links each), at most 100");
    assert_eq!(all.body.contains("id=\"acts-more\""), published_docs.len() > 100, "and says when there are more");
    for d in ours.iter().filter(|d| !published(&d.invoice.month)) {
        assert!(!all.body.contains(&format!("/reports/acts/{}.pdf", d.invoice.system_no)), "not yet published");
    }

    // One account's: a document with the most lines.
    let doc = published_docs.iter().max_by_key(|d| d.lines.len()).unwrap();
    let i = &doc.invoice;
    let (y, m) = (&i.month[..4], i.month[5..].trim_start_matches('0'));
    let one = carol.get(&format!("/reports/acts?q={}&year={y}&month={m}&invoice=", i.account_no)).await;
    assert_eq!(one.body.matches("href=\"/reports/acts/").count(), 2, "that account's act of that month");
    assert!(one.body.contains(">New<") && !one.body.contains(">Viewed<"));

    // The PDF: the act, its parties, its breakdown and its totals.
    let res = carol.client.get(format!("{}/reports/acts/{}.pdf", carol.base, i.system_no)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains("ACT OF COMPLETED WORKS") && text.contains(&i.system_no), "{text}");
    assert!(text.contains("ТОО «Альфа»") && text.contains(BIN_A) && text.contains(&i.account_no), "the customer");
    assert!(text.contains("АО «Кабинет Мобайл»") && text.contains("990140000136"), "the operator");
    let en = |t: i64| cabinet_core::Money(t).format(cabinet_core::Locale::En).replace('\u{a0}', " ");
    for amount in [i.net.tiyn(), i.vat.tiyn(), i.total.tiyn()] {
        assert!(text.contains(&en(amount)), "{} in the totals", en(amount));
    }
    for n in numbers_of(doc) {
        assert!(text.contains(&Msisdn::pretty_text(&n)), "{n} in the breakdown");
    }
    assert!(text.contains("For the contractor") && text.contains("For the customer"), "signature blocks");

    // Excel: the breakdown, a row per line, money as numbers adding up to the invoice.
    let res = carol.client.get(format!("{}/reports/acts/{}.xlsx", carol.base, i.system_no)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rows = xlsx_table(res.bytes().await.unwrap().to_vec(), "Number");
    assert_eq!(rows.len(), doc.lines.len(), "a row per line");
    for (row, l) in rows.iter().zip(&doc.lines) {
        assert_eq!((tiyn(&row[4]), tiyn(&row[5])), (l.net.tiyn(), l.vat.tiyn()), "{}", l.msisdn);
        assert_eq!(tiyn(&row[6]), l.net.tiyn() + l.vat.tiyn());
    }
    assert_eq!(rows.iter().map(|r| tiyn(&r[6])).sum::<i64>(), i.total.tiyn(), "Σ rows = the invoice's total");

    // Opened: viewed from now on; recorded.
    let again = carol.get(&format!("/reports/acts?q={}&year={y}&month={m}&invoice=", i.account_no)).await;
    assert!(again.body.contains(">Viewed<"), "viewed after its download");
    let history = carol.get("/reports/actions").await.body;
    assert!(history.contains(&format!("Request for the available acts of completed works of company {BIN_A} (BIN)")));
    assert!(history.contains(&format!("Download of the act of completed works {}", i.system_no)));

    // By invoice number, either kind.
    let by_reg = carol.get(&format!("/reports/acts?invoice={}", i.registration_no)).await;
    assert_eq!(by_reg.body.matches("href=\"/reports/acts/").count(), 2);
    // Mistakes: refused with the reason.
    for bad in ["q=12345", "year=1999", "month=5", "invoice=ESF-1", "q=%2B7700111235"] {
        let page = carol.get(&format!("/reports/acts?{bad}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.body.contains("id=\"acts-error\""));
    }
    // Another company's act, and a made-up one: not found, nothing made.
    let theirs = documents(&sim, BIN_B).await;
    let b_doc = theirs.iter().find(|d| published(&d.invoice.month)).unwrap();
    for file in [format!("{}.pdf", b_doc.invoice.system_no), "326114009999999.xlsx".into(), "x.doc".into()] {
        let res = carol.client.get(format!("{}/reports/acts/{file}", carol.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{file}");
    }
    if let Some(d) = ours.iter().find(|d| !published(&d.invoice.month)) {
        let res =
            carol.client.get(format!("{}/reports/acts/{}.pdf", carol.base, d.invoice.system_no)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "a month before its 5th");
    }

    // Invoice breakdown: account + month → the same breakdown, as XLSX or PDF.
    let breakdown =
        |format: &str| format!("/reports/breakdown?account={}&month={}&format={format}", i.account_no, i.month);
    let res = carol.client.get(format!("{}{}", carol.base, breakdown("xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rows = xlsx_table(res.bytes().await.unwrap().to_vec(), "Number");
    assert_eq!(rows.iter().map(|r| tiyn(&r[6])).sum::<i64>(), i.total.tiyn());
    let res = carol.client.get(format!("{}{}", carol.base, breakdown("pdf"))).send().await.unwrap();
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains(&format!("Breakdown of invoice No. {}", i.system_no)) && text.contains(&en(i.total.tiyn())));
    let wrong = carol.get(&format!("/reports/breakdown?account=123&month={}&format=pdf", i.month)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b_account = &b_doc.invoice.account_no;
    let none =
        carol.get(&format!("/reports/breakdown?account={b_account}&month={}&format=pdf", b_doc.invoice.month)).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("No invoice found"), "another company's account has none here");

    // In Russian: the act's words.
    carol.get("/lang/ru").await;
    let res = carol.client.get(format!("{}/reports/acts/{}.pdf", carol.base, i.system_no)).send().await.unwrap();
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains("АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)") && text.contains("Итого с НДС"), "{text}");
    assert!(text.contains("М.П."));
}

fn almaty_today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap()).date()
}

fn dmy(d: jiff::civil::Date) -> String {
    d.strftime("%d-%m-%Y").to_string()
}

/// The invoice register and the reconciliation statement are asked for with a period and
/// an address, made as reports (refused past three years), mailed (to a real SMTP server on
/// loopback) with the file attached, and their figures are the books': the register lists
/// every invoice dated in the period and published, the statement's closing balance is what
/// the company's accounts hold.
#[tokio::test]
async fn the_register_and_the_reconciliation_statement_are_reports_whose_figures_are_the_books() {
    use crate::reports::{carol_by_mail, download, report_in, wait_for_mail_with_file, wait_ready};
    use base64::Engine as _;
    let (app, _gateway, smtp) = crate::gateways::delivering(Options::default()).await;
    let sim = Simulator::new(app.db.db.clone());
    let a = Bin::parse(BIN_A).unwrap();
    let carol = carol_by_mail(&app, &smtp).await;
    let today = almaty_today();
    let attached =
        |mail: &crate::gateways::Mail| base64::engine::general_purpose::STANDARD.decode(&mail.contents[0]).unwrap();

    // The register: the limit, then four months of invoices.
    let form = "/reports/register";
    let page = carol.get(form).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"tab-register\" aria-current=\"page\""));
    assert!(page.body.contains("value=\"carol@example.kz\""), "the administrator's address filled in");
    let too_old = dmy(today.checked_sub(jiff::Span::new().years(3).days(1)).unwrap());
    let refused = carol.post_from(form, form, &[("from", &too_old), ("to", &dmy(today)), ("email", "buh@alfa")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The period may start on"), "{}", refused.body);
    assert!(refused.body.contains("Enter an e-mail address in the correct format"), "both mistakes at once");
    let from = today.checked_sub(jiff::Span::new().months(4)).unwrap().first_of_month();
    let unaddressed = carol.post_from(form, form, &[("from", &dmy(from)), ("to", &dmy(today)), ("email", "")]).await;
    assert_eq!(unaddressed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(crate::reports::report_count(&app).await, 0, "nothing stored for a refused request");
    let asked =
        carol.post_from(form, form, &[("from", &dmy(from)), ("to", &dmy(today)), ("email", " Buh@Alfa.KZ ")]).await;
    let id = report_in(&asked);
    assert!(carol.get(asked.location().unwrap()).await.body.contains("id=\"report-accepted\""));
    wait_ready(&carol, &id).await;
    let (_, bytes) = download(&carol, &id).await;
    let mail = wait_for_mail_with_file(&smtp, "Buh@alfa.kz").await;
    assert!(mail.subject.contains("Invoice register"), "{}", mail.subject);
    assert_eq!(attached(&mail), bytes, "the attachment is the file My reports holds");
    let rows = xlsx_table(bytes.clone(), "Registration number");
    // The register's total, after its rows: the invoices' totals added up.
    let total_row = {
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        let label = Data::String("Total incl. VAT".into());
        let row = range.rows().find(|r| r.contains(&label)).expect("the total's row").to_vec();
        let at = row.iter().position(|c| *c == label).unwrap();
        row[at + 1..].iter().find(|c| matches!(c, Data::Float(_))).map(tiyn).expect("the total's amount")
    };
    let registered = |month: &str| {
        let m = cabinet_core::time::BillingMonth::parse(month).unwrap();
        let third = m.next().first_day().checked_add(jiff::Span::new().days(2)).unwrap();
        m.last_day() >= from && m.last_day() <= today && third <= today
    };
    let all = documents(&sim, BIN_A).await;
    let mut expected: Vec<&InvoiceDocument> = all.iter().filter(|d| registered(&d.invoice.month)).collect();
    expected.sort_by(|x, y| (&x.invoice.month, &x.invoice.account_no).cmp(&(&y.invoice.month, &y.invoice.account_no)));
    assert!(!expected.is_empty(), "the period has invoices");
    assert_eq!(rows.len(), expected.len(), "a row per invoice of the period");
    for (row, d) in rows.iter().zip(&expected) {
        assert_eq!(row[1], calamine::Data::String(d.invoice.system_no.clone()));
        assert_eq!((tiyn(&row[5]), tiyn(&row[7])), (d.invoice.net.tiyn(), d.invoice.total.tiyn()));
    }
    let invoiced: i64 = expected.iter().map(|d| d.invoice.total.tiyn()).sum();
    assert_eq!(total_row, invoiced, "the register's total = Σ its invoices");

    // The reconciliation statement of three months up to today: its closing balance is what
    // the company owes by its accounts' debts and balances.
    let form = "/reports/reconciliation";
    let from = today.checked_sub(jiff::Span::new().months(3)).unwrap().first_of_month();
    let asked = carol.post_from(form, form, &[("from", &dmy(from)), ("to", &dmy(today)), ("email", CAROL_EMAIL)]).await;
    let id = report_in(&asked);
    wait_ready(&carol, &id).await;
    let (headers, bytes) = download(&carol, &id).await;
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(attached(&wait_for_mail_with_file(&smtp, CAROL_EMAIL).await), bytes, "mailed to the address kept");
    let text = pdf_text(&bytes);
    assert!(
        text.contains("RECONCILIATION STATEMENT") && text.contains("ТОО «Альфа»") && text.contains(BIN_A),
        "{text}"
    );
    let mut owed = 0;
    let mut accounts = std::collections::HashSet::new();
    let q = cabinet_core::operator::NumberQuery { limit: 1000, ..Default::default() };
    for n in sim.list_numbers(&a, &q).await.unwrap().items {
        if n.billing == cabinet_core::operator::BillingMethod::Advance {
            owed -= n.remaining.tiyn();
        }
        if accounts.insert(n.account_no.clone()) {
            owed += sim.number_profile(&a, &n.msisdn).await.unwrap().unwrap().past_debt.tiyn();
        }
    }
    owed -= sim.unallocated_payments(&a).await.unwrap().iter().map(|p| p.amount.tiyn()).sum::<i64>();
    let en = |t: i64| cabinet_core::Money(t).format(cabinet_core::Locale::En).replace('\u{a0}', " ");
    let closing_line = format!("Balance on {}", today.strftime("%d.%m.%Y"));
    let line = text.lines().find(|l| l.contains(&closing_line)).unwrap_or_else(|| panic!("{closing_line} in {text}"));
    assert!(line.contains(&en(owed)), "closing {owed} in {line:?}");
    // Month by month: each row is the operator's settlement of that month, and its closing
    // is its opening plus the charges less the payments.
    let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
    let mut bounds = vec![ms(from)];
    let mut month = from;
    let mut labels = Vec::new();
    while month <= today {
        labels.push(month.strftime("%B %Y").to_string());
        month = month.checked_add(jiff::Span::new().months(1)).unwrap();
        bounds.push(ms(month.min(today.tomorrow().unwrap())));
    }
    let s = sim.settlement(&a, &bounds).await.unwrap();
    let amount = |w: &str| -> Option<i64> {
        let w = w.trim();
        let digits: String = w.chars().filter(char::is_ascii_digit).collect();
        (w.contains('.') && !digits.is_empty())
            .then(|| digits.parse::<i64>().unwrap() * if w.starts_with('-') { -1 } else { 1 })
    };
    let mut opening = s.opening.tiyn();
    for (label, p) in labels.iter().zip(&s.periods) {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(label.as_str()))
            .unwrap_or_else(|| panic!("{label} in {text}"));
        let after = &line[line.find(label.as_str()).unwrap() + label.len()..];
        let figures: Vec<i64> = after.split('₸').filter_map(amount).collect();
        let closing = opening + p.charges.tiyn() - p.payments.tiyn();
        assert_eq!(figures, vec![opening, p.charges.tiyn(), p.payments.tiyn(), closing], "{label}: {line}");
        opening = closing;
    }
    assert_eq!(opening, owed, "the last month's closing is the statement's");
    let history = carol.get("/reports/actions").await.body;
    assert!(
        history.contains("Request of the invoice register")
            && history.contains("Request of the reconciliation statement")
            && history.contains("Buh@alfa.kz"),
        "{history}"
    );
}

/// The company's payments report: six months at most, credit accounts' payments or advance
/// numbers' top-ups, each a row as the operator received it, and their total.
#[tokio::test]
async fn the_payments_report_lists_the_companys_payments_of_the_kind_chosen_within_six_months() {
    use crate::reports::{download, report_in, wait_ready};
    use cabinet_core::operator::{PaymentQuery, PaymentsOf};
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let a = Bin::parse(BIN_A).unwrap();
    let carol = app.signed_in(CAROL).await;
    let today = almaty_today();
    let form = "/reports/company-payments";
    assert_eq!(carol.get(form).await.status, StatusCode::OK);
    let seven = dmy(today.checked_sub(jiff::Span::new().months(7)).unwrap());
    let refused = carol
        .post_from(form, form, &[("from", &seven), ("to", &dmy(today)), ("which", "credit"), ("email", CAROL_EMAIL)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let odd = carol
        .post_from(form, form, &[("from", &dmy(today)), ("to", &dmy(today)), ("which", "both"), ("email", CAROL_EMAIL)])
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);

    let from = today.checked_sub(jiff::Span::new().months(6)).unwrap();
    let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
    for (which, of) in [("credit", PaymentsOf::CreditAccounts), ("advance", PaymentsOf::AdvanceNumbers)] {
        let (f, t) = (dmy(from), dmy(today));
        let asked =
            carol.post_from(form, form, &[("from", &f), ("to", &t), ("which", which), ("email", CAROL_EMAIL)]).await;
        let id = report_in(&asked);
        wait_ready(&carol, &id).await;
        let (_, bytes) = download(&carol, &id).await;
        let rows = xlsx_table(bytes, "Date and time");
        let q = PaymentQuery {
            which: of,
            from_ms: ms(from),
            to_ms: ms(today.tomorrow().unwrap()),
            after: None,
            limit: 10_000,
        };
        let expected = sim.payments(&a, &q).await.unwrap();
        assert!(!expected.is_empty(), "{which}: the seeded history has payments");
        assert_eq!(rows.len(), expected.len(), "{which}: a row per payment");
        for (row, p) in rows.iter().zip(&expected) {
            assert_eq!(row[2], calamine::Data::String(p.reference.clone()), "{which}");
            assert_eq!(tiyn(&row[4]), p.amount.tiyn(), "{which}");
        }
    }
    let history = carol.get("/reports/actions").await.body;
    assert_eq!(history.matches("Request of the payments report").count(), 2);
}

/// The Atlas Pro package detailing: a row per number and day the package was used, as the
/// number's usage details charge it; within the 90 days usage is kept.
#[tokio::test]
async fn the_atlas_pro_detailing_lists_each_day_the_package_charged_as_the_usage_details_do() {
    use crate::reports::{download, report_in, wait_ready};
    use cabinet_core::operator::UsageKind;
    let app = spawn().await;
    let sim = Simulator::new(app.db.db.clone());
    let a = Bin::parse(BIN_A).unwrap();
    let carol = app.signed_in(CAROL).await;
    let today = almaty_today();
    let form = "/reports/roaming-packages";
    assert_eq!(carol.get(form).await.status, StatusCode::OK);
    let too_old = dmy(today.checked_sub(jiff::Span::new().days(91)).unwrap());
    let refused = carol.post_from(form, form, &[("from", &too_old), ("to", &dmy(today)), ("email", CAROL_EMAIL)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The numbers of A's that roam have had the package for a hundred days (the operator
    // switched it on: the seed gives it to none of this small company's).
    let since = cabinet_core::time::now_ms() - 100 * 86_400_000;
    let roaming: Vec<String> = sqlx::query_scalar(
        "SELECT s.msisdn FROM sim_subscribers s JOIN sim_subscriber_services v ON v.msisdn = s.msisdn \
         WHERE s.bin = $1 AND v.service_code = 'roaming'",
    )
    .bind(BIN_A)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    for m in &roaming {
        sqlx::query(
            "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) VALUES ($1, 'atlas_pro', $2) \
             ON CONFLICT (msisdn, service_code) DO NOTHING",
        )
        .bind(m)
        .bind(since)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let from = today.checked_sub(jiff::Span::new().days(90)).unwrap();
    let asked = carol.post_from(form, form, &[("from", &dmy(from)), ("to", &dmy(today)), ("email", CAROL_EMAIL)]).await;
    let id = report_in(&asked);
    wait_ready(&carol, &id).await;
    let (_, bytes) = download(&carol, &id).await;
    let rows = xlsx_table(bytes, "Number");
    // Every day of every number, from the operator, a page of numbers at a time.
    let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
    let period = (ms(from), ms(today.tomorrow().unwrap()));
    let mut days = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = sim.roaming_package_days(&a, period, after.as_deref(), 3).await.unwrap();
        days.extend(page.days);
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(rows.len(), days.len(), "a row per number and day");
    for (row, d) in rows.iter().zip(&days) {
        let n = Msisdn::parse(&d.msisdn).unwrap();
        assert_eq!(row[0], calamine::Data::String(n.pretty()));
        assert_eq!(tiyn(&row[3]), d.fee.tiyn());
        // The number's usage details that day: the package's fee.
        let usage = sim.usage(&a, &n, d.day_ms, d.day_ms + 86_400_000).await.unwrap().unwrap();
        let fees: i64 = usage.records.iter().filter(|r| r.kind == UsageKind::RoamingFee).map(|r| r.charge.tiyn()).sum();
        assert!(fees >= d.fee.tiyn() && d.fee.tiyn() > 0, "{}: the day's fee", d.msisdn);
    }
    assert!(days.len() > 3, "some numbers travelled with the package: {} days", days.len());
    assert!(carol.get("/reports/actions").await.body.contains("Request of the Atlas Pro package detailing"));
}
