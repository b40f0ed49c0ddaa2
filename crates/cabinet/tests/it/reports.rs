//! My reports: a long period's usage details and a number's payments report are made by the
//! `report` job, mailed (to a real SMTP server on loopback) and downloaded from the store;
//! limits, scoping by company and administrator, failures and expiry.

use crate::gateways::{SmtpServer, delivering};
use crate::helpers::*;
use base64::Engine as _;
use cabinet::worker::Worker;
use cabinet_core::operator::{
    self as op, BillingMethod, NumberQuery, NumberState, NumberSummary, OperatorPort, OperatorResult,
};
use cabinet_core::{Bin, Locale, Money, Msisdn};
use cabinet_sim::Simulator;
use cabinet_store::reports::{self, NewReport, Owner};
use cabinet_store::{admins, companies, outbox};
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::Duration;

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap()).date()
}

fn day(d: jiff::civil::Date) -> String {
    d.strftime("%d-%m-%Y").to_string()
}

fn days_ago(n: i64) -> String {
    day(today().checked_sub(jiff::Span::new().days(n)).unwrap())
}

async fn numbers(app: &TestApp, bin: &str) -> Vec<NumberSummary> {
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    Simulator::new(app.db.db.clone()).list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap().items
}

/// The report id a request's redirect names (`…report=<id>`).
pub(crate) fn report_in(page: &Page) -> String {
    assert!(page.status.is_redirection(), "a redirect, not {} {}", page.status, page.body);
    let to = page.location().unwrap();
    to.split("report=").nth(1).unwrap_or_else(|| panic!("no report in {to}")).to_string()
}

