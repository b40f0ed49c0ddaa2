//! The network's side of operations on numbers: a request is accepted (the number shows
//! Processing), and after the configured delay it is carried out or fails at the configured
//! rate. Each request is keyed by the caller's idempotency key, and its change is applied
//! by one guarded transition (pending → done), so a repeated request never changes twice.

use crate::{SimError, Simulator};
use cabinet_core::operator::{NumberState, Operation, OperationState};
use cabinet_core::rules;
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn};

/// How the simulated network behaves: how long it takes, how often it fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Behaviour {
    /// From acceptance to the outcome, in milliseconds (0: at once).
    pub delay_ms: i64,
    /// Share of accepted requests that fail (0.0 to 1.0).
    pub failure_rate: f64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour { delay_ms: 3000, failure_rate: 0.0 }
    }
}

/// The reason code of a request the network failed to carry out.
pub const NETWORK_FAILURE: &str = "network_failure";
/// The reason code of a request about a number the customer does not have.
pub const UNKNOWN_NUMBER: &str = "unknown_number";

#[derive(sqlx::FromRow)]
struct Request {
    state: String,
    reason: Option<String>,
    due_ms: i64,
}

fn outcome(r: &Request) -> OperationState {
    match r.state.as_str() {
        "done" => OperationState::Done,
        "failed" => OperationState::Failed { reason: r.reason.clone().unwrap_or_default() },
        _ => OperationState::Pending,
    }
}

/// The state a successful operation leaves the number in.
fn target_state(op: &Operation) -> NumberState {
    match op {
        Operation::Block => NumberState::Blocked,
        Operation::Unblock => NumberState::Active,
    }
}

/// Whether this request fails, decided by its key so that a retry sees the same fate.
fn fails(key: &str, rate: f64) -> bool {
    if rate <= 0.0 {
        return false;
    }
    // FNV-1a: a stable hash, unlike std's, across runs and platforms.
    let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (h % 10_000) as f64 / 10_000.0 < rate
}

impl Simulator {
    pub(crate) async fn submit_request(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        op: &Operation,
        key: &str,
    ) -> Result<OperationState, SimError> {
        let now = now_ms();
        if let Some(r) = self.request(key).await? {
            return self.settle(key, r, now).await;
        }
        let db = self.db();
        let mut tx = db.begin_write().await?;
        let state: Option<(String,)> =
            sqlx::query_as("SELECT state FROM sim_subscribers WHERE bin = $1 AND msisdn = $2")
                .bind(customer.as_str())
                .bind(msisdn.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let op_json = serde_json::to_string(op).map_err(|e| SimError::BadData(e.to_string()))?;
        let insert = |state: &'static str, reason: Option<String>, prior: Option<String>, due: i64| {
            sqlx::query(
                "INSERT INTO sim_requests (key, bin, msisdn, operation, state, reason, prior_state, due_ms, created_ms, finished_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key.to_string())
            .bind(customer.as_str().to_string())
            .bind(msisdn.as_str().to_string())
            .bind(op_json.clone())
            .bind(state)
            .bind(reason)
            .bind(prior)
            .bind(due)
            .bind(now)
            .bind((state != "pending").then_some(now))
        };
        let refusal = match &state {
            None => Some(UNKNOWN_NUMBER.to_string()),
            Some((s,)) => {
                let current = NumberState::from_code(s).ok_or_else(|| SimError::BadData(format!("state {s}")))?;
                rules::check(op, current).err().map(|r| r.code().to_string())
            }
        };
        if let Some(reason) = refusal {
            insert("failed", Some(reason.clone()), None, now).execute(&mut *tx).await?;
            tx.commit().await?;
            return Ok(OperationState::Failed { reason });
        }
        let prior = state.map(|(s,)| s);
        let inserted = insert("pending", None, prior, now + self.behaviour.delay_ms).execute(&mut *tx).await?;
        if inserted.rows_affected() == 1 {
            sqlx::query("UPDATE sim_subscribers SET state = 'processing' WHERE bin = $1 AND msisdn = $2")
                .bind(customer.as_str())
                .bind(msisdn.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let r = self.request(key).await?.ok_or_else(|| SimError::BadData("request vanished".into()))?;
        self.settle(key, r, now).await
    }

    async fn request(&self, key: &str) -> Result<Option<Request>, SimError> {
        Ok(sqlx::query_as("SELECT state, reason, due_ms FROM sim_requests WHERE key = $1")
            .bind(key)
            .fetch_optional(self.db().pool())
            .await?)
    }

    /// Carries out a pending request whose time has come, once.
    async fn settle(&self, key: &str, r: Request, now: i64) -> Result<OperationState, SimError> {
        if r.state != "pending" || r.due_ms > now {
            return Ok(outcome(&r));
        }
        let failed = fails(key, self.behaviour.failure_rate);
        let mut tx = self.db().begin_write().await?;
        let claimed = sqlx::query(
            "UPDATE sim_requests SET state = $1, reason = $2, finished_ms = $3 WHERE key = $4 AND state = 'pending'",
        )
        .bind(if failed { "failed" } else { "done" })
        .bind(failed.then_some(NETWORK_FAILURE))
        .bind(now)
        .bind(key)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 1 {
            let (bin, msisdn, op, prior): (String, String, String, Option<String>) =
                sqlx::query_as("SELECT bin, msisdn, operation, prior_state FROM sim_requests WHERE key = $1")
                    .bind(key)
                    .fetch_one(&mut *tx)
                    .await?;
            let op: Operation = serde_json::from_str(&op).map_err(|e| SimError::BadData(e.to_string()))?;
            let (new_state, changed) = if failed {
                (prior.unwrap_or_else(|| "active".into()), false)
            } else {
                (target_state(&op).code().to_string(), true)
            };
            sqlx::query(
                "UPDATE sim_subscribers SET state = $1, state_changed_ms = CASE WHEN $2 = 1 THEN $3 ELSE state_changed_ms END
                 WHERE bin = $4 AND msisdn = $5",
            )
            .bind(new_state)
            .bind(i64::from(changed))
            .bind(now)
            .bind(bin)
            .bind(msisdn)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let r = self.request(key).await?.ok_or_else(|| SimError::BadData("request vanished".into()))?;
        Ok(outcome(&r))
    }
}

#[cfg(test)]
mod tests {
    use super::fails;

    #[test]
    fn failures_follow_the_rate_and_the_key() {
        assert!(!fails("any", 0.0));
        assert!(fails("any", 1.0));
        let n = (0..10_000).filter(|i| fails(&format!("job-{i}"), 0.2)).count();
        assert!((1_700..2_300).contains(&n), "{n} of 10000 at 20%");
        assert_eq!(fails("job-7", 0.5), fails("job-7", 0.5));
    }
}
