//! `GET /healthz`.

use axum::Json;
use axum::extract::State;
use chamado_http::AppState;
use chamado_http::{ApiResult, ProblemBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The health route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// The server is up.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// 200 when the store answers, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The store does not answer", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn healthz(State(st): State<AppState>) -> ApiResult<Json<Health>> {
    st.engine.check_store().await?;
    Ok(Json(Health { status: "ok".into() }))
}
