//! First start: an empty store gets the OTRS defaults before anything else touches it, and the admin
//! gets an API token (configured, kept in a file from an earlier start, or made now and written there).

use chamado::{Actor, Engine};
use chamado_auth::agent_token::{self, AGENT_TOKEN_PREFIX, TokenError};
use chamado_auth::secret::secret;
use std::path::{Path, PathBuf};

/// Seeds an empty store with the OTRS defaults (states, priorities, queues, the agent `admin_login`)
/// and returns true; a store that has them already is left as it is (false), so every start may call
/// it.
pub async fn first_start(engine: &Engine, admin_login: &str) -> Result<bool, chamado::Error> {
    engine.seed_defaults(admin_login).await
}

/// Why the first-start bootstrap failed.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The engine or store failed.
    #[error("seeding the store failed: {0}")]
    Engine(#[from] chamado::Error),
    /// The token could not be made or installed.
    #[error("installing the admin token failed: {0}")]
    Token(#[from] TokenError),
    /// The token file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What [`bootstrap`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    /// True when the store was empty and got the OTRS defaults.
    pub seeded: bool,
    /// A token generated now (and written to the token file): print it once.
    pub new_token: Option<String>,
}

/// Seeds an empty store (OTRS defaults with agent `admin_login`, [`first_start`]) and makes sure the
/// admin has an API token: `configured` when given, else the one in `token_file`, else a new one
/// written there (mode 0600, synced before it is reported).
pub async fn bootstrap(
    engine: &Engine,
    admin_login: &str,
    configured: Option<&str>,
    token_file: &Path,
) -> Result<Bootstrap, BootstrapError> {
    let seeded = first_start(engine, admin_login).await?;
    let admin = engine.admin(&Actor::System).await?;
    if let Some(token) = configured {
        agent_token::install(&admin, admin_login, token).await?;
        return Ok(Bootstrap { seeded, new_token: None });
    }
    match std::fs::read_to_string(token_file) {
        Ok(existing) if !existing.trim().is_empty() => {
            agent_token::install(&admin, admin_login, existing.trim()).await?;
            return Ok(Bootstrap { seeded, new_token: None });
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(BootstrapError::Io { path: token_file.to_path_buf(), source }),
    }
    let token = secret(AGENT_TOKEN_PREFIX).map_err(TokenError::from)?;
    agent_token::install(&admin, admin_login, &token).await?;
    write_private(token_file, &token)
        .map_err(|source| BootstrapError::Io { path: token_file.to_path_buf(), source })?;
    Ok(Bootstrap { seeded, new_token: Some(token) })
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(content.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}
