//! Documents and reports → List of numbers report and Registered devices report: asked for
//! on a form with an e-mail address, made by the `report` job, mailed (to a real SMTP server
//! on loopback) to the address typed with the XLSX attached; every row as the simulator's
//! profile shows it, none of another company's; a wrong address stores nothing.

use crate::gateways::delivering;
use crate::helpers::*;
use crate::reports::{
    carol_by_mail, download, money, report_count, report_in, sheet, text, wait_for_mail_with_file, wait_ready,
};
use base64::Engine as _;
use cabinet_core::operator::{
    self as op, BillingMethod, NumberQuery, NumberState, Operation, OperationState, OperatorPort, OperatorResult,
};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::{Behaviour, Simulator};
use cabinet_web::documents::{self, BuildError, MailTo, ReportRequest};
use calamine::Data;
use reqwest::StatusCode;

const NUMBER_LIST: &str = "/reports/number-list";
const DEVICES: &str = "/reports/devices";

fn sim(app: &TestApp) -> Simulator {
    Simulator::new(app.db.db.clone()).with_behaviour(Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 })
}

async fn company_numbers(app: &TestApp, bin: &str) -> Vec<String> {
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let page = sim(app).list_numbers(&Bin::parse(bin).unwrap(), &q).await.unwrap();
    page.items.into_iter().map(|n| n.msisdn.to_string()).collect()
}

fn digits(c: &Data) -> String {
    text(c).chars().filter(char::is_ascii_digit).collect()
}

/// The data rows of a company list: after the title, the as-of line, a blank row and the
/// header (whose first cell is `first_column`).
fn data_rows(rows: &[Vec<Data>], first_column: &str) -> Vec<Vec<Data>> {
    assert!(text(&rows[1][0]).starts_with("Data as of "), "the moment the data is valid for: {:?}", rows[1]);
    assert_eq!(text(&rows[3][0]), first_column, "the header: {:?}", rows[3]);
    rows[4..].iter().filter(|r| !r.iter().all(|c| matches!(c, Data::Empty))).cloned().collect()
}

/// An empty cell (a figure the number's billing method does not have) or an amount.
fn maybe_money(c: &Data) -> Option<i64> {
    match c {
        Data::Empty => None,
        Data::String(s) if s.is_empty() => None,
        other => Some(money(other)),
    }
}

fn state_text(s: NumberState) -> &'static str {
    match s {
        NumberState::Active => "Active",
        NumberState::Blocked => "Blocked",
        NumberState::BlockedDebt => "Blocked / Debt",
        NumberState::Processing => "Processing",
    }
}

#[tokio::test]
async fn the_list_of_numbers_is_mailed_to_the_address_typed_with_every_number_as_its_profile_shows() {
    let (app, _gateway, smtp) = delivering(Options::default()).await;
    let b = carol_by_mail(&app, &smtp).await;
    let form = b.get(NUMBER_LIST).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"tab-number-list\" aria-current=\"page\""), "its tab is current");
    assert!(form.body.contains("value=\"carol@example.kz\""), "the administrator's address filled in");

    let asked = b.post_from(NUMBER_LIST, NUMBER_LIST, &[("email", " Buh@Alfa.KZ ")]).await;
    let id = report_in(&asked);
    let accepted = b.get(asked.location().unwrap()).await;
    assert!(accepted.body.contains("Your request to submit a report has been accepted."), "{}", accepted.body);
    wait_ready(&b, &id).await;
    assert!(b.get("/reports").await.body.contains("List of numbers report, XLSX"), "in My reports");
    let history = b.get("/reports/actions").await.body;
    assert!(
        history.contains("Request of the list of numbers report to Buh@alfa.kz"),
        "the address as typed, its domain in lower case: {history}"
    );

    let mail = wait_for_mail_with_file(&smtp, "Buh@alfa.kz").await;
    assert!(mail.subject.starts_with("Report ready: List of numbers report"), "{}", mail.subject);
    assert_eq!(mail.attachments[0].0, format!("numbers-{BIN_A}.xlsx"));
    let attached = base64::engine::general_purpose::STANDARD.decode(&mail.contents[0]).unwrap();
    assert_eq!(download(&b, &id).await.1, attached, "the attachment is the file My reports holds");

    let rows = data_rows(&sheet(attached), "Mobile number");
    let mine = company_numbers(&app, BIN_A).await;
    assert_eq!(mine.len(), 60);
    let listed: Vec<String> = rows.iter().map(|r| digits(&r[0])).collect();
    assert_eq!(listed, mine, "one row per number of the company, in number order");
    let theirs = company_numbers(&app, BIN_B).await;
    assert!(listed.iter().all(|n| !theirs.contains(n)), "no number of company B");

    let sim = sim(&app);
    let a = Bin::parse(BIN_A).unwrap();
    let t = cabinet_web::Tr::new(cabinet_core::Locale::En);
    for row in &rows {
        let msisdn = Msisdn::parse(&digits(&row[0])).unwrap();
        let p = sim.number_profile(&a, &msisdn).await.unwrap().unwrap();
        let n = msisdn.as_str();
        assert_eq!(text(&row[1]), p.summary.account_no, "{n}");
        let billing = match p.summary.billing {
            BillingMethod::Credit => "Credit",
            BillingMethod::Advance => "Advance",
        };
        assert_eq!(text(&row[2]), billing, "{n}");
        assert_eq!(maybe_money(&row[3]), p.credit_limit.map(|m| m.tiyn()), "credit limit of {n}");
        assert_eq!(money(&row[4]), p.past_debt.tiyn(), "past debt of {n}");
        let (balance, remaining) = match p.summary.billing {
            BillingMethod::Advance => (Some(p.summary.remaining.tiyn()), None),
            BillingMethod::Credit => (None, Some(p.summary.remaining.tiyn())),
        };
        assert_eq!(maybe_money(&row[5]), balance, "balance of {n}");
        assert_eq!(maybe_money(&row[6]), remaining, "remaining credit limit of {n}");
        assert_eq!(text(&row[7]), t.text(&p.summary.tariff), "tariff of {n}");
        assert_eq!(text(&row[8]), state_text(p.summary.state), "state of {n}");
    }
    assert!(rows.iter().any(|r| maybe_money(&r[5]).is_some()) && rows.iter().any(|r| maybe_money(&r[6]).is_some()));
}

