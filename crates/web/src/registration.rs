//! Companies' requests for administrator access (Register, SPEC §4.1) and their decision
//! by operator staff, shared by the operator console and `cabinet requests`: the rules of a
//! request (what each field must be, the letter a PDF within the size limit) and what a
//! decision does and tells the applicant.

use crate::{Tr, WebConfig};
use cabinet_core::email::Email;
use cabinet_core::operator::OperatorPort;
use cabinet_core::{Bin, Locale, Msisdn};
use cabinet_store::access_requests::{self, AccessRequest, NewRequest};
use cabinet_store::{Db, StoreResult, outbox};

/// The company's letter: at most this many bytes.
pub const LETTER_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Names (company, administrator) and a rejection's reason: at most this many characters.
const TEXT_MAX_CHARS: usize = 200;

/// A request as typed, before it is checked.
#[derive(Debug, Default, Clone)]
pub struct Typed {
    pub bin: String,
    pub company_name: String,
    pub admin_name: String,
    pub phone: String,
    pub email: String,
}

/// A field of the form and what is wrong with it (a catalog key).
pub type FieldError = (&'static str, &'static str);

/// A request that passed every check.
pub struct Checked {
    pub bin: Bin,
    pub company_name: String,
    pub admin_name: String,
    pub phone: Msisdn,
    pub email: Email,
    pub letter_name: String,
}

/// A line of text a person typed: trimmed, 1 to 200 characters, no control characters.
fn text_line(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("signup-empty");
    }
    if s.chars().count() > TEXT_MAX_CHARS || s.chars().any(char::is_control) {
        return Err("signup-too-long");
    }
    Ok(s.to_string())
}

/// Whether `bytes` are a PDF file: the header a PDF starts with and the end-of-file marker
/// within its last kilobyte (a truncated upload or a renamed file fails one or the other).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    head.windows(5).position(|w| w == b"%PDF-") == Some(0) && tail.windows(5).any(|w| w == b"%%EOF")
}

/// A letter's file name as kept: its last path part, printable ASCII letters, digits and
/// `._-` (others become `_`), ending in `.pdf`.
fn letter_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut clean: String = base
        .chars()
        .take(80)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .collect();
    if !clean.to_ascii_lowercase().ends_with(".pdf") {
        clean.push_str(".pdf");
    }
    clean
}

/// Checks every field and the letter; all the mistakes at once.
pub fn check(typed: &Typed, letter: Option<(&str, &[u8])>) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let bin = Bin::parse(&typed.bin).map_err(|e| errors.push(("bin", e.message_key()))).ok();
    let company_name = text_line(&typed.company_name).map_err(|k| errors.push(("company_name", k))).ok();
    let admin_name = text_line(&typed.admin_name).map_err(|k| errors.push(("admin_name", k))).ok();
    let phone = Msisdn::parse(&typed.phone).map_err(|e| errors.push(("phone", e.message_key()))).ok();
    let email = Email::parse(&typed.email).map_err(|_| errors.push(("email", "signup-email-invalid"))).ok();
    let letter = match letter {
        None => {
            errors.push(("letter", "signup-letter-missing"));
            None
        }
        Some((_, bytes)) if bytes.len() > LETTER_MAX_BYTES => {
            errors.push(("letter", "signup-letter-too-big"));
            None
        }
        Some((_, bytes)) if !is_pdf(bytes) => {
            errors.push(("letter", "signup-letter-not-pdf"));
            None
        }
        Some((name, _)) => Some(letter_name(name)),
    };
    match (bin, company_name, admin_name, phone, email, letter) {
        (Some(bin), Some(company_name), Some(admin_name), Some(phone), Some(email), Some(letter_name)) => {
            Ok(Checked { bin, company_name, admin_name, phone, email, letter_name })
        }
        _ => Err(errors),
    }
}

/// Stores a checked request; None when the phone already has one waiting for the company.
pub async fn submit(db: &Db, c: &Checked, locale: Locale, letter: &[u8], now_ms: i64) -> StoreResult<Option<String>> {
    let new = NewRequest {
        bin: &c.bin,
        company_name: &c.company_name,
        admin_name: &c.admin_name,
        phone: &c.phone,
        email: c.email.as_str(),
        locale: locale.code(),
        letter_name: &c.letter_name,
        letter,
    };
    access_requests::submit(db, &new, now_ms).await
}

