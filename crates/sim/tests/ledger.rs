//! The simulated operator's books: balance transfers as balanced ledger transactions, their
//! refusals, idempotency, and parallel transfers that must neither create nor lose money.

mod common;

use cabinet_core::operator::{BalanceMoveKind, BillingMethod, NumberSummary, OperatorPort, TransferRefusal};
use cabinet_core::{Money, Msisdn};
use cabinet_sim::{Simulator, ledger};
use common::*;

async fn advance_numbers(sim: &Simulator) -> Vec<NumberSummary> {
    all_forward(sim, &bin_a(), None, 200).await.into_iter().filter(|n| n.billing == BillingMethod::Advance).collect()
}

async fn balance(sim: &Simulator, n: &Msisdn) -> Money {
    sim.number_profile(&bin_a(), n).await.unwrap().unwrap().summary.remaining
}

async fn books_are_true(sim: &Simulator) {
    let books = ledger::check_books(sim.db(), &bin_a()).await.unwrap();
    assert_eq!(books.total, 0, "the entries sum to zero");
    assert!(books.unbalanced_txns.is_empty(), "unbalanced transactions: {:?}", books.unbalanced_txns);
    assert!(books.mismatched_numbers.is_empty(), "balances without entries: {:?}", books.mismatched_numbers);
}

#[tokio::test]
async fn seeded_balances_are_in_the_books() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let advance = advance_numbers(&sim).await;
    assert!(advance.iter().any(|n| n.remaining.tiyn() > 0), "the seed gives advance numbers money");
    books_are_true(&sim).await;
}

#[tokio::test]
async fn a_transfer_moves_the_money_once_and_balances_the_books() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let advance = advance_numbers(&sim).await;
    let from = advance.iter().find(|n| n.remaining.tiyn() >= 10_000).expect("a number with 100 ₸");
    let to = advance.iter().find(|n| n.msisdn != from.msisdn).unwrap();
    let (a0, b0) = (from.remaining, to.remaining);

    let done = sim.transfer(&bin_a(), &from.msisdn, &to.msisdn, Money(5_005), "t-1").await.unwrap().unwrap();
    assert_eq!(done.sender_balance, Money(a0.tiyn() - 5_005));
    assert_eq!(done.recipient_balance, Money(b0.tiyn() + 5_005));
    assert_eq!(balance(&sim, &from.msisdn).await, done.sender_balance, "the profile shows the new balance");
    assert_eq!(balance(&sim, &to.msisdn).await, done.recipient_balance);

    // The same request again (a double click, a retry) answers the same and moves nothing.
    let again = sim.transfer(&bin_a(), &from.msisdn, &to.msisdn, Money(5_005), "t-1").await.unwrap().unwrap();
    assert_eq!(again, done);
    assert_eq!(balance(&sim, &from.msisdn).await, done.sender_balance);
    books_are_true(&sim).await;
}

