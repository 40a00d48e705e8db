//! # chamado-api-types
//!
//! The shapes the REST API of [chamado] exchanges for the directory an admin manages (agents,
//! customers, customer users, groups, services, roles, queues, states, priorities, mail accounts,
//! texts and notifications, calendars and SLAs, webhook subscriptions and the payloads they receive, and
//! what an import from another help desk sends), with the conversions and patch rules that turn them into the engine's
//! records. The HTTP adapter serves them and the admin command line sends and reads them, so both use
//! these types and neither needs the other: no web stack here.
#![forbid(unsafe_code)]

pub mod agents;
pub mod customer_users;
pub mod customers;
pub mod directory;
pub mod events;
pub mod import;
pub mod locale;
pub mod mail_accounts;
pub mod preferences;
pub mod rules;
pub mod slas;
pub mod texts;
pub mod webhook_payload;
pub mod webhooks;

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

/// serde for fields that hold objects: serde's derived structs also read a JSON array of their fields
/// in order, which no schema describes; these take only JSON objects. Use with
/// `#[serde(default, deserialize_with = "crate::object::...")]`.
pub mod object {
    use serde::de::value::MapAccessDeserializer;
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use std::marker::PhantomData;

    /// `T`, read only from a JSON object.
    struct Obj<T>(T);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = T;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                    T::deserialize(MapAccessDeserializer::new(map))
                }
            }
            d.deserialize_map(V(PhantomData)).map(Obj)
        }
    }

    /// An object.
    pub fn one<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
        Obj::<T>::deserialize(d).map(|o| o.0)
    }

    /// An object, or `null`.
    pub fn optional<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Option::<Obj<T>>::deserialize(d).map(|o| o.map(|o| o.0))
    }

    /// An array of objects.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Vec::<Obj<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
    }

    /// An array of objects, or `null`.
    pub fn list_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Vec<T>>, D::Error> {
        Option::<Vec<Obj<T>>>::deserialize(d).map(|o| o.map(|v| v.into_iter().map(|o| o.0).collect()))
    }
}
