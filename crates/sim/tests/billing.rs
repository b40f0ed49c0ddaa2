//! Billing months: invoices that a bookkeeper can check line by line against the usage
//! details and the books, VAT at the month's rate, idempotent and parallel closing, and
//! invoices never shown to another customer.

mod common;

use cabinet_core::operator::{
    BillingMethod, InvoiceDocument, InvoiceLineKind, InvoiceQuery, NumberSummary, OperatorPort, UsageKind,
};
use cabinet_core::time::{BillingMonth, now_ms};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_sim::billing::{CloseReport, close_month};
use cabinet_sim::{SimError, Simulator, catalog, ledger};
use common::*;
use std::collections::HashMap;

fn month(s: &str) -> BillingMonth {
    BillingMonth::parse(s).unwrap()
}

async fn close(sim: &Simulator, m: &str, bin: Option<&Bin>) -> CloseReport {
    close_month(sim.db(), sim.zone(), month(m), bin, now_ms()).await.expect("closing")
}

fn all(month: Option<&str>) -> InvoiceQuery {
    InvoiceQuery { month: month.map(str::to_string), limit: 10_000, ..Default::default() }
}

async fn documents(sim: &Simulator, bin: &Bin, m: &str) -> Vec<InvoiceDocument> {
    let mut out = Vec::new();
    for i in sim.invoices(bin, &all(Some(m))).await.unwrap() {
        out.push(sim.invoice(bin, &i.system_no).await.unwrap().expect("the listed invoice reads"));
    }
    out
}

async fn books_are_true(sim: &Simulator, bin: &Bin) {
    let books = ledger::check_books(sim.db(), bin).await.unwrap();
    assert_eq!(books.total, 0, "the entries sum to zero");
    assert!(books.unbalanced_txns.is_empty(), "unbalanced transactions: {:?}", books.unbalanced_txns);
    assert!(books.mismatched_numbers.is_empty(), "balances without entries: {:?}", books.mismatched_numbers);
    assert!(books.mismatched_accounts.is_empty(), "debts without entries: {:?}", books.mismatched_accounts);
}

fn half_up_vat(net: i64, rate_bp: i64) -> i64 {
    (net * rate_bp + 5_000) / 10_000
}

async fn numbers(sim: &Simulator, bin: &Bin) -> HashMap<String, NumberSummary> {
    all_forward(sim, bin, None, 200).await.into_iter().map(|n| (n.msisdn.as_str().to_string(), n)).collect()
}

/// What a bookkeeper checks of a month's invoices: each adds up (net = Σ lines, VAT = Σ
/// lines' VAT rounded half up at `rate_bp`, total = net + VAT), and each number's lines are
/// its tariff's fee, its usage beyond the allowances exactly as the usage details give it
/// for the month, and its services' monthly fees. Returns how many usage lines there were.
async fn invoices_follow_from_the_records(sim: &Simulator, bin: &Bin, m: &str, rate_bp: i64) -> usize {
    let docs = documents(sim, bin, m).await;
    assert!(!docs.is_empty(), "{m} has invoices");
    let by_number = numbers(sim, bin).await;
    let (start, end) = month(m).bounds_ms(sim.zone());
    let mut usage_lines = 0;
    for d in &docs {
        let i = &d.invoice;
        assert_eq!((i.month.as_str(), i.vat_rate_bp), (m, rate_bp));
        assert_eq!(i.net.tiyn(), d.lines.iter().map(|l| l.net.tiyn()).sum::<i64>(), "{}: net = Σ lines", i.system_no);
        assert_eq!(
            i.vat.tiyn(),
            d.lines.iter().map(|l| l.vat.tiyn()).sum::<i64>(),
            "{}: VAT = Σ lines' VAT",
            i.system_no
        );
        assert_eq!(i.total.tiyn(), i.net.tiyn() + i.vat.tiyn(), "{}: total = net + VAT", i.system_no);
        assert!(i.due_ms > i.issued_ms);
        for l in &d.lines {
            assert_eq!(l.vat.tiyn(), half_up_vat(l.net.tiyn(), rate_bp), "VAT of a line is rounded half up");
            assert!(l.net.tiyn() > 0, "no empty lines");
        }
        let mut msisdns: Vec<&str> = d.lines.iter().map(|l| l.msisdn.as_str()).collect();
        msisdns.dedup();
        for msisdn in msisdns {
            let n = &by_number[msisdn];
            assert_eq!(n.account_no, i.account_no, "a line of another account's number");
            let lines: Vec<_> = d.lines.iter().filter(|l| l.msisdn == msisdn).collect();
            let tariff = catalog::TARIFFS.iter().find(|t| t.name.localized() == n.tariff).unwrap();
            let fees: Vec<_> = lines.iter().filter(|l| l.kind == InvoiceLineKind::Subscription).collect();
            assert!(fees.len() <= 1, "{msisdn}: one subscription a month");
            for f in fees {
                assert_eq!(
                    (f.code.as_str(), f.net.tiyn()),
                    (tariff.code, tariff.monthly_fee),
                    "{msisdn}: subscription"
                );
            }
            let report = sim.usage(bin, &Msisdn::parse(msisdn).unwrap(), start, end).await.unwrap().unwrap();
            for kind in cabinet_core::operator::UsageKind::ALL {
                let on_invoice: i64 =
                    lines.iter().filter(|l| l.kind == InvoiceLineKind::Usage(kind)).map(|l| l.net.tiyn()).sum();
                let in_details: i64 = report.totals.iter().filter(|t| t.kind == kind).map(|t| t.charge.tiyn()).sum();
                assert_eq!(on_invoice, in_details, "{msisdn} {kind:?}: invoice vs usage details");
                usage_lines += usize::from(on_invoice > 0);
            }
            for l in lines.iter().filter(|l| l.kind == InvoiceLineKind::Service) {
                let s = catalog::service(&l.code).unwrap();
                assert_eq!(Some(l.net.tiyn()), s.monthly_fee(), "{msisdn}: {}", l.code);
            }
        }
    }
    usage_lines
}

