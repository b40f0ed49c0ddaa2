//! VAT: the dated rate table and the rounding rule.

use crate::SimError;
use cabinet_core::time::BillingMonth;
use sqlx::AnyConnection;

/// The VAT of one line: net × rate, rounded half up to the tiyn (nets are never negative).
pub(crate) fn vat_of(net: i64, rate_bp: i64) -> i64 {
    (net * rate_bp + 5_000).div_euclid(10_000)
}

/// The rate in force for the month (on its first day), in basis points.
pub(crate) async fn rate_bp(conn: &mut AnyConnection, month: BillingMonth) -> Result<i64, SimError> {
    let first = month.first_day().to_string();
    let rate: Option<i64> =
        sqlx::query_scalar("SELECT rate_bp FROM sim_vat_rates WHERE valid_from <= $1 ORDER BY valid_from DESC LIMIT 1")
            .bind(first)
            .fetch_optional(conn)
            .await?;
    rate.ok_or_else(|| SimError::BadData(format!("no VAT rate in force for {month}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn vat_rounds_half_up_per_line() {
        assert_eq!(super::vat_of(499_000, 1200), 59_880);
        assert_eq!(super::vat_of(1_000, 1600), 160);
        // 1.2 tiyn → 1; 2.5 → 3; 3.6 → 4
        assert_eq!(super::vat_of(10, 1200), 1);
        assert_eq!(super::vat_of(25, 1000), 3);
        assert_eq!(super::vat_of(30, 1200), 4);
        assert_eq!(super::vat_of(0, 1600), 0);
    }
}
