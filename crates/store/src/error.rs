//! What a store call can fail with. Meaning first (a unique key already taken), the driver's
//! error otherwise.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row with this unique key exists already.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("unsupported database URL (use sqlite://… or postgres://…): {0}")]
    BadUrl(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A select on SQLite's fast path (select.rs).
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A select on PostgreSQL's fast path (pg_readers.rs).
    #[error(transparent)]
    Pg(#[from] tokio_postgres::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Turns a unique-constraint violation into `Conflict`, keeping other errors as they are.
    pub fn on_conflict(err: sqlx::Error, what: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return StoreError::Conflict(what.to_string());
        }
        StoreError::Db(err)
    }
}
