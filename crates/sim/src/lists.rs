//! The company-level lists the e-mailed reports read a page at a time: every number with the
//! figures of the list of numbers report, and every device registered with the numbers.
//! Pages are cut by key (keyset), so the last page of 100,000 numbers costs what the first
//! does, and each is scoped by the customer's BIN. LIMITs are written into the SQL (see
//! `select`).

use crate::SimError;
use crate::numbers::{SUMMARY_COLUMNS, SUMMARY_WIDTH, SummaryRow};
use cabinet_core::operator::{BillingMethod, DeviceCursor, DeviceRegistration, NumberListRow};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::Db;

/// The longest page a caller may ask for.
const MAX_LIMIT: u32 = 5_000;

fn page_size(limit: u32) -> u32 {
    limit.clamp(1, MAX_LIMIT)
}

/// Up to `limit` of the customer's numbers after `after`, in number order.
pub(crate) async fn number_list_rows(
    db: &Db,
    customer: &Bin,
    after: Option<&Msisdn>,
    limit: u32,
) -> Result<Vec<NumberListRow>, SimError> {
    let limit = page_size(limit);
    // The page's numbers are picked in index order first, then joined to their accounts,
    // as `numbers::list` does.
    let cursor = if after.is_some() { " AND s.msisdn > $2" } else { "" };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, a.past_debt FROM \
           (SELECT s.msisdn, s.account_no, s.tariff_code, s.state, s.individual_limit, s.period_spent, s.balance \
              FROM sim_subscribers s WHERE s.bin = $1{cursor} ORDER BY s.msisdn LIMIT {limit}) s \
         JOIN sim_accounts a ON a.account_no = s.account_no ORDER BY s.msisdn"
    );
    let mut q = db.select(sql).scan().text(customer.as_str());
    if let Some(after) = after {
        q = q.text(after.as_str());
    }
    let rows = q.all(|r| Ok((SummaryRow::from_select(r)?, r.int(SUMMARY_WIDTH)?))).await?;
    let mut list = Vec::with_capacity(rows.len());
    for (row, past_debt) in rows {
        // Advance numbers have no credit limit, whatever the account row holds (as the
        // profile shows it).
        let credit_limit = row.credit_limit;
        let summary = row.into_summary()?;
        let credit = summary.billing == BillingMethod::Credit;
        list.push(NumberListRow {
            account_no: summary.account_no,
            billing: summary.billing,
            credit_limit: credit_limit.filter(|_| credit).map(Money),
            past_debt: Money(past_debt),
            balance: (!credit).then_some(summary.remaining),
            remaining_credit: credit.then_some(summary.remaining),
            tariff: summary.tariff,
            state: summary.state,
            msisdn: summary.msisdn,
        });
    }
    Ok(list)
}

/// Up to `limit` of the devices registered with the customer's numbers after `after`, by
/// number and IMEI. The registry keeps other owners' devices too: only the customer's
/// numbers' rows are read.
pub(crate) async fn device_registrations(
    db: &Db,
    customer: &Bin,
    after: Option<&DeviceCursor>,
    limit: u32,
) -> Result<Vec<DeviceRegistration>, SimError> {
    let limit = page_size(limit);
    let cursor = if after.is_some() { " AND (r.msisdn > $2 OR (r.msisdn = $2 AND r.imei > $3))" } else { "" };
    let sql = format!(
        "SELECT r.msisdn, r.imei, r.duplicate, r.registered_ms \
           FROM sim_imei_registry r JOIN sim_subscribers s ON s.msisdn = r.msisdn \
          WHERE s.bin = $1{cursor} ORDER BY r.msisdn, r.imei LIMIT {limit}"
    );
    let mut q = db.select(sql).scan().text(customer.as_str());
    if let Some(after) = after {
        q = q.text(after.msisdn.as_str()).text(after.imei.as_str());
    }
    let rows = q.all(|r| Ok((r.text(0)?, r.text(1)?, r.flag(2)?, r.int(3)?))).await?;
    rows.into_iter()
        .map(|(msisdn, imei, duplicate, registered_ms)| {
            let msisdn =
                Msisdn::parse(&msisdn).map_err(|_| SimError::BadData(format!("number {msisdn:?} of a device")))?;
            Ok(DeviceRegistration { msisdn, imei, duplicate, registered_ms })
        })
        .collect()
}
