//! The outbox: a message and its delivery job are written together; its delivery state,
//! the redaction of secrets, attachments and purging, on SQLite and PostgreSQL.

use cabinet_store::jobs::{self, kinds};
use cabinet_store::outbox::{self, Attachment, Outgoing};
use cabinet_store::testing::test_db;

const T0: i64 = 1_760_000_000_000;

#[tokio::test]
async fn a_message_comes_with_its_delivery_job_and_lists_newest_first() {
    let db = test_db().await;
    let first = outbox::enqueue(&db, &Outgoing::sms("77012112101", "first"), T0).await.unwrap();
    let second = outbox::enqueue(&db, &Outgoing::email("a@example.kz", "Код", "second"), T0 + 1).await.unwrap();
    let msgs = outbox::latest(&db, 10).await.unwrap();
    assert_eq!(msgs.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["second", "first"]);
    assert_eq!(msgs[0].subject.as_deref(), Some("Код"));
    assert!(msgs.iter().all(|m| m.state == outbox::PENDING && m.attempts == 0));

    let mut delivered = Vec::new();
    while let Some(job) = jobs::claim(&db, "w", T0 + 5, 1000).await.unwrap() {
        assert_eq!(job.kind, kinds::DELIVER);
        let p: kinds::DeliverPayload = serde_json::from_str(&job.payload).unwrap();
        delivered.push(p.message_id);
    }
    delivered.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(delivered, expected, "one delivery job per message");
}

#[tokio::test]
async fn a_message_rolled_back_with_its_cause_leaves_no_job() {
    let db = test_db().await;
    let mut tx = db.begin_write().await.unwrap();
    outbox::enqueue_in(&mut tx, &Outgoing::sms("77012112101", "never"), T0).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(outbox::latest(&db, 10).await.unwrap().is_empty());
    assert!(jobs::claim(&db, "w", T0, 1000).await.unwrap().is_none());
}

#[tokio::test]
async fn a_delivered_secret_is_not_kept_readable() {
    let db = test_db().await;
    let code = outbox::enqueue(&db, &Outgoing::sms("77012112101", "Код: 123456").secret(), T0).await.unwrap();
    let plain = outbox::enqueue(&db, &Outgoing::sms("77012112101", "Номер заблокирован"), T0).await.unwrap();
    for id in [&code, &plain] {
        let mut tx = db.begin_write().await.unwrap();
        outbox::record_sent(&mut tx, id, T0 + 10).await.unwrap();
        tx.commit().await.unwrap();
    }
    let code = outbox::get(&db, &code).await.unwrap().unwrap();
    assert_eq!((code.state.as_str(), code.attempts, code.sent_ms), (outbox::SENT, 1, Some(T0 + 10)));
    assert!(code.redacted && !code.body.contains("123456"), "the code is gone: {:?}", code.body);
    let plain = outbox::get(&db, &plain).await.unwrap().unwrap();
    assert!(!plain.redacted);
    assert_eq!(plain.body, "Номер заблокирован");
}

#[tokio::test]
async fn failures_are_counted_and_visible() {
    let db = test_db().await;
    let id = outbox::enqueue(&db, &Outgoing::sms("77012112101", "text"), T0).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    outbox::record_failure(&mut tx, &id, "SMS gateway answered 503", false).await.unwrap();
    tx.commit().await.unwrap();
    let m = outbox::get(&db, &id).await.unwrap().unwrap();
    assert_eq!(
        (m.state.as_str(), m.attempts, m.last_error.as_deref()),
        (outbox::PENDING, 1, Some("SMS gateway answered 503"))
    );
    let mut tx = db.begin_write().await.unwrap();
    outbox::record_failure(&mut tx, &id, "refused", true).await.unwrap();
    tx.commit().await.unwrap();
    let m = outbox::get(&db, &id).await.unwrap().unwrap();
    assert_eq!((m.state.as_str(), m.attempts), (outbox::FAILED, 2));
    let counts = outbox::count_by_state(&db).await.unwrap();
    assert_eq!(counts, vec![(outbox::FAILED.to_string(), 1)]);
}

#[tokio::test]
async fn attachments_travel_with_their_message_until_it_is_sent() {
    let db = test_db().await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_003).collect();
    let files = [
        Attachment {
            file_name: "Акт сверки.pdf".into(),
            content_type: "application/pdf".into(),
            content: bytes.clone(),
        },
        Attachment { file_name: "empty.txt".into(), content_type: "text/plain".into(), content: vec![] },
    ];
    let id =
        outbox::enqueue(&db, &Outgoing::email("a@example.kz", "Отчёт", "См. вложение").with_attachments(&files), T0)
            .await
            .unwrap();
    assert_eq!(outbox::attachments(&db, &id).await.unwrap(), files.to_vec());
    let mut tx = db.begin_write().await.unwrap();
    outbox::record_sent(&mut tx, &id, T0).await.unwrap();
    tx.commit().await.unwrap();
    assert!(outbox::attachments(&db, &id).await.unwrap().is_empty(), "a sent file is not kept twice");
}

#[tokio::test]
async fn old_messages_are_purged_and_kept_secrets_erased() {
    let db = test_db().await;
    let old_sent = outbox::enqueue(&db, &Outgoing::sms("77012112101", "old"), T0).await.unwrap();
    let old_pending = outbox::enqueue(&db, &Outgoing::sms("77012112101", "still trying"), T0).await.unwrap();
    let kept_code = outbox::enqueue(&db, &Outgoing::sms("77012112101", "Код: 654321").secret(), T0 + 50).await.unwrap();
    let recent = outbox::enqueue(&db, &Outgoing::sms("77012112101", "recent"), T0 + 100).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    outbox::record_sent(&mut tx, &old_sent, T0 + 1).await.unwrap();
    outbox::record_kept(&mut tx, &kept_code).await.unwrap();
    outbox::record_sent(&mut tx, &recent, T0 + 101).await.unwrap();
    tx.commit().await.unwrap();

    outbox::purge(&db, T0 + 10, T0 + 60).await.unwrap();
    assert!(outbox::get(&db, &old_sent).await.unwrap().is_none(), "delivered long ago: gone");
    assert!(outbox::get(&db, &old_pending).await.unwrap().is_some(), "a message still being tried stays");
    assert!(outbox::get(&db, &recent).await.unwrap().is_some());
    let kept = outbox::get(&db, &kept_code).await.unwrap().unwrap();
    assert!(kept.redacted && kept.body.is_empty(), "a code left in the dev outbox is erased");
}
