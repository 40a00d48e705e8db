//! Agent API tokens: random, shown once, stored as SHA-256 hashes on [`chamado::Agent::token_hashes`]
//! with an index in the store's adapter area. Removing a hash from the agent revokes the token.

use super::token_logins::TokenLogins;
use crate::problem::Problem;
use crate::random::{secret, sha256_hex};
use chamado::{Admin, Engine};

/// Prefix of generated agent tokens.
pub const AGENT_TOKEN_PREFIX: &str = "cha_";

fn index_key(hash: &str) -> String {
    format!("http:agent-token:{hash}")
}

/// Makes a new token for `login`, records its hash on the agent, and returns the token (shown once).
pub async fn issue(engine: &Engine, admin: &Admin<'_>, login: &str) -> Result<String, Problem> {
    let token = secret(AGENT_TOKEN_PREFIX).map_err(|e| Problem::internal(e.to_string()))?;
    install(engine, admin, login, &token).await?;
    Ok(token)
}

/// Records `token` (e.g. one an operator configured) as a token of agent `login`. Idempotent.
pub async fn install(engine: &Engine, admin: &Admin<'_>, login: &str, token: &str) -> Result<(), Problem> {
    if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Problem::validation("an API token must be at least 16 visible ASCII characters"));
    }
    let mut agent =
        engine.agent(login).await?.ok_or_else(|| Problem::not_found(format!("agent {login:?} not found")))?;
    let hash = sha256_hex(token);
    engine.store().put_meta(&index_key(&hash), Some(login.as_bytes().to_vec())).await.map_err(chamado::Error::from)?;
    if !agent.token_hashes.contains(&hash) {
        agent.token_hashes.push(hash);
        admin.put_agent(agent).await?;
    }
    Ok(())
}

/// Revokes every token of agent `login`; returns how many there were.
pub async fn revoke_all(engine: &Engine, admin: &Admin<'_>, login: &str) -> Result<usize, Problem> {
    let mut agent =
        engine.agent(login).await?.ok_or_else(|| Problem::not_found(format!("agent {login:?} not found")))?;
    let hashes = std::mem::take(&mut agent.token_hashes);
    admin.put_agent(agent).await?;
    for h in &hashes {
        engine.store().put_meta(&index_key(h), None).await.map_err(chamado::Error::from)?;
    }
    Ok(hashes.len())
}

/// The valid agent a token belongs to, if any. `logins` remembers the token index between requests;
/// validity and revocation are checked every time against the engine's directory snapshot.
pub async fn agent_for(engine: &Engine, logins: &TokenLogins, token: &str) -> Result<Option<String>, chamado::Error> {
    let hash = sha256_hex(token);
    let login = match logins.get(&hash) {
        Some(login) => login,
        None => {
            let Some(login) = engine.store().meta(&index_key(&hash)).await? else { return Ok(None) };
            let Ok(login) = String::from_utf8(login) else { return Ok(None) };
            logins.remember(&hash, &login);
            login
        }
    };
    match engine.agent_cached(&login).await? {
        Some(a) if a.valid && a.token_hashes.contains(&hash) => Ok(Some(login)),
        Some(_) => Ok(None),
        None => {
            logins.forget(&hash);
            Ok(None)
        }
    }
}
