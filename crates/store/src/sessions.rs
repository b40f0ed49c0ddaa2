//! Server-side sessions. The browser holds a random id; the store keeps its SHA-256, so a
//! copy of the database signs nobody in.

use crate::{Db, StoreResult, ids};
use sha2::{Digest, Sha256};

pub const STAGE_OTP: &str = "otp";
pub const STAGE_ACTIVE: &str = "active";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub id_hash: String,
    pub admin_id: String,
    pub stage: String,
    pub company_id: Option<String>,
    pub challenge_id: Option<String>,
    pub expires_ms: i64,
}

pub fn hash_id(id: &str) -> String {
    ids::hex(&Sha256::digest(id.as_bytes()))
}

/// Creates a session and returns the id for the cookie.
pub async fn create(
    db: &Db,
    admin_id: &str,
    stage: &str,
    company_id: Option<&str>,
    challenge_id: Option<&str>,
    now_ms: i64,
    ttl_ms: i64,
) -> StoreResult<String> {
    let id = ids::random_hex(32);
    sqlx::query(
        "INSERT INTO sessions (id_hash, admin_id, stage, company_id, challenge_id, created_ms, expires_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_id(&id))
    .bind(admin_id)
    .bind(stage)
    .bind(company_id)
    .bind(challenge_id)
    .bind(now_ms)
    .bind(now_ms + ttl_ms)
    .execute(db.pool())
    .await?;
    Ok(id)
}

/// The live session behind a cookie id, or None when unknown or expired.
pub async fn get(db: &Db, id: &str, now_ms: i64) -> StoreResult<Option<Session>> {
    Ok(sqlx::query_as(
        "SELECT id_hash, admin_id, stage, company_id, challenge_id, expires_ms FROM sessions WHERE id_hash = $1 AND expires_ms > $2",
    )
    .bind(hash_id(id))
    .bind(now_ms)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn set_company(db: &Db, id_hash: &str, company_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET company_id = $1 WHERE id_hash = $2")
        .bind(company_id)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn set_challenge(db: &Db, id_hash: &str, challenge_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET challenge_id = $1 WHERE id_hash = $2")
        .bind(challenge_id)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Pushes the expiry forward (sliding sessions); called at most once a minute per session.
pub async fn extend(db: &Db, id_hash: &str, expires_ms: i64) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET expires_ms = $1 WHERE id_hash = $2")
        .bind(expires_ms)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, id_hash: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(db.pool()).await?;
    Ok(())
}

/// Removes expired sessions (housekeeping).
pub async fn delete_expired(db: &Db, now_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
        .bind(now_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// A live session with who is behind it and the company they are working in: one query
/// per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    pub id_hash: String,
    pub stage: String,
    pub challenge_id: Option<String>,
    pub expires_ms: i64,
    pub admin_id: String,
    pub admin_name: String,
    pub admin_phone: String,
    pub admin_email: Option<String>,
    /// Set only while the administrator still holds a grant to it.
    pub company_id: Option<String>,
    pub company_bin: Option<String>,
    pub company_name: Option<String>,
    pub company_alias: Option<String>,
    pub role: Option<String>,
}

pub async fn context(db: &Db, id: &str, now_ms: i64) -> StoreResult<Option<SessionContext>> {
    db.select(
        "SELECT s.id_hash, s.stage, s.challenge_id, s.expires_ms, a.id, a.name, a.phone, a.email, c.id, c.bin,
                c.name, g.alias, g.role
         FROM sessions s
         JOIN admins a ON a.id = s.admin_id
         LEFT JOIN admin_companies g ON g.admin_id = s.admin_id AND g.company_id = s.company_id
         LEFT JOIN companies c ON c.id = g.company_id
         WHERE s.id_hash = $1 AND s.expires_ms > $2",
    )
    .text(hash_id(id))
    .int(now_ms)
    .optional(|r| {
        Ok(SessionContext {
            id_hash: r.text(0)?,
            stage: r.text(1)?,
            challenge_id: r.opt_text(2)?,
            expires_ms: r.int(3)?,
            admin_id: r.text(4)?,
            admin_name: r.text(5)?,
            admin_phone: r.text(6)?,
            admin_email: r.opt_text(7)?,
            company_id: r.opt_text(8)?,
            company_bin: r.opt_text(9)?,
            company_name: r.opt_text(10)?,
            company_alias: r.opt_text(11)?,
            role: r.opt_text(12)?,
        })
    })
    .await
}
