//! Which agent an API token belongs to, remembered per token hash so that a request does not read the
//! token index. The index entry of a hash never changes (tokens are random, installing one again names
//! the same agent), and revocation removes the hash from the agent record, which is checked on every
//! request against the engine's directory snapshot: remembering the login cannot keep a revoked token
//! alive.

use std::collections::HashMap;
use std::sync::RwLock;

/// At most this many hashes are remembered; when full, the map starts over. Only hashes found in the
/// index are remembered, so unknown tokens cannot fill it.
const CAPACITY: usize = 65_536;

/// Token hash → agent login.
#[derive(Debug, Default)]
pub struct TokenLogins {
    map: RwLock<HashMap<String, String>>,
}

impl TokenLogins {
    /// The agent remembered for `hash`.
    pub fn get(&self, hash: &str) -> Option<String> {
        self.map.read().unwrap_or_else(|e| e.into_inner()).get(hash).cloned()
    }

    /// Remembers that `hash` belongs to `login`.
    pub fn remember(&self, hash: &str, login: &str) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(hash.to_string(), login.to_string());
    }

    /// Forgets `hash` (its index entry changed or went away).
    pub fn forget(&self, hash: &str) {
        self.map.write().unwrap_or_else(|e| e.into_inner()).remove(hash);
    }
}
