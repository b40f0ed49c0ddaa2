//! An e-mail address a report is mailed to, as an administrator typed it: checked once at
//! the edge, so that the outbox never holds a message no relay would take. Deliberately
//! plainer than RFC 5322 (no quoted local parts, comments or IP literals): what mail relays
//! and people actually use.

use std::fmt;

/// The longest address SMTP carries (RFC 5321: a path of 256 octets less the brackets).
const MAX_LEN: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("no address")]
    Empty,
    #[error("not an e-mail address")]
    Invalid,
}

impl Email {
    /// The address without the spaces around it; the domain in lower case.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= MAX_LOCAL
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= MAX_LABEL
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !local_ok || !domain_ok || s.len() > MAX_LEN {
            return Err(EmailError::Invalid);
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_pass_and_the_rest_are_refused() {
        assert_eq!(Email::parse("  ivanov.a+reports@Corp.KZ ").unwrap().as_str(), "ivanov.a+reports@corp.kz");
        assert_eq!(Email::parse("a@b.co").unwrap().as_str(), "a@b.co");
        assert_eq!(Email::parse(" "), Err(EmailError::Empty));
        for bad in [
            "ivanov",
            "ivanov@",
            "@corp.kz",
            "ivanov@corp",
            "ivanov@corp.k",
            "ivanov@@corp.kz",
            "iva nov@corp.kz",
            "ivanov@corp..kz",
            ".ivanov@corp.kz",
            "ivanov@-corp.kz",
            "ivanov@corp.kz\r\nBcc: x@y.kz",
            "<ivanov@corp.kz>",
            "иванов@corp.kz",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@corp.kz", "a".repeat(65))).is_err());
    }
}
