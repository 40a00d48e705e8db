//! `/api/v1/auto-responses`, `/salutations`, `/signatures`, `/templates` and `/notifications`: the texts
//! admins write and what agent notifications do (admins). Every subject and body is a template the
//! engine compiles when it is saved: one that does not work is a 422 whose detail names the part, the
//! language and the line (in the language `Accept-Language` asks for).

use crate::admin_common::admin;
use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chamado::{Admin, Engine, NotificationDef, NotificationKind, RecordKind};
pub use chamado_api_types::texts::{
    AutoResponseBody, AutoResponseChanges, AutoResponseList, MessageText, NotificationIn, NotificationList,
    NotificationOut, SnippetBody, SnippetChanges, SnippetList, TemplateBody, TemplateChanges, TemplateList, TextBody,
};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of admins' texts and notification settings.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_auto_response, list_auto_responses))
        .routes(routes!(get_auto_response, put_auto_response, delete_auto_response))
        .routes(routes!(create_salutation, list_salutations))
        .routes(routes!(get_salutation, put_salutation, delete_salutation))
        .routes(routes!(create_signature, list_signatures))
        .routes(routes!(get_signature, put_signature, delete_signature))
        .routes(routes!(create_template, list_templates))
        .routes(routes!(get_template, put_template, delete_template))
        .routes(routes!(list_notifications))
        .routes(routes!(get_notification, put_notification, delete_notification))
}

/// 409 when a text of that name exists (POST adds; PUT replaces).
fn taken(what: &str, name: &str) -> Problem {
    Problem::conflict("duplicate", format!("{what} {name:?} already exists; change it with PUT"))
}

fn missing(what: &str, name: &str) -> Problem {
    Problem::not_found(format!("{what} {name:?} not found"))
}

