//! The network's side of operations on numbers: a request is accepted (the number shows
//! Processing), and after the configured delay it is carried out or fails at the configured
//! rate. Each request is keyed by the caller's idempotency key, and its change is applied
//! by one guarded transition (pending → done), so a repeated request never changes twice.

use crate::{SimError, Simulator};
use cabinet_core::operator::{
    Ban, EsimActivation, ForwardTarget, NumberProfile, NumberState, Operation, OperationState,
};
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
    /// How long a balance transfer takes to be answered, in milliseconds (0: at once).
    pub transfer_delay_ms: i64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour { delay_ms: 3000, failure_rate: 0.0, transfer_delay_ms: 0 }
    }
}

/// The reason code of a request the network failed to carry out.
pub const NETWORK_FAILURE: &str = "network_failure";
/// The reason code of a request about a number the customer does not have.
pub const UNKNOWN_NUMBER: &str = "unknown_number";

struct Request {
    state: String,
    reason: Option<String>,
    due_ms: i64,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Request {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Request {
            state: sqlx::Row::try_get(r, 0)?,
            reason: sqlx::Row::try_get(r, 1)?,
            due_ms: sqlx::Row::try_get(r, 2)?,
        })
    }
}

fn outcome(r: &Request) -> OperationState {
    match r.state.as_str() {
        "done" => OperationState::Done,
        "failed" => OperationState::Failed { reason: r.reason.clone().unwrap_or_default() },
        _ => OperationState::Pending,
    }
}

/// The state a successful block or unblock leaves the number in.
fn target_state(op: &Operation) -> NumberState {
    match op {
        Operation::Block => NumberState::Blocked,
        _ => NumberState::Active,
    }
}

/// The operator's own prefixes, as the simulated network knows them.
const OWN_PREFIXES: [&str; 4] = ["701", "702", "775", "778"];

/// Where a device seen for the first time is already registered, by a stable hash of its
/// IMEI: one in five belongs to someone else, most often on another operator's number.
fn prior_registration(imei: &str) -> Option<(String, String)> {
    let h = fnv(imei);
    if !h.is_multiple_of(5) {
        return None;
    }
    let prefix = if h.is_multiple_of(3) { "701" } else { "707" };
    let msisdn = format!("7{prefix}{:07}", (h / 7) % 10_000_000);
    // A person's IIN (a birth date in 1950–2004, the century and sex digit, a serial and
    // the control digit), so that a re-registration can name it.
    let born = jiff::civil::date(1950, 1, 1).checked_add(jiff::Span::new().days((h / 11 % 20_000) as i64)).ok()?;
    let century_sex = if born.year() < 2000 { 3 } else { 5 } + (h / 13 % 2) as u32;
    let mut serial = h / 17;
    loop {
        let first11 = format!("{}{century_sex}{:04}", born.strftime("%y%m%d"), serial % 10_000);
        if let Some(iin) = cabinet_core::Bin::complete(&first11) {
            return Some((msisdn, iin.to_string()));
        }
        serial += 1;
    }
}

/// Why the registry refuses to register (or re-register) `imei` with `msisdn`, if it does.
/// A device met for the first time gets its prior registration (if any) written down.
async fn registry_refusal(
    tx: &mut sqlx::AnyConnection,
    imei: &str,
    msisdn: &str,
    op: &Operation,
    now: i64,
) -> Result<Option<String>, SimError> {
    let mut rows: Vec<(String, String)> = sqlx::query_as("SELECT msisdn, owner FROM sim_imei_registry WHERE imei = $1")
        .bind(imei)
        .fetch_all(&mut *tx)
        .await?;
    if rows.is_empty()
        && let Some((their_msisdn, owner)) = prior_registration(imei)
    {
        sqlx::query(
            "INSERT INTO sim_imei_registry (imei, msisdn, owner, duplicate, registered_ms) VALUES ($1, $2, $3, 0, $4)",
        )
        .bind(imei)
        .bind(&their_msisdn)
        .bind(&owner)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        rows.push((their_msisdn, owner));
    }
    let others: Vec<&(String, String)> = rows.iter().filter(|(m, _)| m != msisdn).collect();
    let code = match op {
        Operation::RegisterImei { .. } => match others.first() {
            Some((m, _)) if !OWN_PREFIXES.contains(&&m[1..4]) => Some(rules::Refusal::ImeiOtherOperator),
            Some(_) => Some(rules::Refusal::ImeiRegisteredElsewhere),
            None => None,
        },
        Operation::ReregisterImei { prev_msisdn, prev_owner, .. } => {
            let known = others.iter().any(|(m, o)| m == prev_msisdn && o == prev_owner);
            (!known).then_some(rules::Refusal::PreviousOwnerMismatch)
        }
        _ => None,
    };
    Ok(code.map(|r| r.code().to_string()))
}

