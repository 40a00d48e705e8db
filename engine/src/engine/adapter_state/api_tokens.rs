//! Agent API tokens. The adapter makes the secret and hands the engine only its hash (the engine has no
//! randomness); the hash is kept on [`Agent::token_hashes`](crate::Agent::token_hashes), where removing
//! it revokes the token, and in an index from hash to login, so a request finds its agent with one read.

use super::keys;
use crate::engine::{Admin, Engine};
use crate::error::{Error, Result};

fn checked_hash(token_hash: &str) -> Result<&str> {
    keys::part("an API token hash", token_hash, true)
}

impl Engine {
    /// The agent an API token hash was issued to, from the index (one store read), whether or not the
    /// token is still valid. The answer for a hash never changes while the hash is indexed, so callers
    /// may remember it and check [`Engine::api_token_valid`] on every use.
    pub async fn api_token_owner(&self, token_hash: &str) -> Result<Option<String>> {
        let Ok(hash) = checked_hash(token_hash) else { return Ok(None) };
        let Some(login) = self.store().meta(&keys::api_token(hash)).await? else { return Ok(None) };
        Ok(String::from_utf8(login).ok())
    }

    /// True when agent `login` exists, is valid and holds `token_hash` (not revoked), as of the
    /// directory snapshot (see [`Engine::agent_cached`]).
    pub async fn api_token_valid(&self, login: &str, token_hash: &str) -> Result<bool> {
        let holds = |a: &crate::Agent| a.valid && a.token_hashes.iter().any(|h| h == token_hash);
        // Every API request asks this: check the snapshot's record in place rather than copy it.
        if let Some(valid) = self.directory().await?.check_agent_record(login, holds) {
            return Ok(valid);
        }
        Ok(self.agent_cached(login).await?.is_some_and(|a| holds(&a)))
    }

    /// The agent an API token hash authenticates: issued to it, not revoked, and the agent valid.
    pub async fn verify_api_token(&self, token_hash: &str) -> Result<Option<String>> {
        let Some(login) = self.api_token_owner(token_hash).await? else { return Ok(None) };
        Ok(self.api_token_valid(&login, token_hash).await?.then_some(login))
    }
}

impl Admin<'_> {
    /// Records `token_hash` as an API token of agent `login` (`NotFound` when there is no such agent).
    /// Adding a hash the agent already holds changes nothing.
    pub async fn add_api_token(&self, login: &str, token_hash: &str) -> Result<()> {
        let hash = checked_hash(token_hash)?;
        let mut agent = self.engine.agent(login).await?.ok_or_else(|| agent_not_found(login))?;
        // The index first: a failure between the two writes leaves an index entry that names an agent
        // without the hash, which authenticates nobody.
        self.engine.store().put_meta(&keys::api_token(hash), Some(login.as_bytes().to_vec())).await?;
        if !agent.token_hashes.iter().any(|h| h == hash) {
            agent.token_hashes.push(hash.to_string());
            self.store_agent(agent).await?;
        }
        Ok(())
    }

    /// Revokes one API token of agent `login`; false when the agent did not hold it.
    pub async fn revoke_api_token(&self, login: &str, token_hash: &str) -> Result<bool> {
        let mut agent = self.engine.agent(login).await?.ok_or_else(|| agent_not_found(login))?;
        let before = agent.token_hashes.len();
        agent.token_hashes.retain(|h| h != token_hash);
        if agent.token_hashes.len() == before {
            return Ok(false);
        }
        // The agent record first: from then on the token is refused, whatever happens to the index.
        self.store_agent(agent).await?;
        if let Ok(hash) = checked_hash(token_hash) {
            self.engine.store().put_meta(&keys::api_token(hash), None).await?;
        }
        Ok(true)
    }

    /// Revokes every API token of agent `login`; returns how many there were.
    pub async fn revoke_api_tokens(&self, login: &str) -> Result<usize> {
        let mut agent = self.engine.agent(login).await?.ok_or_else(|| agent_not_found(login))?;
        let hashes = std::mem::take(&mut agent.token_hashes);
        self.store_agent(agent).await?;
        for h in &hashes {
            if let Ok(hash) = checked_hash(h) {
                self.engine.store().put_meta(&keys::api_token(hash), None).await?;
            }
        }
        Ok(hashes.len())
    }
}

/// The refusal for a token of an agent that does not exist.
fn agent_not_found(login: &str) -> Error {
    Error::not_found(chamado_i18n::Message::new("error-agent-not-found").arg("login", format!("{login:?}")))
}
