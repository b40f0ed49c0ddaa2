//! What the accounting documents read of the books: the invoice register's pages and the
//! settlement of a reconciliation statement, checked against the invoices, the payments and
//! what every number and account of the customer holds.

mod common;

use cabinet_core::operator::{
    BillingMethod, InvoiceQuery, NumberSummary, OperatorPort, PaymentChannel, RegisterQuery, Settlement,
};
use cabinet_core::time::{BillingMonth, now_ms};
use cabinet_core::{Bin, Money};
use cabinet_sim::Simulator;
use cabinet_sim::billing::{IncomingPayment, PayTo, allocate, receive};
use common::*;

/// What the customer owes the operator by what its numbers and accounts hold: its accounts'
/// debts, less its advance balances and its payments waiting to be allocated.
async fn owed_by_profiles(sim: &Simulator, bin: &Bin) -> i64 {
    let numbers: Vec<NumberSummary> = all_forward(sim, bin, None, 200).await;
    let mut owed = 0;
    let mut accounts = std::collections::HashSet::new();
    for n in &numbers {
        if n.billing == BillingMethod::Advance {
            owed -= n.remaining.tiyn();
        }
        // An account's debt for past periods (advance accounts carry one too, from before
        // the books).
        if accounts.insert(n.account_no.clone()) {
            owed += sim.number_profile(bin, &n.msisdn).await.unwrap().unwrap().past_debt.tiyn();
        }
    }
    let waiting: i64 = sim.unallocated_payments(bin).await.unwrap().iter().map(|p| p.amount.tiyn()).sum();
    owed - waiting
}

/// The month starts from July 2025 to the one after today, in Almaty.
fn month_bounds() -> Vec<i64> {
    let zone = almaty();
    let mut m = BillingMonth::parse("2025-07").unwrap();
    let last = BillingMonth::of(zone.civil_date(now_ms()).unwrap()).next();
    let mut out = vec![m.bounds_ms(&zone).0];
    while m < last {
        out.push(m.bounds_ms(&zone).1);
        m = m.next();
    }
    out
}

