//! Messages to deliver (SMS and e-mail). A message is written with a `deliver` job in the
//! same transaction as whatever caused it; the job worker hands it to the channel (SMTP, the
//! SMS gateway) and records the outcome here. The dev outbox page and `cabinet outbox` read
//! the same rows, with their delivery state.

use crate::jobs::{self, kinds};
use crate::{Db, StoreResult, ids};
use base64::Engine;
use sqlx::Row;
use sqlx::any::AnyRow;

pub const SMS: &str = "sms";
pub const EMAIL: &str = "email";

/// Waiting for its job (or for the next try after a failure).
pub const PENDING: &str = "pending";
/// Accepted by the channel.
pub const SENT: &str = "sent";
/// Given up on: every try failed, or the channel refused it for good.
pub const FAILED: &str = "failed";
/// Not delivered because no channel is configured (dev mode): it stays in the outbox.
pub const KEPT: &str = "kept";

/// How many times a message is tried before it is given up on (with the job queue's
/// backoff: about 25 minutes in all).
pub const MAX_ATTEMPTS: i64 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    /// Empty once a sensitive message has been delivered (`redacted`).
    pub body: String,
    pub created_ms: i64,
    pub state: String,
    /// Tries so far.
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_ms: Option<i64>,
    pub sensitive: bool,
    pub redacted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub channel: &'a str,
    pub recipient: &'a str,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    /// Carries a secret (a one-time code, a secret code, a reset link): its body is not kept
    /// once it has been delivered.
    pub sensitive: bool,
    pub attachments: &'a [Attachment],
}

impl<'a> Outgoing<'a> {
    pub fn sms(recipient: &'a str, body: &'a str) -> Self {
        Outgoing { channel: SMS, recipient, subject: None, body, sensitive: false, attachments: &[] }
    }

    pub fn email(recipient: &'a str, subject: &'a str, body: &'a str) -> Self {
        Outgoing { channel: EMAIL, recipient, subject: Some(subject), body, sensitive: false, attachments: &[] }
    }

    /// The same message, marked as carrying a secret.
    pub fn secret(self) -> Self {
        Outgoing { sensitive: true, ..self }
    }

    pub fn with_attachments(self, attachments: &'a [Attachment]) -> Self {
        Outgoing { attachments, ..self }
    }
}

/// Writes a message and its delivery job in a transaction of its own; returns its id.
pub async fn enqueue(db: &Db, message: &Outgoing<'_>, now_ms: i64) -> StoreResult<String> {
    let mut tx = db.begin_write().await?;
    let id = enqueue_in(&mut tx, message, now_ms).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a message and its delivery job inside the caller's transaction (with what caused
/// it), so that neither exists without the other.
pub async fn enqueue_in(conn: &mut sqlx::AnyConnection, message: &Outgoing<'_>, now_ms: i64) -> StoreResult<String> {
    let id = ids::new_id();
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient, subject, body, created_ms, state, attempts, sensitive, redacted)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, 0)",
    )
    .bind(&id)
    .bind(message.channel)
    .bind(message.recipient)
    .bind(message.subject)
    .bind(message.body)
    .bind(now_ms)
    .bind(i16::from(message.sensitive))
    .execute(&mut *conn)
    .await?;
    for (position, a) in message.attachments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO outbox_attachments (message_id, position, file_name, content_type, content_b64)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(position as i64)
        .bind(&a.file_name)
        .bind(&a.content_type)
        .bind(base64_encode(&a.content))
        .execute(&mut *conn)
        .await?;
    }
    let payload = serde_json::to_string(&kinds::DeliverPayload { message_id: id.clone() })
        .expect("a delivery payload serialises");
    jobs::enqueue(conn, kinds::DELIVER, &payload, MAX_ATTEMPTS, now_ms, now_ms).await?;
    Ok(id)
}

const COLUMNS: &str =
    "id, channel, recipient, subject, body, created_ms, state, attempts, last_error, sent_ms, sensitive, redacted";

fn message(row: &AnyRow) -> Result<Message, sqlx::Error> {
    Ok(Message {
        id: row.try_get(0)?,
        channel: row.try_get(1)?,
        recipient: row.try_get(2)?,
        subject: row.try_get(3)?,
        body: row.try_get(4)?,
        created_ms: row.try_get(5)?,
        state: row.try_get(6)?,
        attempts: row.try_get(7)?,
        last_error: row.try_get(8)?,
        sent_ms: row.try_get(9)?,
        sensitive: row.try_get::<i16, _>(10)? != 0,
        redacted: row.try_get::<i16, _>(11)? != 0,
    })
}

pub async fn get(db: &Db, id: &str) -> StoreResult<Option<Message>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM outbox WHERE id = $1")))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(message).transpose()?)
}

/// The newest messages first.
pub async fn latest(db: &Db, limit: i64) -> StoreResult<Vec<Message>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox ORDER BY created_ms DESC, id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(message).collect::<Result<_, _>>()?)
}

pub async fn attachments(db: &Db, message_id: &str) -> StoreResult<Vec<Attachment>> {
    let rows = sqlx::query(
        "SELECT file_name, content_type, content_b64 FROM outbox_attachments WHERE message_id = $1 ORDER BY position",
    )
    .bind(message_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let b64: String = r.try_get(2)?;
            Ok(Attachment {
                file_name: r.try_get(0)?,
                content_type: r.try_get(1)?,
                content: base64_decode(&b64).ok_or_else(|| sqlx::Error::Decode("attachment is not base64".into()))?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The channel accepted the message: a sensitive body is erased and attachments dropped.
/// Runs in the transaction that completes the delivery job.
pub async fn record_sent(conn: &mut sqlx::AnyConnection, id: &str, now_ms: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', sent_ms = $1, attempts = attempts + 1, last_error = NULL,
                body = CASE WHEN sensitive = 1 THEN '' ELSE body END, redacted = sensitive
         WHERE id = $2",
    )
    .bind(now_ms)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM outbox_attachments WHERE message_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// No channel is configured for the message (dev mode): it stays readable in the outbox.
pub async fn record_kept(conn: &mut sqlx::AnyConnection, id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET state = 'kept' WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// A try failed: with `give_up` the message is failed for good, otherwise it waits for the
/// next try.
pub async fn record_failure(conn: &mut sqlx::AnyConnection, id: &str, error: &str, give_up: bool) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET state = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3")
        .bind(if give_up { FAILED } else { PENDING })
        .bind(error)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Messages by delivery state, for `/metrics`.
pub async fn count_by_state(db: &Db) -> StoreResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT state, COUNT(*) FROM outbox GROUP BY state ORDER BY state").fetch_all(db.pool()).await?)
}

/// Removes messages whose delivery ended before `ended_before_ms` (kept, sent or failed),
/// and erases the body of sensitive messages still kept in the dev outbox after
/// `secrets_before_ms`. Returns how many rows changed.
pub async fn purge(db: &Db, ended_before_ms: i64, secrets_before_ms: i64) -> StoreResult<u64> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM outbox_attachments WHERE message_id IN
           (SELECT id FROM outbox WHERE state <> 'pending' AND created_ms < $1)",
    )
    .bind(ended_before_ms)
    .execute(&mut *tx)
    .await?;
    let deleted = sqlx::query("DELETE FROM outbox WHERE state <> 'pending' AND created_ms < $1")
        .bind(ended_before_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let redacted = sqlx::query(
        "UPDATE outbox SET body = '', redacted = 1 WHERE sensitive = 1 AND redacted = 0 AND created_ms < $1",
    )
    .bind(secrets_before_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(deleted + redacted)
}

fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}
