//! Operator staff: the accounts of the operator console (`/operator`), made with `cabinet
//! staff create`, and their sessions (the browser holds a random id, the store its SHA-256).

use crate::sessions::{self, hash_id};
use crate::{Db, StoreError, StoreResult, ids};

const TABLE: sessions::Table = "staff_sessions";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: String,
    pub login: String,
    pub name: String,
    pub password_hash: String,
}

/// A live session of a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub id_hash: String,
    pub staff_id: String,
    pub login: String,
    pub name: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

pub async fn create(db: &Db, login: &str, name: &str, password_hash: &str, now_ms: i64) -> StoreResult<Staff> {
    let staff =
        Staff { id: ids::new_id(), login: login.into(), name: name.into(), password_hash: password_hash.into() };
    sqlx::query("INSERT INTO operator_staff (id, login, name, password_hash, created_ms) VALUES ($1, $2, $3, $4, $5)")
        .bind(&staff.id)
        .bind(&staff.login)
        .bind(&staff.name)
        .bind(&staff.password_hash)
        .bind(now_ms)
        .execute(db.pool())
        .await
        .map_err(|e| StoreError::on_conflict(e, "member of staff with this login"))?;
    Ok(staff)
}

pub async fn by_login(db: &Db, login: &str) -> StoreResult<Option<Staff>> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, login, name, password_hash FROM operator_staff WHERE login = $1")
            .bind(login)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id, login, name, password_hash)| Staff { id, login, name, password_hash }))
}

/// A new password for the member of staff, and every session of theirs ended; false when
/// there is no such login.
pub async fn set_password(db: &Db, login: &str, password_hash: &str) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query("UPDATE operator_staff SET password_hash = $1 WHERE login = $2")
        .bind(password_hash)
        .bind(login)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id IN (SELECT id FROM operator_staff WHERE login = $1)")
        .bind(login)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(changed)
}

/// Removes the member of staff and ends their sessions; false when there is no such login.
/// (Requests they decided keep their name.)
pub async fn remove(db: &Db, login: &str) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id IN (SELECT id FROM operator_staff WHERE login = $1)")
        .bind(login)
        .execute(&mut *tx)
        .await?;
    let gone =
        sqlx::query("DELETE FROM operator_staff WHERE login = $1").bind(login).execute(&mut *tx).await?.rows_affected()
            == 1;
    tx.commit().await?;
    Ok(gone)
}

/// Starts a session and returns the id for the cookie.
pub async fn start_session(db: &Db, staff_id: &str, now_ms: i64, ttl_ms: i64) -> StoreResult<String> {
    let id = ids::random_hex(32);
    sqlx::query("INSERT INTO staff_sessions (id_hash, staff_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)")
        .bind(hash_id(&id))
        .bind(staff_id)
        .bind(now_ms)
        .bind(now_ms + ttl_ms)
        .execute(db.pool())
        .await?;
    Ok(id)
}

/// The live session behind a cookie id.
pub async fn session(db: &Db, id: &str, now_ms: i64) -> StoreResult<Option<StaffSession>> {
    db.select(
        "SELECT s.id_hash, s.staff_id, o.login, o.name, s.created_ms, s.expires_ms \
         FROM staff_sessions s JOIN operator_staff o ON o.id = s.staff_id WHERE s.id_hash = $1 AND s.expires_ms > $2",
    )
    .text(hash_id(id))
    .int(now_ms)
    .optional(|r| {
        Ok(StaffSession {
            id_hash: r.text(0)?,
            staff_id: r.text(1)?,
            login: r.text(2)?,
            name: r.text(3)?,
            created_ms: r.int(4)?,
            expires_ms: r.int(5)?,
        })
    })
    .await
}

/// Moves the idle expiry on, never past `max_ms` after the sign-in.
pub async fn extend(db: &Db, id_hash: &str, expires_ms: i64, max_ms: i64) -> StoreResult<()> {
    sessions::extend_in(db, TABLE, id_hash, expires_ms, max_ms).await
}

pub async fn end_session(db: &Db, id_hash: &str) -> StoreResult<()> {
    sessions::delete_in(db, TABLE, id_hash).await
}

/// Removes expired sessions (housekeeping).
pub async fn delete_expired(db: &Db, now_ms: i64) -> StoreResult<u64> {
    sessions::delete_expired_in(db, TABLE, now_ms).await
}
