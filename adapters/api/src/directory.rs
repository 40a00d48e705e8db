//! `/api/v1/groups`, `/queues`, `/services`, `/roles`: the directory an admin sets up.

use crate::admin_common::{ListParams, admin, list_records, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Admin, AutoResponseKind, Group, Queue, Record, RecordKind, Role, Service};
pub use chamado_api_types::directory::{
    NamedBody, NamedList, QueueBody, QueueList, QueuePatch, RenamablePatch, ServiceBody, ServiceHoldersBody,
    ServicePatch,
};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The directory routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_group, list_groups))
        .routes(routes!(get_group, patch_group))
        .routes(routes!(create_queue, list_queues))
        .routes(routes!(get_queue, patch_queue))
        .routes(routes!(create_service, list_services))
        .routes(routes!(get_service, patch_service))
        .routes(routes!(service_holders))
        .routes(routes!(create_role, list_roles))
        .routes(routes!(get_role, patch_role))
}

macro_rules! named_kind {
    ($create:ident, $list:ident, $get:ident, $path:literal, $item:literal, $param:literal, $kind:expr, $variant:ident, $put:ident, $what:literal, $body:ident) => {
        #[doc = concat!("Adds a ", $what, " (admins).")]
        #[utoipa::path(post, path = $path, tag = "admin", request_body = $body,
            responses((status = 201, description = "Created", body = NamedBody),
                (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
            security(("bearer" = [])))]
        pub async fn $create(State(st): State<AppState>, caller: ApiCaller, ApiJson(b): ApiJson<$body>) -> ApiResult<(StatusCode, Json<NamedBody>)> {
            let b = NamedBody::from(b);
            let admin = admin(&st, &caller).await?;
            must_not_exist(&admin, $kind, &b.name, $what).await?;
            admin.$put($variant::from(b.clone())).await?;
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
                .filter_map(|r| if let Record::$variant(x) = r { Some(NamedBody::from(x)) } else { None })
                .collect();
            Ok(Json(NamedList { items }))
        }

        #[doc = concat!("One ", $what, " (admins).")]
        #[utoipa::path(get, path = $item, tag = "admin", params(($param = String, Path, description = "Name")),
            responses((status = 200, description = "Found", body = NamedBody),
                (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
            security(("bearer" = [])))]
        pub async fn $get(State(st): State<AppState>, caller: ApiCaller, Path(name): Path<String>) -> ApiResult<Json<NamedBody>> {
            let admin = admin(&st, &caller).await?;
            Ok(Json(load(&admin, $kind, &name).await?))
        }
    };
}

named_kind!(
    create_group,
    list_groups,
    get_group,
    "/groups",
    "/groups/{group}",
    "group",
    RecordKind::Group,
    Group,
    put_group,
    "group",
    NamedBody
);
named_kind!(
    create_service,
    list_services,
    get_service,
    "/services",
    "/services/{service}",
    "service",
    RecordKind::Service,
    Service,
    put_service,
    "service",
    ServiceBody
);
named_kind!(
    create_role,
    list_roles,
    get_role,
    "/roles",
    "/roles/{role}",
    "role",
    RecordKind::Role,
    Role,
    put_role,
    "role",
    NamedBody
);

/// A group, service or role as the API shows it, else 404.
async fn load(admin: &Admin<'_>, kind: RecordKind, name: &str) -> ApiResult<NamedBody> {
    match admin.get(kind, name).await? {
        Some(Record::Group(x)) => Ok(x.into()),
        Some(Record::Service(x)) => Ok(x.into()),
        Some(Record::Role(x)) => Ok(x.into()),
        _ => Err(Problem::not_found(format!("{} {name:?} not found", kind.as_str()))),
    }
}

/// Renames (when `name` differs) and then applies the rest of the patch, for groups and roles.
async fn patch_renamable(admin: &Admin<'_>, kind: RecordKind, name: &str, p: &RenamablePatch) -> ApiResult<NamedBody> {
    let mut b = load(admin, kind, name).await?;
    if let Some(new) = p.name.as_deref().filter(|n| *n != name) {
        must_not_exist(admin, kind, new, kind.as_str()).await?;
        match kind {
            RecordKind::Group => admin.rename_group(name, new).await?,
            _ => admin.rename_role(name, new).await?,
        }
        b.name = new.to_string();
    }
    p.apply(&mut b);
    match kind {
        RecordKind::Group => admin.put_group(Group::from(b.clone())).await?,
        _ => admin.put_role(Role::from(b.clone())).await?,
    }
    Ok(b)
}