#[tokio::test]
async fn an_invoice_is_its_lines_plus_vat_and_each_line_follows_from_the_usage_records() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 120, 11).await;
    let m = "2026-02";
    let made = close(&sim, m, Some(&bin_a())).await;
    let docs = documents(&sim, &bin_a(), m).await;
    assert!(made.invoices > 50, "most accounts have something to pay ({})", made.invoices);
    assert_eq!(docs.len() as u64, made.invoices);
    assert_eq!(made.total, Money(docs.iter().map(|d| d.invoice.total.tiyn()).sum()), "the report adds up");
    let usage_lines = invoices_follow_from_the_records(&sim, &bin_a(), m, 1600).await;
    assert!(usage_lines > 20, "usage beyond allowances is charged somewhere ({usage_lines})");
}

/// Roaming on the invoice: a number's roaming calls, data and packs' fees are each one line,
/// the sum of the month's rated records of the kind, as its usage details show them.
#[tokio::test]
async fn roaming_lines_are_the_sum_of_the_rated_roaming_records() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 200, 7).await;
    // Half the roaming numbers with the Business travel pack (as if switched on long ago),
    // so that fees and the pack's allowance reach invoices too.
    let roaming: Vec<String> = sqlx::query_scalar(
        "SELECT v.msisdn FROM sim_subscriber_services v JOIN sim_subscribers s ON s.msisdn = v.msisdn \
         WHERE s.bin = $1 AND v.service_code = 'roaming' ORDER BY v.msisdn",
    )
    .bind(bin_a().as_str())
    .fetch_all(sim.db().pool())
    .await
    .unwrap();
    for msisdn in roaming.iter().step_by(2) {
        sqlx::query(
            "DELETE FROM sim_subscriber_services WHERE msisdn = $1 AND service_code IN ('atlas_pro', 'roaming_1gb')",
        )
        .bind(msisdn)
        .execute(sim.db().pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) VALUES ($1, 'business_travel', 0) \
             ON CONFLICT (msisdn, service_code) DO UPDATE SET activated_ms = 0",
        )
        .bind(msisdn)
        .execute(sim.db().pool())
        .await
        .unwrap();
    }
    let mut kinds = std::collections::HashSet::new();
    for m in ["2026-01", "2026-02", "2026-03"] {
        close(&sim, m, Some(&bin_a())).await;
        // Every kind, roaming ones included, against the usage details.
        invoices_follow_from_the_records(&sim, &bin_a(), m, 1600).await;
        let (start, end) = month(m).bounds_ms(sim.zone());
        for d in documents(&sim, &bin_a(), m).await {
            for l in d.lines.iter().filter(|l| matches!(l.kind, InvoiceLineKind::Usage(k) if k.is_roaming())) {
                let InvoiceLineKind::Usage(kind) = l.kind else { unreachable!() };
                let records =
                    sim.usage(&bin_a(), &Msisdn::parse(&l.msisdn).unwrap(), start, end).await.unwrap().unwrap();
                let of: Vec<_> = records.records.iter().filter(|r| r.kind == kind && r.charge.tiyn() > 0).collect();
                assert_eq!(l.net.tiyn(), of.iter().map(|r| r.charge.tiyn()).sum::<i64>(), "{} {kind:?}", l.msisdn);
                assert_eq!(l.code, kind.code());
                if kind == UsageKind::RoamingFee {
                    assert_eq!(l.quantity, of.len() as i64, "one a fee");
                    assert_eq!(l.name.en, "Roaming packs");
                }
                kinds.insert(kind);
            }
        }
    }
    books_are_true(&sim, &bin_a()).await;
    assert_eq!(kinds.len(), 3, "roaming calls, data and fees were invoiced: {kinds:?}");
}

