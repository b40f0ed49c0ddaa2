//! The company's statements over a period, made as reports: the payments report (its
//! accounts' payments or its numbers' top-ups), the invoice register (every
//! invoice of the months in the period, streamed a page at a time from the operator, so that
//! three years of a large company's invoices never sit in memory) and the reconciliation
//! statement (акт сверки взаиморасчётов: the opening balance, each month's charges and
//! payments, the closing balance, both parties' details and signatures), whose figures are
//! the operator's settlement (`OperatorPort::settlement`), that is its books.

use crate::Tr;
use crate::config::OperatorLegal;
use crate::documents::BuildError;
use crate::export::{Format, document_file};
use crate::invoice_files::{Customer, month_words};
use cabinet_core::Locale;
use cabinet_core::operator::{
    Invoice, OperatorPort, Payment, PaymentCursor, PaymentQuery, PaymentsOf, RegisterQuery, RoamingPackageDay,
};
use cabinet_core::time::{BillingMonth, OperatorZone, now_ms};
use cabinet_reports::{Block, Cell, Frame, Signature, TableHead};

/// Invoices read from the operator at a time: about what the register holds in memory.
const REGISTER_PAGE: u32 = 1_000;

/// Who the statements are between, and in which language.
pub struct Parties<'a> {
    pub operator: &'a OperatorLegal,
    pub customer: Customer<'a>,
    pub locale: Locale,
}

/// The customer's name and BIN, above a statement's table.
fn customer_fields(t: &Tr, customer: &Customer) -> Block {
    Block::Fields(vec![(t.t("doc-customer"), customer.name.to_string()), (t.t("doc-bin"), customer.bin.to_string())])
}

fn unavailable(e: cabinet_core::operator::OperatorError) -> BuildError {
    BuildError::Unavailable(e.to_string())
}

/// The file of `head` and `frame` with the rows `read` sends, written as they come: the
/// writer (on a blocking thread) takes a page while the next is read, so a report holds a
/// page or two of rows however long it is.
async fn streamed<Fut>(
    format: Format,
    locale: Locale,
    (head, frame): (TableHead, Frame),
    read: impl FnOnce(tokio::sync::mpsc::Sender<Vec<Vec<Cell>>>) -> Fut,
) -> Result<std::fs::File, BuildError>
where
    Fut: std::future::Future<Output = Result<(), BuildError>>,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(2);
    let rows = std::iter::from_fn(move || rx.blocking_recv()).flatten();
    let (written, read) = tokio::join!(document_file(format, locale, head, frame, rows), read(tx));
    read?;
    written.map_err(BuildError::Failed)
}

fn register_row(t: &Tr, zone: &OperatorZone, i: &Invoice) -> Vec<Cell> {
    let date =
        crate::export::local_time(zone, i.issued_ms).map_or_else(|| Cell::Text(zone.date(i.issued_ms)), Cell::DateTime);
    vec![
        Cell::Text(i.registration_no.clone()),
        Cell::Text(i.system_no.clone()),
        Cell::Text(i.account_no.clone()),
        Cell::Text(month_words(t, &i.month)),
        date,
        Cell::Money(i.net.tiyn()),
        Cell::Money(i.vat.tiyn()),
        Cell::Money(i.total.tiyn()),
        Cell::Money(i.paid.tiyn()),
    ]
}

