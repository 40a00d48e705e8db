//! # chamado-redb
//!
//! The embedded, durable [`chamado::Store`] on [redb](https://docs.rs/redb): one file, crash-safe,
//! with group commit.
//!
//! - **Durable by default**: a write returns only after redb's durable commit (fsync).
//! - **Group commit**: one writer thread owns redb's write transactions; concurrent writes queue up and
//!   are committed together in one transaction, each validated against the state including the writes
//!   before it in the batch. A conflict or duplicate fails that write alone.
//! - **Reads never wait for the writer**: each read is a redb MVCC read transaction, run on a
//!   few reader threads of the store (inline outside a tokio runtime).
//! - **Indexes in the same transaction**: number, external id, idempotency key, ticket listings by
//!   customer user / customer / queue / state type / locked-by agent / responsible agent / escalated /
//!   at risk (newest change first, range scans with cursors) with each index's ticket count (so counts are one point read),
//!   pending-due tickets, due outbox entries, directory records and customer-user lookup keys.
//! - **Full-text search** ([`chamado::Store::search_tickets`]): a word index (per word, blocks of the
//!   ids of the tickets holding it; words as [`chamado::search_words`] defines them). A commit records
//!   only each ticket's changed words; the writer folds them into the index in bulk when idle or when
//!   many wait, and searches read both, so every answer is exact. A query intersects the words'
//!   tickets, or for very common words walks the tickets newest change first.
//! - **Attachments stored once**: each distinct file is kept once in the `blobs` table under its
//!   SHA-256, written in the commit of the article that brings it; articles keep name, type, size and
//!   hash, so reading tickets never reads file bytes ([`chamado::Store::blob`] does).
//! - **Event log and webhook deliveries** in the commit that causes them: each event takes the next
//!   `seq` as the writer applies its commit, so a reader's snapshot holds every `seq` up to the highest
//!   it sees and a feed resuming after its last `seq` skips nothing; the last `seq` is kept apart from
//!   the log, so pruning never lets one be handed out twice. Deliveries are indexed by due time (pending
//!   only), subscription, ticket (pending only) and finished time (what pruning walks). Pruning and
//!   claiming read first: when there is nothing to do they write nothing.
//! - **Schema version** in the file ([`SCHEMA_VERSION`]); files of versions 1 to 8 are upgraded in
//!   place on open, one transaction per version (the index entries and counts, the search word tables,
//!   the articles' sender verification, the files moved out of the articles, the history entries' texts,
//!   the tickets' watchers and lock expiry and the outbox entries' notifications, the tickets' SLA and
//!   escalation clocks, the event log and webhook tables); other versions fail
//!   with [`Error::SchemaMismatch`]. Locked, truncated and corrupt files give typed errors, and a read
//!   that meets a corrupt page is an error, not a panic.
//! - **Disk full is not fatal**: writes stop short of a full disk ([`RedbOptions::min_free_space`]) and
//!   fail with [`chamado::StoreError::Unavailable`]; reads go on, and writes resume once space returns.
//! - **Online backup** to JSON Lines ([`RedbStore::export_jsonl`]) and restore
//!   ([`RedbStore::import_jsonl`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use chamado::{Actor, Engine, NewTicket};
//! let store = chamado_redb::RedbStore::open("desk.redb")?;
//! let engine = Engine::builder(store.clone()).build()?;
//! engine.seed_defaults("admin").await?;
//! let view = engine.create_ticket(&Actor::agent("admin"), NewTicket::new("Printer", "It jams.", "Raw")).await?;
//! println!("created {}", view.ticket.number);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod backup;
mod batch_rows;
mod codec;
mod error;
mod event_log;
mod indexes;
mod keys;
mod open;
mod ops;
mod options;
mod pending_words;
mod postings;
mod readers;
mod reads;
mod schema;
mod search;
mod search_index;
mod space;
mod store;
mod store_backup;
mod tables;
mod webhook_tables;
mod writer;

pub use backup::BackupStats;
pub use error::{Error, Result};
pub use options::{DEFAULT_MIN_FREE_SPACE, RedbOptions};
pub use schema::SCHEMA_VERSION;
pub use store::RedbStore;
pub use tables::SCHEMA_TABLE;
pub use writer::WriterStats;