#[tokio::test]
async fn the_devices_report_lists_exactly_the_registrations_the_simulator_holds_for_the_company() {
    let (app, _gateway, smtp) = delivering(Options::default()).await;
    let sim = sim(&app);
    let (a, bin_b) = (Bin::parse(BIN_A).unwrap(), Bin::parse(BIN_B).unwrap());
    // A device on two of A's numbers and one on a number of B's, through the network (a
    // device some other operator's subscriber had is refused: try the next).
    let register = async |bin: &Bin, msisdn: &str, tag: &str| {
        let m = Msisdn::parse(msisdn).unwrap();
        for i in 0..100 {
            let op = Operation::RegisterImei { imei: format!("35367807{tag}{i:04}") };
            if sim.submit(bin, &m, &op, &format!("{tag}-{msisdn}-{i}")).await.unwrap() == OperationState::Done {
                return;
            }
        }
        panic!("no device could be registered with {msisdn}");
    };
    let active = numbers_of_state(&app, BIN_A, NumberState::Active).await;
    register(&a, active[0].msisdn.as_str(), "11").await;
    register(&a, active[1].msisdn.as_str(), "12").await;
    register(&a, active[1].msisdn.as_str(), "13").await;
    let theirs = numbers_of_state(&app, BIN_B, NumberState::Active).await;
    register(&bin_b, theirs[0].msisdn.as_str(), "21").await;
    let held = sim.device_registrations(&a, None, 1_000).await.unwrap();
    assert_eq!(held.len(), 3);

    let b = carol_by_mail(&app, &smtp).await;
    let id = report_in(&b.post_from(DEVICES, DEVICES, &[("email", CAROL_EMAIL)]).await);
    wait_ready(&b, &id).await;
    let mail = wait_for_mail_with_file(&smtp, CAROL_EMAIL).await;
    assert!(mail.subject.starts_with("Report ready: Registered devices report"), "{}", mail.subject);
    let attached = base64::engine::general_purpose::STANDARD.decode(&mail.contents[0]).unwrap();
    let rows = data_rows(&sheet(attached), "Mobile number");
    let listed: Vec<(String, String)> = rows.iter().map(|r| (digits(&r[0]), text(&r[1]))).collect();
    let expected: Vec<(String, String)> = held.iter().map(|d| (d.msisdn.to_string(), d.imei.clone())).collect();
    assert_eq!(listed, expected, "exactly the simulator's registrations of A's numbers");
    assert!(rows.iter().all(|r| matches!(&r[2], Data::DateTime(d) if d.is_datetime())), "registered at: a date cell");
    assert!(
        b.get("/reports/actions").await.body.contains("Request of the registered devices report to carol@example.kz")
    );
}