/// Changes a group (admins): comment, validity, or its name (queues and grants follow).
#[utoipa::path(patch, path = "/groups/{group}", tag = "admin", request_body = RenamablePatch,
    params(("group" = String, Path, description = "Name")),
    responses((status = 200, description = "The changed group", body = NamedBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<RenamablePatch>,
) -> ApiResult<Json<NamedBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(patch_renamable(&admin, RecordKind::Group, &name, &p).await?))
}

/// Changes a role (admins): comment, validity, or its name (permissions and members follow).
#[utoipa::path(patch, path = "/roles/{role}", tag = "admin", request_body = RenamablePatch,
    params(("role" = String, Path, description = "Name")),
    responses((status = 200, description = "The changed role", body = NamedBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_role(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<RenamablePatch>,
) -> ApiResult<Json<NamedBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(patch_renamable(&admin, RecordKind::Role, &name, &p).await?))
}

/// Changes a service (admins): comment and validity.
#[utoipa::path(patch, path = "/services/{service}", tag = "admin", request_body = ServicePatch,
    params(("service" = String, Path, description = "Full name, e.g. IT::Email")),
    responses((status = 200, description = "The changed service", body = NamedBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_service(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<ServicePatch>,
) -> ApiResult<Json<NamedBody>> {
    let admin = admin(&st, &caller).await?;
    let mut b = load(&admin, RecordKind::Service, &name).await?;
    p.apply(&mut b);
    admin.put_service(Service::from(b.clone())).await?;
    Ok(Json(b))
}

/// Who has a service (admins): its customer users, their customers, whether it is a default service.
#[utoipa::path(get, path = "/services/{service}/holders", tag = "admin",
    params(("service" = String, Path, description = "Full name, e.g. IT::Email")),
    responses((status = 200, description = "The per-service view", body = ServiceHoldersBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn service_holders(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<ServiceHoldersBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(admin.service_holders(&name).await?.into()))
}

/// Adds a queue (admins); its group and the texts it names must exist (404), each auto-response of
/// the kind it is named for (409).
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
    must_not_exist(&admin, RecordKind::Queue, &b.name, "queue").await?;
    let q = Queue::from(b.clone());
    auto_response_kinds(&st, &q).await?;
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
        .filter_map(|r| if let Record::Queue(q) = r { Some(QueueBody::from(q)) } else { None })
        .collect();
    Ok(Json(QueueList { items }))
}

/// 409 when a queue names an existing auto-response for another kind than its own: the request is
/// well formed, and clashes with the auto-response as stored.
pub(crate) async fn auto_response_kinds(st: &AppState, q: &Queue) -> ApiResult<()> {
    for kind in AutoResponseKind::ALL {
        let Some(name) = q.auto_responses.get(kind) else { continue };
        if let Some(a) = st.engine.auto_response(name).await?
            && a.kind != kind
        {
            let m = Message::new("error-auto-response-wrong-kind")
                .arg("name", format!("{name:?}"))
                .arg("kind", kind.as_str());
            return Err(Problem::conflict("conflict", m.english()).with_message(m));
        }
    }
    Ok(())
}

async fn load_queue(admin: &Admin<'_>, name: &str) -> ApiResult<Queue> {
    match admin.get(RecordKind::Queue, name).await? {
        Some(Record::Queue(q)) => Ok(q),
        _ => Err(Problem::not_found(format!("queue {name:?} not found"))),
    }
}

/// One queue (admins).
#[utoipa::path(get, path = "/queues/{queue}", tag = "admin", params(("queue" = String, Path, description = "Name")),
    responses((status = 200, description = "Found", body = QueueBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_queue(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<QueueBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(load_queue(&admin, &name).await?.into()))
}

/// Changes a queue (admins): group, follow-up policy, comment, validity (an invalid queue takes no new
/// tickets; its tickets stay), its auto-responses, salutation, signature and unlock timeout (the texts
/// must exist: 404; each auto-response of the kind it is named for: 409).
#[utoipa::path(patch, path = "/queues/{queue}", tag = "admin", request_body = QueuePatch,
    params(("queue" = String, Path, description = "Name")),
    responses((status = 200, description = "The changed queue", body = QueueBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_queue(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<QueuePatch>,
) -> ApiResult<Json<QueueBody>> {
    let admin = admin(&st, &caller).await?;
    let mut q = load_queue(&admin, &name).await?;
    p.apply(&mut q);
    auto_response_kinds(&st, &q).await?;
    admin.put_queue(q.clone()).await?;
    Ok(Json(q.into()))
}