#[tokio::test]
async fn the_seed_closes_the_months_of_its_history_the_same_way_every_time() {
    let (_d1, one) = simulator().await;
    let (_d2, two) = simulator().await;
    seed(&one, &bin_a(), 150, 19).await;
    seed(&two, &bin_a(), 150, 19).await;
    // The history is the 90 days before T0 (2025-10-09): July to September are over.
    let months = |sim: Simulator| async move {
        let mut m: Vec<String> =
            sim.invoices(&bin_a(), &all(None)).await.unwrap().into_iter().map(|i| i.month).collect();
        m.dedup();
        m
    };
    assert_eq!(months(one.clone()).await, ["2025-09", "2025-08", "2025-07"]);
    assert_eq!(one.invoices(&bin_a(), &all(None)).await.unwrap(), two.invoices(&bin_a(), &all(None)).await.unwrap());
    for m in ["2025-07", "2025-08", "2025-09"] {
        invoices_follow_from_the_records(&one, &bin_a(), m, 1200).await;
    }
    books_are_true(&one, &bin_a()).await;
    // Credit accounts paid their invoices by bank transfer, but those in debt from before.
    let credit: Vec<_> = one
        .invoices(&bin_a(), &all(None))
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.billing == BillingMethod::Credit)
        .collect();
    let paid = credit.iter().filter(|i| i.paid == i.total && i.paid_ms.is_some_and(|t| t > i.issued_ms)).count();
    assert!(paid * 4 > credit.len() * 3, "most were paid ({paid} of {})", credit.len());
    assert!(credit.iter().all(|i| i.paid == i.total || (i.paid == Money::ZERO && i.paid_ms.is_none())));
    // Closing a seeded month again makes no invoice; the accounts that never paid (in debt
    // from before the books) are overdue by now and their active numbers are blocked.
    let again = close_month(one.db(), one.zone(), month("2025-09"), None, now_ms()).await.unwrap();
    assert_eq!((again.invoices, again.total), (0, Money::ZERO));
    assert!(again.blocked > 0 && (again.blocked as usize) < 150, "{again:?}");
}

#[tokio::test]
async fn the_vat_rate_is_the_one_in_force_for_the_month() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 40, 12).await;
    close(&sim, "2025-12", Some(&bin_a())).await;
    close(&sim, "2026-01", Some(&bin_a())).await;
    for (m, rate) in [("2025-12", 1200), ("2026-01", 1600)] {
        let docs = documents(&sim, &bin_a(), m).await;
        assert!(!docs.is_empty());
        for d in docs {
            assert_eq!(d.invoice.vat_rate_bp, rate, "{m}");
            let vat: i64 = d.lines.iter().map(|l| half_up_vat(l.net.tiyn(), rate)).sum();
            assert_eq!(d.invoice.vat.tiyn(), vat, "{m}");
        }
    }
}

