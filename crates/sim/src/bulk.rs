//! Multi-row INSERTs of a few hundred rows each: how the seed and the month's closing write
//! thousands of rows in seconds.

use cabinet_store::Dialect;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, AssertSqlSafe};
use std::fmt::Write;

/// Bound parameters per INSERT statement: enough rows to amortise the round trip (400 of the
/// widest table, 26 columns), far below both engines' limits (32,766 and 65,535).
const PARAMS_PER_INSERT: usize = 10_400;

pub(crate) type Query = sqlx::query::Query<'static, Any, AnyArguments>;

/// `head` followed by `VALUES (…), (…)` for `rows` rows of `cols` columns. Written out here
/// because sqlx's QueryBuilder emits `?` placeholders for the Any driver, which PostgreSQL
/// refuses; SQLite keeps `?`, since looking up a numbered `$N` costs SQLite a scan of all
/// the statement's parameter names (quadratic in a 10,000-parameter INSERT).
pub(crate) fn values_sql(dialect: Dialect, head: &str, rows: usize, cols: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * cols * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            let sep = if c == 0 { "" } else { ", " };
            match dialect {
                Dialect::Sqlite => sql.push_str(if c == 0 { "?" } else { ", ?" }),
                Dialect::Postgres => {
                    let _ = write!(sql, "{sep}${}", r * cols + c + 1);
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// Inserts `rows` in statements of `PARAMS_PER_INSERT / cols` rows; `bind` binds one row's
/// `cols` values. Only full-size statements are kept prepared: a batch's last, shorter one
/// has a length of its own, and each connection's statement cache (100 entries) would keep
/// every such 10,000-parameter statement it ever saw, megabytes each.
pub(crate) async fn insert<T, F>(
    conn: &mut AnyConnection,
    dialect: Dialect,
    head: &str,
    cols: usize,
    rows: &[T],
    bind: F,
) -> Result<(), sqlx::Error>
where
    F: Fn(Query, &T) -> Query,
{
    let full = PARAMS_PER_INSERT / cols;
    for chunk in rows.chunks(full) {
        let sql = values_sql(dialect, head, chunk.len(), cols);
        let mut q: Query = sqlx::query(AssertSqlSafe(sql)).persistent(chunk.len() == full);
        for row in chunk {
            q = bind(q, row);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// As `insert`, with `tail` (`ON CONFLICT … RETURNING …`) after each statement: the rows
/// the statements returned.
pub(crate) async fn insert_returning<T, F>(
    conn: &mut AnyConnection,
    dialect: Dialect,
    head: &str,
    tail: &str,
    cols: usize,
    rows: &[T],
    bind: F,
) -> Result<Vec<AnyRow>, sqlx::Error>
where
    F: Fn(Query, &T) -> Query,
{
    let mut out = Vec::new();
    let full = PARAMS_PER_INSERT / cols;
    for chunk in rows.chunks(full) {
        let sql = format!("{} {tail}", values_sql(dialect, head, chunk.len(), cols));
        let mut q: Query = sqlx::query(AssertSqlSafe(sql)).persistent(chunk.len() == full);
        for row in chunk {
            q = bind(q, row);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
