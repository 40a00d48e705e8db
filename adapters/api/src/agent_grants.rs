//! Agent-side permissions, as the OTRS admin screens set them: agent <-> group (all seven
//! permissions), role <-> group, agent <-> role; and changing an agent.

use crate::admin_common::admin;
use crate::agents::AgentPatch;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Admin, Grant, GrantSubject, GrantTarget, Permission, PermissionSet, Record, RecordKind};
use chamado_http::AppState;
use chamado_http::auth::{ApiCaller, password};
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The agent-grant routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(patch_agent))
        .routes(routes!(put_agent_group, delete_agent_group))
        .routes(routes!(put_agent_role, delete_agent_role))
        .routes(routes!(put_role_group, delete_role_group))
}

/// Permissions on a group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionsIn {
    /// Any of `ro`, `move_into`, `create`, `note`, `owner`, `priority`, `rw`; empty revokes.
    #[schema(schema_with = chamado_api_types::rules::permissions)]
    pub permissions: Vec<String>,
}

/// Permissions held on a group.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgentGroupGrant {
    /// The group.
    pub group: String,
    /// The permissions.
    pub permissions: Vec<String>,
}

async fn need(admin: &Admin<'_>, kind: RecordKind, key: &str, what: &str) -> ApiResult<()> {
    match admin.get(kind, key).await? {
        Some(_) => Ok(()),
        None => Err(Problem::not_found(format!("{what} {key:?} not found"))),
    }
}

async fn put_group(
    admin: &Admin<'_>,
    subject: GrantSubject,
    group: String,
    body: PermissionsIn,
) -> ApiResult<Json<AgentGroupGrant>> {
    need(admin, RecordKind::Group, &group, "group").await?;
    let mut set = PermissionSet::EMPTY;
    for p in &body.permissions {
        set.insert(p.parse::<Permission>()?);
    }
    admin.grant(Grant::group(subject, group.clone(), set)).await?;
    Ok(Json(AgentGroupGrant { group, permissions: set.iter().map(|p| p.as_str().to_string()).collect() }))
}

/// Changes an agent (admins): names, email, console password, valid, language, time zone.
#[utoipa::path(patch, path = "/agents/{login}", tag = "admin", request_body = AgentPatch, params(("login" = String, Path, description = "Agent login")),
    responses((status = 204, description = "Changed"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_agent(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
    ApiJson(p): ApiJson<AgentPatch>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    let Some(Record::Agent(mut a)) = admin.get(RecordKind::Agent, &login).await? else {
        return Err(Problem::not_found(format!("agent {login:?} not found")));
    };
    p.apply_locale(&mut a)?;
    if let Some(v) = p.first_name {
        a.first_name = v;
    }
    if let Some(v) = p.last_name {
        a.last_name = v;
    }
    if let Some(v) = p.email {
        a.email = v;
    }
    if let Some(v) = p.valid {
        a.valid = v;
    }
    if let Some(pw) = p.password {
        if pw.is_empty() {
            return Err(Problem::validation("password must not be empty"));
        }
        a.password_hash = Some(password::hash_async(pw).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    // A new password revokes the agent's tokens; an admin changing its own keeps the one it called with.
    let own = chamado_http::random::sha256_hex(&caller.token);
    let keep = (caller.actor == chamado::Actor::Agent(login.clone())).then_some(chamado::Credential::ApiToken(&own));
    admin.put_agent_keeping(a, keep).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets an agent's permissions on a group (admins); an empty list revokes.
#[utoipa::path(put, path = "/agents/{login}/groups/{group}", tag = "grants", request_body = PermissionsIn,
    params(("login" = String, Path, description = "Agent login"), ("group" = String, Path, description = "Group")),
    responses((status = 200, description = "Granted", body = AgentGroupGrant),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_agent_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, group)): Path<(String, String)>,
    ApiJson(b): ApiJson<PermissionsIn>,
) -> ApiResult<Json<AgentGroupGrant>> {
    let admin = admin(&st, &caller).await?;
    need(&admin, RecordKind::Agent, &login, "agent").await?;
    put_group(&admin, GrantSubject::Agent(login), group, b).await
}

/// Revokes an agent's permissions on a group (admins).
#[utoipa::path(delete, path = "/agents/{login}/groups/{group}", tag = "grants",
    params(("login" = String, Path, description = "Agent login"), ("group" = String, Path, description = "Group")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_agent_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, group)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::Agent(login), &GrantTarget::Group(group)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes an agent a member of a role (admins).
#[utoipa::path(put, path = "/agents/{login}/roles/{role}", tag = "grants",
    params(("login" = String, Path, description = "Agent login"), ("role" = String, Path, description = "Role")),
    responses((status = 204, description = "Granted"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_agent_role(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, role)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    need(&admin, RecordKind::Agent, &login, "agent").await?;
    need(&admin, RecordKind::Role, &role, "role").await?;
    admin.grant(Grant::role_membership(login, role)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an agent from a role (admins).
#[utoipa::path(delete, path = "/agents/{login}/roles/{role}", tag = "grants",
    params(("login" = String, Path, description = "Agent login"), ("role" = String, Path, description = "Role")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_agent_role(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((login, role)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::Agent(login), &GrantTarget::Role(role)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a role's permissions on a group (admins); every member agent holds them.
#[utoipa::path(put, path = "/roles/{role}/groups/{group}", tag = "grants", request_body = PermissionsIn,
    params(("role" = String, Path, description = "Role"), ("group" = String, Path, description = "Group")),
    responses((status = 200, description = "Granted", body = AgentGroupGrant),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_role_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((role, group)): Path<(String, String)>,
    ApiJson(b): ApiJson<PermissionsIn>,
) -> ApiResult<Json<AgentGroupGrant>> {
    let admin = admin(&st, &caller).await?;
    need(&admin, RecordKind::Role, &role, "role").await?;
    put_group(&admin, GrantSubject::Role(role), group, b).await
}

/// Revokes a role's permissions on a group (admins).
#[utoipa::path(delete, path = "/roles/{role}/groups/{group}", tag = "grants",
    params(("role" = String, Path, description = "Role"), ("group" = String, Path, description = "Group")),
    responses((status = 204, description = "Revoked"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_role_group(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((role, group)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    admin.revoke(&GrantSubject::Role(role), &GrantTarget::Group(group)).await?;
    Ok(StatusCode::NO_CONTENT)
}
