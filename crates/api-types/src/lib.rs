//! # chamado-api-types
//!
//! The shapes the REST API of [chamado] exchanges for the directory an admin manages (agents,
//! customers, customer users, groups, services, roles, queues, states, priorities, mail accounts,
//! texts and notifications), with the conversions and patch rules that turn them into the engine's
//! records. The HTTP adapter serves them and the admin command line sends and reads them, so both use
//! these types and neither needs the other: no web stack here.
#![forbid(unsafe_code)]

pub mod agents;
pub mod customer_users;
pub mod customers;
pub mod directory;
pub mod locale;
pub mod mail_accounts;
pub mod preferences;
pub mod rules;
pub mod texts;

/// serde's default for `valid` flags: a new entry is valid unless it says otherwise.
pub(crate) fn yes() -> bool {
    true
}

/// serde for patch fields that tell "absent" (leave it) from `null` (clear it): `None` is absent,
/// `Some(None)` is `null`. Use with `#[serde(default, skip_serializing_if = "Option::is_none")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` is skipped by the field).
    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    /// Reads a present field: `null` as `Some(None)`, a value as `Some(Some(v))`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
