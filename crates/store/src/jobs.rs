//! The durable job queue, in the store. A job is enqueued in the same transaction as the
//! business row that needs it (an action, a report request), claimed by one worker under a
//! lease, and ends `done` or `failed`. A worker that dies leaves its lease to run out; the
//! job is then claimed again, so handlers must be idempotent (operations carry the job id
//! to the operator as their idempotency key).

use crate::{Db, Dialect, StoreResult, ids};
use sqlx::AnyConnection;

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// A finished job keeps `locked_by`: the worker that carried it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub state: String,
    /// Claims so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at_ms: i64,
    pub last_error: Option<String>,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Job {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Job {
            id: sqlx::Row::try_get(r, 0)?,
            kind: sqlx::Row::try_get(r, 1)?,
            payload: sqlx::Row::try_get(r, 2)?,
            state: sqlx::Row::try_get(r, 3)?,
            attempts: sqlx::Row::try_get(r, 4)?,
            max_attempts: sqlx::Row::try_get(r, 5)?,
            run_at_ms: sqlx::Row::try_get(r, 6)?,
            last_error: sqlx::Row::try_get(r, 7)?,
        })
    }
}

impl Job {
    /// Claimed more times than it may run: a worker died holding it on its last attempt.
    /// Such a job is not run again; the worker records that it failed.
    pub fn exhausted(&self) -> bool {
        self.attempts > self.max_attempts
    }
}

/// Adds a job to run at `run_at_ms`, inside the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: &str,
    payload: &str,
    max_attempts: i64,
    run_at_ms: i64,
    now_ms: i64,
) -> StoreResult<String> {
    let id = ids::new_id();
    enqueue_as(conn, &id, kind, payload, max_attempts, (run_at_ms, now_ms)).await?;
    Ok(id)
}

/// `enqueue` under an id the caller chose (an idempotency key), inside the caller's
/// transaction; false when a job with that id exists already, and nothing is added.
pub async fn enqueue_as(
    conn: &mut AnyConnection,
    id: &str,
    kind: &str,
    payload: &str,
    max_attempts: i64,
    (run_at_ms, now_ms): (i64, i64),
) -> StoreResult<bool> {
    let added = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at_ms, created_ms)
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(kind)
    .bind(payload)
    .bind(max_attempts)
    .bind(run_at_ms)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

const JOB_COLUMNS: &str = "id, kind, payload, state, attempts, max_attempts, run_at_ms, last_error";

/// Claims the next due job for `worker` until `now + lease_ms`: a queued job whose time has
/// come, or a running one whose lease ran out. Two workers never claim the same job: on
/// PostgreSQL the row is locked with SKIP LOCKED, on SQLite the write lock is taken first.
pub async fn claim(db: &Db, worker: &str, now_ms: i64, lease_ms: i64) -> StoreResult<Option<Job>> {
    let lock = match db.dialect() {
        Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        Dialect::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until_ms = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs
                     WHERE (state = 'queued' AND run_at_ms <= $3) OR (state = 'running' AND locked_until_ms <= $3)
                     ORDER BY run_at_ms LIMIT 1{lock})
         RETURNING {JOB_COLUMNS}"
    );
    let mut tx = db.begin_write().await?;
    let job: Option<Job> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(job)
}

/// Ends a job that succeeded. False when the worker no longer holds it (its lease ran out
/// and another worker took it): the caller then leaves the outcome to that worker.
pub async fn complete(db: &Db, job_id: &str, worker: &str, now_ms: i64) -> StoreResult<bool> {
    let mut conn = db.pool().acquire().await?;
    finish_in(&mut conn, job_id, worker, DONE, None, now_ms).await
}

/// Ends a job that cannot succeed.
pub async fn fail(db: &Db, job_id: &str, worker: &str, error: &str, now_ms: i64) -> StoreResult<bool> {
    let mut conn = db.pool().acquire().await?;
    finish_in(&mut conn, job_id, worker, FAILED, Some(error), now_ms).await
}

/// Ends a job as `state` (`DONE` or `FAILED`) inside the caller's transaction, fenced by the
/// lease: false when `worker` no longer holds the job, and the caller must then roll back
/// whatever else it wrote. Written first in a transaction, it also locks the job's row, so
/// that the job's outcome and its effects (an action's status, an SMS) commit together.
pub async fn finish_in(
    conn: &mut AnyConnection,
    job_id: &str,
    worker: &str,
    state: &str,
    error: Option<&str>,
    now_ms: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = $1, last_error = COALESCE($2, last_error), finished_ms = $3, locked_until_ms = NULL
         WHERE id = $4 AND locked_by = $5 AND state = 'running'",
    )
    .bind(state)
    .bind(error)
    .bind(now_ms)
    .bind(job_id)
    .bind(worker)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a job that is still waiting in the queue (no worker has claimed it) as done, inside
