//! An invoice's files for the bookkeeper, made from its lines only, so that every figure in
//! them is the invoice's to the tiyn:
//! - the act of completed works (service delivery certificate) with its breakdown, as PDF:
//!   the parties' details and the services by kind above the breakdown's table (a line per
//!   number and charge), the totals with VAT, the statement that the services were rendered
//!   and both parties' signature blocks below it;
//! - the invoice breakdown alone (the per-number charges), as XLSX or PDF.

use crate::Tr;
use crate::config::OperatorLegal;
use crate::export::{BoxError, Format, document_file};
use cabinet_core::operator::{InvoiceDocument, InvoiceLine, InvoiceLineKind, UsageKind};
use cabinet_core::time::{BillingMonth, OperatorZone, now_ms};
use cabinet_core::{Locale, Msisdn};
use cabinet_reports::{Block, Cell, Frame, Signature, TableHead};

/// Which of an invoice's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceFile {
    /// The act with its breakdown.
    Act,
    /// The breakdown alone.
    Breakdown,
}

/// The customer as a party to the documents.
pub struct Customer<'a> {
    pub name: &'a str,
    pub bin: &'a str,
}

/// The file's name without its extension: `act-<system number>` or `breakdown-<…>`.
pub fn file_name(kind: InvoiceFile, doc: &InvoiceDocument) -> String {
    let stem = match kind {
        InvoiceFile::Act => "act",
        InvoiceFile::Breakdown => "breakdown",
    };
    format!("{stem}-{}", doc.invoice.system_no)
}

/// "ноябрь 2026": the invoice's month in words.
pub fn month_words(t: &Tr, month: &str) -> String {
    match BillingMonth::parse(month) {
        Ok(m) => {
            let d = m.first_day();
            format!("{} {}", t.t(&format!("month-{}", d.month())), d.year())
        }
        Err(_) => month.to_string(),
    }
}

/// The day of the next month from which a month's documents are published: acts and
/// breakdowns from the 5th (the manuals: "the previous month is available after the 5th").
pub const ACTS_FROM_DAY: i8 = 5;

/// Whether the documents of `month` (`YYYY-MM`) are published at `now_ms`: from the given
/// day of the month after it, in the operator's zone.
pub fn published(zone: &OperatorZone, month: &str, from_day: i8, now_ms: i64) -> bool {
    let Ok(m) = BillingMonth::parse(month) else { return false };
    let next = m.next().first_day();
    let Ok(day) = jiff::civil::Date::new(next.year(), next.month(), from_day) else { return false };
    now_ms >= zone.start_of_day_ms(day)
}

/// What a line's quantity counts.
fn unit_key(kind: InvoiceLineKind) -> &'static str {
    match kind {
        InvoiceLineKind::Subscription | InvoiceLineKind::Service => "doc-unit-month",
        InvoiceLineKind::Package => "doc-unit-connection",
        InvoiceLineKind::Usage(UsageKind::Sms) => "doc-unit-sms",
        InvoiceLineKind::Usage(UsageKind::Data | UsageKind::RoamingData) => "doc-unit-mb",
        InvoiceLineKind::Usage(UsageKind::RoamingFee) => "doc-unit-fee",
        InvoiceLineKind::Usage(_) => "doc-unit-minute",
    }
}

/// The act's groups of services, in the order the act lists them.
fn group_key(kind: InvoiceLineKind) -> &'static str {
    match kind {
        InvoiceLineKind::Subscription => "doc-group-subscription",
        InvoiceLineKind::Usage(k) if UsageKind::HOME.contains(&k) => "doc-group-usage",
        InvoiceLineKind::Usage(_) => "doc-group-roaming",
        InvoiceLineKind::Service => "doc-group-services",
        InvoiceLineKind::Package => "doc-group-packages",
    }
}

const GROUPS: [&str; 5] =
    ["doc-group-subscription", "doc-group-usage", "doc-group-roaming", "doc-group-services", "doc-group-packages"];

fn breakdown_row(t: &Tr, l: &InvoiceLine) -> Vec<Cell> {
    vec![
        Cell::Text(Msisdn::pretty_text(&l.msisdn)),
        Cell::Text(t.text(&l.name).to_string()),
        Cell::Text(t.t(unit_key(l.kind))),
        Cell::Text(l.quantity.to_string()),
        Cell::Money(l.net.tiyn()),
        Cell::Money(l.vat.tiyn()),
        Cell::Money(l.net.tiyn() + l.vat.tiyn()),
    ]
}

/// "12%": a rate in basis points.
fn rate_text(bp: i64) -> String {
    if bp % 100 == 0 { format!("{}%", bp / 100) } else { format!("{}.{:02}%", bp / 100, bp % 100) }
}

/// The invoice's totals: net, VAT at its rate, total.
fn totals(t: &Tr, doc: &InvoiceDocument) -> Block {
    let i = &doc.invoice;
    Block::Totals(vec![
        (t.t("doc-total-net"), Cell::Money(i.net.tiyn())),
        (t.t1("doc-total-vat", "rate", rate_text(i.vat_rate_bp)), Cell::Money(i.vat.tiyn())),
        (t.t("doc-total"), Cell::Money(i.total.tiyn())),
    ])
}