/// The invoice register of the months `from` to `to`: a row per invoice, oldest month
/// first, and the totals. The rows go to the writer as the pages come.
pub async fn register(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &cabinet_core::Bin,
    parties: &Parties<'_>,
    (from, to): (BillingMonth, BillingMonth),
    format: Format,
) -> Result<std::fs::File, BuildError> {
    let t = Tr::new(parties.locale);
    let head = TableHead {
        sheet: t.t("register-sheet"),
        title: t.t2(
            "register-file-title",
            ("from", month_words(&t, &from.to_string())),
            ("to", month_words(&t, &to.to_string())),
        ),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: [
            "register-col-registration",
            "register-col-number",
            "register-col-account",
            "register-col-month",
            "register-col-date",
            "doc-col-net",
            "doc-col-vat",
            "doc-col-total",
            "register-col-paid",
        ]
        .iter()
        .map(|k| t.t(k))
        .collect(),
        widths: vec![40.0, 18.0, 13.0, 16.0, 12.0, 14.0, 12.0, 14.0, 14.0],
    };
    // The totals come after the rows, so the pages are read first for them: twice the
    // operator's work, but memory stays one page's (the alternative is the whole register).
    let mut sums = (0i64, 0i64, 0i64, 0i64);
    let mut after = None;
    loop {
        let page = page_of(operator, bin, (from, to), after.clone()).await?;
        for i in &page {
            sums = (sums.0 + i.net.tiyn(), sums.1 + i.vat.tiyn(), sums.2 + i.total.tiyn(), sums.3 + i.paid.tiyn());
        }
        let Some(last) = page.last() else { break };
        after = Some((last.month.clone(), last.account_no.clone()));
        if page.len() < REGISTER_PAGE as usize {
            break;
        }
    }
    let frame = Frame {
        before: vec![customer_fields(&t, &parties.customer)],
        after: vec![Block::Totals(vec![
            (t.t("doc-total-net"), Cell::Money(sums.0)),
            (t.t("register-total-vat"), Cell::Money(sums.1)),
            (t.t("doc-total"), Cell::Money(sums.2)),
            (t.t("register-total-paid"), Cell::Money(sums.3)),
        ])],
    };
    // The rows: the pages read again as the writer takes them.
    streamed(format, parties.locale, (head, frame), |tx| async move {
        let mut after = None;
        loop {
            let page = page_of(operator, bin, (from, to), after.clone()).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.month.clone(), last.account_no.clone()));
            let full = page.len() == REGISTER_PAGE as usize;
            let rows = page.iter().map(|i| register_row(&t, zone, i)).collect();
            // A closed channel means the writer failed; its error is told by `streamed`.
            if tx.send(rows).await.is_err() || !full {
                break;
            }
        }
        Ok(())
    })
    .await
}

async fn page_of(
    operator: &dyn OperatorPort,
    bin: &cabinet_core::Bin,
    (from, to): (BillingMonth, BillingMonth),
    after: Option<(String, String)>,
) -> Result<Vec<Invoice>, BuildError> {
    let q = RegisterQuery { from_month: from.to_string(), to_month: to.to_string(), after, limit: REGISTER_PAGE };
    operator.invoice_register(bin, &q).await.map_err(unavailable)
}

