//! Which store the helpdesk runs on: the embedded redb file (default) or PostgreSQL when
//! `CHAMADO_DATABASE_URL` is set (several helpdesk nodes on one database).

use chamado::Store;
use std::path::Path;
use std::sync::Arc;

/// The redb file inside the data directory.
pub const STORE_FILE: &str = "chamado.redb";

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The redb file.
    #[error("opening the store {path}: {source}")]
    Redb {
        /// The file.
        path: String,
        /// Why.
        source: chamado_redb::Error,
    },
    /// PostgreSQL.
    #[error("opening the PostgreSQL store: {0}")]
    Postgres(#[from] chamado_postgres::Error),
}

/// An open store, and the PostgreSQL handle when that is what it is (for node leadership).
pub struct Opened {
    /// The store the engine runs on.
    pub store: Arc<dyn Store>,
    /// Set when the store is PostgreSQL.
    pub postgres: Option<chamado_postgres::PgStore>,
    /// For the start-up banner.
    pub describe: String,
}

/// Opens PostgreSQL when `database_url` is set, else the redb file in `data_dir` (with its search word
/// index when `full_text_search`, and a page cache of `cache_size` bytes).
pub async fn open(
    data_dir: &Path,
    database_url: Option<&str>,
    full_text_search: bool,
    cache_size: usize,
) -> Result<Opened, OpenError> {
    if let Some(url) = database_url {
        let pg = chamado_postgres::PgStore::connect(url).await?;
        return Ok(Opened {
            store: Arc::new(pg.clone()),
            postgres: Some(pg),
            describe: "PostgreSQL (CHAMADO_DATABASE_URL)".into(),
        });
    }
    let path = data_dir.join(STORE_FILE);
    let store = chamado_redb::RedbOptions::new()
        .full_text_search(full_text_search)
        .cache_size(cache_size)
        .open(&path)
        .map_err(|source| OpenError::Redb { path: path.display().to_string(), source })?;
    let search = if full_text_search { "full-text search on" } else { "full-text search off" };
    Ok(Opened { store: Arc::new(store), postgres: None, describe: format!("{} ({search})", path.display()) })
}
