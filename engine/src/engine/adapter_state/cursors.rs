//! Where an adapter is in a stream it reads or writes, kept durably so that a restart resumes there:
//! named cursors (the Telegram update offset, a mailbox's last seen message) and the progress through
//! the parts of one outbox delivery.

use super::keys;
use crate::engine::Engine;
use crate::error::Result;
use crate::ids::OutboxId;

impl Engine {
    /// Cursor `name` of `adapter`, if one was saved.
    pub async fn cursor(&self, adapter: &str, name: &str) -> Result<Option<String>> {
        let key =
            keys::cursor(keys::part("an adapter name", adapter, false)?, keys::part("a cursor name", name, true)?);
        Ok(self.store().meta(&key).await?.and_then(|b| String::from_utf8(b).ok()))
    }

    /// Saves (`Some`) or removes (`None`) cursor `name` of `adapter`, durably.
    pub async fn set_cursor(&self, adapter: &str, name: &str, value: Option<&str>) -> Result<()> {
        let key =
            keys::cursor(keys::part("an adapter name", adapter, false)?, keys::part("a cursor name", name, true)?);
        Ok(self.store().put_meta(&key, value.map(|v| v.as_bytes().to_vec())).await?)
    }

    /// How many parts of the delivery of outbox entry `outbox` `adapter` has sent (0 when none were
    /// recorded), so a retry sends only the rest.
    pub async fn delivery_progress(&self, adapter: &str, outbox: OutboxId) -> Result<usize> {
        let key = keys::delivery_progress(keys::part("an adapter name", adapter, false)?, outbox);
        let bytes = self.store().meta(&key).await?;
        Ok(bytes.and_then(|b| std::str::from_utf8(&b).ok()?.parse().ok()).unwrap_or(0))
    }

    /// Records (`Some`) how many parts of a delivery are sent, or forgets it (`None`) when the delivery
    /// is over.
    pub async fn set_delivery_progress(&self, adapter: &str, outbox: OutboxId, done: Option<usize>) -> Result<()> {
        let key = keys::delivery_progress(keys::part("an adapter name", adapter, false)?, outbox);
        Ok(self.store().put_meta(&key, done.map(|d| d.to_string().into_bytes())).await?)
    }
}

impl Engine {
    /// The store write that saves an inbound message's checkpoint as its adapter's cursor; checked
    /// before the message is taken, so that a bad name refuses the message rather than its commit.
    pub(crate) fn checkpoint_write(&self, c: &crate::inbound::Checkpoint) -> Result<crate::store::MetaWrite> {
        let key = keys::cursor(
            keys::part("an adapter name", &c.adapter, false)?,
            keys::part("a cursor name", &c.name, true)?,
        );
        Ok(crate::store::MetaWrite { key, value: Some(c.value.as_bytes().to_vec()) })
    }
}
