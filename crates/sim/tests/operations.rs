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
    sim.with_behaviour(Behaviour { delay_ms: 0, failure_rate, transfer_delay_ms: 0 })
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
    let sim = sim.with_behaviour(Behaviour { delay_ms: 60_000, failure_rate: 0.0, transfer_delay_ms: 0 });
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

#[tokio::test]
async fn services_are_switched_on_and_off_within_the_rules() {
    use cabinet_core::operator::ServiceStatus;
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 200, 10).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    let profile = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    // A service with no family that the number may take.
    let free = profile.services.iter().find(|s| s.status == ServiceStatus::Available && s.family.is_none()).unwrap();
    let on = Operation::SetService { code: free.code.clone(), on: true };
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &on, "s1").await.unwrap(), OperationState::Done);
    let status = |p: &cabinet_core::operator::NumberProfile, code: &str| {
        p.services.iter().find(|s| s.code == code).unwrap().status
    };
    let after = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert_eq!(status(&after, &free.code), ServiceStatus::Active);
    let again = sim.submit(&bin_a(), &n.msisdn, &on, "s2").await.unwrap();
    assert_eq!(again, OperationState::Failed { reason: "already_on".into() });

    // Two packages of one family: with one on, the other is refused.
    let family_members = |p: &cabinet_core::operator::NumberProfile| {
        let mut by_family: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for s in p.services.iter().filter(|s| s.status != ServiceStatus::Unavailable) {
            if let Some(f) = &s.family {
                by_family.entry(f.clone()).or_default().push(s.code.clone());
            }
        }
        by_family.into_values().find(|v| v.len() >= 2).expect("a family of two the number may take")
    };
    let members = family_members(&after);
    for (i, code) in members.iter().enumerate() {
        if status(&after, code) == ServiceStatus::Active {
            let off = Operation::SetService { code: code.clone(), on: false };
            assert_eq!(
                sim.submit(&bin_a(), &n.msisdn, &off, &format!("f-off{i}")).await.unwrap(),
                OperationState::Done
            );
        }
    }
    let first = Operation::SetService { code: members[0].clone(), on: true };
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &first, "f-on").await.unwrap(), OperationState::Done);
    let second = Operation::SetService { code: members[1].clone(), on: true };
    let r = sim.submit(&bin_a(), &n.msisdn, &second, "f-rival").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: "family_conflict".into() });
    let off = Operation::SetService { code: free.code.clone(), on: false };
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &off, "s4").await.unwrap(), OperationState::Done);
    assert_eq!(
        status(&sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap(), &free.code),
        ServiceStatus::Available
    );

    // Never on a blocked number.
    let blocked = with_state(&sim, NumberState::Blocked).await;
    let r = sim.submit(&bin_a(), &blocked.msisdn, &on, "s5").await.unwrap();
    assert_eq!(r, OperationState::Failed { reason: "not_active".into() });
    let unknown = Operation::SetService { code: "no-such-service".into(), on: true };
    assert_eq!(
        sim.submit(&bin_a(), &n.msisdn, &unknown, "s6").await.unwrap(),
        OperationState::Failed { reason: "unknown_service".into() }
    );
}

#[tokio::test]
async fn bans_are_set_and_removed() {
    use cabinet_core::operator::Ban;
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 100, 11).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    for (i, ban) in Ban::ALL.into_iter().enumerate() {
        let was = ban.is_set(&sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap());
        let flip = Operation::SetBan { ban, on: !was };
        assert_eq!(
            sim.submit(&bin_a(), &n.msisdn, &flip, &format!("b{i}")).await.unwrap(),
            OperationState::Done,
            "{ban:?}"
        );
        let now = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
        assert_eq!(ban.is_set(&now), !was, "{ban:?}");
        let same = sim.submit(&bin_a(), &n.msisdn, &flip, &format!("again{i}")).await.unwrap();
        let expected = if was { "ban_not_set" } else { "ban_already_set" };
        assert_eq!(same, OperationState::Failed { reason: expected.into() });
    }
}

#[tokio::test]
async fn forwarding_rules_are_added_and_removed_without_conflicts() {
    use cabinet_core::operator::{ForwardKind, ForwardTarget};
    let (_db, sim) = simulator().await;
    seed(&sim, &bin_a(), 100, 12).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    let add = |kind, target| Operation::AddForwarding { kind, target };
    let to_voicemail = ForwardTarget::Service("voicemail".into());
    let to_colleague = ForwardTarget::Number("77019998877".into());
    let ok = |r: OperationState| assert_eq!(r, OperationState::Done);
    let refused = |r: OperationState, why: &str| assert_eq!(r, OperationState::Failed { reason: why.into() });

    ok(sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Busy, to_voicemail.clone()), "f1").await.unwrap());
    ok(sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::NoAnswer, to_colleague.clone()), "f2").await.unwrap());
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert_eq!(p.forwardings.len(), 2);
    assert_eq!(p.forwardings[0].kind, ForwardKind::Busy);
    refused(
        sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Busy, to_colleague.clone()), "f3").await.unwrap(),
        "forwarding_exists",
    );
    refused(
        sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Unconditional, to_colleague.clone()), "f4").await.unwrap(),
        "forwarding_conflict",
    );
    let to_self = ForwardTarget::Number(n.msisdn.to_string());
    refused(
        sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Unreachable, to_self).clone(), "f5").await.unwrap(),
        "forward_to_self",
    );
    let unknown = ForwardTarget::Service("fax".into());
    refused(
        sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Unreachable, unknown), "f6").await.unwrap(),
        "unknown_service",
    );

    ok(sim.submit(&bin_a(), &n.msisdn, &Operation::RemoveForwarding { kind: ForwardKind::Busy }, "f7").await.unwrap());
    ok(sim
        .submit(&bin_a(), &n.msisdn, &Operation::RemoveForwarding { kind: ForwardKind::NoAnswer }, "f8")
        .await
        .unwrap());
    refused(
        sim.submit(&bin_a(), &n.msisdn, &Operation::RemoveForwarding { kind: ForwardKind::Busy }, "f9").await.unwrap(),
        "no_forwarding",
    );
    ok(sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Unconditional, to_colleague), "f10").await.unwrap());
    refused(
        sim.submit(&bin_a(), &n.msisdn, &add(ForwardKind::Busy, to_voicemail), "f11").await.unwrap(),
        "forwarding_conflict",
    );
}

