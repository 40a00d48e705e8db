//! `/api/v1/sessions`: customer user login and logout.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chamado::Actor;
use chamado_http::AppState;
use chamado_http::auth::{ApiCaller, LoginRefusal, customer_login, session};
use chamado_http::client_addr::ClientAddr;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The session routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_session, delete_session))
}

/// A customer user's credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it ends (RFC 3339).
    pub expires_at: String,
}

/// Logs a customer user in. Unknown logins and wrong passwords get the same 401; repeated attempts
/// for a login or from a client are answered more and more slowly, then refused with 429 and
/// `Retry-After`.
#[utoipa::path(post, path = "/sessions", tag = "sessions", request_body = LoginIn,
    responses((status = 201, description = "The session", body = SessionOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create_session(
    State(st): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<LoginIn>,
) -> Result<(StatusCode, Json<SessionOut>), LoginRefusal> {
    let s = customer_login(&st, client, &body.login, &body.password).await?;
    Ok((StatusCode::CREATED, Json(SessionOut { token: s.token, expires_at: s.expires_at.to_string() })))
}

/// Ends the caller's session (the bearer token).
#[utoipa::path(delete, path = "/sessions", tag = "sessions",
    responses((status = 204, description = "Logged out"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_session(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<StatusCode> {
    if !matches!(caller.actor, Actor::CustomerUser(_)) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "not_a_session",
            "Permission denied",
            "the bearer token is an agent API token, not a session; revoke tokens under /agents",
        ));
    }
    session::close(&st.engine, &caller.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
