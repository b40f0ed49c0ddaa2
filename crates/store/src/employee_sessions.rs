//! Employees' self-care sessions (SPEC §5): a number's user signed in with the number and
//! its secret code. The browser holds a random id; the store keeps its SHA-256. A session
//! is the number's in the company that issued the code, and ends with that code
//! (`secret_codes` deletes them in the transaction that replaces or deletes it).

use crate::sessions::{self, hash_id};
use crate::{Db, StoreResult, ids};

const TABLE: sessions::Table = "employee_sessions";

/// A live self-care session: which number, in which company (and its BIN, which every
/// question to the operator names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeSession {
    pub id_hash: String,
    pub company_id: String,
    pub company_bin: String,
    pub msisdn: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// Starts a session for the number and returns the id for the cookie.
pub async fn create(db: &Db, company_id: &str, msisdn: &str, now_ms: i64, ttl_ms: i64) -> StoreResult<String> {
    let id = ids::random_hex(32);
    sqlx::query(
        "INSERT INTO employee_sessions (id_hash, company_id, msisdn, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_id(&id))
    .bind(company_id)
    .bind(msisdn)
    .bind(now_ms)
    .bind(now_ms + ttl_ms)
    .execute(db.pool())
    .await?;
    Ok(id)
}

/// The live session behind a cookie id, or None when unknown or expired.
pub async fn get(db: &Db, id: &str, now_ms: i64) -> StoreResult<Option<EmployeeSession>> {
    db.select(
        "SELECT e.id_hash, e.company_id, c.bin, e.msisdn, e.created_ms, e.expires_ms \
         FROM employee_sessions e JOIN companies c ON c.id = e.company_id \
         WHERE e.id_hash = $1 AND e.expires_ms > $2",
    )
    .text(hash_id(id))
    .int(now_ms)
    .optional(|r| {
        Ok(EmployeeSession {
            id_hash: r.text(0)?,
            company_id: r.text(1)?,
            company_bin: r.text(2)?,
            msisdn: r.text(3)?,
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

pub async fn delete(db: &Db, id_hash: &str) -> StoreResult<()> {
    sessions::delete_in(db, TABLE, id_hash).await
}

/// Ends every session of the number in the company (its code was replaced or deleted).
pub async fn end_for_number_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company_id: &str,
    msisdn: &str,
) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM employee_sessions WHERE company_id = $1 AND msisdn = $2")
        .bind(company_id)
        .bind(msisdn)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Removes expired sessions (housekeeping).
pub async fn delete_expired(db: &Db, now_ms: i64) -> StoreResult<u64> {
    sessions::delete_expired_in(db, TABLE, now_ms).await
}
