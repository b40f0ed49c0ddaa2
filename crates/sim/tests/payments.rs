//! Payments through the channels: to a credit account, or left unallocated at the customer
//! level and allocated later (once, however many ask at the same moment); what the port lists
//! of them, for the customer only; and the daily billing run that blocks overdue accounts.

mod common;

use cabinet_core::operator::{
    BillingMethod, InvoiceQuery, NumberState, NumberSummary, OperatorPort, PaymentChannel, PaymentQuery, PaymentsOf,
};
use cabinet_core::{Bin, Money};
use cabinet_sim::billing::{
    Allocated, IncomingPayment, PayTo, PaymentRefusal, Received, allocate, close_month, daily, daily_by_hand,
    daily_once, receive,
};
use cabinet_sim::{Simulator, ledger};
use common::*;
use std::collections::HashMap;

const DAY: i64 = 86_400_000;

async fn books_are_true(sim: &Simulator, bin: &Bin) {
    let books = ledger::check_books(sim.db(), bin).await.unwrap();
    assert_eq!(books.total, 0, "the entries sum to zero");
    assert!(books.unbalanced_txns.is_empty(), "unbalanced transactions: {:?}", books.unbalanced_txns);
    assert!(books.mismatched_numbers.is_empty(), "balances without entries: {:?}", books.mismatched_numbers);
    assert!(books.mismatched_accounts.is_empty(), "debts without entries: {:?}", books.mismatched_accounts);
    assert_eq!(books.mismatched_unallocated, None, "unallocated payments against their account");
}

async fn numbers(sim: &Simulator, bin: &Bin) -> HashMap<String, NumberSummary> {
    all_forward(sim, bin, None, 200).await.into_iter().map(|n| (n.msisdn.as_str().to_string(), n)).collect()
}

async fn accounts(sim: &Simulator, bin: &Bin, billing: BillingMethod) -> Vec<String> {
    let mut out: Vec<String> =
        numbers(sim, bin).await.into_values().filter(|n| n.billing == billing).map(|n| n.account_no).collect();
    out.sort();
    out.dedup();
    out
}

async fn debt_of(sim: &Simulator, bin: &Bin, account: &str) -> i64 {
    let n = numbers(sim, bin).await.into_values().find(|n| n.account_no == account).expect("a number on the account");
    sim.number_profile(bin, &n.msisdn).await.unwrap().unwrap().past_debt.tiyn()
}

fn unallocated(amount: i64, reference: &str, at: i64) -> IncomingPayment<'_> {
    IncomingPayment {
        to: PayTo::Unallocated,
        amount: Money(amount),
        channel: PaymentChannel::BankTransfer,
        reference,
        received_ms: at,
    }
}

fn all_payments(which: PaymentsOf) -> PaymentQuery {
    PaymentQuery { which, from_ms: 0, to_ms: i64::MAX, after: None, limit: 10_000 }
}

