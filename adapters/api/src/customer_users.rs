//! `/api/v1/customer-users`: the people who open tickets.

use crate::admin_common::{ListParams, admin, list_records, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{CustomerUser, Record, RecordKind};
pub use chamado_api_types::customer_users::{CustomerUserIn, CustomerUserList, CustomerUserOut, CustomerUserPatch};
use chamado_http::AppState;
use chamado_http::auth::{ApiCaller, password};
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The customer user routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_customer_user, list_customer_users))
        .routes(routes!(get_customer_user, patch_customer_user))
}

async fn hash(password: String) -> ApiResult<String> {
    if password.is_empty() {
        return Err(Problem::validation("password must not be empty"));
    }
    password::hash_async(password).await.map_err(|e| Problem::internal(e.to_string()))
}

/// Adds a customer user (admins).
#[utoipa::path(post, path = "/customer-users", tag = "admin", request_body = CustomerUserIn,
    responses((status = 201, description = "Created", body = CustomerUserOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_customer_user(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<CustomerUserIn>,
) -> ApiResult<(StatusCode, Json<CustomerUserOut>)> {
    let admin = admin(&st, &caller).await?;
    must_not_exist(&admin, RecordKind::CustomerUser, &b.login, "customer user").await?;
    let mut u = b.to_customer_user()?;
    if let Some(p) = b.password {
        u.password_hash = Some(hash(p).await?);
    }
    admin.put_customer_user(u.clone()).await?;
    Ok((StatusCode::CREATED, Json(CustomerUserOut::from(u))))
}

/// Lists or searches customer users (admins).
#[utoipa::path(get, path = "/customer-users", tag = "admin", params(ListParams),
    responses((status = 200, description = "Customer users", body = CustomerUserList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_customer_users(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<CustomerUserList>> {
    let admin = admin(&st, &caller).await?;
    let customer_users = list_records(&admin, RecordKind::CustomerUser, &p)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::CustomerUser(u) = r { Some(CustomerUserOut::from(u)) } else { None })
        .collect();
    Ok(Json(CustomerUserList { customer_users }))
}

pub(super) async fn load(admin: &chamado::Admin<'_>, login: &str) -> ApiResult<CustomerUser> {
    match admin.get(RecordKind::CustomerUser, login).await? {
        Some(Record::CustomerUser(u)) => Ok(u),
        _ => Err(Problem::not_found(format!("customer user {login:?} not found"))),
    }
}

/// One customer user (admins).
#[utoipa::path(get, path = "/customer-users/{login}", tag = "admin", params(("login" = String, Path, description = "Login")),
    responses((status = 200, description = "The customer user", body = CustomerUserOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_customer_user(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
) -> ApiResult<Json<CustomerUserOut>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(CustomerUserOut::from(load(&admin, &login).await?)))
}

/// Changes a customer user (admins), including a password reset.
#[utoipa::path(patch, path = "/customer-users/{login}", tag = "admin", request_body = CustomerUserPatch, params(("login" = String, Path, description = "Login")),
    responses((status = 200, description = "The changed customer user", body = CustomerUserOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_customer_user(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(login): Path<String>,
    ApiJson(p): ApiJson<CustomerUserPatch>,
) -> ApiResult<Json<CustomerUserOut>> {
    let admin = admin(&st, &caller).await?;
    let mut u = load(&admin, &login).await?;
    p.apply(&mut u)?;
    u.validate()?;
    if let Some(pw) = p.password {
        u.password_hash = Some(hash(pw).await?);
    }
    admin.put_customer_user(u.clone()).await?;
    Ok(Json(CustomerUserOut::from(u)))
}
