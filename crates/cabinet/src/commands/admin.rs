//! `cabinet admin create` and `cabinet admin grant`.

use anyhow::{Result, bail};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Msisdn, password_rules};
use cabinet_store::{Db, StoreError, admins, companies, password};

pub const ROLES: [&str; 4] = ["full", "operations", "read_only", "accountant"];

pub struct AdminArgs<'a> {
    pub phone: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    /// None: the account is not activated; its owner sets a password by "Forgot password?".
    pub password: Option<&'a str>,
    pub operator_prefixes: &'a [String],
}

/// The arguments as the command line gives them (owned strings).
pub struct AdminArgsOwned {
    pub phone: String,
    pub name: String,
    pub email: Option<String>,
    pub password: Option<String>,
}

impl AdminArgsOwned {
    pub fn borrow<'a>(&'a self, operator_prefixes: &'a [String]) -> AdminArgs<'a> {
        AdminArgs {
            phone: &self.phone,
            name: &self.name,
            email: self.email.as_deref(),
            password: self.password.as_deref(),
            operator_prefixes,
        }
    }
}

fn plausible_email(e: &str) -> bool {
    let Some((user, domain)) = e.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

pub async fn admin_create(db: &Db, a: AdminArgs<'_>) -> Result<admins::Admin> {
    let Ok(phone) = Msisdn::parse(a.phone) else {
        bail!("the phone number must be a Kazakhstan mobile number, 11 digits starting with 7: {:?}", a.phone);
    };
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        bail!("the name must be 1 to 200 characters");
    }
    if let Some(e) = a.email
        && !plausible_email(e)
    {
        bail!("not an e-mail address: {e:?}");
    }
    let own = a.operator_prefixes.iter().any(|p| p == phone.prefix());
    if !own && a.email.is_none() {
        bail!("{phone} is not the operator's own number, so its one-time codes go by e-mail: give --email");
    }
    let hash = match a.password {
        Some(p) => {
            if let Err(problem) = password_rules::check(p, p, &phone) {
                bail!("{}", password_problem(problem));
            }
            Some(password::hash(p.to_string()).await)
        }
        None => None,
    };
    let new = admins::NewAdmin { phone: &phone, name, email: a.email, password_hash: hash.as_deref() };
    match admins::create(db, new, now_ms()).await {
        Ok(admin) => Ok(admin),
        Err(StoreError::Conflict(_)) => bail!("an administrator with phone {phone} already exists"),
        Err(e) => Err(e.into()),
    }
}

/// The rule a command-line password breaks, in the operator staff's words.
pub(super) fn password_problem(p: password_rules::PasswordProblem) -> String {
    use password_rules::PasswordProblem::*;
    match p {
        TooShort => format!("the password must be at least {} characters", password_rules::MIN_CHARS),
        TooLong => format!("the password must be at most {} characters", password_rules::MAX_CHARS),
        Phone => "the password must not contain the administrator's phone number".into(),
        Common => "the password is too common: choose another".into(),
        Mismatch => "the passwords differ".into(),
    }
}

pub async fn admin_grant(db: &Db, phone: &str, bin: &str, role: &str) -> Result<()> {
    let Ok(phone) = Msisdn::parse(phone) else {
        bail!("the phone number must be a Kazakhstan mobile number, 11 digits starting with 7: {phone:?}");
    };
    let Ok(bin) = Bin::parse(bin) else {
        bail!("BIN/IIN must be 12 digits with a valid structure and control digit: {bin:?}");
    };
    if !ROLES.contains(&role) {
        bail!("the role must be one of {}", ROLES.join(", "));
    }
    let Some(admin) = admins::by_phone(db, &phone).await? else {
        bail!("no administrator with phone {phone}");
    };
    let Some(company) = companies::by_bin(db, &bin).await? else {
        bail!("no company with BIN {bin}");
    };
    admins::grant(db, &admin, &company, role, now_ms()).await?;
    Ok(())
}
