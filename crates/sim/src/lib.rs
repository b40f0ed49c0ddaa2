//! The embedded simulator of the operator's billing and network, behind Cabinet's operator
//! port. It keeps customers (by BIN), their accounts and numbers, the services and
//! allowances on each number and contract phones in `sim_*` tables of the same store Cabinet
//! uses, and answers the port's questions from them. `seed` fills it with deterministic,
//! realistic data; `catalog` holds the tariffs and services.
//!
//! Every answer is scoped by the customer's BIN: a number of another customer is never
//! listed, found or shown.

pub mod billing;
mod bulk;
pub mod catalog;
mod json_rows;
pub mod ledger;
mod lists;
mod numbers;
mod operations;
mod profile;
pub mod seed;
pub mod usage;

pub use operations::{Behaviour, NETWORK_FAILURE, NO_MONEY_FOR_SERVICE, UNKNOWN_NUMBER};
pub use seed::{SeedReport, SeedSpec, seed_customer};

use cabinet_core::operator::{
    BalanceMove, DeviceCursor, DeviceRegistration, EsimActivation, Invoice, InvoiceDocument, InvoiceQuery, MatchCount,
    NumberListRow, NumberPage, NumberProfile, NumberQuery, Operation, OperationState, OperatorError, OperatorPort,
    OperatorResult, Payment, PaymentQuery, RegisterQuery, RoamingPackagePage, Settlement, TransferDone,
    TransferRefusal, UnallocatedPayment, UsageReport,
};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::migrations::{MigrationSet, Step};
use cabinet_store::{Db, StoreError};

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
        Step {
            version: 3,
            description: "number search by 4-digit runs",
            sqlite: include_str!("../migrations/sqlite/0003_number_grams.sql"),
            postgres: include_str!("../migrations/postgres/0003_number_grams.sql"),
        },
        Step {
            version: 4,
            description: "neutral tariff code",
            sqlite: include_str!("../migrations/sqlite/0004_neutral_tariff_code.sql"),
            postgres: include_str!("../migrations/postgres/0004_neutral_tariff_code.sql"),
        },
        Step {
            version: 5,
            description: "ledger",
            sqlite: include_str!("../migrations/sqlite/0005_ledger.sql"),
            postgres: include_str!("../migrations/postgres/0005_ledger.sql"),
        },
        Step {
            version: 6,
            description: "payments",
            sqlite: include_str!("../migrations/sqlite/0006_payments.sql"),
            postgres: include_str!("../migrations/postgres/0006_payments.sql"),
        },
        Step {
            version: 7,
            description: "billing months",
            sqlite: include_str!("../migrations/sqlite/0007_billing_months.sql"),
            postgres: include_str!("../migrations/postgres/0007_billing_months.sql"),
        },
        Step {
            version: 8,
            description: "unallocated payments and the daily billing run",
            sqlite: include_str!("../migrations/sqlite/0008_unallocated_payments.sql"),
            postgres: include_str!("../migrations/postgres/0008_unallocated_payments.sql"),
        },
        Step {
            version: 9,
            description: "advance numbers' usage charged day by day",
            sqlite: include_str!("../migrations/sqlite/0009_usage_posted.sql"),
            postgres: include_str!("../migrations/postgres/0009_usage_posted.sql"),
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
    /// A billing month can be closed only once it is over.
    #[error("the month {0} is not over yet")]
    MonthNotOver(String),
    /// No customer with this BIN in the simulator.
    #[error("the simulator has no customer with BIN {0}")]
    UnknownCustomer(String),
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
    behaviour: Behaviour,
    /// Where the operator's days and billing months begin.
    zone: cabinet_core::time::OperatorZone,
    /// Past days' usage, remembered (see `usage::DayCache`).
    days: std::sync::Arc<usage::DayCache>,
}

impl Simulator {
    pub fn new(db: Db) -> Simulator {
        let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").expect("the bundled time zone database");
        Simulator { db, behaviour: Behaviour::default(), zone, days: Default::default() }
    }

