//! The seeded history's billing months: every month of the last 90 days that is over is
//! closed as `billing::close_month` closes it, as if on its last instant, with the same
//! drafts (rated from the same usage records). Credit accounts pay their invoices by bank
//! transfer a few days after the month unless they carry a debt from before the books, and
//! advance balances run through top-ups and invoice charges in time order, so that the
//! seeded balance is where they end.

use super::open_month::OpenMonth;
use super::rows::Batch;
use super::rows::PaymentRow;
use crate::SimError;
use crate::billing::charges::{Draft, MonthToClose, NumberInMonth};
use crate::billing::close::{drafts_in_parallel, in_parallel};
use crate::billing::post::{self, Entry};
use crate::billing::usage_charges::{Due, due};
use crate::bulk::{insert, insert_returning};
use crate::ledger::{billing_account, number_account};
use crate::usage::fnv;
use cabinet_core::operator::{BillingMethod, NumberState};
use cabinet_core::time::{BillingMonth, OperatorZone};
use cabinet_store::Dialect;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

const DAY: i64 = 86_400_000;

/// The months of the history that are over at `now_ms`, oldest first.
pub(crate) fn months_to_close(zone: &OperatorZone, now_ms: i64) -> Vec<BillingMonth> {
    let (Some(from), Some(today)) =
        (zone.civil_date(now_ms - super::payments::HISTORY_DAYS * DAY), zone.civil_date(now_ms))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut m = BillingMonth::of(from);
    while m < BillingMonth::of(today) {
        out.push(m);
        m = m.next();
    }
    out
}

/// A credit invoice the seed pays: when, and the payment order's number.
#[derive(Debug, Clone)]
pub(crate) struct InvoicePayment {
    pub account_no: String,
    pub amount: i64,
    pub received_ms: i64,
    pub reference: String,
}

/// The batch's closed months: each month's drafts and the credit invoices' payments.
pub(crate) struct ClosedMonths {
    pub months: Vec<(MonthToClose, Vec<Draft>)>,
    pub payments: HashMap<(String, BillingMonth), InvoicePayment>,
    /// What each number owes for the open month up to the seed's day (none where nothing):
    /// advance numbers pay it from their balances, credit numbers' charges of the period
    /// hold it (`super::open_month`).
    pub open_month: Vec<Due>,
}

impl ClosedMonths {
    /// What the invoices took from each advance number's balance in all.
    pub(crate) fn charged(&self) -> HashMap<String, i64> {
        let mut out: HashMap<String, i64> = HashMap::new();
        for (_, drafts) in &self.months {
            for d in drafts.iter().filter(|d| d.billing == BillingMethod::Advance) {
                for (m, a) in d.number_charges() {
                    *out.entry(m).or_default() += a;
                }
            }
        }
        out
    }

    /// Each account's debt after the history: its opening debt and its unpaid invoices.
    pub(crate) fn final_debts(&self, batch: &Batch) -> HashMap<String, i64> {
        let mut debt: HashMap<String, i64> =
            batch.accounts.iter().map(|a| (a.account_no.clone(), a.past_debt)).collect();
        for (m, drafts) in &self.months {
            for d in drafts.iter().filter(|d| d.billing == BillingMethod::Credit) {
                if !self.payments.contains_key(&(d.account_no.clone(), m.month)) {
                    *debt.entry(d.account_no.clone()).or_default() += d.total();
                }
            }
        }
        debt
    }
}

