//! The company-level lists the e-mailed reports read (list of numbers, registered devices),
//! on SQLite and (with CABINET_TEST_DATABASE_URL) on PostgreSQL: paging covers every number
//! and registration exactly once, each row's figures are the profile's, and a customer sees
//! nothing of another's.

mod common;

use cabinet_core::operator::{
    BillingMethod, DeviceCursor, DeviceRegistration, NumberListRow, NumberState, Operation, OperationState,
    OperatorPort,
};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::{Behaviour, Simulator};
use common::*;

async fn every_row(sim: &Simulator, bin: &Bin, limit: u32) -> Vec<NumberListRow> {
    let mut out: Vec<NumberListRow> = Vec::new();
    loop {
        let after = out.last().map(|r| r.msisdn.clone());
        let page = sim.number_list_rows(bin, after.as_ref(), limit).await.unwrap();
        assert!(page.len() <= limit as usize);
        let done = page.len() < limit as usize;
        out.extend(page);
        if done {
            return out;
        }
    }
}

async fn every_device(sim: &Simulator, bin: &Bin, limit: u32) -> Vec<DeviceRegistration> {
    let mut out: Vec<DeviceRegistration> = Vec::new();
    loop {
        let after = out.last().map(|d| DeviceCursor { msisdn: d.msisdn.to_string(), imei: d.imei.clone() });
        let page = sim.device_registrations(bin, after.as_ref(), limit).await.unwrap();
        let done = page.len() < limit as usize;
        out.extend(page);
        if done {
            return out;
        }
    }
}

#[tokio::test]
async fn the_list_of_numbers_pages_through_every_number_once_with_the_profiles_figures() {
    let (_db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 1_300, 1).await;
    seed(&sim, &b, 150, 2).await;

    let rows = every_row(&sim, &a, 97).await;
    let all = all_forward(&sim, &a, None, 500).await;
    let listed: Vec<&str> = rows.iter().map(|r| r.msisdn.as_str()).collect();
    let numbers: Vec<&str> = all.iter().map(|s| s.msisdn.as_str()).collect();
    assert_eq!(listed, numbers, "every number once, in number order");
    // One page of everything, and the same rows.
    assert_eq!(sim.number_list_rows(&a, None, 5_000).await.unwrap(), rows);

    // B's list holds none of A's numbers, and A's none of B's.
    let theirs = every_row(&sim, &b, 40).await;
    assert_eq!(theirs.len(), 150);
    assert!(theirs.iter().all(|r| !listed.contains(&r.msisdn.as_str())));
    // A cursor in the middle of A's numbers asked with B's BIN gives none of A's.
    let mid = Msisdn::parse(listed[600]).unwrap();
    let after_mid = sim.number_list_rows(&b, Some(&mid), 5_000).await.unwrap();
    assert!(after_mid.iter().all(|r| !listed.contains(&r.msisdn.as_str())));

    // Each row's figures are the profile's.
    let (mut credit, mut advance) = (0, 0);
    for r in rows.iter().step_by(37) {
        let p = sim.number_profile(&a, &r.msisdn).await.unwrap().unwrap();
        assert_eq!(r.account_no, p.summary.account_no);
        assert_eq!(r.billing, p.summary.billing);
        assert_eq!(r.state, p.summary.state);
        assert_eq!(r.tariff, p.summary.tariff);
        assert_eq!(r.credit_limit, p.credit_limit);
        assert_eq!(r.past_debt, p.past_debt);
        match r.billing {
            BillingMethod::Credit => {
                credit += 1;
                assert_eq!((r.remaining_credit, r.balance), (Some(p.summary.remaining), None));
            }
            BillingMethod::Advance => {
                advance += 1;
                assert_eq!((r.balance, r.remaining_credit), (Some(p.summary.remaining), None));
            }
        }
    }
    assert!(credit > 0 && advance > 0, "both billing methods checked");
}

#[tokio::test]
async fn devices_are_listed_once_each_and_only_the_customers() {
    let (db, sim) = simulator().await;
    let (a, b) = (bin_a(), bin_b());
    seed(&sim, &a, 60, 14).await;
    seed(&sim, &b, 30, 15).await;
    let sim = sim.with_behaviour(Behaviour { delay_ms: 0, failure_rate: 0.0, transfer_delay_ms: 0 });
    assert!(sim.device_registrations(&a, None, 100).await.unwrap().is_empty(), "none before any is registered");

    // One through the network, the rest written into the registry: two devices on some of
    // A's numbers, one on some of B's.
    let mine = all_forward(&sim, &a, None, 100).await;
    let active = mine.iter().find(|n| n.state == NumberState::Active).unwrap();
    let mut expected: Vec<(String, String)> = Vec::new();
    for i in 0..60 {
        let imei = format!("3536780765{i:04}");
        let op = Operation::RegisterImei { imei: imei.clone() };
        if sim.submit(&a, &active.msisdn, &op, &format!("r{i}")).await.unwrap() == OperationState::Done {
            expected.push((active.msisdn.to_string(), imei));
            break;
        }
    }
    assert_eq!(expected.len(), 1, "a device registered through the network");
    let insert = |msisdn: String, imei: String, owner: String| {
        let db = db.db.clone();
        async move {
            sqlx::query(
                "INSERT INTO sim_imei_registry (imei, msisdn, owner, duplicate, registered_ms) VALUES ($1, $2, $3, 0, $4)",
            )
            .bind(imei)
            .bind(msisdn)
            .bind(owner)
            .bind(T0)
            .execute(db.pool())
            .await
            .unwrap();
        }
    };
    for (i, n) in mine.iter().enumerate().step_by(3) {
        for k in 0..2 {
            let imei = format!("49015420{i:04}{k:03}");
            insert(n.msisdn.to_string(), imei.clone(), a.as_str().to_string()).await;
            expected.push((n.msisdn.to_string(), imei));
        }
    }
    for (i, n) in all_forward(&sim, &b, None, 100).await.iter().enumerate().step_by(2) {
        insert(n.msisdn.to_string(), format!("35000000{i:07}"), b.as_str().to_string()).await;
    }
    expected.sort();

    for limit in [1, 7, 1_000] {
        let listed: Vec<(String, String)> =
            every_device(&sim, &a, limit).await.into_iter().map(|d| (d.msisdn.to_string(), d.imei)).collect();
        assert_eq!(listed, expected, "pages of {limit}");
    }
    let theirs = every_device(&sim, &b, 10).await;
    assert_eq!(theirs.len(), 15);
    assert!(theirs.iter().all(|d| !expected.iter().any(|(m, _)| m == d.msisdn.as_str())), "none of A's in B's");
    let registered = sim.device_registrations(&a, None, 1).await.unwrap();
    assert!(registered[0].registered_ms > 0);
}
