use crate::error::Result;
use crate::store::Store;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Hands out counter values from blocks reserved in the store, so most ids cost no store round trip.
/// Every reserved value is used: concurrent refills queue their blocks instead of replacing each other.
/// A block lost in a crash leaves a gap; the store never hands out a value twice.
#[derive(Debug, Default)]
pub(super) struct Allocator {
    blocks: Mutex<HashMap<String, VecDeque<(u64, u64)>>>,
}

impl Allocator {
    pub(super) async fn next(&self, store: &dyn Store, scope: &str, block: u64) -> Result<u64> {
        if let Some(v) = self.take(scope) {
            return Ok(v);
        }
        let block = block.max(1);
        let first = store.allocate(scope, block).await?;
        if block > 1 {
            let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
            blocks.entry(scope.to_string()).or_default().push_back((first + 1, first + block));
        }
        Ok(first)
    }

    /// Drops the values reserved for `scope` and not handed out: the store's counter moved past them
    /// (an import brought in numbers they would make).
    pub(super) fn forget(&self, scope: &str) {
        self.blocks.lock().unwrap_or_else(|e| e.into_inner()).remove(scope);
    }

    fn take(&self, scope: &str) -> Option<u64> {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let queue = blocks.get_mut(scope)?;
        while let Some((next, end)) = queue.front_mut() {
            if *next < *end {
                let v = *next;
                *next += 1;
                return Some(v);
            }
            queue.pop_front();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_store::MemoryStore;

    #[test]
    fn concurrent_refills_lose_no_values() {
        pollster::block_on(async {
            let store = MemoryStore::new();
            let a = Allocator::default();
            // Two refills in a row (as two tasks would do concurrently) each keep their block.
            let first = a.next(&store, "s", 4).await.unwrap();
            a.blocks.lock().unwrap().clear();
            let second = a.next(&store, "s", 4).await.unwrap();
            assert_eq!((first, second), (1, 5));
            let rest: Vec<u64> = (0..3).map(|_| a.take("s").unwrap()).collect();
            assert_eq!(rest, vec![6, 7, 8]);
            assert_eq!(a.next(&store, "s", 4).await.unwrap(), 9, "then a fresh block");
        });
    }
}