#[tokio::test]
async fn closing_charges_balances_and_debts_through_the_books() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 13).await;
    let before = numbers(&sim, &bin_a()).await;
    let mut debt_before = HashMap::new();
    for n in before.values() {
        let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        debt_before.insert(n.account_no.clone(), p.past_debt);
    }
    close(&sim, "2026-03", Some(&bin_a())).await;
    books_are_true(&sim, &bin_a()).await;
    let after = numbers(&sim, &bin_a()).await;
    let docs = documents(&sim, &bin_a(), "2026-03").await;
    let (mut advance, mut credit) = (0, 0);
    for d in &docs {
        let i = &d.invoice;
        match i.billing {
            BillingMethod::Advance => {
                advance += 1;
                assert_eq!(i.paid, i.total, "settled from the balances");
                // No packages were connected in the month: each balance went down by its lines.
                for (msisdn, n) in &after {
                    let charged: i64 =
                        d.lines.iter().filter(|l| &l.msisdn == msisdn).map(|l| l.net.tiyn() + l.vat.tiyn()).sum();
                    if n.account_no == i.account_no {
                        assert_eq!(n.remaining.tiyn(), before[msisdn].remaining.tiyn() - charged, "{msisdn}");
                    }
                }
            }
            BillingMethod::Credit => {
                credit += 1;
                assert_eq!(i.paid, Money::ZERO);
                let msisdn = &d.lines[0].msisdn;
                let p = sim.number_profile(&bin_a(), &Msisdn::parse(msisdn).unwrap()).await.unwrap().unwrap();
                assert_eq!(
                    p.past_debt.tiyn(),
                    debt_before[&i.account_no].tiyn() + i.total.tiyn(),
                    "the unpaid invoice is the account's past-period debt"
                );
            }
        }
    }
    assert!(advance > 0 && credit > 0, "both kinds of account ({advance}, {credit})");
}

/// The usage charges of the advance numbers' records, per number, in `[from, to)`.
async fn usage_charges(
    sim: &Simulator,
    bin: &Bin,
    numbers: &[&NumberSummary],
    from: i64,
    to: i64,
) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for n in numbers {
        let records = sim.usage(bin, &n.msisdn, from, to).await.unwrap().unwrap().records;
        out.insert(n.msisdn.as_str().to_string(), records.iter().map(|r| r.charge.tiyn()).sum());
    }
    out
}

/// Advance numbers pay their usage as they go: the seed and each daily run take the open
/// month's usage charges up to the day from the balances, a run repeated takes nothing more,
/// the next day's takes that day's; closing the month takes the rest of each number's
/// lines, so that what a balance paid for the month is its invoice lines to the tiyn.
#[tokio::test]
async fn advance_balances_pay_usage_day_by_day_and_closing_takes_the_rest() {
    use cabinet_sim::billing::daily;
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 17).await;
    let zone = almaty();
    let oct = zone.start_of_day_ms(jiff::civil::date(2025, 10, 1));
    let today = zone.start_of_day_ms(zone.civil_date(T0).unwrap());
    let start = numbers(&sim, &bin_a()).await;
    let advance: Vec<&NumberSummary> = start.values().filter(|n| n.billing == BillingMethod::Advance).collect();
    assert!(advance.len() > 10, "advance numbers: {}", advance.len());
    let history = |n: &NumberSummary| {
        let sim = &sim;
        let msisdn = n.msisdn.clone();
        async move { sim.balance_moves(&bin_a(), &msisdn, oct, i64::MAX / 2).await.unwrap().unwrap() }
    };
    let usage_paid = |moves: &[cabinet_core::operator::BalanceMove]| -> i64 {
        moves
            .iter()
            .filter(|m| matches!(m.kind, cabinet_core::operator::BalanceMoveKind::Usage { .. }))
            .map(|m| -m.amount.tiyn())
            .sum()
    };
    // The seed took October's usage up to its day.
    let due = usage_charges(&sim, &bin_a(), &advance, oct, today).await;
    assert!(due.values().filter(|d| **d > 0).count() > 5, "some advance numbers paid for usage");
    for n in &advance {
        let paid = usage_paid(&history(n).await);
        assert_eq!(paid, due[n.msisdn.as_str()], "{}: paid the records' charges up to the day", n.msisdn);
    }
    books_are_true(&sim, &bin_a()).await;
    // The same day again: nothing more.
    assert_eq!(daily(sim.db(), &zone, T0).await.unwrap().usage_charged, 0);
    // The next day: that day's charges.
    let balances = numbers(&sim, &bin_a()).await;
    let next = today + 86_400_000;
    // Two runs at once (two instances, or the command beside the portal): the day is taken once.
    let (one, two) = tokio::join!(daily(sim.db(), &zone, next + 3_600_000), daily(sim.db(), &zone, next + 3_600_000));
    let ran_charged = one.unwrap().usage_charged + two.unwrap().usage_charged;
    let due_next = usage_charges(&sim, &bin_a(), &advance, oct, next).await;
    let after = numbers(&sim, &bin_a()).await;
    let mut charged = 0;
    for n in &advance {
        let m = n.msisdn.as_str();
        let day = due_next[m] - due[m];
        assert_eq!(after[m].remaining.tiyn(), balances[m].remaining.tiyn() - day, "{m}: the day's usage taken");
        assert_eq!(usage_paid(&history(n).await), due_next[m], "{m}");
        charged += u64::from(day != 0);
    }
    assert_eq!(ran_charged, charged, "each number charged by one of the runs");
    assert!(charged > 0);
    books_are_true(&sim, &bin_a()).await;
    // Closing October takes the rest: with the month's usage paid before, each number paid
    // its lines with VAT (less its packages, paid when connected) for the month, no more.
    let before_close = numbers(&sim, &bin_a()).await;
    close(&sim, "2025-10", Some(&bin_a())).await;
    books_are_true(&sim, &bin_a()).await;
    let closed = numbers(&sim, &bin_a()).await;
    let docs = documents(&sim, &bin_a(), "2025-10").await;
    let mut checked = 0;
    for d in docs.iter().filter(|d| d.invoice.billing == BillingMethod::Advance) {
        assert_eq!(d.invoice.paid, d.invoice.total, "settled");
        for n in advance.iter().filter(|n| n.account_no == d.invoice.account_no) {
            let m = n.msisdn.as_str();
            let lines: i64 = d
                .lines
                .iter()
                .filter(|l| l.msisdn == m && l.kind != InvoiceLineKind::Package)
                .map(|l| l.net.tiyn() + l.vat.tiyn())
                .sum();
            let at_closing = before_close[m].remaining.tiyn() - closed[m].remaining.tiyn();
            assert_eq!(at_closing + due_next[m], lines, "{m}: the month's usage paid once");
            checked += 1;
        }
    }
    assert!(checked > 10, "numbers checked: {checked}");
}

