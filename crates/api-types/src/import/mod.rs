//! Moving from another help desk through a running server (`/api/v1/import`): one directory record
//! or one ticket per request, as the old system had it, and the answer each gets.
//!
//! A record is a tagged union on `kind` whose variants reuse the admin bodies (customers, groups,
//! queues, SLAs, ...); agents and customer users carry the password hash the old system stored (it is
//! never shown again by any answer). A ticket keeps its number, times (RFC 3339), articles with their
//! files (base64) and history. What the engine needs that the shapes cannot say (a queue that
//! exists, a valid time) is checked by the server.

mod records;
mod tickets;

pub use records::{GrantPartyBody, ImportAgent, ImportCustomerUser, ImportGrant, ImportRecordIn};
pub use tickets::{ImportArticleIn, ImportAttachmentIn, ImportHistoryIn, ImportTicketIn};

use chamado::import::ImportOutcome;
use chamado::{Error, HistoryKind, Timestamp};
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

/// The most numbers one `POST /import/numbers` takes.
pub const NUMBERS_MAX: usize = 10_000;
/// The longest `source` key, in characters.
pub const SOURCE_MAX: usize = 500;
/// The longest `revision`, in characters.
pub const REVISION_MAX: usize = 500;
/// The longest stored password hash, in characters.
pub const PASSWORD_HASH_MAX: usize = 1024;
/// A ticket number as the engine imports it: 1 to 50 letters, digits, `-` or `_`.
pub const NUMBER_PATTERN: &str = "^[A-Za-z0-9_-]{1,50}$";
/// Standard base64 with padding (what `content` holds).
pub const BASE64_PATTERN: &str = "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

/// The names of a ticket's lock.
pub const LOCKS: [&str; 2] = ["lock", "unlock"];
/// The names of the channels.
pub const CHANNELS: [&str; 5] = ["email", "web", "phone", "chat", "internal"];
/// The names of who wrote an article.
pub const SENDERS: [&str; 3] = ["customer", "agent", "system"];

/// What importing one record or ticket did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcomeBody {
    /// It was new and is now written.
    Created,
    /// It existed from an earlier run and what changed was written.
    Updated,
    /// Nothing changed since the last run: nothing written.
    Unchanged,
}

impl From<ImportOutcome> for ImportOutcomeBody {
    fn from(o: ImportOutcome) -> Self {
        match o {
            ImportOutcome::Created => ImportOutcomeBody::Created,
            ImportOutcome::Updated => ImportOutcomeBody::Updated,
            ImportOutcome::Unchanged => ImportOutcomeBody::Unchanged,
        }
    }
}

impl From<ImportOutcomeBody> for ImportOutcome {
    fn from(o: ImportOutcomeBody) -> Self {
        match o {
            ImportOutcomeBody::Created => ImportOutcome::Created,
            ImportOutcomeBody::Updated => ImportOutcome::Updated,
            ImportOutcomeBody::Unchanged => ImportOutcome::Unchanged,
        }
    }
}

/// The answer to an import: what it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// `created`, `updated` or `unchanged`.
    pub outcome: ImportOutcomeBody,
}

/// The numbers of imported tickets whose counters new numbers must pass: `POST /import/numbers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportNumbers {
    /// Ticket numbers (at most 10,000 a request).
    #[schema(schema_with = numbers)]
    pub numbers: Vec<String>,
}

/// A time as the import bodies carry it: RFC 3339 in UTC, with milliseconds when it has them.
pub fn rfc3339_text(t: Timestamp) -> String {
    let whole = t.to_string();
    match t.as_millis().rem_euclid(1000) {
        0 => whole,
        ms => format!("{}.{ms:03}Z", whole.trim_end_matches('Z')),
    }
}

/// The serde name of an engine enum (`state_changed`, `lock`).
pub(crate) fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Reads an engine enum by its serde name, or refuses it naming `field` and the names it takes.
pub fn by_name<T: serde::de::DeserializeOwned>(field: &str, value: &str, names: &[&str]) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(value.to_string())).map_err(|_| {
        Error::validation(
            Message::new("error-api-import-name")
                .arg("field", field.to_string())
                .arg("value", format!("{value:?}"))
                .arg("names", names.join(", ")),
        )
    })
}

/// The names of the history kinds.
pub fn history_kind_names() -> Vec<String> {
    HistoryKind::ALL.iter().map(name_of).collect()
}

/// Refuses a number [`NUMBER_PATTERN`] does not describe.
pub fn check_number(n: &str) -> Result<(), Error> {
    let ok = (1..=50).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(Message::new("error-api-import-number").arg("number", format!("{n:?}"))))
    }
}

/// A string that is one of `values`.
pub(crate) fn closed(values: &[&'static str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).build()
}

fn numbers() -> Array {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String).pattern(Some(NUMBER_PATTERN)).build())
        .max_items(Some(NUMBERS_MAX))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn times_keep_their_milliseconds() {
        assert_eq!(rfc3339_text(Timestamp::from_unix_seconds(1_768_035_600)), "2026-01-10T09:00:00Z");
        assert_eq!(rfc3339_text(Timestamp(1_768_035_600_250)), "2026-01-10T09:00:00.250Z");
    }

    #[test]
    fn every_history_kind_has_a_name() {
        let names = history_kind_names();
        assert_eq!(names.len(), HistoryKind::ALL.len());
        assert!(names.iter().all(|n| !n.is_empty()));
        assert!(names.contains(&"state_changed".to_string()));
        let k: HistoryKind = by_name("kind", "state_changed", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k, HistoryKind::StateChanged);
        assert!(by_name::<HistoryKind>("kind", "exploded", &[]).is_err());
    }
}
