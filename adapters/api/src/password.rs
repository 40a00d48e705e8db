//! `PUT /api/v1/me/password`: callers change their own password (customer users on a session, agents
//! on an API token). The current password is checked under the login throttle, so the route is no
//! faster a guessing oracle than the login; the engine then ends the caller's other sessions and tokens.

use axum::extract::State;
use axum::http::StatusCode;
use chamado::{Actor, Credential, SessionKind};
use chamado_http::AppState;
use chamado_http::auth::{ApiCaller, LoginRefusal, agent_login, customer_login_check, password};
use chamado_http::client_addr::ClientAddr;
use chamado_http::extract::ApiJson;
use chamado_http::random::sha256_hex;
use chamado_http::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The password route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_password))
}

/// The current password and the new one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password the caller has now.
    #[schema(min_length = 1)]
    pub current_password: String,
    /// The new password.
    #[schema(min_length = 1)]
    pub new_password: String,
}

/// Changes the caller's own password. Every other session and API token of the caller ends; the one
/// this request came with stays. A wrong current password is 403; too many attempts 429.
#[utoipa::path(put, path = "/me/password", tag = "sessions", request_body = PasswordChange,
    responses((status = 204, description = "Changed"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn change_password(
    State(st): State<AppState>,
    client: ClientAddr,
    caller: ApiCaller,
    ApiJson(b): ApiJson<PasswordChange>,
) -> Result<StatusCode, LoginRefusal> {
    if b.new_password.is_empty() {
        return Err(Problem::validation("new_password must not be empty").into());
    }
    let own = sha256_hex(&caller.token);
    let (checked, current) = match &caller.actor {
        Actor::CustomerUser(login) => (
            customer_login_check(&st, client, login, &b.current_password).await,
            Credential::Session(SessionKind::Customer, &own),
        ),
        Actor::Agent(login) => {
            (agent_login(&st, client, login, &b.current_password).await.map(drop), Credential::ApiToken(&own))
        }
        Actor::System => return Err(Problem::forbidden("the system has no password").into()),
    };
    match checked {
        Err(LoginRefusal::Problem(p)) if p.status() == StatusCode::UNAUTHORIZED => {
            return Err(Problem::forbidden("the current password is wrong").into());
        }
        other => other?,
    }
    let hash = password::hash_async(b.new_password).await.map_err(|e| Problem::internal(e.to_string()))?;
    st.engine.change_own_password(&caller.actor, &hash, current).await.map_err(Problem::from)?;
    Ok(StatusCode::NO_CONTENT)
}
