//! The page reads on PostgreSQL (`Db::select`): a few connections, each shared by every
//! request at once, with the queries of concurrent requests pipelined on it.
//!
//! Why not a pool of connections, one query at a time each (sqlx, as before): on these
//! pages a query's round trip costs more than the query. Each one took a send, a wake-up of
//! the server's backend, a receive and a wake-up of the portal's task; the server's own work
//! on an indexed read is a fraction of that. tokio-postgres writes every query waiting on a
//! connection in one send and the server answers them in order, so under load many requests'
//! queries share a round trip, and a page's two reads made at once (the profile's operator
//! and Cabinet rows) share one even when idle.
//!
//! Statements are prepared once per connection, with the parameters typed as they are bound
//! (TEXT, BIGINT), and kept: a page view sends Bind/Execute only. Every connection sets
//! `plan_cache_mode = force_generic_plan`, as the pool's do (db.rs says why).

use crate::select::Value;
use crate::{StoreError, StoreResult};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, Config, NoTls, Statement};

/// Connections that read for pages, taken in turn. Each is one backend, which runs its
/// queries one after another: with one, a slow read (a usage page) would hold up every page
/// view behind it. Measured on 2 cores at 100,000 numbers (the profile page at capacity):
/// one connection 270 µs of CPU a view in all, two 290–300, three or four 320–330; the
/// capacity alike within noise (6,000–6,500 req/s).
const CONNECTIONS: usize = 2;

/// How long opening a connection may take, unless the URL says (`connect_timeout=`).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Prepared statements kept per connection: the pages' statements are a few dozen shapes,
/// values always bound; the bound keeps a caller that writes values into SQL from growing
/// the server's memory without end.
const STATEMENTS_KEPT: usize = 256;

impl Value<'_> {
    /// The type the statement is prepared with for this parameter (a NULL is bound where a
    /// text may be, see `Select::opt_text`).
    fn pg_type(&self) -> Type {
        match self {
            Value::Text(_) | Value::Null => Type::TEXT,
            Value::Int(_) => Type::INT8,
        }
    }
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Text(s) => s.as_ref().to_sql(ty, out),
            Value::Int(i) => i.to_sql(ty, out),
            Value::Null => Ok(IsNull::Yes),
        }
    }

    // The statement was prepared with `pg_type`'s types, so the server takes what is sent.
    fn accepts(ty: &Type) -> bool {
        *ty == Type::TEXT || *ty == Type::INT8
    }

    to_sql_checked!();
}

pub(crate) struct PgReaders {
    config: Config,
    slots: Vec<Slot>,
    next: AtomicUsize,
    /// Scans (`Select::scan`, reports) read on a connection of their own: a query waits for
    /// the ones ahead of it on its connection, and a report's page of rows would hold up
    /// the page views queued behind it.
    scans: Slot,
}

/// One connection's place: the live connection, if any, and a lock that lets one task
/// (re)connect while the others wait for it.
struct Slot {
    current: Mutex<Option<Arc<Reader>>>,
    connecting: tokio::sync::Mutex<()>,
}

struct Reader {
    client: Client,
    /// Prepared statements by SQL (each with the parameter types it was prepared with).
    statements: Mutex<HashMap<String, Statement>>,
}

impl Slot {
    fn empty() -> Slot {
        Slot { current: Mutex::new(None), connecting: tokio::sync::Mutex::new(()) }
    }

    fn live(&self) -> Option<Arc<Reader>> {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).as_ref().filter(|r| !r.client.is_closed()).cloned()
    }

    /// Forgets `reader` if it is still this slot's connection (another task may have
    /// replaced it already).
    fn forget(&self, reader: &Arc<Reader>) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_some_and(|r| Arc::ptr_eq(r, reader)) {
            *current = None;
        }
    }
}

impl PgReaders {
    pub(crate) fn new(url: &str) -> StoreResult<PgReaders> {
        let mut config: Config = url.parse().map_err(|e| StoreError::BadUrl(format!("{url}: {e}")))?;
        config.application_name("cabinet-reader");
        let slots = (0..CONNECTIONS).map(|_| Slot::empty()).collect();
        Ok(PgReaders { config, slots, next: AtomicUsize::new(0), scans: Slot::empty() })
    }

