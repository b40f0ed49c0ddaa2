//! Server-side sessions. The browser holds a random id; the store keeps its SHA-256, so a
//! copy of the database signs nobody in.

use crate::{Db, StoreResult, ids};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

pub const STAGE_OTP: &str = "otp";
pub const STAGE_ACTIVE: &str = "active";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub admin_id: String,
    pub stage: String,
    pub company_id: Option<String>,
    pub challenge_id: Option<String>,
    pub expires_ms: i64,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Session {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Session {
            id_hash: sqlx::Row::try_get(r, 0)?,
            admin_id: sqlx::Row::try_get(r, 1)?,
            stage: sqlx::Row::try_get(r, 2)?,
            company_id: sqlx::Row::try_get(r, 3)?,
            challenge_id: sqlx::Row::try_get(r, 4)?,
            expires_ms: sqlx::Row::try_get(r, 5)?,
        })
    }
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
    changed();
    Ok(id)
}

/// Replaces a session by one with a new id (returned for the cookie), the same administrator,
/// sign-in time and expiry, working in `company_id`: at a change of privilege (another
/// company, another role; a new password) whoever held the old id holds nothing. None when
/// the session has ended meanwhile.
pub async fn rotate(db: &Db, id_hash: &str, company_id: Option<&str>) -> StoreResult<Option<String>> {
    let id = ids::random_hex(32);
    let mut tx = db.begin_write().await?;
    let copied = sqlx::query(
        "INSERT INTO sessions (id_hash, admin_id, stage, company_id, challenge_id, created_ms, expires_ms) \
         SELECT $1, admin_id, stage, $2, challenge_id, created_ms, expires_ms FROM sessions WHERE id_hash = $3",
    )
    .bind(hash_id(&id))
    .bind(company_id)
    .bind(id_hash)
    .execute(&mut *tx)
    .await?;
    if copied.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *tx).await?;
    tx.commit().await?;
    changed();
    Ok(Some(id))
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

pub async fn set_challenge(db: &Db, id_hash: &str, challenge_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET challenge_id = $1 WHERE id_hash = $2")
        .bind(challenge_id)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    changed();
    Ok(())
}

/// Pushes the expiry forward (sliding sessions); called at most once a minute per session.
pub async fn extend(db: &Db, id_hash: &str, expires_ms: i64, max_ms: i64) -> StoreResult<()> {
    extend_in(db, "sessions", id_hash, expires_ms, max_ms).await?;
    changed();
    Ok(())
}

/// The session tables (administrators', employees', operator staff's): each keeps
/// `id_hash`, `created_ms` and `expires_ms` alike.
pub(crate) type Table = &'static str;

/// Moves a session's idle expiry to `expires_ms`, never past `max_ms` after the sign-in.
pub(crate) async fn extend_in(db: &Db, table: Table, id_hash: &str, expires_ms: i64, max_ms: i64) -> StoreResult<()> {
    // `table` is one of this crate's literals.
    let sql = format!(
        "UPDATE {table} SET expires_ms = CASE WHEN created_ms + $3 < $1 THEN created_ms + $3 ELSE $1 END \
         WHERE id_hash = $2"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(expires_ms).bind(id_hash).bind(max_ms).execute(db.pool()).await?;
    Ok(())
}

/// Ends one session of `table`.
pub(crate) async fn delete_in(db: &Db, table: Table, id_hash: &str) -> StoreResult<()> {
    let sql = format!("DELETE FROM {table} WHERE id_hash = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id_hash).execute(db.pool()).await?;
    Ok(())
}

/// Removes the expired sessions of `table` (housekeeping).
pub(crate) async fn delete_expired_in(db: &Db, table: Table, now_ms: i64) -> StoreResult<u64> {
    let sql = format!("DELETE FROM {table} WHERE expires_ms <= $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms).execute(db.pool()).await?.rows_affected())
}

pub async fn delete(db: &Db, id_hash: &str) -> StoreResult<()> {
    delete_in(db, "sessions", id_hash).await?;
    changed();
    Ok(())
}

/// A signed-in session of an administrator, as My profile lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub id_hash: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// The administrator's signed-in sessions that have not expired, newest first.
pub async fn live_of(db: &Db, admin_id: &str, now_ms: i64) -> StoreResult<Vec<LiveSession>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT id_hash, created_ms, expires_ms FROM sessions WHERE admin_id = $1 AND stage = $2 AND expires_ms > $3 \
         ORDER BY created_ms DESC, id_hash",
    )
    .bind(admin_id)
    .bind(STAGE_ACTIVE)
    .bind(now_ms)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id_hash, created_ms, expires_ms)| LiveSession { id_hash, created_ms, expires_ms })
        .collect())
}

