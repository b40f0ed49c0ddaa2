//! `Db::select`, the read path of the hot pages: the same answers on SQLite (its own
//! connections) and PostgreSQL (its own pipelined connections), and what a write just
//! committed is seen at once.

use cabinet_core::Bin;
use cabinet_store::testing::test_db;
use cabinet_store::{Dialect, companies};

const T0: i64 = 1_760_000_000_000;

#[tokio::test]
async fn a_select_sees_what_was_just_written() {
    let db = test_db().await;
    let bin = Bin::parse("940740000015").unwrap();
    let name = || db.select("SELECT name FROM companies WHERE bin = $1").text("940740000015").optional(|r| r.text(0));
    assert_eq!(name().await.unwrap(), None);
    companies::create(&db, &bin, "Bench LLP", T0).await.unwrap();
    assert_eq!(name().await.unwrap().as_deref(), Some("Bench LLP"));
}

#[tokio::test]
async fn placeholders_are_bound_by_number_whatever_their_order() {
    let db = test_db().await;
    companies::create(&db, &Bin::parse("940740000015").unwrap(), "First", T0).await.unwrap();
    companies::create(&db, &Bin::parse("971240001315").unwrap(), "Second", T0 + 1).await.unwrap();
    // $2 comes first in the text: SQLite's own `$N` numbering would swap the two.
    let names = db
        .select("SELECT name, created_ms FROM companies WHERE created_ms >= $2 AND name <> $1 ORDER BY name")
        .text("Second")
        .int(T0)
        .all(|r| Ok((r.text(0)?, r.int(1)?)))
        .await
        .unwrap();
    assert_eq!(names, vec![("First".to_string(), T0)]);
    let null = db.select("SELECT COUNT(*) FROM companies WHERE name = $1").opt_text(None).one(|r| r.int(0)).await;
    assert_eq!(null.unwrap(), 0, "NULL equals nothing");
    let missing = db.select("SELECT name FROM companies WHERE bin = $1").text("000000000000").one(|r| r.text(0)).await;
    assert!(missing.is_err(), "one() of no rows is an error");
}

#[tokio::test]
async fn select_connections_do_not_write_on_sqlite() {
    let db = test_db().await;
    if db.dialect() != Dialect::Sqlite {
        return;
    }
    let bin = Bin::parse("940740000015").unwrap();
    companies::create(&db, &bin, "Kept", T0).await.unwrap();
    let r = db.select("DELETE FROM companies WHERE bin = $1").text(bin.as_str()).optional(|_| Ok(())).await;
    assert!(r.is_err(), "a read connection refuses writes");
    assert!(companies::by_bin(&db, &bin).await.unwrap().is_some());
}

#[tokio::test]
async fn a_select_stopped_early_holds_no_read_transaction_on_sqlite() {
    let db = test_db().await;
    if db.dialect() != Dialect::Sqlite {
        return;
    }
    companies::create(&db, &Bin::parse("940740000015").unwrap(), "First", T0).await.unwrap();
    companies::create(&db, &Bin::parse("971240001315").unwrap(), "Second", T0 + 1).await.unwrap();
    // optional() stops after the first of two rows: the statement must still be reset, or its
    // read transaction would pin the WAL and no checkpoint could ever empty it.
    let first = db.select("SELECT name FROM companies ORDER BY name").optional(|r| r.text(0)).await.unwrap();
    assert_eq!(first.as_deref(), Some("First"));
    companies::create(&db, &Bin::parse("050540001331").unwrap(), "Third", T0 + 2).await.unwrap();
    let (busy, _, _): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(db.pool()).await.unwrap();
    assert_eq!(busy, 0, "a reader held the WAL");
}

#[tokio::test]
async fn a_select_survives_the_server_closing_its_connections_on_postgres() {
    let db = test_db().await;
    if db.dialect() != Dialect::Postgres {
        return;
    }
    companies::create(&db, &Bin::parse("940740000015").unwrap(), "Kept", T0).await.unwrap();
    let name = || db.select("SELECT name FROM companies WHERE bin = $1").text("940740000015").one(|r| r.text(0));
    assert_eq!(name().await.unwrap(), "Kept");
    // As a server restart would: every other connection to this database is ended.
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(db.pool())
    .await
    .unwrap();
    // Each of the kept connections is replaced at its next read.
    for _ in 0..4 {
        assert_eq!(name().await.unwrap(), "Kept", "the kept connection is replaced, the read answered");
    }
}

#[tokio::test]
async fn selects_made_at_once_each_get_their_own_answer() {
    let db = test_db().await;
    // On PostgreSQL these share connections, their queries written one after another on
    // each: an answer given to the wrong query would show as another number.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..300i64 {
        let db = db.db.clone();
        set.spawn(async move {
            let sql = if i % 2 == 0 { "SELECT $1 * 2, $2" } else { "SELECT $1 * 3, $2 || 'x'" };
            (i, db.select(sql).int(i).text(i.to_string()).one(|r| Ok((r.int(0)?, r.text(1)?))).await.unwrap())
        });
    }
    let answers = set.join_all().await;
    assert_eq!(answers.len(), 300);
    for (i, (n, s)) in answers {
        if i % 2 == 0 {
            assert_eq!((n, s), (i * 2, i.to_string()));
        } else {
            assert_eq!((n, s), (i * 3, format!("{i}x")));
        }
    }
}

#[tokio::test]
async fn a_select_given_up_half_way_leaves_the_next_ones_right_on_postgres() {
    let db = test_db().await;
    if db.dialect() != Dialect::Postgres {
        return;
    }
    // A request cancelled while its query runs (the client went away): its answer arrives
    // later on the shared connection and must not be taken for another query's.
    for _ in 0..4 {
        let slow = db.select("SELECT 'slow', pg_sleep(0.2)::TEXT").one(|r| r.text(0));
        assert!(tokio::time::timeout(std::time::Duration::from_millis(20), slow).await.is_err());
    }
    for i in 0..8i64 {
        let n = db.select("SELECT $1 + 1").int(i).one(|r| r.int(0)).await.unwrap();
        assert_eq!(n, i + 1);
    }
}

#[tokio::test]
async fn prepared_statements_kept_on_postgres_are_bounded() {
    let db = test_db().await;
    if db.dialect() != Dialect::Postgres {
        return;
    }
    // Each text is a statement of its own, prepared on the connection it runs on.
    for i in 0..700 {
        let n = db.select(format!("SELECT {i} + $1")).int(1).one(|r| r.int(0)).await.unwrap();
        assert_eq!(n, i + 1);
    }
    // Asked often enough to be asked on every reading connection.
    for _ in 0..4 {
        let kept = db.select("SELECT COUNT(*) FROM pg_prepared_statements").one(|r| r.int(0)).await.unwrap();
        assert!((1..=300).contains(&kept), "{kept} statements kept on one connection");
    }
}