/// Drafts the batch's invoices for `months` (each with its VAT rate) and decides which
/// credit invoices were paid before `now_ms`.
pub(crate) async fn close_batch(
    zone: &OperatorZone,
    bin: &str,
    seed: u64,
    months: &[MonthToClose],
    open: &OpenMonth,
    batch: &Batch,
) -> Result<ClosedMonths, SimError> {
    let now_ms = open.now_ms;
    let mut services: HashMap<&str, Vec<(String, i64)>> = HashMap::new();
    for s in &batch.services {
        services.entry(s.msisdn.as_str()).or_default().push((s.code.to_string(), s.activated_ms));
    }
    let mut allowances: HashMap<&str, Vec<crate::usage::allowances::GrantRow>> = HashMap::new();
    for a in batch.allowances.iter().filter(|a| a.source != "tariff") {
        let row = (a.source, a.kind.code(), a.unlimited, a.total, a.connected_ms, a.until_ms);
        allowances.entry(a.msisdn.as_str()).or_default().push(row);
    }
    let mut by_account: HashMap<&str, Vec<NumberInMonth>> = HashMap::new();
    for s in &batch.subscribers {
        by_account.entry(s.account_no.as_str()).or_default().push(NumberInMonth {
            msisdn: s.msisdn.clone(),
            tariff_code: s.tariff_code.to_string(),
            created_ms: s.created_ms,
            blocked_since: (s.state != NumberState::Active).then_some(s.state_changed_ms),
            services: services.get(s.msisdn.as_str()).cloned().unwrap_or_default(),
            // The seed connects no packages through requests: none is charged.
            packages: Vec::new(),
            usage_posted: 0,
            grants: crate::usage::PackageGrant::of_rows(
                allowances.get(s.msisdn.as_str()).into_iter().flatten().copied(),
            ),
        });
    }
    let mut out = ClosedMonths { months: Vec::new(), payments: HashMap::new(), open_month: Vec::new() };
    for m in months {
        let accounts = batch
            .accounts
            .iter()
            .map(|a| {
                (a.account_no.clone(), a.billing, by_account.get(a.account_no.as_str()).cloned().unwrap_or_default())
            })
            .collect();
        let drafts = drafts_in_parallel(zone, bin, m, accounts).await?;
        for d in drafts.iter().filter(|d| d.billing == BillingMethod::Credit) {
            if let Some(p) = payment(seed, d, m, now_ms) {
                out.payments.insert((d.account_no.clone(), m.month), p);
            }
        }
        out.months.push((m.clone(), drafts));
    }
    let accounts = batch
        .accounts
        .iter()
        .map(|a| (a.account_no.clone(), a.billing, by_account.remove(a.account_no.as_str()).unwrap_or_default()))
        .collect();
    out.open_month = in_parallel(zone, bin, &open.m, accounts, due).await?;
    out.open_month.retain(|d| d.due != 0);
    Ok(out)
}

/// The bank transfer that paid a credit invoice 2-18 days after its month, if that was before
/// now. Accounts in debt from before the books pay their invoices too (the old debt stays):
/// an invoice left unpaid past its due date would block the account's numbers at the
/// portal's first daily run, which the seeded states must already agree with.
fn payment(seed: u64, d: &Draft, m: &MonthToClose, now_ms: i64) -> Option<InvoicePayment> {
    let month = m.month.to_string();
    let mut rng = ChaCha8Rng::seed_from_u64(fnv(&[
        &seed.to_le_bytes(),
        d.account_no.as_bytes(),
        month.as_bytes(),
        b"invoice payment",
    ]));
    let received_ms = m.end_ms + rng.random_range(2 * DAY..18 * DAY);
    let reference = format!("{:06}", rng.random_range(1..1_000_000));
    (received_ms < now_ms).then(|| InvoicePayment {
        account_no: d.account_no.clone(),
        amount: d.total(),
        received_ms,
        reference,
    })
}

/// The balance after each of an advance number's changes, in time order from its opening
/// balance: after each top-up (in the batch's order) and after each month's invoice.
pub(crate) struct BalanceAfters {
    pub payments: Vec<i64>,
    pub invoices: HashMap<(String, BillingMonth), i64>,
}

pub(crate) fn balance_afters(
    opening: &HashMap<&str, i64>,
    payments: &[PaymentRow],
    closed: &ClosedMonths,
) -> BalanceAfters {
    enum Change {
        TopUp(usize),
        Invoice(BillingMonth),
    }
    let mut changes: HashMap<&str, Vec<(i64, i64, Change)>> = HashMap::new();
    for (i, p) in payments.iter().enumerate() {
        changes.entry(p.msisdn.as_str()).or_default().push((p.received_ms, p.amount, Change::TopUp(i)));
    }
    let charges: Vec<(String, i64, i64, BillingMonth)> = closed
        .months
        .iter()
        .flat_map(|(m, drafts)| {
            drafts
                .iter()
                .filter(|d| d.billing == BillingMethod::Advance)
                .flat_map(move |d| d.number_charges().into_iter().map(move |(n, a)| (n, m.end_ms, a, m.month)))
        })
        .collect();
    for (n, at, a, month) in &charges {
        changes.entry(n.as_str()).or_default().push((*at, -*a, Change::Invoice(*month)));
    }
    let mut out = BalanceAfters { payments: vec![0; payments.len()], invoices: HashMap::new() };
    for (n, mut list) in changes {
        list.sort_by_key(|(at, _, _)| *at);
        let mut balance = opening.get(n).copied().unwrap_or_default();
        for (_, amount, change) in list {
            balance += amount;
            match change {
                Change::TopUp(i) => out.payments[i] = balance,
                Change::Invoice(month) => {
                    out.invoices.insert((n.to_string(), month), balance);
                }
            }
        }
    }
    out
}

