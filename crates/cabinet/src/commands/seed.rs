//! `cabinet seed`: a deterministic simulated customer with N numbers, and its company.

use anyhow::{Context, Result};
use cabinet_core::Bin;
use cabinet_core::ids::bin_control_digit;
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_sim::{SeedSpec, seed_customer};
use cabinet_store::{Db, companies};

/// Creates the company (if new) and seeds its numbers in the simulator.
pub async fn seed(
    db: &Db,
    bin: &Bin,
    name: &str,
    numbers: u32,
    seed: u64,
    zone: &OperatorZone,
) -> Result<cabinet_sim::SeedReport> {
    let now = now_ms();
    if companies::by_bin(db, bin).await?.is_none() {
        companies::create(db, bin, name, now).await?;
    }
    let spec = SeedSpec { bin: bin.clone(), name: name.to_string(), numbers, seed, now_ms: now, zone: zone.clone() };
    seed_customer(db, &spec).await.context("seeding the simulator")
}

/// A valid BIN made from the seed, so that `--seed S` alone names a company.
pub fn default_bin(seed: u64) -> Bin {
    let mut n = seed;
    loop {
        let body = format!("{:011}", 10_000_000_000 + n % 89_999_999_999);
        let digits: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
        if let Some(c) = bin_control_digit(&digits) {
            return Bin::parse(&format!("{body}{c}")).expect("control digit computed");
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_bins_are_valid_and_stable() {
        assert_eq!(super::default_bin(7), super::default_bin(7));
        assert_ne!(super::default_bin(7), super::default_bin(8));
    }
}
