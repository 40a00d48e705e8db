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
//!   every allocation unique across nodes, and a committed value is never handed out again. Concurrent
//!   requests of one scope on a node are reserved together, one flush for a burst (`allocate.rs`).
//! - **One commit, one statement**: an engine `Commit` (tickets, articles, history, outbox, idempotency
//!   key) goes as one SQL statement of data-modifying CTEs fed by arrays, so it is one round trip and one
//!   implicit transaction whatever its size (`commit_sql.rs`); durable when it returns, as
//!   `synchronous_commit` stays on.
//! - **Group commit**: commits that wait at the same time go as one such statement (their arrays joined)
//!   in one transaction, so a burst pays one round trip, one statement's fixed costs and one WAL flush;
//!   each is answered once the batch is durable, and a refused commit fails alone: the batch is applied
//!   again without it (`group.rs`). [`PgStore::with_group_commit`] turns it off.
//! - **Grouped point reads**: reads of directory records by key (the customer user every creation reads)
//!   that wait at the same time go as one statement, at most two in flight, so a burst pays one round
//!   trip and one statement's costs; a read alone goes at once (`record_reads.rs`).
//! - **Optimistic concurrency**: the statement updates `tickets .. WHERE id = .. AND version = ..`; fewer
//!   rows than asked make it raise (undoing everything), and the store reports the conflicting ticket.
//!   Ticket numbers, idempotency keys and ids are primary keys or unique constraints, so two nodes taking
//!   the same mail or retry create one ticket.
//! - **Listings** use composite indexes that match the engine's `TicketIndex` kinds exactly, each ordered
//!   `(changed_at DESC, id DESC)`, so a page is an index range scan after the cursor:
//!   `tickets_by_customer_user`, `tickets_by_customer`, `tickets_by_queue`, `tickets_by_queue_state`,
//!   `tickets_by_state`; an agent's locked and responsible tickets use partial expression indexes on the
//!   row's JSON (`tickets_by_locked_owner`, `tickets_by_responsible`); escalated and at-risk tickets use
//!   partial indexes on the row's `escalation_mark`, written from its clocks with every commit
//!   (`tickets_escalated`, `tickets_at_risk`). Due tickets (pending time, lock expiry, next escalation
//!   warning or breach: `Ticket::pending_due`) and due outbox entries use partial indexes on the due time.
//! - **Counts** (`count_tickets`) are kept per index key in `ticket_counts` by statement-level triggers
//!   on `tickets` (migration 9), in the transaction that writes the tickets, so they are exact in every
//!   snapshot and a count is a read of at most 64 rows whatever the index's size. A statement applies one
//!   delta per key (a group-commit batch of 64 new tickets in one queue is a handful of row writes), and
//!   each key is spread over slots by backend pid, so concurrent batches and nodes rarely wait on one
//!   another's count rows (held until their WAL flush). Before, counts were `count(*)` over the
//!   listing's index (41 ms for the queue view at 1M tickets; [`PgStore::with_scanned_counts`]).
//! - **Outbox delivery shared by nodes**: `claim_outbox` selects due entries `FOR UPDATE SKIP LOCKED` and
//!   moves their due time to the end of the lease in the same transaction, so each entry is claimed by one
//!   node; a node that dies releases its claims when the lease ends.
//! - **Webhook deliveries** are claimed the same way (`webhooks.rs`), with partial indexes for what is
//!   due, a ticket's pending entries, a subscription's deliveries and finished ones to prune.
//! - **The event log's feed never skips an event**: commits with events append them last in a short
//!   transaction under a shared advisory lock, and a feed read first takes it exclusively for an instant,
//!   so it only reads seqs whose writers have all finished (`events.rs` explains why, and why not a
//!   counter row); such commits stay one round trip, pipelined (`pipeline.rs`).
//! - **Singleton jobs** (Telegram long polling): [`PgStore::lead`] takes a session advisory lock on a
//!   dedicated connection; the lock dies with the node's connection, and a waiting node takes over.
//! - **Migrations** are embedded and applied at connect under a transaction-scoped advisory lock, so two
//!   nodes starting at once apply each migration once.
//! - **No request waits forever**: pooled connections run with `lock_timeout=10s`,
//!   `statement_timeout=60s` and `idle_in_transaction_session_timeout=60s`, and a request waits at most
//!   10 s for a connection; past that it fails as unavailable (HTTP 503, SMTP 451, retried by the
//!   sender) and the node carries on (test `stuck_locks`). Migrations lift the limits for their own
//!   transaction.
//! - **Full-text search** (`search_tickets`): one `tsvector` per ticket, generated from the title plus the
//!   words of every article (appended in the commit that adds the article), with a GIN index; `simple`
//!   configuration, so it works for every language without stemming surprises. Newest matches first: the
//!   planner walks `tickets_by_recency` for common words and reads the GIN index for rare ones, planned per
//!   query (`search.rs`).
#![forbid(unsafe_code)]

mod allocate;
mod codec;
mod commit;
mod commit_columns;
mod commit_refused;
mod commit_sql;
mod counters;
mod error;
mod events;
mod group;
mod leader;
mod migrations;
mod outbox;
mod pipeline;
mod reads;
mod record_reads;
mod records;
mod search;
mod store;
mod webhooks;

pub use error::Error;
pub use leader::Leadership;
pub use store::PgStore;
