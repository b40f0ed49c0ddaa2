//! An administrator's request for an operation on a number: the action (Processing) and
//! the job that carries it out, written together in one transaction, so that neither
//! exists without the other.

use crate::actions::{self, Actor, NewAction};
use crate::jobs::{self, kinds::OperationPayload};
use crate::{Db, StoreResult};

/// How often an operation is tried against an unreachable operator before it fails.
pub const OPERATION_ATTEMPTS: i64 = 8;

/// Records the action (with `details`: JSON for the history to show it) and enqueues its
/// job; returns (action id, job id).
pub async fn request_operation(
    db: &Db,
    who: &Actor<'_>,
    payload: &OperationPayload,
    details: &str,
    now_ms: i64,
) -> StoreResult<(String, String)> {
    let json = serde_json::to_string(payload).expect("payloads serialize");
    let mut tx = db.begin_write().await?;
    let job_id = jobs::enqueue(&mut tx, jobs::kinds::OPERATION, &json, OPERATION_ATTEMPTS, now_ms, now_ms).await?;
    let action = NewAction {
        kind: payload.operation.kind(),
        msisdn: Some(&payload.msisdn),
        details,
        status: actions::PROCESSING,
        reason: None,
        job_id: Some(&job_id),
    };
    let action_id = actions::record(&mut tx, who, &action, now_ms).await?;
    tx.commit().await?;
    Ok((action_id, job_id))
}
