//! An invoice's numbers and dates, made from its account and month: the same invoice has the
//! same numbers however often (and by however many processes) the month is closed.

use cabinet_core::time::{BillingMonth, OperatorZone};

/// The billing system's number: 3, the month as YYMM, the account in 10 digits.
pub(crate) fn system_no(account_no: &str, month: BillingMonth) -> String {
    let d = month.first_day();
    format!("3{:02}{:02}{account_no:0>10}", d.year() % 100, d.month())
}

/// The electronic invoice's registration number: ESF, the customer's BIN, the invoice's date
/// and the account.
pub(crate) fn registration_no(bin: &str, account_no: &str, month: BillingMonth) -> String {
    format!("ESF-{bin}-{}-{account_no:0>10}", month.last_day().strftime("%Y%m%d"))
}

/// The invoice's date (its month's last day, the day the services were rendered) and its due
/// date (the 20th of the next month: unpaid from the 21st on), as instants.
pub(crate) fn issued_and_due_ms(zone: &OperatorZone, month: BillingMonth) -> (i64, i64) {
    let issued = zone.start_of_day_ms(month.last_day());
    let next = month.next().first_day();
    let due = jiff::civil::Date::new(next.year(), next.month(), 21).map_or(issued, |d| zone.start_of_day_ms(d));
    (issued, due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_account_and_month() {
        let m = BillingMonth::parse("2026-11").unwrap();
        assert_eq!(system_no("40012345", m), "326110040012345");
        assert_eq!(system_no("4001234567", m), "326114001234567");
        assert_eq!(registration_no("940740000015", "4001234567", m), "ESF-940740000015-20261130-4001234567");
        let zone = OperatorZone::named("Asia/Almaty").unwrap();
        let (issued, due) = issued_and_due_ms(&zone, m);
        assert_eq!(zone.date(issued), "30.11.2026");
        assert_eq!(zone.date(due), "21.12.2026");
    }
}
