//! A fresh, migrated store for each test, on the engine that `CABINET_TEST_DATABASE_URL`
//! names: unset (or `sqlite`) gives a SQLite file in a temporary folder; `postgres://…` gives
//! a new database on that server, dropped when the test ends. Tests can then run in parallel.

use crate::{Db, Dialect, ids};
use sqlx::{AssertSqlSafe, Executor};

pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl std::ops::Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// The engine the test suite runs on, as named by the environment.
pub fn engine_url() -> Option<String> {
    std::env::var("CABINET_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// A new empty database (no migrations run) and its URL.
pub async fn empty_db() -> TestDb {
    match engine_url() {
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let db = Db::connect(&url).await.expect("open SQLite");
            TestDb { db, url, _dir: Some(dir), pg_drop: None }
        }
        Some(server) => {
            let name = format!("cabinet_t_{}", ids::random_hex(6));
            let admin = Db::connect(&server).await.expect("connect to PostgreSQL");
            admin.pool().execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create test database");
            admin.close().await;
            let url = with_database(&server, &name);
            let db = Db::connect(&url).await.expect("connect to test database");
            assert_eq!(db.dialect(), Dialect::Postgres);
            TestDb { db, url, _dir: None, pg_drop: Some((server, name)) }
        }
    }
}

/// A new database with Cabinet's migrations applied.
pub async fn test_db() -> TestDb {
    let t = empty_db().await;
    t.db.migrate().await.expect("migrate");
    t
}

fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg_drop.take() {
            // Dropping needs async I/O; a short-lived thread with its own runtime does it
            // whatever runtime (or none) the test is in. FORCE ends the test's own
            // connections, whose pool belongs to the test's (now blocked) runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Db::connect(&server).await {
                        let _ = admin
                            .pool()
                            .execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                            .await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1/test?sslmode=disable", "x"),
            "postgres://127.0.0.1/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://127.0.0.1", "x"), "postgres://127.0.0.1/x");
    }
}
