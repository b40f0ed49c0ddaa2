//! Reports an administrator asked for ("My reports"): the request and its `report` job in
//! one transaction, the state the job moves it through, the finished file in base64 chunks
//! (so that any instance serves it and a download holds one chunk at a time), and expiry.
//! Every read a page makes names the company and the administrator: another's report is
//! simply not there.

use crate::jobs::{self, kinds};
use crate::{Db, StoreResult, ids};
use base64::Engine;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const READY: &str = "ready";
pub const FAILED: &str = "failed";

/// Bytes of the file a chunk row holds: a download streams it chunk by chunk, so this is
/// about what one download keeps in memory (a third more as base64).
pub const CHUNK_BYTES: usize = 256 * 1024;

/// How long a report stays in My reports once it has ended (ready or failed): the manuals
/// promise the file by e-mail; the list is a convenience for a working week and a weekend.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// How often a report is tried against an operator that does not answer.
pub const ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: String,
    pub company_id: String,
    pub admin_id: String,
    pub kind: String,
    /// The request as JSON; its shape belongs to `kind`.
    pub params: String,
    /// In the language it was asked in (the e-mail's subject; the page words it anew).
    pub title: String,
    pub locale: String,
    pub state: String,
    pub job_id: String,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
    pub size_bytes: Option<i64>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub expires_ms: i64,
    /// Why it failed: a reason code (`operator_unavailable`, `number_not_found`, …).
    pub error: Option<String>,
}

const COLUMNS: &str = "r.id, r.company_id, r.admin_id, r.kind, r.params, r.title, r.locale, r.state, r.job_id, \
     r.created_ms, r.finished_ms, r.size_bytes, r.file_name, r.content_type, r.expires_ms, r.error";

fn report(r: &AnyRow) -> Result<Report, sqlx::Error> {
    Ok(Report {
        id: r.try_get(0)?,
        company_id: r.try_get(1)?,
        admin_id: r.try_get(2)?,
        kind: r.try_get(3)?,
        params: r.try_get(4)?,
        title: r.try_get(5)?,
        locale: r.try_get(6)?,
        state: r.try_get(7)?,
        job_id: r.try_get(8)?,
        created_ms: r.try_get(9)?,
        finished_ms: r.try_get(10)?,
        size_bytes: r.try_get(11)?,
        file_name: r.try_get(12)?,
        content_type: r.try_get(13)?,
        expires_ms: r.try_get(14)?,
        error: r.try_get(15)?,
    })
}

impl Report {
    /// Still to be built: a page polls it.
    pub fn pending(&self) -> bool {
        self.state == QUEUED || self.state == RUNNING
    }
}

/// Whose reports: every page read is scoped by both.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub company_id: &'a str,
    pub admin_id: &'a str,
}

pub struct NewReport<'a> {
    pub kind: &'a str,
    pub params: &'a str,
    pub title: &'a str,
    pub locale: &'a str,
}

/// Records the request and enqueues its job in one transaction; returns the report's id.
pub async fn request(db: &Db, owner: Owner<'_>, new: &NewReport<'_>, now_ms: i64) -> StoreResult<String> {
    let id = ids::new_id();
    let payload = serde_json::to_string(&kinds::ReportPayload { report_id: id.clone() }).expect("payloads serialise");
    let mut tx = db.begin_write().await?;
    let job_id = jobs::enqueue(&mut tx, kinds::REPORT, &payload, ATTEMPTS, now_ms, now_ms).await?;
    sqlx::query(
        "INSERT INTO reports (id, company_id, admin_id, kind, params, title, locale, state, job_id, created_ms, expires_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10)",
    )
    .bind(&id)
    .bind(owner.company_id)
    .bind(owner.admin_id)
    .bind(new.kind)
    .bind(new.params)
    .bind(new.title)
    .bind(new.locale)
    .bind(&job_id)
    .bind(now_ms)
    // Reset when the report ends; a request nobody ever ran still goes in time.
    .bind(now_ms + KEEP_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The administrator's reports in the company, newest first.
pub async fn list_for(db: &Db, owner: Owner<'_>, limit: i64) -> StoreResult<Vec<Report>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reports r WHERE r.company_id = $1 AND r.admin_id = $2
         ORDER BY r.created_ms DESC, r.id DESC LIMIT $3"
    )))
    .bind(owner.company_id)
    .bind(owner.admin_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(report).collect::<Result<_, _>>()?)
}

