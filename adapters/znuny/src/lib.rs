//! Reads a Znuny 6/7 or OTRS 6 database, on PostgreSQL or MySQL/MariaDB, as what chamado imports: the
//! directory as [`chamado::Record`]s in the order they can be written, and tickets as
//! [`chamado::import::ImportedTicket`]s with their numbers, articles, files and history.
//!
//! Writing is the engine's ([`chamado::Admin::import_record`], [`chamado::Admin::import_ticket`]):
//! this crate only reads and maps. What cannot be mapped is a [`Skipped`] with the reason, never a
//! failure of the whole import; a failure ([`Error`]) is a database that cannot be reached or read.
//!
//! Times: Znuny stores the server's local time without a zone; they are taken as UTC.
//!
//! ```no_run
//! # async fn run() -> Result<(), chamado_znuny::Error> {
//! let source = chamado_znuny::ZnunySource::connect("postgres://znuny@127.0.0.1/znuny").await?;
//! let directory = source.directory().await?;
//! let ids = source.ticket_ids(0, 100).await?;
//! let batch = source.tickets(&ids, None).await?;
//! # let _ = (directory, batch);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod attachments;
mod db;
mod directory;
mod error;
mod history;
mod lookups;
mod references;
mod row;
mod schema;
mod skipped;
mod tickets;

pub use db::Dialect;
pub use directory::Directory;
pub use error::{Error, Result};
pub use skipped::Skipped;
pub use tickets::{TicketBatch, ticket_source};

use db::Db;
use lookups::Lookups;
use schema::Schema;
use std::path::Path;

/// The name of the calendar SLAs and queue targets count by (Znuny's working hours are SysConfig
/// settings, not in the database; the import creates this calendar with Znuny's defaults).
pub const CALENDAR: &str = directory::CALENDAR;

/// An open Znuny database.
pub struct ZnunySource {
    db: Db,
    schema: Schema,
    lookups: Lookups,
}

impl ZnunySource {
    /// Connects to `postgres://...` or `mysql://...` (MariaDB too), checks that it holds a Znuny or
    /// OTRS 6 schema, and reads its lookup tables.
    pub async fn connect(url: &str) -> Result<ZnunySource> {
        let db = Db::connect(url).await?;
        let schema = Schema::detect(&db).await?;
        let lookups = Lookups::load(&db, &schema).await?;
        Ok(ZnunySource { db, schema, lookups })
    }

    /// The server the database is on.
    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// Whether the group table is Znuny 7's `permission_groups` (else `groups`, as before).
    pub fn has_permission_groups(&self) -> bool {
        self.schema.has("permission_groups")
    }

    /// The whole directory, in write order, and what could not come over.
    pub async fn directory(&self) -> Result<Directory> {
        directory::read(&self.db, &self.schema, &self.lookups).await
    }

    /// How many tickets there are.
    pub async fn ticket_count(&self) -> Result<u64> {
        let rows = self.db.rows("ticket count", "SELECT COUNT(*) FROM ticket").await?;
        let n = match rows.first() {
            Some(r) => r.int(0)?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` ticket ids greater than `after`, in order: page with the last id of a page.
    pub async fn ticket_ids(&self, after: i64, limit: usize) -> Result<Vec<i64>> {
        let sql = format!("SELECT id FROM ticket WHERE id > {after} ORDER BY id LIMIT {}", limit.max(1));
        self.db.rows("ticket ids", &sql).await?.iter().map(|r| r.int(0)).collect()
    }

    /// The tickets of `ids` with their articles, files and history. Files come from the database, or
    /// from `article_dir` (Znuny's `ArticleDir`, file storage) where it holds the article's files.
    pub async fn tickets(&self, ids: &[i64], article_dir: Option<&Path>) -> Result<TicketBatch> {
        tickets::read(&self.db, &self.lookups, ids, article_dir).await
    }

    /// One ticket (`None` when it does not exist or cannot come over; see the batch's skipped list).
    pub async fn ticket(&self, id: i64, article_dir: Option<&Path>) -> Result<TicketBatch> {
        self.tickets(&[id], article_dir).await
    }

    /// Closes the connection.
    pub async fn close(self) {
        self.db.close().await;
    }
}
