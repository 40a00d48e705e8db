//! Customers (companies): list and search, add, edit.

use super::forms::CustomerForm;
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, ListQuery, admin, duplicate, found, list_or_search, saved};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Customer, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/customers.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    customers: Vec<Customer>,
    /// The add form's values.
    record: Customer,
    new: bool,
}

/// One customer's form.
#[derive(Template)]
#[template(path = "admin/customer.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: Customer,
    new: bool,
}

/// The customer `f` describes, with key `id`.
fn customer_from(f: &CustomerForm, id: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: f.name.trim().to_string(),
        street: f.street.trim().to_string(),
        zip: f.zip.trim().to_string(),
        city: f.city.trim().to_string(),
        country: f.country.trim().to_string(),
        url: f.url.trim().to_string(),
        comment: f.comment.trim().to_string(),
        valid: f.valid,
    }
}

/// `GET /admin/customers`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let customers = match list_or_search(&st, &user, RecordKind::Customer, &q.search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::Customer(c) = r { Some(c) } else { None }).collect(),
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-customers"), "customers", &q.done);
    let record = Customer { valid: true, ..Customer::default() };
    show(&ListPage { frame, head, search: q.search, customers, record, new: true })
}

/// `POST /admin/customers`: adds a customer (refuses an existing ID).
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerForm>,
) -> Response {
    let id = f.id.trim();
    let r = async {
        if st.engine.customer(id).await?.is_some() {
            return Err(duplicate(RecordKind::Customer, id));
        }
        admin(&st, &user).await?.put_customer(customer_from(&f, id)).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customers?done=saved")
}

/// `GET /admin/customers/{id}`: edit a customer.
pub async fn edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(id): Path<String>) -> Response {
    let record =
        match st.engine.customer(&id).await.map_err(Problem::from).and_then(|c| found(c, RecordKind::Customer, &id)) {
            Ok(c) => c,
            Err(p) => return bad(&user, &p),
        };
    let (frame, head) = chrome(&user, user.tr.t1("admin-heading-customer", "id", record.id.as_str()), "customers", "");
    show(&EditPage { frame, head, record, new: false })
}

/// `POST /admin/customers/{id}`: saves a customer.
pub async fn save(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerForm>,
) -> Response {
    let r = async {
        found(st.engine.customer(&id).await?, RecordKind::Customer, &id)?;
        admin(&st, &user).await?.put_customer(customer_from(&f, &id)).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customers?done=saved")
}
