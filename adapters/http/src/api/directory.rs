//! `/api/v1/groups`, `/queues`, `/services`, `/roles`: the directory an admin sets up.

use super::admin_common::{ListParams, admin, list_records, must_not_exist};
use crate::auth::ApiCaller;
use crate::extract::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, ProblemBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chamado::{FollowUpPolicy, Group, Queue, Record, RecordKind, Role, Service};
pub use chamado_api_types::directory::{NamedBody, NamedList, QueueBody, QueueList, ServiceBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The directory routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_group, list_groups))
        .routes(routes!(create_queue, list_queues))
        .routes(routes!(create_service, list_services))
        .routes(routes!(create_role, list_roles))
}

macro_rules! named_kind {
    ($create:ident, $list:ident, $path:literal, $kind:expr, $variant:ident, $ty:ident, $put:ident, $what:literal, $body:ident) => {
        #[doc = concat!("Adds a ", $what, " (admins).")]
        #[utoipa::path(post, path = $path, tag = "admin", request_body = $body,
            responses((status = 201, description = "Created", body = NamedBody),
                (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
            security(("bearer" = [])))]
        pub async fn $create(State(st): State<AppState>, caller: ApiCaller, ApiJson(b): ApiJson<$body>) -> ApiResult<(StatusCode, Json<NamedBody>)> {
            let b = NamedBody::from(b);
            let admin = admin(&st, &caller).await?;
            must_not_exist(&admin, $kind, &b.name, $what).await?;
            admin.$put($ty { name: b.name.clone(), comment: b.comment.clone(), valid: b.valid }).await?;
            Ok((StatusCode::CREATED, Json(b)))
        }

        #[doc = concat!("Lists or searches ", $what, "s (admins).")]
        #[utoipa::path(get, path = $path, tag = "admin", params(ListParams),
            responses((status = 200, description = "Found", body = NamedList),
                (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
            security(("bearer" = [])))]
        pub async fn $list(State(st): State<AppState>, caller: ApiCaller, ApiQuery(p): ApiQuery<ListParams>) -> ApiResult<Json<NamedList>> {
            let admin = admin(&st, &caller).await?;
            let items = list_records(&admin, $kind, &p)
                .await?
                .into_iter()
                .filter_map(|r| if let Record::$variant(x) = r { Some(NamedBody { name: x.name, comment: x.comment, valid: x.valid }) } else { None })
                .collect();
            Ok(Json(NamedList { items }))
        }
    };
}

named_kind!(create_group, list_groups, "/groups", RecordKind::Group, Group, Group, put_group, "group", NamedBody);
named_kind!(
    create_service,
    list_services,
    "/services",
    RecordKind::Service,
    Service,
    Service,
    put_service,
    "service",
    ServiceBody
);
named_kind!(create_role, list_roles, "/roles", RecordKind::Role, Role, Role, put_role, "role", NamedBody);

/// Adds a queue (admins); its group must exist.
#[utoipa::path(post, path = "/queues", tag = "admin", request_body = QueueBody,
    responses((status = 201, description = "Created", body = QueueBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_queue(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<QueueBody>,
) -> ApiResult<(StatusCode, Json<QueueBody>)> {
    let admin = admin(&st, &caller).await?;
    let follow_up: FollowUpPolicy = b.follow_up.parse()?;
    must_not_exist(&admin, RecordKind::Queue, &b.name, "queue").await?;
    let mut q = Queue::new(b.name.clone(), b.group.clone(), follow_up);
    q.comment = b.comment.clone();
    q.valid = b.valid;
    admin.put_queue(q).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

/// Lists or searches queues (admins).
#[utoipa::path(get, path = "/queues", tag = "admin", params(ListParams),
    responses((status = 200, description = "Found", body = QueueList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_queues(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<QueueList>> {
    let admin = admin(&st, &caller).await?;
    let items = list_records(&admin, RecordKind::Queue, &p)
        .await?
        .into_iter()
        .filter_map(|r| {
            if let Record::Queue(q) = r {
                Some(QueueBody {
                    name: q.name,
                    group: q.group,
                    follow_up: q.follow_up.as_str().into(),
                    comment: q.comment,
                    valid: q.valid,
                })
            } else {
                None
            }
        })
        .collect();
    Ok(Json(QueueList { items }))
}