/// The reconciliation statement of the days `[from, to]` (`dd.mm.yyyy` as the form gave
/// them): a row per month of the period (the first and last cut at its days).
pub async fn reconciliation(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &cabinet_core::Bin,
    parties: &Parties<'_>,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    format: Format,
) -> Result<std::fs::File, BuildError> {
    let t = Tr::new(parties.locale);
    // The month starts within the period, between its first day and the day after its last.
    let end = to.tomorrow().map_err(|e| BuildError::Failed(e.into()))?;
    let mut bounds = vec![zone.start_of_day_ms(from)];
    let mut labels = Vec::new();
    let mut month = BillingMonth::of(from);
    loop {
        labels.push(month_words(&t, &month.to_string()));
        let next = month.next().first_day();
        if next >= end {
            bounds.push(zone.start_of_day_ms(end));
            break;
        }
        bounds.push(zone.start_of_day_ms(next));
        month = month.next();
    }
    let s = operator.settlement(bin, &bounds).await.map_err(unavailable)?;
    let closings = s.closings();
    let (from_text, to_text) = (from.strftime("%d.%m.%Y").to_string(), to.strftime("%d.%m.%Y").to_string());
    let mut rows = Vec::with_capacity(s.periods.len());
    let mut opening = s.opening.tiyn();
    for ((label, p), closing) in labels.iter().zip(&s.periods).zip(&closings) {
        rows.push(vec![
            Cell::Text(label.clone()),
            Cell::Money(opening),
            Cell::Money(p.charges.tiyn()),
            Cell::Money(p.payments.tiyn()),
            Cell::Money(closing.tiyn()),
        ]);
        opening = closing.tiyn();
    }
    let closing = closings.last().map_or(s.opening.tiyn(), |c| c.tiyn());
    let charges: i64 = s.periods.iter().map(|p| p.charges.tiyn()).sum();
    let payments: i64 = s.periods.iter().map(|p| p.payments.tiyn()).sum();
    let (operator_legal, customer) = (parties.operator, &parties.customer);
    let head = TableHead {
        sheet: t.t("reconciliation-sheet"),
        title: t.t2("reconciliation-file-title", ("from", from_text.as_str()), ("to", to_text.as_str())),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: [
            "reconciliation-col-month",
            "reconciliation-col-opening",
            "reconciliation-col-charges",
            "reconciliation-col-payments",
            "reconciliation-col-closing",
        ]
        .iter()
        .map(|k| t.t(k))
        .collect(),
        widths: vec![22.0, 18.0, 18.0, 18.0, 18.0],
    };
    let outcome = match closing {
        c if c > 0 => t.t2(
            "reconciliation-owed",
            ("customer", customer.name),
            ("amount", cabinet_core::Money(c).format(parties.locale)),
        ),
        c if c < 0 => t.t2(
            "reconciliation-ahead",
            ("customer", customer.name),
            ("amount", cabinet_core::Money(-c).format(parties.locale)),
        ),
        _ => t.t("reconciliation-settled"),
    };
    let sign = |title: String, name: String| Signature {
        title,
        lines: vec![t.t("doc-signatory")],
        name,
        seal: Some(t.t("doc-seal")),
    };
    let frame = Frame {
        before: vec![
            Block::Heading(t.t("reconciliation-heading")),
            Block::Paragraph(t.tn(
                "reconciliation-between",
                vec![
                    ("operator", operator_legal.name.as_str().into()),
                    ("customer", customer.name.into()),
                    ("from", from_text.as_str().into()),
                    ("to", to_text.as_str().into()),
                ],
            )),
            Block::Fields(vec![
                (t.t("doc-operator"), operator_legal.name.clone()),
                (t.t("doc-bin"), operator_legal.bin.clone()),
                (t.t("doc-address"), operator_legal.address.clone()),
            ]),
            customer_fields(&t, customer),
        ],
        after: vec![
            Block::Totals(vec![
                (t.t1("reconciliation-total-opening", "date", from_text.as_str()), Cell::Money(s.opening.tiyn())),
                (t.t("reconciliation-total-charges"), Cell::Money(charges)),
                (t.t("reconciliation-total-payments"), Cell::Money(payments)),
                (t.t1("reconciliation-total-closing", "date", to_text.as_str()), Cell::Money(closing)),
            ]),
            Block::Paragraph(outcome),
            Block::Paragraph(t.t1("reconciliation-valid", "when", zone.date_time(now_ms()))),
            Block::Signatures(vec![
                sign(t.t("doc-side-operator"), operator_legal.signatory.clone()),
                sign(t.t("doc-side-customer"), String::new()),
            ]),
        ],
    };
    document_file(format, parties.locale, head, frame, rows).await.map_err(BuildError::Failed)
}

/// Payments read from the operator at a time.
const PAYMENTS_PAGE: u32 = 1_000;

fn payment_row(t: &Tr, zone: &OperatorZone, p: &Payment) -> Vec<Cell> {
    let when = crate::export::local_time(zone, p.received_ms)
        .map_or_else(|| Cell::Text(zone.date(p.received_ms)), Cell::DateTime);
    let channel = t.try_t(&format!("channel-{}", p.channel.replace('_', "-"))).unwrap_or_else(|| p.channel.clone());
    let to = match (&p.account_no, &p.msisdn) {
        (_, Some(m)) => cabinet_core::Msisdn::pretty_text(m),
        (Some(a), None) => a.clone(),
        (None, None) => String::new(),
    };
    vec![when, Cell::Text(channel), Cell::Text(p.reference.clone()), Cell::Text(to), Cell::Money(p.amount.tiyn())]
}

async fn payments_page(
    operator: &dyn OperatorPort,
    bin: &cabinet_core::Bin,
    which: PaymentsOf,
    (from_ms, to_ms): (i64, i64),
    after: Option<PaymentCursor>,
) -> Result<Vec<Payment>, BuildError> {
    let q = PaymentQuery { which, from_ms, to_ms, after, limit: PAYMENTS_PAGE };
    operator.payments(bin, &q).await.map_err(unavailable)
}

