//! Customer users: list and search, add, edit (password reset, extra customers).

use super::forms::CustomerUserForm;
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, ListQuery, admin, found, href, list_or_search, saved};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{CustomerUser, Record, RecordKind};
use chamado_http::auth::password;
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/customer_users.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    users: Vec<CustomerUser>,
    /// The add form's values.
    record: CustomerUser,
    new: bool,
}

/// One customer user's form.
#[derive(Template)]
#[template(path = "admin/customer_user.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: CustomerUser,
    new: bool,
}

/// The Argon2id hash of a submitted non-empty password; `None` when the field is empty (keep it).
pub(super) async fn new_password_hash(pw: &str) -> Result<Option<String>, Problem> {
    if pw.is_empty() {
        return Ok(None);
    }
    password::hash_async(pw.to_string()).await.map(Some).map_err(|e| Problem::internal(e.to_string()))
}

/// `u` changed as `f` says.
async fn customer_user_from(f: &CustomerUserForm, mut u: CustomerUser) -> Result<CustomerUser, Problem> {
    u.email = f.email.trim().to_string();
    u.first_name = f.first_name.trim().to_string();
    u.last_name = f.last_name.trim().to_string();
    u.phone = f.phone.trim().to_string();
    u.customer_id = f.customer_id.trim().to_string();
    u.extra_customer_ids =
        f.extra_customer_ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    u.valid = f.valid;
    if let Some(hash) = new_password_hash(&f.password).await? {
        u.password_hash = Some(hash);
    }
    Ok(u)
}

/// `GET /admin/customer-users`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let users = match list_or_search(&st, &user, RecordKind::CustomerUser, &q.search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::CustomerUser(u) = r { Some(u) } else { None }).collect(),
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, "Customer users", "customer-users", &q.done);
    let record = CustomerUser { valid: true, ..CustomerUser::default() };
    show(&ListPage { frame, head, search: q.search, users, record, new: true })
}

/// `POST /admin/customer-users`: adds a customer user (refuses an existing login), then opens its
/// groups.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerUserForm>,
) -> Response {
    let login = f.login.trim().to_string();
    let r = async {
        if st.engine.customer_user(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("customer user {login:?} already exists")));
        }
        let u = customer_user_from(&f, CustomerUser { login: login.clone(), ..CustomerUser::default() }).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    saved(&user, r.await, &href("/admin/customer-users", &login, "/groups?done=saved"))
}

/// `GET /admin/customer-users/{login}`: edit a customer user.
pub async fn edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(login): Path<String>) -> Response {
    let found_user = st.engine.customer_user(&login).await.map_err(Problem::from);
    let record = match found_user.and_then(|u| found(u, "customer user", &login)) {
        Ok(u) => u,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, format!("Customer user {}", record.login), "customer-users", "");
    show(&EditPage { frame, head, record, new: false })
}

/// `POST /admin/customer-users/{login}`: saves a customer user (a non-empty password field resets the
/// password).
pub async fn save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerUserForm>,
) -> Response {
    let r = async {
        let existing = found(st.engine.customer_user(&login).await?, "customer user", &login)?;
        let u = customer_user_from(&f, existing).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customer-users?done=saved")
}
