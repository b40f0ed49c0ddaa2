//! Top-ups of advance numbers over the seeded history: a pure function of the seed and the
//! number (its own generator, so the rest of the seed's stream is untouched), made to end at
//! the number's balance: opening balance + Σ top-ups = balance.

use super::rows::PaymentRow;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

const DAY: i64 = 86_400_000;
/// How far back the seeded payment history goes.
pub(crate) const HISTORY_DAYS: i64 = 90;

/// Channels of advance top-ups and how often each is used.
const CHANNELS: [(&str, u32); 3] = [("kaspi", 6), ("card", 3), ("terminal", 2)];

/// The number's top-ups in time order, within the last `HISTORY_DAYS` before `now_ms` and
/// after the number was created; none when the balance is not positive.
pub(crate) fn top_ups(seed: u64, msisdn: &str, balance: i64, created_ms: i64, now_ms: i64) -> Vec<PaymentRow> {
    if balance <= 0 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(crate::usage::fnv(&[&seed.to_le_bytes(), msisdn.as_bytes(), b"top-ups"]));
    let count = rng.random_range(0..=4usize);
    let start = (now_ms - HISTORY_DAYS * DAY).max(created_ms) + 1;
    let end = now_ms - 3_600_000;
    if count == 0 || start >= end {
        return Vec::new();
    }
    // Whole hundreds of tenge, as people top up, never more than the balance in all.
    let budget_hundreds = balance / 10_000;
    let mut rows = Vec::new();
    let mut left = budget_hundreds;
    for _ in 0..count {
        if left == 0 {
            break;
        }
        let hundreds = rng.random_range(1..=left.min(50));
        left -= hundreds;
        let total: u32 = CHANNELS.iter().map(|(_, w)| w).sum();
        let mut pick = rng.random_range(0..total);
        let channel = CHANNELS
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or("kaspi", |(c, _)| *c);
        rows.push(PaymentRow {
            msisdn: msisdn.to_string(),
            channel,
            reference: format!("{:010}", rng.random_range(0..10_000_000_000u64)),
            amount: hundreds * 10_000,
            received_ms: rng.random_range(start..end),
        });
    }
    rows.sort_by_key(|p| p.received_ms);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_ups_are_the_same_for_a_seed_and_never_exceed_the_balance() {
        let now = 1_760_028_800_000;
        let a = top_ups(7, "77011234567", 1_234_500, now - 400 * DAY, now);
        assert_eq!(a, top_ups(7, "77011234567", 1_234_500, now - 400 * DAY, now));
        let mut some = 0;
        for i in 0..200 {
            let n = format!("770112{i:05}");
            let balance = 10_000 * (i % 300) + 55;
            let rows = top_ups(7, &n, balance, now - 30 * DAY, now);
            some += rows.len();
            assert!(rows.iter().map(|p| p.amount).sum::<i64>() <= balance, "{n}");
            assert!(rows.windows(2).all(|w| w[0].received_ms <= w[1].received_ms));
            assert!(rows.iter().all(|p| p.received_ms > now - 30 * DAY && p.received_ms < now && p.amount > 0));
        }
        assert!(some > 100, "most numbers have top-ups ({some})");
        assert!(top_ups(7, "77011234567", 0, now - 400 * DAY, now).is_empty());
    }
}
