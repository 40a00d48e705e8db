//! `/api/v1/customers`: the companies customer users belong to.

use crate::admin_common::{ListParams, admin, list_records, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Customer, Record, RecordKind};
pub use chamado_api_types::customers::{CustomerBody, CustomerList, CustomerPatch};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The customer routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_customer, list_customers)).routes(routes!(get_customer, patch_customer))
}

/// Adds a customer (admins).
#[utoipa::path(post, path = "/customers", tag = "admin", request_body = CustomerBody,
    responses((status = 201, description = "Created", body = CustomerBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_customer(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<CustomerBody>,
) -> ApiResult<(StatusCode, Json<CustomerBody>)> {
    let admin = admin(&st, &caller).await?;
    must_not_exist(&admin, RecordKind::Customer, &body.id, "customer").await?;
    admin.put_customer(Customer::from(body.clone())).await?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// Lists or searches customers (admins).
#[utoipa::path(get, path = "/customers", tag = "admin", params(ListParams),
    responses((status = 200, description = "Customers", body = CustomerList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_customers(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<CustomerList>> {
    let admin = admin(&st, &caller).await?;
    let customers = list_records(&admin, RecordKind::Customer, &p)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::Customer(c) = r { Some(CustomerBody::from(c)) } else { None })
        .collect();
    Ok(Json(CustomerList { customers }))
}

async fn load(admin: &chamado::Admin<'_>, id: &str) -> ApiResult<Customer> {
    match admin.get(RecordKind::Customer, id).await? {
        Some(Record::Customer(c)) => Ok(c),
        _ => Err(Problem::not_found(format!("customer {id:?} not found"))),
    }
}

/// One customer (admins).
#[utoipa::path(get, path = "/customers/{id}", tag = "admin", params(("id" = String, Path, description = "CustomerID")),
    responses((status = 200, description = "The customer", body = CustomerBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_customer(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerBody>> {
    let admin = admin(&st, &caller).await?;
    Ok(Json(CustomerBody::from(load(&admin, &id).await?)))
}

/// Changes a customer (admins).
#[utoipa::path(patch, path = "/customers/{id}", tag = "admin", request_body = CustomerPatch, params(("id" = String, Path, description = "CustomerID")),
    responses((status = 200, description = "The changed customer", body = CustomerBody),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_customer(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ApiJson(p): ApiJson<CustomerPatch>,
) -> ApiResult<Json<CustomerBody>> {
    let admin = admin(&st, &caller).await?;
    let mut c = load(&admin, &id).await?;
    p.apply(&mut c);
    admin.put_customer(c.clone()).await?;
    Ok(Json(CustomerBody::from(c)))
}
