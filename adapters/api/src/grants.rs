//! Customer-side grants, as the OTRS admin screens set them: customer user <-> group, customer <->
//! group, default groups, customer user <-> service and default services.

use crate::admin_common::admin;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Admin, Grant, GrantSubject, GrantTarget, Permission, PermissionSet, RecordKind};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The grant routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_user_groups))
        .routes(routes!(put_user_group, delete_user_group))
        .routes(routes!(list_customer_groups))
        .routes(routes!(put_customer_group, delete_customer_group))
        .routes(routes!(list_default_groups))
        .routes(routes!(put_default_group, delete_default_group))
        .routes(routes!(list_user_services))
        .routes(routes!(put_user_service, delete_user_service))
        .routes(routes!(list_default_services))
        .routes(routes!(put_default_service, delete_default_service))
}

/// A customer-side group permission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantIn {
    /// `ro` (see the tickets) or `rw` (also open tickets and follow up).
    #[schema(schema_with = chamado_api_types::rules::customer_permission)]
    pub permission: String,
}

/// A group grant.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupGrant {
    /// The group.
    pub group: String,
    /// The permissions held on it.
    pub permissions: Vec<String>,
}

/// The group grants of a subject.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupGrants {
    /// Grants held directly.
    pub grants: Vec<GroupGrant>,
    /// For customer users: the effective permissions from own, company and default grants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<BTreeMap<String, Vec<String>>>,
}

/// Services of a subject.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceList {
    /// The services (for a customer user: the effective ones, own and default).
    pub services: Vec<String>,
    /// For customer users: the services granted directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own: Option<Vec<String>>,
}

fn perms(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.as_str().to_string()).collect()
}

async fn exists(admin: &Admin<'_>, kind: RecordKind, key: &str, what: &str) -> ApiResult<()> {
    match admin.get(kind, key).await? {
        Some(_) => Ok(()),
        None => Err(Problem::not_found(format!("{what} {key:?} not found"))),
    }
}

async fn group_grants(admin: &Admin<'_>, subject: &GrantSubject) -> ApiResult<Vec<GroupGrant>> {
    Ok(admin
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| {
            if let GrantTarget::Group(group) = g.target {
                Some(GroupGrant { group, permissions: perms(g.permissions) })
            } else {
                None
            }
        })
        .collect())
}

async fn services_of(admin: &Admin<'_>, subject: &GrantSubject) -> ApiResult<Vec<String>> {
    Ok(admin
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| if let GrantTarget::Service(s) = g.target { Some(s) } else { None })
        .collect())
}

async fn put_group(
    admin: &Admin<'_>,
    subject: GrantSubject,
    group: String,
    body: GrantIn,
) -> ApiResult<Json<GroupGrant>> {
    let p = match body.permission.as_str() {
        "ro" => Permission::Ro,
        "rw" => Permission::Rw,
        other => return Err(Problem::validation(format!("permission {other:?} is not ro or rw"))),
    };
    exists(admin, RecordKind::Group, &group, "group").await?;
    admin.grant(Grant::group(subject, group.clone(), PermissionSet::of(&[p]))).await?;
    Ok(Json(GroupGrant { group, permissions: vec![p.as_str().to_string()] }))
}

async fn put_service(admin: &Admin<'_>, subject: GrantSubject, service: String) -> ApiResult<StatusCode> {
    exists(admin, RecordKind::Service, &service, "service").await?;
    admin.grant(Grant::service(subject, service)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A customer user's group grants and effective permissions (admins).
#[utoipa::path(get, path = "/customer-users/{login}/groups", tag = "grants", params(("login" = String, Path, description = "Customer user")),
    responses((status = 200, description = "Grants", body = GroupGrants),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_user_groups(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
) -> ApiResult<Json<GroupGrants>> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::CustomerUser, &login, "customer user").await?;
    let grants = group_grants(&admin, &GrantSubject::CustomerUser(login.clone())).await?;
    let effective = match st.engine.customer_access(&login).await {
        Ok(a) => a.groups().iter().map(|(g, p)| (g.clone(), perms(*p))).collect(),
        Err(chamado::Error::PermissionDenied(_)) => BTreeMap::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(GroupGrants { grants, effective: Some(effective) }))
}

/// Grants a customer user `ro` or `rw` on a group (admins); replaces an earlier grant.
#[utoipa::path(put, path = "/customer-users/{login}/groups/{group}", tag = "grants", request_body = GrantIn,
    params(("login" = String, Path, description = "Customer user"), ("group" = String, Path, description = "Group")),
    responses((status = 200, description = "Granted", body = GroupGrant),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_user_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, group)): Path<(String, String)>,
    ApiJson(b): ApiJson<GrantIn>,
) -> ApiResult<Json<GroupGrant>> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::CustomerUser, &login, "customer user").await?;
    put_group(&admin, GrantSubject::CustomerUser(login), group, b).await
}

/// Revokes a customer user's grant on a group (admins).
#[utoipa::path(delete, path = "/customer-users/{login}/groups/{group}", tag = "grants",
    params(("login" = String, Path, description = "Customer user"), ("group" = String, Path, description = "Group")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_user_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, group)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::CustomerUser(login), &GrantTarget::Group(group)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A customer's (company's) group grants (admins).
