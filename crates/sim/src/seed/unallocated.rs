//! A seeded customer's unallocated payments: bank transfers over the last 90 days that named
//! no valid account, waiting at the customer level. About one customer in three has one or
//! two; a pure function of the seed and the BIN (its own generator, so the rest of a seed
//! stays the same), written once, when the customer is created.

use crate::SimError;
use crate::billing::payments::seed_unallocated;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use sqlx::AnyConnection;

const DAY: i64 = 86_400_000;

/// A customer-level payment: the payment order's number, the amount in tiyn, when received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unallocated {
    pub reference: String,
    pub amount: i64,
    pub received_ms: i64,
}

/// The customer's unallocated payments, oldest first.
pub(crate) fn unallocated(seed: u64, bin: &str, now_ms: i64) -> Vec<Unallocated> {
    let mut rng = ChaCha8Rng::seed_from_u64(crate::usage::fnv(&[&seed.to_le_bytes(), bin.as_bytes(), b"unallocated"]));
    let count = match rng.random_range(0..6u32) {
        0 => 1,
        1 => 2,
        _ => 0,
    };
    let mut rows: Vec<Unallocated> = (0..count)
        .map(|i| Unallocated {
            // Distinct within the customer: the first from the lower half, the second above.
            reference: format!("{:06}", rng.random_range(1..500_000u32) + i * 500_000),
            // 5,000 to 900,000 tenge, to the tiyn, as a company's transfer is.
            amount: rng.random_range(500_000..90_000_000i64),
            received_ms: now_ms - rng.random_range(DAY..super::payments::HISTORY_DAYS * DAY),
        })
        .collect();
    rows.sort_by_key(|p| p.received_ms);
    rows
}

/// Writes them (each its own ledger transaction against `op:cash`) in the caller's
/// transaction.
pub(crate) async fn write(conn: &mut AnyConnection, bin: &str, rows: &[Unallocated]) -> Result<(), SimError> {
    for p in rows {
        seed_unallocated(conn, bin, p.amount, &p.reference, p.received_ms).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_one_customer_in_three_has_one_or_two_and_the_demo_company_has_some() {
        let now = 1_760_028_800_000;
        assert_eq!(unallocated(1, "940740000015", now), unallocated(1, "940740000015", now));
        assert!(!unallocated(1, "940740000015", now).is_empty(), "the demo company shows the page's table");
        let with: Vec<usize> = (0..300u64).map(|s| unallocated(s, "940740000015", now).len()).collect();
        let some = with.iter().filter(|n| **n > 0).count();
        assert!((70..=130).contains(&some), "{some} of 300");
        assert!(with.iter().all(|n| *n <= 2));
        for s in 0..300 {
            let rows = unallocated(s, "050540001331", now);
            assert!(rows.iter().all(|p| p.amount > 0 && p.received_ms < now && p.received_ms > now - 90 * DAY));
            if let [a, b] = rows.as_slice() {
                assert_ne!(a.reference, b.reference);
            }
        }
    }
}
