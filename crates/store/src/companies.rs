//! Companies (legal entities, each with a BIN) that Cabinet serves.

use crate::{Db, StoreError, StoreResult, ids};
use cabinet_core::Bin;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: String,
    pub bin: String,
    pub name: String,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Company {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Company { id: sqlx::Row::try_get(r, 0)?, bin: sqlx::Row::try_get(r, 1)?, name: sqlx::Row::try_get(r, 2)? })
    }
}

impl Company {
    pub fn bin(&self) -> Bin {
        Bin::stored(&self.bin).expect("BINs are validated before they are stored")
    }
}

pub async fn create(db: &Db, bin: &Bin, name: &str, now_ms: i64) -> StoreResult<Company> {
    let company = Company { id: ids::new_id(), bin: bin.as_str().to_string(), name: name.to_string() };
    sqlx::query("INSERT INTO companies (id, bin, name, created_ms) VALUES ($1, $2, $3, $4)")
        .bind(&company.id)
        .bind(&company.bin)
        .bind(&company.name)
        .bind(now_ms)
        .execute(db.pool())
        .await
        .map_err(|e| StoreError::on_conflict(e, "company with this BIN"))?;
    Ok(company)
}

pub async fn by_bin(db: &Db, bin: &Bin) -> StoreResult<Option<Company>> {
    Ok(sqlx::query_as("SELECT id, bin, name FROM companies WHERE bin = $1")
        .bind(bin.as_str())
        .fetch_optional(db.pool())
        .await?)
}

pub async fn count(db: &Db) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies").fetch_one(db.pool()).await?;
    Ok(n)
}
