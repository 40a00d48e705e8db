//! Customer user login, shared by `POST /api/v1/sessions` and the portal.

use super::{password, session, session::Session};
use crate::problem::Problem;
use crate::state::AppState;

/// The answer to any failed login: the same for unknown logins, wrong passwords and invalid users.
pub(crate) const LOGIN_FAILED: &str = "login or password is wrong";

/// Checks a customer user's password and opens a session. Unknown login, wrong password, no password
/// set and invalid user all give the same 401; repeated failures for a login are slowed down.
pub async fn customer_login(state: &AppState, login: &str, pass: &str) -> Result<Session, Problem> {
    let key = login.trim().to_lowercase();
    let delay = state.throttle.delay_for(&key);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let user = state.engine.customer_user(login.trim()).await?;
    let (phc, valid) = match &user {
        Some(u) => (u.password_hash.clone(), u.valid),
        None => (None, false),
    };
    let ok = password::verify_async(pass.to_string(), phc).await && valid;
    match (ok, user) {
        (true, Some(u)) => {
            state.throttle.succeeded(&key);
            session::open(&state.engine, &u.login, state.config.session_ttl).await
        }
        _ => {
            state.throttle.failed(&key);
            Err(Problem::unauthorized(LOGIN_FAILED))
        }
    }
}
