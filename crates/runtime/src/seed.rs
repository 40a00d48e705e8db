//! First start: an empty store gets the OTRS defaults before anything else touches it.

use chamado::Engine;

/// Seeds an empty store with the OTRS defaults (states, priorities, queues, the agent `admin_login`)
/// and returns true; a store that has them already is left as it is (false), so every start may call
/// it.
pub async fn first_start(engine: &Engine, admin_login: &str) -> Result<bool, chamado::Error> {
    engine.seed_defaults(admin_login).await
}
