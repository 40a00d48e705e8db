//! The one error type of the engine, with kinds callers branch on.

use thiserror::Error;

/// Why a store operation failed. Storage adapters return these; the engine maps them into [`enum@Error`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A ticket was changed by someone else since it was read (optimistic concurrency).
    #[error("ticket {ticket} was changed concurrently (expected version {expected}, found {found})")]
    Conflict {
        /// The ticket's id.
        ticket: u64,
        /// The version the writer read.
        expected: u64,
        /// The version the store holds (0 when the ticket does not exist).
        found: u64,
    },
    /// A unique key (ticket number, id, idempotency key) already exists.
    #[error("{detail} already exists")]
    Duplicate {
        /// Which kind of key; callers decide on this.
        kind: DuplicateKind,
        /// The key for people to read, e.g. `ticket number 2026112710000017`.
        detail: String,
    },
    /// A record that the operation needs is missing.
    #[error("{0} not found in the store")]
    Missing(String),
    /// The store cannot serve now (I/O error, disk full, shutting down): retry later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The stored data cannot be read (corruption, wrong schema version).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The store does not offer this operation at all (full-text search on a store without it):
    /// unlike [`StoreError::Unavailable`], retrying will not help.
    #[error("this store does not support {0}")]
    Unsupported(String),
}

/// Which unique key a [`StoreError::Duplicate`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DuplicateKind {
    /// A ticket id that is taken (or written as new twice in one commit).
    TicketId,
    /// A ticket number that another ticket holds.
    TicketNumber,
    /// An idempotency key that was taken before: the operation already ran (or is running).
    IdempotencyKey,
    /// An email address or chat identity that another customer user holds.
    Address,
}

impl StoreError {
    /// A [`StoreError::Duplicate`] of `kind`, with `detail` naming the key for people.
    pub fn duplicate(kind: DuplicateKind, detail: impl Into<String>) -> Self {
        StoreError::Duplicate { kind, detail: detail.into() }
    }

    /// True when this is a [`StoreError::Duplicate`] of `kind`.
    pub fn is_duplicate(&self, kind: DuplicateKind) -> bool {
        matches!(self, StoreError::Duplicate { kind: k, .. } if *k == kind)
    }
}

/// Everything that can go wrong in the engine.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The thing asked for does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may see the thing but lacks the permission for this action.
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// The ticket cannot go from its current state to the requested one.
    #[error("invalid transition: {0}")]
    InvalidTransition(String),
    /// The ticket changed concurrently and retries were exhausted; reload and try again.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input is malformed or breaks a rule; the message says which field and why.
    #[error("invalid input: {0}")]
    Validation(String),
    /// A follow-up was refused by the queue's policy or the sender check; the message is for the sender.
    #[error("rejected: {0}")]
    Rejected(String),
    /// An article's files break a limit ([`crate::AttachmentLimits`]); the refusal says which.
    #[error(transparent)]
    Attachments(#[from] crate::attachment_limits::AttachmentRefusal),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Error {
    /// Shorthand for a validation error.
    pub fn validation(msg: impl Into<String>) -> Self {
        Error::Validation(msg.into())
    }

    /// True when retrying the same operation later may succeed (store unavailable, conflict).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::Conflict(_) | Error::Store(StoreError::Unavailable(_)) | Error::Store(StoreError::Conflict { .. })
        )
    }
}

/// Result with the engine's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
