//! The job worker: runs inside every `cabinet serve` process, claims due jobs from the
//! store under a short lease, renews the lease while a job runs, and carries the job out.
//! Several processes on one store share the queue; a job is claimed by one of them at a
//! time, and a process that dies mid-job stops renewing, so another takes the job over
//! within a lease. A job's outcome and its effects (the action's status, a result SMS, a
//! message marked sent) commit in one transaction fenced by the lease.

use crate::{deliver, report};
use cabinet_core::operator::{OperationState, OperatorPort};
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_core::{Bin, Msisdn};
use cabinet_delivery::Channels;
use cabinet_store::jobs::{self, Job, kinds};
use cabinet_store::{Db, StoreResult, actions, outbox, reports};
use cabinet_web::ops::WorkerPulse;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// The reason recorded when the operator could not be reached after every retry.
pub const OPERATOR_UNAVAILABLE: &str = "operator_unavailable";
/// The reason recorded when a job crashed its worker task.
pub const JOB_PANICKED: &str = "internal_error";

#[derive(Clone)]
pub struct Worker {
    pub db: Db,
    pub operator: Arc<dyn OperatorPort>,
    /// Where outbox messages go; a missing channel keeps its messages in the outbox.
    pub channels: Channels,
    /// Names this worker's leases (process and task).
    pub id: String,
    /// How long a claim holds a job without renewal.
    pub lease_ms: i64,
    /// How often a job waiting on the operator asks again.
    pub poll_ms: i64,
    /// Woken when a job is enqueued in this process, so that it starts at once.
    pub wake: Arc<Notify>,
    /// Beats while the worker loop is alive (`/readyz`).
    pub pulse: WorkerPulse,
    /// The operator's clock: reports cut days and write times in it.
    pub zone: OperatorZone,
    /// The operator as a party to the documents reports make.
    pub legal: cabinet_web::OperatorLegal,
}

/// How a job ended, for the log and the outcome counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed,
    Retried,
    /// Another worker holds the job now: this one wrote nothing.
    LostLease,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Retried => "retried",
            Outcome::LostLease => "lost_lease",
        }
    }
}