/// Waits (up to 20 s) until My reports shows the report ready.
pub(crate) async fn wait_ready(b: &Browser, id: &str) -> Page {
    for _ in 0..400 {
        let row = b.get(&format!("/reports/{id}/row")).await;
        assert_eq!(row.status, StatusCode::OK, "{}", row.body);
        assert!(!row.body.contains("data-state=\"failed\""), "the report failed: {}", row.body);
        if row.body.contains("data-state=\"ready\"") {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("report {id} never became ready");
}

pub(crate) async fn download(b: &Browser, id: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let res = b.client.get(format!("{}/reports/{id}/download", b.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    (res.headers().clone(), res.bytes().await.unwrap().to_vec())
}

pub(crate) fn sheet(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

pub(crate) fn money(c: &Data) -> i64 {
    match c {
        Data::Float(f) => (f * 100.0).round() as i64,
        other => panic!("a number cell, not {other:?}"),
    }
}

pub(crate) fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        other => panic!("a text cell, not {other:?}"),
    }
}

/// The record rows of a usage page: (kind, other party, charge) as shown.
fn screen_records(body: &str) -> Vec<(String, String, String)> {
    body.split("<tr><td data-label=\"Date and time\">")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> =
                row.split("</td>").take(6).map(|c| c.rsplit('>').next().unwrap().replace("&#38;", "&")).collect();
            (cells[1].clone(), cells[2].clone(), cells[5].clone())
        })
        .collect()
}

/// Carol signed in with the code that reached the SMTP server.
pub(crate) async fn carol_by_mail(app: &TestApp, smtp: &SmtpServer) -> Browser {
    let b = app.browser();
    b.submit_password(CAROL, PASSWORD).await.assert_redirect("/signin/code");
    let mail = smtp.wait_for(CAROL_EMAIL).await;
    b.submit_code(&code_in(&mail.text)).await.assert_redirect("/numbers");
    b
}

#[tokio::test]
async fn a_long_usage_period_as_xlsx_becomes_a_report_mailed_and_downloaded_as_on_screen() {
    let (app, gateway, smtp) = delivering(Options::default()).await;
    let b = carol_by_mail(&app, &smtp).await;
    let n = numbers(&app, BIN_A).await.into_iter().find(|n| n.state == NumberState::Active).unwrap().msisdn;
    // A month up to yesterday: more than the week a file is made at once for, and no
    // record of today's can arrive between the screen and the file.
    let (from, to) = (days_ago(31), days_ago(1));
    let page = format!("/numbers/{n}/usage?from={from}&to={to}");
    let screen = b.get(&page).await;
    assert!(screen.body.contains("formmethod=\"post\""), "the file buttons ask by POST");

    let asked = b.post_from(&page, &format!("/numbers/{n}/usage.xlsx"), &[("from", &from), ("to", &to)]).await;
    let id = report_in(&asked);
    let accepted = b.get(asked.location().unwrap()).await;
    assert_eq!(accepted.status, StatusCode::OK);
    assert!(accepted.body.contains("Your request to submit a report has been accepted."), "{}", accepted.body);
    assert!(accepted.body.contains("href=\"/reports\" id=\"report-accepted-link\""));
    // The notice is the asker's only. (Alice's code is read where it was delivered: once
    // delivered, the outbox no longer holds it readable.)
    let other = app.browser();
    other.submit_password(ALICE, PASSWORD).await.assert_redirect("/signin/code");
    let sms = gateway.wait_for(ALICE, 1).await.pop().unwrap();
    other.submit_code(&code_in(&sms.text)).await.assert_redirect("/numbers");
    assert!(!other.get(asked.location().unwrap()).await.body.contains("report-accepted"));

    let row = wait_ready(&b, &id).await;
    assert!(row.body.contains(&format!("href=\"/reports/{id}/download\"")), "{}", row.body);
    assert!(!row.body.contains("hx-trigger") && row.body.contains("data-announce"), "done: it stops asking");
    let list = b.get("/reports").await;
    assert!(list.body.contains(&format!("id=\"report-{id}\"")) && list.body.contains("Usage details +7"));

    let (headers, bytes) = download(&b, &id).await;
    assert_eq!(headers["content-disposition"], format!("attachment; filename=\"usage-{n}-{from}-{to}.xlsx\"").as_str());
    assert_eq!(headers["content-length"], bytes.len().to_string().as_str());
    let rows = sheet(bytes.clone());
    // Title, as-of line, a blank row and the header; then the records, a blank row, the
    // totals by type and the period's total.
    let total_shown: usize = {
        let start = screen.body.find("id=\"usage-range\" role=\"status\">").unwrap();
        let range = &screen.body[start..screen.body[start..].find("</p>").unwrap() + start];
        range.rsplit("of ").next().unwrap().replace(',', "").trim().parse().unwrap()
    };
    let records: Vec<&Vec<Data>> = rows[4..4 + total_shown].iter().collect();
    assert!(rows[4 + total_shown].iter().all(|c| matches!(c, Data::Empty)), "the records end where the screen says");
    let on_screen = screen_records(&screen.body);
    assert_eq!(on_screen.len(), 100.min(total_shown));
    for (shown, row) in on_screen.iter().zip(&records) {
        assert!(matches!(&row[0], Data::DateTime(d) if d.is_datetime()), "a date cell: {:?}", row[0]);
        assert_eq!((&text(&row[1]), &text(&row[2])), (&shown.0, &shown.1));
        assert_eq!(Money(money(&row[5])).format(Locale::En), shown.2);
    }
    let last = rows.last().unwrap();
    assert_eq!(text(&last[0]), "Total");
    let total = Money(records.iter().map(|r| money(&r[5])).sum::<i64>()).format(Locale::En);
    assert_eq!(Money(money(&last[5])).format(Locale::En), total);
    assert!(screen.body.contains(&format!("id=\"usage-total-charge\">{total}<")), "the screen's total");

    // The e-mail: at the real SMTP server, in the asker's language, with the same file.
    let mail = wait_for_mail_with_file(&smtp, CAROL_EMAIL).await;
    assert!(mail.subject.starts_with("Report ready: Usage details"), "{}", mail.subject);
    assert!(mail.text.contains("My reports"), "{}", mail.text);
    assert_eq!(mail.attachments[0].0, format!("usage-{n}-{from}-{to}.xlsx"));
    let attached = base64::engine::general_purpose::STANDARD.decode(&mail.contents[0]).unwrap();
    assert_eq!(attached, bytes, "the attachment is the file My reports holds");
    assert_eq!(sheet(attached).len(), rows.len());

    // A week is still a file at once: the POST leads to the download.
    let week =
        b.post_from(&page, &format!("/numbers/{n}/usage.pdf"), &[("from", &days_ago(6)), ("to", &days_ago(0))]).await;
    week.assert_redirect(&format!("/numbers/{n}/usage.pdf?from={}&to={}", days_ago(6), days_ago(0)));
    // A long period asked by GET (an old link) goes back to the page's buttons.
    let old = b.get(&format!("/numbers/{n}/usage.xlsx?from={from}&to={to}")).await;
    old.assert_redirect(&format!("/numbers/{n}/usage?from={from}&to={to}"));
    // A wrong period stores nothing and goes back to the page, which says what is wrong.
    let wrong = b.post_from(&page, &format!("/numbers/{n}/usage.xlsx"), &[("from", "31-02-2026"), ("to", &to)]).await;
    assert!(wrong.location().unwrap().starts_with(&format!("/numbers/{n}/usage?from=31-02-2026")));
    assert_eq!(report_count(&app).await, 1);
}

/// Waits (up to 20 s) for an e-mail to `to` with an attachment.
pub(crate) async fn wait_for_mail_with_file(smtp: &SmtpServer, to: &str) -> crate::gateways::Mail {
    for _ in 0..400 {
        if let Some(m) = smtp.mails().into_iter().find(|m| m.to.contains(to) && !m.attachments.is_empty()) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no e-mail with a file to {to}");
}

pub(crate) async fn report_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports").fetch_one(app.db.pool()).await.unwrap();
    let (j,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'report'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(n, j, "a job per report");
    n
}

#[tokio::test]
async fn the_payments_report_is_refused_past_three_months_and_otherwise_made_and_mailed() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let all = numbers(&app, BIN_A).await;
    let n = all.iter().find(|n| n.billing == BillingMethod::Advance).unwrap().msisdn.clone();
    let form = format!("/numbers/{n}/payments/report");
    assert!(b.get(&format!("/numbers/{n}/payments")).await.body.contains(&format!("href=\"{form}\"")));
    let shown = b.get(&form).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains(&format!("value=\"{CAROL_EMAIL}\"")), "the administrator's address filled in");

    // Four months back: refused with the limit, and nothing is stored.
    let four = day(today().checked_sub(jiff::Span::new().months(4)).unwrap());
    let refused = b.post_from(&form, &form, &[("from", &four), ("to", &days_ago(0)), ("email", CAROL_EMAIL)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let earliest = day(today().checked_sub(jiff::Span::new().months(3)).unwrap());
    assert!(
        refused.body.contains(&format!("covers the last 3 months at most: choose a beginning on or after {earliest}")),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"payments-report-error\""));
    // Years back: the same limit, not another page's "at most 3 years".
    let years =
        b.post_from(&form, &form, &[("from", "01-01-2020"), ("to", &days_ago(0)), ("email", CAROL_EMAIL)]).await;
    assert_eq!(years.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(years.body.contains("covers the last 3 months at most"), "{}", years.body);
    assert_eq!(report_count(&app).await, 0, "no report and no job");
    let garbled = b.post_from(&form, &form, &[("from", "1-1"), ("to", "x"), ("email", CAROL_EMAIL)]).await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unaddressed = b.post_from(&form, &form, &[("from", &earliest), ("to", &days_ago(0)), ("email", "buh@")]).await;
    assert_eq!(unaddressed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unaddressed.body.contains("Enter an e-mail address in the correct format"), "{}", unaddressed.body);
    assert_eq!(report_count(&app).await, 0);

    // Three months exactly, to the bookkeeper: made by the same job path.
    let asked = b.post_from(&form, &form, &[("from", &earliest), ("to", &days_ago(0)), ("email", "buh@alfa.kz")]).await;
    let id = report_in(&asked);
    assert!(b.get(asked.location().unwrap()).await.body.contains("id=\"report-accepted\""));
    wait_ready(&b, &id).await;
    let (headers, bytes) = download(&b, &id).await;
    assert!(headers["content-disposition"].to_str().unwrap().contains(&format!("payments-{n}-{earliest}-")));
    let rows = sheet(bytes);
    let sim = Simulator::new(app.db.db.clone());
    let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).unwrap().timestamp().as_millisecond();
    let from_ms = ms(today().checked_sub(jiff::Span::new().months(3)).unwrap());
    let moves = sim.balance_moves(&Bin::parse(BIN_A).unwrap(), &n, from_ms, ms(today().tomorrow().unwrap())).await;
    let moves = moves.unwrap().unwrap();
    assert_eq!(rows.len() - 4, moves.len(), "a row per move");
    for (row, m) in rows[4..].iter().zip(&moves) {
        assert_eq!(money(&row[3]), m.amount.tiyn());
        assert_eq!(money(&row[5]), m.balance_after.tiyn());
    }
    // No channel here: the e-mail waits in the outbox, with the file.
    let mail = app.last_message_to("buh@alfa.kz").await.unwrap();
    assert!(mail.subject.as_deref().unwrap_or("").starts_with("Report ready: Payments report"), "{mail:?}");
    assert_eq!(outbox::attachments(&app.db, &mail.id).await.unwrap().len(), 1);

    // A credit number has no payments report of its own.
    let credit = all.iter().find(|n| n.billing == BillingMethod::Credit).unwrap().msisdn.clone();
    let credit_form = format!("/numbers/{credit}/payments/report");
    assert!(b.get(&credit_form).await.body.contains("id=\"payments-credit\""));
    let no = b.post_from(&credit_form, &credit_form, &[("from", &days_ago(5)), ("to", &days_ago(0))]).await;
    assert_eq!(no.status, StatusCode::NOT_FOUND);
    // Without the form's token nothing is asked.
    let forged = b.post(&form, &[("from", &days_ago(5)), ("to", &days_ago(0))]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(report_count(&app).await, 1);
}

#[tokio::test]
async fn another_companys_or_another_administrators_report_is_not_found() {
    let app = spawn().await;
    let alice = app.signed_in(ALICE).await;
    // Alice has companies A and B: she works in A.
    let a_id = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap().id;
    assert!(alice.post_from("/numbers", "/company", &[("company_id", &a_id)]).await.status.is_redirection());
    let n = numbers(&app, BIN_A).await.into_iter().find(|n| n.state == NumberState::Active).unwrap().msisdn;
    let page = format!("/numbers/{n}/usage");
    let asked = alice.post_from(&page, &format!("{page}.pdf"), &[("from", &days_ago(20)), ("to", &days_ago(1))]).await;
    let id = report_in(&asked);
    wait_ready(&alice, &id).await;
    let (headers, bytes) = download(&alice, &id).await;
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(bytes.starts_with(b"%PDF"));

    // Carol: the same company, another administrator.
    let carol = app.signed_in(CAROL).await;
    for path in [format!("/reports/{id}/row"), format!("/reports/{id}/download")] {
        assert_eq!(carol.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!carol.get("/reports").await.body.contains(&id));
    assert!(carol.get("/reports").await.body.contains("id=\"reports-empty\""));
    // Alice herself in her other company.
    let b_id = companies::by_bin(&app.db, &Bin::parse(BIN_B).unwrap()).await.unwrap().unwrap().id;
    assert!(alice.post_from("/numbers", "/company", &[("company_id", &b_id)]).await.status.is_redirection());
    assert_eq!(alice.get(&format!("/reports/{id}/download")).await.status, StatusCode::NOT_FOUND);
    assert!(!alice.get("/reports").await.body.contains(&id));
    // Bob, of the other company only; and ids that are not ids.
    let bob = app.signed_in(BOB).await;
    assert_eq!(bob.get(&format!("/reports/{id}/download")).await.status, StatusCode::NOT_FOUND);
    for bad in ["x", "%00", &"f".repeat(32)] {
        assert_eq!(alice.get(&format!("/reports/{bad}/download")).await.status, StatusCode::NOT_FOUND);
    }
    // Another company's number cannot be asked for either.
    let other = numbers(&app, BIN_B).await.remove(0).msisdn;
    assert!(alice.post_from("/numbers", "/company", &[("company_id", &a_id)]).await.status.is_redirection());
    let refused = alice
        .post_from(&page, &format!("/numbers/{other}/usage.xlsx"), &[("from", &days_ago(20)), ("to", &days_ago(1))])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(report_count(&app).await, 1);
}

#[tokio::test]
async fn a_report_that_cannot_be_made_says_why_and_an_expired_one_is_gone_after_housekeeping() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let carol = admins::by_phone(&app.db, &cabinet_core::Msisdn::parse(CAROL).unwrap()).await.unwrap().unwrap();
    let owner = Owner { company_id: &a.id, admin_id: &carol.id };
    // A report on a number that is not (or no longer) the company's.
    let other = numbers(&app, BIN_B).await.remove(0).msisdn;
    let params = format!(
        "{{\"msisdn\":\"{other}\",\"from\":\"01-11-2026\",\"to\":\"30-11-2026\",\"from_ms\":0,\"to_ms\":1,\"format\":\"xlsx\"}}"
    );
    let new = NewReport { kind: "usage", params: &params, title: "x", locale: "en" };
    let failed = reports::request(&app.db, owner, &new, cabinet_core::time::now_ms()).await.unwrap();
    let mut row = String::new();
    for _ in 0..400 {
        row = b.get(&format!("/reports/{failed}/row")).await.body;
        if row.contains("data-state=\"failed\"") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(row.contains("The number no longer belongs to the company."), "{row}");
    assert!(!row.contains("/download"));
    assert_eq!(b.get(&format!("/reports/{failed}/download")).await.status, StatusCode::NOT_FOUND);

    // An administrator who lost the company after asking gets nothing by e-mail.
    let alice = admins::by_phone(&app.db, &cabinet_core::Msisdn::parse(ALICE).unwrap()).await.unwrap().unwrap();
    sqlx::query("DELETE FROM admin_companies WHERE admin_id = $1 AND company_id = $2")
        .bind(&alice.id)
        .bind(&a.id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let mine = numbers(&app, BIN_A).await.remove(0).msisdn;
    let params = params.replace(&other.to_string(), mine.as_str());
    let new = NewReport { kind: "usage", params: &params, title: "x", locale: "en" };
    let alices = Owner { company_id: &a.id, admin_id: &alice.id };
    let revoked = reports::request(&app.db, alices, &new, cabinet_core::time::now_ms()).await.unwrap();
    let mut state = None;
    for _ in 0..400 {
        let r = reports::get_for(&app.db, alices, &revoked).await.unwrap().unwrap();
        if !r.pending() {
            state = Some((r.state, r.error));
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(state, Some((reports::FAILED.to_string(), Some("forbidden".to_string()))));
    assert!(app.last_message_to("alice@example.kz").await.is_none(), "no e-mail");

    // A ready one, then a week and more later.
    let n = numbers(&app, BIN_A).await.into_iter().find(|n| n.state == NumberState::Active).unwrap().msisdn;
    let page = format!("/numbers/{n}/usage");
    let id =
        report_in(&b.post_from(&page, &format!("{page}.xlsx"), &[("from", &days_ago(10)), ("to", &days_ago(0))]).await);
    wait_ready(&b, &id).await;
    assert_eq!(cabinet::housekeeping::sweep(&app.db, cabinet_core::time::now_ms()).await.unwrap(), 0, "kept for now");
    assert_eq!(b.get(&format!("/reports/{id}/download")).await.status, StatusCode::OK);
    let later = cabinet_core::time::now_ms() + reports::KEEP_MS + 60_000;
    assert!(cabinet::housekeeping::sweep(&app.db, later).await.unwrap() >= 2);
    // The sweep a week on ended the session too.
    let b = app.signed_in(CAROL).await;
    assert_eq!(b.get(&format!("/reports/{id}/download")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/reports/{id}/row")).await.status, StatusCode::NOT_FOUND);
    assert!(b.get("/reports").await.body.contains("id=\"reports-empty\""));
    let (chunks,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM report_chunks").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(chunks, 0, "the files went with them");
}

/// The simulator, but its usage answers as `mode` says: the operator down, or the job's
/// lease taken by another worker while the records were being read.
struct Usage {
    sim: Simulator,
    db: cabinet_store::Db,
    mode: Mode,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Down,
    LeaseStolen,
}

#[async_trait::async_trait]
impl OperatorPort for Usage {
    async fn customer_name(&self, customer: &Bin) -> OperatorResult<Option<String>> {
        self.sim.customer_name(customer).await
    }

    async fn number_count(&self, c: &Bin) -> OperatorResult<u64> {
        self.sim.number_count(c).await
    }
    async fn list_numbers(&self, c: &Bin, q: &NumberQuery) -> OperatorResult<op::NumberPage> {
        self.sim.list_numbers(c, q).await
    }
    async fn count_matches(&self, c: &Bin, d: &str, cap: u64) -> OperatorResult<op::MatchCount> {
        self.sim.count_matches(c, d, cap).await
    }
    async fn number_profile(&self, c: &Bin, m: &Msisdn) -> OperatorResult<Option<op::NumberProfile>> {
        self.sim.number_profile(c, m).await
    }
    async fn issue_esim(&self, c: &Bin, m: &Msisdn) -> OperatorResult<Result<op::EsimActivation, String>> {
        self.sim.issue_esim(c, m).await
    }
    async fn submit(&self, c: &Bin, m: &Msisdn, o: &op::Operation, key: &str) -> OperatorResult<op::OperationState> {
        self.sim.submit(c, m, o, key).await
    }
    async fn transfer(
        &self,
        c: &Bin,
        from: &Msisdn,
        to: &Msisdn,
        amount: Money,
        key: &str,
    ) -> OperatorResult<Result<op::TransferDone, op::TransferRefusal>> {
        self.sim.transfer(c, from, to, amount, key).await
    }
    async fn balance_moves(&self, c: &Bin, m: &Msisdn, f: i64, t: i64) -> OperatorResult<Option<Vec<op::BalanceMove>>> {
        self.sim.balance_moves(c, m, f, t).await
    }
    async fn usage(&self, c: &Bin, m: &Msisdn, f: i64, t: i64) -> OperatorResult<Option<op::UsageReport>> {
        match self.mode {
            Mode::Down => Err(op::OperatorError::Unavailable("connection refused".into())),
            Mode::LeaseStolen => {
                sqlx::query("UPDATE jobs SET locked_by = 'another-worker' WHERE kind = 'report'")
                    .execute(self.db.pool())
                    .await
                    .unwrap();
                self.sim.usage(c, m, f, t).await
            }
        }
    }
    async fn invoices(&self, c: &Bin, q: &op::InvoiceQuery) -> OperatorResult<Vec<op::Invoice>> {
        self.sim.invoices(c, q).await
    }
    async fn invoice(&self, c: &Bin, number: &str) -> OperatorResult<Option<op::InvoiceDocument>> {
        self.sim.invoice(c, number).await
    }
    async fn unallocated_payments(&self, c: &Bin) -> OperatorResult<Vec<op::UnallocatedPayment>> {
        self.sim.unallocated_payments(c).await
    }
    async fn payments(&self, c: &Bin, q: &op::PaymentQuery) -> OperatorResult<Vec<op::Payment>> {
        self.sim.payments(c, q).await
    }
    async fn invoice_register(
        &self,
        c: &Bin,
        q: &cabinet_core::operator::RegisterQuery,
    ) -> OperatorResult<Vec<cabinet_core::operator::Invoice>> {
        self.sim.invoice_register(c, q).await
    }
    async fn settlement(&self, c: &Bin, bounds: &[i64]) -> OperatorResult<cabinet_core::operator::Settlement> {
        self.sim.settlement(c, bounds).await
    }
    async fn roaming_package_days(
        &self,
        c: &Bin,
        period: (i64, i64),
        after: Option<&str>,
        numbers: u32,
    ) -> OperatorResult<cabinet_core::operator::RoamingPackagePage> {
        self.sim.roaming_package_days(c, period, after, numbers).await
    }
    async fn number_list_rows(
        &self,
        c: &Bin,
        after: Option<&Msisdn>,
        limit: u32,
    ) -> OperatorResult<Vec<op::NumberListRow>> {
        self.sim.number_list_rows(c, after, limit).await
    }
    async fn device_registrations(
        &self,
        c: &Bin,
        after: Option<&op::DeviceCursor>,
        limit: u32,
    ) -> OperatorResult<Vec<op::DeviceRegistration>> {
        self.sim.device_registrations(c, after, limit).await
    }
}

/// A portal without a worker, a report of Carol's asked for through it (with its owner's
/// company and administrator ids), and a worker of the test's own over `mode`.
async fn report_with_worker(mode: Mode) -> (TestApp, (String, String), String, Worker) {
    let app = spawn_with(Options { worker: false, ..Options::default() }).await;
    let b = app.signed_in(CAROL).await;
    let n = numbers(&app, BIN_A).await.into_iter().find(|n| n.state == NumberState::Active).unwrap().msisdn;
    let page = format!("/numbers/{n}/usage");
    let id =
        report_in(&b.post_from(&page, &format!("{page}.xlsx"), &[("from", &days_ago(20)), ("to", &days_ago(1))]).await);
    let a = companies::by_bin(&app.db, &Bin::parse(BIN_A).unwrap()).await.unwrap().unwrap();
    let carol = admins::by_phone(&app.db, &Msisdn::parse(CAROL).unwrap()).await.unwrap().unwrap();
    let owner = (a.id, carol.id);
    let worker = Worker {
        db: app.db.db.clone(),
        operator: Arc::new(Usage { sim: Simulator::new(app.db.db.clone()), db: app.db.db.clone(), mode }),
        channels: Default::default(),
        id: "test-worker".into(),
        lease_ms: 30_000,
        poll_ms: 50,
        wake: Default::default(),
        pulse: Default::default(),
        zone: cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap(),
        legal: cabinet_web::OperatorLegal::default(),
    };
    (app, owner, id, worker)
}

/// Runs the next due job; the report's job waits out no backoff (its time is made now).
async fn run_report_job(app: &TestApp, w: &Worker) {
    sqlx::query("UPDATE jobs SET run_at_ms = 0 WHERE kind = 'report' AND state = 'queued'")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert!(w.run_once().await.unwrap(), "a job ran");
}

#[tokio::test]
async fn an_operator_that_does_not_answer_is_asked_again_then_the_report_fails_with_the_reason() {
    let (app, ids, id, w) = report_with_worker(Mode::Down).await;
    let owner = Owner { company_id: &ids.0, admin_id: &ids.1 };
    for attempt in 1..reports::ATTEMPTS {
        run_report_job(&app, &w).await;
        let r = reports::get_for(&app.db, owner, &id).await.unwrap().unwrap();
        assert!(r.pending(), "attempt {attempt}: still to be made ({})", r.state);
        let job = cabinet_store::jobs::get(&app.db, &r.job_id).await.unwrap().unwrap();
        assert_eq!(job.state, cabinet_store::jobs::QUEUED);
        assert!(job.last_error.unwrap_or_default().contains("connection refused"));
    }
    run_report_job(&app, &w).await;
    let r = reports::get_for(&app.db, owner, &id).await.unwrap().unwrap();
    assert_eq!((r.state.as_str(), r.error.as_deref()), (reports::FAILED, Some("operator_unavailable")));
    assert_eq!(app.outbox_len().await, 1, "the sign-in code only: no report e-mail");

    let b = app.signed_in(CAROL).await;
    let row = b.get(&format!("/reports/{id}/row")).await.body;
    assert!(
        row.contains("The operator&#39;s system did not answer")
            || row.contains("The operator's system did not answer"),
        "{row}"
    );
}

#[tokio::test]
async fn a_report_worker_that_lost_its_lease_stores_no_file_and_sends_nothing() {
    let (app, ids, id, w) = report_with_worker(Mode::LeaseStolen).await;
    let owner = Owner { company_id: &ids.0, admin_id: &ids.1 };
    run_report_job(&app, &w).await;
    let r = reports::get_for(&app.db, owner, &id).await.unwrap().unwrap();
    assert!(r.pending(), "the other worker will finish it: {}", r.state);
    let (chunks,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM report_chunks").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(chunks, 0);
    assert_eq!(app.outbox_len().await, 1, "the sign-in code only");
    // My reports shows it on its way, its row asking again until it is ready.
    let list = app.signed_in(CAROL).await.get("/reports").await.body;
    assert!(list.contains(&format!("hx-get=\"/reports/{id}/row\" hx-trigger=\"every 2s\"")), "{list}");
    assert!(list.contains("Being prepared") && !list.contains(&format!("/reports/{id}/download")));
}
