//! Why reading the Znuny database failed: the whole read stops (a row that cannot be mapped is a
//! [`crate::Skipped`] instead).

/// A failure to reach or read the Znuny database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The URL names no database this adapter reads.
    #[error("unsupported database URL {0:?}: give postgres://... (or postgresql://...) or mysql://... (MariaDB too)")]
    Url(String),
    /// PostgreSQL refused or failed.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// MySQL or MariaDB refused or failed.
    #[error("MySQL/MariaDB: {0}")]
    Mysql(#[from] mysql_async::Error),
    /// The MySQL URL could not be read.
    #[error("MySQL/MariaDB URL: {0}")]
    MysqlUrl(#[from] mysql_async::UrlError),
    /// The database lacks tables every Znuny 6/7 and OTRS 6 database has.
    #[error("not a Znuny 6/7 or OTRS 6 database: {0}")]
    NotZnuny(String),
    /// A value the import cannot do without has an unexpected form.
    #[error("{what}: {message}")]
    Value {
        /// Which query or table.
        what: &'static str,
        /// What was wrong.
        message: String,
    },
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
