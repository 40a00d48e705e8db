//! Agent API tokens: random, shown once, known to the engine by their SHA-256 hashes
//! ([`chamado::Admin::add_api_token`]); revoking removes the hash from the agent.

use crate::secret::{RandomError, secret, sha256_hex};
use crate::token_logins::TokenLogins;
use chamado::{Admin, Engine};

/// Prefix of generated agent tokens.
pub const AGENT_TOKEN_PREFIX: &str = "cha_";

/// Why a token could not be issued, installed or revoked.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// A configured token too short or with invisible characters.
    #[error("an API token must be at least 16 visible ASCII characters")]
    Malformed,
    /// No random token could be made.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The engine refused (unknown agent, permissions) or the store failed.
    #[error(transparent)]
    Engine(#[from] chamado::Error),
}

/// Makes a new token for `login`, records its hash on the agent, and returns the token (shown once).
pub async fn issue(admin: &Admin<'_>, login: &str) -> Result<String, TokenError> {
    let token = secret(AGENT_TOKEN_PREFIX)?;
    install(admin, login, &token).await?;
    Ok(token)
}

/// Records `token` (e.g. one an operator configured) as a token of agent `login`. Idempotent.
pub async fn install(admin: &Admin<'_>, login: &str, token: &str) -> Result<(), TokenError> {
    if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TokenError::Malformed);
    }
    Ok(admin.add_api_token(login, &sha256_hex(token)).await?)
}

/// Revokes every token of agent `login`; returns how many there were.
pub async fn revoke_all(admin: &Admin<'_>, login: &str) -> Result<usize, TokenError> {
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
