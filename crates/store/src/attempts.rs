//! Fixed-window rate limits kept in the store, so that every instance counts together.

use crate::{Db, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

/// Counts one attempt under `key` and tells whether it is within the limit.
pub async fn hit(db: &Db, key: &str, limit: Limit, now_ms: i64) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT window_start_ms, count FROM auth_attempts WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
    let count = match row {
        Some((start, count)) if now_ms - start < limit.window_ms => {
            sqlx::query("UPDATE auth_attempts SET count = count + 1 WHERE key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
            count + 1
        }
        _ => {
            sqlx::query(
                "INSERT INTO auth_attempts (key, window_start_ms, count) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET window_start_ms = excluded.window_start_ms, count = 1",
            )
            .bind(key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            1
        }
    };
    tx.commit().await?;
    Ok(count <= limit.max)
}

/// Removes counters whose window started before `before_ms` (housekeeping).
pub async fn delete_stale(db: &Db, before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM auth_attempts WHERE window_start_ms <= $1")
        .bind(before_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
