//! Changing an administrator's e-mail address: the new address takes effect only when the
//! link sent to it is opened (once, before it expires), so that a typo or a stranger's
//! address never receives the account's codes and links.

use crate::{Db, StoreResult, ids, sessions};
use sha2::{Digest, Sha256};

fn sha(s: &str) -> String {
    ids::hex(&Sha256::digest(s.as_bytes()))
}

/// Records the wish to change `admin_id`'s address to `email`; the token for the link.
pub async fn request(db: &Db, admin_id: &str, email: &str, ttl_ms: i64, now_ms: i64) -> StoreResult<String> {
    let token = ids::random_hex(32);
    sqlx::query(
        "INSERT INTO email_changes (token_hash, admin_id, email, expires_ms, created_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha(&token))
    .bind(admin_id)
    .bind(email)
    .bind(now_ms + ttl_ms)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// Opens a link: the address it confirms becomes the administrator's, once. The
/// administrator and the address; None for a link unknown, used or expired.
pub async fn confirm(db: &Db, token: &str, now_ms: i64) -> StoreResult<Option<(String, String)>> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE email_changes SET consumed = 1 WHERE token_hash = $1 AND consumed = 0 AND expires_ms > $2 \
         RETURNING admin_id, email",
    )
    .bind(sha(token))
    .bind(now_ms)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((admin_id, email)) = row else { return Ok(None) };
    sqlx::query("UPDATE admins SET email = $1 WHERE id = $2").bind(&email).bind(&admin_id).execute(&mut *tx).await?;
    // An older link for another address is void once one is confirmed.
    sqlx::query("UPDATE email_changes SET consumed = 1 WHERE admin_id = $1 AND consumed = 0")
        .bind(&admin_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sessions::changed();
    Ok(Some((admin_id, email)))
}

/// Removes links that expired before `before_ms` (housekeeping).
pub async fn delete_expired(db: &Db, before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM email_changes WHERE expires_ms <= $1")
        .bind(before_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
