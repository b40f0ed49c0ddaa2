//! Identifiers that users type: phone numbers, BIN/IIN, ICCID, IMEI. Each is parsed once at
//! the edge ("parse, don't validate") and carried as a newtype afterwards.

use std::fmt;

/// Why a typed identifier was refused: which identifier, and what exactly is wrong with it.
/// The web layer turns each into a catalog message that names the mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("phone number: {0}")]
    Msisdn(MsisdnError),
    #[error("BIN/IIN: {0}")]
    Bin(BinError),
    #[error("ICCID: {0}")]
    Iccid(IccidError),
    #[error("IMEI: {0}")]
    Imei(ImeiError),
}

/// What is wrong with a typed phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MsisdnError {
    #[error("nothing was typed")]
    Empty,
    #[error("only digits, spaces, dashes, brackets and one leading plus are allowed")]
    Characters,
    #[error("too few digits: +7 and 10 digits")]
    TooFewDigits,
    #[error("too many digits: +7 and 10 digits")]
    TooManyDigits,
    #[error("not a Kazakhstan mobile number (+7 7xx)")]
    NotKazakhMobile,
}

/// What is wrong with a typed BIN/IIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BinError {
    #[error("nothing was typed")]
    Empty,
    #[error("only digits, spaces and dashes are allowed")]
    Characters,
    #[error("must be 12 digits")]
    Length,
    #[error("the fifth digit must be 0-3 (IIN) or 4-6 (BIN)")]
    Kind,
    #[error("digits 3-4 are not a month of registration")]
    Month,
    #[error("the sixth digit of a BIN must be 0-3")]
    Attribute,
    #[error("the seventh digit of an IIN must be 1-6")]
    Century,
    #[error("the first six digits are not a real date of birth")]
    BirthDate,
    #[error("wrong control digit")]
    ControlDigit,
}

/// What is wrong with a typed SIM card number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IccidError {
    #[error("nothing was typed")]
    Empty,
    #[error("only digits, spaces and dashes are allowed")]
    Characters,
    #[error("must be 19-20 digits")]
    Length,
    #[error("must start with 89")]
    Prefix,
    #[error("wrong check digit")]
    CheckDigit,
}

/// What is wrong with a typed IMEI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImeiError {
    #[error("nothing was typed")]
    Empty,
    #[error("only digits, spaces and dashes are allowed")]
    Characters,
    #[error("must be 14 or 15 digits")]
    Length,
    #[error("wrong check digit (the 15th)")]
    CheckDigit,
}

impl IdError {
    /// The message-catalog key for this error: one per mistake, so that the message says
    /// what is wrong rather than repeating the whole format.
    pub fn message_key(self) -> &'static str {
        match self {
            IdError::Msisdn(e) => match e {
                MsisdnError::Empty => "error-msisdn-empty",
                MsisdnError::Characters => "error-msisdn-characters",
                MsisdnError::TooFewDigits => "error-msisdn-too-few",
                MsisdnError::TooManyDigits => "error-msisdn-too-many",
                MsisdnError::NotKazakhMobile => "error-msisdn-not-mobile",
            },
            IdError::Bin(e) => match e {
                BinError::Empty => "error-bin-empty",
                BinError::Characters => "error-bin-characters",
                BinError::Length => "error-bin-length",
                BinError::Kind => "error-bin-kind",
                BinError::Month => "error-bin-month",
                BinError::Attribute => "error-bin-attribute",
                BinError::Century => "error-bin-century",
                BinError::BirthDate => "error-bin-birth-date",
                BinError::ControlDigit => "error-bin-control-digit",
            },
            IdError::Iccid(e) => match e {
                IccidError::Empty => "error-iccid-empty",
                IccidError::Characters => "error-iccid-characters",
                IccidError::Length => "error-iccid-length",
                IccidError::Prefix => "error-iccid-prefix",
                IccidError::CheckDigit => "error-iccid-check-digit",
            },
            IdError::Imei(e) => match e {
                ImeiError::Empty => "error-imei-empty",
                ImeiError::Characters => "error-imei-characters",
                ImeiError::Length => "error-imei-length",
                ImeiError::CheckDigit => "error-imei-check-digit",
            },
        }
    }

    /// Every catalog key `message_key` can give (for the catalog completeness test).
    pub const ALL_KEYS: &'static [&'static str] = &[
        "error-msisdn-empty",
        "error-msisdn-characters",
        "error-msisdn-too-few",
        "error-msisdn-too-many",
        "error-msisdn-not-mobile",
        "error-bin-empty",
        "error-bin-characters",
        "error-bin-length",
        "error-bin-kind",
        "error-bin-month",
        "error-bin-attribute",
        "error-bin-century",
        "error-bin-birth-date",
        "error-bin-control-digit",
        "error-iccid-empty",
        "error-iccid-characters",
        "error-iccid-length",
        "error-iccid-prefix",
        "error-iccid-check-digit",
        "error-imei-empty",
        "error-imei-characters",
        "error-imei-length",
        "error-imei-check-digit",
    ];
}

