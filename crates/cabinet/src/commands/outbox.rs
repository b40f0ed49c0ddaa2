//! `cabinet outbox`: the newest SMS and e-mail messages with their delivery state, as the
//! dev outbox page shows them.

use anyhow::Result;
use cabinet_core::time::OperatorZone;
use cabinet_store::{Db, outbox};

pub async fn print_outbox(db: &Db, limit: i64, zone: &OperatorZone) -> Result<()> {
    let messages = outbox::latest(db, limit).await?;
    if messages.is_empty() {
        println!("The outbox is empty.");
    }
    for m in messages {
        let subject = m.subject.map(|s| format!(" [{s}]")).unwrap_or_default();
        let body = if m.redacted { "(hidden after delivery)".to_string() } else { m.body };
        let error = m.last_error.map(|e| format!(": {e}")).unwrap_or_default();
        println!(
            "{}  {:5}  {:7} {} {}{error}\n    {}{}  {}",
            zone.date_time_seconds(m.created_ms),
            m.channel,
            m.state,
            m.attempts,
            if m.attempts == 1 { "attempt" } else { "attempts" },
            m.recipient,
            subject,
            body
        );
    }
    Ok(())
}
