//! The job worker itself: a panicking job fails alone and the worker goes on; a job whose
//! holder died on its last attempt is failed, not run again; a long job keeps its short
//! lease while its worker lives.

use crate::helpers::ALICE;
use async_trait::async_trait;
use cabinet::worker::Worker;
use cabinet_core::operator::{
    EsimActivation, MatchCount, NumberPage, NumberProfile, NumberQuery, NumberState, Operation, OperationState,
    OperatorPort, OperatorResult, TransferDone, TransferRefusal,
};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};
use cabinet_delivery::{Channel, Channels, Envelope, SendError};
use cabinet_store::jobs::kinds::OperationPayload;
use cabinet_store::jobs::kinds::ResultSms;
use cabinet_store::outbox::{self, Outgoing};
use cabinet_store::{Db, actions, admins, companies, jobs, requests};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A channel whose code crashes.
struct Panicking;

#[async_trait]
impl Channel for Panicking {
    async fn send(&self, _: &Envelope<'_>) -> Result<(), SendError> {
        panic!("a bug in a channel");
    }
}

/// A channel that takes its time, and counts what it sent.
struct Slow(Duration, AtomicUsize);

#[async_trait]
impl Channel for Slow {
    async fn send(&self, _: &Envelope<'_>) -> Result<(), SendError> {
        tokio::time::sleep(self.0).await;
        self.1.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn worker(db: &Db, name: &str, lease_ms: i64, channels: Channels) -> Worker {
    Worker {
        db: db.clone(),
        operator: Arc::new(cabinet_sim::Simulator::new(db.clone())) as Arc<dyn OperatorPort>,
        channels,
        id: name.into(),
        lease_ms,
        poll_ms: 50,
        wake: Default::default(),
        pulse: Default::default(),
        zone: cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap(),
        legal: cabinet_web::OperatorLegal::default(),
    }
}

#[tokio::test]
async fn a_panicking_job_fails_alone_and_the_worker_goes_on() {
    let db = cabinet_store::testing::test_db().await;
    let w = worker(&db, "w", 10_000, Channels { sms: Some(Arc::new(Panicking)), email: None });
    let t = now_ms();
    let sms = outbox::enqueue(&db, &Outgoing::sms(ALICE, "boom"), t).await.unwrap();
    let mail = outbox::enqueue(&db, &Outgoing::email("a@example.kz", "Hi", "after the panic"), t + 1).await.unwrap();

    assert!(w.run_once().await.unwrap(), "the panicking job ran");
    let failed = outbox::get(&db, &sms).await.unwrap().unwrap();
    assert_eq!(failed.state, outbox::FAILED);
    assert_eq!(failed.last_error.as_deref(), Some("the job panicked"));

    assert!(w.run_once().await.unwrap(), "the worker took the next job");
    assert_eq!(outbox::get(&db, &mail).await.unwrap().unwrap().state, outbox::KEPT);
    let (failed_jobs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE state = 'failed'").fetch_one(db.pool()).await.unwrap();
    assert_eq!(failed_jobs, 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_on_its_last_attempt_is_failed_not_run_again() {
    let (db, job_id) = a_requested_block(None).await;
    // A worker claimed it for the last time and died: its lease has run out.
    sqlx::query(
        "UPDATE jobs SET state = 'running', attempts = max_attempts, locked_by = 'dead', locked_until_ms = 1 WHERE id = $1",
    )
    .bind(&job_id)
    .execute(db.pool())
    .await
    .unwrap();
    let w = worker(&db, "w", 10_000, Channels::default());
    assert!(w.run_once().await.unwrap());
    let job = jobs::get(&db, &job_id).await.unwrap().unwrap();
    assert_eq!(job.state, jobs::FAILED);
    let (sent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sim_requests WHERE key = $1")
        .bind(&job_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sent, 0, "not sent to the operator again");
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, reason FROM actions WHERE job_id = $1")
            .bind(&job_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!((status.as_str(), reason.as_deref()), (actions::FAILURE, Some("operator_unavailable")));
    assert!(!w.run_once().await.unwrap(), "and it is not claimed again");
}

#[tokio::test]
async fn a_long_job_keeps_its_short_lease_while_its_worker_lives() {
    let db = cabinet_store::testing::test_db().await;
    let slow = Arc::new(Slow(Duration::from_millis(1500), AtomicUsize::new(0)));
    let channels = Channels { sms: Some(slow.clone()), email: None };
    let a = worker(&db, "a", 300, channels.clone());
    let b = worker(&db, "b", 300, channels);
    let id = outbox::enqueue(&db, &Outgoing::sms(ALICE, "slow"), now_ms()).await.unwrap();

    let running = tokio::spawn(async move { a.run_once().await.unwrap() });
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!b.run_once().await.unwrap(), "the job is not taken over from a living worker");
    }
    assert!(running.await.unwrap());
    assert_eq!(slow.1.load(Ordering::SeqCst), 1, "sent once");
    assert_eq!(outbox::get(&db, &id).await.unwrap().unwrap().state, outbox::SENT);
}

/// A store with one company of five numbers and a block requested on the first (with a
/// result SMS when given); returns the job's id.
async fn a_requested_block(result_sms: Option<ResultSms>) -> (cabinet_store::testing::TestDb, String) {
    let db = cabinet_store::testing::test_db().await;
    cabinet_sim::Simulator::new(db.clone()).migrate().await.unwrap();
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    let bin = cabinet_core::Bin::parse(crate::helpers::BIN_A).unwrap();
    cabinet::commands::seed(&db, &bin, "ТОО «Альфа»", 5, 3, &zone).await.unwrap();
    let company = companies::by_bin(&db, &bin).await.unwrap().unwrap();
    let phone = cabinet_core::Msisdn::parse(ALICE).unwrap();
    let admin =
        admins::create(&db, admins::NewAdmin { phone: &phone, name: "Алия", email: None, password_hash: None }, 0)
            .await
            .unwrap();
    let sim = cabinet_sim::Simulator::new(db.clone());
    let q = cabinet_core::operator::NumberQuery { limit: 10, ..Default::default() };
    let page = sim.list_numbers(&bin, &q).await.unwrap();
    let n = page.items.iter().find(|n| n.state == NumberState::Active).expect("an active number").msisdn.to_string();
    let who =
        actions::Actor { company_id: &company.id, admin_id: &admin.id, admin_name: "Алия", admin_phone: ALICE };
    let payload = OperationPayload {
        bin: bin.to_string(),
        msisdn: n,
        operation: cabinet_core::operator::Operation::Block,
        result_sms,
    };
    let (_, job_id) = requests::request_operation(&db, &who, &payload, "{}", now_ms()).await.unwrap();
    (db, job_id)
}

/// The simulator, but while the network answers "done", another worker takes the job over
/// (as when this worker stalled past its lease).
struct LeaseThief {
    sim: cabinet_sim::Simulator,
    db: Db,
    stolen: AtomicUsize,
}

#[async_trait]
impl OperatorPort for LeaseThief {
    async fn customer_name(&self, customer: &Bin) -> OperatorResult<Option<String>> {
        self.sim.customer_name(customer).await
    }

    async fn number_count(&self, c: &Bin) -> OperatorResult<u64> {
        self.sim.number_count(c).await
    }
    async fn list_numbers(&self, c: &Bin, q: &NumberQuery) -> OperatorResult<NumberPage> {
        self.sim.list_numbers(c, q).await
    }
    async fn count_matches(&self, c: &Bin, d: &str, cap: u64) -> OperatorResult<MatchCount> {
        self.sim.count_matches(c, d, cap).await
    }
    async fn number_profile(&self, c: &Bin, m: &Msisdn) -> OperatorResult<Option<NumberProfile>> {
        self.sim.number_profile(c, m).await
    }
    async fn issue_esim(&self, c: &Bin, m: &Msisdn) -> OperatorResult<Result<EsimActivation, String>> {
        self.sim.issue_esim(c, m).await
    }
    async fn submit(&self, c: &Bin, m: &Msisdn, op: &Operation, key: &str) -> OperatorResult<OperationState> {
        let answer = self.sim.submit(c, m, op, key).await?;
        if answer == OperationState::Done {
            sqlx::query("UPDATE jobs SET locked_by = 'another-worker' WHERE id = $1")
                .bind(key)
                .execute(self.db.pool())
                .await
                .unwrap();
            self.stolen.fetch_add(1, Ordering::SeqCst);
        }
        Ok(answer)
    }

    async fn transfer(
        &self,
        c: &Bin,
        from: &Msisdn,
        to: &Msisdn,
        amount: cabinet_core::Money,
        key: &str,
    ) -> OperatorResult<Result<TransferDone, TransferRefusal>> {
        self.sim.transfer(c, from, to, amount, key).await
    }

    async fn balance_moves(
        &self,
        c: &Bin,
        m: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<Vec<cabinet_core::operator::BalanceMove>>> {
        self.sim.balance_moves(c, m, from_ms, to_ms).await
    }

    async fn usage(
        &self,
        c: &Bin,
        m: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<cabinet_core::operator::UsageReport>> {
        self.sim.usage(c, m, from_ms, to_ms).await
    }

    async fn invoices(
        &self,
        c: &Bin,
        q: &cabinet_core::operator::InvoiceQuery,
    ) -> OperatorResult<Vec<cabinet_core::operator::Invoice>> {
        self.sim.invoices(c, q).await
    }

    async fn invoice(&self, c: &Bin, number: &str) -> OperatorResult<Option<cabinet_core::operator::InvoiceDocument>> {
        self.sim.invoice(c, number).await
    }
    async fn unallocated_payments(&self, c: &Bin) -> OperatorResult<Vec<cabinet_core::operator::UnallocatedPayment>> {
        self.sim.unallocated_payments(c).await
    }
    async fn payments(
        &self,
        c: &Bin,
        q: &cabinet_core::operator::PaymentQuery,
    ) -> OperatorResult<Vec<cabinet_core::operator::Payment>> {
        self.sim.payments(c, q).await
    }
    async fn invoice_register(
        &self,
        c: &Bin,
        q: &cabinet_core::operator::RegisterQuery,
    ) -> OperatorResult<Vec<cabinet_core::operator::Invoice>> {
        self.sim.invoice_register(c, q).await
    }
    async fn settlement(&self, c: &Bin, bounds: &[i64]) -> OperatorResult<cabinet_core::operator::Settlement> {
        self.sim.settlement(c, bounds).await
    }
    async fn roaming_package_days(
        &self,
        c: &Bin,
        period: (i64, i64),
        after: Option<&str>,
        numbers: u32,
    ) -> OperatorResult<cabinet_core::operator::RoamingPackagePage> {
        self.sim.roaming_package_days(c, period, after, numbers).await
    }
    async fn number_list_rows(
        &self,
        c: &Bin,
        after: Option<&Msisdn>,
        limit: u32,
    ) -> OperatorResult<Vec<cabinet_core::operator::NumberListRow>> {
        self.sim.number_list_rows(c, after, limit).await
    }
    async fn device_registrations(
        &self,
        c: &Bin,
        after: Option<&cabinet_core::operator::DeviceCursor>,
        limit: u32,
    ) -> OperatorResult<Vec<cabinet_core::operator::DeviceRegistration>> {
        self.sim.device_registrations(c, after, limit).await
    }
}

#[tokio::test]
async fn a_worker_that_lost_its_lease_writes_none_of_the_outcome() {
    let sms = ResultSms { done: "Номер заблокирован".into(), failed: "Не удалось".into() };
    let (db, job_id) = a_requested_block(Some(sms)).await;
    let thief = Arc::new(LeaseThief {
        sim: cabinet_sim::Simulator::new(db.clone()).with_behaviour(cabinet_sim::Behaviour {
            delay_ms: 0,
            failure_rate: 0.0,
            transfer_delay_ms: 0,
        }),
        db: db.db.clone(),
        stolen: AtomicUsize::new(0),
    });
    let mut w = worker(&db, "w", 10_000, Channels::default());
    w.operator = thief.clone();
    for _ in 0..50 {
        if thief.stolen.load(Ordering::SeqCst) > 0 {
            break;
        }
        w.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(thief.stolen.load(Ordering::SeqCst), 1, "the network answered done once");
    // The job belongs to the other worker now: this one's outcome, SMS and end are not
    // written (the other worker asks the network again and writes them once).
    assert!(outbox::latest(&db, 10).await.unwrap().is_empty(), "no result SMS from the worker that lost the job");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM actions WHERE job_id = $1")
        .bind(&job_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(status, "processing");
    let job = jobs::get(&db, &job_id).await.unwrap().unwrap();
    assert_eq!(job.state, jobs::RUNNING, "still the other worker's");
}
