//! Password recovery, for a first sign-in or a forgotten password: the phone's owner proves
//! it by a six-digit code sent by SMS (the operator's own numbers) or by a link sent by
//! e-mail (other numbers), then sets a new password once. The browser holds a random cookie;
//! the store keeps its SHA-256, the link token's SHA-256 and an HMAC of the code.
//!
//! A phone without an administrator gets a row as well (no `admin_id`, nothing sent), whose
//! code never matches and whose link does not exist: the pages cannot tell a registered
//! phone from an unknown one. Every check and change is one guarded statement, so that
//! requests at once can neither both verify nor both set a password.

use crate::{Db, StoreResult, ids, sessions};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// A code by SMS.
pub const CODE: &str = "sms";
/// A link by e-mail.
pub const LINK: &str = "email";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetPolicy {
    /// How long a code lives.
    pub code_ttl_ms: i64,
    /// How long a link lives.
    pub link_ttl_ms: i64,
    /// How long the new password may be set once the code or link is accepted.
    pub set_ttl_ms: i64,
    /// Wrong codes per code.
    pub max_attempts: i64,
    pub resend_after_ms: i64,
}

impl Default for ResetPolicy {
    fn default() -> Self {
        ResetPolicy {
            code_ttl_ms: 5 * 60 * 1000,
            link_ttl_ms: 30 * 60 * 1000,
            set_ttl_ms: 15 * 60 * 1000,
            max_attempts: 5,
            resend_after_ms: 60 * 1000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reset {
    pub phone: String,
    /// None: no administrator has this phone.
    pub admin_id: Option<String>,
    pub channel: String,
    pub attempts_left: i64,
    pub resend_after_ms: i64,
    pub expires_ms: i64,
    /// The code or link was accepted: the new password may be set.
    pub verified: bool,
    pub consumed: bool,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Reset {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(Reset {
            phone: r.try_get(0)?,
            admin_id: r.try_get(1)?,
            channel: r.try_get(2)?,
            attempts_left: r.try_get(3)?,
            resend_after_ms: r.try_get(4)?,
            expires_ms: r.try_get(5)?,
            verified: r.try_get::<i16, _>(6)? != 0,
            consumed: r.try_get::<i16, _>(7)? != 0,
        })
    }
}

const COLUMNS: &str = "phone, admin_id, channel, attempts_left, resend_after_ms, expires_ms, verified, consumed";

/// A recovery just started: the browser's cookie and what to send (the code or the link's
/// token), which the store does not keep.
pub struct Started {
    pub cookie: String,
    pub secret: String,
}

fn sha(s: &str) -> String {
    ids::hex(&Sha256::digest(s.as_bytes()))
}

fn code_mac(server_secret: &str, id_hash: &str, code: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(server_secret.as_bytes()).expect("HMAC takes any key length");
    m.update(b"reset:");
    m.update(id_hash.as_bytes());
    m.update(b":");
    m.update(code.as_bytes());
    ids::hex(&m.finalize().into_bytes())
}

/// Starts a recovery of `phone` by `channel` (`CODE` or `LINK`).
pub async fn start(
    db: &Db,
    server_secret: &str,
    phone: &str,
    admin_id: Option<&str>,
    channel: &str,
    policy: ResetPolicy,
    now_ms: i64,
) -> StoreResult<Started> {
    let cookie = ids::random_hex(32);
    let id_hash = sha(&cookie);
    let (secret, mac, ttl) = if channel == CODE {
        let code = crate::otp::new_code();
        let mac = code_mac(server_secret, &id_hash, &code);
        (code, mac, policy.code_ttl_ms)
    } else {
        let token = ids::random_hex(32);
        let mac = sha(&token);
        (token, mac, policy.link_ttl_ms)
    };
    sqlx::query(
        "INSERT INTO password_resets (id_hash, phone, admin_id, channel, secret_mac, attempts_left, resend_after_ms, \
         expires_ms, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id_hash)
    .bind(phone)
    .bind(admin_id)
    .bind(channel)
    .bind(&mac)
    .bind(policy.max_attempts)
    .bind(now_ms + policy.resend_after_ms)
    .bind(now_ms + ttl)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok(Started { cookie, secret })
}

/// The recovery the browser's cookie names, if any.
pub async fn get(db: &Db, cookie: &str) -> StoreResult<Option<Reset>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM password_resets WHERE id_hash = $1")))
        .bind(sha(cookie))
        .fetch_optional(db.pool())
        .await?)
}

/// A fresh code for the same recovery once the wait is over (the old one stops working, the
/// tries start again); None while waiting or when the recovery is over.
pub async fn resend(
    db: &Db,
    server_secret: &str,
    cookie: &str,
    policy: ResetPolicy,
    now_ms: i64,
) -> StoreResult<Option<String>> {
    let id_hash = sha(cookie);
    let code = crate::otp::new_code();
    let changed = sqlx::query(
        "UPDATE password_resets SET secret_mac = $2, attempts_left = $3, resend_after_ms = $4, expires_ms = $5 \
         WHERE id_hash = $1 AND channel = 'sms' AND verified = 0 AND consumed = 0 AND resend_after_ms <= $6",
    )
    .bind(&id_hash)
    .bind(code_mac(server_secret, &id_hash, &code))
    .bind(policy.max_attempts)
    .bind(now_ms + policy.resend_after_ms)
    .bind(now_ms + policy.code_ttl_ms)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok((changed.rows_affected() == 1).then_some(code))
}

/// Checks a typed code: the right one (of an existing administrator) verifies the recovery
/// and gives it `set_ttl_ms` to set the password; a wrong one spends a try.
pub async fn verify_code(
    db: &Db,
    server_secret: &str,
    cookie: &str,
    code: &str,
    policy: ResetPolicy,
    now_ms: i64,
) -> StoreResult<crate::otp::Verdict> {
    use crate::otp::Verdict;
    let id_hash = sha(cookie);
    let row: Option<(i16, i64)> = sqlx::query_as(
        "UPDATE password_resets SET
           verified = CASE WHEN secret_mac = $2 AND admin_id IS NOT NULL THEN 1 ELSE 0 END,
           attempts_left = CASE WHEN secret_mac = $2 AND admin_id IS NOT NULL THEN attempts_left ELSE attempts_left - 1 END,
           expires_ms = CASE WHEN secret_mac = $2 AND admin_id IS NOT NULL THEN $4 ELSE expires_ms END
         WHERE id_hash = $1 AND channel = 'sms' AND verified = 0 AND consumed = 0 AND expires_ms > $3 AND attempts_left > 0
         RETURNING verified, attempts_left",
    )
    .bind(&id_hash)
    .bind(code_mac(server_secret, &id_hash, code))
    .bind(now_ms)
    .bind(now_ms + policy.set_ttl_ms)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        None => Verdict::Dead,
        Some((verified, _)) if verified != 0 => Verdict::Accepted,
        Some((_, attempts_left)) if attempts_left > 0 => Verdict::Wrong { attempts_left },
        Some(_) => Verdict::Dead,
    })
}