/// the caller's transaction: whoever enqueued it as a safety net carried it out itself.
/// False when a worker claimed it first; that worker then ends it.
pub async fn settle_queued_in(conn: &mut AnyConnection, job_id: &str, now_ms: i64) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE jobs SET state = 'done', finished_ms = $1 WHERE id = $2 AND state = 'queued'")
        .bind(now_ms)
        .bind(job_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a job back in the queue to run at `run_at_ms`. `counts` says whether this claim
/// spent one of its attempts (a transient failure) or not (waiting on the operator).
pub async fn requeue(
    db: &Db,
    job_id: &str,
    worker: &str,
    run_at_ms: i64,
    error: Option<&str>,
    counts: bool,
) -> StoreResult<bool> {
    let mut conn = db.pool().acquire().await?;
    requeue_in(&mut conn, job_id, worker, run_at_ms, error, counts).await
}

/// `requeue` inside the caller's transaction, fenced like `finish_in`.
pub async fn requeue_in(
    conn: &mut AnyConnection,
    job_id: &str,
    worker: &str,
    run_at_ms: i64,
    error: Option<&str>,
    counts: bool,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', run_at_ms = $1, last_error = COALESCE($2, last_error),
                attempts = attempts - $3, locked_by = NULL, locked_until_ms = NULL
         WHERE id = $4 AND locked_by = $5 AND state = 'running'",
    )
    .bind(run_at_ms)
    .bind(error)
    .bind(if counts { 0i64 } else { 1i64 })
    .bind(job_id)
    .bind(worker)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Extends the lease of a job that is still running, so that a short lease is enough for a
/// long job and a dead process's job is taken over soon. False when the lease was lost.
pub async fn renew(db: &Db, job_id: &str, worker: &str, until_ms: i64) -> StoreResult<bool> {
    let done =
        sqlx::query("UPDATE jobs SET locked_until_ms = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'")
            .bind(until_ms)
            .bind(job_id)
            .bind(worker)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(db: &Db, job_id: &str) -> StoreResult<Option<Job>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1")))
        .bind(job_id)
        .fetch_optional(db.pool())
        .await?)
}

/// How many jobs wait (queued) and are held (running), by kind and state: the queue's depth
/// for /metrics. Kinds with neither are absent.
pub async fn depth(db: &Db) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT kind, state, COUNT(*) FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind, state",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Exponential backoff for the n-th failed attempt: 1 s, 2 s, 4 s … capped at 5 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    let exp = attempt.clamp(1, 20) - 1;
    (1000i64 << exp).min(5 * 60 * 1000)
}

/// Job kinds and their payloads, shared by whoever enqueues and the worker that runs them.
pub mod kinds {
    use serde::{Deserialize, Serialize};

    /// An operation on a number, sent to the operator with the job's id as idempotency key.
    pub const OPERATION: &str = "operation";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OperationPayload {
        pub bin: String,
        pub msisdn: String,
        pub operation: cabinet_core::operator::Operation,
        /// SMS to the number with the result (device registration), written at request
        /// time in the administrator's language.
        #[serde(default)]
        pub result_sms: Option<ResultSms>,
    }

    /// A message of the outbox to hand to its channel (SMTP, the SMS gateway).
    pub const DELIVER: &str = "deliver";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct DeliverPayload {
        pub message_id: String,
    }

    /// A report an administrator asked for (`reports`): built, stored for download and
    /// e-mailed. What to build is in the report's row, so that the payload stays an id.
    pub const REPORT: &str = "report";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ReportPayload {
        pub report_id: String,
    }

    /// A confirmed balance transfer. The page asks the operator at once and settles the job
    /// with the answer; the job runs only when that did not happen (the process stopped
    /// between the two, or the operator did not answer), and asks again with the same
    /// idempotency key, so that the transfer is made once and its outcome recorded.
    pub const TRANSFER: &str = "transfer";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct TransferPayload {
        pub bin: String,
        pub from: String,
        pub to: String,
        pub amount: i64,
        /// The confirmation's idempotency key.
        pub key: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ResultSms {
        pub done: String,
        pub failed: String,
    }
}
