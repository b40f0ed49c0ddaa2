//! `cabinet staff create|password|remove`: the accounts of the operator console.

use anyhow::{Result, bail};
use cabinet_core::password_rules;
use cabinet_core::time::now_ms;
use cabinet_store::{Db, StoreError, operator_staff, password};

/// A login as typed: 1 to 64 letters, digits, '.', '_' or '-', kept in lower case.
fn login_arg(login: &str) -> Result<String> {
    let login = login.trim();
    if login.is_empty()
        || login.len() > 64
        || !login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        bail!("the login must be 1 to 64 letters, digits, '.', '_' or '-': {login:?}");
    }
    Ok(login.to_lowercase())
}

async fn checked_hash(login: &str, password: &str) -> Result<String> {
    if let Err(problem) = password_rules::check_staff(password, password, login) {
        bail!("{}", super::admin::password_problem(problem).replace("administrator's phone number", "login"));
    }
    Ok(password::hash(password.to_string()).await)
}

pub async fn staff_create(db: &Db, login: &str, name: &str, password: &str) -> Result<operator_staff::Staff> {
    let login = login_arg(login)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        bail!("the name must be 1 to 200 characters");
    }
    let hash = checked_hash(&login, password).await?;
    match operator_staff::create(db, &login, name, &hash, now_ms()).await {
        Ok(staff) => Ok(staff),
        Err(StoreError::Conflict(_)) => bail!("a member of staff with login {login:?} already exists"),
        Err(e) => Err(e.into()),
    }
}

/// A new password for a member of staff; their sessions end.
pub async fn staff_password(db: &Db, login: &str, password: &str) -> Result<()> {
    let login = login_arg(login)?;
    let hash = checked_hash(&login, password).await?;
    if !operator_staff::set_password(db, &login, &hash).await? {
        bail!("no member of staff with login {login:?}");
    }
    Ok(())
}

/// Removes a member of staff (who left): their sessions end at once.
pub async fn staff_remove(db: &Db, login: &str) -> Result<()> {
    let login = login_arg(login)?;
    if !operator_staff::remove(db, &login).await? {
        bail!("no member of staff with login {login:?}");
    }
    Ok(())
}