/// The engine's calls for one kind of text, so one set of handlers serves the four kinds.
trait TextKind {
    /// What the API shows and takes on `POST`.
    type Body: serde::Serialize;
    /// The engine's record.
    type Record: Clone;
    /// The record kind (for removal).
    const KIND: RecordKind;
    /// The noun in refusals.
    const WHAT: &'static str;
    /// Every record, in name order.
    async fn all(engine: &Engine) -> chamado::Result<Vec<Self::Record>>;
    /// One record.
    async fn one(engine: &Engine, name: &str) -> chamado::Result<Option<Self::Record>>;
    /// The record of a body, after the API's own checks.
    fn record(body: Self::Body) -> chamado::Result<Self::Record>;
    /// Stores a record.
    async fn store(admin: &Admin<'_>, record: Self::Record) -> chamado::Result<()>;
    /// The body of a record.
    fn body(record: Self::Record) -> Self::Body;
    /// The name of a body.
    fn name(body: &Self::Body) -> &str;
}

struct AutoResponses;
struct Salutations;
struct Signatures;
struct Templates;

impl TextKind for AutoResponses {
    type Body = AutoResponseBody;
    type Record = chamado::AutoResponse;
    const KIND: RecordKind = RecordKind::AutoResponse;
    const WHAT: &'static str = "auto-response";
    async fn all(engine: &Engine) -> chamado::Result<Vec<Self::Record>> {
        engine.auto_responses().await
    }
    async fn one(engine: &Engine, name: &str) -> chamado::Result<Option<Self::Record>> {
        engine.auto_response(name).await
    }
    fn record(body: Self::Body) -> chamado::Result<Self::Record> {
        body.into_record()
    }
    async fn store(admin: &Admin<'_>, record: Self::Record) -> chamado::Result<()> {
        admin.put_auto_response(record).await
    }
    fn body(record: Self::Record) -> Self::Body {
        record.into()
    }
    fn name(body: &Self::Body) -> &str {
        &body.name
    }
}

impl TextKind for Salutations {
    type Body = SnippetBody;
    type Record = chamado::Salutation;
    const KIND: RecordKind = RecordKind::Salutation;
    const WHAT: &'static str = "salutation";
    async fn all(engine: &Engine) -> chamado::Result<Vec<Self::Record>> {
        engine.salutations().await
    }
    async fn one(engine: &Engine, name: &str) -> chamado::Result<Option<Self::Record>> {
        engine.salutation(name).await
    }
    fn record(body: Self::Body) -> chamado::Result<Self::Record> {
        body.into_salutation()
    }
    async fn store(admin: &Admin<'_>, record: Self::Record) -> chamado::Result<()> {
        admin.put_salutation(record).await
    }
    fn body(record: Self::Record) -> Self::Body {
        record.into()
    }
    fn name(body: &Self::Body) -> &str {
        &body.name
    }
}

impl TextKind for Signatures {
    type Body = SnippetBody;
    type Record = chamado::Signature;
    const KIND: RecordKind = RecordKind::Signature;
    const WHAT: &'static str = "signature";
    async fn all(engine: &Engine) -> chamado::Result<Vec<Self::Record>> {
        engine.signatures().await
    }
    async fn one(engine: &Engine, name: &str) -> chamado::Result<Option<Self::Record>> {
        engine.signature(name).await
    }
    fn record(body: Self::Body) -> chamado::Result<Self::Record> {
        body.into_signature()
    }
    async fn store(admin: &Admin<'_>, record: Self::Record) -> chamado::Result<()> {
        admin.put_signature(record).await
    }
    fn body(record: Self::Record) -> Self::Body {
        record.into()
    }
    fn name(body: &Self::Body) -> &str {
        &body.name
    }
}

impl TextKind for Templates {
    type Body = TemplateBody;
    type Record = chamado::StandardTemplate;
    const KIND: RecordKind = RecordKind::Template;
    const WHAT: &'static str = "template";
    async fn all(engine: &Engine) -> chamado::Result<Vec<Self::Record>> {
        engine.templates().await
    }
    async fn one(engine: &Engine, name: &str) -> chamado::Result<Option<Self::Record>> {
        engine.template(name).await
    }
    fn record(body: Self::Body) -> chamado::Result<Self::Record> {
        body.into_record()
    }
    async fn store(admin: &Admin<'_>, record: Self::Record) -> chamado::Result<()> {
        admin.put_template(record).await
    }
    fn body(record: Self::Record) -> Self::Body {
        record.into()
    }
    fn name(body: &Self::Body) -> &str {
        &body.name
    }
}

async fn create<K: TextKind>(st: &AppState, caller: &ApiCaller, body: K::Body) -> ApiResult<K::Body> {
    let admin = admin(st, caller).await?;
    let name = K::name(&body).to_string();
    if K::one(&st.engine, &name).await?.is_some() {
        return Err(taken(K::WHAT, &name));
    }
    let record = K::record(body)?;
    K::store(&admin, record.clone()).await?;
    Ok(K::body(record))
}

async fn list<K: TextKind>(st: &AppState, caller: &ApiCaller) -> ApiResult<Vec<K::Body>> {
    admin(st, caller).await?;
    Ok(K::all(&st.engine).await?.into_iter().map(K::body).collect())
}

async fn get<K: TextKind>(st: &AppState, caller: &ApiCaller, name: &str) -> ApiResult<K::Body> {
    admin(st, caller).await?;
    K::one(&st.engine, name).await?.map(K::body).ok_or_else(|| missing(K::WHAT, name))
}

async fn replace<K: TextKind>(st: &AppState, caller: &ApiCaller, name: &str, body: K::Body) -> ApiResult<K::Body> {
    let admin = admin(st, caller).await?;
    if K::one(&st.engine, name).await?.is_none() {
        return Err(missing(K::WHAT, name));
    }
    let record = K::record(body)?;
    K::store(&admin, record.clone()).await?;
    Ok(K::body(record))
}

async fn delete<K: TextKind>(st: &AppState, caller: &ApiCaller, name: &str) -> ApiResult<StatusCode> {
    let admin = admin(st, caller).await?;
    if K::one(&st.engine, name).await?.is_none() {
        return Err(missing(K::WHAT, name));
    }
    admin.delete_text(K::KIND, name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds an auto-response (admins); 409 when the name is taken, 422 (naming the line) for a template
/// that does not work.
#[utoipa::path(post, path = "/auto-responses", tag = "admin", request_body = AutoResponseBody,
    responses((status = 201, description = "Created", body = AutoResponseBody),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "An auto-response of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_auto_response(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<AutoResponseBody>,
) -> ApiResult<(StatusCode, Json<AutoResponseBody>)> {
    let out = create::<AutoResponses>(&st, &caller, b).await.map_err(|p| localized(p, &headers))?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Every auto-response (admins), in name order.
#[utoipa::path(get, path = "/auto-responses", tag = "admin",
    responses((status = 200, description = "Auto-responses", body = AutoResponseList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_auto_responses(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<AutoResponseList>> {
    Ok(Json(AutoResponseList { items: list::<AutoResponses>(&st, &caller).await? }))
}

/// One auto-response (admins).
#[utoipa::path(get, path = "/auto-responses/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The auto-response", body = AutoResponseBody),
        (status = 404, description = "No such auto-response", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_auto_response(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<AutoResponseBody>> {
    Ok(Json(get::<AutoResponses>(&st, &caller, &name).await?))
}

/// Replaces an auto-response (admins). Its kind cannot change while a queue uses it for its kind
/// (409).
#[utoipa::path(put, path = "/auto-responses/{name}", tag = "admin", request_body = AutoResponseChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The auto-response as stored", body = AutoResponseBody),
        (status = 404, description = "No such auto-response", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A queue uses it for its kind", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_auto_response(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<AutoResponseChanges>,
) -> ApiResult<Json<AutoResponseBody>> {
    let out = replace::<AutoResponses>(&st, &caller, &name, b.named(&name)).await;
    Ok(Json(out.map_err(|p| localized(p, &headers))?))
}

/// Removes an auto-response (admins); one a queue uses is kept (409 naming the queue).
#[utoipa::path(delete, path = "/auto-responses/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such auto-response", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A queue uses it", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_auto_response(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    delete::<AutoResponses>(&st, &caller, &name).await.map_err(|p| localized(p, &headers))
}

/// Adds a salutation (admins); 409 when the name is taken, 422 (naming the line) for a template that
/// does not work.
#[utoipa::path(post, path = "/salutations", tag = "admin", request_body = SnippetBody,
    responses((status = 201, description = "Created", body = SnippetBody),
        (status = 409, description = "A salutation of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_salutation(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<SnippetBody>,
) -> ApiResult<(StatusCode, Json<SnippetBody>)> {
    let out = create::<Salutations>(&st, &caller, b).await.map_err(|p| localized(p, &headers))?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Every salutation (admins), in name order.
#[utoipa::path(get, path = "/salutations", tag = "admin",
    responses((status = 200, description = "Salutations", body = SnippetList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_salutations(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<SnippetList>> {
    Ok(Json(SnippetList { items: list::<Salutations>(&st, &caller).await? }))
}

/// One salutation (admins).
#[utoipa::path(get, path = "/salutations/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The salutation", body = SnippetBody),
        (status = 404, description = "No such salutation", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_salutation(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<SnippetBody>> {
    Ok(Json(get::<Salutations>(&st, &caller, &name).await?))
}

/// Replaces a salutation (admins).
#[utoipa::path(put, path = "/salutations/{name}", tag = "admin", request_body = SnippetChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The salutation as stored", body = SnippetBody),
        (status = 404, description = "No such salutation", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_salutation(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<SnippetChanges>,
) -> ApiResult<Json<SnippetBody>> {
    let out = replace::<Salutations>(&st, &caller, &name, b.named(&name)).await;
    Ok(Json(out.map_err(|p| localized(p, &headers))?))
}

/// Removes a salutation (admins); one a queue uses is kept (409 naming the queue).
#[utoipa::path(delete, path = "/salutations/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such salutation", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A queue uses it", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_salutation(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    delete::<Salutations>(&st, &caller, &name).await.map_err(|p| localized(p, &headers))
}

/// Adds a signature (admins); 409 when the name is taken, 422 (naming the line) for a template that
/// does not work.
#[utoipa::path(post, path = "/signatures", tag = "admin", request_body = SnippetBody,
    responses((status = 201, description = "Created", body = SnippetBody),
        (status = 409, description = "A signature of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_signature(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<SnippetBody>,
) -> ApiResult<(StatusCode, Json<SnippetBody>)> {
    let out = create::<Signatures>(&st, &caller, b).await.map_err(|p| localized(p, &headers))?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Every signature (admins), in name order.
#[utoipa::path(get, path = "/signatures", tag = "admin",
    responses((status = 200, description = "Signatures", body = SnippetList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_signatures(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<SnippetList>> {
    Ok(Json(SnippetList { items: list::<Signatures>(&st, &caller).await? }))
}

/// One signature (admins).
#[utoipa::path(get, path = "/signatures/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The signature", body = SnippetBody),
        (status = 404, description = "No such signature", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_signature(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<SnippetBody>> {
    Ok(Json(get::<Signatures>(&st, &caller, &name).await?))
}

/// Replaces a signature (admins).
#[utoipa::path(put, path = "/signatures/{name}", tag = "admin", request_body = SnippetChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The signature as stored", body = SnippetBody),
        (status = 404, description = "No such signature", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_signature(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<SnippetChanges>,
) -> ApiResult<Json<SnippetBody>> {
    let out = replace::<Signatures>(&st, &caller, &name, b.named(&name)).await;
    Ok(Json(out.map_err(|p| localized(p, &headers))?))
}

/// Removes a signature (admins); one a queue uses is kept (409 naming the queue).
#[utoipa::path(delete, path = "/signatures/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such signature", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A queue uses it", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_signature(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    delete::<Signatures>(&st, &caller, &name).await.map_err(|p| localized(p, &headers))
}

/// Adds a standard template (admins); its queues must exist (404). 409 when the name is taken, 422
/// (naming the line) for a template that does not work.
#[utoipa::path(post, path = "/templates", tag = "admin", request_body = TemplateBody,
    responses((status = 201, description = "Created", body = TemplateBody),
        (status = 404, description = "A queue does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A template of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_template(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<TemplateBody>,
) -> ApiResult<(StatusCode, Json<TemplateBody>)> {
    let out = create::<Templates>(&st, &caller, b).await.map_err(|p| localized(p, &headers))?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Every standard template (admins), in name order.
#[utoipa::path(get, path = "/templates", tag = "admin",
    responses((status = 200, description = "Templates", body = TemplateList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_templates(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<TemplateList>> {
    Ok(Json(TemplateList { items: list::<Templates>(&st, &caller).await? }))
}

/// One standard template (admins).
#[utoipa::path(get, path = "/templates/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The template", body = TemplateBody),
        (status = 404, description = "No such template", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_template(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<TemplateBody>> {
    Ok(Json(get::<Templates>(&st, &caller, &name).await?))
}

/// Replaces a standard template (admins); its queues must exist (404).
#[utoipa::path(put, path = "/templates/{name}", tag = "admin", request_body = TemplateChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The template as stored", body = TemplateBody),
        (status = 404, description = "No such template, or a queue does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_template(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<TemplateChanges>,
) -> ApiResult<Json<TemplateBody>> {
    let out = replace::<Templates>(&st, &caller, &name, b.named(&name)).await;
    Ok(Json(out.map_err(|p| localized(p, &headers))?))
}

/// Removes a standard template (admins).
#[utoipa::path(delete, path = "/templates/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such template", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_template(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    delete::<Templates>(&st, &caller, &name).await.map_err(|p| localized(p, &headers))
}

/// The notification kind a path names.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KindPath {
    /// The notification kind, e.g. `new_ticket`.
    #[param(schema_with = chamado_api_types::texts::notification_kind)]
    pub kind: String,
}

/// A notification kind named in a path, else 404.
fn notification_kind(kind: &str) -> ApiResult<NotificationKind> {
    kind.parse::<NotificationKind>().map_err(|_| Problem::not_found(format!("notification {kind:?} not found")))
}

/// What every notification kind does (admins): the ten kinds, with the admins' settings or the
/// shipped ones.
#[utoipa::path(get, path = "/notifications", tag = "admin",
    responses((status = 200, description = "The ten notification kinds", body = NotificationList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_notifications(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<NotificationList>> {
    admin(&st, &caller).await?;
    let items = st.engine.notification_defs().await?.into_iter().map(NotificationOut::from).collect();
    Ok(Json(NotificationList { items }))
}

/// What one notification kind does (admins).
#[utoipa::path(get, path = "/notifications/{kind}", tag = "admin",
    params(KindPath),
    responses((status = 200, description = "The notification kind", body = NotificationOut),
        (status = 404, description = "No such notification kind", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_notification(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(KindPath { kind }): Path<KindPath>,
) -> ApiResult<Json<NotificationOut>> {
    admin(&st, &caller).await?;
    let kind = notification_kind(&kind)?;
    Ok(Json(st.engine.notification_def(kind).await?.into()))
}

/// Sets what a notification kind does (admins): on or off, the default channels, whether agents may
/// choose their own, and its texts (none for the shipped, translated text).
#[utoipa::path(put, path = "/notifications/{kind}", tag = "admin", request_body = NotificationIn,
    params(KindPath),
    responses((status = 200, description = "The settings as stored", body = NotificationOut),
        (status = 404, description = "No such notification kind", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A text does not work as a template (the detail names the line), or a language is given twice", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_notification(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(KindPath { kind }): Path<KindPath>,
    ApiJson(b): ApiJson<NotificationIn>,
) -> ApiResult<Json<NotificationOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let kind = notification_kind(&kind)?;
        let def = b.into_def(kind)?;
        admin.put_notification(def.clone()).await?;
        Ok(NotificationOut::from(def))
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?))
}

/// Restores the shipped settings of a notification kind (admins): on, by mail, agents may choose,
/// the shipped text.
#[utoipa::path(delete, path = "/notifications/{kind}", tag = "admin",
    params(KindPath),
    responses((status = 200, description = "The shipped settings, now in force", body = NotificationOut),
        (status = 404, description = "No such notification kind", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_notification(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(KindPath { kind }): Path<KindPath>,
) -> ApiResult<Json<NotificationOut>> {
    let admin = admin(&st, &caller).await?;
    let kind = notification_kind(&kind)?;
    match admin.delete_text(RecordKind::Notification, NotificationDef::key_of(kind)).await {
        // Nothing stored: the shipped settings are in force already.
        Ok(()) | Err(chamado::Error::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Json(NotificationDef::shipped(kind).into()))
}
