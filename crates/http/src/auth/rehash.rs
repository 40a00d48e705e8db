//! Password hashes imported from OTRS/Znuny become Argon2id at the first login that matches them. The
//! password is the same, so the engine keeps every session and API token of the user
//! ([`chamado::Engine::upgrade_password_hash`]); a failure only leaves the old hash for the next login.

use super::password;
use chamado::{Actor, Engine};

/// Stores `pass` again as Argon2id for `user` when `stored`, the hash it was just checked against, is
/// not Argon2 already. Never fails the login: what goes wrong is logged for operators.
pub(super) async fn upgrade_if_needed(engine: &Engine, user: &Actor, stored: Option<&str>, pass: &str) {
    let Some(old) = stored.filter(|h| password::needs_rehash(h)) else { return };
    let new = match password::hash_async(pass.to_string()).await {
        Ok(new) => new,
        Err(e) => {
            tracing::warn!(%user, error = %e, "an imported password hash was not upgraded; the next login tries again");
            return;
        }
    };
    match engine.upgrade_password_hash(user, old, &new).await {
        Ok(true) => tracing::info!(%user, "an imported password hash was upgraded to Argon2id"),
        // The password changed while this login was checked: the new one stays.
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(%user, error = %e, "an imported password hash was not upgraded; the next login tries again")
        }
    }
}
