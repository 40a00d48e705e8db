//! Logins with a password, shared by `POST /api/v1/sessions`, the portal and the console: the
//! attempt is counted by the throttle before the password is checked (per login and per client
//! address), then checked on the password threads. A matching hash imported from OTRS/Znuny is then
//! stored again as Argon2id, keeping the user's sessions and tokens.

use super::throttle::{ThrottleKey, TooManyAttempts};
use super::{password, rehash, session, session::Session};
use crate::client_addr::ClientAddr;
use crate::problem::Problem;
use crate::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chamado::Actor;

/// The answer to any failed login: the same for unknown logins, wrong passwords and invalid users.
pub(crate) const LOGIN_FAILED: &str = "login or password is wrong";

/// Why a login did not open a session.
#[derive(Debug)]
pub enum LoginRefusal {
    /// Too many attempts for the login or from the client: refused before any check.
    Throttled(TooManyAttempts),
    /// Wrong credentials (401), or the server failed.
    Problem(Problem),
}

impl LoginRefusal {
    /// Whole seconds the client should wait before trying again (at least 1), when throttled.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            LoginRefusal::Throttled(t) => Some(t.retry_after.as_secs_f64().ceil().max(1.0) as u64),
            LoginRefusal::Problem(_) => None,
        }
    }

    /// The refusal as problem details: 429 when throttled.
    pub fn problem(&self) -> Problem {
        match (self, self.retry_after_secs()) {
            (LoginRefusal::Problem(p), _) => p.clone(),
            (LoginRefusal::Throttled(_), secs) => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "Too many login attempts",
                format!("too many login attempts; try again in {} seconds", secs.unwrap_or(1)),
            ),
        }
    }

    /// Adds `Retry-After` to an answer when throttled.
    pub fn with_retry_after(&self, mut res: Response) -> Response {
        if let Some(secs) = self.retry_after_secs() {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

impl From<Problem> for LoginRefusal {
    fn from(p: Problem) -> Self {
        LoginRefusal::Problem(p)
    }
}

impl From<chamado::Error> for LoginRefusal {
    fn from(e: chamado::Error) -> Self {
        LoginRefusal::Problem(e.into())
    }
}

impl IntoResponse for LoginRefusal {
    fn into_response(self) -> Response {
        self.with_retry_after(self.problem().into_response())
    }
}

/// Which kind of user a login is for: their throttle counts are apart.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Customer,
    Agent,
}

/// The throttle keys of an attempt: the login (trimmed, lowercased) and the client address.
fn keys(kind: Kind, login: &str, client: ClientAddr) -> Vec<ThrottleKey> {
    let kind = match kind {
        Kind::Customer => "customer",
        Kind::Agent => "agent",
    };
    let mut keys = vec![ThrottleKey::Login(kind, login.trim().to_lowercase())];
    keys.extend(client.0.map(ThrottleKey::Client));
    keys
}

/// Counts the attempt, waits for its slot, and checks `pass` against the hash a lookup gives (the
/// password hash and whether the user is valid). Unknown users are checked against no hash, which
/// takes as long as a wrong password. After a success, an imported hash is upgraded for `user`.
async fn checked<F>(
    state: &AppState,
    keys: &[ThrottleKey],
    user: &Actor,
    pass: &str,
    lookup: F,
) -> Result<(), LoginRefusal>
where
    F: Future<Output = Result<Option<(Option<String>, bool)>, chamado::Error>>,
{
    state.throttle.attempt(keys).map_err(LoginRefusal::Throttled)?.wait().await;
    let (stored, valid) = lookup.await?.unwrap_or((None, false));
    if password::verify_async(pass.to_string(), stored.clone()).await && valid {
        state.throttle.succeeded(keys);
        rehash::upgrade_if_needed(&state.engine, user, stored.as_deref(), pass).await;
        Ok(())
    } else {
        Err(Problem::unauthorized(LOGIN_FAILED).into())
    }
}

/// Checks a customer user's password and opens a session. Unknown login, wrong password, no password
/// set and invalid user all give the same 401; too many attempts give 429 unchecked.
pub async fn customer_login(
    state: &AppState,
    client: ClientAddr,
    login: &str,
    pass: &str,
) -> Result<Session, LoginRefusal> {
    customer_login_check(state, client, login, pass).await?;
    Ok(session::open(&state.engine, login.trim(), state.config.session_ttl).await?)
}

/// Checks a customer user's password under the throttle, as [`customer_login`] does, opening nothing.
pub async fn customer_login_check(
    state: &AppState,
    client: ClientAddr,
    login: &str,
    pass: &str,
) -> Result<(), LoginRefusal> {
    let login = login.trim();
    let lookup = async { Ok(state.engine.customer_user(login).await?.map(|u| (u.password_hash, u.valid))) };
    checked(state, &keys(Kind::Customer, login, client), &Actor::customer(login), pass, lookup).await
}

/// Checks an agent's console password; answers the agent's login (as stored), to open a console
/// session with. Failures as for [`customer_login`].
pub async fn agent_login(
    state: &AppState,
    client: ClientAddr,
    login: &str,
    pass: &str,
) -> Result<String, LoginRefusal> {
    let login = login.trim();
    let lookup = async { Ok(state.engine.agent(login).await?.map(|a| (a.password_hash, a.valid))) };
    checked(state, &keys(Kind::Agent, login, client), &Actor::agent(login), pass, lookup).await?;
    Ok(login.to_string())
}
