//! Backup and restore as [`RedbStore`] methods: the export runs in one read transaction, the restore
//! goes through the writer in chunks ([`Op::Import`]). The lines themselves are [`crate::backup`]'s.

use crate::backup::{BackupStats, FORMAT, IMPORT_CHUNK, Item, LegacyItem, export};
use crate::error::{Error, Result};
use crate::ops::Op;
use crate::schema::SCHEMA_VERSION;
use crate::store::RedbStore;
use crate::tables::{COUNTERS, EVENTS, RECORDS, TICKETS, WEBHOOKS};
use redb::ReadableTableMetadata;
use std::io::{BufRead, Write};

impl RedbStore {
    /// Writes a consistent snapshot of the whole store to `out` as JSON Lines, from one read
    /// transaction: writers keep committing meanwhile, and the export sees none of their changes.
    ///
    /// Blocking: from async code run it with `tokio::task::spawn_blocking`.
    pub fn export_jsonl(&self, out: impl Write) -> Result<BackupStats> {
        self.read_blocking(|txn| export(txn, out))
    }

    /// Restores a [`RedbStore::export_jsonl`] stream into this store, which must be empty (no tickets,
    /// records, counters, events or webhook deliveries). Indexes are rebuilt. Writes go through the writer in chunks of a few
    /// thousand lines, so a failed restore leaves a partial store: restore into a fresh file and
    /// delete it on error.
    pub async fn import_jsonl(&self, input: impl BufRead) -> Result<BackupStats> {
        self.read_blocking(|txn| {
            for (what, empty) in [
                ("tickets", txn.open_table(TICKETS)?.is_empty()?),
                ("directory records", txn.open_table(RECORDS)?.is_empty()?),
                ("counters", txn.open_table(COUNTERS)?.is_empty()?),
                ("events", txn.open_table(EVENTS)?.is_empty()?),
                ("webhook deliveries", txn.open_table(WEBHOOKS)?.is_empty()?),
            ] {
                if !empty {
                    return Err(Error::NotEmpty(what));
                }
            }
            Ok(())
        })?;
        let mut stats = BackupStats::default();
        let mut chunk = Vec::with_capacity(IMPORT_CHUNK);
        let mut schema_of_backup = SCHEMA_VERSION;
        for (n, line) in input.lines().enumerate() {
            let line_no = n as u64 + 1;
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |e: serde_json::Error| Error::Backup { line: line_no, message: e.to_string() };
            // Before schema 5 articles carried their files inline: those move into the file table.
            let item: Item = if schema_of_backup < 5 && line.starts_with(r#"{"t":"article""#) {
                let LegacyItem::Article(old) = serde_json::from_str(&line).map_err(bad)?;
                let (article, blobs) = old.into_current();
                chunk.extend(blobs.into_iter().map(|b| Item::Blob(Box::new(b))));
                Item::Article(Box::new(article))
            } else {
                serde_json::from_str(&line).map_err(bad)?
            };
            if let Item::Header { format, schema } = &item {
                // Backups hold rows, never indexes (restore rebuilds them), so every older schema reads.
                if format != FORMAT || *schema == 0 || *schema > SCHEMA_VERSION {
                    return Err(Error::Backup {
                        line: line_no,
                        message: format!(
                            "backup format {format:?} schema {schema}, this build reads {FORMAT:?} schemas 1 to {SCHEMA_VERSION}"
                        ),
                    });
                }
                schema_of_backup = *schema;
            } else if stats.lines == 0 {
                return Err(Error::Backup { line: line_no, message: "the backup header is missing".into() });
            }
            stats.count(&item);
            chunk.push(item);
            if chunk.len() >= IMPORT_CHUNK {
                self.import_chunk(std::mem::take(&mut chunk)).await?;
            }
        }
        if !chunk.is_empty() {
            self.import_chunk(chunk).await?;
        }
        Ok(stats)
    }

    async fn import_chunk(&self, items: Vec<Item>) -> Result<()> {
        self.write(Op::Import(items)).await.map(|_| ()).map_err(|e| Error::Backup { line: 0, message: e.to_string() })
    }
}
