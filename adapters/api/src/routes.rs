//! Every route under `/api/v1`: the areas merged, each with its OpenAPI description.

use crate::{
    agent_grants, agents, attachments, customer_users, customers, directory, events, grants, import, mail_accounts,
    notification_prefs, password, preferences, priorities, queue_overview, reports, sessions, slas, states, texts,
    ticket_texts, tickets, webhooks,
};
use chamado_http::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Every route under `/api/v1`, with its OpenAPI description.
pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
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
        .merge(password::routes())
        .merge(preferences::routes())
        .merge(states::routes())
        .merge(priorities::routes())
        .merge(mail_accounts::routes())
        .merge(texts::routes())
        .merge(notification_prefs::routes())
        .merge(ticket_texts::routes())
        .merge(slas::routes())
        .merge(reports::routes())
        .merge(webhooks::routes())
        .merge(events::routes())
        .merge(import::routes())
}
