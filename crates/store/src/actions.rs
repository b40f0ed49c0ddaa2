//! The actions history: what each administrator of a company did, with its outcome.

use crate::{Db, StoreResult, ids};
use sqlx::AnyConnection;
use std::sync::atomic::{AtomicU64, Ordering};

pub const PROCESSING: &str = "processing";
pub const SUCCESS: &str = "success";
pub const FAILURE: &str = "failure";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: String,
    pub company_id: String,
    pub admin_name: String,
    pub admin_phone: String,
    pub kind: String,
    pub msisdn: Option<String>,
    pub details: String,
    pub status: String,
    pub reason: Option<String>,
    pub job_id: Option<String>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Action {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Action {
            id: sqlx::Row::try_get(r, 0)?,
            company_id: sqlx::Row::try_get(r, 1)?,
            admin_name: sqlx::Row::try_get(r, 2)?,
            admin_phone: sqlx::Row::try_get(r, 3)?,
            kind: sqlx::Row::try_get(r, 4)?,
            msisdn: sqlx::Row::try_get(r, 5)?,
            details: sqlx::Row::try_get(r, 6)?,
            status: sqlx::Row::try_get(r, 7)?,
            reason: sqlx::Row::try_get(r, 8)?,
            job_id: sqlx::Row::try_get(r, 9)?,
            created_ms: sqlx::Row::try_get(r, 10)?,
            finished_ms: sqlx::Row::try_get(r, 11)?,
        })
    }
}

/// Who did it, as shown in the history.
pub struct Actor<'a> {
    pub company_id: &'a str,
    pub admin_id: &'a str,
    pub admin_name: &'a str,
    pub admin_phone: &'a str,
}

pub struct NewAction<'a> {
    pub kind: &'a str,
    pub msisdn: Option<&'a str>,
    /// JSON with what the action needs to be shown (e.g. the service's code).
    pub details: &'a str,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub job_id: Option<&'a str>,
}

/// Bumped by this process whenever an action starts or stops waiting for the operator, so
/// that what a page remembered of the waiting numbers is forgotten at once here (another
/// instance's changes show when its memory expires).
static PROCESSING_CHANGES: AtomicU64 = AtomicU64::new(0);

/// How many times this process has started or ended a waiting action (see above).
pub fn processing_changes() -> u64 {
    PROCESSING_CHANGES.load(Ordering::Acquire)
}

fn processing_changed() {
    PROCESSING_CHANGES.fetch_add(1, Ordering::AcqRel);
}

/// Records an action, inside the caller's transaction.
pub async fn record(conn: &mut AnyConnection, who: &Actor<'_>, a: &NewAction<'_>, now_ms: i64) -> StoreResult<String> {
    let id = ids::new_id();
    let finished = (a.status != PROCESSING).then_some(now_ms);
    if a.status == PROCESSING {
        processing_changed();
    }
    sqlx::query(
        "INSERT INTO actions (id, company_id, admin_id, admin_name, admin_phone, kind, msisdn, details, status, reason, job_id, created_ms, finished_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(who.company_id)
    .bind(who.admin_id)
    .bind(who.admin_name)
    .bind(who.admin_phone)
    .bind(a.kind)
    .bind(a.msisdn)
    .bind(a.details)
    .bind(a.status)
    .bind(a.reason)
    .bind(a.job_id)
    .bind(now_ms)
    .bind(finished)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Records an action that finished at once (a refusal, a view), on its own.
pub async fn record_now(db: &Db, who: &Actor<'_>, a: &NewAction<'_>, now_ms: i64) -> StoreResult<String> {
    let mut conn = db.pool().acquire().await?;
    record(&mut conn, who, a, now_ms).await
}

/// Ends the action that a job carried out.
pub async fn finish_for_job(db: &Db, job_id: &str, status: &str, reason: Option<&str>, now_ms: i64) -> StoreResult<()> {
    let mut conn = db.pool().acquire().await?;
    finish_for_job_in(&mut conn, job_id, status, reason, now_ms).await
}

/// `finish_for_job` inside the caller's transaction (the one that ends the job).
pub async fn finish_for_job_in(
    conn: &mut sqlx::AnyConnection,
    job_id: &str,
    status: &str,
    reason: Option<&str>,
    now_ms: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE actions SET status = $1, reason = $2, finished_ms = $3 WHERE job_id = $4 AND status = 'processing'",
    )
    .bind(status)
    .bind(reason)
    .bind(now_ms)
    .bind(job_id)
    .execute(conn)
    .await?;
    processing_changed();
    Ok(())
}

/// Ends the action that a job carried out with what its outcome adds to the details, inside
/// the caller's transaction; false when it had ended already (the page and a job that both
/// got the operator's answer: the first one records it).
pub async fn finish_with_details_in(
    conn: &mut sqlx::AnyConnection,
    job_id: &str,
    (status, reason): (&str, Option<&str>),
    details: &str,
    now_ms: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE actions SET status = $1, reason = $2, details = $3, finished_ms = $4 \
         WHERE job_id = $5 AND status = 'processing'",
    )
    .bind(status)
    .bind(reason)
    .bind(details)
    .bind(now_ms)
    .bind(job_id)
    .execute(conn)
    .await?;
    processing_changed();
    Ok(done.rows_affected() == 1)
}