#[tokio::test]
async fn an_unallocated_payment_waits_at_the_customer_level_until_allocated_once() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 31).await;
    seed(&sim, &bin_b(), 20, 32).await;
    let seeded = sim.unallocated_payments(&bin_a()).await.unwrap();
    let theirs = sim.unallocated_payments(&bin_b()).await.unwrap();
    books_are_true(&sim, &bin_a()).await;

    let at = T0 + DAY;
    let got = receive(sim.db(), &bin_a(), &unallocated(123_456, "PO-123", at)).await.unwrap();
    assert_eq!(got, Ok(Received::Unallocated));
    // The same payment order again changes nothing.
    assert_eq!(receive(sim.db(), &bin_a(), &unallocated(123_456, "PO-123", at)).await.unwrap(), Ok(Received::Before));
    let listed = sim.unallocated_payments(&bin_a()).await.unwrap();
    assert_eq!(listed.len(), seeded.len() + 1);
    let mine = listed.iter().find(|p| p.reference == "PO-123").expect("listed");
    assert_eq!((mine.amount, mine.received_ms), (Money(123_456), at));
    assert_eq!(sim.unallocated_payments(&bin_b()).await.unwrap(), theirs, "never shown to another customer");
    books_are_true(&sim, &bin_a()).await;

    // Refusals change nothing.
    let kaspi = IncomingPayment { channel: PaymentChannel::Kaspi, ..unallocated(100, "K-1", at) };
    assert_eq!(receive(sim.db(), &bin_a(), &kaspi).await.unwrap(), Err(PaymentRefusal::UnallocatedNeedsBankTransfer));
    assert_eq!(
        receive(sim.db(), &bin_a(), &unallocated(0, "PO-0", at)).await.unwrap(),
        Err(PaymentRefusal::NotPositive)
    );
    assert_eq!(
        receive(sim.db(), &bin_a(), &unallocated(100, "  ", at)).await.unwrap(),
        Err(PaymentRefusal::NoReference)
    );
    let credit = accounts(&sim, &bin_a(), BillingMethod::Credit).await;
    let advance = accounts(&sim, &bin_a(), BillingMethod::Advance).await;
    let foreign = accounts(&sim, &bin_b(), BillingMethod::Credit).await;
    let now = T0 + 2 * DAY;
    assert_eq!(
        allocate(sim.db(), &bin_a(), "PO-123", &advance[0], now).await.unwrap(),
        Err(PaymentRefusal::NotCreditAccount)
    );
    assert_eq!(
        allocate(sim.db(), &bin_a(), "PO-123", &foreign[0], now).await.unwrap(),
        Err(PaymentRefusal::UnknownAccount),
        "another customer's account"
    );
    assert_eq!(
        allocate(sim.db(), &bin_b(), "PO-123", &foreign[0], now).await.unwrap(),
        Err(PaymentRefusal::UnknownPayment),
        "another customer cannot allocate it"
    );
    assert_eq!(sim.unallocated_payments(&bin_a()).await.unwrap(), listed);

    // Allocated: the money moves to the account, once.
    let account = &credit[0];
    let debt_before = debt_of(&sim, &bin_a(), account).await;
    let done = allocate(sim.db(), &bin_a(), "PO-123", account, now).await.unwrap().expect("allocated");
    assert_eq!(done.amount, Money(123_456));
    assert_eq!(done.account.debt.tiyn(), debt_before - 123_456);
    assert_eq!(debt_of(&sim, &bin_a(), account).await, debt_before - 123_456);
    assert_eq!(sim.unallocated_payments(&bin_a()).await.unwrap(), seeded);
    assert_eq!(
        allocate(sim.db(), &bin_a(), "PO-123", &credit[1], now).await.unwrap(),
        Err(PaymentRefusal::AlreadyAllocated(account.clone()))
    );
    assert_eq!(debt_of(&sim, &bin_a(), account).await, debt_before - 123_456);
    // Listed among the credit accounts' payments, with the account, as received.
    let paid = sim.payments(&bin_a(), &all_payments(PaymentsOf::CreditAccounts)).await.unwrap();
    let row = paid.iter().find(|p| p.reference == "PO-123").expect("listed as the account's payment");
    assert_eq!(
        (row.received_ms, row.channel.as_str(), row.account_no.as_deref(), row.amount),
        (at, "bank_transfer", Some(account.as_str()), Money(123_456))
    );
    books_are_true(&sim, &bin_a()).await;
    books_are_true(&sim, &bin_b()).await;
}

