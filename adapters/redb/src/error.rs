//! The adapter's typed errors and their mapping onto [`chamado::StoreError`].

use chamado::StoreError;
use std::path::PathBuf;

/// Everything that can go wrong opening, using, backing up or restoring a [`crate::RedbStore`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another process (or another handle in this process) has the file open.
    #[error("the store file {path} is already open in another process or handle")]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The file was written by another schema version of this adapter.
    #[error(
        "the store file {path} has schema version {found}, but this build of chamado-redb reads schema version {expected}"
    )]
    SchemaMismatch {
        /// The file.
        path: PathBuf,
        /// The version stored in the file.
        found: u64,
        /// The version this build reads and writes.
        expected: u64,
    },
    /// The file is not a chamado store: a redb file holding other tables.
    #[error("the file {path} is a redb database but not a chamado store (no schema version)")]
    NotAStore {
        /// The file.
        path: PathBuf,
    },
    /// The file is truncated, corrupt, or holds data this build cannot decode.
    #[error("the store is corrupt: {0}")]
    Corrupt(String),
    /// An operating-system I/O error (disk full, permissions, ...).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Any other failure reported by redb.
    #[error("storage error: {0}")]
    Storage(String),
    /// The filesystem holding the store has less free space than the reserve
    /// ([`crate::RedbOptions::min_free_space`]); the write was refused before it touched the file.
    // The path stays out of the message: it reaches API clients and mail senders.
    #[error("the disk holding the store is full ({free} bytes free, writes keep {reserve}); free space and retry")]
    DiskFull {
        /// The store file.
        path: PathBuf,
        /// Bytes free for unprivileged users.
        free: u64,
        /// The reserve writes keep.
        reserve: u64,
    },
    /// The store has been closed, or its writer thread stopped.
    #[error("the store is shut down")]
    Closed,
    /// A backup stream could not be read or written.
    #[error("backup line {line}: {message}")]
    Backup {
        /// The 1-based line number (0 when not tied to a line).
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A restore was attempted into a store that already holds data.
    #[error("restore needs an empty store, but this one already holds {0}")]
    NotEmpty(&'static str),
}

impl Error {
    /// Classifies a redb error.
    pub(crate) fn from_redb(e: impl Into<redb::Error>) -> Self {
        let e: redb::Error = e.into();
        match e {
            redb::Error::DatabaseAlreadyOpen => Error::Locked { path: PathBuf::new() },
            redb::Error::Corrupted(msg) => Error::Corrupt(msg),
            redb::Error::Io(io) => Error::Io(io),
            redb::Error::UpgradeRequired(v) => {
                Error::Corrupt(format!("the file uses redb file format version {v}, which this build cannot read"))
            }
            e @ (redb::Error::TableTypeMismatch { .. }
            | redb::Error::TableIsMultimap(_)
            | redb::Error::TableIsNotMultimap(_)
            | redb::Error::TypeDefinitionChanged { .. }
            | redb::Error::TableDoesNotExist(_)) => Error::Corrupt(e.to_string()),
            other => Error::Storage(other.to_string()),
        }
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::from_redb(e)
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::DatabaseError,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::SetDurabilityError
);

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Corrupt(_) | Error::SchemaMismatch { .. } | Error::NotAStore { .. } => {
                StoreError::Corrupt(e.to_string())
            }
            _ => StoreError::Unavailable(e.to_string()),
        }
    }
}

/// Result with the adapter's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