const COLUMNS: &str =
    "id, company_id, admin_name, admin_phone, kind, msisdn, details, status, reason, job_id, created_ms, finished_ms";
/// How many columns `COLUMNS` names.
const COLUMN_COUNT: usize = 12;

impl Action {
    /// An action from a select of `COLUMNS`.
    fn from_select(r: &crate::Row) -> StoreResult<Action> {
        Ok(Action {
            id: r.text(0)?,
            company_id: r.text(1)?,
            admin_name: r.text(2)?,
            admin_phone: r.text(3)?,
            kind: r.text(4)?,
            msisdn: r.opt_text(5)?,
            details: r.text(6)?,
            status: r.text(7)?,
            reason: r.opt_text(8)?,
            job_id: r.opt_text(9)?,
            created_ms: r.int(10)?,
            finished_ms: r.opt_int(11)?,
        })
    }
}

/// The company's actions in `[from_ms, to_ms)`, newest first, a page at a time.
pub async fn in_period(
    db: &Db,
    company_id: &str,
    from_ms: i64,
    to_ms: i64,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<Action>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND created_ms >= $2 AND created_ms < $3
         ORDER BY created_ms DESC, id DESC LIMIT $4 OFFSET $5"
    )))
    .bind(company_id)
    .bind(from_ms)
    .bind(to_ms)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?)
}

/// Where a walk through a period stopped: the last action read (`created_ms`, `id`).
pub type Cursor = (i64, String);

/// The company's actions in `[from_ms, to_ms)`, newest first, the `limit` after `after` (or
/// from the newest): an export walks a long period page by page, in constant memory, and
/// each page is found through the index however deep it lies.
pub async fn in_period_after(
    db: &Db,
    company_id: &str,
    from_ms: i64,
    to_ms: i64,
    after: Option<&Cursor>,
    limit: i64,
) -> StoreResult<Vec<Action>> {
    let (before_ms, before_id) = match after {
        Some((ms, id)) => (*ms, id.as_str()),
        // Past every action of the period: `created_ms < to_ms` bounds it anyway.
        None => (to_ms, ""),
    };
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND created_ms >= $2 AND created_ms < $3
           AND (created_ms < $4 OR (created_ms = $4 AND id < $5))
         ORDER BY created_ms DESC, id DESC LIMIT $6"
    )))
    .bind(company_id)
    .bind(from_ms)
    .bind(to_ms)
    .bind(before_ms)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// The action on this number still waiting for the operator, if any.
pub async fn pending_on(db: &Db, company_id: &str, msisdn: &str) -> StoreResult<Option<Action>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND msisdn = $2 AND status = 'processing'
         ORDER BY created_ms DESC LIMIT 1"
    )))
    .bind(company_id)
    .bind(msisdn)
    .fetch_optional(db.pool())
    .await?)
}

