//! Money is an integer number of tiyn (1 tenge = 100 tiyn); no floats anywhere.

use crate::Locale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Money(pub i64);

/// Why an amount typed by a user was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("amount must be a number of tenge with at most two decimals")]
    Format,
    #[error("amount is too large")]
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_tenge(tenge: i64) -> Money {
        Money(tenge * 100)
    }

    pub fn tiyn(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Parses a user's amount: `50`, `50.5`, `50,05`, `1 000,00`. Negative amounts are refused.
    pub fn parse_tenge(input: &str) -> Result<Money, AmountError> {
        let cleaned: String = input.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
        let cleaned = cleaned.replace(',', ".");
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(AmountError::Format);
        }
        let whole: i64 = whole.parse().map_err(|_| AmountError::TooLarge)?;
        let frac: i64 =
            if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| AmountError::Format)? };
        whole.checked_mul(100).and_then(|w| w.checked_add(frac)).map(Money).ok_or(AmountError::TooLarge)
    }

    /// `8 476,90 ₸` (ru, kk: no-break space groups, comma decimals) or `8,476.90 ₸` (en).
    pub fn format(self, locale: Locale) -> String {
        let (group, decimal) = match locale {
            Locale::En => (",", "."),
            Locale::Ru | Locale::Kk => ("\u{a0}", ","),
        };
        format!("{}\u{a0}₸", self.format_number(group, decimal))
    }

    /// The amount without the currency sign, as spreadsheets want it.
    pub fn format_plain(self, locale: Locale) -> String {
        match locale {
            Locale::En => self.format_number(",", "."),
            Locale::Ru | Locale::Kk => self.format_number("\u{a0}", ","),
        }
    }

    fn format_number(self, group: &str, decimal: &str) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let frac = abs % 100;
        format!("{}{}{decimal}{frac:02}", if negative { "−" } else { "" }, grouped(abs / 100, group))
    }
}

/// A count grouped in thousands as money is (`12 345` in ru and kk with a no-break space,
/// `12,345` in en), so that "12 345 numbers" sits beside "12 345,00 ₸".
pub fn format_count(n: i64, locale: Locale) -> String {
    let group = match locale {
        Locale::En => ",",
        Locale::Ru | Locale::Kk => "\u{a0}",
    };
    format!("{}{}", if n < 0 { "−" } else { "" }, grouped(n.unsigned_abs(), group))
}

fn grouped(n: u64, group: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * group.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_as_the_portal_shows_it() {
        assert_eq!(Money(847_690).format(Locale::Ru), "8\u{a0}476,90\u{a0}₸");
        assert_eq!(Money(847_690).format(Locale::En), "8,476.90\u{a0}₸");
        assert_eq!(Money(847_690).format(Locale::Kk), "8\u{a0}476,90\u{a0}₸");
        assert_eq!(Money(0).format(Locale::En), "0.00\u{a0}₸");
        assert_eq!(Money(5).format(Locale::En), "0.05\u{a0}₸");
        assert_eq!(Money(-123_456_789).format(Locale::En), "−1,234,567.89\u{a0}₸");
        assert_eq!(Money(100_000_000).format(Locale::Ru), "1\u{a0}000\u{a0}000,00\u{a0}₸");
    }

    #[test]
    fn counts_are_grouped_as_money_is() {
        assert_eq!(format_count(12_345, Locale::Ru), "12\u{a0}345");
        assert_eq!(format_count(12_345, Locale::Kk), "12\u{a0}345");
        assert_eq!(format_count(12_345, Locale::En), "12,345");
        assert_eq!(format_count(999, Locale::En), "999");
        assert_eq!(format_count(0, Locale::Ru), "0");
        assert_eq!(format_count(-1_000_000, Locale::En), "−1,000,000");
        assert_eq!(format_count(i64::MIN, Locale::En), "−9,223,372,036,854,775,808");
        for l in Locale::ALL {
            let money = Money::from_tenge(12_345).format(l);
            assert!(money.starts_with(&format_count(12_345, l)), "{money}");
        }
    }

    #[test]
    fn parses_typed_amounts() {
        assert_eq!(Money::parse_tenge("50"), Ok(Money(5000)));
        assert_eq!(Money::parse_tenge("50.5"), Ok(Money(5050)));
        assert_eq!(Money::parse_tenge("50,05"), Ok(Money(5005)));
        assert_eq!(Money::parse_tenge("1 000,00"), Ok(Money(100_000)));
        for bad in ["", "-5", "5.555", "abc", ".5", "1e3"] {
            assert!(Money::parse_tenge(bad).is_err(), "{bad}");
        }
        assert_eq!(Money::parse_tenge("99999999999999999999"), Err(AmountError::TooLarge));
    }

    proptest! {
        #[test]
        fn english_format_parses_back(tiyn in 0i64..10_000_000_000_000) {
            let shown = Money(tiyn).format_plain(Locale::En).replace(',', "");
            prop_assert_eq!(Money::parse_tenge(&shown), Ok(Money(tiyn)));
        }

        #[test]
        fn russian_format_parses_back(tiyn in 0i64..10_000_000_000_000) {
            let shown = Money(tiyn).format_plain(Locale::Ru);
            prop_assert_eq!(Money::parse_tenge(&shown), Ok(Money(tiyn)));
        }
    }
}