#[tokio::test]
async fn payments_through_every_channel_reach_the_account_and_are_listed_for_their_customer_only() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 33).await;
    seed(&sim, &bin_b(), 20, 34).await;
    let credit = accounts(&sim, &bin_a(), BillingMethod::Credit).await;
    let account = credit[0].as_str();
    let debt_before = debt_of(&sim, &bin_a(), account).await;
    let from = T0 + DAY;
    for (i, channel) in PaymentChannel::ALL.into_iter().enumerate() {
        let reference = format!("REF-{i}");
        let p = IncomingPayment {
            to: PayTo::Account(account),
            amount: Money(10_000 + i as i64),
            channel,
            reference: &reference,
            received_ms: from + i as i64,
        };
        assert!(matches!(receive(sim.db(), &bin_a(), &p).await.unwrap(), Ok(Received::ToAccount(_))), "{channel:?}");
        assert_eq!(receive(sim.db(), &bin_a(), &p).await.unwrap(), Ok(Received::Before), "{channel:?} again");
    }
    assert_eq!(debt_of(&sim, &bin_a(), account).await, debt_before - (4 * 10_000 + 6));
    let advance = accounts(&sim, &bin_a(), BillingMethod::Advance).await;
    let to_advance = IncomingPayment { to: PayTo::Account(&advance[0]), ..unallocated(100, "X", from) };
    assert_eq!(receive(sim.db(), &bin_a(), &to_advance).await.unwrap(), Err(PaymentRefusal::NotCreditAccount));
    let foreign = IncomingPayment { to: PayTo::Account(account), ..unallocated(100, "Y", from) };
    assert_eq!(receive(sim.db(), &bin_b(), &foreign).await.unwrap(), Err(PaymentRefusal::UnknownAccount));

    // The period's credit payments, page by page, are the four.
    let mut q =
        PaymentQuery { which: PaymentsOf::CreditAccounts, from_ms: from, to_ms: from + DAY, after: None, limit: 3 };
    let mut got = Vec::new();
    loop {
        let page = sim.payments(&bin_a(), &q).await.unwrap();
        let Some(last) = page.last() else { break };
        q.after = Some(last.cursor);
        got.extend(page);
    }
    let seen: Vec<(&str, &str, i64)> =
        got.iter().map(|p| (p.channel.as_str(), p.reference.as_str(), p.amount.tiyn())).collect();
    assert_eq!(
        seen,
        vec![
            ("kaspi", "REF-0", 10_000),
            ("card", "REF-1", 10_001),
            ("terminal", "REF-2", 10_002),
            ("bank_transfer", "REF-3", 10_003)
        ]
    );
    assert!(got.iter().all(|p| p.account_no.as_deref() == Some(account) && p.msisdn.is_none()));
    assert!(sim.payments(&bin_b(), &q).await.unwrap().is_empty());
    let b_credit = sim.payments(&bin_b(), &all_payments(PaymentsOf::CreditAccounts)).await.unwrap();
    assert!(b_credit.iter().all(|p| !p.reference.starts_with("REF-")), "another customer never sees them");

    // Advance numbers' payments are their top-ups, as each number's payment history has them.
    let top_ups = sim.payments(&bin_a(), &all_payments(PaymentsOf::AdvanceNumbers)).await.unwrap();
    assert!(!top_ups.is_empty(), "the seed tops advance numbers up");
    let n = top_ups[0].msisdn.clone().expect("a number");
    let msisdn = cabinet_core::Msisdn::parse(&n).unwrap();
    let history = sim.balance_moves(&bin_a(), &msisdn, 0, i64::MAX).await.unwrap().unwrap();
    let from_history: Vec<(i64, i64)> = history
        .iter()
        .filter(|m| matches!(m.kind, cabinet_core::operator::BalanceMoveKind::TopUp { .. }))
        .map(|m| (m.at_ms, m.amount.tiyn()))
        .collect();
    let listed: Vec<(i64, i64)> = top_ups
        .iter()
        .filter(|p| p.msisdn.as_deref() == Some(n.as_str()))
        .map(|p| (p.received_ms, p.amount.tiyn()))
        .collect();
    assert_eq!(listed, from_history);
    assert!(top_ups.iter().all(|p| p.account_no.is_none()));
    books_are_true(&sim, &bin_a()).await;
}

#[tokio::test]
async fn two_allocations_of_one_payment_at_once_allocate_it_once() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 35).await;
    let credit = accounts(&sim, &bin_a(), BillingMethod::Credit).await;
    assert!(credit.len() >= 2);
    let before: Vec<i64> =
        [debt_of(&sim, &bin_a(), &credit[0]).await, debt_of(&sim, &bin_a(), &credit[1]).await].to_vec();
    receive(sim.db(), &bin_a(), &unallocated(500_000, "PO-777", T0)).await.unwrap().unwrap();
    for round in 0..4 {
        let tasks: Vec<_> = (0..2)
            .map(|i| {
                let (sim, account) = (sim.clone(), credit[i].clone());
                tokio::spawn(async move { allocate(sim.db(), &bin_a(), "PO-777", &account, T0 + DAY).await.unwrap() })
            })
            .collect();
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.unwrap());
        }
        let won: Vec<&Allocated> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
        assert_eq!(won.len(), if round == 0 { 1 } else { 0 }, "round {round}: {outcomes:?}");
        assert!(
            outcomes.iter().filter_map(|o| o.as_ref().err()).all(|e| matches!(e, PaymentRefusal::AlreadyAllocated(_)))
        );
    }
    let after = [debt_of(&sim, &bin_a(), &credit[0]).await, debt_of(&sim, &bin_a(), &credit[1]).await];
    let moved: i64 = before.iter().zip(after).map(|(b, a)| b - a).sum();
    assert_eq!(moved, 500_000, "the money reached one account once");
    books_are_true(&sim, &bin_a()).await;
}

