//! The job worker: runs inside every `cabinet serve` process, claims due jobs from the
//! store under a lease and carries them out. Several processes on one PostgreSQL share the
//! queue; a job is claimed by one of them at a time, and a process that dies mid-job leaves
//! its lease to run out so that another takes the job over.

use cabinet_core::operator::{OperationState, OperatorPort};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};
use cabinet_store::jobs::{self, Job, kinds};
use cabinet_store::{Db, StoreResult, actions, outbox};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// The reason recorded when the operator could not be reached after every retry.
pub const OPERATOR_UNAVAILABLE: &str = "operator_unavailable";

#[derive(Clone)]
pub struct Worker {
    pub db: Db,
    pub operator: Arc<dyn OperatorPort>,
    /// Names this worker's leases (process and task).
    pub id: String,
    pub lease_ms: i64,
    /// How often a job waiting on the operator asks again.
    pub poll_ms: i64,
    /// Woken when a job is enqueued in this process, so that it starts at once.
    pub wake: Arc<Notify>,
}

impl Worker {
    /// Runs for as long as the process does.
    pub fn spawn(self) {
        tokio::spawn(async move {
            loop {
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
        match job.kind.as_str() {
            kinds::OPERATION => self.run_operation(&job).await?,
            other => {
                tracing::error!(job = %job.id, kind = other, "unknown job kind");
                jobs::fail(&self.db, &job.id, &self.id, "unknown job kind", now_ms()).await?;
            }
        }
        Ok(true)
    }

    async fn run_operation(&self, job: &Job) -> StoreResult<()> {
        let parsed = serde_json::from_str::<kinds::OperationPayload>(&job.payload).ok().and_then(|p| {
            let bin = Bin::stored(&p.bin).ok()?;
            let msisdn = Msisdn::parse(&p.msisdn).ok()?;
            Some((bin, msisdn, p.operation, p.result_sms))
        });
        let Some((bin, msisdn, operation, result_sms)) = parsed else {
            actions::finish_for_job(&self.db, &job.id, actions::FAILURE, Some("bad_request"), now_ms()).await?;
            jobs::fail(&self.db, &job.id, &self.id, "unreadable payload", now_ms()).await?;
            return Ok(());
        };
        // The job's id is the idempotency key: after a crash the same request is asked
        // again and the operator carries it out once.
        let answer = self.operator.submit(&bin, &msisdn, &operation, &job.id).await;
        let now = now_ms();
        match answer {
            Ok(OperationState::Pending) => {
                jobs::requeue(&self.db, &job.id, &self.id, now + self.poll_ms, None, false).await?;
            }
            // The SMS goes before the action's outcome, so that whoever sees the outcome
            // finds the SMS sent too.
            Ok(OperationState::Done) => {
                if let Some(sms) = &result_sms {
                    outbox::enqueue(&self.db, outbox::SMS, msisdn.as_str(), None, &sms.done, now).await?;
                }
                actions::finish_for_job(&self.db, &job.id, actions::SUCCESS, None, now).await?;
                jobs::complete(&self.db, &job.id, &self.id, now).await?;
            }
            Ok(OperationState::Failed { reason }) => {
                if let Some(sms) = &result_sms {
                    outbox::enqueue(&self.db, outbox::SMS, msisdn.as_str(), None, &sms.failed, now).await?;
                }
                actions::finish_for_job(&self.db, &job.id, actions::FAILURE, Some(&reason), now).await?;
                jobs::complete(&self.db, &job.id, &self.id, now).await?;
            }
            Err(e) if job.attempts >= job.max_attempts => {
                tracing::warn!(job = %job.id, error = %e, "giving up on the operator");
                actions::finish_for_job(&self.db, &job.id, actions::FAILURE, Some(OPERATOR_UNAVAILABLE), now).await?;
                jobs::fail(&self.db, &job.id, &self.id, &e.to_string(), now).await?;
            }
            Err(e) => {
                let at = now + jobs::backoff_ms(job.attempts);
                jobs::requeue(&self.db, &job.id, &self.id, at, Some(&e.to_string()), true).await?;
            }
        }
        Ok(())
    }
}
