//! Reads that pages make on every request (the session, the numbers list, the profile), in
//! one portable form: `db.select(sql).text(..).int(..).all(|row| ..)`.
//!
//! On PostgreSQL a select is an ordinary sqlx query. On SQLite it runs on a connection of
//! this module's own (rusqlite), on the calling thread: sqlx-sqlite hands every query to a
//! worker thread per connection and back, and on the hot pages that hand-off cost more than
//! the query itself (40% of a list page's CPU ran in those threads, measured with perf,
//! besides the wake-ups and thread switches on the runtime's side). An indexed
//! read takes tens of microseconds, so running it in place is cheaper than any hand-off;
//! in WAL mode a reader never waits for the writer. Writes and transactions stay on sqlx.
//!
//! On PostgreSQL a select runs on connections of its own too (pg_readers.rs, tokio-postgres,
//! queries pipelined), not sqlx's pool: the pool sends a ping (a round trip to the server)
//! when it hands out a connection and another when it takes one back, so a pooled query
//! cost three round trips, and the Any driver copies every column of every row into its own
//! values.
//!
//! Write LIMITs into the SQL instead of binding them: SQLite plans for the LIMIT it sees,
//! and a bound one (like a bound LIKE pattern) makes it plan again at every run.

use crate::pg_readers;
use crate::{Db, Dialect, StoreError, StoreResult};
use sqlx::AssertSqlSafe;
use std::borrow::Cow;
use std::sync::Mutex;

/// A bound parameter.
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Null,
}

/// A query being built: SQL with `$1…$N` placeholders and its parameters in that order.
#[must_use = "a select does nothing until one of all/optional/one is awaited"]
pub struct Select<'a> {
    db: &'a Db,
    sql: Cow<'a, str>,
    params: Vec<Value<'a>>,
    scan: bool,
}

/// One row of a select's answer, read by column position.
pub struct Row<'r>(RowKind<'r>);

