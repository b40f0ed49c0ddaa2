//! The job queue and the actions history, on SQLite and PostgreSQL.

use cabinet_core::{Bin, Msisdn};
use cabinet_store::testing::test_db;
use cabinet_store::{Db, actions, admins, companies, jobs};
use std::collections::HashSet;

const T0: i64 = 1_760_000_000_000;

/// The administrator who acts in the actions-history tests (+7 701 211 21 01, «Алия»).
async fn admin_aliya(db: &Db) -> admins::Admin {
    let phone = Msisdn::parse("77012112101").unwrap();
    admins::create(db, admins::NewAdmin { phone: &phone, name: "Алия", email: None, password_hash: None }, T0)
        .await
        .unwrap()
}

async fn enqueue(db: &Db, kind: &str, run_at: i64) -> String {
    let mut tx = db.begin_write().await.unwrap();
    let id = jobs::enqueue(&mut tx, kind, "{}", 5, run_at, T0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn a_job_is_claimed_once_and_ends_done() {
    let db = test_db().await;
    let id = enqueue(&db, "block", T0).await;
    assert!(jobs::claim(&db, "w1", T0 - 1, 1000).await.unwrap().is_none(), "not due yet");
    let job = jobs::claim(&db, "w1", T0, 1000).await.unwrap().unwrap();
    assert_eq!((job.id.as_str(), job.attempts, job.state.as_str()), (id.as_str(), 1, "running"));
    assert!(jobs::claim(&db, "w2", T0, 1000).await.unwrap().is_none(), "a running job is not claimed again");
    assert!(jobs::complete(&db, &id, "w1", T0 + 10).await.unwrap());
    assert_eq!(jobs::get(&db, &id).await.unwrap().unwrap().state, "done");
    assert!(jobs::claim(&db, "w2", T0 + 5000, 1000).await.unwrap().is_none(), "a done job stays done");
}

#[tokio::test]
async fn a_lease_that_runs_out_lets_another_worker_take_the_job() {
    let db = test_db().await;
    let id = enqueue(&db, "block", T0).await;
    jobs::claim(&db, "dead-worker", T0, 1000).await.unwrap().unwrap();
    assert!(jobs::claim(&db, "w2", T0 + 999, 1000).await.unwrap().is_none());
    let again = jobs::claim(&db, "w2", T0 + 1000, 1000).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), (id.as_str(), 2));
    assert!(!jobs::complete(&db, &id, "dead-worker", T0 + 1001).await.unwrap(), "the old holder is fenced off");
    assert!(jobs::complete(&db, &id, "w2", T0 + 1001).await.unwrap());
}

#[tokio::test]
async fn requeued_jobs_wait_and_keep_or_spend_their_attempts() {
    let db = test_db().await;
    let id = enqueue(&db, "block", T0).await;
    jobs::claim(&db, "w", T0, 1000).await.unwrap().unwrap();
    assert!(jobs::requeue(&db, &id, "w", T0 + 500, None, false).await.unwrap());
    assert!(jobs::claim(&db, "w", T0 + 499, 1000).await.unwrap().is_none());
    let j = jobs::claim(&db, "w", T0 + 500, 1000).await.unwrap().unwrap();
    assert_eq!(j.attempts, 1, "waiting on the operator is not an attempt");
    assert!(jobs::requeue(&db, &id, "w", T0 + 600, Some("timeout"), true).await.unwrap());
    let j = jobs::claim(&db, "w", T0 + 600, 1000).await.unwrap().unwrap();
    assert_eq!((j.attempts, j.last_error.as_deref()), (2, Some("timeout")));
    assert!(jobs::fail(&db, &id, "w", "gave up", T0 + 700).await.unwrap());
    assert_eq!(jobs::get(&db, &id).await.unwrap().unwrap().state, "failed");
    assert_eq!(jobs::backoff_ms(1), 1000);
    assert_eq!(jobs::backoff_ms(3), 4000);
    assert_eq!(jobs::backoff_ms(50), 300_000);
}

