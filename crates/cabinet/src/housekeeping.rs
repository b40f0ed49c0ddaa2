//! Periodic clean-up of state that has run out: expired sessions, ended one-time codes,
//! old rate-limit windows, delivered messages and secrets left in the outbox, expired
//! reports and their files, decided requests' letters. Safe to run on every instance at once. Once a day it also runs
//! the simulated operator's daily billing (overdue invoices block their accounts); the first
//! instance to claim the operator's day runs it.

use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_store::{
    Db, StoreResult, access_requests, attempts, email_changes, employee_sessions, operator_staff, otp, outbox,
    password_resets, reports, sessions,
};
use std::time::Duration;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// One pass; returns how many rows went.
pub async fn sweep(db: &Db, now: i64) -> StoreResult<u64> {
    let mut n = sessions::delete_expired(db, now).await?;
    n += employee_sessions::delete_expired(db, now).await?;
    n += operator_staff::delete_expired(db, now).await?;
    n += otp::delete_expired(db, now - DAY_MS).await?;
    n += password_resets::delete_expired(db, now - DAY_MS).await?;
    n += email_changes::delete_expired(db, now - DAY_MS).await?;
    n += attempts::delete_stale(db, now - DAY_MS).await?;
    // Delivered or given-up messages go after a week; a secret kept undelivered in the dev
    // outbox is erased after an hour (codes expire long before).
    n += outbox::purge(db, now - 7 * DAY_MS, now - 3600 * 1000).await?;
    // Reports leave My reports (with their files) when they expire.
    n += reports::delete_expired(db, now).await?;
    // A decided request's letter goes after 90 days (the decision stays).
    n += access_requests::purge_letters(db, now - 90 * DAY_MS).await?;
    Ok(n)
}

/// Sweeps every ten minutes for as long as the process runs, and runs the day's billing at
/// the first sweep of each operator day.
pub fn spawn(db: Db, zone: OperatorZone) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match sweep(&db, now_ms()).await {
                Ok(n) if n > 0 => tracing::info!(rows = n, "housekeeping removed expired rows"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
            }
            match cabinet_sim::billing::daily_once(&db, &zone, now_ms()).await {
                Ok(Some(r)) => tracing::info!(customers = r.customers, blocked = r.blocked, "daily billing ran"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "daily billing failed"),
            }
        }
    });
}
