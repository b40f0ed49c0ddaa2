//! Which accounting documents a company has opened: an act's list shows it as Viewed from
//! its first download on. Kept per company (any of its administrators opening it counts),
//! with the moment of the first view; a second view changes nothing.

use crate::{Db, StoreResult};

/// Records that the company opened the document (once: the first view's moment stays).
pub async fn record(db: &Db, company_id: &str, document_no: &str, now_ms: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO document_views (company_id, document_no, first_viewed_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (company_id, document_no) DO NOTHING",
    )
    .bind(company_id)
    .bind(document_no)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Of `documents`, the ones the company has opened.
pub async fn viewed(db: &Db, company_id: &str, documents: &[String]) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    // A page lists at most a hundred documents: one lookup each keeps the SQL portable.
    for d in documents {
        let seen = db
            .select("SELECT 1 FROM document_views WHERE company_id = $1 AND document_no = $2")
            .text(company_id)
            .text(d.as_str())
            .optional(|r| r.int(0))
            .await?;
        if seen.is_some() {
            out.push(d.clone());
        }
    }
    Ok(out)
}