#[tokio::test]
async fn refused_transfers_say_why_and_move_nothing() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    seed(&sim, &bin_b(), 50, 6).await;
    let all = all_forward(&sim, &bin_a(), None, 200).await;
    let advance: Vec<_> = all.iter().filter(|n| n.billing == BillingMethod::Advance).collect();
    let credit = all.iter().find(|n| n.billing == BillingMethod::Credit).expect("a credit number");
    let (a, b) = (advance[0], advance[1]);
    let other = all_forward(&sim, &bin_b(), None, 200).await.remove(0);
    let before: Vec<Money> = vec![balance(&sim, &a.msisdn).await, balance(&sim, &b.msisdn).await];

    let refused = |from: &Msisdn, to: &Msisdn, amount: i64, key: &'static str| {
        let sim = sim.clone();
        let (from, to) = (from.clone(), to.clone());
        async move { sim.transfer(&bin_a(), &from, &to, Money(amount), key).await.unwrap().unwrap_err() }
    };
    assert_eq!(refused(&a.msisdn, &a.msisdn, 100, "r1").await, TransferRefusal::SameNumber);
    assert_eq!(refused(&a.msisdn, &b.msisdn, 0, "r2").await, TransferRefusal::NotPositive);
    assert_eq!(refused(&other.msisdn, &b.msisdn, 100, "r3").await, TransferRefusal::UnknownSender);
    assert_eq!(refused(&a.msisdn, &other.msisdn, 100, "r4").await, TransferRefusal::UnknownRecipient);
    assert_eq!(refused(&credit.msisdn, &b.msisdn, 100, "r5").await, TransferRefusal::SenderNotAdvance);
    assert_eq!(refused(&a.msisdn, &credit.msisdn, 100, "r6").await, TransferRefusal::RecipientNotAdvance);
    let too_much = before[0].tiyn() + 1;
    assert_eq!(refused(&a.msisdn, &b.msisdn, too_much, "r7").await, TransferRefusal::NotEnoughMoney);
    // Every refused one the other way round too (the rows are taken in number order).
    assert_eq!(refused(&b.msisdn, &a.msisdn, before[1].tiyn() + 1, "r8").await, TransferRefusal::NotEnoughMoney);

    assert_eq!(vec![balance(&sim, &a.msisdn).await, balance(&sim, &b.msisdn).await], before);
    let other_now = sim.number_profile(&bin_b(), &other.msisdn).await.unwrap().unwrap().summary.remaining;
    assert_eq!(other_now, other.remaining, "another customer's number is untouched");
    books_are_true(&sim).await;
    // A refused key leaves no transaction behind: it can be used for a transfer afterwards.
    assert!(sim.transfer(&bin_a(), &a.msisdn, &b.msisdn, Money(1), "r7").await.unwrap().is_ok());
}

/// Many transfers at once, in both directions among a few numbers, more than some of them
/// hold: on PostgreSQL a read-then-write would overdraw or lose money; the guarded spend and
/// the number-ordered locks must keep the total and every balance true.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_transfers_neither_create_nor_lose_money() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let advance = advance_numbers(&sim).await;
    let ring: Vec<Msisdn> =
        advance.iter().filter(|n| n.remaining.tiyn() > 0).take(4).map(|n| n.msisdn.clone()).collect();
    let mut total_before = 0;
    for n in &ring {
        total_before += balance(&sim, n).await.tiyn();
    }
    let richest = {
        let mut best = 0;
        for n in &ring {
            best = best.max(balance(&sim, n).await.tiyn());
        }
        best
    };
    // Each amount is a third of the richest balance: some of the 60 must be refused.
    let amount = (richest / 3).max(1);
    let mut tasks = Vec::new();
    for i in 0..60usize {
        let sim = sim.clone();
        let from = ring[i % ring.len()].clone();
        let to = ring[(i + 1 + i / ring.len()) % ring.len()].clone();
        tasks.push(tokio::spawn(async move {
            if from == to {
                return None;
            }
            Some(sim.transfer(&bin_a(), &from, &to, Money(amount), &format!("p-{i}")).await.unwrap())
        }));
    }
    let mut done = 0;
    let mut short = 0;
    for t in tasks {
        match t.await.unwrap() {
            Some(Ok(_)) => done += 1,
            Some(Err(TransferRefusal::NotEnoughMoney)) => short += 1,
            Some(Err(other)) => panic!("unexpected refusal {other:?}"),
            None => {}
        }
    }
    assert!(done > 0, "some transfers went through");
    let mut total_after = 0;
    for n in &ring {
        let b = balance(&sim, n).await.tiyn();
        assert!(b >= 0, "no balance went below zero: {b}");
        total_after += b;
    }
    assert_eq!(total_after, total_before, "{done} transfers, {short} refused for money: the total is unchanged");
    books_are_true(&sim).await;
}

/// The child of the test below: transfers around a ring of numbers, four at a time, until it
/// is killed.
async fn transfer_until_killed(url: &str, ring: &[String]) {
    let db = cabinet_store::Db::connect(url).await.unwrap();
    let sim = Simulator::new(db);
    let ring: Vec<Msisdn> = ring.iter().map(|n| Msisdn::parse(n).unwrap()).collect();
    let mut i = 0usize;
    loop {
        let mut batch = Vec::new();
        for _ in 0..4 {
            let (from, to) = (ring[i % ring.len()].clone(), ring[(i + 1) % ring.len()].clone());
            let sim = sim.clone();
            let key = format!("kill-{}-{i}", std::process::id());
            batch.push(tokio::spawn(async move {
                sim.transfer(&bin_a(), &from, &to, Money(1 + (i as i64 % 97)), &key).await
            }));
            i += 1;
        }
        for t in batch {
            let _ = t.await;
        }
    }
}

