//! Agent API tokens: random, shown once, known to the engine by their SHA-256 hashes
//! ([`chamado::Admin::add_api_token`]); revoking removes the hash from the agent.

use super::token_logins::TokenLogins;
use crate::problem::Problem;
use crate::random::{secret, sha256_hex};
use chamado::{Admin, Engine};

/// Prefix of generated agent tokens.
pub const AGENT_TOKEN_PREFIX: &str = "cha_";

/// Makes a new token for `login`, records its hash on the agent, and returns the token (shown once).
pub async fn issue(engine: &Engine, admin: &Admin<'_>, login: &str) -> Result<String, Problem> {
    let token = secret(AGENT_TOKEN_PREFIX).map_err(|e| Problem::internal(e.to_string()))?;
    install(engine, admin, login, &token).await?;
    Ok(token)
}

/// Records `token` (e.g. one an operator configured) as a token of agent `login`. Idempotent.
// `_engine` stays in the signature so that callers need not change; `admin` carries the engine.
pub async fn install(_engine: &Engine, admin: &Admin<'_>, login: &str, token: &str) -> Result<(), Problem> {
    if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Problem::validation("an API token must be at least 16 visible ASCII characters"));
    }
    Ok(admin.add_api_token(login, &sha256_hex(token)).await?)
}

/// Revokes every token of agent `login`; returns how many there were.
pub async fn revoke_all(_engine: &Engine, admin: &Admin<'_>, login: &str) -> Result<usize, Problem> {
    Ok(admin.revoke_api_tokens(login).await?)
}

/// The valid agent a token belongs to, if any. `logins` remembers whom a token hash was issued to
/// between requests; validity and revocation are checked every time against the engine's directory
/// snapshot.
pub async fn agent_for(engine: &Engine, logins: &TokenLogins, token: &str) -> Result<Option<String>, chamado::Error> {
    let hash = sha256_hex(token);
    let login = match logins.get(&hash) {
        Some(login) => login,
        None => {
            let Some(login) = engine.api_token_owner(&hash).await? else { return Ok(None) };
            logins.remember(&hash, &login);
            login
        }
    };
    if engine.api_token_valid(&login, &hash).await? {
        Ok(Some(login))
    } else {
        // Revoked, or the agent is invalid or gone: ask the index again next time.
        logins.forget(&hash);
        Ok(None)
    }
}