#[tokio::test]
async fn two_processes_claiming_at_once_never_take_the_same_job() {
    let t = test_db().await;
    let mut ids = HashSet::new();
    for _ in 0..60 {
        ids.insert(enqueue(&t, "block", T0).await);
    }
    // A second pool on the same database, as a second `cabinet` process would have.
    let other = Db::connect(&t.url).await.unwrap();
    let worker = |db: Db, name: &'static str| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = jobs::claim(&db, name, T0, 60_000).await.unwrap() {
                assert!(jobs::complete(&db, &job.id, name, T0).await.unwrap());
                mine.push(job.id);
            }
            mine
        })
    };
    let handles = [
        worker(t.db.clone(), "a1"),
        worker(t.db.clone(), "a2"),
        worker(other.clone(), "b1"),
        worker(other.clone(), "b2"),
    ];
    let mut seen = Vec::new();
    for h in handles {
        seen.extend(h.await.unwrap());
    }
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), 60, "every job ran once, none twice");
    assert_eq!(unique, ids);
    other.close().await;
}

#[tokio::test]
async fn the_actions_history_is_per_company_newest_first() {
    let db = test_db().await;
    let a = companies::create(&db, &Bin::parse("940740000015").unwrap(), "A", T0).await.unwrap();
    let b = companies::create(&db, &Bin::parse("050540001331").unwrap(), "B", T0).await.unwrap();
    let admin = admin_aliya(&db).await;
    let who =
        |company_id| actions::Actor {
            company_id, admin_id: &admin.id, admin_name: "Алия", admin_phone: "77012112101"
        };
    let new = |kind, status, job_id| actions::NewAction {
        kind,
        msisdn: Some("77010000001"),
        details: "{}",
        status,
        reason: None,
        job_id,
    };
    actions::record_now(&db, &who(&a.id), &new("block", actions::FAILURE, None), T0).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let job = jobs::enqueue(&mut tx, "unblock", "{}", 5, T0, T0).await.unwrap();
    actions::record(&mut tx, &who(&a.id), &new("unblock", actions::PROCESSING, Some(&job)), T0 + 10).await.unwrap();
    tx.commit().await.unwrap();
    actions::record_now(&db, &who(&b.id), &new("block", actions::SUCCESS, None), T0 + 5).await.unwrap();

    let list = actions::in_period(&db, &a.id, T0, T0 + 100, 0, 10).await.unwrap();
    assert_eq!(list.iter().map(|x| x.kind.as_str()).collect::<Vec<_>>(), ["unblock", "block"], "A's, newest first");
    assert_eq!(list[1].finished_ms, Some(T0));
    assert!(actions::pending_on(&db, &a.id, "77010000001").await.unwrap().is_some());
    assert!(actions::pending_on(&db, &b.id, "77010000001").await.unwrap().is_none());
    actions::finish_for_job(&db, &job, actions::SUCCESS, None, T0 + 20).await.unwrap();
    assert!(actions::pending_on(&db, &a.id, "77010000001").await.unwrap().is_none());
    let done = actions::in_period(&db, &a.id, T0, T0 + 100, 0, 1).await.unwrap();
    assert_eq!((done[0].status.as_str(), done[0].finished_ms), ("success", Some(T0 + 20)));
    assert!(actions::in_period(&db, &a.id, T0 + 11, T0 + 100, 0, 10).await.unwrap().is_empty(), "the period bounds");
    assert!(actions::get(&db, &b.id, &done[0].id).await.unwrap().is_none(), "another company's id finds nothing");
}

