use crate::error::Result;
use crate::store::Store;
use std::collections::HashMap;
use std::sync::Mutex;

/// Hands out counter values from blocks reserved in the store, so most ids cost no store round trip.
/// A block lost in a crash leaves a gap; the store never hands out a value twice.
#[derive(Debug, Default)]
pub(super) struct Allocator {
    blocks: Mutex<HashMap<String, (u64, u64)>>,
}

impl Allocator {
    pub(super) async fn next(&self, store: &dyn Store, scope: &str, block: u64) -> Result<u64> {
        if let Some(v) = self.take(scope) {
            return Ok(v);
        }
        let block = block.max(1);
        let first = store.allocate(scope, block).await?;
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        // Another task may have refilled the scope meanwhile; keep whichever block, use ours now.
        if block > 1 {
            blocks.insert(scope.to_string(), (first + 1, first + block));
        }
        Ok(first)
    }

    fn take(&self, scope: &str) -> Option<u64> {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let (next, end) = blocks.get_mut(scope)?;
        if *next < *end {
            let v = *next;
            *next += 1;
            Some(v)
        } else {
            None
        }
    }
}
