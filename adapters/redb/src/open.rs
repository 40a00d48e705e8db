//! Opening a store from its options: here, not in `options`, so that the options know nothing of the
//! store they open.

use crate::error::Result;
use crate::options::RedbOptions;
use crate::store::RedbStore;
use std::path::Path;

impl RedbOptions {
    /// Opens (creating when missing) the store at `path`.
    pub fn open(self, path: impl AsRef<Path>) -> Result<RedbStore> {
        RedbStore::open_with(path.as_ref(), self)
    }
}
