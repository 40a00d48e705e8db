//! A password change ends what the old password let in: every sign-in session of that user and, for an
//! agent, every API token, except the one credential the change was made with (whoever changes their
//! own password stays signed in on that request's session or token). The rule lives here, once, and
//! runs inside [`Admin::put_agent`] and [`Admin::put_customer_user`], so every path that writes a
//! password (the API, the console, the command line, [`Engine::change_own_password`]) gets it.
//!
//! Setting a first password (the user had none) ends nothing: nothing was let in by a password yet.
//! Nor does a new hash of the same password ([`Engine::upgrade_password_hash`]: an imported OTRS hash
//! stored again as Argon2id when its user logs in).

use super::{SessionKind, keys};
use crate::directory::{Agent, CustomerUser, Record};
use crate::engine::{Actor, Admin, Engine};
use crate::error::{Error, Result};

/// The credential a request came with, known by its hash: it survives a password change its own user
/// makes on that request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'a> {
    /// A sign-in session of this kind, by its token hash.
    Session(SessionKind, &'a str),
    /// An agent API token, by its hash.
    ApiToken(&'a str),
}

/// True when `before` had a password and `after` is a different one (or none): a change or a reset.
fn changed(before: Option<&Option<String>>, after: &Option<String>) -> bool {
    matches!(before, Some(Some(old)) if Some(old) != after.as_ref())
}

impl Admin<'_> {
    /// [`Admin::put_agent`], keeping `keep` alive if the agent's password changes (the caller's own
    /// credential when agents change their own password). A changed password revokes the agent's other
    /// API tokens and ends its other console sessions.
    pub async fn put_agent_keeping(&self, mut agent: Agent, keep: Option<Credential<'_>>) -> Result<()> {
        let before = self.engine.agent(&agent.login).await?;
        if !changed(before.as_ref().map(|a| &a.password_hash), &agent.password_hash) {
            return self.store_agent(agent).await;
        }
        let kept = match keep {
            Some(Credential::ApiToken(h)) => Some(h),
            _ => None,
        };
        let (stay, revoked): (Vec<String>, Vec<String>) =
            agent.token_hashes.into_iter().partition(|h| Some(h.as_str()) == kept);
        agent.token_hashes = stay;
        let login = agent.login.clone();
        // The record first: from then on the revoked tokens are refused, whatever happens to the index.
        self.store_agent(agent).await?;
        for hash in &revoked {
            if let Ok(hash) = keys::part("an API token hash", hash, true) {
                self.engine.store().put_meta(&keys::api_token(hash), None).await?;
            }
        }
        self.engine.end_sessions_keeping(SessionKind::Agent, &login, keep).await
    }

    /// [`Admin::put_customer_user`], keeping `keep` alive if the customer user's password changes. A
    /// changed password ends the customer user's other sessions (portal and API).
    pub async fn put_customer_user_keeping(&self, user: CustomerUser, keep: Option<Credential<'_>>) -> Result<()> {
        let before = self.engine.customer_user(&user.login).await?;
        let ended = changed(before.as_ref().map(|u| &u.password_hash), &user.password_hash);
        let login = user.login.clone();
        self.store_customer_user(user).await?;
        if ended {
            self.engine.end_sessions_keeping(SessionKind::Customer, &login, keep).await?;
        }
        Ok(())
    }
}

impl Engine {
    /// Sets the password of the caller itself (an agent or a customer user) to `password_hash`, made
    /// by the adapter after it checked the current password. The caller's other sessions and (agents)
    /// API tokens end; `current`, the credential of this request, stays valid.
    pub async fn change_own_password(&self, actor: &Actor, password_hash: &str, current: Credential<'_>) -> Result<()> {
        if password_hash.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-password-empty")));
        }
        // The caller acts on its own record only, so no admin right is needed.
        let admin = Admin { engine: self, actor: "system".to_string() };
        match actor {
            Actor::Agent(login) => {
                let mut agent = self.agent(login).await?.ok_or_else(|| {
                    Error::not_found(
                        chamado_i18n::Message::new("error-agent-not-found").arg("login", format!("{login:?}")),
                    )
                })?;
                agent.password_hash = Some(password_hash.to_string());
                admin.put_agent_keeping(agent, Some(current)).await
            }
            Actor::CustomerUser(login) => {
                let mut user = self.customer_user(login).await?.ok_or_else(|| {
                    Error::not_found(
                        chamado_i18n::Message::new("error-customer-user-not-found").arg("login", format!("{login:?}")),
                    )
                })?;
                user.password_hash = Some(password_hash.to_string());
                admin.put_customer_user_keeping(user, Some(current)).await
            }
            Actor::System => Err(Error::permission_denied("the system has no password")),
        }
    }

    /// Replaces the password hash of `user` (an agent or a customer user) with `new_hash`, a new hash of
    /// the same password, when the stored hash is still `old_hash`; answers whether it did. The adapter
    /// makes `new_hash` from the password it just checked against `old_hash` (an imported OTRS/Znuny hash
    /// upgraded at login). The password stays the same, so this is no password change: every session
    /// and API token stays, and no event is written, since nothing an integration sees changed. A
    /// stored hash that changed in the meantime (a password change won the race) is left alone.
    pub async fn upgrade_password_hash(&self, user: &Actor, old_hash: &str, new_hash: &str) -> Result<bool> {
        if new_hash.is_empty() {
            return Err(Error::validation(chamado_i18n::Message::new("error-password-empty")));
        }
        let still = |stored: &Option<String>| stored.as_deref() == Some(old_hash);
        let record = match user {
            Actor::Agent(login) => match self.agent(login).await? {
                Some(mut a) if still(&a.password_hash) => {
                    a.password_hash = Some(new_hash.to_string());
                    Record::Agent(a)
                }
                _ => return Ok(false),
            },
            Actor::CustomerUser(login) => match self.customer_user(login).await? {
                Some(mut u) if still(&u.password_hash) => {
                    u.password_hash = Some(new_hash.to_string());
                    Record::CustomerUser(u)
                }
                _ => return Ok(false),
            },
            Actor::System => return Err(Error::permission_denied("the system has no password")),
        };
        record.validate()?;
        self.store().put_record(record).await?;
        self.invalidate_directory();
        Ok(true)
    }

    /// Ends every session of `kind` of `login`, but `keep` when it is one of them.
    async fn end_sessions_keeping(&self, kind: SessionKind, login: &str, keep: Option<Credential<'_>>) -> Result<()> {
        self.close_sessions_of(kind, login).await?;
        match keep {
            Some(Credential::Session(k, hash)) if k == kind => self.renew_session(kind, login, hash).await,
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::changed;

    #[test]
    fn only_a_password_that_existed_counts_as_changed() {
        let (a, b) = (Some("a".to_string()), Some("b".to_string()));
        assert!(changed(Some(&a), &b), "another password");
        assert!(changed(Some(&a), &None), "a removed password");
        assert!(!changed(Some(&a), &a), "the same hash");
        assert!(!changed(Some(&None), &b), "a first password");
        assert!(!changed(None, &b), "a new user");
    }
}
