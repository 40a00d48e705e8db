//! The health probe hosts expose (`/healthz`).

use super::keys;
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    /// Succeeds when the store answers a read.
    pub async fn check_store(&self) -> Result<()> {
        self.store().meta(keys::HEALTH_PROBE).await?;
        Ok(())
    }
}
