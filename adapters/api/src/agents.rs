//! `/api/v1/agents`: agents, their group permissions and their API tokens.

use crate::admin_common::{ListParams, admin, list_records, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Agent, Grant, GrantSubject, GrantTarget, Permission, PermissionSet, Record, RecordKind};
pub use chamado_api_types::agents::{AgentIn, AgentList, AgentOut, AgentPatch, AgentToken, Revoked};
use chamado_http::AppState;
use chamado_http::auth::{ApiCaller, agent_token, password};
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The agent routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_agent, list_agents)).routes(routes!(issue_token, revoke_tokens))
}

fn permission_set(names: &[String]) -> ApiResult<PermissionSet> {
    let mut set = PermissionSet::EMPTY;
    for n in names {
        set.insert(n.parse::<Permission>()?);
    }
    Ok(set)
}

/// Adds an agent with group permissions and roles (admins); answers its first API token, shown once.
#[utoipa::path(post, path = "/agents", tag = "admin", request_body = AgentIn,
    responses((status = 201, description = "Created; the token is shown only now", body = AgentToken),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_agent(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<AgentIn>,
) -> ApiResult<(StatusCode, Json<AgentToken>)> {
    let admin = admin(&st, &caller).await?;
    must_not_exist(&admin, RecordKind::Agent, &b.login, "agent").await?;
    let grants = b.groups.iter().map(|(g, p)| Ok((g.clone(), permission_set(p)?))).collect::<ApiResult<Vec<_>>>()?;
    b.check_locale()?;
    let mut agent = Agent::new(b.login.clone());
    agent.language = b.language;
    agent.time_zone = b.time_zone;
    agent.first_name = b.first_name;
    agent.last_name = b.last_name;
    agent.email = b.email;
    agent.validate()?;
    if let Some(p) = b.password.filter(|p| !p.is_empty()) {
        agent.password_hash = Some(password::hash_async(p).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    admin.put_agent(agent).await?;
    for (group, perms) in grants {
        admin.grant(Grant::group(GrantSubject::Agent(b.login.clone()), group, perms)).await?;
    }
    for role in b.roles {
        admin.grant(Grant::role_membership(b.login.clone(), role)).await?;
    }
    let token = agent_token::issue(&admin, &b.login).await?;
    Ok((StatusCode::CREATED, Json(AgentToken { login: b.login, token })))
}

/// Lists or searches agents (admins).
#[utoipa::path(get, path = "/agents", tag = "admin", params(ListParams),
    responses((status = 200, description = "Agents", body = AgentList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_agents(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<AgentList>> {
    let admin = admin(&st, &caller).await?;
    let mut agents = Vec::new();
    for r in list_records(&admin, RecordKind::Agent, &p).await? {
        let Record::Agent(a) = r else { continue };
        let mut groups = BTreeMap::new();
        for g in admin.grants_of(&GrantSubject::Agent(a.login.clone())).await? {
            if let GrantTarget::Group(name) = g.target {
                groups.insert(name, g.permissions.iter().map(|p| p.as_str().to_string()).collect());
            }
        }
        agents.push(AgentOut {
            tokens: a.token_hashes.len(),
            login: a.login,
            first_name: a.first_name,
            last_name: a.last_name,
            email: a.email,
            valid: a.valid,
            groups,
            language: a.language,
            time_zone: a.time_zone,
        });
    }
    Ok(Json(AgentList { agents }))
}

/// Issues another API token for an agent (admins); shown once.
#[utoipa::path(post, path = "/agents/{login}/tokens", tag = "admin", params(("login" = String, Path, description = "Agent login")),
    responses((status = 201, description = "The new token, shown only now", body = AgentToken),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn issue_token(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
) -> ApiResult<(StatusCode, Json<AgentToken>)> {
    let admin = admin(&st, &caller).await?;
    let token = agent_token::issue(&admin, &login).await?;
    Ok((StatusCode::CREATED, Json(AgentToken { login, token })))
}

/// Revokes every API token of an agent (admins).
#[utoipa::path(delete, path = "/agents/{login}/tokens", tag = "admin", params(("login" = String, Path, description = "Agent login")),
    responses((status = 200, description = "Revoked", body = Revoked),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn revoke_tokens(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
) -> ApiResult<Json<Revoked>> {
    let admin = admin(&st, &caller).await?;
    let revoked = agent_token::revoke_all(&admin, &login).await?;
    Ok(Json(Revoked { revoked }))
}
