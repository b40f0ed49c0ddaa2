//! Generation of a customer's accounts and numbers from a seed: pure computation, no I/O.
//! Everything random comes from one ChaCha8 stream, consumed in a fixed order, so the same
//! seed (and the same numbers already taken) gives the same rows.

mod extras;

use super::SeedSpec;
use super::rows::{AccountRow, Batch, SubscriberRow};
use crate::SimError;
use crate::catalog::{self, TARIFFS};
use cabinet_core::ids::luhn_check_digit;
use cabinet_core::operator::{BillingMethod, NumberState};
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Number ranges and how often each is drawn: the operator's own four prefixes, and a few
/// numbers ported in from another operator's ranges.
const PREFIXES: &[(&str, u32)] = &[("701", 34), ("702", 20), ("775", 20), ("778", 24), ("707", 1), ("747", 1)];

/// Tariffs by weight, for credit and for advance numbers.
const CREDIT_TARIFFS: &[(&str, u32)] = &[
    ("bc_specialist", 30),
    ("bc_junior", 15),
    ("bc_expert", 12),
    ("bc_leader", 5),
    ("carte_blanche_1000", 15),
    ("corp_11", 10),
    ("base", 5),
    ("m2m", 8),
];
const ADVANCE_TARIFFS: &[(&str, u32)] =
    &[("base", 35), ("corp_11", 25), ("bc_junior", 15), ("carte_blanche_1000", 15), ("m2m", 10)];

/// Type allocation codes of common handsets (the first 8 digits of an IMEI).
const TACS: &[&str] = &[
    "35202309", "35367807", "35391110", "35899611", "86769405", "35445311", "35328215", "86208506", "35674108",
    "35925406",
];

/// Credit limits of a separate account, in tenge.
const CREDIT_LIMITS: &[i64] = &[5_000, 8_000, 10_000, 12_000, 15_000, 20_000, 30_000, 50_000];
const INDIVIDUAL_LIMITS: &[i64] = &[3_000, 5_000, 8_000, 10_000, 15_000];

