//! `cabinet staff create`: an account of the operator console.

use anyhow::{Result, bail};
use cabinet_core::password_rules;
use cabinet_core::time::now_ms;
use cabinet_store::{Db, StoreError, operator_staff, password};

pub async fn staff_create(db: &Db, login: &str, name: &str, password: &str) -> Result<operator_staff::Staff> {
    let login = login.trim();
    if login.is_empty()
        || login.len() > 64
        || !login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        bail!("the login must be 1 to 64 letters, digits, '.', '_' or '-': {login:?}");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        bail!("the name must be 1 to 200 characters");
    }
    if let Err(problem) = password_rules::check_staff(password, password, login) {
        bail!("{}", super::admin::password_problem(problem).replace("administrator's phone number", "login"));
    }
    let hash = password::hash(password.to_string()).await;
    match operator_staff::create(db, &login.to_lowercase(), name, &hash, now_ms()).await {
        Ok(staff) => Ok(staff),
        Err(StoreError::Conflict(_)) => bail!("a member of staff with login {login:?} already exists"),
        Err(e) => Err(e.into()),
    }
}
