//! The company lists mailed as reports (Documents and reports): the list of numbers — every
//! number with its billing method, credit limit, past debt, balance, remaining credit
//! limit, tariff and state — and the registered devices. A company may have 100,000 numbers,
//! so the rows are never held together: the operator is read a page at a time (keyset) and
//! each page is handed to the writer on its blocking thread as it comes, through a channel
//! of two pages; memory stays that of two pages and the writer's, whatever the company's size.

use crate::Tr;
use crate::documents::{BuildError, Built};
use crate::export::{self, Format};
use crate::pages::numbers::state_key;
use cabinet_core::operator::{BillingMethod, DeviceCursor, NumberListRow, OperatorError, OperatorPort};
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_core::{Bin, Money};
use cabinet_reports::{Cell, TableHead};
use tokio::sync::mpsc;

/// Rows asked of the operator at a time.
pub const PAGE: u32 = 1_000;
/// Pages waiting for the writer: the reader stays at most this far ahead.
const PAGES_AHEAD: usize = 2;

type Page = Vec<Vec<Cell>>;

/// The rows the writer takes one at a time, as the reader sends them page by page; they end
/// when the reader stops (all read, or the operator failed: the reader's result says which).
struct Feed {
    pages: mpsc::Receiver<Page>,
    page: std::vec::IntoIter<Vec<Cell>>,
}

impl Iterator for Feed {
    type Item = Vec<Cell>;

    fn next(&mut self) -> Option<Vec<Cell>> {
        loop {
            if let Some(row) = self.page.next() {
                return Some(row);
            }
            // The writer runs on the blocking pool, where waiting is allowed.
            self.page = self.pages.blocking_recv()?.into_iter();
        }
    }
}

/// A feed and the sender of its pages.
fn feed() -> (mpsc::Sender<Page>, Feed) {
    let (sender, pages) = mpsc::channel(PAGES_AHEAD);
    (sender, Feed { pages, page: Vec::new().into_iter() })
}

/// Writes the rows of `feed`, which `read` sends, under `head` into an XLSX file named
/// `name`: the reader runs here, the writer on the blocking pool, side by side.
async fn feed_file(
    head: TableHead,
    locale: cabinet_core::Locale,
    name: &str,
    feed: Feed,
    read: impl Future<Output = Result<(), OperatorError>>,
) -> Result<Built, BuildError> {
    let (file, read) = tokio::join!(export::table_file(Format::Xlsx, locale, head, feed), read);
    // A reader that failed ended the rows early: the file is incomplete and is not kept.
    read.map_err(|e| BuildError::Unavailable(e.to_string()))?;
    let file = file.map_err(BuildError::Failed)?;
    let size = file.metadata().map_err(|e| BuildError::Failed(e.into()))?.len();
    Ok(Built {
        file,
        size,
        file_name: format!("{name}.{}", Format::Xlsx.extension()),
        content_type: Format::Xlsx.content_type(),
    })
}

/// The head of a company list: its title, the moment its data is valid for, the columns.
fn head(t: &Tr, zone: &OperatorZone, title_key: &str, sheet_key: &str, columns: &[(&str, f64)]) -> TableHead {
    TableHead {
        sheet: t.t(sheet_key),
        title: t.t(title_key),
        as_of: t.t1("report-as-of", "when", zone.date_time(now_ms())),
        header: columns.iter().map(|(k, _)| t.t(k)).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
    }
}

/// The list of numbers report's columns (manual 000's order).
const NUMBER_LIST_COLUMNS: [(&str, f64); 9] = [
    ("number-list-number", 18.0),
    ("number-list-account", 14.0),
    ("number-list-billing", 14.0),
    ("number-list-credit-limit", 16.0),
    ("number-list-debt", 16.0),
    ("number-list-balance", 16.0),
    ("number-list-remaining", 18.0),
    ("number-list-tariff", 26.0),
    ("number-list-state", 18.0),
];

