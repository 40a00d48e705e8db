//! The one error type of the engine, with kinds callers branch on.

use thiserror::Error;

use crate::Reason;

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
///
/// The variants that say why carry a [`Reason`]: English text plus, for refusals people meet on pages
/// and in chats, a translatable message. Build them with the helpers ([`Error::validation`] …), which
/// take a `String`, a `&str` or a [`chamado_i18n::Message`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The thing asked for does not exist, or the caller may not know that it does. A plain reason
    /// names the thing (`ticket 5`, shown as `ticket 5 not found`); a translated one is the complete
    /// sentence (see [`Error::not_found`]).
    #[error("{}", not_found_text(.0))]
    NotFound(Reason),
    /// The caller may see the thing but lacks the permission for this action.
    #[error("permission denied: {0}")]
    PermissionDenied(Reason),
    /// The ticket cannot go from its current state to the requested one.
    #[error("invalid transition: {0}")]
    InvalidTransition(Reason),
    /// The ticket changed concurrently and retries were exhausted; reload and try again.
    #[error("conflict: {0}")]
    Conflict(Reason),
    /// The input is malformed or breaks a rule; the message says which field and why.
    #[error("invalid input: {0}")]
    Validation(Reason),
    /// A follow-up was refused by the queue's policy or the sender check; the message is for the sender.
    #[error("rejected: {0}")]
    Rejected(Reason),
    /// An article's files break a limit ([`crate::AttachmentLimits`]); the refusal says which.
    #[error(transparent)]
    Attachments(#[from] crate::attachment_limits::AttachmentRefusal),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A plain not-found reason names the thing; a translated one already is the whole sentence.
fn not_found_text(reason: &Reason) -> String {
    match reason.message() {
        Some(_) => reason.to_string(),
        None => format!("{reason} not found"),
    }
}

impl Error {
    /// A [`Error::Validation`]: the input breaks a rule.
    pub fn validation(reason: impl Into<Reason>) -> Self {
        Error::Validation(reason.into())
    }

    /// A [`Error::NotFound`]. Give the thing as text (`format!("ticket {n}")`, shown as
    /// `ticket 5 not found`) or the complete sentence as a message (`error-ticket-not-found`).
    pub fn not_found(reason: impl Into<Reason>) -> Self {
        Error::NotFound(reason.into())
    }

    /// A [`Error::PermissionDenied`].
    pub fn permission_denied(reason: impl Into<Reason>) -> Self {
        Error::PermissionDenied(reason.into())
    }

    /// A [`Error::InvalidTransition`].
    pub fn invalid_transition(reason: impl Into<Reason>) -> Self {
        Error::InvalidTransition(reason.into())
    }

    /// A [`Error::Conflict`].
    pub fn conflict(reason: impl Into<Reason>) -> Self {
        Error::Conflict(reason.into())
    }

    /// A [`Error::Rejected`].
    pub fn rejected(reason: impl Into<Reason>) -> Self {
        Error::Rejected(reason.into())
    }

    /// The translatable text of this error, when it has one: what pages and chats show in the reader's
    /// language (else they show the English [`std::fmt::Display`] text).
    pub fn message(&self) -> Option<chamado_i18n::Message> {
        match self {
            Error::NotFound(r)
            | Error::PermissionDenied(r)
            | Error::InvalidTransition(r)
            | Error::Conflict(r)
            | Error::Validation(r)
            | Error::Rejected(r) => r.message().cloned(),
            Error::Attachments(refusal) => Some(refusal.message()),
            Error::Store(_) => None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::validate_name;
    use chamado_i18n::{Language, Message, Tr, key};

    fn pt() -> Tr {
        Tr::new(Language::parse("pt-BR").unwrap())
    }

    #[test]
    fn translated_refusals_keep_their_former_english() {
        let e = Error::not_found(Message::new("error-ticket-not-found").arg("number", "2026120510000017"));
        assert_eq!(e.to_string(), "ticket 2026120510000017 not found");
        assert_eq!(Error::not_found("ticket 5").to_string(), "ticket 5 not found", "a plain reason names the thing");
        let e = validate_name(key("error-field-queue-name"), "").unwrap_err();
        assert_eq!(e.to_string(), "invalid input: queue name must not be empty");
        assert_eq!(e, Error::validation("queue name must not be empty"), "equal by their English");
        let e = validate_name(key("error-field-identity"), " x").unwrap_err();
        assert_eq!(e.to_string(), "invalid input: identity must not start or end with white space");
        let e = Error::permission_denied(Message::new("error-customer-read-only").arg("number", "7"));
        assert_eq!(e.to_string(), "permission denied: you may read ticket 7 but not write to it");
    }

    #[test]
    fn attachment_refusals_read_the_same_in_english_and_translate() {
        use crate::AttachmentRefusal;
        let refusals = [
            AttachmentRefusal::FileTooLarge { name: "a b.pdf".into(), size: 10_485_761, max: 10_485_760 },
            AttachmentRefusal::ArticleTooLarge { size: 26_214_401, max: 26_214_400 },
            AttachmentRefusal::TooMany { count: 21, max: 20 },
        ];
        for r in refusals {
            assert_eq!(r.message().english(), r.to_string());
            assert_eq!(Error::from(r.clone()).message(), Some(r.message()));
        }
        let r = AttachmentRefusal::TooMany { count: 21, max: 20 };
        assert_eq!(r.message().render(&pt()), "21 arquivos, mais que o limite de 20 por mensagem");
    }

    #[test]
    fn an_error_with_a_message_renders_in_portuguese() {
        let e = validate_name(key("error-field-queue-name"), "").unwrap_err();
        let m = e.message().unwrap();
        assert_eq!(m.render(&pt()), "O nome da fila não pode ficar em branco");
        assert!(Error::validation("plain").message().is_none(), "internal texts stay untranslated");
        assert!(Error::Store(StoreError::Corrupt("x".into())).message().is_none());
    }
}