    /// What a profile needs to know of now: the zone, the usage remembered, the clock.
    pub(crate) fn profile_now(&self) -> profile::Now<'_> {
        profile::Now { zone: &self.zone, days: &self.days, now_ms: cabinet_core::time::now_ms() }
    }

    pub fn with_zone(mut self, zone: cabinet_core::time::OperatorZone) -> Simulator {
        self.zone = zone;
        self
    }

    /// The same simulator with another network behaviour (delay, failure rate).
    pub fn with_behaviour(mut self, behaviour: Behaviour) -> Simulator {
        self.behaviour = behaviour;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn zone(&self) -> &cabinet_core::time::OperatorZone {
        &self.zone
    }

    /// Applies the simulator's pending migrations.
    pub async fn migrate(&self) -> Result<(), SimError> {
        self.db.apply(&SIMULATOR).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl OperatorPort for Simulator {
    async fn customer_name(&self, customer: &Bin) -> OperatorResult<Option<String>> {
        Ok(numbers::customer_name(&self.db, customer).await?)
    }

    async fn number_count(&self, customer: &Bin) -> OperatorResult<u64> {
        Ok(numbers::number_count(&self.db, customer).await?)
    }

    async fn list_numbers(&self, customer: &Bin, query: &NumberQuery) -> OperatorResult<NumberPage> {
        Ok(numbers::list(&self.db, customer, query).await?)
    }

    async fn count_matches(&self, customer: &Bin, digits: &str, cap: u64) -> OperatorResult<MatchCount> {
        Ok(numbers::count_matches(&self.db, customer, digits, cap).await?)
    }

    async fn number_profile(&self, customer: &Bin, msisdn: &Msisdn) -> OperatorResult<Option<NumberProfile>> {
        Ok(profile::load(&self.db, customer, msisdn, self.profile_now()).await?)
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

    async fn transfer(
        &self,
        customer: &Bin,
        from: &Msisdn,
        to: &Msisdn,
        amount: Money,
        key: &str,
    ) -> OperatorResult<Result<TransferDone, TransferRefusal>> {
        if self.behaviour.transfer_delay_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(self.behaviour.transfer_delay_ms as u64)).await;
        }
        Ok(ledger::transfer(&self.db, customer, from, to, amount, key).await?)
    }

    async fn balance_moves(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<Vec<BalanceMove>>> {
        Ok(ledger::balance_moves(&self.db, customer, msisdn, from_ms, to_ms).await?)
    }

    async fn usage(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<UsageReport>> {
        let now = cabinet_core::time::now_ms();
        Ok(usage::report(&self.db, &self.zone, customer, msisdn, from_ms, to_ms, now).await?)
    }

    async fn invoices(&self, customer: &Bin, query: &InvoiceQuery) -> OperatorResult<Vec<Invoice>> {
        Ok(billing::invoices(&self.db, customer, query).await?)
    }

    async fn invoice(&self, customer: &Bin, number: &str) -> OperatorResult<Option<InvoiceDocument>> {
        Ok(billing::invoice(&self.db, customer, number).await?)
    }

    async fn unallocated_payments(&self, customer: &Bin) -> OperatorResult<Vec<UnallocatedPayment>> {
        Ok(billing::payments::unallocated(&self.db, customer).await?)
    }

    async fn payments(&self, customer: &Bin, query: &PaymentQuery) -> OperatorResult<Vec<Payment>> {
        Ok(billing::payments::payments(&self.db, customer, query).await?)
    }

    async fn invoice_register(&self, customer: &Bin, query: &RegisterQuery) -> OperatorResult<Vec<Invoice>> {
        Ok(billing::register(&self.db, customer, query).await?)
    }

    async fn settlement(&self, customer: &Bin, bounds: &[i64]) -> OperatorResult<Settlement> {
        Ok(billing::settlement(&self.db, customer, bounds).await?)
    }

    async fn roaming_package_days(
        &self,
        customer: &Bin,
        period: (i64, i64),
        after: Option<&str>,
        numbers: u32,
    ) -> OperatorResult<RoamingPackagePage> {
        Ok(usage::package_days::page(&self.db, &self.zone, customer, period, after, numbers).await?)
    }

    async fn number_list_rows(
        &self,
        customer: &Bin,
        after: Option<&Msisdn>,
        limit: u32,
    ) -> OperatorResult<Vec<NumberListRow>> {
        Ok(lists::number_list_rows(&self.db, customer, after, limit).await?)
    }

    async fn device_registrations(
        &self,
        customer: &Bin,
        after: Option<&DeviceCursor>,
        limit: u32,
    ) -> OperatorResult<Vec<DeviceRegistration>> {
        Ok(lists::device_registrations(&self.db, customer, after, limit).await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn engines_differ_only_in_the_key_and_the_search_index() {
        // Everything but the id column and the search section must be the same text, so
        // that a change made to one engine's file and forgotten in the other shows up.
        let strip = |sql: &str| -> String {
            // The first migration has a search section, the third drops it; the rest must be
            // identical.
            let mut s = match (sql.find("-- Search by any 3+ digits"), sql.find("-- Services switched on a number")) {
                (Some(start), Some(end)) => format!("{}{}", &sql[..start], &sql[end..]),
                _ => sql.to_string(),
            };
            if let Some(start) = s.find("-- The index this replaces.") {
                s.truncate(start);
            }
            s.replace("INTEGER PRIMARY KEY", "<key>")
                .replace("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "<key>")
                .replace(") WITHOUT ROWID;", ");")
        };
        for step in super::SIMULATOR.steps {
            assert_eq!(strip(step.sqlite), strip(step.postgres), "migration {}", step.version);
        }
    }
}