/// A process killed with SIGKILL while it transfers (no shutdown, transactions open) loses
/// and creates nothing: every committed transfer is whole, nothing else is left behind.
#[tokio::test]
async fn a_process_killed_mid_transfer_loses_and_creates_nothing() {
    const TEST: &str = "a_process_killed_mid_transfer_loses_and_creates_nothing";
    if let (Ok(url), Ok(ring)) = (std::env::var("LEDGER_KILL_DB"), std::env::var("LEDGER_KILL_RING")) {
        let ring: Vec<String> = ring.split(',').map(str::to_string).collect();
        return transfer_until_killed(&url, &ring).await;
    }
    let (db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let ring: Vec<Msisdn> = advance_numbers(&sim)
        .await
        .into_iter()
        .filter(|n| n.remaining.tiyn() > 10_000)
        .take(3)
        .map(|n| n.msisdn)
        .collect();
    // The ring's total in one statement, so one snapshot: a transfer the killed child sent
    // its COMMIT for may still land while the balances are read, and three reads could see
    // one side of it without the other.
    let ring_total = async || -> i64 {
        let mut q = sqlx::query_scalar::<_, i64>(
            "SELECT CAST(SUM(balance) AS BIGINT) FROM sim_subscribers WHERE msisdn IN ($1, $2, $3)",
        );
        for n in &ring {
            q = q.bind(n.as_str());
        }
        q.fetch_one(sim.db().pool()).await.unwrap()
    };
    let mut total_before = 0;
    for n in &ring {
        total_before += balance(&sim, n).await.tiyn();
    }
    assert_eq!(ring_total().await, total_before, "the profiles show the stored balances");
    let made = async || -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM sim_ledger_txns WHERE kind = 'transfer'")
            .fetch_one(sim.db().pool())
            .await
            .unwrap()
    };
    for round in 0..3 {
        let before = made().await;
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--nocapture"])
            .env("LEDGER_KILL_DB", &db.url)
            .env("LEDGER_KILL_RING", ring.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed at a different point each round, once transfers are flowing.
        let mut waited = 0;
        while made().await < before + 20 + round * 7 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            waited += 1;
            assert!(waited < 4_000, "the child made no transfers");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    assert_eq!(ring_total().await, total_before, "{} transfers made, the total is unchanged", made().await);
    books_are_true(&sim).await;
}

/// The payment history of advance numbers: seeded top-ups, the closed months' invoices and
/// transfers, each with the balance before and after, chained, ending at the balance the
/// profile shows.
#[tokio::test]
async fn balance_moves_chain_from_the_opening_to_the_balance() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    seed(&sim, &bin_b(), 20, 6).await;
    let advance = advance_numbers(&sim).await;
    let (all_from, all_to) = (0, i64::MAX);
    let mut with_top_ups = 0;
    for n in &advance {
        let moves = sim.balance_moves(&bin_a(), &n.msisdn, all_from, all_to).await.unwrap().unwrap();
        with_top_ups += usize::from(!moves.is_empty());
        for m in &moves {
            assert_eq!(m.balance_before.tiyn() + m.amount.tiyn(), m.balance_after.tiyn());
            // Top-ups, the closed months' invoices taken from the balance, and the open
            // month's usage taken up to the seed's day.
            let invoice = |m: &cabinet_core::operator::BalanceMove| {
                matches!(&m.kind, BalanceMoveKind::Invoice { month, invoice, .. } if month.len() == 7 && invoice.len() == 15)
                    && m.amount.tiyn() < 0
            };
            let usage = |m: &cabinet_core::operator::BalanceMove| {
                matches!(&m.kind, BalanceMoveKind::Usage { last_day, .. } if last_day.len() == 10)
                    && m.amount.tiyn() < 0
            };
            assert!(
                matches!(&m.kind, BalanceMoveKind::TopUp { channel, reference } if !channel.is_empty() && !reference.is_empty())
                    || invoice(m)
                    || usage(m),
                "{m:?}"
            );
        }
        assert!(moves.windows(2).all(|w| w[0].balance_after == w[1].balance_before && w[0].at_ms <= w[1].at_ms));
        if let Some(last) = moves.last() {
            assert_eq!(last.balance_after, n.remaining, "the history ends at the balance");
        }
    }
    assert!(with_top_ups * 2 > advance.len(), "most advance numbers were topped up ({with_top_ups})");

    // A transfer shows on both numbers, newest last, with the other number.
    let from = advance.iter().find(|n| n.remaining.tiyn() >= 1_000).unwrap();
    let to = advance.iter().find(|n| n.msisdn != from.msisdn).unwrap();
    sim.transfer(&bin_a(), &from.msisdn, &to.msisdn, Money(777), "h-1").await.unwrap().unwrap();
    let out = sim.balance_moves(&bin_a(), &from.msisdn, all_from, all_to).await.unwrap().unwrap().pop().unwrap();
    assert!(matches!(&out.kind, BalanceMoveKind::TransferOut { to: t, .. } if t == to.msisdn.as_str()));
    assert_eq!((out.amount, out.balance_after), (Money(-777), Money(from.remaining.tiyn() - 777)));
    let inn = sim.balance_moves(&bin_a(), &to.msisdn, all_from, all_to).await.unwrap().unwrap().pop().unwrap();
    assert!(matches!(&inn.kind, BalanceMoveKind::TransferIn { from: f, .. } if f == from.msisdn.as_str()));

    // The period cuts; another customer's number is not found.
    let moves = sim.balance_moves(&bin_a(), &from.msisdn, all_from, all_to).await.unwrap().unwrap();
    let cut = moves.last().unwrap().at_ms;
    let before_cut = sim.balance_moves(&bin_a(), &from.msisdn, all_from, cut).await.unwrap().unwrap();
    assert_eq!(before_cut.len(), moves.len() - 1);
    let other = all_forward(&sim, &bin_b(), None, 50).await.remove(0);
    assert_eq!(sim.balance_moves(&bin_a(), &other.msisdn, all_from, all_to).await.unwrap(), None);
}

/// Connecting a package on an advance number charges its price through the books and adds
/// its allowances; without the money it is refused and nothing changes; disconnecting
/// takes the allowances away.
#[tokio::test]
async fn a_package_is_paid_from_the_balance_and_brings_its_allowances() {
    use cabinet_core::operator::{Operation, OperationState, ServiceStatus};
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let sim = sim.with_behaviour(cabinet_sim::Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 });
    // An active advance number and a package it may connect.
    let mut found = None;
    for n in advance_numbers(&sim).await.into_iter().filter(|n| n.state == cabinet_core::operator::NumberState::Active)
    {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let package = p.services.iter().find(|s| {
            let op = Operation::SetService { code: s.code.clone(), on: true };
            s.status == ServiceStatus::Available
                && cabinet_sim::catalog::service(&s.code).is_some_and(|c| !c.grants.is_empty() && c.price > 0)
                && cabinet_core::rules::check_on(&op, &p, p.summary.state).is_ok()
        });
        if let Some(s) = package {
            found = Some((n.clone(), s.code.clone(), s.price));
            break;
        }
    }
    let (n, code, price) = found.expect("an advance number and a package it may connect");
    let grants = cabinet_sim::catalog::service(&code).unwrap().grants;

    // Too little money: refused, nothing moves or appears.
    let mut refused = 0;
    for poor in
        advance_numbers(&sim).await.into_iter().filter(|x| x.state == cabinet_core::operator::NumberState::Active)
    {
        let p = sim.number_profile(&bin_a(), &poor.msisdn).await.unwrap().unwrap();
        let Some(s) = p.services.iter().find(|s| {
            let op = Operation::SetService { code: s.code.clone(), on: true };
            s.price.tiyn() > poor.remaining.tiyn()
                && cabinet_sim::catalog::service(&s.code).is_some_and(|c| !c.grants.is_empty())
                && cabinet_core::rules::check_on(&op, &p, p.summary.state).is_ok()
        }) else {
            continue;
        };
        let op = Operation::SetService { code: s.code.clone(), on: true };
        let answer = sim.submit(&bin_a(), &poor.msisdn, &op, &format!("pk-poor-{}", poor.msisdn)).await.unwrap();
        assert_eq!(answer, OperationState::Failed { reason: cabinet_sim::NO_MONEY_FOR_SERVICE.into() });
        let after = sim.number_profile(&bin_a(), &poor.msisdn).await.unwrap().unwrap();
        assert_eq!((after.summary.remaining, after.allowances.len()), (poor.remaining, p.allowances.len()));
        refused += 1;
    }
    assert!(refused > 0, "some number could not pay for a package");

    let before = n.remaining;
    let op = Operation::SetService { code: code.clone(), on: true };
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &op, "pk-1").await.unwrap(), OperationState::Done);
    // Asked again (a retry): charged once.
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &op, "pk-1").await.unwrap(), OperationState::Done);
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert_eq!(p.summary.remaining, Money(before.tiyn() - price.tiyn()), "the price is charged once");
    for g in grants {
        let a = p.allowances.iter().find(|a| !a.from_tariff && a.kind == g.kind && a.total == g.amount.unwrap_or(0));
        assert!(a.is_some_and(|a| a.available == a.total), "{code}: {:?} added", g.kind);
    }
    let last = sim.balance_moves(&bin_a(), &n.msisdn, 0, i64::MAX).await.unwrap().unwrap().pop().unwrap();
    assert!(matches!(last.kind, BalanceMoveKind::Charge { .. }) && last.amount == Money(-price.tiyn()));
    books_are_true(&sim).await;

    let off = Operation::SetService { code: code.clone(), on: false };
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &off, "pk-2").await.unwrap(), OperationState::Done);
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert!(
        !p.allowances.iter().any(|a| !a.from_tariff && a.connected_ms == last.at_ms),
        "its allowances went with it"
    );
}

