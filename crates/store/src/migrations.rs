//! Schema migrations, embedded in the binary and applied at start. Each component (Cabinet,
//! the simulator) has its own set and its own bookkeeping table, so that either can evolve
//! alone. Migrations are added, never edited.

use crate::{Db, Dialect, StoreResult};
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// One migration: version, description, and its SQL for SQLite and for PostgreSQL.
pub struct Step {
    pub version: i64,
    pub description: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub struct MigrationSet {
    /// The table that records which steps ran.
    pub table: &'static str,
    pub steps: &'static [Step],
}

/// Cabinet's own schema.
pub const CABINET: MigrationSet = MigrationSet {
    table: "_cabinet_migrations",
    steps: &[
        Step {
            version: 1,
            description: "cabinet",
            sqlite: include_str!("../migrations/sqlite/0001_cabinet.sql"),
            postgres: include_str!("../migrations/postgres/0001_cabinet.sql"),
        },
        Step {
            version: 2,
            description: "jobs and actions history",
            sqlite: include_str!("../migrations/sqlite/0002_jobs_actions.sql"),
            postgres: include_str!("../migrations/postgres/0002_jobs_actions.sql"),
        },
        Step {
            version: 3,
            description: "secret codes",
            sqlite: include_str!("../migrations/sqlite/0003_secret_codes.sql"),
            postgres: include_str!("../migrations/postgres/0003_secret_codes.sql"),
        },
        Step {
            version: 4,
            description: "sign-in limits",
            sqlite: include_str!("../migrations/sqlite/0004_signin_limits.sql"),
            postgres: include_str!("../migrations/postgres/0004_signin_limits.sql"),
        },
        Step {
            version: 5,
            description: "outbox delivery",
            sqlite: include_str!("../migrations/sqlite/0005_delivery.sql"),
            postgres: include_str!("../migrations/postgres/0005_delivery.sql"),
        },
        Step {
            version: 6,
            description: "processing actions index",
            sqlite: include_str!("../migrations/sqlite/0006_processing_index.sql"),
            postgres: include_str!("../migrations/postgres/0006_processing_index.sql"),
        },
        Step {
            version: 7,
            description: "reports",
            sqlite: include_str!("../migrations/sqlite/0007_reports.sql"),
            postgres: include_str!("../migrations/postgres/0007_reports.sql"),
        },
        Step {
            version: 8,
            description: "actions by job",
            sqlite: include_str!("../migrations/sqlite/0008_actions_by_job.sql"),
            postgres: include_str!("../migrations/postgres/0008_actions_by_job.sql"),
        },
        Step {
            version: 9,
            description: "document views",
            sqlite: include_str!("../migrations/sqlite/0009_document_views.sql"),
            postgres: include_str!("../migrations/postgres/0009_document_views.sql"),
        },
        Step {
            version: 10,
            description: "password resets",
            sqlite: include_str!("../migrations/sqlite/0010_password_resets.sql"),
            postgres: include_str!("../migrations/postgres/0010_password_resets.sql"),
        },
        Step {
            version: 11,
            description: "e-mail changes",
            sqlite: include_str!("../migrations/sqlite/0011_email_changes.sql"),
            postgres: include_str!("../migrations/postgres/0011_email_changes.sql"),
        },
        Step {
            version: 12,
            description: "employee sessions",
            sqlite: include_str!("../migrations/sqlite/0012_employee_sessions.sql"),
            postgres: include_str!("../migrations/postgres/0012_employee_sessions.sql"),
        },
        Step {
            version: 13,
            description: "registration and operator staff",
            sqlite: include_str!("../migrations/sqlite/0013_registration.sql"),
            postgres: include_str!("../migrations/postgres/0013_registration.sql"),
        },
        Step {
            version: 14,
            description: "one waiting request per company and phone",
            sqlite: include_str!("../migrations/sqlite/0014_one_waiting_request.sql"),
            postgres: include_str!("../migrations/postgres/0014_one_waiting_request.sql"),
        },
    ],
};

impl Db {
    /// Applies the set's pending steps on this store's engine.
    pub async fn apply(&self, set: &MigrationSet) -> StoreResult<()> {
        let migrations = set
            .steps
            .iter()
            .map(|s| {
                let sql = match self.dialect() {
                    Dialect::Sqlite => s.sqlite,
                    Dialect::Postgres => s.postgres,
                };
                Migration::new(s.version, s.description.into(), MigrationType::Simple, sql.into_sql_str(), false)
            })
            .collect();
        let mut migrator = Migrator::with_migrations(migrations);
        migrator.dangerous_set_table_name(set.table);
        migrator.run(self.pool()).await?;
        Ok(())
    }

    /// Applies Cabinet's own schema.
    pub async fn migrate(&self) -> StoreResult<()> {
        self.apply(&CABINET).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cabinet_schema_is_the_same_text_on_both_engines() {
        // Cabinet's tables use only portable types, so both trees must stay identical.
        for step in super::CABINET.steps {
            assert_eq!(step.sqlite, step.postgres, "migration {} differs between engines", step.version);
        }
    }
}