#[utoipa::path(get, path = "/customers/{id}/groups", tag = "grants", params(("id" = String, Path, description = "CustomerID")),
    responses((status = 200, description = "Grants", body = GroupGrants),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_customer_groups(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupGrants>> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::Customer, &id, "customer").await?;
    Ok(Json(GroupGrants { grants: group_grants(&admin, &GrantSubject::Customer(id)).await?, effective: None }))
}

/// Grants every user of a customer `ro` or `rw` on a group (admins).
#[utoipa::path(put, path = "/customers/{id}/groups/{group}", tag = "grants", request_body = GrantIn,
    params(("id" = String, Path, description = "CustomerID"), ("group" = String, Path, description = "Group")),
    responses((status = 200, description = "Granted", body = GroupGrant),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_customer_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((id, group)): Path<(String, String)>,
    ApiJson(b): ApiJson<GrantIn>,
) -> ApiResult<Json<GroupGrant>> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::Customer, &id, "customer").await?;
    put_group(&admin, GrantSubject::Customer(id), group, b).await
}

/// Revokes a customer's grant on a group (admins).
#[utoipa::path(delete, path = "/customers/{id}/groups/{group}", tag = "grants",
    params(("id" = String, Path, description = "CustomerID"), ("group" = String, Path, description = "Group")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_customer_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((id, group)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::Customer(id), &GrantTarget::Group(group)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The default groups every customer user holds (admins).
#[utoipa::path(get, path = "/default-groups", tag = "grants",
    responses((status = 200, description = "Grants", body = GroupGrants),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_default_groups(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<GroupGrants>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(GroupGrants { grants: group_grants(&admin, &GrantSubject::DefaultCustomerUsers).await?, effective: None }))
}

/// Makes a group a default group of every customer user, `ro` or `rw` (admins).
#[utoipa::path(put, path = "/default-groups/{group}", tag = "grants", request_body = GrantIn,
    params(("group" = String, Path, description = "Group")),
    responses((status = 200, description = "Granted", body = GroupGrant),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_default_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(group): Path<String>,
    ApiJson(b): ApiJson<GrantIn>,
) -> ApiResult<Json<GroupGrant>> {
    let admin = admin(&st, &caller).await?;
    put_group(&admin, GrantSubject::DefaultCustomerUsers, group, b).await
}

/// Removes a default group (admins).
#[utoipa::path(delete, path = "/default-groups/{group}", tag = "grants", params(("group" = String, Path, description = "Group")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_default_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(group): Path<String>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::DefaultCustomerUsers, &GrantTarget::Group(group)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A customer user's effective services (own and default) and own services (admins).
#[utoipa::path(get, path = "/customer-users/{login}/services", tag = "grants", params(("login" = String, Path, description = "Customer user")),
    responses((status = 200, description = "Services", body = ServiceList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_user_services(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
) -> ApiResult<Json<ServiceList>> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::CustomerUser, &login, "customer user").await?;
    let own = services_of(&admin, &GrantSubject::CustomerUser(login.clone())).await?;
    let services = match st.engine.customer_access(&login).await {
        Ok(a) => a.services().iter().cloned().collect(),
        Err(chamado::Error::PermissionDenied(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(ServiceList { services, own: Some(own) }))
}

/// Grants a customer user a service (admins).
#[utoipa::path(put, path = "/customer-users/{login}/services/{service}", tag = "grants",
    params(("login" = String, Path, description = "Customer user"), ("service" = String, Path, description = "Service, `Parent::Child`")),
    responses((status = 204, description = "Granted"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_user_service(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, service)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    exists(&admin, RecordKind::CustomerUser, &login, "customer user").await?;
    put_service(&admin, GrantSubject::CustomerUser(login), service).await
}

/// Takes a service from a customer user (admins).
#[utoipa::path(delete, path = "/customer-users/{login}/services/{service}", tag = "grants",
    params(("login" = String, Path, description = "Customer user"), ("service" = String, Path, description = "Service")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_user_service(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, service)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::CustomerUser(login), &GrantTarget::Service(service)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The default services of every customer user (admins).
#[utoipa::path(get, path = "/default-services", tag = "grants",
    responses((status = 200, description = "Services", body = ServiceList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_default_services(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<ServiceList>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(ServiceList { services: services_of(&admin, &GrantSubject::DefaultCustomerUsers).await?, own: None }))
}

/// Makes a service a default service (admins).
#[utoipa::path(put, path = "/default-services/{service}", tag = "grants", params(("service" = String, Path, description = "Service")),
    responses((status = 204, description = "Granted"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_default_service(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(service): Path<String>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    put_service(&admin, GrantSubject::DefaultCustomerUsers, service).await
}

/// Removes a default service (admins).
#[utoipa::path(delete, path = "/default-services/{service}", tag = "grants", params(("service" = String, Path, description = "Service")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_default_service(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(service): Path<String>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::DefaultCustomerUsers, &GrantTarget::Service(service)).await?;
    Ok(StatusCode::NO_CONTENT)
}
