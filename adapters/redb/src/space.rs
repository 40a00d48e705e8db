//! The free-space guard in front of every write transaction.
//!
//! redb treats a failed write (ENOSPC during a commit) as fatal for the open database: every later
//! operation answers "previous I/O error" until the file is closed and reopened. So the writer stops
//! short of a full disk instead: below the reserve it refuses the batch without touching the file,
//! reads go on, and writes work again by themselves once space returns.

use crate::error::{Error, Result};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a generous reading (at least twice the reserve free) is trusted before asking again.
const TRUST_PLENTY_FOR: Duration = Duration::from_millis(100);

/// Checks the free space of the filesystem holding the store file.
pub(crate) struct SpaceGuard {
    path: PathBuf,
    reserve: u64,
    plenty_until: Option<Instant>,
}

impl SpaceGuard {
    /// A guard keeping `reserve` bytes free on the filesystem of `path` (0: no check).
    pub(crate) fn new(path: PathBuf, reserve: u64) -> Self {
        SpaceGuard { path, reserve, plenty_until: None }
    }

    /// `Err(Error::DiskFull)` when less than the reserve is free. A filesystem that cannot be asked
    /// passes: the guard only ever spares redb an error, it never invents one.
    pub(crate) fn check(&mut self) -> Result<()> {
        if self.reserve == 0 || self.plenty_until.is_some_and(|t| Instant::now() < t) {
            return Ok(());
        }
        let Some(free) = free_bytes(&self.path) else { return Ok(()) };
        if free < self.reserve {
            self.plenty_until = None;
            return Err(Error::DiskFull { path: self.path.clone(), free, reserve: self.reserve });
        }
        // A check per batch costs a syscall; with room for many batches, skip a few.
        self.plenty_until = (free / 2 >= self.reserve).then(|| Instant::now() + TRUST_PLENTY_FOR);
        Ok(())
    }
}

#[cfg(unix)]
fn free_bytes(path: &std::path::Path) -> Option<u64> {
    let st = rustix::fs::statvfs(path).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_path: &std::path::Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserve_larger_than_any_disk_refuses_and_zero_disables() {
        let dir = std::env::temp_dir();
        let mut huge = SpaceGuard::new(dir.clone(), u64::MAX);
        if cfg!(unix) {
            assert!(matches!(huge.check(), Err(Error::DiskFull { .. })));
        }
        assert!(SpaceGuard::new(dir.clone(), 0).check().is_ok());
        assert!(SpaceGuard::new(dir, 1).check().is_ok());
    }
}
