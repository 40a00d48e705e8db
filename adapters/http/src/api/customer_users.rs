//! `/api/v1/customer-users`: the people who open tickets.

use super::admin_common::{ListParams, admin, list_records, must_not_exist};
use crate::auth::{ApiCaller, password};
use crate::extract::{ApiJson, ApiQuery};
use crate::problem::{ApiResult, Problem, ProblemBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chamado::{CustomerUser, Record, RecordKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The customer user routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_customer_user, list_customer_users))
        .routes(routes!(get_customer_user, patch_customer_user))
}

/// A customer user to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUserIn {
    /// Login, unique.
    pub login: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// The primary customer (CustomerID).
    #[serde(default)]
    pub customer_id: String,
    /// Portal password (stored as an Argon2id hash); without one the user cannot log in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
    /// Further customers the user belongs to.
    #[serde(default)]
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
}

fn yes() -> bool {
    true
}

impl CustomerUserIn {
    /// The customer user to store, validated; without the password, which its holder hashes.
    pub fn to_customer_user(&self) -> Result<CustomerUser, chamado::Error> {
        let mut u = CustomerUser::new(self.login.clone(), self.email.clone(), self.customer_id.clone());
        u.first_name.clone_from(&self.first_name);
        u.last_name.clone_from(&self.last_name);
        u.phone.clone_from(&self.phone);
        u.extra_customer_ids.clone_from(&self.extra_customer_ids);
        u.valid = self.valid;
        u.validate()?;
        Ok(u)
    }
}

/// A customer user as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomerUserOut {
    /// Login.
    pub login: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number.
    pub phone: String,
    /// The primary customer.
    pub customer_id: String,
    /// Further customers.
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    pub valid: bool,
    /// Whether a portal password is set.
    pub has_password: bool,
    /// Other identities (e.g. `telegram:123`).
    pub identities: Vec<String>,
}

impl From<CustomerUser> for CustomerUserOut {
    fn from(u: CustomerUser) -> Self {
        CustomerUserOut {
            has_password: u.password_hash.is_some(),
            login: u.login,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            phone: u.phone,
            customer_id: u.customer_id,
            extra_customer_ids: u.extra_customer_ids,
            valid: u.valid,
            identities: u.identities,
        }
    }
}

/// Changes to a customer user; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUserPatch {
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Primary customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Further customers (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_customer_ids: Option<Vec<String>>,
    /// New password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl CustomerUserPatch {
    /// Applies the set fields to `u`, all but the password (which its holder hashes).
    pub fn apply(&self, u: &mut CustomerUser) {
        use super::customers::set;
        set(&mut u.email, &self.email);
        set(&mut u.first_name, &self.first_name);
        set(&mut u.last_name, &self.last_name);
        set(&mut u.phone, &self.phone);
        set(&mut u.customer_id, &self.customer_id);
        if let Some(x) = &self.extra_customer_ids {
            u.extra_customer_ids.clone_from(x);
        }
        if let Some(v) = self.valid {
            u.valid = v;
        }
    }
}

/// Customer users found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerUserList {
    /// In login order (or search order).
    pub customer_users: Vec<CustomerUserOut>,
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
    p.apply(&mut u);
    u.validate()?;
    if let Some(pw) = p.password {
        u.password_hash = Some(hash(pw).await?);
    }
    admin.put_customer_user(u.clone()).await?;
    Ok(Json(CustomerUserOut::from(u)))
}