enum RowKind<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Pg(&'r tokio_postgres::Row),
    Any(&'r sqlx::any::AnyRow),
}

impl Db {
    /// A read of the store, on the fast path of its engine.
    pub fn select<'a>(&'a self, sql: impl Into<Cow<'a, str>>) -> Select<'a> {
        Select { db: self, sql: sql.into(), params: Vec::new(), scan: false }
    }
}

impl<'a> Select<'a> {
    pub fn text(mut self, v: impl Into<Cow<'a, str>>) -> Self {
        self.params.push(Value::Text(v.into()));
        self
    }

    pub fn opt_text(mut self, v: Option<&'a str>) -> Self {
        self.params.push(v.map_or(Value::Null, |s| Value::Text(Cow::Borrowed(s))));
        self
    }

    pub fn int(mut self, v: i64) -> Self {
        self.params.push(Value::Int(v));
        self
    }

    /// Marks a read that walks much of the store once, a page of a report at a time: on
    /// SQLite it runs on a connection that maps none of the file and caches little, so that
    /// the pages a report reads once do not stay in the process (the list of numbers of a
    /// 100,000-number company left 64 MiB of the file mapped into a hot-page reader); on
    /// PostgreSQL on a connection of its own, so that page views do not queue behind it.
    pub fn scan(mut self) -> Self {
        self.scan = true;
        self
    }

    /// Every row, each turned into a `T` by `map`.
    pub async fn all<T>(self, mut map: impl FnMut(&Row) -> StoreResult<T>) -> StoreResult<Vec<T>> {
        let mut out = Vec::new();
        self.each(|row| {
            out.push(map(row)?);
            Ok(true)
        })
        .await?;
        Ok(out)
    }

    /// The first row, if any.
    pub async fn optional<T>(self, map: impl FnOnce(&Row) -> StoreResult<T>) -> StoreResult<Option<T>> {
        let mut map = Some(map);
        let mut out = None;
        self.each(|row| {
            if let Some(map) = map.take() {
                out = Some(map(row)?);
            }
            Ok(false)
        })
        .await?;
        Ok(out)
    }

    /// The first row; a query that returns none is an error (`COUNT(*)` and the like).
    pub async fn one<T>(self, map: impl FnOnce(&Row) -> StoreResult<T>) -> StoreResult<T> {
        self.optional(map).await?.ok_or(StoreError::Db(sqlx::Error::RowNotFound))
    }

    /// Feeds rows to `visit` until it returns false or the rows run out.
    async fn each(self, mut visit: impl FnMut(&Row) -> StoreResult<bool>) -> StoreResult<()> {
        match (self.db.dialect(), self.db.readers(), self.db.pg_readers()) {
            (Dialect::Sqlite, Some(readers), _) => readers.run(&self.sql, &self.params, self.scan, &mut visit),
            (Dialect::Postgres, _, Some(readers)) => {
                for row in &readers.fetch(&self.sql, &self.params, self.scan).await? {
                    if !visit(&Row(RowKind::Pg(row)))? {
                        break;
                    }
                }
                Ok(())
            }
            _ => {
                let mut q = sqlx::query(AssertSqlSafe(self.sql.into_owned()));
                for p in self.params {
                    q = match p {
                        Value::Text(s) => q.bind(s.into_owned()),
                        Value::Int(i) => q.bind(i),
                        Value::Null => q.bind(Option::<String>::None),
                    };
                }
                for row in q.fetch_all(self.db.pool()).await? {
                    if !visit(&Row(RowKind::Any(&row)))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

impl Row<'_> {
    pub fn text(&self, i: usize) -> StoreResult<String> {
        self.opt_text(i)?.ok_or_else(|| null_column(i))
    }

    pub fn opt_text(&self, i: usize) -> StoreResult<Option<String>> {
        Ok(match &self.0 {
            RowKind::Sqlite(r) => r.get(i)?,
            RowKind::Pg(r) => r.try_get(i)?,
            RowKind::Any(r) => sqlx::Row::try_get(*r, i)?,
        })
    }

    pub fn int(&self, i: usize) -> StoreResult<i64> {
        self.opt_int(i)?.ok_or_else(|| null_column(i))
    }

    pub fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        Ok(match &self.0 {
            RowKind::Sqlite(r) => r.get(i)?,
            RowKind::Pg(r) => pg_readers::int(r, i)?,
            RowKind::Any(r) => sqlx::Row::try_get(*r, i)?,
        })
    }

    /// A 0/1 column.
    pub fn flag(&self, i: usize) -> StoreResult<bool> {
        Ok(self.int(i)? != 0)
    }
}

fn null_column(i: usize) -> StoreError {
    StoreError::Db(sqlx::Error::ColumnDecode { index: i.to_string(), source: "unexpected NULL".into() })
}

/// SQLite connections for selects, opened on demand and kept for reuse.
pub(crate) struct Readers {
    path: String,
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// Connections for scans (`Select::scan`), which map nothing and cache little.
    idle_scans: Mutex<Vec<rusqlite::Connection>>,
}

/// Idle connections kept; more are opened under load and closed after.
const IDLE_READERS: usize = 8;
/// Idle scan connections kept: reports run one at a time per job worker.
const IDLE_SCANNERS: usize = 2;
/// Each connection keeps this many prepared statements (the hot pages use about 20).
const STATEMENTS_KEPT: usize = 64;

impl Readers {
    pub(crate) fn new(path: String) -> Readers {
        Readers { path, idle: Mutex::new(Vec::new()), idle_scans: Mutex::new(Vec::new()) }
    }

    /// Closes the idle connections (a select after this opens a new one).
    pub(crate) fn close(&self) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.idle_scans.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn open(&self, scan: bool) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        // query_only: this connection never writes, whatever a caller passes it.
        conn.execute_batch(if scan {
            // Pages read through a small cache (2 MiB) and the kernel's, not mapped.
            "PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 0; PRAGMA cache_size = -2048;"
        } else {
            "PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; \
             PRAGMA mmap_size = 268435456; PRAGMA cache_size = -32768;"
        })?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        Ok(conn)
    }

    fn run(
        &self,
        sql: &str,
        params: &[Value<'_>],
        scan: bool,
        visit: &mut dyn FnMut(&Row) -> StoreResult<bool>,
    ) -> StoreResult<()> {
        let (pool, kept) = if scan { (&self.idle_scans, IDLE_SCANNERS) } else { (&self.idle, IDLE_READERS) };
        let taken = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(c) => c,
            None => self.open(scan)?,
        };
        let result = query(&conn, sql, params, visit);
        let mut idle = pool.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < kept {
            idle.push(conn);
        }
        result
    }
}

fn query(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Value<'_>],
    visit: &mut dyn FnMut(&Row) -> StoreResult<bool>,
) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(&numbered_placeholders(sql))?;
    for (i, p) in params.iter().enumerate() {
        match p {
            Value::Text(s) => stmt.raw_bind_parameter(i + 1, s.as_ref())?,
            Value::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
            Value::Null => stmt.raw_bind_parameter(i + 1, rusqlite::types::Null)?,
        }
    }
    let mut rows = stmt.raw_query();
    while let Some(r) = rows.next()? {
        if !visit(&Row(RowKind::Sqlite(r)))? {
            break;
        }
    }
    Ok(())
}

/// `$1` → `?1`. SQLite reads `$1` as a named parameter numbered by first appearance, which
/// is not its number when `$2` comes first; `?1` is numbered as written, as in PostgreSQL.
fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered_placeholders;

    #[test]
    fn placeholders_keep_their_numbers() {
        assert_eq!(numbered_placeholders("a = $2 AND b = $1 OR c = $10"), "a = ?2 AND b = ?1 OR c = ?10");
        assert_eq!(numbered_placeholders("x = '$' || $1"), "x = '$' || ?1");
    }
}
