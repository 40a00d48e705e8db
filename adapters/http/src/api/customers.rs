//! `/api/v1/customers`: the companies customer users belong to.

use super::admin_common::{ListParams, admin, list_records, must_not_exist};
use crate::auth::ApiCaller;
use crate::extract::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem, ProblemBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{Customer, Record, RecordKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The customer routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_customer, list_customers)).routes(routes!(get_customer, patch_customer))
}

/// A customer (company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerBody {
    /// The CustomerID, unique.
    pub id: String,
    /// Name.
    pub name: String,
    /// Street.
    #[serde(default)]
    pub street: String,
    /// Postal code.
    #[serde(default)]
    pub zip: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// Web address.
    #[serde(default)]
    pub url: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Invalid customers are kept but grant nothing.
    #[serde(default = "yes")]
    pub valid: bool,
}

fn yes() -> bool {
    true
}

impl From<Customer> for CustomerBody {
    fn from(c: Customer) -> Self {
        CustomerBody {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

impl From<CustomerBody> for Customer {
    fn from(c: CustomerBody) -> Self {
        Customer {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

/// Changes to a customer; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Web address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl CustomerPatch {
    /// Applies the set fields to `c`.
    pub fn apply(&self, c: &mut Customer) {
        set(&mut c.name, &self.name);
        set(&mut c.street, &self.street);
        set(&mut c.zip, &self.zip);
        set(&mut c.city, &self.city);
        set(&mut c.country, &self.country);
        set(&mut c.url, &self.url);
        set(&mut c.comment, &self.comment);
        if let Some(v) = self.valid {
            c.valid = v;
        }
    }
}

/// Replaces `field` when a value is given.
pub(crate) fn set(field: &mut String, v: &Option<String>) {
    if let Some(v) = v {
        field.clone_from(v);
    }
}

/// Customers found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerList {
    /// In id order (or search order).
    pub customers: Vec<CustomerBody>,
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
