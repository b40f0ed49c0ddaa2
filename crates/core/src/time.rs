//! Dates as the portal shows them (`dd.mm.yyyy hh:mm`) in the operator's time zone, and the
//! periods users pick (`dd-mm-yyyy`). Instants are stored as unix milliseconds (UTC).

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// The operator's clock face: the zone every date is shown and every period is cut in.
#[derive(Debug, Clone)]
pub struct OperatorZone(TimeZone);

/// A typed `dd-mm-yyyy` date that cannot be used, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("no date was typed")]
    Empty,
    #[error("date must be dd-mm-yyyy")]
    Format,
    /// Well-formed, but no such day: 31-02-2026, 00-01-2026, 15-13-2026.
    #[error("no such date")]
    NoSuchDate,
}

/// A period (from–to) that cannot be used, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("beginning of the period: {0}")]
    From(DateError),
    #[error("end of the period: {0}")]
    To(DateError),
    #[error("the beginning is after the end")]
    Reversed,
    #[error("the period is longer than allowed")]
    TooLong,
    #[error("the beginning of the period is in the future")]
    FromInFuture,
    #[error("the end of the period is in the future")]
    ToInFuture,
}

/// Parses a period as typed: both days, the beginning not after the end, neither after
/// `today`, at most `max_days` between them.
pub fn parse_period(from: &str, to: &str, today: Date, max_days: i32) -> Result<(Date, Date), PeriodError> {
    let f = parse_day(from).map_err(PeriodError::From)?;
    let t = parse_day(to).map_err(PeriodError::To)?;
    if f > today {
        return Err(PeriodError::FromInFuture);
    }
    if t > today {
        return Err(PeriodError::ToInFuture);
    }
    if f > t {
        return Err(PeriodError::Reversed);
    }
    if (t - f).get_days() > max_days {
        return Err(PeriodError::TooLong);
    }
    Ok((f, t))
}

impl OperatorZone {
    /// `Asia/Almaty` and the like, from the bundled time-zone database.
    pub fn named(name: &str) -> Result<Self, jiff::Error> {
        TimeZone::get(name).map(OperatorZone)
    }

    pub fn tz(&self) -> &TimeZone {
        &self.0
    }

    /// `21.02.2025 09:14`
    pub fn date_time(&self, unix_ms: i64) -> String {
        match Timestamp::from_millisecond(unix_ms) {
            Ok(ts) => ts.to_zoned(self.0.clone()).strftime("%d.%m.%Y %H:%M").to_string(),
            Err(_) => String::new(),
        }
    }

    /// `16.04.2025 12:31:39`, as the actions history shows it.
    pub fn date_time_seconds(&self, unix_ms: i64) -> String {
        match Timestamp::from_millisecond(unix_ms) {
            Ok(ts) => ts.to_zoned(self.0.clone()).strftime("%d.%m.%Y %H:%M:%S").to_string(),
            Err(_) => String::new(),
        }
    }

    /// `01.04.2025`
    pub fn date(&self, unix_ms: i64) -> String {
        match Timestamp::from_millisecond(unix_ms) {
            Ok(ts) => ts.to_zoned(self.0.clone()).strftime("%d.%m.%Y").to_string(),
            Err(_) => String::new(),
        }
    }

    /// The operator-local calendar date of an instant.
    pub fn civil_date(&self, unix_ms: i64) -> Option<Date> {
        Timestamp::from_millisecond(unix_ms).ok().map(|ts| ts.to_zoned(self.0.clone()).date())
    }

