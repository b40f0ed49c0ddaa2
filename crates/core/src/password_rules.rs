//! The rules a new password must follow (stated on the page that sets one): long enough to
//! resist guessing, not the administrator's own phone number, and not one of the passwords
//! every guesser tries first.

use crate::Msisdn;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Characters at least.
pub const MIN_CHARS: usize = 10;
/// Characters at most (a longer one only costs the hash time).
pub const MAX_CHARS: usize = 128;

/// Common passwords of `MIN_CHARS` or more, lower-cased (`data/README.md` says whence).
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../data/common-passwords.txt").lines().filter(|l| !l.is_empty()).collect());

/// What is wrong with a new password; each has a message in the catalogs
/// (`password-rule-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// It holds the administrator's phone number (its ten digits after the country code).
    Phone,
    Common,
    /// The two entries differ.
    Mismatch,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password-rule-short",
            PasswordProblem::TooLong => "password-rule-long",
            PasswordProblem::Phone => "password-rule-phone",
            PasswordProblem::Common => "password-rule-common",
            PasswordProblem::Mismatch => "password-rule-mismatch",
        }
    }
}

/// Checks `password` (typed twice: `again`) for the administrator of `phone`.
pub fn check(password: &str, again: &str, phone: &Msisdn) -> Result<(), PasswordProblem> {
    let digits: String = password.chars().filter(char::is_ascii_digit).collect();
    rules(password, again, digits.contains(&phone.as_str()[1..]))
}

/// Checks a password of the operator's staff member `login` (the login plays the phone's
/// part: `PasswordProblem::Phone` means the password contains it).
pub fn check_staff(password: &str, again: &str, login: &str) -> Result<(), PasswordProblem> {
    let login = login.trim().to_lowercase();
    rules(password, again, !login.is_empty() && password.to_lowercase().contains(&login))
}

fn rules(password: &str, again: &str, names_its_owner: bool) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if names_its_owner {
        return Err(PasswordProblem::Phone);
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(PasswordProblem::Common);
    }
    if password != again {
        return Err(PasswordProblem::Mismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone() -> Msisdn {
        Msisdn::parse("77012112101").unwrap()
    }

    #[test]
    fn a_long_uncommon_password_typed_twice_passes() {
        assert_eq!(check("Жасыл-алма 2026", "Жасыл-алма 2026", &phone()), Ok(()));
    }

    #[test]
    fn each_rule_refuses_with_its_own_reason() {
        assert_eq!(check("short1!", "short1!", &phone()), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"x".repeat(129), &"x".repeat(129), &phone()), Err(PasswordProblem::TooLong));
        assert_eq!(check("my+7 701 211 21 01", "my+7 701 211 21 01", &phone()), Err(PasswordProblem::Phone));
        assert_eq!(check("7012112101", "7012112101", &phone()), Err(PasswordProblem::Phone));
        assert_eq!(check("Password123", "Password123", &phone()), Err(PasswordProblem::Common), "any case");
        assert_eq!(check("qwertyuiop", "qwertyuiop", &phone()), Err(PasswordProblem::Common));
        assert_eq!(check("Жасыл-алма 2026", "Жасыл-алма 2025", &phone()), Err(PasswordProblem::Mismatch));
    }

    #[test]
    fn the_length_counts_characters_not_bytes() {
        // Ten Cyrillic letters are twenty bytes but ten characters: long enough, not more.
        assert_eq!(check("жасылалмаб", "жасылалмаб", &phone()), Ok(()));
        assert_eq!(check("жасылалма", "жасылалма", &phone()), Err(PasswordProblem::TooShort));
    }

    #[test]
    fn a_staff_password_must_not_contain_the_login() {
        assert_eq!(check_staff("aigerim-2026-winter", "aigerim-2026-winter", "Aigerim"), Err(PasswordProblem::Phone));
        assert_eq!(check_staff("Жасыл алма 2026!", "Жасыл алма 2026!", "aigerim"), Ok(()));
        assert_eq!(check_staff("short", "short", "aigerim"), Err(PasswordProblem::TooShort));
    }
}
