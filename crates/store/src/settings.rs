//! Installation-wide settings kept in the store, so that every instance shares them.

use crate::{Db, StoreResult, ids};

/// The secret that keys CSRF tokens and one-time-code MACs. Made once, on first use; every
/// instance on the same store reads the same one.
pub async fn server_secret(db: &Db) -> StoreResult<String> {
    // Read first: a portal starting beside a busy one must not wait for the write lock to
    // learn a secret that exists already (it waited out busy_timeout and exited).
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'server_secret'").fetch_optional(db.pool()).await?;
    if let Some((value,)) = existing {
        return Ok(value);
    }
    let fresh = ids::random_hex(32);
    sqlx::query("INSERT INTO settings (key, value) VALUES ('server_secret', $1) ON CONFLICT (key) DO NOTHING")
        .bind(&fresh)
        .execute(db.pool())
        .await?;
    let (value,): (String,) =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'server_secret'").fetch_one(db.pool()).await?;
    Ok(value)
}