#[tokio::test]
async fn an_esim_is_issued_then_the_number_moves_to_it() {
    let (db, sim) = simulator().await;
    seed(&sim, &bin_a(), 100, 13).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    let refused = sim.submit(&bin_a(), &n.msisdn, &Operation::ChangeToEsim, "e0").await.unwrap();
    assert_eq!(refused, OperationState::Failed { reason: "esim_not_issued".into() });

    let activation = sim.issue_esim(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert!(activation.lpa.starts_with("LPA:1$"), "{}", activation.lpa);
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert_eq!(p.esim_activation.as_ref(), Some(&activation));
    let before_iccid = p.iccid.clone();
    assert_eq!(sim.submit(&bin_a(), &n.msisdn, &Operation::ChangeToEsim, "e1").await.unwrap(), OperationState::Done);
    let p = sim.number_profile(&bin_a(), &n.msisdn).await.unwrap().unwrap();
    assert!(p.esim, "General information: eSIM yes");
    assert!(p.esim_activation.is_none(), "the activation is used up");
    assert_ne!(p.iccid, before_iccid);
    assert!(cabinet_core::Iccid::parse(&p.iccid).is_ok(), "a valid ICCID: {}", p.iccid);

    let blocked = with_state(&sim, NumberState::Blocked).await;
    assert_eq!(sim.issue_esim(&bin_a(), &blocked.msisdn).await.unwrap(), Err("not_active".into()));
    let other = all_forward(&sim, &bin_a(), None, 200)
        .await
        .into_iter()
        .filter(|x| x.state == NumberState::Active)
        .nth(1)
        .unwrap();
    sqlx::query("UPDATE sim_subscribers SET in_roaming = 1 WHERE msisdn = $1")
        .bind(other.msisdn.as_str())
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(sim.issue_esim(&bin_a(), &other.msisdn).await.unwrap(), Err("in_roaming".into()));
    assert_eq!(
        sim.issue_esim(&bin_b(), &n.msisdn).await.unwrap(),
        Err(cabinet_sim::UNKNOWN_NUMBER.into()),
        "another customer's number"
    );
}

#[tokio::test]
async fn devices_are_registered_duplicated_re_registered_and_removed() {
    let (db, sim) = simulator().await;
    seed(&sim, &bin_a(), 60, 14).await;
    let sim = at_once(sim, 0.0);
    let n = with_state(&sim, NumberState::Active).await;
    let submit = |op: Operation, key: String| {
        let sim = sim.clone();
        let m = n.msisdn.clone();
        async move { sim.submit(&bin_a(), &m, &op, &key).await.unwrap() }
    };
    let (mut free, mut foreign) = (None, None);
    for i in 0..60 {
        let imei = format!("3536780765{i:04}");
        match submit(Operation::RegisterImei { imei: imei.clone() }, format!("r{i}")).await {
            OperationState::Done => free = free.or(Some(imei)),
            OperationState::Failed { reason } if reason == "imei_other_operator" => foreign = foreign.or(Some(imei)),
            _ => {}
        }
    }
    let (free, foreign) = (free.expect("a device nobody had"), foreign.expect("a device on another operator's number"));
    let registered = |sim: Simulator| {
        let m = n.msisdn.clone();
        async move { sim.number_profile(&bin_a(), &m).await.unwrap().unwrap().registered_imeis }
    };
    assert!(registered(sim.clone()).await.contains(&free));
    assert_eq!(
        submit(Operation::RegisterImei { imei: free.clone() }, "again".into()).await,
        OperationState::Failed { reason: "imei_already_registered".into() }
    );
    assert_eq!(submit(Operation::RemoveImei { imei: free.clone() }, "rm".into()).await, OperationState::Done);
    assert!(!registered(sim.clone()).await.contains(&free));
    assert_eq!(
        submit(Operation::RemoveImei { imei: free.clone() }, "rm2".into()).await,
        OperationState::Failed { reason: "imei_not_registered".into() }
    );

    // The foreign device: a duplicate keeps the other registration.
    let (their_msisdn, owner): (String, String) =
        sqlx::query_as("SELECT msisdn, owner FROM sim_imei_registry WHERE imei = $1")
            .bind(&foreign)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(!["701", "702", "775", "778"].contains(&&their_msisdn[1..4]), "another operator's number: {their_msisdn}");
    let wrong = Operation::ReregisterImei {
        imei: foreign.clone(),
        prev_msisdn: their_msisdn.clone(),
        prev_owner: "000000000000".into(),
    };
    assert_eq!(submit(wrong, "rr0".into()).await, OperationState::Failed { reason: "previous_owner_mismatch".into() });
    let right =
        Operation::ReregisterImei { imei: foreign.clone(), prev_msisdn: their_msisdn.clone(), prev_owner: owner };
    assert_eq!(submit(right, "rr1".into()).await, OperationState::Done);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sim_imei_registry WHERE imei = $1 AND msisdn = $2")
        .bind(&foreign)
        .bind(&their_msisdn)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0, "the previous owner's registration is gone");
    assert!(registered(sim.clone()).await.contains(&foreign));
}
