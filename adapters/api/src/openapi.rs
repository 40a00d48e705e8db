//! The documented routes and the OpenAPI 3.1 document generated from their annotations, served at
//! `GET /api/openapi.json`. The router mounts the documented routes from here; this module knows nothing of the router.

use crate::routes::api_routes;
use crate::webhook_docs::WebhooksSection;
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use chamado_api_types::webhook_payload::{
    ArticlePayloadV1, AttachmentPayloadV1, ChangePayloadV1, CustomerPayloadV1, CustomerUserPayloadV1,
    EscalationPayloadV1, MergePayloadV1, TicketPayloadV1, WebhookDataV1, WebhookPayloadV1,
};
use chamado_http::AppState;
use chamado_http::ProblemBody;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The document's frame: title, security scheme, tags. The paths come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(title = "chamado", description = "Help-desk ticketing: tickets, articles, customers, permissions. Errors are RFC 9457 problem details."),
    components(schemas(ProblemBody, WebhookPayloadV1, WebhookDataV1, TicketPayloadV1, ArticlePayloadV1,
        AttachmentPayloadV1, ChangePayloadV1, MergePayloadV1, EscalationPayloadV1, CustomerPayloadV1, CustomerUserPayloadV1)),
    modifiers(&BearerAuth, &WebhooksSection),
    tags(
        (name = "tickets", description = "Tickets and their articles"),
        (name = "sessions", description = "Customer user login"),
        (name = "admin", description = "The directory (admins: rw on group admin)"),
        (name = "grants", description = "Customer-side permissions (admins)"),
        (name = "webhooks", description = "Webhook subscriptions, their deliveries and replays (admins); the requests receivers get are in the document's webhooks section"),
        (name = "import", description = "Moving from another help desk into a running server: directory records, tickets with their numbers, files and history (admins)"),
        (name = "events", description = "The event feed: the events webhooks send, pulled from a cursor, with long-polling"),
        (name = "health", description = "Liveness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An agent API token, or a customer session token from POST /api/v1/sessions"))
                .build(),
        );
        openapi.components.get_or_insert_with(Default::default).add_security_scheme("bearer", scheme);
    }
}

/// The serialized document, shared by the route.
#[derive(Clone)]
pub(crate) struct OpenApiJson(pub Bytes);

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/api/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub(crate) async fn openapi_json(Extension(doc): Extension<OpenApiJson>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], doc.0)
}

/// The documented routes and their OpenAPI document.
pub(crate) fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api_routes())
        .merge(crate::health::routes())
        .routes(routes!(openapi_json))
        .split_for_parts()
}

/// The documented routes, with the document they make served at `/api/openapi.json`.
pub(crate) fn mounted() -> Router<AppState> {
    let (api, doc) = parts();
    let json = serde_json::to_vec(&doc).unwrap_or_else(|_| b"{}".to_vec());
    api.layer(Extension(OpenApiJson(Bytes::from(json)))).layer(Extension(crate::events::FeedState::default()))
}

/// The OpenAPI document of the API ([`crate::routes()`]).
pub fn document() -> utoipa::openapi::OpenApi {
    parts().1
}