    /// The first instant of a local calendar day, in unix ms.
    pub fn start_of_day_ms(&self, date: Date) -> i64 {
        date.to_zoned(self.0.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or(0)
    }
}

/// Parses `dd-mm-yyyy` (also `dd.mm.yyyy`), as period pickers send it.
pub fn parse_day(input: &str) -> Result<Date, DateError> {
    let s = input.trim().replace('.', "-");
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let mut parts = s.split('-');
    let (Some(d), Some(m), Some(y), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(DateError::Format);
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(d, 2) || !digits(m, 2) || !digits(y, 4) {
        return Err(DateError::Format);
    }
    let (d, m, y): (i8, i8, i16) = (
        d.parse().map_err(|_| DateError::Format)?,
        m.parse().map_err(|_| DateError::Format)?,
        y.parse().map_err(|_| DateError::Format)?,
    );
    Date::new(y, m, d).map_err(|_| DateError::NoSuchDate)
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_is_utc_plus_five_since_march_2024() {
        let z = OperatorZone::named("Asia/Almaty").unwrap();
        // 2025-02-21T04:14:00Z
        let ms = Timestamp::from_second(1_740_111_240).unwrap().as_millisecond();
        assert_eq!(z.date_time(ms), "21.02.2025 09:14");
        assert_eq!(z.date(ms), "21.02.2025");
        // 2023-06-01T00:00:00Z was still UTC+6.
        let ms = Timestamp::from_second(1_685_577_600).unwrap().as_millisecond();
        assert_eq!(z.date_time(ms), "01.06.2023 06:00");
    }

    #[test]
    fn parses_period_days() {
        assert_eq!(parse_day("16-03-2025"), Ok(Date::new(2025, 3, 16).unwrap()));
        assert_eq!(parse_day("16.03.2025"), Ok(Date::new(2025, 3, 16).unwrap()));
        assert_eq!(parse_day(" "), Err(DateError::Empty));
        for bad in ["2025-03-16", "1-3-2025", "aa-bb-cccc", "16-03-2025-1", "+1-03-2025"] {
            assert_eq!(parse_day(bad), Err(DateError::Format), "{bad}");
        }
        // Well-formed but no such day: said so, not "use dd-mm-yyyy".
        for bad in ["31-02-2026", "29-02-2025", "00-03-2025", "16-13-2025", "31-04-2025"] {
            assert_eq!(parse_day(bad), Err(DateError::NoSuchDate), "{bad}");
        }
    }

    #[test]
    fn a_period_names_its_mistake() {
        let today = Date::new(2026, 3, 10).unwrap();
        let p = |f: &str, t: &str| parse_period(f, t, today, 366);
        assert_eq!(p("01-03-2026", "10-03-2026"), Ok((Date::new(2026, 3, 1).unwrap(), today)));
        assert_eq!(p("31-02-2026", "10-03-2026"), Err(PeriodError::From(DateError::NoSuchDate)));
        assert_eq!(p("01-03-2026", "2026-03-10"), Err(PeriodError::To(DateError::Format)));
        assert_eq!(p("05-03-2026", "01-03-2026"), Err(PeriodError::Reversed));
        assert_eq!(p("01-01-2024", "01-03-2026"), Err(PeriodError::TooLong));
        assert_eq!(p("11-03-2026", "12-03-2026"), Err(PeriodError::FromInFuture));
        assert_eq!(p("01-03-2026", "11-03-2026"), Err(PeriodError::ToInFuture));
    }
}

/// A billing month, `2026-11`: the operator-local calendar month an invoice covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillingMonth(Date);

/// Why a billing month was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("a month is written YYYY-MM, for example 2026-11")]
    Format,
    #[error("the month must be between 01 and 12")]
    NoSuchMonth,
}

impl BillingMonth {
    /// Parses `YYYY-MM` (years 2000–2099, the range billing ever needs).
    pub fn parse(input: &str) -> Result<BillingMonth, MonthError> {
        let s = input.trim();
        let (y, m) = s.split_once('-').ok_or(MonthError::Format)?;
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return Err(MonthError::Format);
        }
        let (y, m): (i16, i8) =
            (y.parse().map_err(|_| MonthError::Format)?, m.parse().map_err(|_| MonthError::Format)?);
        if !(2000..=2099).contains(&y) {
            return Err(MonthError::Format);
        }
        Date::new(y, m, 1).map(BillingMonth).map_err(|_| MonthError::NoSuchMonth)
    }

    /// The month a local date falls in.
    pub fn of(date: Date) -> BillingMonth {
        BillingMonth(date.first_of_month())
    }

    pub fn first_day(self) -> Date {
        self.0
    }

    pub fn last_day(self) -> Date {
        self.0.last_of_month()
    }

    pub fn next(self) -> BillingMonth {
        BillingMonth(self.0.checked_add(jiff::Span::new().months(1)).unwrap_or(self.0))
    }

    pub fn prev(self) -> BillingMonth {
        BillingMonth(self.0.checked_sub(jiff::Span::new().months(1)).unwrap_or(self.0))
    }

    /// Its first instant and the next month's first instant in the zone: `[start, end)`.
    pub fn bounds_ms(self, zone: &OperatorZone) -> (i64, i64) {
        (zone.start_of_day_ms(self.0), zone.start_of_day_ms(self.next().0))
    }
}

impl std::fmt::Display for BillingMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.0.year(), self.0.month())
    }
}

#[cfg(test)]
mod billing_month_tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m = BillingMonth::parse("2026-11").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.next().to_string(), "2026-12");
        assert_eq!(m.next().next().to_string(), "2027-01");
        assert_eq!(BillingMonth::parse("2026-01").unwrap().prev().to_string(), "2025-12");
        assert_eq!(m.last_day(), Date::constant(2026, 11, 30));
        for bad in ["", "2026", "2026-1", "26-11", "2026/11", "2026-11-01", "abcd-ef", "1999-12"] {
            assert_eq!(BillingMonth::parse(bad), Err(MonthError::Format), "{bad:?}");
        }
        assert_eq!(BillingMonth::parse("2026-13"), Err(MonthError::NoSuchMonth));
        assert_eq!(BillingMonth::parse("2026-00"), Err(MonthError::NoSuchMonth));
    }
}
