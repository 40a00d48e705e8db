//! The schema version stored in the file, checked on every open.

use crate::error::{Error, Result};
use crate::tables::{SCHEMA, WriteTables};
use redb::{Database, ReadableDatabase, TableHandle};
use std::path::Path;

/// The name of the table holding the schema version (`"version"` -> `u64`).
pub const SCHEMA_TABLE: &str = "chamado_schema";

/// The schema version this build reads and writes. Bump it whenever a table, key encoding or value
/// layout changes, and add a migration or let older files fail with [`Error::SchemaMismatch`].
pub const SCHEMA_VERSION: u64 = 1;

/// The key of the version row.
const VERSION_KEY: &str = "version";

/// Checks the file's schema version, initialising an empty file. Fails on another version.
pub(crate) fn check_or_init(db: &Database, path: &Path) -> Result<()> {
    {
        let read = db.begin_read()?;
        let mut has_tables = false;
        for t in read.list_tables()? {
            has_tables = true;
            if t.name() == SCHEMA_TABLE {
                let table = read.open_table(SCHEMA)?;
                return match table.get(VERSION_KEY)? {
                    Some(v) if v.value() == SCHEMA_VERSION => Ok(()),
                    Some(v) => Err(Error::SchemaMismatch {
                        path: path.to_path_buf(),
                        found: v.value(),
                        expected: SCHEMA_VERSION,
                    }),
                    None => Err(Error::NotAStore { path: path.to_path_buf() }),
                };
            }
        }
        if has_tables {
            return Err(Error::NotAStore { path: path.to_path_buf() });
        }
    }
    let txn = db.begin_write()?;
    {
        let mut schema = txn.open_table(SCHEMA)?;
        schema.insert(VERSION_KEY, SCHEMA_VERSION)?;
        WriteTables::open(&txn)?;
    }
    txn.commit()?;
    Ok(())
}
