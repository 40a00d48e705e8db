//! # chamado-postgres
//!
//! A [`chamado::Store`] on PostgreSQL, for running several stateless help-desk nodes on one database.
//!
//! ```no_run
//! # async fn demo() -> Result<(), chamado_postgres::Error> {
//! let store = chamado_postgres::PgStore::connect("postgres://postgres@127.0.0.1/test").await?;
//! let engine = chamado::Engine::builder(store).build().map_err(|e| chamado_postgres::Error::Config(e.to_string()))?;
//! # let _ = engine; Ok(()) }
//! ```
//!
//! ## Why tokio-postgres
//! tokio-postgres with a deadpool pool instead of sqlx: the store's SQL is a dozen fixed statements, so
//! sqlx's compile-time checking would need a database at build time (or checked-in query data) for little
//! gain, while tokio-postgres is a fraction of the build time and dependencies, and gives direct control
//! over transactions and `FOR UPDATE SKIP LOCKED`.
//!
//! ## How the engine's rules map to PostgreSQL
//! - **Counters** are rows updated with `INSERT .. ON CONFLICT DO UPDATE .. RETURNING`: the row lock makes
//!   every allocation unique across nodes, and a committed value is never handed out again.
//! - **Optimistic concurrency**: `UPDATE tickets .. WHERE id = $1 AND version = $2`; no row means a
//!   conflict. Ticket numbers, idempotency keys and ids are primary keys or unique constraints, so two
//!   nodes taking the same mail or retry create one ticket.
//! - **Listings** use composite indexes that match the engine's `TicketIndex` kinds exactly, each ordered
//!   `(changed_at DESC, id DESC)`, so a page is an index range scan after the cursor:
//!   `tickets_by_customer_user`, `tickets_by_customer`, `tickets_by_queue`, `tickets_by_queue_state`,
//!   `tickets_by_state`. Due pending tickets and due outbox entries use partial indexes on the due time.
//! - **Outbox delivery shared by nodes**: `claim_outbox` selects due entries `FOR UPDATE SKIP LOCKED` and
//!   moves their due time to the end of the lease in the same transaction, so each entry is claimed by one
//!   node; a node that dies releases its claims when the lease ends.
//! - **Singleton jobs** (Telegram long polling): [`PgStore::lead`] takes a session advisory lock on a
//!   dedicated connection; the lock dies with the node's connection, and a waiting node takes over.
//! - **Migrations** are embedded and applied at connect under a transaction-scoped advisory lock, so two
//!   nodes starting at once apply each migration once.
//! - **Full-text search** (`search_tickets`): one `tsvector` per ticket, generated from the title plus the
//!   words of every article (appended in the commit that adds the article), with a GIN index; `simple`
//!   configuration, so it works for every language without stemming surprises.
#![forbid(unsafe_code)]

mod codec;
mod commit;
mod error;
mod leader;
mod migrations;
mod outbox;
mod reads;
mod records;
mod search;
mod store;

pub use error::Error;
pub use leader::Leadership;
pub use store::PgStore;
