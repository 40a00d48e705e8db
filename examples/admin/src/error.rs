//! The one error type of the admin command line: every failure names what was wrong.

use std::path::PathBuf;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The arguments make no sense together (beyond what the parser checks).
    #[error("{0}")]
    Usage(String),
    /// Something named on the command line does not exist.
    #[error("{what} {key:?} not found")]
    NotFound {
        /// What kind of thing (`customer`, `customer user`, ...).
        what: &'static str,
        /// Its key.
        key: String,
    },
    /// Something to add exists already.
    #[error("{what} {key:?} already exists{hint}")]
    Exists {
        /// What kind of thing.
        what: &'static str,
        /// Its key.
        key: String,
        /// How to change it instead (`; change it with ...`), or empty.
        hint: &'static str,
    },
    /// No store in the data directory.
    #[error(
        "there is no help desk store at {path}: check --data-dir (or CHAMADO_DATA_DIR), start the helpdesk once, or run `chamado-admin init`"
    )]
    NoStore {
        /// The store file looked for.
        path: PathBuf,
    },
    /// The store file is open in another process.
    #[error(
        "the store {path} is in use by another process (is the helpdesk running?): stop it, or go through its HTTP API with --url and --token"
    )]
    Locked {
        /// The store file.
        path: PathBuf,
    },
    /// The store could not be opened, read, written, backed up or restored.
    #[error("store {path}: {source}")]
    Store {
        /// The store file.
        path: PathBuf,
        /// The adapter's error.
        source: chamado_redb::Error,
    },
    /// The PostgreSQL store could not be reached or set up.
    #[error("the PostgreSQL store (--store-url): {0}")]
    Postgres(chamado_postgres::Error),
    /// The Znuny database to import could not be reached or read.
    #[error("the Znuny database (import-znuny --database-url): {0}")]
    Znuny(chamado_znuny::Error),
    /// A command that needs the redb file was run on PostgreSQL.
    #[error("`{command}` works only on the redb file: run it without --store-url")]
    RedbOnly {
        /// The command.
        command: &'static str,
    },
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] chamado::Error),
    /// A command that needs the data directory was run against a server.
    #[error("`{command}` works only on the data directory: run it without --url, while the helpdesk is stopped")]
    DirectOnly {
        /// The command.
        command: &'static str,
    },
    /// The HTTP API has no endpoint for this.
    #[error("{what} is not available through the HTTP API: run it without --url, while the helpdesk is stopped")]
    NotInApi {
        /// What was asked for.
        what: &'static str,
    },
    /// The server answered with an error.
    #[error("the server refused ({status} {code}): {detail}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The problem's stable code.
        code: String,
        /// The problem's detail.
        detail: String,
    },
    /// The server could not be reached.
    #[error("cannot reach {url}: {message}")]
    Connect {
        /// The server's URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The server answered something this program does not understand.
    #[error("unexpected answer from the server: {0}")]
    BadResponse(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A secret could not be made or hashed.
    #[error("{0}")]
    Secret(String),
    /// The output could not be written.
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

impl AdminError {
    /// A stable, short name of the error kind for `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            AdminError::Usage(_) => "usage",
            AdminError::NotFound { .. } => "not_found",
            AdminError::Exists { .. } => "exists",
            AdminError::NoStore { .. } => "no_store",
            AdminError::Locked { .. } => "locked",
            AdminError::Store { .. } => "store",
            AdminError::Postgres(_) => "store",
            AdminError::Znuny(_) => "znuny",
            AdminError::RedbOnly { .. } => "redb_only",
            AdminError::Engine(chamado::Error::Validation(_)) => "validation",
            AdminError::Engine(chamado::Error::NotFound(_)) => "not_found",
            AdminError::Engine(chamado::Error::PermissionDenied(_)) => "permission_denied",
            AdminError::Engine(_) => "engine",
            AdminError::DirectOnly { .. } => "direct_only",
            AdminError::NotInApi { .. } => "not_in_api",
            AdminError::Api { .. } => "api",
            AdminError::Connect { .. } => "connect",
            AdminError::BadResponse(_) => "bad_response",
            AdminError::Io { .. } => "io",
            AdminError::Secret(_) => "secret",
            AdminError::Output(_) => "output",
        }
    }
}

impl From<chamado_auth::agent_token::TokenError> for AdminError {
    fn from(e: chamado_auth::agent_token::TokenError) -> Self {
        use chamado_auth::agent_token::TokenError;
        match e {
            TokenError::Engine(e) => e.into(),
            TokenError::Random(e) => AdminError::Secret(e.to_string()),
            TokenError::Malformed => AdminError::Usage(e.to_string()),
        }
    }
}

/// Result with [`AdminError`].
pub type Result<T, E = AdminError> = std::result::Result<T, E>;