#[tokio::test]
async fn a_settlement_runs_month_by_month_from_what_was_owed_to_what_the_books_hold() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 21).await;
    seed(&sim, &bin_b(), 40, 22).await;
    let sim = sim.with_behaviour(cabinet_sim::Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 });
    let a = bin_a();
    let numbers = all_forward(&sim, &a, None, 200).await;
    // Money moves of every kind: a transfer between two advance numbers (within the
    // customer: neither a charge nor a payment), a payment to a credit account, one left
    // unallocated and one allocated.
    let advance: Vec<&NumberSummary> = numbers.iter().filter(|n| n.billing == BillingMethod::Advance).collect();
    let from = advance.iter().find(|n| n.remaining.tiyn() >= 10_000).expect("an advance number with 100 ₸");
    let to = advance.iter().find(|n| n.msisdn != from.msisdn).unwrap();
    sim.transfer(&a, &from.msisdn, &to.msisdn, Money(5_000), "st-1").await.unwrap().unwrap();
    let credit = numbers.iter().find(|n| n.billing == BillingMethod::Credit).expect("a credit account");
    let pay = |to, reference, amount| IncomingPayment {
        to,
        amount: Money(amount),
        channel: PaymentChannel::BankTransfer,
        reference,
        received_ms: now_ms() - 3_600_000,
    };
    receive(sim.db(), &a, &pay(PayTo::Account(&credit.account_no), "PO-1", 300_000)).await.unwrap().unwrap();
    receive(sim.db(), &a, &pay(PayTo::Unallocated, "PO-2", 70_000)).await.unwrap().unwrap();
    receive(sim.db(), &a, &pay(PayTo::Unallocated, "PO-3", 40_000)).await.unwrap().unwrap();
    allocate(sim.db(), &a, "PO-3", &credit.account_no, now_ms()).await.unwrap().unwrap();

    let bounds = month_bounds();
    let s: Settlement = sim.settlement(&a, &bounds).await.unwrap();
    assert_eq!(s.periods.len(), bounds.len() - 1);
    let closings = s.closings();
    assert_eq!(closings.last().unwrap().tiyn(), owed_by_profiles(&sim, &a).await, "the closing is what the books hold");
    // Each month's closing is the next one's opening.
    for i in 1..bounds.len() - 1 {
        let from_there = sim.settlement(&a, &bounds[i..]).await.unwrap();
        assert_eq!(from_there.opening, closings[i - 1], "month {i}");
    }
    // A month's charges hold its invoices (dated its last day), whenever it was closed.
    let zone = almaty();
    for (i, w) in bounds.windows(2).enumerate() {
        let month = BillingMonth::of(zone.civil_date(w[0]).unwrap()).to_string();
        let q = InvoiceQuery { month: Some(month.clone()), limit: 10_000, ..Default::default() };
        let invoiced: i64 = sim.invoices(&a, &q).await.unwrap().iter().map(|i| i.total.tiyn()).sum();
        assert!(
            s.periods[i].charges.tiyn() >= invoiced,
            "{month}: charges {} < invoices {invoiced}",
            s.periods[i].charges.tiyn()
        );
    }
    // The payments this test made are in the last month's; the transfer and the allocation
    // are in neither column (within the customer).
    let now_month = bounds.len() - 3;
    let before = sim.settlement(&a, &bounds).await.unwrap();
    sim.transfer(&a, &to.msisdn, &from.msisdn, Money(1_000), "st-2").await.unwrap().unwrap();
    receive(sim.db(), &a, &pay(PayTo::Account(&credit.account_no), "PO-4", 12_345)).await.unwrap().unwrap();
    let after = sim.settlement(&a, &bounds).await.unwrap();
    let paid = |s: &Settlement| s.periods.iter().map(|p| p.payments.tiyn()).sum::<i64>();
    let charged = |s: &Settlement| s.periods.iter().map(|p| p.charges.tiyn()).sum::<i64>();
    assert_eq!(paid(&after) - paid(&before), 12_345, "a payment, once; the transfer is none");
    assert_eq!(charged(&after), charged(&before), "a transfer charges nothing");
    assert!(s.periods[now_month..].iter().map(|p| p.payments.tiyn()).sum::<i64>() >= 300_000 + 70_000 + 40_000);
    // Another customer's books are its own.
    let b = sim.settlement(&bin_b(), &bounds).await.unwrap();
    assert_eq!(b.closings().last().unwrap().tiyn(), owed_by_profiles(&sim, &bin_b()).await);
    assert_ne!(b, after);
}

#[tokio::test]
async fn the_register_pages_through_every_invoice_of_the_months_once_in_order() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 23).await;
    seed(&sim, &bin_b(), 40, 24).await;
    let a = bin_a();
    let all = sim.invoices(&a, &InvoiceQuery { limit: 10_000, ..Default::default() }).await.unwrap();
    let months: Vec<String> = {
        let mut m: Vec<String> = all.iter().map(|i| i.month.clone()).collect();
        m.sort();
        m.dedup();
        m
    };
    assert!(months.len() >= 2, "the seeded history has months: {months:?}");
    let (from, to) = (months[0].clone(), months[months.len() - 1].clone());
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let q = RegisterQuery { from_month: from.clone(), to_month: to.clone(), after: after.clone(), limit: 7 };
        let page = sim.invoice_register(&a, &q).await.unwrap();
        assert!(page.len() <= 7);
        let Some(last) = page.last() else { break };
        after = Some((last.month.clone(), last.account_no.clone()));
        paged.extend(page);
    }
    let mut expected = all.clone();
    expected.sort_by(|x, y| (&x.month, &x.account_no).cmp(&(&y.month, &y.account_no)));
    assert_eq!(paged, expected, "every invoice once, oldest month first, then by account");
    // One month only; none of another customer's.
    let q = RegisterQuery { from_month: to.clone(), to_month: to.clone(), after: None, limit: 10_000 };
    let last_month = sim.invoice_register(&a, &q).await.unwrap();
    assert!(!last_month.is_empty() && last_month.iter().all(|i| i.month == to));
    let theirs = sim.invoice_register(&bin_b(), &q).await.unwrap();
    assert!(theirs.iter().all(|i| !all.contains(i)));
}