/// What a credit number's invoice for the month that `from` starts would hold up to
/// `through`: its fees of the month in full (its subscription and service lines, given) and
/// its usage records' charges by kind, each with its VAT, as the invoice lines them.
async fn accrued_to(
    sim: &Simulator,
    bin: &Bin,
    msisdn: &Msisdn,
    fees: i64,
    (from, through): (i64, i64),
    rate_bp: i64,
) -> i64 {
    let report = sim.usage(bin, msisdn, from, through).await.unwrap().unwrap();
    let usage: i64 = report.totals.iter().map(|t| t.charge.tiyn() + half_up_vat(t.charge.tiyn(), rate_bp)).sum();
    fees + usage
}

/// A credit account's remaining credit limit follows the open month: the seed and each
/// daily run bring its numbers' charges of the period up to what their invoice would hold
/// so far (the month's fees from its first day, usage with VAT), a run repeated adds
/// nothing, a package adds its price at once; closing the month moves the month's charges
/// into the invoice, which is debt until paid, and gives the credit back.
#[tokio::test]
async fn a_credit_accounts_remaining_limit_follows_the_months_charges() {
    use cabinet_core::operator::{Operation, OperationState};
    use cabinet_sim::billing::daily;
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 17).await;
    let sim = sim.with_behaviour(cabinet_sim::Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 });
    let zone = almaty();
    let oct = zone.start_of_day_ms(jiff::civil::date(2025, 10, 1));
    let today = zone.start_of_day_ms(zone.civil_date(T0).unwrap());
    let next = today + 86_400_000;
    let profile = async |n: &Msisdn| sim.number_profile(&bin_a(), n).await.unwrap().unwrap();
    let at_seed = numbers(&sim, &bin_a()).await;
    let credit: Vec<&NumberSummary> = at_seed.values().filter(|n| n.billing == BillingMethod::Credit).collect();
    assert!(credit.len() > 50, "credit numbers: {}", credit.len());
    let mut limits: HashMap<String, i64> = HashMap::new();
    let mut debts: HashMap<String, i64> = HashMap::new();
    for n in &credit {
        let p = profile(&n.msisdn).await;
        limits.insert(n.account_no.clone(), p.credit_limit.expect("a credit limit").tiyn());
        debts.insert(n.account_no.clone(), p.past_debt.tiyn());
        assert!(n.remaining.tiyn() >= 0 && n.available_funds.is_none_or(|f| f.tiyn() >= 0), "{}: limits fit", n.msisdn);
    }

    // The seed posted the month up to its day as a run would have: a run that day adds nothing.
    assert_eq!(daily(sim.db(), &zone, T0).await.unwrap().credit_accrued, 0);
    // The next day's run adds the day; the same day again adds nothing.
    assert!(daily(sim.db(), &zone, next + 3_600_000).await.unwrap().credit_accrued > 0);
    assert_eq!(daily(sim.db(), &zone, next + 7_200_000).await.unwrap().credit_accrued, 0);
    let after_run = numbers(&sim, &bin_a()).await;

    // A package: its price at once.
    let mut package = None;
    for n in credit.iter().filter(|n| n.state == cabinet_core::operator::NumberState::Active) {
        let p = profile(&n.msisdn).await;
        let found = p.services.iter().find(|s| {
            let op = Operation::SetService { code: s.code.clone(), on: true };
            s.status == cabinet_core::operator::ServiceStatus::Available
                && catalog::service(&s.code).is_some_and(|c| !c.grants.is_empty() && c.price > 0)
                && cabinet_core::rules::check_on(&op, &p, p.summary.state).is_ok()
        });
        if let Some(s) = found {
            package = Some((n.msisdn.clone(), n.account_no.clone(), s.code.clone(), s.price.tiyn()));
            break;
        }
    }
    let (with_package, package_account, code, price) = package.expect("a credit number that may connect a package");
    let op = Operation::SetService { code, on: true };
    assert_eq!(sim.submit(&bin_a(), &with_package, &op, "credit-pk").await.unwrap(), OperationState::Done);
    let p = profile(&with_package).await;
    let before = &after_run[with_package.as_str()];
    assert_eq!(p.summary.remaining.tiyn(), before.remaining.tiyn() - price, "the package's price at once");
    if let (Some(f0), Some(f1)) = (before.available_funds, p.summary.available_funds) {
        assert_eq!(f1.tiyn(), f0.tiyn() - price);
    }

    // Closing October: each account's charges so far were its invoice's, up to the day.
    close(&sim, "2025-10", Some(&bin_a())).await;
    books_are_true(&sim, &bin_a()).await;
    let docs = documents(&sim, &bin_a(), "2025-10").await;
    let closed = numbers(&sim, &bin_a()).await;
    let mut checked = 0;
    for d in docs.iter().filter(|d| d.invoice.billing == BillingMethod::Credit) {
        let account = d.invoice.account_no.as_str();
        let rate = d.invoice.vat_rate_bp;
        let (mut to_seed, mut to_run) = (0, 0);
        for n in credit.iter().filter(|n| n.account_no == account) {
            let fees: i64 = d
                .lines
                .iter()
                .filter(|l| l.msisdn == n.msisdn.as_str())
                .filter(|l| matches!(l.kind, InvoiceLineKind::Subscription | InvoiceLineKind::Service))
                .map(|l| l.net.tiyn() + l.vat.tiyn())
                .sum();
            let seeded = accrued_to(&sim, &bin_a(), &n.msisdn, fees, (oct, today), rate).await;
            let ran = accrued_to(&sim, &bin_a(), &n.msisdn, fees, (oct, next), rate).await;
            if let (Some(l), Some(f0), Some(f1)) =
                (n.individual_limit, n.available_funds, after_run[n.msisdn.as_str()].available_funds)
            {
                assert_eq!((l.tiyn() - f0.tiyn(), l.tiyn() - f1.tiyn()), (seeded, ran), "{}: funds", n.msisdn);
            }
            to_seed += seeded;
            to_run += ran;
        }
        let limit = limits[account];
        let remaining = |at: &HashMap<String, NumberSummary>| {
            at.values().find(|n| n.account_no == account).map(|n| n.remaining.tiyn()).unwrap()
        };
        assert_eq!(limit - remaining(&at_seed), to_seed, "{account}: the seed's charges of the month");
        assert_eq!(limit - remaining(&after_run), to_run, "{account}: a day later");
        assert!(to_run >= to_seed && d.invoice.total.tiyn() >= to_run, "{account}: the invoice holds the rest");
        // Closed: the month's charges are the invoice's, owed until paid.
        let left = if account == package_account { price } else { 0 };
        assert_eq!(limit - remaining(&closed), left, "{account}: the credit is back (a package of December stays)");
        let p = profile(&credit.iter().find(|n| n.account_no == account).unwrap().msisdn).await;
        assert_eq!(p.past_debt.tiyn() - debts[account], d.invoice.total.tiyn(), "{account}: the invoice is owed");
        checked += 1;
    }
    assert!(checked > 20, "credit accounts checked: {checked}");
}