/// The digits of a typed identifier, or None when anything but digits and the usual
/// separators was typed. Every identifier allows spaces (also no-break) and dashes between
/// its digits, as people copy them from documents; a phone number also allows brackets, dots
/// and one leading plus (`+7 (701) 054-20-06`).
fn digits_of(s: &str, phone: bool) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.trim().char_indices() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '\u{a0}' | '-' => {}
            '(' | ')' | '.' if phone => {}
            '+' if phone && i == 0 => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The digits of a typed identifier, or the identifier's own "empty" / "characters" error.
fn typed_digits<E>(input: &str, phone: bool, empty: E, characters: E) -> Result<String, E> {
    if input.trim().is_empty() {
        return Err(empty);
    }
    match digits_of(input, phone) {
        Some(d) if !d.is_empty() => Ok(d),
        _ => Err(characters),
    }
}

/// A Kazakhstan mobile number, stored as 11 digits starting with 7 (`77012223344`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msisdn(String);

impl Msisdn {
    /// Accepts `+7 701 222 33 44`, `8 701 222-33-44`, `(701) 2223344`, `77012223344`: one
    /// clear number. After `+` comes the country code, so `+7` must be followed by exactly
    /// ten digits (`+7700111235` is a digit short, never `+7 770 011 12 35`).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        use MsisdnError::*;
        let d = typed_digits(input, true, Empty, Characters).map_err(IdError::Msisdn)?;
        let international = input.trim_start().starts_with('+');
        let normalized = if international {
            // After `+` the country code: 7 and exactly ten digits.
            if !d.starts_with('7') {
                return Err(IdError::Msisdn(NotKazakhMobile));
            }
            match d.len() {
                ..=10 => return Err(IdError::Msisdn(TooFewDigits)),
                11 => d,
                _ => return Err(IdError::Msisdn(TooManyDigits)),
            }
        } else {
            match d.len() {
                ..10 => return Err(IdError::Msisdn(TooFewDigits)),
                // The ten digits after the country code, as written without it.
                10 if d.starts_with('7') => format!("7{d}"),
                10 => return Err(IdError::Msisdn(NotKazakhMobile)),
                11 if d.starts_with('7') => d,
                11 if d.starts_with('8') => format!("7{}", &d[1..]),
                11 => return Err(IdError::Msisdn(NotKazakhMobile)),
                _ => return Err(IdError::Msisdn(TooManyDigits)),
            }
        };
        // Kazakh mobile ranges are +7 7xx; +7 6xx and +7 9xx belong to other countries.
        if normalized.as_bytes()[1] != b'7' {
            return Err(IdError::Msisdn(NotKazakhMobile));
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

    /// A number kept as text (a forwarding target, the other side of a transfer) as the
    /// portal shows numbers, or as it is when it is not one.
    pub fn pretty_text(s: &str) -> String {
        Msisdn::parse(s).map_or_else(|_| s.to_string(), |m| m.pretty())
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

/// A Kazakh business or individual identification number (BIN/IIN): 12 digits with a
/// structure and a control digit.
///
/// - BIN (a legal entity, its branch, a joint entrepreneurship): `YYMM` of registration
///   (month 01–12), the type (4 resident, 5 non-resident, 6 joint individual
///   entrepreneurship), the attribute (0 head office, 1 branch, 2 representative office,
///   3 peasant farm), a 5-digit serial, the control digit.
/// - IIN (a person, also an individual entrepreneur): `YYMMDD` of birth (a real date), the
///   century and sex (1–2 the 19th, 3–4 the 20th, 5–6 the 21st century), a 4-digit
///   serial, the control digit.
///
/// The fifth digit tells them apart: an IIN's is the tens of the day (0–3), a BIN's the
/// type (4–6).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin(String);

impl Bin {
    /// Accepts the 12 digits, with spaces or dashes between them as on documents.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = typed_digits(input, false, BinError::Empty, BinError::Characters).map_err(IdError::Bin)?;
        if d.len() != 12 {
            return Err(IdError::Bin(BinError::Length));
        }
        let digits: Vec<u32> = d.bytes().map(|b| u32::from(b - b'0')).collect();
        bin_structure(&digits).map_err(IdError::Bin)?;
        match bin_control_digit(&digits[..11]) {
            Some(c) if c == digits[11] => Ok(Bin(d)),
            _ => Err(IdError::Bin(BinError::ControlDigit)),
        }
    }

    /// A BIN/IIN read back from Cabinet's own store (a company, a job's payload). It was
    /// parsed when typed, but before the structure was checked, so only its digits and
    /// control digit are checked again: a company created then keeps working.
    pub fn stored(s: &str) -> Result<Self, IdError> {
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Bin(BinError::Length));
        }
        let digits: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        match bin_control_digit(&digits[..11]) {
            Some(c) if c == digits[11] => Ok(Bin(s.to_string())),
            _ => Err(IdError::Bin(BinError::ControlDigit)),
        }
    }

