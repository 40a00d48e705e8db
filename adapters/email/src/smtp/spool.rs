//! Where message data waits while it arrives: in memory while the messages of all sessions together stay
//! within a budget, in a temporary file beyond it. Without a budget, every session may hold a message of
//! the size limit in memory at once (64 x 25 MiB by default), and slow clients hold it for as long as
//! they take. A message on disk is read back for parsing only when the budget has room for it, so the
//! memory of messages being received and taken stays near the budget whatever the clients do.

use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The budget is counted in KiB.
const UNIT: usize = 1024;

/// A listener's memory budget for message data, and the folder of its overflow files.
#[derive(Debug)]
pub(super) struct Spool {
    budget: Arc<Semaphore>,
    units: u32,
    dir: PathBuf,
}

impl Spool {
    /// A budget of `bytes`; overflow files go to `dir`.
    pub(super) fn new(bytes: usize, dir: PathBuf) -> Self {
        let most = u32::try_from(Semaphore::MAX_PERMITS).unwrap_or(u32::MAX);
        let units = u32::try_from(bytes / UNIT).unwrap_or(u32::MAX).min(most);
        Spool { budget: Arc::new(Semaphore::new(units as usize)), units, dir }
    }

    /// A message about to arrive, in memory until the budget runs out.
    pub(super) fn message(self: &Arc<Self>) -> Incoming {
        Incoming { spool: self.clone(), memory: Vec::with_capacity(8192), held: Vec::new(), held_units: 0, file: None }
    }

    /// The budget's units for `bytes` (rounded up, at most the whole budget, so a message larger than
    /// the budget can still be taken, alone).
    fn units_for(&self, bytes: usize) -> u32 {
        u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX).min(self.units)
    }
}

/// A message's overflow file: removed when dropped.
struct Overflow {
    file: tokio::fs::File,
    path: tempfile::TempPath,
    len: usize,
}

/// A message being received.
pub(super) struct Incoming {
    spool: Arc<Spool>,
    memory: Vec<u8>,
    held: Vec<OwnedSemaphorePermit>,
    held_units: u32,
    file: Option<Overflow>,
}

impl Incoming {
    /// Bytes received so far.
    pub(super) fn len(&self) -> usize {
        self.file.as_ref().map_or(0, |f| f.len) + self.memory.len()
    }

    /// The buffer new data is appended to; call [`Incoming::settle`] after appending.
    pub(super) fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.memory
    }

    /// Accounts for what was appended: keeps it in memory while the budget allows, else moves it to
    /// the overflow file. `Err` when the file cannot be written (a full disk).
    pub(super) async fn settle(&mut self) -> std::io::Result<()> {
        if self.file.is_none() {
            let need = u32::try_from(self.memory.len().div_ceil(UNIT)).unwrap_or(u32::MAX);
            if need <= self.held_units {
                return Ok(());
            }
            if need <= self.spool.units
                && let Ok(more) = self.spool.budget.clone().try_acquire_many_owned(need - self.held_units)
            {
                self.held.push(more);
                self.held_units = need;
                return Ok(());
            }
            let named = tempfile::Builder::new().prefix("chamado-mail-").tempfile_in(&self.spool.dir)?;
            let file = tokio::fs::File::from_std(named.reopen()?);
            self.file = Some(Overflow { file, path: named.into_temp_path(), len: 0 });
            tracing::debug!(dir = %self.spool.dir.display(), "mail memory budget reached; message data goes to disk");
        }
        if let Some(f) = self.file.as_mut() {
            f.file.write_all(&self.memory).await?;
            f.len += self.memory.len();
            self.memory.clear();
            // What stays in memory is only the chunk in hand: give the budget back.
            self.held.clear();
            self.held_units = 0;
        }
        Ok(())
    }

    /// Leaves the message (too big, or failed): memory, budget and file are given back.
    pub(super) fn discard(&mut self) {
        self.memory = Vec::new();
        self.held.clear();
        self.held_units = 0;
        self.file = None;
    }

    /// The whole message in memory, with its share of the budget (hold it while the message is
    /// parsed and taken). A message on disk waits for room in the budget, then is read back.
    pub(super) async fn finish(mut self) -> std::io::Result<(Vec<u8>, Vec<OwnedSemaphorePermit>)> {
        let Some(mut f) = self.file.take() else { return Ok((self.memory, self.held)) };
        let total = f.len + self.memory.len();
        f.file.write_all(&self.memory).await?;
        f.file.flush().await?;
        self.memory = Vec::new();
        let units = self.spool.units_for(total);
        let held = match self.spool.budget.clone().acquire_many_owned(units).await {
            Ok(p) => vec![p],
            // The semaphore is never closed; were it, reading without a share is still correct.
            Err(_) => Vec::new(),
        };
        let bytes = tokio::fs::read(&f.path).await?;
        Ok((bytes, held))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn data_beyond_the_budget_goes_to_disk_and_comes_back_whole() {
        let dir = std::env::temp_dir().join(format!("chamado-spool-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let spool = Arc::new(Spool::new(4 * UNIT, dir.clone()));
        let mut small = spool.message();
        small.buffer().extend_from_slice(&[b'a'; 3000]);
        assert!(small.settle().await.is_ok());
        assert!(small.file.is_none(), "within the budget: memory");
        let mut big = spool.message();
        for _ in 0..10 {
            big.buffer().extend_from_slice(&[b'b'; 1000]);
            assert!(big.settle().await.is_ok());
        }
        assert!(big.file.is_some(), "over what is left of the budget: disk");
        let mut alone = Arc::new(Spool::new(4 * UNIT, dir.clone())).message();
        alone.buffer().extend_from_slice(&[b'c'; 5000]);
        assert!(alone.settle().await.is_ok());
        assert!(alone.file.is_some(), "larger than the whole budget: disk");
        drop(alone);
        assert_eq!(big.len(), 10_000);
        assert_eq!(std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0), 1);
        let (bytes, _) = small.finish().await.unwrap_or_default();
        assert_eq!(bytes.len(), 3000);
        let (bytes, held) = big.finish().await.unwrap_or_default();
        assert_eq!(bytes, vec![b'b'; 10_000]);
        assert!(!held.is_empty(), "holds the budget while it is taken");
        assert_eq!(std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(9), 0, "the file is gone");
        let _ = std::fs::remove_dir(&dir);
    }
}
