//! What people may change about themselves without an admin: their language and (agents) time zone.

use super::{Actor, Admin, Engine};
use crate::error::{Error, Result};

/// A person's own choices; `None` (or empty) means "the system's" (for the language: the browser's,
/// else the system's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// A language tag, e.g. `pt-BR`.
    pub language: Option<String>,
    /// An IANA time zone name, e.g. `America/Sao_Paulo`; agents only.
    pub time_zone: Option<String>,
}

impl Engine {
    /// Sets the caller's own language and (agents) time zone; everything else about them stays,
    /// passwords and sessions included. Customer users have no time zone of their own: their times are
    /// the system's.
    pub async fn set_own_preferences(&self, actor: &Actor, prefs: Preferences) -> Result<()> {
        // The caller acts on its own record only, so no admin right is needed.
        let admin = Admin { engine: self, actor: "system".to_string() };
        match actor {
            Actor::Agent(login) => {
                let mut agent = self.agent(login).await?.ok_or_else(|| {
                    Error::not_found(
                        chamado_i18n::Message::new("error-agent-not-found").arg("login", format!("{login:?}")),
                    )
                })?;
                agent.language = prefs.language;
                agent.time_zone = prefs.time_zone;
                admin.put_agent_keeping(agent, None).await
            }
            Actor::CustomerUser(login) => {
                if prefs.time_zone.as_deref().is_some_and(|z| !z.trim().is_empty()) {
                    return Err(Error::validation(chamado_i18n::Message::new("error-customer-user-no-time-zone")));
                }
                let mut user = self.customer_user(login).await?.ok_or_else(|| {
                    Error::not_found(
                        chamado_i18n::Message::new("error-customer-user-not-found").arg("login", format!("{login:?}")),
                    )
                })?;
                user.language = prefs.language;
                admin.put_customer_user_keeping(user, None).await
            }
            Actor::System => Err(Error::permission_denied("the system has no preferences")),
        }
    }
}
