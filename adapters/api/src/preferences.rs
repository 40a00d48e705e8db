//! `GET`/`PUT /api/v1/me/preferences`: callers read and set their own language and (agents) time
//! zone, customer users on a session and agents on an API token. No admin right is needed and nothing
//! else about the caller changes: passwords, sessions and tokens stay.

use axum::Json;
use axum::extract::State;
use chamado::{Actor, Preferences};
pub use chamado_api_types::preferences::PreferencesBody;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, AppState, Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The preferences routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_preferences, put_preferences))
}

async fn current(st: &AppState, actor: &Actor) -> ApiResult<PreferencesBody> {
    match actor {
        Actor::Agent(login) => match st.engine.agent(login).await? {
            Some(a) => Ok(PreferencesBody { language: a.language, time_zone: a.time_zone }),
            None => Err(Problem::not_found(format!("agent {login:?} not found"))),
        },
        Actor::CustomerUser(login) => match st.engine.customer_user(login).await? {
            Some(u) => Ok(PreferencesBody { language: u.language, time_zone: None }),
            None => Err(Problem::not_found(format!("customer user {login:?} not found"))),
        },
        Actor::System => Err(Problem::forbidden("the system has no preferences")),
    }
}

/// The caller's own language and (agents) time zone; `null` where the system's apply.
#[utoipa::path(get, path = "/me/preferences", tag = "sessions",
    responses((status = 200, description = "The caller's preferences", body = PreferencesBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_preferences(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<PreferencesBody>> {
    Ok(Json(current(&st, &caller.actor).await?))
}

/// Sets the caller's own language and (agents) time zone; `null` returns to the system's. A customer
/// user sending a time zone is 403: their times are the system's.
#[utoipa::path(put, path = "/me/preferences", tag = "sessions", request_body = PreferencesBody,
    responses((status = 200, description = "The caller's preferences as stored", body = PreferencesBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_preferences(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<PreferencesBody>,
) -> ApiResult<Json<PreferencesBody>> {
    b.check()?;
    // A 403 rather than the engine's 422: the body is well formed, the caller just may not set it.
    if matches!(caller.actor, Actor::CustomerUser(_)) && b.time_zone.is_some() {
        return Err(Problem::forbidden("customer users have no time zone of their own: their times are the system's"));
    }
    st.engine.set_own_preferences(&caller.actor, Preferences { language: b.language, time_zone: b.time_zone }).await?;
    Ok(Json(current(&st, &caller.actor).await?))
}
