//! Installation-wide settings kept in the store, so that every instance shares them.

use crate::{Db, StoreResult, ids};

/// The secret that keys CSRF tokens and one-time-code MACs. Made once, on first use; every
/// instance on the same store reads the same one.
pub async fn server_secret(db: &Db) -> StoreResult<String> {
    let fresh = ids::random_hex(32);
    sqlx::query("INSERT INTO settings (key, value) VALUES ('server_secret', $1) ON CONFLICT (key) DO NOTHING")
        .bind(&fresh)
        .execute(db.pool())
        .await?;
    let (value,): (String,) =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'server_secret'").fetch_one(db.pool()).await?;
    Ok(value)
}
