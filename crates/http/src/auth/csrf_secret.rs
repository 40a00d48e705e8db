//! The CSRF secret kept in the store, so forms survive restarts and every node on a shared store
//! (several helpdesks on one PostgreSQL) checks the same tokens without a setting to copy around.

use chamado::Engine;
use chamado_auth::secret::{RandomError, secret};

/// Where the secret is kept: an adapter value of the engine's.
const ADAPTER: &str = "http";
const NAME: &str = "csrf-secret";

/// Why the stored secret could not be had.
#[derive(Debug, thiserror::Error)]
pub enum CsrfSecretError {
    /// The store failed.
    #[error("the CSRF secret could not be read or saved: {0}")]
    Store(#[from] chamado::Error),
    /// No random secret could be drawn.
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// The store's CSRF secret for [`crate::HttpConfig::csrf_secret`], drawn and saved on first use. Two
/// nodes starting at once may both draw one; each then reads back what was saved last, so they agree
/// from their next start at the latest, and a form of the losing key only needs a reload.
pub async fn stored_csrf_secret(engine: &Engine) -> Result<String, CsrfSecretError> {
    if let Some(existing) = engine.cursor(ADAPTER, NAME).await? {
        return Ok(existing);
    }
    let drawn = secret("")?;
    engine.set_cursor(ADAPTER, NAME, Some(&drawn)).await?;
    Ok(engine.cursor(ADAPTER, NAME).await?.unwrap_or(drawn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::MemoryStore;

    #[tokio::test]
    async fn the_secret_is_drawn_once_and_kept() {
        let engine = Engine::builder(MemoryStore::new()).build().unwrap_or_else(|e| unreachable!("{e}"));
        let first = stored_csrf_secret(&engine).await.unwrap_or_else(|e| unreachable!("{e}"));
        let second = stored_csrf_secret(&engine).await.unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(first.len(), 64);
        assert_eq!(first, second);
    }
}
