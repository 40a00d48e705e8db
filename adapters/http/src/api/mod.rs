//! The JSON REST API under `/api/v1`. Every handler authenticates the caller, calls the engine, and
//! translates its answer; the engine decides every permission.

mod admin_common;
pub mod agent_grants;
pub mod agents;
pub mod attachments;
pub mod customer_users;
pub mod customers;
pub mod directory;
pub mod dto;
pub mod grants;
pub mod health;
pub mod queue_overview;
pub mod sessions;
pub mod tickets;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Every route under `/api/v1`, with its OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(tickets::routes())
        .merge(attachments::routes())
        .merge(queue_overview::routes())
        .merge(sessions::routes())
        .merge(customers::routes())
        .merge(customer_users::routes())
        .merge(directory::routes())
        .merge(agents::routes())
        .merge(grants::routes())
        .merge(agent_grants::routes())
}