/// PIN1, PIN2, PUK1, PUK2 of a new card, drawn from the request's key.
fn codes_for(key: &str) -> [String; 4] {
    let mut h = fnv(key);
    let mut next = |digits: u32| {
        h = h.wrapping_mul(0x100_0000_01b3) ^ 0x9e37_79b9_7f4a_7c15;
        format!("{:0width$}", h % 10u64.pow(digits), width = digits as usize)
    };
    ["0000".to_string(), next(4), next(8), next(8)]
}

fn fnv(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Whether this request fails, decided by its key so that a retry sees the same fate.
fn fails(key: &str, rate: f64) -> bool {
    if rate <= 0.0 {
        return false;
    }
    // FNV-1a: a stable hash, unlike std's, across runs and platforms.
    (fnv(key) % 10_000) as f64 / 10_000.0 < rate
}

/// Why the network refuses `op` on the number as it stands, if it does.
fn refusal(op: &Operation, p: &NumberProfile) -> Option<String> {
    rules::check_on(op, p, p.summary.state).err().map(|r| r.code().to_string()).or_else(|| unpaid(op, p))
}

/// A package an advance number's balance cannot pay for is not connected.
fn unpaid(op: &Operation, p: &NumberProfile) -> Option<String> {
    let Operation::SetService { code, on: true } = op else { return None };
    let price = crate::catalog::service(code).filter(|s| !s.grants.is_empty())?.price;
    (p.summary.billing == cabinet_core::operator::BillingMethod::Advance && p.summary.remaining.tiyn() < price)
        .then(|| NO_MONEY_FOR_SERVICE.to_string())
}

/// The refusal of a package whose price is more than an advance number's balance.
pub const NO_MONEY_FOR_SERVICE: &str = "no_money_for_service";

/// A package connected: its price charged — from an advance number's balance as a ledger
/// transaction (op:revenue), or to a credit number's charges of the bill cycle — and its
/// allowances for 30 days. False (and nothing done) when an advance balance cannot pay:
/// the check at submission can be outrun by another request on the number.
async fn connect_package(
    tx: &mut sqlx::AnyConnection,
    bin: &str,
    msisdn: &str,
    code: &str,
    key: &str,
    now: i64,
) -> Result<bool, SimError> {
    let Some(s) = crate::catalog::service(code).filter(|s| !s.grants.is_empty()) else { return Ok(true) };
    if s.price > 0 {
        let billing: String = sqlx::query_scalar(
            "SELECT a.billing FROM sim_subscribers s JOIN sim_accounts a ON a.account_no = s.account_no WHERE s.msisdn = $1",
        )
        .bind(msisdn)
        .fetch_one(&mut *tx)
        .await?;
        if billing == "advance" {
            if !crate::ledger::charge(tx, bin, msisdn, s.price, &format!("charge:{code}:{key}"), now).await? {
                return Ok(false);
            }
        } else {
            sqlx::query(
                "UPDATE sim_accounts SET period_charges = period_charges + $1
                 WHERE account_no = (SELECT account_no FROM sim_subscribers WHERE msisdn = $2)",
            )
            .bind(s.price)
            .bind(msisdn)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE sim_subscribers SET period_spent = period_spent + $1 WHERE msisdn = $2")
                .bind(s.price)
                .bind(msisdn)
                .execute(&mut *tx)
                .await?;
        }
    }
    const DAYS_30: i64 = 30 * 86_400_000;
    for g in s.grants {
        sqlx::query(
            "INSERT INTO sim_allowances (msisdn, source, kind, unlimited, available, total, connected_ms, until_ms)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7)
             ON CONFLICT (msisdn, source, kind) DO UPDATE SET available = excluded.available, total = excluded.total,
               connected_ms = excluded.connected_ms, until_ms = excluded.until_ms",
        )
        .bind(msisdn)
        .bind(code)
        .bind(g.kind.code())
        .bind(i16::from(g.amount.is_none()))
        .bind(g.amount.unwrap_or(0))
        .bind(now)
        .bind(now + DAYS_30)
        .execute(&mut *tx)
        .await?;
    }
    Ok(true)
}

/// The column that keeps a ban (a fixed name, never user input).
fn ban_column(ban: Ban) -> &'static str {
    match ban {
        Ban::UssdControl => "ban_ussd",
        Ban::SelfcareDetails => "ban_selfcare_details",
        Ban::SelfcareAccess => "ban_selfcare",
        Ban::SubscriptionBlock => "subscription_block",
        Ban::HiddenCallerId => "hidden_caller_id",
    }
}

