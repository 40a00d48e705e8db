//! An agent's console password, set by an admin.

use crate::problem::Problem;

/// Sets (or, with `None`, removes) the console password of agent `login`, hashed with Argon2id, as
/// `admin` (an agent with `rw` on `admin`, or the system). Hosts use it to give the bootstrap admin a
/// password; the admin screen "Agents" does the same for everyone else. A password that changes ends
/// the agent's sessions and API tokens (the engine's rule), so the password the agent already has is
/// left alone: a host that sets it on every start keeps its sessions and tokens (an imported OTRS hash of
/// it is only stored again as Argon2id).
pub async fn set_agent_password(
    engine: &chamado::Engine,
    admin: &chamado::Admin<'_>,
    login: &str,
    password: Option<&str>,
) -> Result<(), Problem> {
    let mut agent =
        engine.agent(login).await?.ok_or_else(|| Problem::not_found(format!("agent {login:?} not found")))?;
    agent.password_hash = match password {
        Some("") => return Err(Problem::validation("a password must not be empty")),
        Some(p) if super::password::verify_async(p.to_string(), agent.password_hash.clone()).await => {
            let user = chamado::Actor::agent(agent.login.as_str());
            super::rehash::upgrade_if_needed(engine, &user, agent.password_hash.as_deref(), p).await;
            return Ok(());
        }
        Some(p) => {
            Some(super::password::hash_async(p.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?)
        }
        None => None,
    };
    admin.put_agent(agent).await?;
    Ok(())
}