#[tokio::test]
async fn closing_twice_changes_nothing() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 80, 14).await;
    let first = close(&sim, "2026-04", Some(&bin_a())).await;
    assert!(first.invoices > 0);
    let invoices = sim.invoices(&bin_a(), &all(None)).await.unwrap();
    let balances = numbers(&sim, &bin_a()).await;
    let again = close(&sim, "2026-04", None).await;
    assert_eq!(again, CloseReport::default(), "nothing more");
    assert_eq!(sim.invoices(&bin_a(), &all(None)).await.unwrap(), invoices);
    let now = numbers(&sim, &bin_a()).await;
    for (m, n) in &balances {
        assert_eq!(now[m].remaining, n.remaining, "{m}");
    }
    books_are_true(&sim, &bin_a()).await;
}

#[tokio::test]
async fn a_month_that_is_not_over_is_refused_and_nothing_is_made() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 20, 15).await;
    let today = sim.zone().civil_date(now_ms()).unwrap();
    let this_month = BillingMonth::of(today);
    for m in [this_month, this_month.next()] {
        let r = close_month(sim.db(), sim.zone(), m, Some(&bin_a()), now_ms()).await;
        assert!(matches!(r, Err(SimError::MonthNotOver(_))), "{m}: {r:?}");
        assert!(sim.invoices(&bin_a(), &all(Some(&m.to_string()))).await.unwrap().is_empty());
    }
    let r = close_month(sim.db(), sim.zone(), month("2026-01"), Some(&bin("05014000924")), now_ms()).await;
    assert!(matches!(r, Err(SimError::UnknownCustomer(_))), "{r:?}");
}

