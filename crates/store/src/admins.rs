//! Administrators and the companies each was granted.

use crate::companies::Company;
use crate::{Db, StoreError, StoreResult, ids};
use cabinet_core::Msisdn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub id: String,
    pub phone: String,
    pub name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Admin {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Admin {
            id: sqlx::Row::try_get(r, 0)?,
            phone: sqlx::Row::try_get(r, 1)?,
            name: sqlx::Row::try_get(r, 2)?,
            email: sqlx::Row::try_get(r, 3)?,
            password_hash: sqlx::Row::try_get(r, 4)?,
        })
    }
}

/// A company as one administrator sees it: with the alias only they see, and their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedCompany {
    pub id: String,
    pub bin: String,
    pub name: String,
    pub alias: Option<String>,
    pub role: String,
}

/// By position: the selects name the columns in the fields' order.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for GrantedCompany {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(GrantedCompany {
            id: sqlx::Row::try_get(r, 0)?,
            bin: sqlx::Row::try_get(r, 1)?,
            name: sqlx::Row::try_get(r, 2)?,
            alias: sqlx::Row::try_get(r, 3)?,
            role: sqlx::Row::try_get(r, 4)?,
        })
    }
}

impl GrantedCompany {
    /// What the company switcher shows: the alias if set, else the full name.
    pub fn label(&self) -> &str {
        self.alias.as_deref().filter(|a| !a.is_empty()).unwrap_or(&self.name)
    }
}

pub struct NewAdmin<'a> {
    pub phone: &'a Msisdn,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
}

