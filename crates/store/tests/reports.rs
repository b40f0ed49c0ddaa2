//! Reports: the request and its job together, reads scoped by company and administrator,
//! the file in chunks, and expiry, on SQLite and PostgreSQL.

use cabinet_core::{Bin, Msisdn};
use cabinet_store::jobs::{self, kinds};
use cabinet_store::reports::{self, FileInfo, NewReport, Owner};
use cabinet_store::testing::test_db;
use cabinet_store::{Db, admins, companies};

const T0: i64 = 1_760_000_000_000;

async fn admin(db: &Db, phone: &str, email: Option<&str>) -> admins::Admin {
    let phone = Msisdn::parse(phone).unwrap();
    admins::create(db, admins::NewAdmin { phone: &phone, name: "Алия", email, password_hash: None }, T0).await.unwrap()
}

fn usage<'a>(params: &'a str) -> NewReport<'a> {
    NewReport { kind: "usage", params, title: "Детализация", locale: "ru" }
}

#[tokio::test]
async fn a_report_comes_with_its_job_and_only_its_owner_reads_it() {
    let db = test_db().await;
    let a = companies::create(&db, &Bin::parse("940740000015").unwrap(), "A", T0).await.unwrap();
    let b = companies::create(&db, &Bin::parse("050540001331").unwrap(), "B", T0).await.unwrap();
    let alice = admin(&db, "77012112101", Some("alice@example.kz")).await;
    let bob = admin(&db, "77752223344", None).await;
    let owner = Owner { company_id: &a.id, admin_id: &alice.id };
    let id = reports::request(&db, owner, &usage("{\"x\":1}"), T0).await.unwrap();

    let job = jobs::claim(&db, "w", T0, 1000).await.unwrap().expect("its job");
    assert_eq!(job.kind, kinds::REPORT);
    let p: kinds::ReportPayload = serde_json::from_str(&job.payload).unwrap();
    assert_eq!(p.report_id, id);
    assert_eq!(job.max_attempts, reports::ATTEMPTS);

    let mine = reports::get_for(&db, owner, &id).await.unwrap().expect("the owner sees it");
    assert_eq!(
        (mine.state.as_str(), mine.params.as_str(), mine.job_id.as_str()),
        (reports::QUEUED, "{\"x\":1}", job.id.as_str())
    );
    assert_eq!(mine.expires_ms, T0 + reports::KEEP_MS);
    assert_eq!(reports::list_for(&db, owner, 10).await.unwrap().len(), 1);
    // Another administrator of the same company, the same administrator in another company.
    for other in [Owner { company_id: &a.id, admin_id: &bob.id }, Owner { company_id: &b.id, admin_id: &alice.id }] {
        assert!(reports::get_for(&db, other, &id).await.unwrap().is_none());
        assert!(reports::list_for(&db, other, 10).await.unwrap().is_empty());
    }
    assert!(reports::get_for(&db, owner, "not an id").await.unwrap().is_none());

    let found = reports::for_job(&db, &id).await.unwrap().unwrap();
    assert_eq!((found.bin.as_str(), found.email.as_deref()), ("940740000015", Some("alice@example.kz")));
}

#[tokio::test]
async fn a_ready_reports_file_reads_back_chunk_by_chunk_and_expiry_removes_it() {
    let db = test_db().await;
    let a = companies::create(&db, &Bin::parse("940740000015").unwrap(), "A", T0).await.unwrap();
    let alice = admin(&db, "77012112101", None).await;
    let owner = Owner { company_id: &a.id, admin_id: &alice.id };
    let id = reports::request(&db, owner, &usage("{}"), T0).await.unwrap();
    let failed = reports::request(&db, owner, &usage("{}"), T0).await.unwrap();
    let file: Vec<u8> = (0..(reports::CHUNK_BYTES * 2 + 10)).map(|i| (i % 251) as u8).collect();

    reports::mark_running(&db, &id).await.unwrap();
    assert_eq!(reports::get_for(&db, owner, &id).await.unwrap().unwrap().state, reports::RUNNING);
    let mut tx = db.begin_write().await.unwrap();
    for (i, part) in file.chunks(reports::CHUNK_BYTES).enumerate() {
        reports::store_chunk_in(&mut tx, &id, i as i64, part).await.unwrap();
    }
    let info = FileInfo { size_bytes: file.len() as i64, file_name: "usage.xlsx", content_type: "application/x" };
    reports::mark_ready_in(&mut tx, &id, &info, T0 + 100).await.unwrap();
    reports::mark_failed_in(&mut tx, &failed, "operator_unavailable", T0 + 5).await.unwrap();
    tx.commit().await.unwrap();

    let ready = reports::get_for(&db, owner, &id).await.unwrap().unwrap();
    assert_eq!(
        (ready.state.as_str(), ready.size_bytes, ready.finished_ms),
        (reports::READY, Some(file.len() as i64), Some(T0 + 100))
    );
    assert_eq!(ready.expires_ms, T0 + 100 + reports::KEEP_MS, "kept from when it was ready");
    let mut back = Vec::new();
    let mut pos = 0;
    while let Some(part) = reports::chunk(&db, &id, pos).await.unwrap() {
        assert!(part.len() <= reports::CHUNK_BYTES);
        back.extend(part);
        pos += 1;
    }
    assert_eq!((pos, back == file), (3, true));
    let f = reports::get_for(&db, owner, &failed).await.unwrap().unwrap();
    assert_eq!((f.state.as_str(), f.error.as_deref()), (reports::FAILED, Some("operator_unavailable")));

    // The failed one expires first; then the ready one with its chunks.
    assert_eq!(reports::delete_expired(&db, T0 + 50 + reports::KEEP_MS).await.unwrap(), 1);
    assert!(reports::get_for(&db, owner, &failed).await.unwrap().is_none());
    assert!(reports::get_for(&db, owner, &id).await.unwrap().is_some());
    assert_eq!(reports::delete_expired(&db, T0 + 101 + reports::KEEP_MS).await.unwrap(), 1);
    assert!(reports::get_for(&db, owner, &id).await.unwrap().is_none());
    assert!(reports::chunk(&db, &id, 0).await.unwrap().is_none(), "the file went with it");
}