/// The company's numbers with an action still waiting for the operator, or None when there
/// are more than `cap` (then ask [`processing_among`] for a page's numbers). There are
/// usually none or a few, found through a partial index, so the list can ask this beside
/// the operator's page instead of after it.
pub async fn processing_in_company(db: &Db, company_id: &str, cap: usize) -> StoreResult<Option<Vec<String>>> {
    let found = db
        .select(format!(
            "SELECT DISTINCT msisdn FROM actions WHERE company_id = $1 AND status = 'processing' \
             AND msisdn IS NOT NULL LIMIT {}",
            cap + 1
        ))
        .text(company_id)
        .all(|r| r.text(0))
        .await?;
    Ok((found.len() <= cap).then_some(found))
}

/// Which of these numbers (a page of the list) have an action still waiting for the
/// operator: one statement for the page, over the (company_id, msisdn, status) index.
pub async fn processing_among(db: &Db, company_id: &str, msisdns: &[&str]) -> StoreResult<Vec<String>> {
    if msisdns.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<String> = (0..msisdns.len()).map(|i| format!("${}", i + 2)).collect();
    let mut q = db
        .select(format!(
            "SELECT DISTINCT msisdn FROM actions WHERE company_id = $1 AND msisdn IN ({}) AND status = 'processing'",
            params.join(", ")
        ))
        .text(company_id);
    for m in msisdns {
        q = q.text(*m);
    }
    q.all(|r| r.text(0)).await
}

/// The company's action that the job `job_id` carries out.
pub async fn for_job(db: &Db, company_id: &str, job_id: &str) -> StoreResult<Option<Action>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND job_id = $2"
    )))
    .bind(company_id)
    .bind(job_id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn get(db: &Db, company_id: &str, id: &str) -> StoreResult<Option<Action>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND id = $2")))
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// The newest action on this number, whatever its status.
pub async fn latest_on(db: &Db, company_id: &str, msisdn: &str) -> StoreResult<Option<Action>> {
    db.select(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND msisdn = $2 ORDER BY created_ms DESC, id DESC LIMIT 1"
    ))
    .text(company_id)
    .text(msisdn)
    .optional(Action::from_select)
    .await
}

/// What the profile of a number shows from Cabinet's own records: the latest action on it
/// and when its secret code was issued (if it has one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberRecords {
    pub latest: Option<Action>,
    pub secret_code_ms: Option<i64>,
}

/// `latest_on` and `secret_codes::issued_at` in one statement: on PostgreSQL each statement
/// is a round trip, and the profile page waits for this one.
pub async fn number_records(db: &Db, company_id: &str, msisdn: &str) -> StoreResult<NumberRecords> {
    // One row always: the action's columns are NULL when the number has none.
    db.select(format!(
        "SELECT l.*, (SELECT created_ms FROM secret_codes WHERE company_id = $1 AND msisdn = $2) \
         FROM (SELECT 1 AS one) o LEFT JOIN (SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND msisdn = $2 \
         ORDER BY created_ms DESC, id DESC LIMIT 1) l ON 1 = 1"
    ))
    .text(company_id)
    .text(msisdn)
    .one(|r| {
        // `l.*` is COLUMNS (all NULL without an action), then the code's time.
        let latest = match r.opt_text(0)? {
            Some(_) => Some(Action::from_select(r)?),
            None => None,
        };
        Ok(NumberRecords { latest, secret_code_ms: r.opt_int(COLUMN_COUNT)? })
    })
    .await
}

/// How many actions the company has in `[from_ms, to_ms)`.
pub async fn count_in_period(db: &Db, company_id: &str, from_ms: i64, to_ms: i64) -> StoreResult<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM actions WHERE company_id = $1 AND created_ms >= $2 AND created_ms < $3")
            .bind(company_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}

/// The number's device (IMEI) requests, newest first.
pub async fn device_requests(db: &Db, company_id: &str, msisdn: &str, limit: i64) -> StoreResult<Vec<Action>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM actions WHERE company_id = $1 AND msisdn = $2 AND kind LIKE 'imei_%'
         ORDER BY created_ms DESC, id DESC LIMIT $3"
    )))
    .bind(company_id)
    .bind(msisdn)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
