//! Companies' requests for administrator access (Register), decided by operator staff.
//! A decision is one guarded statement inside one transaction with what it causes: the
//! company (if Cabinet does not serve it yet), the administrator's account (unactivated, if
//! new), the grant with the full role, and the message that tells the applicant — so two
//! members of staff deciding one request at once decide it once.

use crate::{Db, StoreError, StoreResult, ids, outbox, sessions};
use base64::Engine;
use cabinet_core::{Bin, Msisdn};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

pub struct NewRequest<'a> {
    pub bin: &'a Bin,
    pub company_name: &'a str,
    pub admin_name: &'a str,
    pub phone: &'a Msisdn,
    pub email: &'a str,
    pub locale: &'a str,
    pub letter_name: &'a str,
    pub letter: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequest {
    pub id: String,
    pub bin: String,
    pub company_name: String,
    pub admin_name: String,
    pub phone: String,
    pub email: String,
    pub locale: String,
    pub letter_name: String,
    pub letter_size: i64,
    pub state: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub created_ms: i64,
}

const COLUMNS: &str = "id, bin, company_name, admin_name, phone, email, locale, letter_name, letter_size, state, \
                       reason, decided_by, decided_ms, created_ms";

fn row(r: &crate::Row<'_>) -> StoreResult<AccessRequest> {
    Ok(AccessRequest {
        id: r.text(0)?,
        bin: r.text(1)?,
        company_name: r.text(2)?,
        admin_name: r.text(3)?,
        phone: r.text(4)?,
        email: r.text(5)?,
        locale: r.text(6)?,
        letter_name: r.text(7)?,
        letter_size: r.int(8)?,
        state: r.text(9)?,
        reason: r.opt_text(10)?,
        decided_by: r.opt_text(11)?,
        decided_ms: r.opt_int(12)?,
        created_ms: r.int(13)?,
    })
}

/// Stores a request with its letter; returns its id, or None when the phone has a request
/// waiting for this company already (one is enough; a unique index keeps it so under races).
pub async fn submit(db: &Db, new: &NewRequest<'_>, now_ms: i64) -> StoreResult<Option<String>> {
    let id = ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO access_requests (id, bin, company_name, admin_name, phone, email, locale, letter_name, \
         letter_size, letter, state, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(new.bin.as_str())
    .bind(new.company_name)
    .bind(new.admin_name)
    .bind(new.phone.as_str())
    .bind(new.email)
    .bind(new.locale)
    .bind(new.letter_name)
    .bind(new.letter.len() as i64)
    .bind(base64::engine::general_purpose::STANDARD.encode(new.letter))
    .bind(PENDING)
    .bind(now_ms)
    .execute(db.pool())
    .await;
    match inserted.map_err(|e| StoreError::on_conflict(e, "waiting request")) {
        Ok(_) => Ok(Some(id)),
        Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The requests waiting (oldest first), then the latest decided ones (newest first).
pub async fn list(db: &Db, decided_limit: i64) -> StoreResult<(Vec<AccessRequest>, Vec<AccessRequest>)> {
    let pending = db
        .select(format!("SELECT {COLUMNS} FROM access_requests WHERE state = 'pending' ORDER BY created_ms, id"))
        .all(row)
        .await?;
    let decided = db
        .select(format!(
            "SELECT {COLUMNS} FROM access_requests WHERE state <> 'pending' ORDER BY decided_ms DESC, id LIMIT {}",
            decided_limit.clamp(1, 1000)
        ))
        .all(row)
        .await?;
    Ok((pending, decided))
}

pub async fn get(db: &Db, id: &str) -> StoreResult<Option<AccessRequest>> {
    db.select(format!("SELECT {COLUMNS} FROM access_requests WHERE id = $1")).text(id).optional(row).await
}

/// The letter's file name and bytes (None once `purge_letters` erased it).
pub async fn letter(db: &Db, id: &str) -> StoreResult<Option<(String, Vec<u8>)>> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT letter_name, letter FROM access_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row
        .filter(|(_, b64)| !b64.is_empty())
        .and_then(|(name, b64)| base64::engine::general_purpose::STANDARD.decode(b64).ok().map(|bytes| (name, bytes))))
}

/// What became of an approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub company_id: String,
    pub admin_id: String,
    /// The administrator's account was made by this approval (to be activated).
    pub new_account: bool,
}