/// Requests for a package at once on one advance number that can pay for one: the check at
/// submission can be outrun, the guarded charge cannot — the balance never goes below zero
/// and the price is taken once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_package_requests_cannot_overdraw_a_balance() {
    use cabinet_core::operator::{Operation, ServiceStatus};
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let sim = sim.with_behaviour(cabinet_sim::Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 });
    let advance = advance_numbers(&sim).await;
    let mut found = None;
    for n in advance.iter().filter(|n| n.state == cabinet_core::operator::NumberState::Active) {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        let package = p.services.iter().find(|s| {
            let op = Operation::SetService { code: s.code.clone(), on: true };
            s.status == ServiceStatus::Available
                && cabinet_sim::catalog::service(&s.code).is_some_and(|c| !c.grants.is_empty() && c.price > 0)
                && n.remaining.tiyn() >= s.price.tiyn()
                && cabinet_core::rules::check_on(&op, &p, p.summary.state).is_ok()
        });
        if let Some(s) = package {
            found = Some((n.clone(), s.code.clone(), s.price));
            break;
        }
    }
    let (n, code, price) = found.expect("a package an advance number can pay for");
    // Leave it the price and a little: enough for one, not two.
    let spare = advance.iter().find(|x| x.msisdn != n.msisdn).unwrap();
    let excess = n.remaining.tiyn() - price.tiyn() - 1;
    if excess > 0 {
        sim.transfer(&bin_a(), &n.msisdn, &spare.msisdn, Money(excess), "shape").await.unwrap().unwrap();
    }
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (sim, m, code) = (sim.clone(), n.msisdn.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            sim.submit(&bin_a(), &m, &Operation::SetService { code, on: true }, &format!("race-{i}")).await.unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let left = balance(&sim, &n.msisdn).await.tiyn();
    assert_eq!(left, 1, "the price taken once from price + 1 tiyn");
    books_are_true(&sim).await;
}
