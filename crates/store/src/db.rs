//! The connection pool and the few places where SQLite and PostgreSQL differ.

use crate::StoreResult;
use crate::error::StoreError;
use crate::pg_readers::PgReaders;
use crate::select::Readers;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection, Executor};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The store: one pool, which engine is behind it, and on SQLite the connections of the
/// fast read path.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
    /// SQLite only: the connections `select` reads on (see select.rs).
    readers: Option<Arc<Readers>>,
    /// PostgreSQL only: the connections `select` reads on (see select.rs).
    pg_readers: Option<Arc<PgReaders>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("dialect", &self.dialect).finish_non_exhaustive()
    }
}

/// The file behind a `sqlite:` URL, or None for an in-memory database (which a second
/// connection could not see).
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

impl Db {
    /// Connects to `sqlite://path` (the file is created) or `postgres://…`. Any other scheme
    /// is refused, so that a typo fails loudly instead of opening something unexpected.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        let pool = match dialect {
            Dialect::Sqlite => {
                let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
                AnyPoolOptions::new()
                    .max_connections(4)
                    .min_connections(1)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the one writer; busy_timeout makes a
                            // second writer wait instead of failing.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            // A larger page cache for writes and the reads inside them. No
                            // memory map here (the hot pages' readers in `select.rs` map the
                            // file): a writer's pages faulted in through the map counted in
                            // its resident memory and cost time — a 100,000-number seed took
                            // 9.1 s and peaked at 485 MB with it, 6.8 s and 266 MB without.
                            conn.execute("PRAGMA cache_size = -32768").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Dialect::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    // The pool pings a connection (a round trip) before handing it out;
                    // only one that has been idle a while needs that.
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for > Duration::from_secs(10) {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // Every query here is led by an index on equal keys (company, BIN,
                            // number), so one plan per prepared statement serves all values;
                            // left to itself PostgreSQL planned some searches afresh at every
                            // run, which cost more than running them (search 1.9k → 2.7k req/s).
                            conn.execute("SET plan_cache_mode = force_generic_plan").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        let readers = match dialect {
            Dialect::Sqlite => sqlite_file(url).map(|path| Arc::new(Readers::new(path))),
            Dialect::Postgres => None,
        };
        let pg_readers = match dialect {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(Arc::new(PgReaders::new(url)?)),
        };
        Ok(Db { pool, dialect, readers, pg_readers })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(crate) fn readers(&self) -> Option<&Readers> {
        self.readers.as_deref()
    }

    pub(crate) fn pg_readers(&self) -> Option<&PgReaders> {
        self.pg_readers.as_deref()
    }

    /// A write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so
    /// that two writers queue on busy_timeout instead of failing on lock upgrade.
    pub async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        let tx = match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// As `begin_write`, on a connection the caller holds. A bulk load that writes batch
    /// after batch keeps to one connection this way: a pooled connection goes back to the
    /// pool on a task of its own, so the next batch's `begin_write` often finds none idle and
    /// opens another, and on SQLite each connection has its own page cache and prepared
    /// statements.
    pub async fn begin_write_on<'c>(
        &self,
        conn: &'c mut sqlx::AnyConnection,
    ) -> StoreResult<sqlx::Transaction<'c, sqlx::Any>> {
        let tx = match self.dialect {
            Dialect::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => conn.begin().await?,
        };
        Ok(tx)
    }

    /// Checks that the store answers (readiness).
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(readers) = &self.readers {
            readers.close();
        }
        if let Some(readers) = &self.pg_readers {
            readers.close();
        }
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(sqlite_file("sqlite://data/cabinet.db?mode=rwc").as_deref(), Some("data/cabinet.db"));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db").as_deref(), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