impl Worker {
    /// Runs for as long as the process does.
    pub fn spawn(self) {
        self.pulse.start(now_ms());
        tokio::spawn(async move {
            loop {
                self.pulse.beat(now_ms());
                match self.run_once().await {
                    Ok(true) => {}
                    Ok(false) => {
                        // Nothing due: wait for a wake-up, or look again shortly (jobs queued
                        // by other processes, retries whose time comes).
                        tokio::select! {
                            _ = self.wake.notified() => {}
                            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the job worker could not reach the store");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
    }

    /// Claims and runs one due job; false when none was due.
    pub async fn run_once(&self) -> StoreResult<bool> {
        let Some(job) = jobs::claim(&self.db, &self.id, now_ms(), self.lease_ms).await? else {
            return Ok(false);
        };
        tracing::debug!(job = %job.id, kind = %job.kind, attempt = job.attempts, "running job");
        let outcome = if job.exhausted() {
            // A worker died holding it on its last attempt: it is not run a further time.
            tracing::warn!(job = %job.id, kind = %job.kind, "a job ran out of attempts in a worker that stopped");
            self.give_up(&job, OPERATOR_UNAVAILABLE, "ran out of attempts").await?
        } else {
            self.run_guarded(&job).await?
        };
        tracing::debug!(job = %job.id, kind = %job.kind, outcome = outcome.label(), "job finished");
        crate::telemetry::job_finished(&job.kind, outcome.label());
        Ok(true)
    }

    /// Runs the job in a task of its own, renewing its lease meanwhile; a panic fails the
    /// job instead of the worker.
    async fn run_guarded(&self, job: &Job) -> StoreResult<Outcome> {
        let task = {
            let (me, job) = (self.clone(), job.clone());
            tokio::spawn(async move { me.run(&job).await })
        };
        tokio::pin!(task);
        let every = Duration::from_millis((self.lease_ms / 3).max(50) as u64);
        loop {
            tokio::select! {
                joined = &mut task => {
                    return match joined {
                        Ok(result) => result,
                        Err(e) => {
                            tracing::error!(job = %job.id, kind = %job.kind, error = %e, "a job panicked");
                            self.give_up(job, JOB_PANICKED, "the job panicked").await
                        }
                    };
                }
                _ = tokio::time::sleep(every) => {
                    self.pulse.beat(now_ms());
                    if !jobs::renew(&self.db, &job.id, &self.id, now_ms() + self.lease_ms).await.unwrap_or(true) {
                        tracing::warn!(job = %job.id, "lost the lease of a running job");
                    }
                }
            }
        }
    }

    async fn run(&self, job: &Job) -> StoreResult<Outcome> {
        match job.kind.as_str() {
            kinds::OPERATION => self.run_operation(job).await,
            kinds::DELIVER => deliver::deliver(self, job).await,
            kinds::REPORT => report::run(self, job).await,
            kinds::TRANSFER => self.run_transfer(job).await,
            other => {
                tracing::error!(job = %job.id, kind = other, "unknown job kind");
                self.give_up(job, "bad_request", "unknown job kind").await
            }
        }
    }

    /// Fails the job and whatever waits on it (the action, the message, the report) in one
    /// transaction; `reason` is the code the page words.
    pub(crate) async fn give_up(&self, job: &Job, reason: &str, error: &str) -> StoreResult<Outcome> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if !jobs::finish_in(&mut tx, &job.id, &self.id, jobs::FAILED, Some(error), now).await? {
            return Ok(Outcome::LostLease);
        }
        match job.kind.as_str() {
            kinds::OPERATION | kinds::TRANSFER => {
                actions::finish_for_job_in(&mut tx, &job.id, actions::FAILURE, Some(reason), now).await?
            }
            kinds::DELIVER => {
                if let Ok(p) = serde_json::from_str::<kinds::DeliverPayload>(&job.payload) {
                    outbox::record_failure(&mut tx, &p.message_id, error, true).await?;
                }
            }
            kinds::REPORT => {
                if let Ok(p) = serde_json::from_str::<kinds::ReportPayload>(&job.payload) {
                    reports::mark_failed_in(&mut tx, &p.report_id, reason, now).await?;
                }
            }
            _ => {}
        }
        tx.commit().await?;
        Ok(Outcome::Failed)
    }

    /// A transfer whose page did not record the operator's answer: asked again with the
    /// confirmation's key (the operator makes it once), and its outcome recorded.
    async fn run_transfer(&self, job: &Job) -> StoreResult<Outcome> {
        let parsed = serde_json::from_str::<kinds::TransferPayload>(&job.payload).ok().and_then(|p| {
            Some((Bin::stored(&p.bin).ok()?, Msisdn::parse(&p.from).ok()?, Msisdn::parse(&p.to).ok()?, p.amount, p.key))
        });
        let Some((bin, from, to, amount, key)) = parsed else {
            return self.give_up(job, "bad_request", "unreadable payload").await;
        };
        let amount = cabinet_core::Money(amount);
        let answer = match self.operator.transfer(&bin, &from, &to, amount, &key).await {
            Ok(answer) => answer,
            Err(e) if job.attempts >= job.max_attempts => {
                tracing::warn!(job = %job.id, error = %e, "giving up on the operator");
                return self.give_up(job, OPERATOR_UNAVAILABLE, &e.to_string()).await;
            }
            Err(e) => {
                let at = now_ms() + jobs::backoff_ms(job.attempts);
                let requeued = jobs::requeue(&self.db, &job.id, &self.id, at, Some(&e.to_string()), true).await?;
                return Ok(if requeued { Outcome::Retried } else { Outcome::LostLease });
            }
        };
        let (status, reason, details) = cabinet_web::transfer_recorded(&to, amount, Some(&answer));
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if !jobs::finish_in(&mut tx, &job.id, &self.id, jobs::DONE, None, now).await? {
            return Ok(Outcome::LostLease);
        }
        actions::finish_with_details_in(&mut tx, &job.id, (status, reason), &details, now).await?;
        tx.commit().await?;
        Ok(Outcome::Done)
    }

    async fn run_operation(&self, job: &Job) -> StoreResult<Outcome> {
        let parsed = serde_json::from_str::<kinds::OperationPayload>(&job.payload).ok().and_then(|p| {
            let bin = Bin::stored(&p.bin).ok()?;
            let msisdn = Msisdn::parse(&p.msisdn).ok()?;
            Some((bin, msisdn, p.operation, p.result_sms))
        });
        let Some((bin, msisdn, operation, result_sms)) = parsed else {
            return self.give_up(job, "bad_request", "unreadable payload").await;
        };
        // The job's id is the idempotency key: after a crash the same request is asked
        // again and the operator carries it out once.
        let answer = self.operator.submit(&bin, &msisdn, &operation, &job.id).await;
        let now = now_ms();
        let (status, reason, sms) = match answer {
            Ok(OperationState::Pending) => {
                let requeued = jobs::requeue(&self.db, &job.id, &self.id, now + self.poll_ms, None, false).await?;
                return Ok(if requeued { Outcome::Retried } else { Outcome::LostLease });
            }
            Ok(OperationState::Done) => (actions::SUCCESS, None, result_sms.map(|s| s.done)),
            Ok(OperationState::Failed { reason }) => (actions::FAILURE, Some(reason), result_sms.map(|s| s.failed)),
            Err(e) if job.attempts >= job.max_attempts => {
                tracing::warn!(job = %job.id, error = %e, "giving up on the operator");
                return self.give_up(job, OPERATOR_UNAVAILABLE, &e.to_string()).await;
            }
            Err(e) => {
                let at = now + jobs::backoff_ms(job.attempts);
                let requeued = jobs::requeue(&self.db, &job.id, &self.id, at, Some(&e.to_string()), true).await?;
                return Ok(if requeued { Outcome::Retried } else { Outcome::LostLease });
            }
        };
        // The outcome, the result SMS and the job's end commit together: a crash before
        // the commit leaves the job to be asked again (the operator answers the same), a
        // crash after it leaves nothing to redo.
        let mut tx = self.db.begin_write().await?;
        if !jobs::finish_in(&mut tx, &job.id, &self.id, jobs::DONE, None, now).await? {
            return Ok(Outcome::LostLease);
        }
        if let Some(text) = &sms {
            outbox::enqueue_in(&mut tx, &outbox::Outgoing::sms(msisdn.as_str(), text), now).await?;
        }
        actions::finish_for_job_in(&mut tx, &job.id, status, reason.as_deref(), now).await?;
        tx.commit().await?;
        if sms.is_some() {
            self.wake.notify_one();
        }
        Ok(Outcome::Done)
    }
}