/// The SM-DP+ server the simulated eSIMs name.
const SMDP: &str = "smdp.sim.cabinet.local";
/// An issued eSIM is valid for a day.
const ESIM_VALID_MS: i64 = 24 * 3600 * 1000;

/// The activation a stored matching id stands for.
pub(crate) fn activation(matching_id: &str, expires_ms: i64) -> EsimActivation {
    EsimActivation { lpa: format!("LPA:1${SMDP}${matching_id}"), expires_ms }
}

impl Simulator {
    pub(crate) async fn issue_esim_for(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
    ) -> Result<Result<EsimActivation, String>, SimError> {
        let Some(p) = crate::profile::load(self.db(), customer, msisdn, self.profile_now()).await? else {
            return Ok(Err(UNKNOWN_NUMBER.to_string()));
        };
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sim_requests WHERE msisdn = $1 AND state = 'pending'")
                .bind(msisdn.as_str())
                .fetch_one(self.db().pool())
                .await?;
        if pending > 0 {
            return Ok(Err(rules::Refusal::InProgress.code().to_string()));
        }
        if let Err(r) = rules::check_esim_issue(&p) {
            return Ok(Err(r.code().to_string()));
        }
        let now = now_ms();
        let matching_id = cabinet_store::ids::random_hex(10).to_uppercase();
        sqlx::query(
            "INSERT INTO sim_esim_activations (msisdn, matching_id, expires_ms, created_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (msisdn) DO UPDATE SET matching_id = excluded.matching_id, expires_ms = excluded.expires_ms, created_ms = excluded.created_ms",
        )
        .bind(msisdn.as_str())
        .bind(&matching_id)
        .bind(now + ESIM_VALID_MS)
        .bind(now)
        .execute(self.db().pool())
        .await?;
        Ok(Ok(EsimActivation { lpa: format!("LPA:1${SMDP}${matching_id}"), expires_ms: now + ESIM_VALID_MS }))
    }

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
        let profile = crate::profile::load(db, customer, msisdn, self.profile_now()).await?;
        let mut tx = db.begin_write().await?;
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sim_requests WHERE msisdn = $1 AND state = 'pending'")
                .bind(msisdn.as_str())
                .fetch_one(&mut *tx)
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
        let iccid_taken = match op {
            Operation::ReplaceSim { iccid } => {
                let (n,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM sim_subscribers WHERE iccid = $1 AND msisdn <> $2")
                        .bind(iccid.as_str())
                        .bind(msisdn.as_str())
                        .fetch_one(&mut *tx)
                        .await?;
                n > 0
            }
            _ => false,
        };
        let registry = match op {
            Operation::RegisterImei { imei } | Operation::ReregisterImei { imei, .. } => {
                registry_refusal(&mut tx, imei, msisdn.as_str(), op, now).await?
            }
            _ => None,
        };
        let refused = match &profile {
            None => Some(UNKNOWN_NUMBER.to_string()),
            Some(_) if pending > 0 => Some(rules::Refusal::InProgress.code().to_string()),
            Some(_) if iccid_taken => Some(rules::Refusal::IccidInUse.code().to_string()),
            Some(p) => refusal(op, p).or(registry),
        };
        if let Some(reason) = refused {
            insert("failed", Some(reason.clone()), None, now).execute(&mut *tx).await?;
            tx.commit().await?;
            return Ok(OperationState::Failed { reason });
        }
        let prior = profile.map(|p| p.summary.state.code().to_string());
        let inserted = insert("pending", None, prior, now + self.behaviour.delay_ms).execute(&mut *tx).await?;
        // Only a change of state shows as Processing on the number itself.
        if inserted.rows_affected() == 1 && matches!(op, Operation::Block | Operation::Unblock) {
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
            match (&op, failed) {
                (Operation::Block | Operation::Unblock, _) => {
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
                (_, true) => {}
                (Operation::SetService { code, on: true }, false) => {
                    if connect_package(&mut tx, &bin, &msisdn, code, key, now).await? {
                        sqlx::query(
                            "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms) VALUES ($1, $2, $3)
                             ON CONFLICT (msisdn, service_code) DO NOTHING",
                        )
                        .bind(msisdn.clone())
                        .bind(code.clone())
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    } else {
                        sqlx::query("UPDATE sim_requests SET state = 'failed', reason = $1 WHERE key = $2")
                            .bind(NO_MONEY_FOR_SERVICE)
                            .bind(key)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                (Operation::SetService { code, on: false }, false) => {
                    sqlx::query("DELETE FROM sim_subscriber_services WHERE msisdn = $1 AND service_code = $2")
                        .bind(msisdn.clone())
                        .bind(code.clone())
                        .execute(&mut *tx)
                        .await?;
                    // A package's allowances go with it.
                    sqlx::query("DELETE FROM sim_allowances WHERE msisdn = $1 AND source = $2")
                        .bind(msisdn)
                        .bind(code.clone())
                        .execute(&mut *tx)
                        .await?;
                }
                (Operation::ReplaceSim { iccid }, false) => {
                    // A new card brings its own PIN and PUK codes.
                    let codes = codes_for(key);
                    sqlx::query(
                        "UPDATE sim_subscribers SET iccid = $1, pin1 = $2, pin2 = $3, puk1 = $4, puk2 = $5, sim_replaced_ms = $6, esim = 0
                         WHERE bin = $7 AND msisdn = $8",
                    )
                    .bind(iccid.clone())
                    .bind(codes[0].clone())
                    .bind(codes[1].clone())
                    .bind(codes[2].clone())
                    .bind(codes[3].clone())
                    .bind(now)
                    .bind(bin)
                    .bind(msisdn)
                    .execute(&mut *tx)
                    .await?;
                }
                (Operation::AddForwarding { kind, target }, false) => {
                    let (target_type, value) = match target {
                        ForwardTarget::Number(n) => ("number", n.clone()),
                        ForwardTarget::Service(c) => ("service", c.clone()),
                    };
                    sqlx::query(
                        "INSERT INTO sim_forwardings (msisdn, kind, target_type, target, created_ms) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (msisdn, kind) DO NOTHING",
                    )
                    .bind(msisdn)
                    .bind(kind.code())
                    .bind(target_type)
                    .bind(value)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                (Operation::RemoveForwarding { kind }, false) => {
                    sqlx::query("DELETE FROM sim_forwardings WHERE msisdn = $1 AND kind = $2")
                        .bind(msisdn)
                        .bind(kind.code())
                        .execute(&mut *tx)
                        .await?;
                }
                (Operation::ChangeToEsim, false) => {
                    // The eSIM profile has an ICCID of its own; the plastic card stops working.
                    let body = format!("8999702{:012}", fnv(key) % 1_000_000_000_000);
                    let iccid = format!("{body}{}", cabinet_core::ids::luhn_check_digit(&body));
                    let codes = codes_for(key);
                    sqlx::query(
                        "UPDATE sim_subscribers SET esim = 1, iccid = $1, pin1 = $2, pin2 = $3, puk1 = $4, puk2 = $5, sim_replaced_ms = $6
                         WHERE bin = $7 AND msisdn = $8",
                    )
                    .bind(iccid)
                    .bind(codes[0].clone())
                    .bind(codes[1].clone())
                    .bind(codes[2].clone())
                    .bind(codes[3].clone())
                    .bind(now)
                    .bind(bin)
                    .bind(msisdn.clone())
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM sim_esim_activations WHERE msisdn = $1")
                        .bind(msisdn)
                        .execute(&mut *tx)
                        .await?;
                }
                (Operation::RegisterImei { imei } | Operation::RegisterDuplicateImei { imei }, false) => {
                    let duplicate = matches!(op, Operation::RegisterDuplicateImei { .. });
                    sqlx::query(
                        "INSERT INTO sim_imei_registry (imei, msisdn, owner, duplicate, registered_ms) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (imei, msisdn) DO NOTHING",
                    )
                    .bind(imei.clone())
                    .bind(msisdn)
                    .bind(bin)
                    .bind(i16::from(duplicate))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                (Operation::ReregisterImei { imei, prev_msisdn, .. }, false) => {
                    sqlx::query("DELETE FROM sim_imei_registry WHERE imei = $1 AND msisdn = $2")
                        .bind(imei.clone())
                        .bind(prev_msisdn.clone())
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO sim_imei_registry (imei, msisdn, owner, duplicate, registered_ms) VALUES ($1, $2, $3, 0, $4)
                         ON CONFLICT (imei, msisdn) DO NOTHING",
                    )
                    .bind(imei.clone())
                    .bind(msisdn)
                    .bind(bin)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                (Operation::RemoveImei { imei }, false) => {
                    sqlx::query("DELETE FROM sim_imei_registry WHERE imei = $1 AND msisdn = $2")
                        .bind(imei.clone())
                        .bind(msisdn)
                        .execute(&mut *tx)
                        .await?;
                }
                (Operation::SetBan { ban, on }, false) => {
                    let sql =
                        format!("UPDATE sim_subscribers SET {} = $1 WHERE bin = $2 AND msisdn = $3", ban_column(*ban));
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(i16::from(*on))
                        .bind(bin)
                        .bind(msisdn)
                        .execute(&mut *tx)
                        .await?;
                }
            }
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
