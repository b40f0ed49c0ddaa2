//! Operations on numbers as the simulated network carries them out: delay, outcome,
//! refusals, failures, and idempotency.

mod common;

use cabinet_core::operator::{NumberState, NumberSummary, Operation, OperationState, OperatorPort};
use cabinet_sim::{Behaviour, NETWORK_FAILURE, Simulator, UNKNOWN_NUMBER};
use common::*;

async fn with_state(sim: &Simulator, state: NumberState) -> NumberSummary {
    all_forward(sim, &bin_a(), None, 200).await.into_iter().find(|n| n.state == state).expect("a number in that state")
}

async fn state_of(sim: &Simulator, n: &NumberSummary) -> (NumberState, i64) {
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    (p.summary.state, p.state_changed_ms)
}

fn at_once(sim: Simulator, failure_rate: f64) -> Simulator {
    sim.with_behaviour(Behaviour { delay_ms: 0, failure_rate })
}

#[tokio::test]
async fn block_then_unblock_each_happen_once() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 300, 5).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    let before = state_of(&sim, &n).await.1;

    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "k1").await.unwrap(), OperationState::Done);
    let (state, changed) = state_of(&sim, &n).await;
    assert_eq!(state, NumberState::Blocked);
    assert!(changed >= before, "the date of the change moves");
    // The same request again (a retry after a crash) changes nothing more.
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "k1").await.unwrap(), OperationState::Done);
    assert_eq!(state_of(&sim, &n).await, (NumberState::Blocked, changed));

    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::Unblock, "k2").await.unwrap(), OperationState::Done);
    assert_eq!(state_of(&sim, &n).await.0, NumberState::Active);
}

#[tokio::test]
async fn the_network_refuses_what_the_rules_forbid() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 400, 6).await;
    let sim = at_once(sim, 0.0);
    let debt = with_state(&sim, NumberState::BlockedDebt).await;
    let before = state_of(&sim, &debt).await;
    let r = sim.submit(&bin_a(), &debt.msisdn, &Operation::Unblock, "k").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: "blocked_for_debt".into() });
    assert_eq!(state_of(&sim, &debt).await, before, "nothing changed");

    let active = with_state(&sim, NumberState::Active).await;
    let r = sim.submit(&bin_a(), &active.msisdn, &Operation::Unblock, "k2").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: "not_blocked".into() });

    // Another customer's number is unknown to this customer.
    seed(&sim, &bin_b(), 20, 7).await;
    let theirs = all_forward(&sim, &bin_b(), None, 20).await.remove(0);
    let before = sim.number_profile(&bin_b(), &theirs.msisdn).await.unwrap().unwrap().summary.state;
    let r = sim.submit(&bin_a(), &theirs.msisdn, &Operation::Block, "k3").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: UNKNOWN_NUMBER.into() });
    assert_eq!(sim.number_profile(&bin_b(), &theirs.msisdn).await.unwrap().unwrap().summary.state, before);
}

#[tokio::test]
async fn a_slow_network_shows_processing_and_refuses_a_second_change() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 100, 8).await;
    let sim = sim.with_behaviour(Behaviour { delay_ms: 60_000, failure_rate: 0.0 });
    let n = with_state(&sim, NumberState::Active).await;
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "slow").await.unwrap(), OperationState::Pending);
    assert_eq!(state_of(&sim, &n).await.0, NumberState::Processing);
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "slow").await.unwrap(), OperationState::Pending);
    let second = sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "other").await.unwrap();
    assert_eq!(second, OperationState::Failed { reason: "in_progress".into() });
}

#[tokio::test]
async fn a_failed_request_leaves_the_number_as_it_was() {
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 100, 9).await;
    let sim = at_once(sim, 1.0);
    let n = with_state(&sim, NumberState::Active).await;
    let before = state_of(&sim, &n).await;
    let r = sim.submit(&bin_a(), &n.msisdn, &Operation::Block, "doomed").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: NETWORK_FAILURE.into() });
    assert_eq!(state_of(&sim, &n).await, before);
}