pub(crate) struct Generator<'a> {
    rng: ChaCha8Rng,
    spec: &'a SeedSpec,
    taken_msisdns: HashSet<String>,
    taken_accounts: HashSet<String>,
    month_start_ms: i64,
    next_month_ms: i64,
    /// How much of the billing month has passed (0..1): usage grows with it.
    month_elapsed: f64,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(
        spec: &'a SeedSpec,
        taken_msisdns: HashSet<String>,
        taken_accounts: HashSet<String>,
    ) -> Generator<'a> {
        let (month_start_ms, next_month_ms) = billing_month(spec);
        let month_elapsed =
            ((spec.now_ms - month_start_ms) as f64 / (next_month_ms - month_start_ms).max(1) as f64).clamp(0.0, 1.0);
        Generator {
            rng: ChaCha8Rng::seed_from_u64(spec.seed),
            spec,
            taken_msisdns,
            taken_accounts,
            month_start_ms,
            next_month_ms,
            month_elapsed,
        }
    }

    /// The rows for `spec.numbers` new numbers, one batch of about `per_batch` numbers at a
    /// time, cut along account boundaries (an account and its numbers land together). Made as
    /// they are written, so that a seed holds one batch in memory, not the whole company.
    pub(crate) fn batches(mut self, per_batch: usize) -> Result<Batches<'a>, SimError> {
        let n = self.spec.numbers as usize;
        let msisdns = self.msisdns(n)?;
        let sizes = self.account_sizes(n);
        Ok(Batches { generator: self, msisdns: msisdns.into_iter(), sizes: sizes.into_iter(), per_batch })
    }

    fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        let mut r = self.rng.random_range(0..total);
        for (v, w) in weighted {
            if r < *w {
                return *v;
            }
            r -= w;
        }
        weighted[weighted.len() - 1].0
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.rng.random_range(0..10u8))).collect()
    }

    /// An amount in tiyn between two amounts in tenge.
    fn tenge(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo * 100..=hi * 100)
    }

    fn ago(&mut self, lo_ms: i64, hi_ms: i64) -> i64 {
        self.spec.now_ms - self.rng.random_range(lo_ms..=hi_ms)
    }

    /// New numbers in short runs of consecutive ones, as companies buy them in blocks.
    fn msisdns(&mut self, n: usize) -> Result<Vec<String>, SimError> {
        let mut out = Vec::with_capacity(n);
        let mut misses = 0usize;
        while out.len() < n {
            let prefix = self.pick(PREFIXES);
            let base: u32 = self.rng.random_range(0..10_000_000);
            let run: u32 = self.rng.random_range(1..=20);
            for k in 0..run {
                if out.len() == n || base + k > 9_999_999 {
                    break;
                }
                let msisdn = format!("7{prefix}{:07}", base + k);
                if self.taken_msisdns.insert(msisdn.clone()) {
                    out.push(msisdn);
                } else {
                    misses += 1;
                    // The ranges hold 60 million numbers; this many misses means they are full.
                    if misses > 10 * n + 1_000_000 {
                        return Err(SimError::NoFreeNumbers);
                    }
                }
            }
        }
        Ok(out)
    }

    /// How many numbers each new account holds: about a fifth of the numbers share common
    /// accounts of 2-25 numbers, the rest have separate accounts; in random order.
    fn account_sizes(&mut self, n: usize) -> Vec<usize> {
        let mut common_left = n / 5;
        let mut sizes = Vec::new();
        while common_left >= 2 {
            let s = self.rng.random_range(2..=common_left.min(25));
            sizes.push(s);
            common_left -= s;
        }
        let separate = n - sizes.iter().sum::<usize>();
        sizes.extend(std::iter::repeat_n(1, separate));
        sizes.shuffle(&mut self.rng);
        sizes
    }

    fn account_no(&mut self) -> String {
        loop {
            // Newer accounts have 10 digits starting with 4, older ones 8 starting with 2.
            let no = if self.chance(0.7) { format!("4{}", self.digits(9)) } else { format!("2{}", self.digits(7)) };
            if self.taken_accounts.insert(no.clone()) {
                return no;
            }
        }
    }

    fn account(&mut self, numbers: Vec<String>, batch: &mut Batch) {
        let account_no = self.account_no();
        let billing = if self.chance(0.85) { BillingMethod::Credit } else { BillingMethod::Advance };
        let account_type = if numbers.len() > 1 { "common" } else { "separate" };
        let mut past_debt = if self.chance(0.06) { self.tenge(500, 30_000) } else { 0 };
        for msisdn in numbers {
            let sub = self.subscriber(msisdn, &account_no, billing, batch);
            // A number blocked for debt has a debt behind it.
            if sub.state == NumberState::BlockedDebt && billing == BillingMethod::Credit && past_debt == 0 {
                past_debt = self.tenge(1_000, 40_000);
            }
            batch.subscribers.push(sub);
        }
        let credit_limit = (billing == BillingMethod::Credit).then(|| {
            let per_number = CREDIT_LIMITS[self.rng.random_range(0..CREDIT_LIMITS.len())] * 100;
            // Raised to what the month charges once it is rated (`limits::fit`).
            per_number * if account_type == "common" { 4 } else { 1 }
        });
        batch.accounts.push(AccountRow {
            account_no,
            account_type,
            billing,
            credit_limit,
            // The daily run's to post (`billing::usage_charges`), as the seed's last step.
            period_charges: 0,
            past_debt,
        });
    }

    fn subscriber(
        &mut self,
        msisdn: String,
        account_no: &str,
        billing: BillingMethod,
        batch: &mut Batch,
    ) -> SubscriberRow {
        let tariff_code = self.pick(if billing == BillingMethod::Credit { CREDIT_TARIFFS } else { ADVANCE_TARIFFS });
        let tariff = catalog::tariff(tariff_code).unwrap_or(&TARIFFS[0]);
        let r: f64 = self.rng.random();
        let state = if r < 0.92 {
            NumberState::Active
        } else if r < 0.97 {
            NumberState::Blocked
        } else {
            NumberState::BlockedDebt
        };
        let created_ms = self.ago(30 * DAY, 6 * 365 * DAY);
        let state_changed_ms = match state {
            NumberState::Active if self.chance(0.6) => created_ms,
            NumberState::Active => self.ago(DAY, self.spec.now_ms - created_ms),
            _ => self.ago(HOUR, 120 * DAY).max(created_ms),
        };
        let individual_limit = (billing == BillingMethod::Credit && self.chance(0.3))
            .then(|| INDIVIDUAL_LIMITS[self.rng.random_range(0..INDIVIDUAL_LIMITS.len())] * 100);
        // Draws that once made up the month's spending, kept so that the rest of a seed's
        // company stays the same (the spending is rated now: `billing::usage_charges`).
        let _ = (self.tenge(0, 5_000), self.rng.random_range(0.4..1.3));
        if individual_limit.is_some() {
            let _ = self.chance(0.05);
        }
        let balance = match (billing, state) {
            (BillingMethod::Credit, _) => 0,
            (BillingMethod::Advance, NumberState::BlockedDebt) => -self.tenge(1, 2_000),
            (BillingMethod::Advance, _) => self.tenge(0, 25_000),
        };
        let roaming_debt = if self.chance(0.03) { self.tenge(100, 8_000) } else { 0 };
        let registration_form = if self.chance(0.88) {
            format!("{}-{:03}", self.spec.bin.as_str(), self.rng.random_range(1..1000))
        } else {
            String::new()
        };
        let iccid_body = format!("8999702{}", self.digits(12));
        let iccid = format!("{iccid_body}{}", luhn_check_digit(&iccid_body));
        let pin1 = if self.chance(0.7) { "0000".to_string() } else { self.digits(4) };
        let sub = SubscriberRow {
            account_no: account_no.to_string(),
            tariff_code: tariff.code,
            state,
            state_changed_ms,
            individual_limit,
            period_spent: 0,
            balance,
            roaming_debt,
            registration_form,
            esim: self.chance(0.12),
            ban_ussd: self.chance(0.05),
            ban_selfcare_details: self.chance(0.08),
            ban_selfcare: self.chance(0.03),
            subscription_block: self.chance(0.10),
            hidden_caller_id: self.chance(0.03),
            in_roaming: self.chance(0.02),
            iccid,
            pin1,
            pin2: self.digits(4),
            puk1: self.digits(8),
            puk2: self.digits(8),
            sim_replaced_ms: self.chance(0.3).then(|| self.ago(DAY, 4 * 365 * DAY).max(created_ms)),
            last_imei: self
                .chance(0.85)
                .then(|| format!("{}{}", TACS[self.rng.random_range(0..TACS.len())], self.digits(6))),
            created_ms,
            msisdn,
        };
        if billing == BillingMethod::Advance {
            let seed = self.spec.seed;
            batch.payments.extend(super::payments::top_ups(
                seed,
                &sub.msisdn,
                sub.balance,
                created_ms,
                self.spec.now_ms,
            ));
        }
        self.tariff_allowances(&sub, tariff, batch);
        self.services(&sub, billing, batch);
        self.contract_phones(&sub, batch);
        sub
    }
}

/// The billing month around `now`, cut in the operator's time zone: [first day, next first).
/// The batches of a seed, generated one at a time (`Generator::batches`).
pub(crate) struct Batches<'a> {
    generator: Generator<'a>,
    msisdns: std::vec::IntoIter<String>,
    sizes: std::vec::IntoIter<usize>,
    per_batch: usize,
}

impl Iterator for Batches<'_> {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        while batch.subscribers.len() < self.per_batch {
            let Some(size) = self.sizes.next() else { break };
            let numbers: Vec<String> = self.msisdns.by_ref().take(size).collect();
            self.generator.account(numbers, &mut batch);
        }
        (!batch.subscribers.is_empty()).then_some(batch)
    }
}

fn billing_month(spec: &SeedSpec) -> (i64, i64) {
    let zone = &spec.zone;
    let Some(today) = zone.civil_date(spec.now_ms) else {
        return (spec.now_ms, spec.now_ms + 30 * DAY);
    };
    let first = today.first_of_month();
    let next = first.checked_add(jiff::Span::new().months(1)).unwrap_or(first);
    (zone.start_of_day_ms(first), zone.start_of_day_ms(next))
}