/// Writes the closed months of a batch inside its transaction: each month's invoices with
/// their ledger transactions (posted on the month's last instant), then the bank transfers
/// that paid credit invoices, with each account's debt running from its opening debt.
pub(crate) async fn write_closed(
    conn: &mut AnyConnection,
    dialect: Dialect,
    zone: &OperatorZone,
    bin: &str,
    closed: &ClosedMonths,
    afters: &BalanceAfters,
    opening_debts: HashMap<String, i64>,
) -> Result<(), SimError> {
    let mut debt = opening_debts;
    for (m, drafts) in &closed.months {
        let claimed = post::claim(conn, dialect, bin, m, drafts, m.end_ms).await?;
        let mut entries: Vec<Entry> = Vec::new();
        for (d, txn) in &claimed {
            match d.billing {
                BillingMethod::Advance => {
                    for (n, a) in d.number_charges() {
                        let after = afters.invoices.get(&(n.clone(), m.month)).copied();
                        entries.push((*txn, number_account(&n), -a, after));
                    }
                }
                BillingMethod::Credit => {
                    let owed = debt.entry(d.account_no.clone()).or_default();
                    *owed += d.total();
                    entries.push((*txn, billing_account(&d.account_no), -d.total(), Some(-*owed)));
                }
            }
            entries.extend(post::revenue_entries(d, *txn));
        }
        post::write_entries(conn, dialect, &entries).await?;
        let paid = |d: &Draft| match d.billing {
            BillingMethod::Advance => (d.total(), Some(m.end_ms)),
            BillingMethod::Credit => closed
                .payments
                .get(&(d.account_no.clone(), m.month))
                .map_or((0, None), |p| (p.amount, Some(p.received_ms))),
        };
        post::write_invoices(conn, dialect, zone, bin, m, &claimed, paid).await?;
        let payments: Vec<&InvoicePayment> =
            claimed.iter().filter_map(|(d, _)| closed.payments.get(&(d.account_no.clone(), m.month))).collect();
        write_invoice_payments(conn, dialect, bin, m.month, &payments, &mut debt).await?;
    }
    Ok(())
}

/// Bank transfers that paid credit invoices: a ledger transaction each (the account against
/// `op:cash`) with its payment row.
async fn write_invoice_payments(
    conn: &mut AnyConnection,
    dialect: Dialect,
    bin: &str,
    month: BillingMonth,
    payments: &[&InvoicePayment],
    debt: &mut HashMap<String, i64>,
) -> Result<(), SimError> {
    if payments.is_empty() {
        return Ok(());
    }
    let key = |p: &InvoicePayment| format!("invoice-pay:{}:{month}", p.account_no);
    let rows = insert_returning(
        conn,
        dialect,
        "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms)",
        "RETURNING id, key",
        4,
        payments,
        |q, p| q.bind(bin).bind("payment").bind(key(p)).bind(p.received_ms),
    )
    .await?;
    let ids: HashMap<String, i64> = rows.iter().map(|r| (r.get::<String, _>(1), r.get::<i64, _>(0))).collect();
    let mut entries: Vec<Entry> = Vec::new();
    let mut rows = Vec::new();
    for p in payments {
        let id = *ids.get(&key(p)).ok_or_else(|| SimError::BadData(format!("payment {}", key(p))))?;
        let owed = debt.entry(p.account_no.clone()).or_default();
        *owed -= p.amount;
        entries.push((id, billing_account(&p.account_no), p.amount, Some(-*owed)));
        entries.push((id, "op:cash".to_string(), -p.amount, None));
        rows.push((id, *p));
    }
    post::write_entries(conn, dialect, &entries).await?;
    insert(
        conn,
        dialect,
        "INSERT INTO sim_payments (txn_id, msisdn, channel, reference, amount, received_ms, account_no)",
        7,
        &rows,
        |q, (id, p)| {
            q.bind(*id)
                .bind("")
                .bind("bank_transfer")
                .bind(p.reference.clone())
                .bind(p.amount)
                .bind(p.received_ms)
                .bind(p.account_no.clone())
        },
    )
    .await?;
    Ok(())
}