pub async fn create(db: &Db, new: NewAdmin<'_>, now_ms: i64) -> StoreResult<Admin> {
    let admin = Admin {
        id: ids::new_id(),
        phone: new.phone.as_str().to_string(),
        name: new.name.to_string(),
        email: new.email.map(str::to_string),
        password_hash: new.password_hash.map(str::to_string),
    };
    sqlx::query(
        "INSERT INTO admins (id, phone, name, email, password_hash, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&admin.id)
    .bind(&admin.phone)
    .bind(&admin.name)
    .bind(&admin.email)
    .bind(&admin.password_hash)
    .bind(now_ms)
    .execute(db.pool())
    .await
    .map_err(|e| StoreError::on_conflict(e, "administrator with this phone number"))?;
    Ok(admin)
}

/// A new password hash (Argon2id) for the administrator.
pub async fn set_password(db: &Db, admin_id: &str, password_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE admins SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(admin_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn by_phone(db: &Db, phone: &Msisdn) -> StoreResult<Option<Admin>> {
    Ok(sqlx::query_as("SELECT id, phone, name, email, password_hash FROM admins WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(db.pool())
        .await?)
}

pub async fn by_id(db: &Db, id: &str) -> StoreResult<Option<Admin>> {
    Ok(sqlx::query_as("SELECT id, phone, name, email, password_hash FROM admins WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// Gives the administrator access to the company (again: the role is updated).
pub async fn grant(db: &Db, admin: &Admin, company: &Company, role: &str, now_ms: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO admin_companies (admin_id, company_id, role, granted_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (admin_id, company_id) DO UPDATE SET role = excluded.role",
    )
    .bind(&admin.id)
    .bind(&company.id)
    .bind(role)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    // A session's context names the role it holds.
    crate::sessions::changed();
    Ok(())
}

/// The administrator's own short name for a granted company (None: its full name); false
/// when the company is not granted to them.
pub async fn set_alias(db: &Db, admin_id: &str, company_id: &str, alias: Option<&str>) -> StoreResult<bool> {
    let changed = sqlx::query("UPDATE admin_companies SET alias = $1 WHERE admin_id = $2 AND company_id = $3")
        .bind(alias)
        .bind(admin_id)
        .bind(company_id)
        .execute(db.pool())
        .await?;
    crate::sessions::changed();
    Ok(changed.rows_affected() == 1)
}

/// An administrator of a company, as "Company administrators" lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyAdmin {
    pub admin_id: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub role: String,
    /// A password is set (an account created without one waits for its first sign-in).
    pub activated: bool,
}

/// The company's administrators, by name.
pub async fn of_company(db: &Db, company_id: &str) -> StoreResult<Vec<CompanyAdmin>> {
    let rows: Vec<(String, String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT a.id, a.name, a.phone, a.email, g.role, \
         CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END \
         FROM admin_companies g JOIN admins a ON a.id = g.admin_id WHERE g.company_id = $1 ORDER BY a.name, a.phone",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(admin_id, name, phone, email, role, activated)| CompanyAdmin {
            admin_id,
            name,
            phone,
            email,
            role,
            activated: activated != 0,
        })
        .collect())
}

/// Gives `admin_id` access to the company with `role`, unless they have it already (false:
/// their role stays as it is).
pub async fn add_access(db: &Db, company_id: &str, admin_id: &str, role: &str, now_ms: i64) -> StoreResult<bool> {
    let added = sqlx::query(
        "INSERT INTO admin_companies (admin_id, company_id, role, granted_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (admin_id, company_id) DO NOTHING",
    )
    .bind(admin_id)
    .bind(company_id)
    .bind(role)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    crate::sessions::changed();
    Ok(added.rows_affected() == 1)
}

/// Why a change of another administrator's access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessRefusal {
    /// Not an administrator of this company.
    NotFound,
    /// It would leave the company without an administrator with the full role.
    LastFull,
}

/// Changes `admin_id`'s role in the company (None: removes the access). Changes to one
/// company's administrators run one at a time (its row is locked first), and a change that
/// would leave no administrator with the full role is refused, even when two of them take
/// each other's away at once.
pub async fn change_access(
    db: &Db,
    company_id: &str,
    admin_id: &str,
    role: Option<&str>,
) -> StoreResult<Result<(), AccessRefusal>> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE companies SET name = name WHERE id = $1").bind(company_id).execute(&mut *tx).await?;
    let current: Option<String> =
        sqlx::query_scalar("SELECT role FROM admin_companies WHERE company_id = $1 AND admin_id = $2")
            .bind(company_id)
            .bind(admin_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(current) = current else { return Ok(Err(AccessRefusal::NotFound)) };
    if current == "full" && role != Some("full") {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM admin_companies WHERE company_id = $1 AND role = 'full' AND admin_id <> $2",
        )
        .bind(company_id)
        .bind(admin_id)
        .fetch_one(&mut *tx)
        .await?;
        if others == 0 {
            return Ok(Err(AccessRefusal::LastFull));
        }
    }
    match role {
        Some(role) => {
            sqlx::query("UPDATE admin_companies SET role = $1 WHERE company_id = $2 AND admin_id = $3")
                .bind(role)
                .bind(company_id)
                .bind(admin_id)
                .execute(&mut *tx)
                .await?;
        }
        None => {
            sqlx::query("DELETE FROM admin_companies WHERE company_id = $1 AND admin_id = $2")
                .bind(company_id)
                .bind(admin_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    crate::sessions::changed();
    Ok(Ok(()))
}

/// The companies this administrator may manage, by name.
pub async fn companies_of(db: &Db, admin_id: &str) -> StoreResult<Vec<GrantedCompany>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.bin, c.name, g.alias, g.role FROM admin_companies g JOIN companies c ON c.id = g.company_id
         WHERE g.admin_id = $1 ORDER BY c.name, c.bin",
    )
    .bind(admin_id)
    .fetch_all(db.pool())
    .await?)
}

/// The company if this administrator was granted it; None otherwise (another company's id).
pub async fn granted_company(db: &Db, admin_id: &str, company_id: &str) -> StoreResult<Option<GrantedCompany>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.bin, c.name, g.alias, g.role FROM admin_companies g JOIN companies c ON c.id = g.company_id
         WHERE g.admin_id = $1 AND g.company_id = $2",
    )
    .bind(admin_id)
    .bind(company_id)
    .fetch_optional(db.pool())
    .await?)
}
