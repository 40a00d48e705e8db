//! # chamado-auth
//!
//! What every host of [chamado] needs to establish who calls, without a web stack: Argon2id password
//! hashing on a bounded set of threads ([`password`]; hashes imported from OTRS/Znuny are checked by
//! [`legacy_hash`] until the next login stores them again), random secrets and their hashes ([`secret`]),
//! and agent API tokens ([`agent_token`]: issue, install, revoke, and the token check with its
//! per-hash memory, [`token_logins`]). The HTTP adapter's login and token checks and the admin command
//! line both use it; what a caller may do is still the engine's decision.
#![forbid(unsafe_code)]

pub mod agent_token;
pub mod csrf;
mod hash_pool;
pub mod legacy_hash;
pub mod password;
pub mod secret;
pub mod token_logins;