/// One number's cells: money as numbers with two decimals; a figure the billing method does
/// not have (a credit limit of an advance number) is an empty cell, not a zero.
fn number_list_cells(t: &Tr, r: &NumberListRow) -> Vec<Cell> {
    let money = |m: Option<Money>| m.map_or_else(|| Cell::Text(String::new()), |m| Cell::Money(m.tiyn()));
    let billing = match r.billing {
        BillingMethod::Credit => "billing-credit",
        BillingMethod::Advance => "billing-advance",
    };
    vec![
        Cell::Text(r.msisdn.pretty()),
        Cell::Text(r.account_no.clone()),
        Cell::Text(t.t(billing)),
        money(r.credit_limit),
        Cell::Money(r.past_debt.tiyn()),
        money(r.balance),
        money(r.remaining_credit),
        Cell::Text(t.text(&r.tariff).to_string()),
        Cell::Text(t.t(state_key(r.state))),
    ]
}

/// The list of numbers report of the customer `bin` as an XLSX file.
pub async fn number_list_file(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &Bin,
    t: Tr,
) -> Result<Built, BuildError> {
    let head = head(&t, zone, "number-list-title", "number-list-sheet", &NUMBER_LIST_COLUMNS);
    let locale = t.locale;
    let (sender, rows) = feed();
    let read = async move {
        let mut after = None;
        loop {
            let rows = operator.number_list_rows(bin, after.as_ref(), PAGE).await?;
            let last = rows.len() < PAGE as usize;
            after = rows.last().map(|r| r.msisdn.clone());
            let page = rows.iter().map(|r| number_list_cells(&t, r)).collect();
            // The writer gone (it failed): nothing more to read; its error is reported.
            if sender.send(page).await.is_err() || last {
                return Ok(());
            }
        }
    };
    feed_file(head, locale, &format!("numbers-{}", bin.as_str()), rows, read).await
}

const DEVICES_COLUMNS: [(&str, f64); 4] =
    [("devices-number", 18.0), ("devices-imei", 20.0), ("devices-registered", 20.0), ("devices-duplicate", 22.0)];

/// The registered devices report of the customer `bin` as an XLSX file.
pub async fn devices_file(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &Bin,
    t: Tr,
) -> Result<Built, BuildError> {
    let head = head(&t, zone, "devices-title", "devices-sheet", &DEVICES_COLUMNS);
    let locale = t.locale;
    let (sender, rows) = feed();
    let read = async move {
        let mut after: Option<DeviceCursor> = None;
        loop {
            let rows = operator.device_registrations(bin, after.as_ref(), PAGE).await?;
            let last = rows.len() < PAGE as usize;
            after = rows.last().map(|d| DeviceCursor { msisdn: d.msisdn.to_string(), imei: d.imei.clone() });
            let page = rows
                .iter()
                .map(|d| {
                    let when = export::local_time(zone, d.registered_ms);
                    let duplicate = if d.duplicate { "devices-duplicate-yes" } else { "devices-duplicate-no" };
                    vec![
                        Cell::Text(d.msisdn.pretty()),
                        Cell::Text(d.imei.clone()),
                        when.map_or_else(|| Cell::Text(String::new()), Cell::DateTime),
                        Cell::Text(t.t(duplicate)),
                    ]
                })
                .collect();
            if sender.send(page).await.is_err() || last {
                return Ok(());
            }
        }
    };
    feed_file(head, locale, &format!("devices-{}", bin.as_str()), rows, read).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_and_word_is_in_the_three_catalogs() {
        for locale in [cabinet_core::Locale::Ru, cabinet_core::Locale::En, cabinet_core::Locale::Kk] {
            let t = Tr::new(locale);
            let words = ["number-list-title", "number-list-sheet", "devices-title", "devices-sheet"];
            let yes_no = ["devices-duplicate-yes", "devices-duplicate-no"];
            let columns = NUMBER_LIST_COLUMNS.iter().chain(&DEVICES_COLUMNS).map(|(k, _)| *k);
            for key in columns.chain(words).chain(yes_no) {
                assert!(t.try_t(key).is_some(), "{key} in {locale:?}");
            }
        }
    }
}
