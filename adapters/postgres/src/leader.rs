//! Leadership among nodes with a PostgreSQL session advisory lock: one node runs a singleton job (e.g.
//! Telegram long polling, which Telegram allows from one client only); when it dies its connection closes,
//! the lock is released, and another node takes over.

use crate::error::Error;
use crate::store::PgStore;
use std::time::Duration;
use tokio_postgres::{Client, NoTls};

/// Held while this node leads; dropping it (or losing the connection) gives leadership up.
pub struct Leadership {
    client: Client,
    connection: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership").field("lost", &self.client.is_closed()).finish()
    }
}

impl Leadership {
    /// True while the lock's connection is alive.
    pub fn is_held(&self) -> bool {
        !self.client.is_closed() && !self.connection.is_finished()
    }

    /// Resolves when leadership is lost (the database connection closed).
    pub async fn lost(&mut self) {
        let _ = (&mut self.connection).await;
    }
}

impl Drop for Leadership {
    fn drop(&mut self) {
        self.connection.abort();
    }
}

/// The lock key for a job name (a stable 64-bit FNV-1a hash, so every node derives the same key).
fn key(name: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    i64::from_ne_bytes(h.to_ne_bytes())
}

impl PgStore {
    /// Tries to become the leader for `job` without waiting: `Some` when this node now leads.
    pub async fn try_lead(&self, job: &str) -> Result<Option<Leadership>, Error> {
        let (client, conn) = self.config().connect(NoTls).await.map_err(|e| Error::Connect(e.to_string()))?;
        let connection = tokio::spawn(async move {
            let _ = conn.await;
        });
        let row = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key(job)])
            .await
            .map_err(|e| Error::Connect(e.to_string()))?;
        if row.get::<_, bool>(0) {
            Ok(Some(Leadership { client, connection }))
        } else {
            connection.abort();
            Ok(None)
        }
    }

    /// Waits until this node leads `job`, trying every `every`.
    pub async fn lead(&self, job: &str, every: Duration) -> Result<Leadership, Error> {
        loop {
            if let Some(l) = self.try_lead(job).await? {
                return Ok(l);
            }
            tokio::time::sleep(every).await;
        }
    }
}
