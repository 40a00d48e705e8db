//! Where `import-znuny` writes: the engine of a store opened here (the redb file, PostgreSQL), or a
//! running server through its API ([`crate::remote_import`]). The same three writes either way, so
//! the import, its progress bar and its report are one.

use crate::error::{AdminError, Result};
use chamado::Admin;
use chamado::Record;
use chamado::import::{ImportOutcome, ImportedTicket};

/// The writes of an import.
pub(crate) trait ImportTarget {
    /// Writes one directory record ([`Admin::import_record`]).
    async fn import_record(&self, record: Record) -> Result<ImportOutcome>;
    /// Writes one ticket ([`Admin::import_ticket`]).
    async fn import_ticket(&self, ticket: ImportedTicket) -> Result<ImportOutcome>;
    /// Moves the number counters past a batch's numbers ([`Admin::reserve_imported_numbers`]).
    async fn reserve_numbers(&self, numbers: &[String]) -> Result<()>;
}

impl ImportTarget for Admin<'_> {
    async fn import_record(&self, record: Record) -> Result<ImportOutcome> {
        Ok(Admin::import_record(self, record).await?)
    }

    async fn import_ticket(&self, ticket: ImportedTicket) -> Result<ImportOutcome> {
        Ok(Admin::import_ticket(self, ticket).await?)
    }

    async fn reserve_numbers(&self, numbers: &[String]) -> Result<()> {
        Ok(self.reserve_imported_numbers(numbers.iter().map(String::as_str)).await?)
    }
}

/// Whether an error ends the import rather than leaving one item out: the server is gone, refuses
/// the token, has no import API, or cannot serve now. Every later item would fail the same way.
pub(crate) fn is_fatal(e: &AdminError) -> bool {
    match e {
        AdminError::Connect { .. } | AdminError::BadResponse(_) => true,
        AdminError::Api { status, code, .. } => {
            matches!(status, 401 | 403 | 405 | 503) || (*status == 404 && code == "no_route")
        }
        _ => false,
    }
}
