//! The Store conformance suite. Every storage adapter runs it from its own tests:
//!
//! ```
//! # pollster::block_on(async {
//! chamado::testkit::run_conformance(chamado::MemoryStore::new).await;
//! # });
//! ```
//!
//! Each case gets a fresh store from the factory. A failing case panics with the case's name and what
//! differed, like any test assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adapter_state_cases;
mod blob_cases;
mod cases;
mod escalation_cases;
mod fixtures;
mod flaky;
mod webhook_cases;

pub use crate::join::{BoxFuture, join_all};
pub use fixtures::{article, file, outbox_entry, ticket};
pub use flaky::FlakyStore;

use crate::store::Store;

/// Runs every conformance case, each on a fresh store from `make`.
pub async fn run_conformance<S: Store + 'static>(mut make: impl FnMut() -> S) {
    for (name, case) in cases::ALL
        .iter()
        .chain(adapter_state_cases::ALL)
        .chain(blob_cases::ALL)
        .chain(escalation_cases::ALL)
        .chain(webhook_cases::ALL)
    {
        let store = make();
        eprintln!("conformance: {name}");
        case(Box::new(store)).await;
    }
}

/// Like [`run_conformance`], for stores that are opened asynchronously (e.g. a fresh database schema).
pub async fn run_conformance_with<S, F, Fut>(mut make: F)
where
    S: Store + 'static,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = S>,
{
    for (name, case) in cases::ALL
        .iter()
        .chain(adapter_state_cases::ALL)
        .chain(blob_cases::ALL)
        .chain(escalation_cases::ALL)
        .chain(webhook_cases::ALL)
    {
        let store = make().await;
        eprintln!("conformance: {name}");
        case(Box::new(store)).await;
    }
}
