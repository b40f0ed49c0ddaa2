//! One-time sign-in codes: six digits, single use, expiring, with a limited number of tries.
//! Only an HMAC of the code is stored, keyed by the server secret.

use crate::{Db, StoreResult, ids};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngExt;
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpPolicy {
    pub ttl_ms: i64,
    pub max_attempts: i64,
    pub resend_after_ms: i64,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        OtpPolicy { ttl_ms: 5 * 60 * 1000, max_attempts: 5, resend_after_ms: 60 * 1000 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub id: String,
    pub admin_id: String,
    pub channel: String,
    pub expires_ms: i64,
    pub resend_after_ms: i64,
    pub attempts_left: i64,
    pub consumed: i16,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Challenge {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Challenge {
            id: sqlx::Row::try_get(r, 0)?,
            admin_id: sqlx::Row::try_get(r, 1)?,
            channel: sqlx::Row::try_get(r, 2)?,
            expires_ms: sqlx::Row::try_get(r, 3)?,
            resend_after_ms: sqlx::Row::try_get(r, 4)?,
            attempts_left: sqlx::Row::try_get(r, 5)?,
            consumed: sqlx::Row::try_get(r, 6)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Wrong code; this many tries remain.
    Wrong {
        attempts_left: i64,
    },
    /// Expired, used, or out of tries: a new code is needed.
    Dead,
}

fn mac(secret: &str, challenge_id: &str, code: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(challenge_id.as_bytes());
    m.update(b":");
    m.update(code.as_bytes());
    ids::hex(&m.finalize().into_bytes())
}

/// Whether `typed` has a code's shape (six digits): anything else is answered "the code is
/// six digits" without spending a try.
pub fn well_formed(typed: &str) -> bool {
    typed.len() == 6 && typed.bytes().all(|b| b.is_ascii_digit())
}

/// A fresh six-digit code, uniformly drawn.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// Stores a challenge for `code` and returns it.
pub async fn issue(
    db: &Db,
    secret: &str,
    admin_id: &str,
    channel: &str,
    code: &str,
    policy: OtpPolicy,
    now_ms: i64,
) -> StoreResult<Challenge> {
    let c = Challenge {
        id: ids::new_id(),
        admin_id: admin_id.to_string(),
        channel: channel.to_string(),
        expires_ms: now_ms + policy.ttl_ms,
        resend_after_ms: now_ms + policy.resend_after_ms,
        attempts_left: policy.max_attempts,
        consumed: 0,
    };
    sqlx::query(
        "INSERT INTO otp_challenges (id, admin_id, code_mac, channel, created_ms, expires_ms, resend_after_ms, attempts_left, consumed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
    )
    .bind(&c.id)
    .bind(&c.admin_id)
    .bind(mac(secret, &c.id, code))
    .bind(&c.channel)
    .bind(now_ms)
    .bind(c.expires_ms)
    .bind(c.resend_after_ms)
    .bind(c.attempts_left)
    .execute(db.pool())
    .await?;
    Ok(c)
}

pub async fn get(db: &Db, id: &str) -> StoreResult<Option<Challenge>> {
    Ok(sqlx::query_as(
        "SELECT id, admin_id, channel, expires_ms, resend_after_ms, attempts_left, consumed FROM otp_challenges WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Checks a typed code. Each wrong try spends one attempt; the right code consumes the
/// challenge, so it works once. Both happen in one guarded UPDATE — the row is checked and
/// changed under its lock — so that requests at once can neither both succeed nor spend the
/// same attempt (a read then a write let twenty parallel tries through on PostgreSQL).
/// The MACs are compared in SQL: a guesser chooses codes, not MACs, so the comparison's
/// timing tells nothing about the stored one.
pub async fn verify(db: &Db, secret: &str, id: &str, code: &str, now_ms: i64) -> StoreResult<Verdict> {
    let row: Option<(i16, i64)> = sqlx::query_as(
        "UPDATE otp_challenges SET
           consumed = CASE WHEN code_mac = $2 THEN 1 ELSE 0 END,
           attempts_left = CASE WHEN code_mac = $2 THEN attempts_left ELSE attempts_left - 1 END
         WHERE id = $1 AND consumed = 0 AND expires_ms > $3 AND attempts_left > 0
         RETURNING consumed, attempts_left",
    )
    .bind(id)
    .bind(mac(secret, id, code))
    .bind(now_ms)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        None => Verdict::Dead,
        Some((consumed, _)) if consumed != 0 => Verdict::Accepted,
        Some((_, attempts_left)) if attempts_left > 0 => Verdict::Wrong { attempts_left },
        Some(_) => Verdict::Dead,
    })
}

/// Ends a challenge (a new code was sent instead).
pub async fn retire(db: &Db, id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE otp_challenges SET consumed = 1 WHERE id = $1").bind(id).execute(db.pool()).await?;
    Ok(())
}

/// Removes challenges that ended before `before_ms` (housekeeping).
pub async fn delete_expired(db: &Db, before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM otp_challenges WHERE expires_ms <= $1")
        .bind(before_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