#[tokio::test]
async fn a_wrong_address_is_refused_on_the_form_and_nothing_is_stored() {
    let app = spawn().await;
    let b = app.signed_in(CAROL).await;
    for page in [NUMBER_LIST, DEVICES] {
        for (typed, says) in [
            ("", "Enter the e-mail address the report is to be sent to."),
            ("buh@alfa", "Enter an e-mail address in the correct format"),
            ("buh@alfa.kz\r\nBcc: spy@evil.kz", "Enter an e-mail address in the correct format"),
        ] {
            let refused = b.post_from(page, page, &[("email", typed)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{page} {typed:?}");
            assert!(refused.body.contains(says) && refused.body.contains("aria-invalid=\"true\""), "{}", refused.body);
        }
        // Without the form's token: refused too.
        assert_eq!(b.post(page, &[("email", "buh@alfa.kz")]).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(report_count(&app).await, 0);
    let (actions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM actions WHERE kind LIKE '%_report'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(actions, 0, "no action for a refused request");
}

#[tokio::test]
async fn another_companys_administrator_gets_only_their_own_numbers() {
    let app = spawn().await;
    // Bob has company B only, and no address of his own: the field is empty.
    let bob = app.signed_in(BOB).await;
    assert!(bob.get(NUMBER_LIST).await.body.contains("name=\"email\" type=\"email\" value=\"\""));
    let id = report_in(&bob.post_from(NUMBER_LIST, NUMBER_LIST, &[("email", "bob@beta.kz")]).await);
    wait_ready(&bob, &id).await;
    let rows = data_rows(&sheet(download(&bob, &id).await.1), "Mobile number");
    let listed: Vec<String> = rows.iter().map(|r| digits(&r[0])).collect();
    assert_eq!(listed, company_numbers(&app, BIN_B).await);
    let a = company_numbers(&app, BIN_A).await;
    assert!(listed.iter().all(|n| !a.contains(n)), "none of A's numbers");
    // The mail goes to the address typed, with B's file.
    let mail = app.last_message_to("bob@beta.kz").await.expect("the e-mail in the outbox");
    let subject = mail.subject.unwrap_or_default();
    assert!(subject.starts_with("Report ready: List of numbers report"), "{subject}");
    // Carol (company A) cannot see Bob's report.
    let carol = app.signed_in(CAROL).await;
    assert_eq!(carol.get(&format!("/reports/{id}/download")).await.status, StatusCode::NOT_FOUND);
}

/// The simulator, but the list of numbers answers one full page (A's numbers over and over)
/// and then fails, as an operator that goes away mid-report.
struct FailsAfterAPage {
    sim: Simulator,
    asked: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl OperatorPort for FailsAfterAPage {
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
    async fn submit(&self, c: &Bin, m: &Msisdn, o: &Operation, key: &str) -> OperatorResult<OperationState> {
        self.sim.submit(c, m, o, key).await
    }
    async fn transfer(
        &self,
        c: &Bin,
        from: &Msisdn,
        to: &Msisdn,
        amount: cabinet_core::Money,
        key: &str,
    ) -> OperatorResult<Result<op::TransferDone, op::TransferRefusal>> {
        self.sim.transfer(c, from, to, amount, key).await
    }
    async fn balance_moves(&self, c: &Bin, m: &Msisdn, f: i64, t: i64) -> OperatorResult<Option<Vec<op::BalanceMove>>> {
        self.sim.balance_moves(c, m, f, t).await
    }
    async fn usage(&self, c: &Bin, m: &Msisdn, f: i64, t: i64) -> OperatorResult<Option<op::UsageReport>> {
        self.sim.usage(c, m, f, t).await
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
    async fn number_list_rows(
        &self,
        c: &Bin,
        _after: Option<&Msisdn>,
        limit: u32,
    ) -> OperatorResult<Vec<op::NumberListRow>> {
        if self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 {
            return Err(op::OperatorError::Unavailable("connection reset".into()));
        }
        let rows = self.sim.number_list_rows(c, None, limit).await?;
        Ok(rows.iter().cycle().take(limit as usize).cloned().collect())
    }
    async fn device_registrations(
        &self,
        c: &Bin,
        after: Option<&op::DeviceCursor>,
        limit: u32,
    ) -> OperatorResult<Vec<op::DeviceRegistration>> {
        self.sim.device_registrations(c, after, limit).await
    }
    async fn invoice_register(&self, c: &Bin, q: &op::RegisterQuery) -> OperatorResult<Vec<op::Invoice>> {
        self.sim.invoice_register(c, q).await
    }
    async fn settlement(&self, c: &Bin, bounds: &[i64]) -> OperatorResult<op::Settlement> {
        self.sim.settlement(c, bounds).await
    }
    async fn roaming_package_days(
        &self,
        c: &Bin,
        period: (i64, i64),
        after: Option<&str>,
        numbers: u32,
    ) -> OperatorResult<op::RoamingPackagePage> {
        self.sim.roaming_package_days(c, period, after, numbers).await
    }
}

#[tokio::test]
async fn an_operator_that_fails_mid_way_gives_no_file_but_an_error_worth_retrying() {
    let app = spawn_with(Options { worker: false, ..Options::default() }).await;
    let operator = FailsAfterAPage { sim: sim(&app), asked: Default::default() };
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    let request = ReportRequest::NumberList(MailTo { email: "buh@alfa.kz".into() });
    let (bin, legal) = (Bin::parse(BIN_A).unwrap(), cabinet_web::OperatorLegal::default());
    let source =
        documents::Source {
            operator: &operator, zone: &zone, legal: &legal, bin: &bin, customer: "ТОО «Альфа»"
        };
    let built = documents::build(&source, cabinet_core::Locale::Ru, &request).await;
    assert!(
        matches!(built, Err(BuildError::Unavailable(_))),
        "a page written and the next refused: no file but a retry"
    );
    assert_eq!(operator.asked.load(std::sync::atomic::Ordering::SeqCst), 2, "the second page was asked for");
}
