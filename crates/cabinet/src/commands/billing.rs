//! `cabinet billing close`: operator staff close a billing month on demand (the simulator
//! makes one invoice per account; closing again makes nothing more).

use anyhow::{Context, Result, bail};
use cabinet_core::time::{BillingMonth, OperatorZone};
use cabinet_core::{Bin, Locale};
use cabinet_sim::billing::{CloseReport, close_month};
use cabinet_store::Db;

/// What to close, checked before the store is touched: a month that exists and is over, and
/// a valid BIN if one is named.
pub fn close_args(
    month: &str,
    bin: Option<&str>,
    zone: &OperatorZone,
    now_ms: i64,
) -> Result<(BillingMonth, Option<Bin>)> {
    let m = BillingMonth::parse(month).map_err(|e| anyhow::anyhow!("--month {month:?}: {e}"))?;
    let (_, end_ms) = m.bounds_ms(zone);
    if end_ms > now_ms {
        bail!("--month {m} is not over yet: a month can be closed from its next month's first day");
    }
    let bin = bin
        .map(|b| {
            Bin::parse(b).map_err(|_| {
                anyhow::anyhow!("--bin: BIN/IIN must be 12 digits with a valid structure and control digit: {b:?}")
            })
        })
        .transpose()?;
    Ok((m, bin))
}

/// Closes the month and says what it made.
pub async fn close(
    db: &Db,
    zone: &OperatorZone,
    month: BillingMonth,
    bin: Option<&Bin>,
    now_ms: i64,
) -> Result<String> {
    let CloseReport { invoices, total, blocked } =
        close_month(db, zone, month, bin, now_ms).await.with_context(|| format!("closing {month}"))?;
    let whom = bin.map_or_else(|| "all customers".to_string(), |b| format!("BIN {b}"));
    Ok(format!(
        "Closed {month} for {whom}: {invoices} invoices, {} in all. {blocked} numbers put into Blocked / Debt \
         for invoices unpaid past their due date.",
        total.format(Locale::En)
    ))
}
