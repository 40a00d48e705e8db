//! `/api/v1/queue-overview`: what an agent's queue view counts, for hosts that draw their own.

use axum::Json;
use axum::extract::State;
use chamado::{COUNTED_STATE_TYPES, QueueOverview};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::{ApiResult, ProblemBody};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The queue overview route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue_overview))
}

/// One queue's tickets by state type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueCountsOut {
    /// The queue.
    pub queue: String,
    /// Its group.
    pub group: String,
    /// Tickets per state type: `new`, `open`, `pending_reminder`, `pending_auto`, `closed`, each present.
    pub by_state_type: BTreeMap<String, u64>,
}

/// The counts of the caller's queue view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueOverviewOut {
    /// The queues the agent may read (`ro` on their group), by name.
    pub queues: Vec<QueueCountsOut>,
    /// Tickets the agent holds locked.
    pub locked: u64,
    /// Tickets the agent is responsible for.
    pub responsible: u64,
}

impl From<QueueOverview> for QueueOverviewOut {
    fn from(o: QueueOverview) -> Self {
        let queues = o
            .queues
            .into_iter()
            .map(|q| QueueCountsOut {
                by_state_type: COUNTED_STATE_TYPES.iter().map(|st| (st.as_str().to_string(), q.of(&[*st]))).collect(),
                queue: q.queue,
                group: q.group,
            })
            .collect();
        QueueOverviewOut { queues, locked: o.locked, responsible: o.responsible }
    }
}

/// Exact ticket counts per readable queue and state type, and the agent's locked and responsible
/// tickets (agents; customer users are refused).
#[utoipa::path(get, path = "/queue-overview", tag = "tickets",
    responses((status = 200, description = "The counts", body = QueueOverviewOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn queue_overview(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<QueueOverviewOut>> {
    Ok(Json(st.engine.queue_overview(&caller.actor).await?.into()))
}