/// One of the administrator's reports in the company; None for anyone else's.
pub async fn get_for(db: &Db, owner: Owner<'_>, id: &str) -> StoreResult<Option<Report>> {
    if !ids::is_id(id) {
        return Ok(None);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reports r WHERE r.id = $1 AND r.company_id = $2 AND r.admin_id = $3"
    )))
    .bind(id)
    .bind(owner.company_id)
    .bind(owner.admin_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(report).transpose()?)
}

/// What the job needs to build and send a report: the report, the company's BIN and the
/// administrator's e-mail address (if they have one).
pub struct ForJob {
    pub report: Report,
    pub bin: String,
    pub email: Option<String>,
}

/// The report a job builds (None: it expired and was removed before the job ran).
pub async fn for_job(db: &Db, id: &str) -> StoreResult<Option<ForJob>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, c.bin, a.email FROM reports r
           JOIN companies c ON c.id = r.company_id JOIN admins a ON a.id = r.admin_id
         WHERE r.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(ForJob { report: report(&row)?, bin: row.try_get(16)?, email: row.try_get(17)? }))
}

/// The job has started on it (shown as such; a retry after a crash starts it again).
pub async fn mark_running(db: &Db, id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE reports SET state = 'running' WHERE id = $1 AND state = 'queued'")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Stores one chunk of the file (`position` from 0), inside the transaction that ends the
/// job: a job that loses its lease or crashes leaves no part of a file behind.
pub async fn store_chunk_in(conn: &mut AnyConnection, id: &str, position: i64, bytes: &[u8]) -> StoreResult<()> {
    sqlx::query("INSERT INTO report_chunks (report_id, position, content_b64) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(position)
        .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
        .execute(conn)
        .await?;
    Ok(())
}

/// The file a ready report holds, as the download names it.
pub struct FileInfo<'a> {
    pub size_bytes: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
}

/// The report is ready (its chunks stored in the same transaction); kept `KEEP_MS` from now.
pub async fn mark_ready_in(conn: &mut AnyConnection, id: &str, file: &FileInfo<'_>, now_ms: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE reports SET state = 'ready', finished_ms = $1, size_bytes = $2, file_name = $3, content_type = $4,
                expires_ms = $5, error = NULL
         WHERE id = $6",
    )
    .bind(now_ms)
    .bind(file.size_bytes)
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(now_ms + KEEP_MS)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The report could not be made: `reason` is a code the page words.
pub async fn mark_failed_in(conn: &mut AnyConnection, id: &str, reason: &str, now_ms: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE reports SET state = 'failed', finished_ms = $1, error = $2, expires_ms = $3
         WHERE id = $4 AND state <> 'ready'",
    )
    .bind(now_ms)
    .bind(reason)
    .bind(now_ms + KEEP_MS)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Chunk `position` of a report's file, or None past its end. The caller has checked the
/// report is the administrator's.
pub async fn chunk(db: &Db, report_id: &str, position: i64) -> StoreResult<Option<Vec<u8>>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT content_b64 FROM report_chunks WHERE report_id = $1 AND position = $2")
            .bind(report_id)
            .bind(position)
            .fetch_optional(db.pool())
            .await?;
    match row {
        None => Ok(None),
        Some((b64,)) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map(Some)
            .map_err(|_| sqlx::Error::Decode("a report chunk is not base64".into()).into()),
    }
}

/// Removes reports that expired before `now_ms`, with their files (housekeeping).
pub async fn delete_expired(db: &Db, now_ms: i64) -> StoreResult<u64> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM report_chunks WHERE report_id IN (SELECT id FROM reports WHERE expires_ms < $1)")
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
    let n =
        sqlx::query("DELETE FROM reports WHERE expires_ms < $1").bind(now_ms).execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(n)
}
