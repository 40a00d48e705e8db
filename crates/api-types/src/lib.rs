//! # chamado-api-types
//!
//! The shapes the REST API of [chamado] exchanges for the directory an admin manages (agents,
//! customers, customer users, groups, services, roles, queues, states, priorities), with the
//! conversions and patch rules that turn them into the engine's records. The HTTP adapter serves them
//! and the admin command line sends and reads them, so both use these types and neither needs the
//! other: no web stack here.
#![forbid(unsafe_code)]

pub mod agents;
pub mod customer_users;
pub mod customers;
pub mod directory;
pub mod rules;

/// serde's default for `valid` flags: a new entry is valid unless it says otherwise.
pub(crate) fn yes() -> bool {
    true
}
