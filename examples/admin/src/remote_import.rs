//! `import-znuny --url`: the import's writes as calls of a running server's import API
//! (`/api/v1/import`), one record or ticket a request, with the admin token of every `--url` command.
//! A redb helpdesk holds its file while it runs; this way a cutover can import again without stopping
//! it.

use crate::commands::import_target::ImportTarget;
use crate::error::Result;
use crate::remote::Remote;
use chamado::Record;
use chamado::import::{ImportOutcome, ImportedTicket};
use chamado_api_types::import::{ImportNumbers, ImportRecordIn, ImportResult, ImportTicketIn};

/// The numbers sent in one request (the API takes at most this many).
const NUMBERS_PER_REQUEST: usize = chamado_api_types::import::NUMBERS_MAX;

impl ImportTarget for Remote {
    async fn import_record(&self, record: Record) -> Result<ImportOutcome> {
        let kind = record.kind();
        let Some(body) = ImportRecordIn::from_record(record) else {
            return Err(crate::error::AdminError::Usage(format!(
                "a {} record cannot be imported through the API",
                kind.as_str()
            )));
        };
        let r: ImportResult = self.http().put_json("/import/records", &body).await?;
        Ok(r.outcome.into())
    }

    async fn import_ticket(&self, ticket: ImportedTicket) -> Result<ImportOutcome> {
        let r: ImportResult = self.http().put_json("/import/tickets", &ImportTicketIn::from(&ticket)).await?;
        Ok(r.outcome.into())
    }

    async fn reserve_numbers(&self, numbers: &[String]) -> Result<()> {
        for chunk in numbers.chunks(NUMBERS_PER_REQUEST) {
            self.http().post_empty("/import/numbers", &ImportNumbers { numbers: chunk.to_vec() }).await?;
        }
        Ok(())
    }
}