/// Opens an e-mailed link: once, before it expires. The recovery moves to a new cookie for
/// the browser that opened it (the link may be opened elsewhere than it was asked for);
/// None for a link that is unknown, used or expired.
pub async fn open_link(db: &Db, token: &str, policy: ResetPolicy, now_ms: i64) -> StoreResult<Option<String>> {
    let cookie = ids::random_hex(32);
    let opened = sqlx::query(
        "UPDATE password_resets SET id_hash = $1, verified = 1, expires_ms = $2 \
         WHERE secret_mac = $3 AND channel = 'email' AND admin_id IS NOT NULL AND verified = 0 AND consumed = 0 \
         AND expires_ms > $4",
    )
    .bind(sha(&cookie))
    .bind(now_ms + policy.set_ttl_ms)
    .bind(sha(token))
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok((opened.rows_affected() == 1).then_some(cookie))
}

/// Sets the new password (`password_hash`, Argon2id) of a verified recovery, once: the
/// recovery and every other open one of the administrator end, and with
/// `sign_out_elsewhere` every session of theirs. The administrator's id; None when the
/// recovery is not verified, is over or was used by a request at the same time.
pub async fn complete(
    db: &Db,
    cookie: &str,
    password_hash: &str,
    sign_out_elsewhere: bool,
    now_ms: i64,
) -> StoreResult<Option<String>> {
    let mut tx = db.begin_write().await?;
    let admin_id: Option<Option<String>> = sqlx::query_scalar(
        "UPDATE password_resets SET consumed = 1 \
         WHERE id_hash = $1 AND verified = 1 AND consumed = 0 AND expires_ms > $2 RETURNING admin_id",
    )
    .bind(sha(cookie))
    .bind(now_ms)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Some(admin_id)) = admin_id else { return Ok(None) };
    sqlx::query("UPDATE admins SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(&admin_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE password_resets SET consumed = 1 WHERE admin_id = $1 AND consumed = 0")
        .bind(&admin_id)
        .execute(&mut *tx)
        .await?;
    if sign_out_elsewhere {
        sqlx::query("DELETE FROM sessions WHERE admin_id = $1").bind(&admin_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    sessions::changed();
    Ok(Some(admin_id))
}

/// Removes recoveries that ended before `before_ms` (housekeeping).
pub async fn delete_expired(db: &Db, before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM password_resets WHERE expires_ms <= $1")
        .bind(before_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
