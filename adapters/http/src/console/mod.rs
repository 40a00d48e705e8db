//! The server-rendered agent and admin console: `/agent` (login, queue view, ticket zoom with its
//! actions, new phone ticket, search) and `/admin` (customers, customer users and their groups).
//!
//! Works without JavaScript; every form carries a CSRF token; all content is escaped. The console
//! decides which actions to *show* by asking the engine's resolver ([`chamado::AgentAccess`]); every
//! change goes through the engine, whose errors answer forged requests (403, 404).

mod admin;
mod layout;
mod login;
mod phone;
mod queue_view;
mod search;
mod session;
mod zoom;

use crate::problem::Problem;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use chamado::{Actor, Queue, Record, RecordKind};

/// Most directory records a console list loads at once.
const MAX_RECORDS: usize = 10_000;

/// The console routes (`/agent/...` and `/admin/...`), to merge into the adapter's router.
pub fn routes() -> Router<crate::state::AppState> {
    Router::new()
        .route("/agent", get(queue_view::show))
        .route("/agent/login", get(login::show).post(login::submit))
        .route("/agent/logout", post(login::logout))
        .route("/agent/search", get(search::show))
        .route("/agent/tickets/new", get(phone::form).post(phone::create))
        .route("/agent/tickets/{number}", get(zoom::show))
        .route("/agent/tickets/{number}/{action}", post(zoom::act))
        .merge(admin::routes())
}

/// Sets (or, with `None`, removes) the console password of agent `login`, hashed with Argon2id, as
/// `admin` (an agent with `rw` on `admin`, or the system). Hosts use it to give the bootstrap admin a
/// password; the admin screen "Agents" does the same for everyone else. A password that changes ends
/// the agent's sessions and API tokens (the engine's rule), so the password the agent already has is
/// left alone: a host that sets it on every start keeps its sessions and tokens.
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
        Some(p) if crate::auth::password::verify_async(p.to_string(), agent.password_hash.clone()).await => {
            return Ok(());
        }
        Some(p) => {
            Some(crate::auth::password::hash_async(p.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?)
        }
        None => None,
    };
    admin.put_agent(agent).await?;
    Ok(())
}

/// Every queue of the directory (a directory read; what an agent may do with them is asked per queue).
async fn all_queues(st: &AppState) -> Result<Vec<Queue>, Problem> {
    Ok(records(st, RecordKind::Queue)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Queue(q) => Some(q),
            _ => None,
        })
        .collect())
}

/// All records of a kind, read as the system (directory reads only).
async fn records(st: &AppState, kind: RecordKind) -> Result<Vec<Record>, Problem> {
    let admin = st.engine.admin(&Actor::System).await?;
    let mut out: Vec<Record> = Vec::new();
    loop {
        let after = out.last().map(|r| r.key().key);
        let batch = admin.list(kind, after.as_deref(), 500).await?;
        let done = batch.len() < 500;
        out.extend(batch);
        if done || out.len() >= MAX_RECORDS {
            return Ok(out);
        }
    }
}

/// A duration in milliseconds for people: `3 d 4 h`, `2 h 5 m`, `7 m`.
fn fmt_age(ms: i64) -> String {
    let m = ms.max(0) / 60_000;
    let (d, h, m) = (m / 1440, (m / 60) % 24, m % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} m")
    } else {
        format!("{m} m")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ages_read_well() {
        assert_eq!(super::fmt_age(-5), "0 m");
        assert_eq!(super::fmt_age(7 * 60_000), "7 m");
        assert_eq!(super::fmt_age((2 * 60 + 5) * 60_000), "2 h 5 m");
        assert_eq!(super::fmt_age((3 * 1440 + 4 * 60) * 60_000), "3 d 4 h");
    }
}
