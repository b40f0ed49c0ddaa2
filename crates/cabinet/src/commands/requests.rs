//! `cabinet requests list|approve|reject`: companies' requests for administrator access,
//! decided from the command line as in the operator console (`cabinet_web::registration`).

use anyhow::{Result, bail};
use cabinet_core::operator::OperatorPort;
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_store::{Db, access_requests};
use cabinet_web::WebConfig;
use cabinet_web::registration::{self, Refusal};

/// Who decided, as the history of a request shows it.
const BY: &str = "cabinet requests";

pub async fn list(db: &Db, zone: &OperatorZone) -> Result<()> {
    let (pending, decided) = access_requests::list(db, 20).await?;
    if pending.is_empty() {
        println!("No requests are waiting.");
    }
    for r in pending.iter().chain(&decided) {
        println!(
            "{}  {:<8}  {}  BIN {}  {} {} <{}>{}",
            r.id,
            r.state,
            zone.date_time(r.created_ms),
            r.bin,
            r.admin_name,
            r.phone,
            r.email,
            r.reason.as_deref().map(|x| format!("  reason: {x}")).unwrap_or_default()
        );
    }
    Ok(())
}

fn refused(r: Refusal) -> anyhow::Error {
    anyhow::anyhow!(match r {
        Refusal::NotPending => "no such request waiting: it was decided already, or the id is wrong",
        Refusal::UnknownCustomer => "the operator has no customer with the request's BIN: it cannot be approved",
        Refusal::OperatorDown => "the operator's system did not answer: try again",
        Refusal::NoReason => "give the reason (--reason, 1 to 200 characters): the applicant receives it",
    })
}

pub async fn approve(db: &Db, operator: &dyn OperatorPort, config: &WebConfig, base: &str, id: &str) -> Result<String> {
    match registration::approve(db, operator, config, base, id, BY, now_ms()).await? {
        Ok(true) => Ok("Approved: the administrator's account was created; they are told to set a password.".into()),
        Ok(false) => Ok("Approved: the existing administrator now has the company.".into()),
        Err(r) => Err(refused(r)),
    }
}

pub async fn reject(db: &Db, config: &WebConfig, id: &str, reason: &str) -> Result<String> {
    if reason.trim().is_empty() {
        bail!(refused(Refusal::NoReason));
    }
    match registration::reject(db, config, id, BY, reason, now_ms()).await? {
        Ok(()) => Ok("Rejected: the applicant is told the reason.".into()),
        Err(r) => Err(refused(r)),
    }
}
