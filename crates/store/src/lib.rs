//! Cabinet's store: one SQL code path on SQLite and PostgreSQL (sqlx `AnyPool`), the schema
//! migrations of both engines, and one repository file per concern. See ARCHITECTURE.md for
//! the portable-SQL rules every query here follows.

pub mod access_requests;
pub mod actions;
pub mod admins;
pub mod attempts;
pub mod companies;
mod db;
pub mod document_views;
pub mod email_changes;
pub mod employee_sessions;
mod error;
pub mod ids;
pub mod jobs;
pub mod migrations;
pub mod operator_staff;
pub mod otp;
pub mod outbox;
pub mod password;
pub mod password_resets;
mod pg_readers;
pub mod reports;
pub mod requests;
pub mod secret_codes;
mod select;
pub mod sessions;
pub mod settings;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Db, Dialect};
pub use error::{StoreError, StoreResult};
pub use select::{Row, Select};
