//! Which customer user a Telegram user acts as.

use crate::error::TelegramError;
use chamado::{Actor, CustomerUser, Engine, UnknownSenderPolicy};

/// The identity (and auto-created login) of a Telegram user: `<network>:<user id>`.
pub fn identity(network: &str, user_id: u64) -> String {
    format!("{network}:{user_id}")
}

/// The customer user bound to `identity`, if any.
pub async fn bound_user(engine: &Engine, identity: &str) -> Result<Option<CustomerUser>, TelegramError> {
    Ok(engine.customer_user_by_identity(identity).await?)
}

/// The customer user bound to `identity`, creating `identity` as a new customer user when the
/// engine's unknown-sender policy allows it. `Ok(None)` when the policy refuses unknown users.
pub async fn ensure_user(
    engine: &Engine,
    identity: &str,
    display_name: &str,
) -> Result<Option<CustomerUser>, TelegramError> {
    if let Some(u) = bound_user(engine, identity).await? {
        return Ok(Some(u));
    }
    if engine.config().unknown_sender == UnknownSenderPolicy::Reject {
        return Ok(None);
    }
    if let Some(existing) = engine.customer_user(identity).await? {
        // A user with this login exists but lost the identity (it was linked elsewhere and unlinked).
        return Ok(Some(existing));
    }
    // The same shape the engine gives chat senders it creates on intake.
    let mut user = CustomerUser::new(identity, "", identity);
    user.identities.push(identity.to_string());
    user.first_name = display_name.trim().to_string();
    engine.admin(&Actor::System).await?.put_customer_user(user.clone()).await?;
    tracing::info!(login = identity, "created customer user for telegram user");
    Ok(Some(user))
}
