//! Dates as the portal shows them (`dd.mm.yyyy hh:mm`) in the operator's time zone, and the
//! periods users pick (`dd-mm-yyyy`). Instants are stored as unix milliseconds (UTC).

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// The operator's clock face: the zone every date is shown and every period is cut in.
#[derive(Debug, Clone)]
pub struct OperatorZone(TimeZone);

/// A `dd-mm-yyyy` date that is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("date must be dd-mm-yyyy")]
pub struct DateError;

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
    let mut parts = s.split('-');
    let (Some(d), Some(m), Some(y), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(DateError);
    };
    if d.len() != 2 || m.len() != 2 || y.len() != 4 {
        return Err(DateError);
    }
    let (d, m, y): (i8, i8, i16) =
        (d.parse().map_err(|_| DateError)?, m.parse().map_err(|_| DateError)?, y.parse().map_err(|_| DateError)?);
    Date::new(y, m, d).map_err(|_| DateError)
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
        for bad in ["", "2025-03-16", "31-02-2025", "1-3-2025", "aa-bb-cccc", "16-03-2025-1"] {
            assert_eq!(parse_day(bad), Err(DateError), "{bad}");
        }
    }
}