/// The head and frame of the file.
fn layout(
    kind: InvoiceFile,
    t: &Tr,
    zone: &OperatorZone,
    operator: &OperatorLegal,
    customer: &Customer,
    doc: &InvoiceDocument,
) -> (TableHead, Frame) {
    let i = &doc.invoice;
    let period = month_words(t, &i.month);
    let date = zone.date(i.issued_ms);
    let header = [
        "doc-col-number",
        "doc-col-service",
        "doc-col-unit",
        "doc-col-quantity",
        "doc-col-net",
        "doc-col-vat",
        "doc-col-total",
    ]
    .iter()
    .map(|k| t.t(k))
    .collect();
    let widths = vec![18.0, 34.0, 10.0, 9.0, 13.0, 12.0, 13.0];
    let as_of = t.t1("report-as-of", "when", zone.date_time(now_ms()));
    let customer_fields = Block::Fields(vec![
        (t.t("doc-customer"), customer.name.to_string()),
        (t.t("doc-bin"), customer.bin.to_string()),
        (t.t("doc-account"), i.account_no.clone()),
        (t.t("doc-invoice-registration"), i.registration_no.clone()),
    ]);
    match kind {
        InvoiceFile::Act => {
            let title = t.t2("doc-act-title", ("number", i.system_no.as_str()), ("date", date.as_str()));
            let operator_fields = Block::Fields(vec![
                (t.t("doc-operator"), operator.name.clone()),
                (t.t("doc-bin"), operator.bin.clone()),
                (t.t("doc-address"), operator.address.clone()),
                (
                    t.t("doc-bank"),
                    format!(
                        "{}, {} {}, {} {}",
                        operator.bank,
                        t.t("doc-iban"),
                        operator.iban,
                        t.t("doc-bik"),
                        operator.bik
                    ),
                ),
            ]);
            let mut groups = Vec::new();
            for key in GROUPS {
                let sum: i64 = doc.lines.iter().filter(|l| group_key(l.kind) == key).map(|l| l.net.tiyn()).sum();
                if sum != 0 {
                    groups.push((t.t(key), Cell::Money(sum)));
                }
            }
            let sign = |title: String, name: String| Signature {
                title,
                lines: vec![t.t("doc-signatory")],
                name,
                seal: Some(t.t("doc-seal")),
            };
            let frame = Frame {
                before: vec![
                    Block::Heading(t.t("doc-act-heading")),
                    Block::Paragraph(t.t2(
                        "doc-act-lead",
                        ("period", period.as_str()),
                        ("operator", operator.name.as_str()),
                    )),
                    operator_fields,
                    customer_fields,
                    Block::Heading(t.t("doc-act-services")),
                    Block::Totals(groups),
                    Block::Heading(t.t("doc-breakdown-heading")),
                ],
                after: vec![
                    totals(t, doc),
                    Block::Paragraph(t.t("doc-act-statement")),
                    Block::Signatures(vec![
                        sign(t.t("doc-side-operator"), operator.signatory.clone()),
                        sign(t.t("doc-side-customer"), String::new()),
                    ]),
                ],
            };
            (TableHead { sheet: t.t("doc-act-sheet"), title, as_of, header, widths }, frame)
        }
        InvoiceFile::Breakdown => {
            let title = t.t2("doc-breakdown-title", ("number", i.system_no.as_str()), ("period", period.as_str()));
            let frame = Frame { before: vec![customer_fields], after: vec![totals(t, doc)] };
            (TableHead { sheet: t.t("doc-breakdown-sheet"), title, as_of, header, widths }, frame)
        }
    }
}

/// The file of the invoice, in the reader's language.
pub async fn build(
    kind: InvoiceFile,
    format: Format,
    locale: Locale,
    zone: &OperatorZone,
    operator: &OperatorLegal,
    customer: &Customer<'_>,
    doc: InvoiceDocument,
) -> Result<std::fs::File, BoxError> {
    let t = Tr::new(locale);
    let (head, frame) = layout(kind, &t, zone, operator, customer, &doc);
    let rows: Vec<Vec<Cell>> = doc.lines.iter().map(|l| breakdown_row(&t, l)).collect();
    document_file(format, locale, head, frame, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_months_documents_are_published_from_the_day_after_it() {
        let zone = OperatorZone::named("Asia/Almaty").unwrap();
        let at = |y, m, d| zone.start_of_day_ms(jiff::civil::date(y, m, d));
        assert!(!published(&zone, "2026-11", ACTS_FROM_DAY, at(2026, 12, 4)));
        assert!(!published(&zone, "2026-11", ACTS_FROM_DAY, at(2026, 12, 5) - 1));
        assert!(published(&zone, "2026-11", ACTS_FROM_DAY, at(2026, 12, 5)));
        assert!(published(&zone, "2026-12", 3, at(2027, 1, 3)), "over the year's end");
        assert!(!published(&zone, "2026-13", 1, at(2030, 1, 1)));
    }

    #[test]
    fn rates_are_written_as_percentages() {
        assert_eq!(rate_text(1200), "12%");
        assert_eq!(rate_text(1650), "16.50%");
    }
}