/// The company's payments report of `[from_ms, to_ms)`: its credit accounts' payments or
/// its advance numbers' top-ups, oldest first, and their total; streamed as the register is.
pub async fn payments(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &cabinet_core::Bin,
    parties: &Parties<'_>,
    (which, (from_ms, to_ms), (from, to)): (PaymentsOf, (i64, i64), (&str, &str)),
    format: Format,
) -> Result<std::fs::File, BuildError> {
    let t = Tr::new(parties.locale);
    let (kind_key, to_key) = match which {
        PaymentsOf::CreditAccounts => ("company-payments-credit", "register-col-account"),
        PaymentsOf::AdvanceNumbers => ("company-payments-advance", "doc-col-number"),
    };
    let head = TableHead {
        sheet: t.t("company-payments-sheet"),
        title: t.tn(
            "company-payments-file-title",
            vec![("which", t.t(kind_key).into()), ("from", from.into()), ("to", to.into())],
        ),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: [
            "company-payments-col-when",
            "company-payments-col-channel",
            "company-payments-col-reference",
            to_key,
            "company-payments-col-amount",
        ]
        .iter()
        .map(|k| t.t(k))
        .collect(),
        widths: vec![20.0, 20.0, 24.0, 20.0, 16.0],
    };
    // The total comes after the rows: the pages are read once for it first.
    let (mut total, mut count) = (0i64, 0i64);
    let mut after = None;
    loop {
        let page = payments_page(operator, bin, which, (from_ms, to_ms), after).await?;
        total += page.iter().map(|p| p.amount.tiyn()).sum::<i64>();
        count += page.len() as i64;
        let Some(last) = page.last() else { break };
        after = Some(last.cursor);
        if page.len() < PAYMENTS_PAGE as usize {
            break;
        }
    }
    let frame = Frame {
        before: vec![customer_fields(&t, &parties.customer)],
        after: vec![Block::Totals(vec![(t.t1("company-payments-total", "count", count), Cell::Money(total))])],
    };
    streamed(format, parties.locale, (head, frame), |tx| async move {
        let mut after = None;
        loop {
            let page = payments_page(operator, bin, which, (from_ms, to_ms), after).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.cursor);
            let full = page.len() == PAYMENTS_PAGE as usize;
            let rows = page.iter().map(|p| payment_row(&t, zone, p)).collect();
            if tx.send(rows).await.is_err() || !full {
                break;
            }
        }
        Ok(())
    })
    .await
}

/// Numbers whose package days are read from the operator at a time (each is rated).
const PACKAGE_NUMBERS_PAGE: u32 = 100;

fn package_row(t: &Tr, zone: &OperatorZone, d: &RoamingPackageDay) -> Vec<Cell> {
    let day = crate::export::local_time(zone, d.day_ms).map_or_else(|| Cell::Text(zone.date(d.day_ms)), Cell::DateTime);
    vec![
        Cell::Text(cabinet_core::Msisdn::pretty_text(&d.msisdn)),
        day,
        Cell::Text(t.text(&d.country).to_string()),
        Cell::Money(d.fee.tiyn()),
        // Megabytes with one decimal, as the usage details show data.
        Cell::Text(format!("{:.1}", d.data_kb as f64 / 1024.0)),
    ]
}

/// The Atlas Pro roaming package day by day in `[from_ms, to_ms)`: a row per number and day
/// the package was used, read a page of numbers at a time as the writer takes them.
pub async fn roaming_packages(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &cabinet_core::Bin,
    parties: &Parties<'_>,
    ((from_ms, to_ms), (from, to)): ((i64, i64), (&str, &str)),
    format: Format,
) -> Result<std::fs::File, BuildError> {
    let t = Tr::new(parties.locale);
    let head = TableHead {
        sheet: t.t("roaming-packages-sheet"),
        title: t.t2("roaming-packages-file-title", ("from", from), ("to", to)),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: [
            "doc-col-number",
            "roaming-packages-col-day",
            "roaming-packages-col-country",
            "roaming-packages-col-fee",
            "roaming-packages-col-data",
        ]
        .iter()
        .map(|k| t.t(k))
        .collect(),
        widths: vec![20.0, 14.0, 24.0, 14.0, 14.0],
    };
    let frame = Frame { before: vec![customer_fields(&t, &parties.customer)], after: Vec::new() };
    streamed(format, parties.locale, (head, frame), |tx| async move {
        let mut after: Option<String> = None;
        loop {
            let page = operator
                .roaming_package_days(bin, (from_ms, to_ms), after.as_deref(), PACKAGE_NUMBERS_PAGE)
                .await
                .map_err(unavailable)?;
            let rows = page.days.iter().map(|d| package_row(&t, zone, d)).collect();
            if tx.send(rows).await.is_err() {
                break;
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        Ok(())
    })
    .await
}