#[tokio::test]
async fn parallel_closings_make_one_invoice_per_account() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 200, 16).await;
    let runs: Vec<_> = (0..4)
        .map(|i| {
            let sim = sim.clone();
            tokio::spawn(async move {
                let bin = bin_a();
                let only = (i % 2 == 0).then_some(&bin);
                close_month(sim.db(), sim.zone(), month("2026-05"), only, now_ms()).await.expect("closing")
            })
        })
        .collect();
    let mut made = 0;
    for r in runs {
        made += r.await.unwrap().invoices;
    }
    let invoices = sim.invoices(&bin_a(), &all(Some("2026-05"))).await.unwrap();
    assert_eq!(made, invoices.len() as u64, "the runs made the invoices between them, once each");
    let mut accounts: Vec<&str> = invoices.iter().map(|i| i.account_no.as_str()).collect();
    accounts.sort();
    accounts.dedup();
    assert_eq!(accounts.len(), invoices.len(), "one invoice per account");
    books_are_true(&sim, &bin_a()).await;
}

#[tokio::test]
async fn another_customers_invoices_are_never_returned() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 30, 17).await;
    seed(&sim, &bin_b(), 30, 18).await;
    close(&sim, "2026-06", None).await;
    let a = sim.invoices(&bin_a(), &all(None)).await.unwrap();
    let b = sim.invoices(&bin_b(), &all(None)).await.unwrap();
    assert!(!a.is_empty() && !b.is_empty());
    let b_doc = sim.invoice(&bin_b(), &b[0].registration_no).await.unwrap().expect("its own");
    assert!(sim.invoice(&bin_a(), &b[0].registration_no).await.unwrap().is_none());
    assert!(sim.invoice(&bin_a(), &b[0].system_no).await.unwrap().is_none());
    let asks = [
        InvoiceQuery { account_no: Some(b[0].account_no.clone()), limit: 100, ..Default::default() },
        InvoiceQuery { number: Some(b[0].system_no.clone()), limit: 100, ..Default::default() },
        InvoiceQuery { msisdn: Some(b_doc.lines[0].msisdn.clone()), limit: 100, ..Default::default() },
    ];
    for q in &asks {
        assert!(sim.invoices(&bin_a(), q).await.unwrap().is_empty(), "{q:?}");
        assert!(!sim.invoices(&bin_b(), q).await.unwrap().is_empty(), "{q:?} finds it for its customer");
    }
    let mine = &a[0];
    let found = sim
        .invoices(
            &bin_a(),
            &InvoiceQuery { number: Some(mine.registration_no.clone()), limit: 10, ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(found, vec![mine.clone()]);
}

#[tokio::test]
async fn an_invoice_unpaid_past_its_due_date_blocks_the_account_and_paying_it_lifts_that() {
    use cabinet_core::operator::NumberState;
    use cabinet_sim::billing::pay_account;
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 150, 20).await;
    seed(&sim, &bin_b(), 20, 21).await;
    let before = numbers(&sim, &bin_a()).await;
    // January's invoices fell due on 21.02.2026: today they are overdue.
    let made = close(&sim, "2026-01", Some(&bin_a())).await;
    assert!(made.blocked > 0, "{made:?}");
    let after = numbers(&sim, &bin_a()).await;
    let credit: Vec<_> = sim
        .invoices(&bin_a(), &all(Some("2026-01")))
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.billing == BillingMethod::Credit)
        .collect();
    let overdue: std::collections::HashSet<&str> = credit.iter().map(|i| i.account_no.as_str()).collect();
    for (m, n) in &after {
        let was = before[m].state;
        let expected = if overdue.contains(n.account_no.as_str()) && was == NumberState::Active {
            NumberState::BlockedDebt
        } else {
            was
        };
        assert_eq!(n.state, expected, "{m} of {} ({:?})", n.account_no, n.billing);
    }
    // An account whose numbers were all active, blocked now for its invoice.
    let invoice = credit
        .iter()
        .find(|i| before.values().filter(|n| n.account_no == i.account_no).all(|n| n.state == NumberState::Active))
        .expect("an account with only active numbers");
    let account = invoice.account_no.as_str();
    let its = |sim_numbers: &HashMap<String, NumberSummary>| {
        sim_numbers.values().filter(|n| n.account_no == account).map(|n| n.state).collect::<Vec<_>>()
    };
    let now = now_ms();
    let pay = |amount: i64, reference: &'static str| {
        let sim = sim.clone();
        async move {
            pay_account(sim.db(), &bin_a(), account, Money(amount), ("bank_transfer", reference), now).await.unwrap()
        }
    };
    // Less than it owes: still blocked.
    let part = pay(100, "PP-000001").await.expect("the customer's account");
    assert_eq!(part.unblocked, 0);
    assert!(its(&numbers(&sim, &bin_a()).await).iter().all(|s| *s == NumberState::BlockedDebt));
    // All it owes: the invoice is paid and the block lifted.
    let owed = part.debt.tiyn();
    let paid = pay(owed, "PP-000002").await.unwrap();
    assert_eq!(paid.debt, Money::ZERO);
    assert_eq!(paid.unblocked as usize, its(&after).len());
    assert!(its(&numbers(&sim, &bin_a()).await).iter().all(|s| *s == NumberState::Active));
    let settled = sim.invoice(&bin_a(), &invoice.system_no).await.unwrap().unwrap().invoice;
    assert_eq!((settled.paid, settled.paid_ms), (settled.total, Some(now)));
    let q = InvoiceQuery { account_no: Some(account.to_string()), limit: 100, ..Default::default() };
    assert!(sim.invoices(&bin_a(), &q).await.unwrap().iter().all(|i| i.paid == i.total), "nothing unpaid is left");
    // The same payment order again changes nothing; another customer cannot pay this account.
    assert_eq!(
        pay(owed, "PP-000002").await.unwrap(),
        cabinet_sim::billing::AccountPayment { debt: Money::ZERO, unblocked: 0 }
    );
    let foreign = pay_account(sim.db(), &bin_b(), account, Money(100), ("bank_transfer", "PP-9"), now).await.unwrap();
    assert!(foreign.is_none());
    books_are_true(&sim, &bin_a()).await;
    books_are_true(&sim, &bin_b()).await;
}
