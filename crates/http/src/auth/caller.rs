//! Who calls the API: `Authorization: Bearer <agent token | customer session>`.

use super::{agent_token, session};
use crate::problem::Problem;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chamado::Actor;

/// The authenticated caller of an API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    /// As the engine knows them.
    pub actor: Actor,
    /// The bearer token presented.
    pub token: String,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let token = bearer(parts).ok_or_else(|| {
            Problem::unauthorized(
                "send Authorization: Bearer <token> (an agent API token or a session from POST /api/v1/sessions)",
            )
        })?;
        let invalid = || Problem::unauthorized("the bearer token is unknown, revoked or expired");
        let actor = if token.starts_with(session::SESSION_PREFIX) {
            let login = session::login_for(&state.engine, &token).await?.ok_or_else(invalid)?;
            // Unknown and invalid customer users have no access; the resolved access is cached by the
            // engine and serves the request's permission check too.
            match state.engine.customer_access(&login).await {
                Ok(_) => Actor::CustomerUser(login),
                Err(chamado::Error::PermissionDenied(_)) => return Err(invalid()),
                Err(e) => return Err(e.into()),
            }
        } else {
            Actor::Agent(agent_token::agent_for(&state.engine, &state.token_logins, &token).await?.ok_or_else(invalid)?)
        };
        Ok(ApiCaller { actor, token })
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}
