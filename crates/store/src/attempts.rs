//! Rate limits kept in the store, so that every instance counts together. A key (a phone
//! and address, a device, an account's codes) may make `max` attempts in a fixed window;
//! the next one locks it for a while. Each attempt is counted by one atomic statement, so
//! that attempts made at once are all counted (on PostgreSQL a read-then-write let twenty
//! parallel attempts through a limit of five).

use crate::{Db, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed in a window.
    pub max: i64,
    pub window_ms: i64,
    /// How long the key stays locked once over the limit; 0: until the window ends.
    pub lock_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    Allowed,
    /// Over the limit until `until_ms`. `first` is set on the attempt that locked the key
    /// (the one to log), not on those refused afterwards.
    Locked {
        until_ms: i64,
        first: bool,
    },
}

impl Take {
    pub fn allowed(self) -> bool {
        self == Take::Allowed
    }
}

/// Counts one attempt under `key` and tells whether it is within the limit. One statement:
/// the row is created or updated under its lock. A window starts afresh when it has passed
/// or when the key's lock has run out; while locked, refused attempts are still counted.
pub async fn take(db: &Db, key: &str, limit: Limit, now_ms: i64) -> StoreResult<Take> {
    let (count, locked_until_ms): (i64, i64) = sqlx::query_as(
        "INSERT INTO auth_attempts (key, window_start_ms, count, locked_until_ms) VALUES ($1, $2, 1, 0)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE
             WHEN auth_attempts.locked_until_ms <= $2
                  AND (auth_attempts.window_start_ms <= $2 - $3 OR auth_attempts.locked_until_ms > 0) THEN 1
             ELSE auth_attempts.count + 1 END,
           window_start_ms = CASE
             WHEN auth_attempts.locked_until_ms <= $2
                  AND (auth_attempts.window_start_ms <= $2 - $3 OR auth_attempts.locked_until_ms > 0) THEN $2
             ELSE auth_attempts.window_start_ms END,
           locked_until_ms = CASE
             WHEN auth_attempts.locked_until_ms > $2 THEN auth_attempts.locked_until_ms
             WHEN auth_attempts.window_start_ms <= $2 - $3 OR auth_attempts.locked_until_ms > 0 THEN 0
             WHEN auth_attempts.count + 1 > $4 THEN
               CASE WHEN $5 > 0 THEN $2 + $5 ELSE auth_attempts.window_start_ms + $3 END
             ELSE 0 END
         RETURNING count, locked_until_ms",
    )
    .bind(key)
    .bind(now_ms)
    .bind(limit.window_ms)
    .bind(limit.max)
    .bind(limit.lock_ms)
    .fetch_one(db.pool())
    .await?;
    Ok(if locked_until_ms > now_ms {
        Take::Locked { until_ms: locked_until_ms, first: count == limit.max + 1 }
    } else {
        Take::Allowed
    })
}

/// Counts one attempt under `key` and tells whether it is within the limit.
pub async fn hit(db: &Db, key: &str, limit: Limit, now_ms: i64) -> StoreResult<bool> {
    Ok(take(db, key, limit, now_ms).await?.allowed())
}

/// Gives back an attempt that turned out well (the right password or code), so that only
/// failures count; a key locked meanwhile stays locked.
pub async fn give_back(db: &Db, key: &str, now_ms: i64) -> StoreResult<()> {
    sqlx::query("UPDATE auth_attempts SET count = count - 1 WHERE key = $1 AND count > 0 AND locked_until_ms <= $2")
        .bind(key)
        .bind(now_ms)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Until when `key` is locked, if it is (without counting an attempt).
pub async fn locked_until(db: &Db, key: &str, now_ms: i64) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT locked_until_ms FROM auth_attempts WHERE key = $1 AND locked_until_ms > $2")
            .bind(key)
            .bind(now_ms)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(t,)| t))
}

/// Removes counters whose window started, and whose lock ended, before `before_ms`
/// (housekeeping).
pub async fn delete_stale(db: &Db, before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM auth_attempts WHERE window_start_ms <= $1 AND locked_until_ms <= $1")
        .bind(before_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
