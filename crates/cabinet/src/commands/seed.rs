//! `cabinet seed`: a deterministic simulated customer with N numbers, and its company.

use anyhow::{Context, Result};
use cabinet_core::Bin;
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_sim::{SeedSpec, seed_customer};
use cabinet_store::{Db, companies};

/// Creates the company (if new) and seeds its numbers in the simulator, closing every
/// finished month of their history.
pub async fn seed(
    db: &Db,
    bin: &Bin,
    name: &str,
    numbers: u32,
    seed: u64,
    zone: &OperatorZone,
) -> Result<cabinet_sim::SeedReport> {
    seed_leaving_open(db, bin, name, numbers, seed, zone, 0).await
}

/// As `seed`, leaving the history's last `open_months` finished months open.
pub async fn seed_leaving_open(
    db: &Db,
    bin: &Bin,
    name: &str,
    numbers: u32,
    seed: u64,
    zone: &OperatorZone,
    open_months: u32,
) -> Result<cabinet_sim::SeedReport> {
    let now = now_ms();
    if companies::by_bin(db, bin).await?.is_none() {
        companies::create(db, bin, name, now).await?;
    }
    let spec = SeedSpec {
        bin: bin.clone(),
        name: name.to_string(),
        numbers,
        seed,
        now_ms: now,
        zone: zone.clone(),
        open_months,
    };
    seed_customer(db, &spec).await.context("seeding the simulator")
}

/// A valid BIN made from the seed, so that `--seed S` alone names a company: a resident
/// legal entity's head office registered in a month of 2000–2024.
pub fn default_bin(seed: u64) -> Bin {
    let (year, month) = (seed % 25, 1 + seed / 25 % 12);
    let mut serial = seed / 300;
    loop {
        if let Some(bin) = Bin::complete(&format!("{year:02}{month:02}40{:05}", serial % 100_000)) {
            return bin;
        }
        serial += 1;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_bins_are_valid_and_stable() {
        assert_eq!(super::default_bin(7), super::default_bin(7));
        assert_ne!(super::default_bin(7), super::default_bin(8));
        for seed in (0..5_000).chain([u64::MAX, u64::MAX / 3]) {
            let bin = super::default_bin(seed);
            assert_eq!(cabinet_core::Bin::parse(bin.as_str()), Ok(bin.clone()), "seed {seed}");
        }
    }
}
