//! Linking a chat account to an existing customer user with a one-time code: the portal or the API
//! has the adapter make a code for a signed-in customer user, the person sends it from the chat, and
//! the chat identity moves to that customer user.

use super::json::{Object, Value};
use super::keys;
use crate::engine::{Actor, Engine};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use std::time::Duration;

/// Why a link code was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Unknown, used or expired.
    InvalidCode,
    /// The customer user behind the code is gone or invalid.
    UserUnavailable,
}

/// Longest link code accepted.
const MAX_CODE: usize = 64;

fn code_ok(code: &str) -> bool {
    !code.is_empty() && code.len() <= MAX_CODE && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Engine {
    /// Records `code` (made by the adapter: 1-64 ASCII letters and digits) as a one-time link code of
    /// chat network `network` for valid customer user `login`, valid for `ttl`; returns when it
    /// expires. `NotFound` when there is no such valid customer user.
    pub async fn issue_link_code(&self, network: &str, login: &str, code: &str, ttl: Duration) -> Result<Timestamp> {
        let network = keys::part("a chat network", network, false)?;
        if !code_ok(code) {
            return Err(Error::validation(format!("a link code must be 1-{MAX_CODE} ASCII letters and digits")));
        }
        match self.customer_user(login).await? {
            Some(u) if u.valid => {}
            _ => {
                return Err(Error::not_found(
                    chamado_i18n::Message::new("error-customer-user-not-found").arg("login", format!("{login:?}")),
                ));
            }
        }
        let expires_at = self.now().plus(ttl);
        let stored = Object::new()
            .with("login", Value::Str(login.to_string()))
            .with("expires_at", Value::Int(expires_at.as_millis()));
        self.store().put_meta(&keys::link_code(network, code), Some(stored.to_bytes())).await?;
        Ok(expires_at)
    }

    /// Redeems link `code` of `network` for the chat `identity`: the identity moves to the code's
    /// customer user (from the one it was bound to, if any, such as an auto-created user) and the code
    /// is used up. Returns the login now bound.
    pub async fn redeem_link_code(
        &self,
        network: &str,
        code: &str,
        identity: &str,
    ) -> Result<std::result::Result<String, LinkRefusal>> {
        let network = keys::part("a chat network", network, false)?;
        if !code_ok(code) {
            return Ok(Err(LinkRefusal::InvalidCode));
        }
        let key = keys::link_code(network, code);
        let Some(bytes) = self.store().meta(&key).await? else { return Ok(Err(LinkRefusal::InvalidCode)) };
        let now = self.now().as_millis();
        let live = Object::parse(&bytes).filter(|o| o.int("expires_at").is_some_and(|exp| now <= exp));
        if live.as_ref().is_some_and(|o| o.str("agent").is_some()) {
            // An agent's code: only [`Engine::redeem_agent_link_code`] takes it.
            return Ok(Err(LinkRefusal::InvalidCode));
        }
        let Some(login) = live.as_ref().and_then(|o| o.str("login")).map(str::to_string) else {
            // Unreadable or expired: of no further use.
            self.store().put_meta(&key, None).await?;
            return Ok(Err(LinkRefusal::InvalidCode));
        };
        let mut target = match self.customer_user(&login).await? {
            Some(u) if u.valid => u,
            _ => return Ok(Err(LinkRefusal::UserUnavailable)),
        };
        let admin = self.admin(&Actor::System).await?;
        if let Some(mut previous) = self.customer_user_by_identity(identity).await?
            && previous.login != target.login
        {
            previous.identities.retain(|i| i != identity);
            admin.put_customer_user(previous).await?;
        }
        if !target.identities.iter().any(|i| i == identity) {
            target.identities.push(identity.to_string());
            admin.put_customer_user(target.clone()).await?;
        }
        self.store().put_meta(&key, None).await?;
        Ok(Ok(target.login))
    }

    /// Records `code` as a one-time code with which valid agent `login` links a chat of `network`
    /// (where the agent's Telegram notifications then go), valid for `ttl`; returns when it expires.
    pub async fn issue_agent_link_code(
        &self,
        network: &str,
        login: &str,
        code: &str,
        ttl: Duration,
    ) -> Result<Timestamp> {
        let network = keys::part("a chat network", network, false)?;
        if !code_ok(code) {
            return Err(Error::validation(format!("a link code must be 1-{MAX_CODE} ASCII letters and digits")));
        }
        match self.agent(login).await? {
            Some(a) if a.valid => {}
            _ => {
                return Err(Error::not_found(
                    chamado_i18n::Message::new("error-agent-not-found").arg("login", format!("{login:?}")),
                ));
            }
        }
        let expires_at = self.now().plus(ttl);
        let stored = Object::new()
            .with("agent", Value::Str(login.to_string()))
            .with("expires_at", Value::Int(expires_at.as_millis()));
        self.store().put_meta(&keys::link_code(network, code), Some(stored.to_bytes())).await?;
        Ok(expires_at)
    }

    /// Redeems an agent's link `code` of `network` from chat `chat_id`: the chat becomes the agent's
    /// [`crate::Agent::telegram_chat`] (taken from any other agent who had it) and the code is used
    /// up. Returns the agent's login; a customer user's code is left for
    /// [`Engine::redeem_link_code`].
    pub async fn redeem_agent_link_code(
        &self,
        network: &str,
        code: &str,
        chat_id: &str,
    ) -> Result<std::result::Result<String, LinkRefusal>> {
        let network = keys::part("a chat network", network, false)?;
        if !code_ok(code) || chat_id.is_empty() || chat_id.len() > MAX_CODE {
            return Ok(Err(LinkRefusal::InvalidCode));
        }
        let key = keys::link_code(network, code);
        let Some(bytes) = self.store().meta(&key).await? else { return Ok(Err(LinkRefusal::InvalidCode)) };
        let now = self.now().as_millis();
        let Some(stored) = Object::parse(&bytes) else { return Ok(Err(LinkRefusal::InvalidCode)) };
        let Some(login) = stored.str("agent").map(str::to_string) else { return Ok(Err(LinkRefusal::InvalidCode)) };
        if stored.int("expires_at").is_none_or(|exp| now > exp) {
            self.store().put_meta(&key, None).await?;
            return Ok(Err(LinkRefusal::InvalidCode));
        }
        let mut agent = match self.agent(&login).await? {
            Some(a) if a.valid => a,
            _ => return Ok(Err(LinkRefusal::UserUnavailable)),
        };
        let admin = self.admin(&Actor::System).await?;
        for r in self.all_records(crate::directory::RecordKind::Agent, "").await? {
            if let crate::directory::Record::Agent(mut other) = r
                && other.login != login
                && other.telegram_chat.as_deref() == Some(chat_id)
            {
                other.telegram_chat = None;
                admin.put_agent_keeping(other, None).await?;
            }
        }
        agent.telegram_chat = Some(chat_id.to_string());
        admin.put_agent_keeping(agent, None).await?;
        self.store().put_meta(&key, None).await?;
        Ok(Ok(login))
    }
}