    /// Closes the connections (a select after this opens a new one).
    pub(crate) fn close(&self) {
        for slot in self.slots.iter().chain([&self.scans]) {
            *slot.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// The rows of `sql`. A connection the server has ended since it was opened (a restart,
    /// an administrator) is replaced and the read asked again, once: a read is safe to
    /// repeat. An error in the query itself is not the connection's fault.
    pub(crate) async fn fetch(
        &self,
        sql: &str,
        params: &[Value<'_>],
        scan: bool,
    ) -> StoreResult<Vec<tokio_postgres::Row>> {
        let slot = match scan {
            true => &self.scans,
            false => &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()],
        };
        let (reader, fresh) = self.reader(slot).await?;
        match reader.query(sql, params).await {
            Err(e) if !fresh && connection_lost(&e) => {
                tracing::info!(error = %e, "a kept PostgreSQL connection failed; reading on a new one");
                slot.forget(&reader);
                let (reader, _) = self.reader(slot).await?;
                Ok(reader.query(sql, params).await?)
            }
            result => Ok(result?),
        }
    }

    /// The slot's connection, opened if it has none; and whether it was opened just now.
    async fn reader(&self, slot: &Slot) -> StoreResult<(Arc<Reader>, bool)> {
        if let Some(r) = slot.live() {
            return Ok((r, false));
        }
        let _connecting = slot.connecting.lock().await;
        if let Some(r) = slot.live() {
            return Ok((r, false));
        }
        // Requests wait for a connection being opened: a server that does not answer (a
        // host gone, a server that accepts and says nothing) must fail them soon, not after
        // the system's TCP timeouts of minutes.
        let limit = self.config.get_connect_timeout().copied().unwrap_or(CONNECT_TIMEOUT);
        let (client, connection) = tokio::time::timeout(limit, self.config.connect(NoTls)).await.map_err(|_| {
            let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "opening a PostgreSQL reading connection");
            StoreError::Db(sqlx::Error::Io(late))
        })??;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::info!(error = %e, "a PostgreSQL reading connection ended");
            }
        });
        client.batch_execute("SET plan_cache_mode = force_generic_plan").await?;
        let reader = Arc::new(Reader { client, statements: Mutex::new(HashMap::new()) });
        *slot.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(reader.clone());
        Ok((reader, true))
    }
}

impl Reader {
    async fn query(&self, sql: &str, params: &[Value<'_>]) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let types: Vec<Type> = params.iter().map(Value::pg_type).collect();
        let known = self.statements.lock().unwrap_or_else(|e| e.into_inner()).get(sql).cloned();
        let statement = match known {
            Some(s) if s.params() == types.as_slice() => s,
            _ => {
                // Two requests may prepare the same statement at once: both work, one is kept.
                let s = self.client.prepare_typed(sql, &types).await?;
                let mut kept = self.statements.lock().unwrap_or_else(|e| e.into_inner());
                if kept.len() >= STATEMENTS_KEPT {
                    // Simply start again: the pages use a few dozen, which come back at once.
                    kept.clear();
                }
                kept.insert(sql.to_string(), s.clone());
                s
            }
        };
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client.query(&statement, &params).await
    }
}

/// Whether the connection, not the query, failed: it is closed, or the server ended the
/// session (SQLSTATE classes 08, connection exception, and 57, operator intervention).
fn connection_lost(e: &tokio_postgres::Error) -> bool {
    e.is_closed() || e.code().is_some_and(|c| c.code().starts_with("08") || c.code().starts_with("57"))
}

/// An integer column of any width (flags are SMALLINT, literals INTEGER, the rest BIGINT).
pub(crate) fn int(row: &tokio_postgres::Row, i: usize) -> Result<Option<i64>, tokio_postgres::Error> {
    let ty = row.columns().get(i).map(|c| c.type_().clone());
    Ok(match ty {
        Some(Type::INT2) => row.try_get::<_, Option<i16>>(i)?.map(i64::from),
        Some(Type::INT4) => row.try_get::<_, Option<i32>>(i)?.map(i64::from),
        _ => row.try_get::<_, Option<i64>>(i)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_server_that_accepts_and_never_answers_fails_the_read() {
        // It takes the connection and says nothing: the sign-in handshake would wait forever.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let readers =
            PgReaders::new(&format!("postgres://cabinet@127.0.0.1:{port}/cabinet?connect_timeout=1")).unwrap();
        let read = readers.fetch("SELECT 1", &[], false).await;
        assert!(
            matches!(&read, Err(StoreError::Db(sqlx::Error::Io(e))) if e.kind() == std::io::ErrorKind::TimedOut),
            "{read:?}"
        );
        silent.abort();
    }
}
