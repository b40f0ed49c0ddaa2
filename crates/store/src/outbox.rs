//! Messages waiting for delivery (SMS and e-mail). Handlers only write here; delivery
//! adapters (the dev outbox page, SMTP, an SMS gateway) read from here.

use crate::{Db, StoreResult, ids};

pub const SMS: &str = "sms";
pub const EMAIL: &str = "email";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_ms: i64,
}

pub async fn enqueue(
    db: &Db,
    channel: &str,
    recipient: &str,
    subject: Option<&str>,
    body: &str,
    now_ms: i64,
) -> StoreResult<()> {
    let mut conn = db.pool().acquire().await?;
    enqueue_in(&mut conn, channel, recipient, subject, body, now_ms).await
}

/// Adds a message inside the caller's transaction (with what caused it).
pub async fn enqueue_in(
    conn: &mut sqlx::AnyConnection,
    channel: &str,
    recipient: &str,
    subject: Option<&str>,
    body: &str,
    now_ms: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient, subject, body, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ids::new_id())
    .bind(channel)
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest messages first.
pub async fn latest(db: &Db, limit: i64) -> StoreResult<Vec<Message>> {
    Ok(sqlx::query_as(
        "SELECT id, channel, recipient, subject, body, created_ms FROM outbox ORDER BY created_ms DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
