use chamado::StoreError;
use thiserror::Error;

/// Errors of opening the store.
#[derive(Debug, Error)]
pub enum Error {
    /// The database URL or settings are wrong.
    #[error("invalid PostgreSQL configuration: {0}")]
    Config(String),
    /// The database cannot be reached or refused us.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    /// A schema migration failed.
    #[error("schema migration {version} failed: {message}")]
    Migration {
        /// The migration's version.
        version: i32,
        /// What went wrong.
        message: String,
    },
    /// The database holds a newer schema than this build knows.
    #[error("the database schema is at version {found}, newer than this build's {supported}; upgrade chamado")]
    TooNew {
        /// The version found.
        found: i32,
        /// The newest version this build knows.
        supported: i32,
    },
}

/// A database error as the engine sees it: the store is unavailable, try later.
pub(crate) fn db(e: tokio_postgres::Error) -> StoreError {
    StoreError::Unavailable(format!("PostgreSQL: {e}"))
}

/// A pool error: no connection could be had.
pub(crate) fn pool(e: deadpool_postgres::PoolError) -> StoreError {
    StoreError::Unavailable(format!("PostgreSQL connection pool: {e}"))
}

/// True for unique-constraint violations.
pub(crate) fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}
