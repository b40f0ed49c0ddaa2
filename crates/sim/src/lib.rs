//! The embedded simulator of the operator's billing and network, behind Cabinet's operator
//! port. It keeps customers (by BIN), their accounts and numbers, the services and
//! allowances on each number and contract phones in `sim_*` tables of the same store Cabinet
//! uses, and answers the port's questions from them. `seed` fills it with deterministic,
//! realistic data; `catalog` holds the tariffs and services.
//!
//! Every answer is scoped by the customer's BIN: a number of another customer is never
//! listed, found or shown.

pub mod catalog;
mod numbers;
mod operations;
mod profile;
pub mod seed;

pub use operations::{Behaviour, NETWORK_FAILURE, UNKNOWN_NUMBER};
pub use seed::{SeedReport, SeedSpec, seed_customer};

use cabinet_core::operator::{
    EsimActivation, MatchCount, NumberPage, NumberProfile, NumberQuery, Operation, OperationState, OperatorError,
    OperatorPort, OperatorResult,
};
use cabinet_core::{Bin, Msisdn};
use cabinet_store::migrations::{MigrationSet, Step};
use cabinet_store::{Db, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The simulator's schema, with its own bookkeeping table so that it evolves apart from
/// Cabinet's.
pub const SIMULATOR: MigrationSet = MigrationSet {
    table: "_sim_migrations",
    steps: &[
        Step {
            version: 1,
            description: "simulator",
            sqlite: include_str!("../migrations/sqlite/0001_simulator.sql"),
            postgres: include_str!("../migrations/postgres/0001_simulator.sql"),
        },
        Step {
            version: 2,
            description: "provisioning requests",
            sqlite: include_str!("../migrations/sqlite/0002_requests.sql"),
            postgres: include_str!("../migrations/postgres/0002_requests.sql"),
        },
    ],
};

/// Why a simulator call (other than a port call) failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operator's number ranges are (nearly) used up.
    #[error("no free numbers left in the operator's ranges")]
    NoFreeNumbers,
    /// A row in the simulator's tables that the code cannot read (a bug or a hand edit).
    #[error("bad simulator data: {0}")]
    BadData(String),
}

impl From<SimError> for OperatorError {
    fn from(e: SimError) -> OperatorError {
        OperatorError::Unavailable(e.to_string())
    }
}

/// The simulated operator. Cheap to clone: it holds only the store's pool.
#[derive(Debug, Clone)]
pub struct Simulator {
    db: Db,
    /// Customers' sizes as last read, for choosing a search plan only (a stale size picks a
    /// slower plan, never a wrong answer), so a search does not pay a lookup for it.
    sizes: Arc<Mutex<HashMap<String, (Instant, i64)>>>,
    behaviour: Behaviour,
}

const SIZE_HINT_TTL: Duration = Duration::from_secs(30);

impl Simulator {
    pub fn new(db: Db) -> Simulator {
        Simulator { db, sizes: Arc::default(), behaviour: Behaviour::default() }
    }

    /// The same simulator with another network behaviour (delay, failure rate).
    pub fn with_behaviour(mut self, behaviour: Behaviour) -> Simulator {
        self.behaviour = behaviour;
        self
    }

    /// The customer's number count, possibly a few seconds old.
    async fn size_hint(&self, customer: &Bin) -> Result<i64, SimError> {
        if let Some((at, n)) = self.sizes.lock().unwrap_or_else(|e| e.into_inner()).get(customer.as_str())
            && at.elapsed() < SIZE_HINT_TTL
        {
            return Ok(*n);
        }
        let n = numbers::number_count(&self.db, customer).await? as i64;
        let mut sizes = self.sizes.lock().unwrap_or_else(|e| e.into_inner());
        if sizes.len() > 10_000 {
            sizes.clear();
        }
        sizes.insert(customer.as_str().to_string(), (Instant::now(), n));
        Ok(n)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Applies the simulator's pending migrations.
    pub async fn migrate(&self) -> Result<(), SimError> {
        self.db.apply(&SIMULATOR).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl OperatorPort for Simulator {
    async fn number_count(&self, customer: &Bin) -> OperatorResult<u64> {
        Ok(numbers::number_count(&self.db, customer).await?)
    }

    async fn list_numbers(&self, customer: &Bin, query: &NumberQuery) -> OperatorResult<NumberPage> {
        let size = self.size_hint(customer).await?;
        Ok(numbers::list(&self.db, customer, query, size).await?)
    }

    async fn count_matches(&self, customer: &Bin, digits: &str, cap: u64) -> OperatorResult<MatchCount> {
        let size = self.size_hint(customer).await?;
        Ok(numbers::count_matches(&self.db, customer, digits, cap, size).await?)
    }

    async fn number_profile(&self, customer: &Bin, msisdn: &Msisdn) -> OperatorResult<Option<NumberProfile>> {
        Ok(profile::load(&self.db, customer, msisdn).await?)
    }

    async fn issue_esim(&self, customer: &Bin, msisdn: &Msisdn) -> OperatorResult<Result<EsimActivation, String>> {
        Ok(self.issue_esim_for(customer, msisdn).await?)
    }

    async fn submit(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        operation: &Operation,
        key: &str,
    ) -> OperatorResult<OperationState> {
        Ok(self.submit_request(customer, msisdn, operation, key).await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn engines_differ_only_in_the_key_and_the_search_index() {
        // Everything but the id column and the search section must be the same text, so
        // that a change made to one engine's file and forgotten in the other shows up.
        let strip = |sql: &str| -> String {
            // Only the first migration has a search section; later ones must be identical.
            let mut s = match (sql.find("-- Search by any 3+ digits"), sql.find("-- Services switched on a number")) {
                (Some(start), Some(end)) => format!("{}{}", &sql[..start], &sql[end..]),
                _ => sql.to_string(),
            };
            s = s
                .replace("INTEGER PRIMARY KEY", "<key>")
                .replace("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "<key>");
            s
        };
        for step in super::SIMULATOR.steps {
            assert_eq!(strip(step.sqlite), strip(step.postgres), "migration {}", step.version);
        }
    }
}