    /// The BIN/IIN of `first11` and its control digit, when both make a valid one.
    pub fn complete(first11: &str) -> Option<Bin> {
        if first11.len() != 11 || !first11.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        let c = bin_control_digit(&digits)?;
        Bin::parse(&format!("{first11}{c}")).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the first 11 digits have a BIN's or an IIN's structure (see `Bin`), and if not,
/// which part is wrong.
fn bin_structure(d: &[u32]) -> Result<(), BinError> {
    let two = |i: usize| d[i] * 10 + d[i + 1];
    match d[4] {
        // IIN: a real birth date in the century the seventh digit names.
        0..=3 => {
            let century = match d[6] {
                1 | 2 => 1800,
                3 | 4 => 1900,
                5 | 6 => 2000,
                _ => return Err(BinError::Century),
            };
            let year = century + two(0) as i16;
            jiff::civil::Date::new(year, two(2) as i8, two(4) as i8).map(|_| ()).map_err(|_| BinError::BirthDate)
        }
        // BIN: a registration month, the type, then the attribute.
        4..=6 if !(1..=12).contains(&two(2)) => Err(BinError::Month),
        4..=6 if d[5] > 3 => Err(BinError::Attribute),
        4..=6 => Ok(()),
        _ => Err(BinError::Kind),
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
        let d = typed_digits(input, false, IccidError::Empty, IccidError::Characters).map_err(IdError::Iccid)?;
        let wrong = if !(19..=20).contains(&d.len()) {
            Some(IccidError::Length)
        } else if !d.starts_with("89") {
            Some(IccidError::Prefix)
        } else if !luhn_valid(&d) {
            Some(IccidError::CheckDigit)
        } else {
            None
        };
        match wrong {
            Some(e) => Err(IdError::Iccid(e)),
            None => Ok(Iccid(d)),
        }
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
        let d = typed_digits(input, false, ImeiError::Empty, ImeiError::Characters).map_err(IdError::Imei)?;
        match d.len() {
            14 => Ok(Imei(d)),
            15 if luhn_valid(&d) => Ok(Imei(d[..14].to_string())),
            15 => Err(IdError::Imei(ImeiError::CheckDigit)),
            _ => Err(IdError::Imei(ImeiError::Length)),
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
        use MsisdnError::*;
        for (s, why) in [
            ("", Empty),
            ("  ", Empty),
            ("770105420", TooFewDigits),
            ("1234", TooFewDigits),
            ("770105420066", TooManyDigits),
            ("79161234567", NotKazakhMobile),
            ("9161234567", NotKazakhMobile),
            ("37012345678", NotKazakhMobile),
            ("7701054200a", Characters),
            ("+7 701 05x 20 06", Characters),
        ] {
            assert_eq!(Msisdn::parse(s), Err(IdError::Msisdn(why)), "{s}");
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
        assert_eq!(Bin::parse(&bad), Err(IdError::Bin(BinError::ControlDigit)));
        assert_eq!(Bin::parse("12345678901"), Err(IdError::Bin(BinError::Length)));
        assert_eq!(Bin::parse("12345678901a"), Err(IdError::Bin(BinError::Characters)));
        assert_eq!(Bin::parse(""), Err(IdError::Bin(BinError::Empty)));
    }

    /// The first 11 digits and the control digit that the weights give them.
    fn with_control(first11: &str) -> String {
        let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        format!("{first11}{}", bin_control_digit(&digits).expect("a control digit"))
    }

    #[test]
    fn bin_and_iin_need_their_structure_not_only_the_control_digit() {
        // Each has a right control digit; the review found such numbers accepted.
        use BinError::*;
        for (first11, error, why) in [
            ("00000000000", Century, "all zeros: day 00, century digit 0"),
            ("94004000001", Month, "BIN month 00"),
            ("94134000001", Month, "BIN month 13"),
            ("94077000001", Kind, "BIN type 7"),
            ("94074400001", Attribute, "BIN attribute 4"),
            ("90013210001", BirthDate, "IIN day 32"),
            ("90130110001", BirthDate, "IIN month 13"),
            ("90010100001", Century, "IIN century digit 0"),
            ("90010170001", Century, "IIN century digit 7"),
            ("01022950001", BirthDate, "IIN 29 February of 2001"),
        ] {
            assert_eq!(Bin::parse(&with_control(first11)), Err(IdError::Bin(error)), "{why}");
        }
        for first11 in ["94074000001", "05054000133", "99125310001", "00022960001", "90013130001", "85063040001"] {
            assert!(Bin::parse(&with_control(first11)).is_ok(), "{first11}");
        }
        assert_eq!(Bin::parse("000000000000"), Err(IdError::Bin(Century)));
        // Stored before the structure was checked: still readable back, still a control digit.
        assert!(Bin::stored("000000000000").is_ok());
        assert_eq!(Bin::stored("940740000012"), Err(IdError::Bin(ControlDigit)));
        assert_eq!(Bin::stored("9407400000150"), Err(IdError::Bin(Length)));
        assert_eq!(Bin::stored("94074000001"), Err(IdError::Bin(Length)));
    }

    #[test]
    fn every_identifier_takes_spaces_and_dashes_alike() {
        let bin = Bin::parse("940740000015").unwrap();
        for s in ["9407 4000 0015", "940740-000015", " 9407-4000-0015 ", "9407\u{a0}4000\u{a0}0015"] {
            assert_eq!(Bin::parse(s).as_ref(), Ok(&bin), "{s}");
        }
        let imei = Imei::parse("35367807651154").unwrap();
        assert_eq!(Imei::parse("35-367807-651154").as_ref(), Ok(&imei));
        assert_eq!(Imei::parse("353678 076511 54").as_ref(), Ok(&imei));
        // Brackets, dots and a plus belong to phone numbers only.
        for s in ["(353678)07651154", "+35367807651154", "35.367807.651154"] {
            assert_eq!(Imei::parse(s), Err(IdError::Imei(ImeiError::Characters)), "{s}");
        }
        assert_eq!(Bin::parse("+940740000015"), Err(IdError::Bin(BinError::Characters)));
        assert_eq!(Bin::parse("9407.4000.0015"), Err(IdError::Bin(BinError::Characters)));
    }

    #[test]
    fn after_plus_seven_exactly_ten_digits_follow() {
        // `+7` and nine digits is a digit short, not +7 770 011 12 35.
        use MsisdnError::*;
        for (s, why) in [
            ("+7700111235", TooFewDigits),
            ("+7 700 111 235", TooFewDigits),
            ("+7010542006", TooFewDigits),
            ("+7 701 054 20 066", TooManyDigits),
            ("+8 701 054 20 06", NotKazakhMobile),
            ("+87010542006", NotKazakhMobile),
            ("+7 916 123 45 67", NotKazakhMobile),
        ] {
            assert_eq!(Msisdn::parse(s), Err(IdError::Msisdn(why)), "{s}");
        }
        assert_eq!(Msisdn::parse("+77001112354").unwrap().as_str(), "77001112354");
        assert_eq!(Msisdn::parse("+7 (700) 111-23-54").unwrap().as_str(), "77001112354");
        // Without the plus, ten digits are the number without its country code.
        assert_eq!(Msisdn::parse("7001112354").unwrap().as_str(), "77001112354");
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
        // A wrong check digit is said to be one, not "19-20 digits starting with 89".
        assert_eq!(Iccid::parse(&wrong), Err(IdError::Iccid(IccidError::CheckDigit)));
        assert_eq!(Iccid::parse("12345678901234567890"), Err(IdError::Iccid(IccidError::Prefix)));
        assert_eq!(Iccid::parse("899970220012106852"), Err(IdError::Iccid(IccidError::Length)));
        assert_eq!(Iccid::parse("8999 7022 0012 1068 52x"), Err(IdError::Iccid(IccidError::Characters)));
        assert_eq!(Iccid::parse(" "), Err(IdError::Iccid(IccidError::Empty)));
        assert_eq!(Imei::parse("35367807651154").unwrap().as_str(), "35367807651154");
        let imei15 = format!("35367807651154{}", luhn_check_digit("35367807651154"));
        assert_eq!(Imei::parse(&imei15).unwrap().as_str(), "35367807651154");
        let wrong = format!("35367807651154{}", (luhn_check_digit("35367807651154") + 1) % 10);
        assert_eq!(Imei::parse(&wrong), Err(IdError::Imei(ImeiError::CheckDigit)));
        assert_eq!(Imei::parse("3536780765115"), Err(IdError::Imei(ImeiError::Length)));
        assert_eq!(Imei::parse(""), Err(IdError::Imei(ImeiError::Empty)));
    }

    #[test]
    fn every_mistake_has_its_own_message_key() {
        let keys = IdError::ALL_KEYS;
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len());
        for e in [
            IdError::Msisdn(MsisdnError::TooFewDigits),
            IdError::Bin(BinError::ControlDigit),
            IdError::Iccid(IccidError::CheckDigit),
            IdError::Imei(ImeiError::CheckDigit),
        ] {
            assert!(keys.contains(&e.message_key()), "{e:?}");
        }
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
        fn a_structured_bin_with_its_control_digit_parses(
            yy in 0u32..100, mm in 1u32..=12, kind in 4u32..=6, attr in 0u32..=3, serial in 0u32..100_000
        ) {
            let first11 = format!("{yy:02}{mm:02}{kind}{attr}{serial:05}");
            let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
            prop_assume!(bin_control_digit(&digits).is_some());
            let bin = Bin::complete(&first11).expect("a valid BIN");
            let c = bin.as_str().as_bytes()[11] - b'0';
            let wrong = format!("{first11}{}", (c + 1) % 10);
            prop_assert!(Bin::parse(&wrong).is_err());
        }

        #[test]
        fn a_real_birth_date_makes_an_iin(days in 0i32..(3 * 36_524), sex in 0u32..2, serial in 0u32..10_000) {
            let born = jiff::civil::date(1800, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            let century_sex = (born.year() as u32 - 1800) / 100 * 2 + 1 + sex;
            let first11 = format!("{}{century_sex}{serial:04}", born.strftime("%y%m%d"));
            let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
            prop_assume!(bin_control_digit(&digits).is_some());
            prop_assert!(Bin::complete(&first11).is_some(), "{first11}");
        }

        #[test]
        fn a_bin_with_a_broken_structure_is_refused_whatever_its_control_digit(
            yy in 0u32..100, mm in 13u32..100, kind in 4u32..=9, attr in 0u32..10, serial in 0u32..100_000
        ) {
            // Month 13–99 for any type; or a type (7–9) or attribute (4–9) that does not exist.
            for first11 in [
                format!("{yy:02}{mm:02}{kind}{attr}{serial:05}"),
                format!("{yy:02}00{kind}{attr}{serial:05}"),
                format!("{yy:02}{:02}7{attr}{serial:05}", mm % 12 + 1),
                format!("{yy:02}{:02}{}{}{serial:05}", mm % 12 + 1, kind.min(6), attr.max(4)),
            ] {
                let digits: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
                if let Some(c) = bin_control_digit(&digits) {
                    prop_assert!(Bin::parse(&format!("{first11}{c}")).is_err(), "{first11}{c}");
                }
            }
        }

        #[test]
        fn msisdn_round_trips_through_pretty(rest in "7[0-9]{9}") {
            let m = Msisdn::parse(&format!("7{rest}")).unwrap();
            prop_assert_eq!(Msisdn::parse(&m.pretty()).unwrap(), m);
        }
    }
}
