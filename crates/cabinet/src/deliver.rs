//! The `deliver` job: hands one outbox message to its channel and records the outcome.
//! The job is claimed by one worker at a time, and the message is marked sent in the same
//! transaction that ends the job, so a message is sent once; only a crash in the moment
//! between the channel's answer and that commit sends it again (with the same Message-ID).

use crate::worker::{Outcome, Worker};
use cabinet_core::time::now_ms;
use cabinet_delivery::{Envelope, FileAttachment, SendError};
use cabinet_store::jobs::{self, Job, kinds};
use cabinet_store::{StoreResult, outbox};

/// The longest one try may take, whatever the channel does.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn deliver(w: &Worker, job: &Job) -> StoreResult<Outcome> {
    let Ok(payload) = serde_json::from_str::<kinds::DeliverPayload>(&job.payload) else {
        return w.give_up(job, "bad_request", "unreadable payload").await;
    };
    let message = outbox::get(&w.db, &payload.message_id).await?;
    // Purged, or already through (a job run twice): nothing to send.
    let Some(message) = message.filter(|m| m.state == outbox::PENDING) else {
        return finish(w, job, Record::Nothing).await;
    };
    let channel = match message.channel.as_str() {
        outbox::SMS => w.channels.sms.clone(),
        outbox::EMAIL => w.channels.email.clone(),
        _ => None,
    };
    let Some(channel) = channel else {
        // No channel configured (dev mode): the message stays readable in the outbox.
        return finish(w, job, Record::Kept(&message.id)).await;
    };
    let attachments = outbox::attachments(&w.db, &message.id)
        .await?
        .into_iter()
        .map(|a| FileAttachment { file_name: a.file_name, content_type: a.content_type, content: a.content })
        .collect::<Vec<_>>();
    let envelope = Envelope {
        id: &message.id,
        to: &message.recipient,
        subject: message.subject.as_deref(),
        body: &message.body,
        attachments: &attachments,
    };
    // A channel's own timeouts do not cover every step (a TLS handshake that stalls): the
    // job never waits longer than this for one try.
    let sent = tokio::time::timeout(SEND_TIMEOUT, channel.send(&envelope))
        .await
        .unwrap_or_else(|_| Err(SendError::Transient(format!("no answer within {} s", SEND_TIMEOUT.as_secs()))));
    let now = now_ms();
    let error = match sent {
        Ok(()) => {
            metrics::counter!("cabinet_outbox_delivered_total", "channel" => message.channel.clone()).increment(1);
            return finish(w, job, Record::Sent(&message.id, now)).await;
        }
        Err(e) => e,
    };
    metrics::counter!("cabinet_outbox_delivery_failures_total", "channel" => message.channel.clone()).increment(1);
    let give_up = matches!(error, SendError::Permanent(_)) || job.attempts >= job.max_attempts;
    tracing::warn!(message = %message.id, channel = %message.channel, attempt = job.attempts, give_up,
        error = %error, "a message could not be delivered");
    let text = error.to_string();
    let mut tx = w.db.begin_write().await?;
    let fenced = if give_up {
        jobs::finish_in(&mut tx, &job.id, &w.id, jobs::FAILED, Some(&text), now).await?
    } else {
        jobs::requeue_in(&mut tx, &job.id, &w.id, now + jobs::backoff_ms(job.attempts), Some(&text), true).await?
    };
    if !fenced {
        return Ok(Outcome::LostLease);
    }
    outbox::record_failure(&mut tx, &message.id, &text, give_up).await?;
    tx.commit().await?;
    Ok(if give_up { Outcome::Failed } else { Outcome::Retried })
}

/// What a finished delivery writes beside the job's end.
enum Record<'a> {
    Nothing,
    Kept(&'a str),
    Sent(&'a str, i64),
}

/// Ends the job as done together with `record`, fenced by the lease.
async fn finish(w: &Worker, job: &Job, record: Record<'_>) -> StoreResult<Outcome> {
    let mut tx = w.db.begin_write().await?;
    if !jobs::finish_in(&mut tx, &job.id, &w.id, jobs::DONE, None, now_ms()).await? {
        return Ok(Outcome::LostLease);
    }
    match record {
        Record::Nothing => {}
        Record::Kept(id) => outbox::record_kept(&mut tx, id).await?,
        Record::Sent(id, now) => outbox::record_sent(&mut tx, id, now).await?,
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}
