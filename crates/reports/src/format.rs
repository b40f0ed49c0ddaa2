//! Money and moments as text, for documents that show them as words (a PDF) rather than as
//! numbers with a format (a spreadsheet).

use crate::LocalDateTime;

/// Joins digit groups and the tenge sign, so that an amount never breaks across lines.
const NBSP: char = '\u{00A0}';

/// An amount in tiyn as tenge with two decimals and the tenge sign: `1 234,50 ₸` (ru, kk:
/// no-break spaces between groups, a decimal comma) or `1,234.50 ₸` (en).
pub fn money(tiyn: i64, decimal_comma: bool) -> String {
    let (group, decimal) = if decimal_comma { (NBSP, ',') } else { (',', '.') };
    // unsigned_abs: i64::MIN has no positive counterpart.
    let abs = tiyn.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut out = String::with_capacity(digits.len() + 10);
    if tiyn < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(d);
    }
    out.push(decimal);
    out.push_str(&format!("{:02}", abs % 100));
    out.push(NBSP);
    out.push('₸');
    out
}

/// `dd.mm.yyyy hh:mm:ss`, as the XLSX export formats its date cells.
pub fn date_time(t: &LocalDateTime) -> String {
    format!("{:02}.{:02}.{:04} {:02}:{:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute, t.second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands_and_keeps_two_decimals() {
        assert_eq!(money(123_450, true), "1\u{a0}234,50\u{a0}₸");
        assert_eq!(money(123_450, false), "1,234.50\u{a0}₸");
        assert_eq!(money(0, true), "0,00\u{a0}₸");
        assert_eq!(money(-5, false), "-0.05\u{a0}₸");
        assert_eq!(money(99_999_999, false), "999,999.99\u{a0}₸");
        assert_eq!(money(100_000_000, true), "1\u{a0}000\u{a0}000,00\u{a0}₸");
        assert_eq!(money(i64::MIN, false), "-92,233,720,368,547,758.08\u{a0}₸");
    }

    #[test]
    fn moments_are_day_first_with_seconds() {
        let t = LocalDateTime { year: 2026, month: 3, day: 1, hour: 0, minute: 5, second: 9 };
        assert_eq!(date_time(&t), "01.03.2026 00:05:09");
    }
}