#[tokio::test]
async fn secret_codes_are_issued_replaced_and_deleted_per_company() {
    use cabinet_store::{outbox, secret_codes, settings};
    let db = test_db().await;
    let secret = settings::server_secret(&db).await.unwrap();
    let a = companies::create(&db, &Bin::parse("940740000015").unwrap(), "A", T0).await.unwrap();
    let b = companies::create(&db, &Bin::parse("050540001331").unwrap(), "B", T0).await.unwrap();
    let admin = admin_aliya(&db).await;
    let who =
        actions::Actor { company_id: &a.id, admin_id: &admin.id, admin_name: "Алия", admin_phone: "77012112101" };
    let n = "77010000001";
    let none = actions::number_records(&db, &a.id, n).await.unwrap();
    assert_eq!(none, actions::NumberRecords { latest: None, secret_code_ms: None }, "a number with no records");
    secret_codes::issue(&db, &secret, &who, n, "11112222", "code 11112222", T0).await.unwrap();
    // What the profile reads in one statement: the latest action and the code's time.
    let records = actions::number_records(&db, &a.id, n).await.unwrap();
    assert_eq!(records.secret_code_ms, Some(T0));
    assert_eq!(records.latest.as_ref().map(|x| x.kind.as_str()), Some("secret_code_sent"));
    assert_eq!(records.latest, actions::latest_on(&db, &a.id, n).await.unwrap());
    let other = actions::number_records(&db, &b.id, n).await.unwrap();
    assert_eq!(other, actions::NumberRecords::default(), "another company's number records nothing");
    assert!(secret_codes::matches(&db, &secret, &a.id, n, "11112222").await.unwrap());
    assert!(!secret_codes::matches(&db, &secret, &a.id, n, "11112223").await.unwrap());
    assert!(!secret_codes::matches(&db, &secret, &b.id, n, "11112222").await.unwrap(), "another company's");
    assert_eq!(secret_codes::issued_at(&db, &a.id, n).await.unwrap(), Some(T0));
    assert_eq!(outbox::latest(&db, 10).await.unwrap()[0].recipient, n, "the SMS went with the code");

    secret_codes::issue(&db, &secret, &who, n, "33334444", "code 33334444", T0 + 1).await.unwrap();
    assert!(!secret_codes::matches(&db, &secret, &a.id, n, "11112222").await.unwrap(), "the old code stops working");
    assert!(secret_codes::matches(&db, &secret, &a.id, n, "33334444").await.unwrap());
    assert!(secret_codes::delete(&db, &who, n, T0 + 2).await.unwrap());
    assert!(!secret_codes::delete(&db, &who, n, T0 + 3).await.unwrap(), "nothing left to delete");
    assert!(!secret_codes::matches(&db, &secret, &a.id, n, "33334444").await.unwrap());
    let records = actions::number_records(&db, &a.id, n).await.unwrap();
    assert_eq!(records.secret_code_ms, None, "the code is gone");
    assert_eq!(records.latest.map(|x| (x.kind, x.status)), Some(("secret_code_deleted".into(), "failure".into())));
    let history = actions::in_period(&db, &a.id, 0, i64::MAX, 0, 10).await.unwrap();
    let kinds: Vec<_> = history.iter().map(|x| (x.kind.as_str(), x.status.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("secret_code_deleted", "failure"),
            ("secret_code_deleted", "success"),
            ("secret_code_sent", "success"),
            ("secret_code_sent", "success")
        ]
    );
}

#[tokio::test]
async fn an_export_walks_a_period_page_by_page_through_equal_times() {
    let db = test_db().await;
    let a = companies::create(&db, &Bin::parse("940740000015").unwrap(), "A", T0).await.unwrap();
    let admin = admin_aliya(&db).await;
    let who =
        actions::Actor { company_id: &a.id, admin_id: &admin.id, admin_name: "Алия", admin_phone: "77012112101" };
    let new = actions::NewAction {
        kind: "block",
        msisdn: Some("77010000001"),
        details: "{}",
        status: actions::SUCCESS,
        reason: None,
        job_id: None,
    };
    // 23 actions, three at each moment, so that pages break inside a moment.
    for i in 0..23 {
        actions::record_now(&db, &who, &new, T0 + i / 3).await.unwrap();
    }
    let all = actions::in_period(&db, &a.id, T0, T0 + 100, 0, 100).await.unwrap();
    let mut walked = Vec::new();
    let mut cursor = None;
    loop {
        let page = actions::in_period_after(&db, &a.id, T0, T0 + 100, cursor.as_ref(), 5).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some((last.created_ms, last.id.clone()));
        walked.extend(page);
    }
    assert_eq!(walked.len(), 23);
    assert_eq!(walked, all, "the same actions in the same order, each once");
    let bounded = actions::in_period_after(&db, &a.id, T0 + 2, T0 + 4, None, 100).await.unwrap();
    assert_eq!(bounded.len(), 6, "the period bounds the walk");
}