/// Ends every session of the administrator but `keep` (a hash): "sign out everywhere else".
pub async fn delete_others(db: &Db, admin_id: &str, keep: &str) -> StoreResult<u64> {
    let n = sqlx::query("DELETE FROM sessions WHERE admin_id = $1 AND id_hash <> $2")
        .bind(admin_id)
        .bind(keep)
        .execute(db.pool())
        .await?
        .rows_affected();
    changed();
    Ok(n)
}

/// Removes expired sessions (housekeeping).
pub async fn delete_expired(db: &Db, now_ms: i64) -> StoreResult<u64> {
    let n = delete_expired_in(db, "sessions", now_ms).await?;
    changed();
    Ok(n)
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

/// The live session behind a cookie id with its administrator and company, or None.
///
/// Read through a process-wide memory of at most `REMEMBERED` (one second): on PostgreSQL
/// the lookup was one of the two round trips of a list page. Whatever this process changes
/// (a sign-out, a company switch, a grant) forgets everything at once; a change made by
/// another instance reaches this one within the second — a signed-out session may be
/// honoured here for up to a second after another instance signed it out. Expiry is checked
/// on every use.
pub async fn context(db: &Db, id: &str, now_ms: i64) -> StoreResult<Option<SessionContext>> {
    let id_hash = hash_id(id);
    let generation = GENERATION.load(Ordering::Acquire);
    if let Some(ctx) = remembered(&id_hash, generation, now_ms) {
        return Ok(Some(ctx));
    }
    let ctx = load_context(db, id_hash.clone(), now_ms).await?;
    if let Some(ctx) = &ctx {
        remember(id_hash, generation, ctx.clone());
    }
    Ok(ctx)
}

/// How long a loaded context is used without asking the store again.
const REMEMBERED: Duration = Duration::from_secs(1);
/// At most this many remembered contexts (all are dropped when full; they are cheap to load).
const REMEMBERED_MAX: usize = 10_000;

/// Bumped after every change to sessions or grants in this process is written: a context
/// remembered under an older generation is never used, and one loaded after the bump saw
/// the change.
static GENERATION: AtomicU64 = AtomicU64::new(0);

struct Remembered {
    at: Instant,
    generation: u64,
    ctx: SessionContext,
}

static CONTEXTS: LazyLock<Mutex<HashMap<String, Remembered>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Forgets every remembered context (this process changed a session, a grant or an
/// administrator).
pub(crate) fn changed() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

fn remembered(id_hash: &str, generation: u64, now_ms: i64) -> Option<SessionContext> {
    let contexts = CONTEXTS.lock().unwrap_or_else(|e| e.into_inner());
    let r = contexts.get(id_hash)?;
    (r.generation == generation && r.at.elapsed() < REMEMBERED && r.ctx.expires_ms > now_ms).then(|| r.ctx.clone())
}

/// Keeps `ctx`, loaded when the generation was `generation` (if that has moved on since,
/// the entry is dead on arrival, as it should be).
fn remember(id_hash: String, generation: u64, ctx: SessionContext) {
    let mut contexts = CONTEXTS.lock().unwrap_or_else(|e| e.into_inner());
    if contexts.len() >= REMEMBERED_MAX {
        contexts.clear();
    }
    contexts.insert(id_hash, Remembered { at: Instant::now(), generation, ctx });
}

async fn load_context(db: &Db, id_hash: String, now_ms: i64) -> StoreResult<Option<SessionContext>> {
    db.select(
        "SELECT s.id_hash, s.stage, s.challenge_id, s.expires_ms, a.id, a.name, a.phone, a.email, c.id, c.bin,
                c.name, g.alias, g.role
         FROM sessions s
         JOIN admins a ON a.id = s.admin_id
         LEFT JOIN admin_companies g ON g.admin_id = s.admin_id AND g.company_id = s.company_id
         LEFT JOIN companies c ON c.id = g.company_id
         WHERE s.id_hash = $1 AND s.expires_ms > $2",
    )
    .text(id_hash)
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
