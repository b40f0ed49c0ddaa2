//! Jobs survive a crash and run once; several processes share one queue.

use cabinet_core::operator::{NumberQuery, NumberState, OperatorPort};
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_core::{Bin, Msisdn};
use cabinet_sim::Simulator;
use cabinet_store::jobs::kinds::OperationPayload;
use cabinet_store::testing::{TestDb, test_db};
use cabinet_store::{actions, admins, companies, requests};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = "940740000015";

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real `cabinet serve` on the test's store, with a slow network and short leases.
fn cabinet_serve(db: &TestDb, delay_ms: i64) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_cabinet"))
        .args(["--database-url", &db.url, "--listen", "127.0.0.1:0", "--demo", "false", "--dev", "true", "serve"])
        .env("CABINET_SIM_DELAY_MS", delay_ms.to_string())
        .env("CABINET_JOB_LEASE_SECONDS", "3")
        .env("CABINET_SECRET", "jobs-test-secret-0123456789abcdef0123")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Process(child)
}

async fn seeded() -> (TestDb, Vec<Msisdn>, String, String) {
    let db = test_db().await;
    cabinet_sim::Simulator::new(db.db.clone()).migrate().await.unwrap();
    let zone = OperatorZone::named("Asia/Almaty").unwrap();
    cabinet::commands::seed(&db, &Bin::parse(BIN).unwrap(), "ТОО «Альфа»", 120, 21, &zone).await.unwrap();
    let company = companies::by_bin(&db, &Bin::parse(BIN).unwrap()).await.unwrap().unwrap();
    let phone = Msisdn::parse("77012112101").unwrap();
    let admin =
        admins::create(&db, admins::NewAdmin { phone: &phone, name: "Алия", email: None, password_hash: None }, 0)
            .await
            .unwrap();
    // Today's billing run first, as a serving process runs it when it starts (it blocks what
    // is overdue and takes advance numbers' usage), before any number is chosen.
    cabinet_sim::billing::daily_once(&db, &zone, cabinet_core::time::now_ms()).await.unwrap();
    let sim = Simulator::new(db.db.clone());
    let q = NumberQuery { limit: 1000, ..NumberQuery::default() };
    let active = sim
        .list_numbers(&Bin::parse(BIN).unwrap(), &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|n| n.state == NumberState::Active)
        .map(|n| n.msisdn)
        .collect();
    (db, active, company.id, admin.id)
}

async fn request_block(db: &TestDb, company_id: &str, admin_id: &str, msisdn: &Msisdn) -> String {
    let who = actions::Actor { company_id, admin_id, admin_name: "Алия", admin_phone: "77012112101" };
    let payload = OperationPayload {
        bin: BIN.into(),
        msisdn: msisdn.to_string(),
        operation: cabinet_core::operator::Operation::Block,
        result_sms: None,
    };
    requests::request_operation(db, &who, &payload, "{}", now_ms()).await.unwrap().1
}

async fn scalar(db: &TestDb, sql: &'static str, key: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).bind(key).fetch_one(db.pool()).await.unwrap();
    n
}

async fn wait_until<F: AsyncFn() -> bool>(what: &str, f: F) {
    for _ in 0..300 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn a_job_killed_mid_flight_is_finished_by_the_next_process_and_happens_once() {
    let (db, active, company_id, admin_id) = seeded().await;
    let n = &active[0];
    let job = request_block(&db, &company_id, &admin_id, n).await;

    // The first process sends the request; the network takes 2 s. Kill it (SIGKILL, no
    // graceful shutdown) while the job is in flight.
    let first = cabinet_serve(&db, 2_000);
    wait_until("the request to reach the network", async || {
        scalar(&db, "SELECT COUNT(*) FROM sim_requests WHERE key = $1", &job).await == 1
    })
    .await;
    drop(first);
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM jobs WHERE id = $1 AND state = 'done'", &job).await,
        0,
        "killed mid-job"
    );

    // A new process takes the job over once its lease runs out, and finishes it.
    let second = cabinet_serve(&db, 2_000);
    wait_until("the job to finish", async || {
        scalar(&db, "SELECT COUNT(*) FROM jobs WHERE id = $1 AND state = 'done'", &job).await == 1
    })
    .await;

    let sim = Simulator::new(db.db.clone());
    let p = sim.number_profile(&Bin::parse(BIN).unwrap(), n).await.unwrap().unwrap();
    assert_eq!(p.summary.state, NumberState::Blocked);
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM sim_requests WHERE key = $1", &job).await,
        1,
        "one request at the network"
    );
    let (finished,): (i64,) = sqlx::query_as("SELECT finished_ms FROM sim_requests WHERE key = $1")
        .bind(&job)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(p.state_changed_ms, finished, "the change was applied once, when the request finished");
    let (by,): (String,) =
        sqlx::query_as("SELECT locked_by FROM jobs WHERE id = $1").bind(&job).fetch_one(db.pool()).await.unwrap();
    assert!(by.starts_with(&format!("{}-", second.0.id())), "finished by the second process, not {by}");
    let action = actions::in_period(&db, &company_id, 0, i64::MAX, 0, 10).await.unwrap().remove(0);
    assert_eq!((action.status.as_str(), action.job_id.as_deref()), ("success", Some(job.as_str())));
}

#[tokio::test]
async fn two_processes_share_the_queue_and_run_no_job_twice() {
    let (db, active, company_id, admin_id) = seeded().await;
    let batch: Vec<&Msisdn> = active.iter().take(40).collect();
    let _a = cabinet_serve(&db, 0);
    let _b = cabinet_serve(&db, 0);
    // Give both processes time to start, then enqueue the batch at once.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ids = Vec::new();
    for n in &batch {
        ids.push(request_block(&db, &company_id, &admin_id, n).await);
    }
    wait_until("the batch to finish", async || {
        scalar(&db, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND kind = $1", "operation").await == 40
    })
    .await;
    let (claims,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(attempts) AS BIGINT) FROM jobs").fetch_one(db.pool()).await.unwrap();
    assert_eq!(claims, 40, "each job claimed exactly once");
    let (requests_sent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sim_requests").fetch_one(db.pool()).await.unwrap();
    assert_eq!(requests_sent, 40);
    let workers: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT locked_by FROM jobs WHERE locked_by IS NOT NULL")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(!workers.is_empty());
    let sim = Simulator::new(db.db.clone());
    for n in batch {
        assert_eq!(
            sim.number_profile(&Bin::parse(BIN).unwrap(), n).await.unwrap().unwrap().summary.state,
            NumberState::Blocked
        );
    }
}
