//! Identifiers that users type: phone numbers, BIN/IIN, ICCID, IMEI. Each is parsed once at
//! the edge ("parse, don't validate") and carried as a newtype afterwards.

use std::fmt;

/// Why a typed identifier was refused. The web layer turns each into a catalog message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("phone number must be 11 digits starting with 7")]
    Msisdn,
    #[error("BIN/IIN must be 12 digits with a valid control digit")]
    Bin,
    #[error("ICCID must be 19-20 digits starting with 89 with a valid check digit")]
    Iccid,
    #[error("IMEI must be 14 digits, or 15 with a valid check digit")]
    Imei,
}

impl IdError {
    /// The message-catalog key for this error.
    pub fn message_key(self) -> &'static str {
        match self {
            IdError::Msisdn => "error-msisdn",
            IdError::Bin => "error-bin",
            IdError::Iccid => "error-iccid",
            IdError::Imei => "error-imei",
        }
    }
}

fn digits_only(s: &str) -> Option<String> {
    // Allowed decorations around digits: spaces, dashes, brackets, dots, a leading plus.
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.trim().char_indices() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '\u{a0}' | '-' | '(' | ')' | '.' => {}
            '+' if i == 0 => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A Kazakhstan mobile number, stored as 11 digits starting with 7 (`77012223344`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msisdn(String);

impl Msisdn {
    /// Accepts `+7 701 222 33 44`, `8 701 222-33-44`, `(701) 2223344`, `77012223344`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits_only(input).ok_or(IdError::Msisdn)?;
        let normalized = match d.len() {
            11 if d.starts_with('7') => d,
            11 if d.starts_with('8') => format!("7{}", &d[1..]),
            10 if d.starts_with('7') => format!("7{d}"),
            _ => return Err(IdError::Msisdn),
        };
        // Kazakh mobile ranges are +7 7xx; +7 6xx and +7 9xx belong to other countries.
        if normalized.as_bytes()[1] != b'7' {
            return Err(IdError::Msisdn);
        }
        Ok(Msisdn(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The three digits after the country code (`701`), which tell the operator.
    pub fn prefix(&self) -> &str {
        &self.0[1..4]
    }

    /// `+7 701 222 33 44`, as the portal shows numbers in headers.
    pub fn pretty(&self) -> String {
        let d = &self.0;
        format!("+7 {} {} {} {}", &d[1..4], &d[4..7], &d[7..9], &d[9..11])
    }
}

/// Sum of a Luhn check over all the digits (the last one being the check digit).
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    luhn_sum(digits.as_bytes(), false).is_multiple_of(10)
}

/// The check digit that makes `body` + digit pass the Luhn check.
pub fn luhn_check_digit(body: &str) -> u8 {
    let s = luhn_sum(body.as_bytes(), true);
    ((10 - s % 10) % 10) as u8
}

fn luhn_sum(digits: &[u8], double_last: bool) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            let double = (i % 2 == 0) == double_last;
            if double {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum()
}

/// A Kazakh business or individual identification number (BIN/IIN): 12 digits, the last a
/// control digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin(String);

impl Bin {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = input.trim();
        if d.len() != 12 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Bin);
        }
        let digits: Vec<u32> = d.bytes().map(|b| u32::from(b - b'0')).collect();
        match bin_control_digit(&digits[..11]) {
            Some(c) if c == digits[11] => Ok(Bin(d.to_string())),
            _ => Err(IdError::Bin),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The control digit of a BIN/IIN's first 11 digits, or None when no digit fits (such
/// numbers are never issued).
pub fn bin_control_digit(first11: &[u32]) -> Option<u32> {
    let weighted = |weights: [u32; 11]| -> u32 { first11.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 };
    let first = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if first != 10 {
        return Some(first);
    }
    let second = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    (second != 10).then_some(second)
}

/// A SIM card's number from its back: 19-20 digits, starting with 89, Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iccid(String);

impl Iccid {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits_only(input).ok_or(IdError::Iccid)?;
        if !(19..=20).contains(&d.len()) || !d.starts_with("89") || !luhn_valid(&d) {
            return Err(IdError::Iccid);
        }
        Ok(Iccid(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A device identity: 14 digits (TAC+SNR, as the portal shows it) or 15 with a Luhn check
/// digit. Stored as the 14 digits, the way the network reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Imei(String);

impl Imei {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits_only(input).ok_or(IdError::Imei)?;
        match d.len() {
            14 => Ok(Imei(d)),
            15 if luhn_valid(&d) => Ok(Imei(d[..14].to_string())),
            _ => Err(IdError::Imei),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Display as the stored digits, and (de)serialize through `parse`, so that no invalid
/// value can enter through JSON either.
macro_rules! digits_newtype {
    ($($name:ident),*) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    )*};
}

digits_newtype!(Msisdn, Bin, Iccid, Imei);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn msisdn_accepts_the_usual_spellings() {
        for s in
            ["+7 701 054 20 06", "87010542006", "77010542006", "7010542006", "8 (701) 054-20-06", "+7-701-054-20-06"]
        {
            assert_eq!(Msisdn::parse(s).unwrap().as_str(), "77010542006", "{s}");
        }
    }

    #[test]
    fn msisdn_refuses_what_is_not_a_kazakh_mobile() {
        for s in ["", "770105420", "770105420066", "79161234567", "7701054200a", "+7 701 05x 20 06", "1234"] {
            assert_eq!(Msisdn::parse(s), Err(IdError::Msisdn), "{s}");
        }
    }

    #[test]
    fn msisdn_pretty_and_prefix() {
        let m = Msisdn::parse("77011441876").unwrap();
        assert_eq!(m.pretty(), "+7 701 144 18 76");
        assert_eq!(m.prefix(), "701");
    }

    #[test]
    fn bin_checks_the_control_digit() {
        let first11 = [9, 4, 0, 7, 4, 0, 0, 0, 0, 1, 2];
        let c = bin_control_digit(&first11).unwrap();
        let good: String = first11.iter().map(|d| d.to_string()).collect::<String>() + &c.to_string();
        assert!(Bin::parse(&good).is_ok());
        let bad: String = first11.iter().map(|d| d.to_string()).collect::<String>() + &((c + 1) % 10).to_string();
        assert_eq!(Bin::parse(&bad), Err(IdError::Bin));
        assert_eq!(Bin::parse("12345678901"), Err(IdError::Bin));
        assert_eq!(Bin::parse("12345678901a"), Err(IdError::Bin));
    }

    #[test]
    fn bin_second_pass_weights() {
        // 11 digits whose first weighted sum is 10 mod 11 need the second weights.
        let first11 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]; // 1*10 = 10
        // Second weights put 1 on position 10, so the control digit is 1.
        assert_eq!(bin_control_digit(&first11), Some(1));
    }

    #[test]
    fn iccid_and_imei() {
        let body = "8999702200121068527";
        let iccid = format!("{body}{}", luhn_check_digit(body));
        assert!(Iccid::parse(&iccid).is_ok());
        let last = iccid.as_bytes()[19] - b'0';
        let wrong = format!("{body}{}", (last + 1) % 10);
        assert_eq!(Iccid::parse(&wrong), Err(IdError::Iccid));
        assert_eq!(Iccid::parse("12345678901234567890"), Err(IdError::Iccid));
        assert_eq!(Imei::parse("35367807651154").unwrap().as_str(), "35367807651154");
        let imei15 = format!("35367807651154{}", luhn_check_digit("35367807651154"));
        assert_eq!(Imei::parse(&imei15).unwrap().as_str(), "35367807651154");
        let wrong = format!("35367807651154{}", (luhn_check_digit("35367807651154") + 1) % 10);
        assert_eq!(Imei::parse(&wrong), Err(IdError::Imei));
        assert_eq!(Imei::parse("3536780765115"), Err(IdError::Imei));
    }

    proptest! {
        #[test]
        fn luhn_check_digit_always_validates(body in "[0-9]{13,19}") {
            let full = format!("{body}{}", luhn_check_digit(&body));
            prop_assert!(luhn_valid(&full));
        }

        #[test]
        fn a_single_changed_digit_fails_luhn(body in "[0-9]{14,19}", pos in 0usize..19, delta in 1u8..10) {
            let full = format!("{body}{}", luhn_check_digit(&body));
            let pos = pos % full.len();
            let mut bytes = full.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            prop_assert!(!luhn_valid(std::str::from_utf8(&bytes).unwrap()));
        }

        #[test]
        fn bin_with_computed_control_digit_parses(first in proptest::collection::vec(0u32..10, 11)) {
            if let Some(c) = bin_control_digit(&first) {
                let s: String = first.iter().map(|d| d.to_string()).collect::<String>() + &c.to_string();
                prop_assert!(Bin::parse(&s).is_ok());
                let bad: String = first.iter().map(|d| d.to_string()).collect::<String>() + &((c + 1) % 10).to_string();
                prop_assert!(Bin::parse(&bad).is_err());
            }
        }

        #[test]
        fn msisdn_round_trips_through_pretty(rest in "7[0-9]{9}") {
            let m = Msisdn::parse(&format!("7{rest}")).unwrap();
            prop_assert_eq!(Msisdn::parse(&m.pretty()).unwrap(), m);
        }
    }
}
