//! Secret codes for employees' self-care: issued by an administrator, sent to the number by
//! SMS, kept only as an HMAC. Issuing replaces any earlier code; deleting ends it.

use crate::actions::{self, Actor, NewAction};
use crate::{Db, StoreResult, employee_sessions, ids, outbox};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngExt;
use sha2::Sha256;

fn mac(secret: &str, company_id: &str, msisdn: &str, code: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    for part in ["secret-code", company_id, msisdn, code] {
        m.update(part.as_bytes());
        m.update(b":");
    }
    ids::hex(&m.finalize().into_bytes())
}

/// A new eight-digit code.
pub fn new_code() -> String {
    format!("{:08}", rand::rng().random_range(0..100_000_000u32))
}

/// When the number's code was issued, if it has one.
pub async fn issued_at(db: &Db, company_id: &str, msisdn: &str) -> StoreResult<Option<i64>> {
    db.select("SELECT created_ms FROM secret_codes WHERE company_id = $1 AND msisdn = $2")
        .text(company_id)
        .text(msisdn)
        .optional(|r| r.int(0))
        .await
}

/// Issues `code` for the number: stores its HMAC, puts the SMS in the outbox and records
/// the action, all in one transaction.
pub async fn issue(
    db: &Db,
    secret: &str,
    who: &Actor<'_>,
    msisdn: &str,
    code: &str,
    sms: &str,
    now_ms: i64,
) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO secret_codes (company_id, msisdn, code_mac, created_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (company_id, msisdn) DO UPDATE SET code_mac = excluded.code_mac, created_ms = excluded.created_ms",
    )
    .bind(who.company_id)
    .bind(msisdn)
    .bind(mac(secret, who.company_id, msisdn, code))
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    // Whoever signed in with the old code is out at once.
    employee_sessions::end_for_number_in(&mut tx, who.company_id, msisdn).await?;
    outbox::enqueue_in(&mut tx, &outbox::Outgoing::sms(msisdn, sms).secret(), now_ms).await?;
    let action = NewAction {
        kind: "secret_code_sent",
        msisdn: Some(msisdn),
        details: "{}",
        status: actions::SUCCESS,
        reason: None,
        job_id: None,
    };
    actions::record(&mut tx, who, &action, now_ms).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the number's code and records the action; false when there was none.
pub async fn delete(db: &Db, who: &Actor<'_>, msisdn: &str, now_ms: i64) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query("DELETE FROM secret_codes WHERE company_id = $1 AND msisdn = $2")
        .bind(who.company_id)
        .bind(msisdn)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    employee_sessions::end_for_number_in(&mut tx, who.company_id, msisdn).await?;
    let action = NewAction {
        kind: "secret_code_deleted",
        msisdn: Some(msisdn),
        details: "{}",
        status: if gone { actions::SUCCESS } else { actions::FAILURE },
        reason: (!gone).then_some("no_secret_code"),
        job_id: None,
    };
    actions::record(&mut tx, who, &action, now_ms).await?;
    tx.commit().await?;
    Ok(gone)
}

/// Whether `code` is the number's current code (for the employee's sign-in).
pub async fn matches(db: &Db, secret: &str, company_id: &str, msisdn: &str, code: &str) -> StoreResult<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT code_mac FROM secret_codes WHERE company_id = $1 AND msisdn = $2")
            .bind(company_id)
            .bind(msisdn)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.is_some_and(|(stored,)| {
        use subtle::ConstantTimeEq;
        bool::from(mac(secret, company_id, msisdn, code).as_bytes().ct_eq(stored.as_bytes()))
    }))
}

/// The company (id and BIN) whose current code for the number `code` is: the employee's
/// sign-in names only the number. A number moved to another company may still have the old
/// one's code: each is checked, in constant time.
pub async fn company_of(db: &Db, secret: &str, msisdn: &str, code: &str) -> StoreResult<Option<(String, String)>> {
    use subtle::ConstantTimeEq;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT s.company_id, c.bin, s.code_mac FROM secret_codes s JOIN companies c ON c.id = s.company_id \
         WHERE s.msisdn = $1 ORDER BY s.created_ms DESC",
    )
    .bind(msisdn)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .find(|(company_id, _, stored)| {
            bool::from(mac(secret, company_id, msisdn, code).as_bytes().ct_eq(stored.as_bytes()))
        })
        .map(|(company_id, bin, _)| (company_id, bin)))
}