/// Why a decision was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such request, or it was decided already.
    NotPending,
    /// The operator has no customer with the request's BIN/IIN.
    UnknownCustomer,
    /// The operator's system did not answer.
    OperatorDown,
    /// A rejection needs its reason (1 to 200 characters).
    NoReason,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::NotPending => "operator-not-pending",
            Refusal::UnknownCustomer => "operator-unknown-customer",
            Refusal::OperatorDown => "error-operator",
            Refusal::NoReason => "operator-reason-missing",
        }
    }
}

/// The message that tells the applicant: an SMS to the operator's own numbers, an e-mail
/// to the others (their address was given with the request).
fn tell<'a>(config: &WebConfig, r: &'a AccessRequest, subject: &'a str, body: &'a str) -> outbox::Outgoing<'a> {
    match Msisdn::parse(&r.phone) {
        Ok(phone) if config.is_operator_number(&phone) => outbox::Outgoing::sms(&r.phone, body),
        _ => outbox::Outgoing::email(&r.email, subject, body),
    }
}

/// Approves the request: the operator must have the customer; the company (named as the
/// operator names it), the account and the grant are made, and the applicant told where to
/// sign in (`base`: the portal's public origin). Returns whether the account is new.
pub async fn approve(
    db: &Db,
    operator: &dyn OperatorPort,
    config: &WebConfig,
    base: &str,
    id: &str,
    decided_by: &str,
    now_ms: i64,
) -> StoreResult<Result<bool, Refusal>> {
    let Some(r) = access_requests::get(db, id).await?.filter(|r| r.state == access_requests::PENDING) else {
        return Ok(Err(Refusal::NotPending));
    };
    let Ok(bin) = Bin::stored(&r.bin) else { return Ok(Err(Refusal::UnknownCustomer)) };
    let name = match operator.customer_name(&bin).await {
        Ok(Some(name)) => name,
        Ok(None) => return Ok(Err(Refusal::UnknownCustomer)),
        Err(_) => return Ok(Err(Refusal::OperatorDown)),
    };
    let t = Tr::new(Locale::from_code(&r.locale).unwrap_or_default());
    let subject = t.t("signup-mail-subject");
    let body = t.t2("signup-approved-message", ("company", name.as_str()), ("link", format!("{base}/signin")));
    let message = tell(config, &r, &subject, &body);
    Ok(match access_requests::approve(db, id, decided_by, &name, &message, now_ms).await? {
        Some(approved) => Ok(approved.new_account),
        None => Err(Refusal::NotPending),
    })
}

/// Rejects the request with the reason the applicant is told.
pub async fn reject(
    db: &Db,
    config: &WebConfig,
    id: &str,
    decided_by: &str,
    reason: &str,
    now_ms: i64,
) -> StoreResult<Result<(), Refusal>> {
    let Ok(reason) = text_line(reason) else { return Ok(Err(Refusal::NoReason)) };
    let Some(r) = access_requests::get(db, id).await?.filter(|r| r.state == access_requests::PENDING) else {
        return Ok(Err(Refusal::NotPending));
    };
    let t = Tr::new(Locale::from_code(&r.locale).unwrap_or_default());
    let subject = t.t("signup-mail-subject");
    let body = t.t2("signup-rejected-message", ("company", r.company_name.as_str()), ("reason", reason.as_str()));
    let message = tell(config, &r, &subject, &body);
    Ok(if access_requests::reject(db, id, decided_by, &reason, &message, now_ms).await? {
        Ok(())
    } else {
        Err(Refusal::NotPending)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_is_a_pdf_only_with_its_header_and_its_end() {
        assert!(is_pdf(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"));
        assert!(!is_pdf(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "truncated");
        assert!(!is_pdf(b"PK\x03\x04 %PDF-1.7 %%EOF"), "a zip renamed");
        assert!(!is_pdf(b""));
        assert!(!is_pdf(b" %PDF-1.4 %%EOF"), "the header comes first");
    }

    #[test]
    fn a_letters_name_is_kept_plain_and_a_pdf() {
        assert_eq!(letter_name("C:\\Users\\a\\Письмо о доступе.pdf"), format!("{}.pdf", "_".repeat(16)));
        assert_eq!(letter_name("../../etc/passwd"), "passwd.pdf");
        assert_eq!(letter_name("letter-2026_12.PDF"), "letter-2026_12.PDF");
    }

    #[test]
    fn every_mistake_is_named_at_once() {
        let typed = Typed { bin: "000000000000".into(), phone: "+7700111235".into(), ..Typed::default() };
        let errors = check(&typed, Some(("x.pdf", b"not a pdf"))).err().unwrap();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["bin", "company_name", "admin_name", "phone", "email", "letter"]);
    }
}
