//! `/api/v1/states`: the ticket states an admin names, of the types the rules know.

use crate::admin_common::{ListParams, admin, list_records, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Admin, Record, RecordKind, StateDef};
pub use chamado_api_types::directory::{StateBody, StateList, StatePatch};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The state routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_state, list_states)).routes(routes!(get_state, patch_state))
}

/// Adds a state (admins).
#[utoipa::path(post, path = "/states", tag = "admin", request_body = StateBody,
    responses((status = 201, description = "Created", body = StateBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_state(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<StateBody>,
) -> ApiResult<(StatusCode, Json<StateBody>)> {
    let admin = admin(&st, &caller).await?;
    must_not_exist(&admin, RecordKind::State, &b.name, "state").await?;
    admin.put_state(StateDef::from(b.clone())).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

/// Lists or searches states (admins).
#[utoipa::path(get, path = "/states", tag = "admin", params(ListParams),
    responses((status = 200, description = "Found", body = StateList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_states(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<StateList>> {
    let admin = admin(&st, &caller).await?;
    let items = list_records(&admin, RecordKind::State, &p)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::State(s) = r { Some(StateBody::from(s)) } else { None })
        .collect();
    Ok(Json(StateList { items }))
}

async fn load(admin: &Admin<'_>, name: &str) -> ApiResult<StateDef> {
    match admin.get(RecordKind::State, name).await? {
        Some(Record::State(s)) => Ok(s),
        _ => Err(Problem::not_found(format!("state {name:?} not found"))),
    }
}

/// One state (admins).
#[utoipa::path(get, path = "/states/{state}", tag = "admin", params(("state" = String, Path, description = "Name")),
    responses((status = 200, description = "Found", body = StateBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_state(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<StateBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(load(&admin, &name).await?.into()))
}

/// Changes a state (admins): its next state and validity. The states the engine sets on its own, and
/// those a valid pending state closes into, stay valid.
#[utoipa::path(patch, path = "/states/{state}", tag = "admin", request_body = StatePatch,
    params(("state" = String, Path, description = "Name")),
    responses((status = 200, description = "The changed state", body = StateBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_state(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<StatePatch>,
) -> ApiResult<Json<StateBody>> {
    let admin = admin(&st, &caller).await?;
    let mut s = load(&admin, &name).await?;
    p.apply(&mut s);
    admin.put_state(s.clone()).await?;
    Ok(Json(s.into()))
}
