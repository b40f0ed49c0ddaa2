//! `cabinet outbox`: the newest SMS and e-mail messages, as the dev outbox page shows them.

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
        println!("{}  {:5}  {}{}  {}", zone.date_time_seconds(m.created_ms), m.channel, m.recipient, subject, m.body);
    }
    Ok(())
}