/// Approves a pending request: in one transaction the request is marked (once: false when
/// it was not pending), the company created if Cabinet does not serve it yet (named
/// `company_name`, the operator's name for it), the administrator's account created
/// unactivated if the phone has none, access granted with the full role, and `message`
/// queued for the applicant.
pub async fn approve(
    db: &Db,
    id: &str,
    decided_by: &str,
    company_name: &str,
    message: &outbox::Outgoing<'_>,
    now_ms: i64,
) -> StoreResult<Option<Approved>> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE access_requests SET state = 'approved', decided_by = $1, decided_ms = $2 \
         WHERE id = $3 AND state = 'pending'",
    )
    .bind(decided_by)
    .bind(now_ms)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Ok(None);
    }
    let (bin, admin_name, phone, email): (String, String, String, String) =
        sqlx::query_as("SELECT bin, admin_name, phone, email FROM access_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    // Another approval may create the same company or account at the same moment: whoever
    // comes second finds the first's.
    sqlx::query(
        "INSERT INTO companies (id, bin, name, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (bin) DO NOTHING",
    )
    .bind(ids::new_id())
    .bind(&bin)
    .bind(company_name)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    let (company_id,): (String,) =
        sqlx::query_as("SELECT id FROM companies WHERE bin = $1").bind(&bin).fetch_one(&mut *tx).await?;
    let new_account = sqlx::query(
        "INSERT INTO admins (id, phone, name, email, password_hash, created_ms) VALUES ($1, $2, $3, $4, NULL, $5) \
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(ids::new_id())
    .bind(&phone)
    .bind(&admin_name)
    .bind(&email)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let (admin_id,): (String,) =
        sqlx::query_as("SELECT id FROM admins WHERE phone = $1").bind(&phone).fetch_one(&mut *tx).await?;
    // An administrator who has the company already keeps their role.
    sqlx::query(
        "INSERT INTO admin_companies (admin_id, company_id, role, granted_ms) VALUES ($1, $2, 'full', $3) \
         ON CONFLICT (admin_id, company_id) DO NOTHING",
    )
    .bind(&admin_id)
    .bind(&company_id)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_in(&mut tx, message, now_ms).await?;
    tx.commit().await?;
    sessions::changed();
    Ok(Some(Approved { company_id, admin_id, new_account }))
}

/// Rejects a pending request with the reason, and queues `message` for the applicant, in
/// one transaction; false when it was not pending.
pub async fn reject(
    db: &Db,
    id: &str,
    decided_by: &str,
    reason: &str,
    message: &outbox::Outgoing<'_>,
    now_ms: i64,
) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE access_requests SET state = 'rejected', reason = $1, decided_by = $2, decided_ms = $3 \
         WHERE id = $4 AND state = 'pending'",
    )
    .bind(reason)
    .bind(decided_by)
    .bind(now_ms)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Ok(false);
    }
    outbox::enqueue_in(&mut tx, message, now_ms).await?;
    tx.commit().await?;
    Ok(true)
}

/// Erases the letters of requests decided before `decided_before_ms` (their decision, who
/// made it and when stay): a company's letter is kept only as long as it may be looked at
/// again. Returns how many were erased.
pub async fn purge_letters(db: &Db, decided_before_ms: i64) -> StoreResult<u64> {
    Ok(sqlx::query(
        "UPDATE access_requests SET letter = '', letter_size = 0 \
         WHERE state <> 'pending' AND decided_ms < $1 AND letter_size > 0",
    )
    .bind(decided_before_ms)
    .execute(db.pool())
    .await?
    .rows_affected())
}