/// The customer's credit accounts with an invoice unpaid past its due date at `at`.
async fn overdue_accounts(sim: &Simulator, bin: &Bin, at: i64) -> Vec<String> {
    let invoices = sim.invoices(bin, &InvoiceQuery { limit: 100_000, ..Default::default() }).await.expect("invoices");
    let mut out: Vec<String> = invoices
        .into_iter()
        .filter(|i| i.billing == BillingMethod::Credit && i.paid < i.total && i.due_ms <= at)
        .map(|i| i.account_no)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn the_daily_run_blocks_overdue_accounts_once_a_day_and_a_payment_that_clears_the_debt_lifts_it() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 400, 36).await;
    let zone = almaty();
    // The seeded history agrees with the rules: nothing is left overdue for a first run.
    assert!(overdue_accounts(&sim, &bin_a(), T0).await.is_empty(), "the seed leaves no invoice overdue");
    assert_eq!(daily(sim.db(), &zone, T0).await.unwrap().blocked, 0);
    // October invoiced on 2 November (due on the 20th, nobody has paid yet): the run of 21
    // November blocks the accounts that still owe it.
    let closed_at = zone.start_of_day_ms(jiff::civil::date(2025, 11, 2));
    close_month(
        sim.db(),
        &zone,
        cabinet_core::time::BillingMonth::parse("2025-10").unwrap(),
        Some(&bin_a()),
        closed_at,
    )
    .await
    .unwrap();
    let t0 = zone.start_of_day_ms(jiff::civil::date(2025, 11, 21)) + 3_600_000;
    let before = numbers(&sim, &bin_a()).await;
    let overdue = overdue_accounts(&sim, &bin_a(), t0).await;
    assert!(!overdue.is_empty(), "accounts with October unpaid");
    let to_block =
        before.values().filter(|n| n.state == NumberState::Active && overdue.contains(&n.account_no)).count() as u64;
    assert!(to_block > 0);

    let ran = daily_once(sim.db(), &zone, t0).await.unwrap().expect("the day's first run");
    assert_eq!(ran.blocked, to_block);
    assert!(ran.customers >= 1);
    let after = numbers(&sim, &bin_a()).await;
    for (m, n) in &after {
        let expected = if overdue.contains(&n.account_no) && before[m].state == NumberState::Active {
            NumberState::BlockedDebt
        } else {
            before[m].state
        };
        assert_eq!(n.state, expected, "{m} of {}", n.account_no);
    }
    // Later the same day: not again; by hand: nothing more to block; the next day it runs.
    assert_eq!(daily_once(sim.db(), &zone, t0 + 3_600_000).await.unwrap(), None);
    assert_eq!(daily(sim.db(), sim.zone(), t0 + 3_600_000).await.unwrap().blocked, 0);
    assert!(daily_once(sim.db(), &zone, t0 + DAY).await.unwrap().is_some());
    // A day run by hand (`cabinet billing daily`) counts as run: the portals skip it.
    daily_by_hand(sim.db(), &zone, t0 + 2 * DAY).await.unwrap();
    assert_eq!(daily_once(sim.db(), &zone, t0 + 2 * DAY + 60_000).await.unwrap(), None);

    // A payment by Kaspi of what one blocked account owes lifts its block.
    let account = overdue
        .iter()
        .find(|a| after.values().any(|n| &n.account_no == *a && n.state == NumberState::BlockedDebt))
        .expect("a blocked account");
    let owed = debt_of(&sim, &bin_a(), account).await;
    let pay = IncomingPayment {
        to: PayTo::Account(account),
        amount: Money(owed),
        channel: PaymentChannel::Kaspi,
        reference: "KASPI-1",
        received_ms: t0 + 2 * DAY,
    };
    let Ok(Received::ToAccount(paid)) = receive(sim.db(), &bin_a(), &pay).await.unwrap() else { panic!("paid") };
    assert_eq!(paid.debt, Money::ZERO);
    assert!(paid.unblocked > 0);
    let lifted = numbers(&sim, &bin_a()).await;
    assert!(lifted.values().filter(|n| &n.account_no == account).all(|n| n.state != NumberState::BlockedDebt));
    assert!(!overdue_accounts(&sim, &bin_a(), t0 + 2 * DAY).await.contains(account));
    // The next daily run leaves it be.
    daily(sim.db(), sim.zone(), t0 + 3 * DAY).await.unwrap();
    let later = numbers(&sim, &bin_a()).await;
    assert!(later.values().filter(|n| &n.account_no == account).all(|n| n.state != NumberState::BlockedDebt));
    books_are_true(&sim, &bin_a()).await;
}
