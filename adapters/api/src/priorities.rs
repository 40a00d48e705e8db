//! `/api/v1/priorities`: the five priority levels, with the names and validity an admin gives them.

use crate::admin_common::admin;
use axum::Json;
use axum::extract::{Path, State};
pub use chamado_api_types::directory::{PriorityBody, PriorityList, PriorityPatch};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The priority routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_priorities)).routes(routes!(patch_priority))
}

/// The five priorities, lowest first (admins).
#[utoipa::path(get, path = "/priorities", tag = "admin",
    responses((status = 200, description = "Found", body = PriorityList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_priorities(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<PriorityList>> {
    admin(&st, &caller).await?;
    let items = st.engine.priorities().await?.into_iter().map(PriorityBody::from).collect();
    Ok(Json(PriorityList { items }))
}

/// Changes a priority (admins): its name, comment and validity. Tickets keep the level, so they show the
/// new name; an invalid priority cannot be set; level 3, the default, stays valid.
#[utoipa::path(patch, path = "/priorities/{level}", tag = "admin", request_body = PriorityPatch,
    params(("level" = u8, Path, minimum = 1, maximum = 5, description = "1 (lowest) to 5 (highest)")),
    responses((status = 200, description = "The changed priority", body = PriorityBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_priority(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(level): Path<String>,
    ApiJson(p): ApiJson<PriorityPatch>,
) -> ApiResult<Json<PriorityBody>> {
    let admin = admin(&st, &caller).await?;
    let Some(level) = level.parse::<u8>().ok().and_then(|l| chamado::Priority::new(l).ok()) else {
        return Err(Problem::not_found(format!("priority {level:?} not found (levels are 1 to 5)")));
    };
    let all = st.engine.priorities().await?;
    let Some(mut def) = all.into_iter().find(|d| d.level == level) else {
        return Err(Problem::not_found(format!("priority {} not found", level.level())));
    };
    p.apply(&mut def);
    admin.put_priority(def.clone()).await?;
    Ok(Json(def.into()))
}
