//! `/admin`: the admin screens, mirroring OTRS's. Only agents with `rw` on group `admin` reach them
//! ([`AdminUser`]); every change goes through the engine's [`chamado::Admin`], which checks again.
//!
//! Customers, customer users (with password reset and extra customers), customer user <-> groups
//! (`ro`/`rw` per group, "Save" and "Save and finish"), default groups, customer user <-> services,
//! default services (with "select all"), customer <-> groups, agents (password, token reset) with their
//! seven group permissions, groups, queues (follow-up policy) and services (parent).

use super::layout::{csrf_field, enc, esc, notice, options};
use super::records;
use super::session::{AdminUser, AgentUser, see_other};
use crate::auth::{agent_token, password};
use crate::extract::{ApiQuery, PortalForm};
use crate::problem::Problem;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chamado::{
    Admin, Agent, Customer, CustomerUser, FollowUpPolicy, Grant, GrantSubject, GrantTarget, Group, Permission,
    PermissionSet, Queue, Record, RecordKind, Role, Service,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

type Form = HashMap<String, String>;

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/customers", get(customers).post(customer_add))
        .route("/admin/customers/{id}", get(customer_edit).post(customer_save))
        .route("/admin/customers/{id}/groups", get(customer_groups).post(customer_groups_save))
        .route("/admin/customer-users", get(customer_users).post(customer_user_add))
        .route("/admin/customer-users/{login}", get(customer_user_edit).post(customer_user_save))
        .route("/admin/customer-users/{login}/groups", get(cu_groups).post(cu_groups_save))
        .route("/admin/customer-users/{login}/services", get(cu_services).post(cu_services_save))
        .route("/admin/default-groups", get(default_groups).post(default_groups_save))
        .route("/admin/default-services", get(default_services).post(default_services_save))
        .route("/admin/agents", get(agents).post(agent_add))
        .route("/admin/agents/{login}", get(agent_edit).post(agent_save))
        .route("/admin/agents/{login}/groups", get(agent_groups).post(agent_groups_save))
        .route("/admin/agents/{login}/roles", axum::routing::post(agent_roles_save))
        .route("/admin/roles", get(roles).post(role_save))
        .route("/admin/roles/{name}/groups", get(role_groups).post(role_groups_save))
        .route("/admin/groups", get(groups).post(group_save))
        .route("/admin/groups/{name}/customer-users", get(group_cus).post(group_cus_save))
        .route("/admin/queues", get(queues).post(queue_save))
        .route("/admin/services", get(services).post(service_save))
}

fn field<'a>(f: &'a Form, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or("")
}

fn checked(f: &Form, name: &str) -> bool {
    f.contains_key(name)
}

const ADMIN_NAV: &str = "<nav class=\"card\" aria-label=\"Admin\"><a href=\"/admin/customers\">Customers</a> · \
<a href=\"/admin/customer-users\">Customer users</a> · <a href=\"/admin/default-groups\">Default groups</a> · \
<a href=\"/admin/default-services\">Default services</a> · <a href=\"/admin/agents\">Agents</a> · \
<a href=\"/admin/roles\">Roles</a> · <a href=\"/admin/groups\">Groups</a> · <a href=\"/admin/queues\">Queues</a> · <a href=\"/admin/services\">Services</a></nav>";

/// Search and `done` notices of the list screens.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    search: String,
    done: String,
}

fn done_notice(done: &str) -> String {
    match done {
        "" => String::new(),
        "saved" => notice(Some("Saved."), false),
        _ => notice(Some("Done."), false),
    }
}

fn page(user: &AgentUser, title: &str, done: &str, body: &str) -> Response {
    user.page(StatusCode::OK, title, &format!("{ADMIN_NAV}<h1>{}</h1>{}{body}", esc(title), done_notice(done)))
}

fn bad(user: &AgentUser, p: &Problem) -> Response {
    user.error(p)
}

async fn admin<'a>(st: &'a AppState, user: &AgentUser) -> Result<Admin<'a>, Problem> {
    Ok(st.engine.admin(&user.actor()).await?)
}

async fn list_or_search(
    st: &AppState,
    user: &AgentUser,
    kind: RecordKind,
    search: &str,
) -> Result<Vec<Record>, Problem> {
    let a = admin(st, user).await?;
    Ok(if search.trim().is_empty() { a.list(kind, None, 200).await? } else { a.search(kind, search, 200).await? })
}

fn search_form(action: &str, search: &str, label: &str) -> String {
    format!(
        "<form class=\"card\" method=\"get\" action=\"{action}\" role=\"search\"><label for=\"search\">{label}</label>\
         <input id=\"search\" name=\"search\" value=\"{}\"><button type=\"submit\">Search</button></form>",
        esc(search)
    )
}

fn valid_box(valid: bool) -> String {
    let c = if valid { " checked" } else { "" };
    format!("<label><input type=\"checkbox\" name=\"valid\" value=\"1\"{c}> Valid</label>")
}

fn yes(b: bool) -> &'static str {
    if b { "valid" } else { "invalid" }
}

/// The admin start page.
pub async fn index(AdminUser(user): AdminUser) -> Response {
    page(&user, "Admin", "", "<p>Choose a screen above.</p>")
}

// ---------------------------------------------------------------- customers

fn customer_fields(c: &Customer, csrf: &str, new: bool) -> String {
    let id = if new {
        format!("<label for=\"id\">Customer ID</label><input id=\"id\" name=\"id\" required value=\"{}\">", esc(&c.id))
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str| {
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\">", esc(v))
    };
    format!(
        "{}{id}<label for=\"name\">Name</label><input id=\"name\" name=\"name\" required value=\"{}\">{}{}{}{}{}{}{}",
        csrf_field(csrf),
        esc(&c.name),
        text("street", "Street", &c.street),
        text("zip", "ZIP", &c.zip),
        text("city", "City", &c.city),
        text("country", "Country", &c.country),
        text("url", "URL", &c.url),
        text("comment", "Comment", &c.comment),
        valid_box(c.valid)
    )
}

fn customer_from(f: &Form, id: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: field(f, "name").to_string(),
        street: field(f, "street").to_string(),
        zip: field(f, "zip").to_string(),
        city: field(f, "city").to_string(),
        country: field(f, "country").to_string(),
        url: field(f, "url").to_string(),
        comment: field(f, "comment").to_string(),
        valid: checked(f, "valid"),
    }
}

/// Customers: search and add.
pub async fn customers(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::Customer, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) => Some(format!(
                "<tr><td data-label=\"ID\"><a href=\"/admin/customers/{}\">{}</a></td><td data-label=\"Name\">{}</td>\
                 <td data-label=\"Valid\">{}</td><td><a href=\"/admin/customers/{}/groups\">Groups</a></td></tr>",
                enc(&c.id),
                esc(&c.id),
                esc(&c.name),
                yes(c.valid),
                enc(&c.id)
            )),
            _ => None,
        })
        .collect();
    let body = format!(
        "{}<table><thead><tr><th>ID</th><th>Name</th><th>Valid</th><th>Groups</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add customer</h2><form class=\"card\" method=\"post\" action=\"/admin/customers\">{}<button type=\"submit\">Add customer</button></form>",
        search_form("/admin/customers", &q.search, "Search customers"),
        customer_fields(&Customer { valid: true, ..Customer::default() }, &user.csrf, true)
    );
    page(&user, "Customers", &q.done, &body)
}

/// Adds a customer (refuses an existing ID).
pub async fn customer_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let id = field(&f, "id");
    let r = async {
        if st.engine.customer(id).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("customer {id:?} already exists")));
        }
        admin(&st, &user).await?.put_customer(customer_from(&f, id)).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other("/admin/customers?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

/// Edit a customer.
pub async fn customer_edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(id): Path<String>) -> Response {
    match st.engine.customer(&id).await {
        Ok(Some(c)) => {
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/customers/{}\">{}<button type=\"submit\">Save</button></form>\
                 <p><a href=\"/admin/customers/{}/groups\">Groups of this customer</a></p>",
                enc(&id),
                customer_fields(&c, &user.csrf, false),
                enc(&id)
            );
            page(&user, &format!("Customer {}", c.id), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("customer {id:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
}

/// Saves a customer.
pub async fn customer_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        if st.engine.customer(&id).await?.is_none() {
            return Err(Problem::not_found(format!("customer {id:?} not found")));
        }
        admin(&st, &user).await?.put_customer(customer_from(&f, &id)).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other("/admin/customers?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

// ---------------------------------------------------------------- customer users

fn customer_user_fields(u: &CustomerUser, csrf: &str, new: bool) -> String {
    let login = if new {
        format!(
            "<label for=\"login\">Login</label><input id=\"login\" name=\"login\" required value=\"{}\">",
            esc(&u.login)
        )
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str, req: bool| {
        let r = if req { " required" } else { "" };
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\"{r} value=\"{}\">", esc(v))
    };
    let pw_label = if new { "Password" } else { "New password (leave empty to keep)" };
    format!(
        "{}{login}{}{}{}{}{}{}<label for=\"password\">{pw_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">{}",
        csrf_field(csrf),
        text("email", "Email", &u.email, true),
        text("first_name", "First name", &u.first_name, false),
        text("last_name", "Last name", &u.last_name, false),
        text("phone", "Phone", &u.phone, false),
        text("customer_id", "Customer ID", &u.customer_id, true),
        text("extra_customer_ids", "Extra customers (IDs, comma separated)", &u.extra_customer_ids.join(", "), false),
        valid_box(u.valid)
    )
}

async fn customer_user_from(f: &Form, mut u: CustomerUser) -> Result<CustomerUser, Problem> {
    u.email = field(f, "email").to_string();
    u.first_name = field(f, "first_name").to_string();
    u.last_name = field(f, "last_name").to_string();
    u.phone = field(f, "phone").to_string();
    u.customer_id = field(f, "customer_id").to_string();
    u.extra_customer_ids =
        field(f, "extra_customer_ids").split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    u.valid = checked(f, "valid");
    let pw = f.get("password").map(String::as_str).unwrap_or("");
    if !pw.is_empty() {
        u.password_hash =
            Some(password::hash_async(pw.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    Ok(u)
}

/// Customer users: search and add.
pub async fn customer_users(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::CustomerUser, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::CustomerUser(u) => {
                let l = enc(&u.login);
                Some(format!(
                    "<tr><td data-label=\"Login\"><a href=\"/admin/customer-users/{l}\">{}</a></td><td data-label=\"Name\">{}</td>\
                     <td data-label=\"Customer\">{}</td><td data-label=\"Valid\">{}</td>\
                     <td><a href=\"/admin/customer-users/{l}/groups\">Groups</a> · <a href=\"/admin/customer-users/{l}/services\">Services</a></td></tr>",
                    esc(&u.login),
                    esc(&u.display_name()),
                    esc(&u.customer_id),
                    yes(u.valid)
                ))
            }
            _ => None,
        })
        .collect();
    let blank = CustomerUser { valid: true, ..CustomerUser::default() };
    let body = format!(
        "{}<table><thead><tr><th>Login</th><th>Name</th><th>Customer</th><th>Valid</th><th>Links</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add customer user</h2><form class=\"card\" method=\"post\" action=\"/admin/customer-users\">{}<button type=\"submit\">Add customer user</button></form>",
        search_form("/admin/customer-users", &q.search, "Search customer users"),
        customer_user_fields(&blank, &user.csrf, true)
    );
    page(&user, "Customer users", &q.done, &body)
}

/// Adds a customer user (refuses an existing login).
pub async fn customer_user_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let login = field(&f, "login").to_string();
    let r = async {
        if st.engine.customer_user(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("customer user {login:?} already exists")));
        }
        let u = customer_user_from(&f, CustomerUser { login: login.clone(), ..CustomerUser::default() }).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other(&format!("/admin/customer-users/{}/groups?done=saved", enc(&login))),
        Err(p) => bad(&user, &p),
    }
}

/// Edit a customer user.
pub async fn customer_user_edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
) -> Response {
    match st.engine.customer_user(&login).await {
        Ok(Some(u)) => {
            let l = enc(&u.login);
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/customer-users/{l}\">{}<button type=\"submit\">Save</button></form>\
                 <p><a href=\"/admin/customer-users/{l}/groups\">Groups</a> · <a href=\"/admin/customer-users/{l}/services\">Services</a></p>",
                customer_user_fields(&u, &user.csrf, false)
            );
            page(&user, &format!("Customer user {}", u.login), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("customer user {login:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
}

/// Saves a customer user (a non-empty password field resets the password).
pub async fn customer_user_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        let existing = st
            .engine
            .customer_user(&login)
            .await?
            .ok_or_else(|| Problem::not_found(format!("customer user {login:?} not found")))?;
        let u = customer_user_from(&f, existing).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other("/admin/customer-users?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

// ---------------------------------------------------------------- group grants

async fn group_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Group)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Group(g) => Some(g.name),
            _ => None,
        })
        .collect())
}

/// The grant matrix: a row per group, a checkbox per permission.
async fn grant_matrix(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    perms: &[Permission],
    action: &str,
    back: &str,
) -> Result<String, Problem> {
    let held: BTreeMap<String, PermissionSet> = admin(st, user)
        .await?
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Group(name) => Some((name, g.permissions)),
            _ => None,
        })
        .collect();
    let head: String = perms.iter().map(|p| format!("<th scope=\"col\">{}</th>", p.as_str())).collect();
    let mut rows = String::new();
    for g in group_names(st).await? {
        let set = held.get(&g).copied().unwrap_or_default();
        let cells: String = perms
            .iter()
            .map(|p| {
                let id = format!("p-{}-{}", enc(&g), p.as_str());
                let c = if set.contains(*p) { " checked" } else { "" };
                format!(
                    "<td data-label=\"{perm}\"><input type=\"checkbox\" id=\"{id}\" name=\"p:{name}:{perm}\" value=\"1\"{c}>\
                     <label for=\"{id}\" class=\"sr\">{perm} on {gname}</label></td>",
                    perm = p.as_str(),
                    name = esc(&g),
                    gname = esc(&g)
                )
            })
            .collect();
        rows.push_str(&format!("<tr><th scope=\"row\">{}</th>{cells}</tr>", esc(&g)));
    }
    Ok(format!(
        "<form method=\"post\" action=\"{action}\">{}<table id=\"grants\"><thead><tr><th>Group</th>{head}</tr></thead><tbody>{rows}</tbody></table>\
         <button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
         <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button> <a href=\"{back}\">Cancel</a></form>",
        csrf_field(&user.csrf)
    ))
}

async fn save_matrix(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    perms: &[Permission],
    f: &Form,
) -> Result<(), Problem> {
    let a = admin(st, user).await?;
    let held: BTreeMap<String, PermissionSet> = a
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Group(name) => Some((name, g.permissions)),
            _ => None,
        })
        .collect();
    for g in group_names(st).await? {
        let chosen: Vec<Permission> =
            perms.iter().copied().filter(|p| checked(f, &format!("p:{g}:{}", p.as_str()))).collect();
        let set = PermissionSet::of(&chosen);
        if held.get(&g).copied().unwrap_or_default() == set {
            continue;
        }
        if chosen.is_empty() {
            a.revoke(subject, &GrantTarget::Group(g)).await?;
        } else {
            a.grant(Grant::group(subject.clone(), g, set)).await?;
        }
    }
    Ok(())
}

const CUSTOMER_PERMS: [Permission; 2] = [Permission::Ro, Permission::Rw];

async fn matrix_page(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    perms: &[Permission],
    title: &str,
    (action, back): (&str, &str),
    done: &str,
) -> Response {
    match grant_matrix(st, user, &subject, perms, action, back).await {
        Ok(m) => page(user, title, done, &m),
        Err(p) => bad(user, &p),
    }
}

async fn matrix_save(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    perms: &[Permission],
    f: &Form,
    here: &str,
    back: &str,
) -> Response {
    if !user.csrf_ok(field(f, "csrf")) {
        return user.forged();
    }
    match save_matrix(st, user, &subject, perms, f).await {
        Ok(()) if field(f, "submit") == "finish" => see_other(&format!("{back}?done=saved")),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(user, &p),
    }
}

async fn must_exist(st: &AppState, kind: RecordKind, key: &str) -> Result<(), Problem> {
    match st.engine.admin(&chamado::Actor::System).await?.get(kind, key).await? {
        Some(_) => Ok(()),
        None => Err(Problem::not_found(format!("{} {key:?} not found", kind.as_str()))),
    }
}

/// Customer user <-> groups for one customer user.
pub async fn cu_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/groups", enc(&login));
    let title = format!("Groups of customer user {login}");
    matrix_page(
        &st,
        &user,
        GrantSubject::CustomerUser(login),
        &CUSTOMER_PERMS,
        &title,
        (&here, "/admin/customer-users"),
        &q.done,
    )
    .await
}

/// Saves the groups of a customer user.
pub async fn cu_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/groups", enc(&login));
    matrix_save(&st, &user, GrantSubject::CustomerUser(login), &CUSTOMER_PERMS, &f, &here, "/admin/customer-users")
        .await
}

/// Default groups of all customer users.
pub async fn default_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let here = "/admin/default-groups";
    matrix_page(
        &st,
        &user,
        GrantSubject::DefaultCustomerUsers,
        &CUSTOMER_PERMS,
        "Default groups of all customer users",
        (here, "/admin"),
        &q.done,
    )
    .await
}

/// Saves the default groups.
pub async fn default_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    matrix_save(&st, &user, GrantSubject::DefaultCustomerUsers, &CUSTOMER_PERMS, &f, "/admin/default-groups", "/admin")
        .await
}

/// Customer <-> groups for one customer.
pub async fn customer_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Customer, &id).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customers/{}/groups", enc(&id));
    let title = format!("Groups of customer {id}");
    matrix_page(&st, &user, GrantSubject::Customer(id), &CUSTOMER_PERMS, &title, (&here, "/admin/customers"), &q.done)
        .await
}

/// Saves the groups of a customer.
pub async fn customer_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Customer, &id).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customers/{}/groups", enc(&id));
    matrix_save(&st, &user, GrantSubject::Customer(id), &CUSTOMER_PERMS, &f, &here, "/admin/customers").await
}

/// Agent <-> groups with all seven permissions.
pub async fn agent_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Agent, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/agents/{}/groups", enc(&login));
    let title = format!("Groups of agent {login}");
    matrix_page(&st, &user, GrantSubject::Agent(login), &Permission::ALL, &title, (&here, "/admin/agents"), &q.done)
        .await
}

/// Saves an agent's group permissions.
pub async fn agent_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Agent, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/agents/{}/groups", enc(&login));
    matrix_save(&st, &user, GrantSubject::Agent(login), &Permission::ALL, &f, &here, "/admin/agents").await
}

// ---------------------------------------------------------------- services grants

async fn service_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Service)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Service(s) if s.valid => Some(s.name),
            _ => None,
        })
        .collect())
}

async fn service_form(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    action: &str,
    all_toggle: bool,
) -> Result<String, Problem> {
    let held: Vec<String> = admin(st, user)
        .await?
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Service(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut rows = String::new();
    for (i, s) in service_names(st).await?.iter().enumerate() {
        let c = if held.contains(s) { " checked" } else { "" };
        rows.push_str(&format!(
            "<li><input type=\"checkbox\" id=\"s-{i}\" name=\"s:{n}\" value=\"1\"{c}> <label for=\"s-{i}\" style=\"display:inline\">{n}</label></li>",
            n = esc(s)
        ));
    }
    let all = if all_toggle {
        "<p><input type=\"checkbox\" id=\"all\" name=\"all\" value=\"1\"> <label for=\"all\" style=\"display:inline\">Select all services</label></p>"
    } else {
        ""
    };
    Ok(format!(
        "<form class=\"card\" method=\"post\" action=\"{action}\">{}{all}<ul style=\"list-style:none;padding:0\">{rows}</ul>\
         <button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
         <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button></form>",
        csrf_field(&user.csrf)
    ))
}

async fn save_services(st: &AppState, user: &AgentUser, subject: &GrantSubject, f: &Form) -> Result<(), Problem> {
    let a = admin(st, user).await?;
    let all = checked(f, "all");
    let held: Vec<String> = a
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Service(s) => Some(s),
            _ => None,
        })
        .collect();
    for s in service_names(st).await? {
        let want = all || checked(f, &format!("s:{s}"));
        let has = held.contains(&s);
        if want && !has {
            a.grant(Grant::service(subject.clone(), s)).await?;
        } else if !want && has {
            a.revoke(subject, &GrantTarget::Service(s)).await?;
        }
    }
    Ok(())
}

async fn services_save_common(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    f: &Form,
    here: &str,
    back: &str,
) -> Response {
    if !user.csrf_ok(field(f, "csrf")) {
        return user.forged();
    }
    match save_services(st, user, &subject, f).await {
        Ok(()) if field(f, "submit") == "finish" => see_other(&format!("{back}?done=saved")),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(user, &p),
    }
}

/// Customer user <-> services for one customer user.
pub async fn cu_services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/services", enc(&login));
    match service_form(&st, &user, &GrantSubject::CustomerUser(login.clone()), &here, false).await {
        Ok(b) => page(&user, &format!("Services of customer user {login}"), &q.done, &b),
        Err(p) => bad(&user, &p),
    }
}

/// Saves a customer user's services.
pub async fn cu_services_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/services", enc(&login));
    services_save_common(&st, &user, GrantSubject::CustomerUser(login), &f, &here, "/admin/customer-users").await
}

/// Default services of all customer users, with "select all".
pub async fn default_services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    match service_form(&st, &user, &GrantSubject::DefaultCustomerUsers, "/admin/default-services", true).await {
        Ok(b) => page(&user, "Default services of all customer users", &q.done, &b),
        Err(p) => bad(&user, &p),
    }
}

/// Saves the default services.
pub async fn default_services_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    services_save_common(&st, &user, GrantSubject::DefaultCustomerUsers, &f, "/admin/default-services", "/admin").await
}

// ---------------------------------------------------------------- agents

fn agent_fields(a: &Agent, csrf: &str, new: bool) -> String {
    let login = if new {
        format!(
            "<label for=\"login\">Login</label><input id=\"login\" name=\"login\" required value=\"{}\">",
            esc(&a.login)
        )
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str| {
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\">", esc(v))
    };
    let pw_label = if new { "Password (for the console)" } else { "New password (leave empty to keep)" };
    format!(
        "{}{login}{}{}{}<label for=\"password\">{pw_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">{}",
        csrf_field(csrf),
        text("first_name", "First name", &a.first_name),
        text("last_name", "Last name", &a.last_name),
        text("email", "Email", &a.email),
        valid_box(a.valid)
    )
}

async fn agent_from(f: &Form, mut a: Agent) -> Result<Agent, Problem> {
    a.first_name = field(f, "first_name").to_string();
    a.last_name = field(f, "last_name").to_string();
    a.email = field(f, "email").to_string();
    a.valid = checked(f, "valid");
    let pw = f.get("password").map(String::as_str).unwrap_or("");
    if !pw.is_empty() {
        a.password_hash =
            Some(password::hash_async(pw.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    Ok(a)
}

/// Agents: list and add.
pub async fn agents(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::Agent, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Agent(a) => Some(format!(
                "<tr><td data-label=\"Login\"><a href=\"/admin/agents/{l}\">{}</a></td><td data-label=\"Name\">{} {}</td>\
                 <td data-label=\"Valid\">{}</td><td><a href=\"/admin/agents/{l}/groups\">Groups</a></td></tr>",
                esc(&a.login),
                esc(&a.first_name),
                esc(&a.last_name),
                yes(a.valid),
                l = enc(&a.login)
            )),
            _ => None,
        })
        .collect();
    let body = format!(
        "{}<table><thead><tr><th>Login</th><th>Name</th><th>Valid</th><th>Groups</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add agent</h2><form class=\"card\" method=\"post\" action=\"/admin/agents\">{}<button type=\"submit\">Add agent</button></form>",
        search_form("/admin/agents", &q.search, "Search agents"),
        agent_fields(&Agent { valid: true, ..Agent::default() }, &user.csrf, true)
    );
    page(&user, "Agents", &q.done, &body)
}

/// Adds an agent (refuses an existing login), then opens its groups.
pub async fn agent_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let login = field(&f, "login").to_string();
    let r = async {
        if st.engine.agent(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("agent {login:?} already exists")));
        }
        let a = agent_from(&f, Agent { login: login.clone(), ..Agent::default() }).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other(&format!("/admin/agents/{}/groups?done=saved", enc(&login))),
        Err(p) => bad(&user, &p),
    }
}

/// Edit an agent; reset its API token.
pub async fn agent_edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(login): Path<String>) -> Response {
    match st.engine.agent(&login).await {
        Ok(Some(a)) => {
            let l = enc(&a.login);
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/agents/{l}\">{}<button type=\"submit\">Save</button></form>\
                 <form class=\"card\" method=\"post\" action=\"/admin/agents/{l}\">{}<input type=\"hidden\" name=\"token_reset\" value=\"1\">\
                 <p>{} API token(s). Resetting revokes them and shows a new token once.</p><button type=\"submit\">Reset API token</button></form>\
                 <p><a href=\"/admin/agents/{l}/groups\">Groups of this agent</a></p>{roles}",
                agent_fields(&a, &user.csrf, false),
                csrf_field(&user.csrf),
                a.token_hashes.len(),
                roles = match agent_roles_form(&st, &user, &a.login).await {
                    Ok(f) => f,
                    Err(p) => return bad(&user, &p),
                }
            );
            page(&user, &format!("Agent {}", a.login), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("agent {login:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
}

/// Saves an agent, or resets its API token.
pub async fn agent_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    if checked(&f, "token_reset") {
        let r = async {
            let a = admin(&st, &user).await?;
            agent_token::revoke_all(&st.engine, &a, &login).await?;
            agent_token::issue(&st.engine, &a, &login).await
        };
        return match r.await {
            Ok(token) => page(
                &user,
                &format!("New API token of {login}"),
                "",
                &format!(
                    "<p class=\"notice\" role=\"status\">Copy it now; it is not shown again.</p><p class=\"card\"><code id=\"token\">{}</code></p>\
                     <p><a href=\"/admin/agents/{}\">Back to the agent</a></p>",
                    esc(&token),
                    enc(&login)
                ),
            ),
            Err(p) => bad(&user, &p),
        };
    }
    let r = async {
        let existing =
            st.engine.agent(&login).await?.ok_or_else(|| Problem::not_found(format!("agent {login:?} not found")))?;
        let a = agent_from(&f, existing).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other("/admin/agents?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

// ---------------------------------------------------------------- groups, queues, services

/// Groups: list, add or update.
pub async fn groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Group).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Group(g) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Comment\">{}</td><td data-label=\"Valid\">{}</td>\
                 <td><a href=\"/admin/groups/{}/customer-users\">Customer users</a></td></tr>",
                esc(&g.name),
                esc(&g.comment),
                yes(g.valid),
                enc(&g.name)
            )),
            _ => None,
        })
        .collect();
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Comment</th><th>Valid</th><th>Links</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a group</h2><form class=\"card\" method=\"post\" action=\"/admin/groups\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save group</button></form>",
        csrf_field(&user.csrf),
        valid_box(true)
    );
    page(&user, "Groups", &q.done, &body)
}

/// Saves a group.
pub async fn group_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let g = Group {
        name: field(&f, "name").to_string(),
        comment: field(&f, "comment").to_string(),
        valid: checked(&f, "valid"),
    };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_group(g).await?) };
    match r.await {
        Ok(()) => see_other("/admin/groups?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

/// Queues: list, add or update (group, follow-up policy).
pub async fn queues(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async { Ok::<_, Problem>((records(&st, RecordKind::Queue).await?, group_names(&st).await?)) };
    let (list, groups) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Queue(q) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Group\">{}</td><td data-label=\"Follow-up\">{}</td><td data-label=\"Valid\">{}</td></tr>",
                esc(&q.name),
                esc(&q.group),
                q.follow_up.as_str(),
                yes(q.valid)
            )),
            _ => None,
        })
        .collect();
    let policies = [("possible", "possible"), ("reject", "reject"), ("new_ticket", "new ticket")];
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Group</th><th>Follow-up</th><th>Valid</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a queue</h2><form class=\"card\" method=\"post\" action=\"/admin/queues\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"group\">Group</label><select id=\"group\" name=\"group\">{}</select>\
         <label for=\"follow_up\">Follow-up on closed tickets</label><select id=\"follow_up\" name=\"follow_up\">{}</select>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save queue</button></form>",
        csrf_field(&user.csrf),
        options(groups.iter().map(|g| (g.as_str(), g.as_str())), "users"),
        options(policies, "possible"),
        valid_box(true)
    );
    page(&user, "Queues", &q.done, &body)
}

/// Saves a queue.
pub async fn queue_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        let policy: FollowUpPolicy = field(&f, "follow_up").parse()?;
        let mut q = Queue::new(field(&f, "name"), field(&f, "group"), policy);
        q.comment = field(&f, "comment").to_string();
        q.valid = checked(&f, "valid");
        admin(&st, &user).await?.put_queue(q).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => see_other("/admin/queues?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

/// Services: list, add or update (with a parent).
pub async fn services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Service).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let names: Vec<String> = list
        .iter()
        .filter_map(|r| match r {
            Record::Service(s) => Some(s.name.clone()),
            _ => None,
        })
        .collect();
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Service(s) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Comment\">{}</td><td data-label=\"Valid\">{}</td></tr>",
                esc(&s.name),
                esc(&s.comment),
                yes(s.valid)
            )),
            _ => None,
        })
        .collect();
    let mut parents = String::from("<option value=\"\">(none)</option>");
    parents.push_str(&options(names.iter().map(|n| (n.as_str(), n.as_str())), ""));
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Comment</th><th>Valid</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a service</h2><form class=\"card\" method=\"post\" action=\"/admin/services\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"parent\">Parent service</label><select id=\"parent\" name=\"parent\">{parents}</select>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save service</button></form>",
        csrf_field(&user.csrf),
        valid_box(true)
    );
    page(&user, "Services", &q.done, &body)
}

/// Saves a service (`Parent::Name` when a parent is chosen).
pub async fn service_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let name = match field(&f, "parent") {
        "" => field(&f, "name").to_string(),
        p => format!("{p}::{}", field(&f, "name")),
    };
    let s = Service { name, comment: field(&f, "comment").to_string(), valid: checked(&f, "valid") };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_service(s).await?) };
    match r.await {
        Ok(()) => see_other("/admin/services?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

// ---------------------------------------------------------------- roles

async fn role_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Role)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Role(r) => Some(r.name),
            _ => None,
        })
        .collect())
}

async fn roles_of(st: &AppState, user: &AgentUser, login: &str) -> Result<Vec<String>, Problem> {
    Ok(admin(st, user)
        .await?
        .grants_of(&GrantSubject::Agent(login.to_string()))
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Role(r) => Some(r),
            _ => None,
        })
        .collect())
}

async fn agent_roles_form(st: &AppState, user: &AgentUser, login: &str) -> Result<String, Problem> {
    let held = roles_of(st, user, login).await?;
    let names = role_names(st).await?;
    if names.is_empty() {
        return Ok("<p class=\"meta\">No roles yet; <a href=\"/admin/roles\">add one</a>.</p>".to_string());
    }
    let items: String = names
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let c = if held.contains(r) { " checked" } else { "" };
            format!(
                "<li><input type=\"checkbox\" id=\"r-{i}\" name=\"r:{n}\" value=\"1\"{c}> \
                 <label for=\"r-{i}\" style=\"display:inline\">{n}</label></li>",
                n = esc(r)
            )
        })
        .collect();
    Ok(format!(
        "<form class=\"card\" method=\"post\" action=\"/admin/agents/{}/roles\">{}<h2>Roles</h2>\
         <ul style=\"list-style:none;padding:0\">{items}</ul><button type=\"submit\">Save roles</button></form>",
        enc(login),
        csrf_field(&user.csrf)
    ))
}

/// Saves an agent's role memberships.
pub async fn agent_roles_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        must_exist(&st, RecordKind::Agent, &login).await?;
        let held = roles_of(&st, &user, &login).await?;
        let a = admin(&st, &user).await?;
        for role in role_names(&st).await? {
            let want = checked(&f, &format!("r:{role}"));
            if want && !held.contains(&role) {
                a.grant(Grant::role_membership(login.clone(), role)).await?;
            } else if !want && held.contains(&role) {
                a.revoke(&GrantSubject::Agent(login.clone()), &GrantTarget::Role(role)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => see_other(&format!("/admin/agents/{}", enc(&login))),
        Err(p) => bad(&user, &p),
    }
}

/// Roles: list, add or update.
pub async fn roles(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Role).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Role(r) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Comment\">{}</td><td data-label=\"Valid\">{}</td>\
                 <td><a href=\"/admin/roles/{}/groups\">Groups</a></td></tr>",
                esc(&r.name),
                esc(&r.comment),
                yes(r.valid),
                enc(&r.name)
            )),
            _ => None,
        })
        .collect();
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Comment</th><th>Valid</th><th>Groups</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a role</h2><form class=\"card\" method=\"post\" action=\"/admin/roles\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save role</button></form>",
        csrf_field(&user.csrf),
        valid_box(true)
    );
    page(&user, "Roles", &q.done, &body)
}

/// Saves a role.
pub async fn role_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = Role {
        name: field(&f, "name").to_string(),
        comment: field(&f, "comment").to_string(),
        valid: checked(&f, "valid"),
    };
    let res = async { Ok::<_, Problem>(admin(&st, &user).await?.put_role(r).await?) };
    match res.await {
        Ok(()) => see_other("/admin/roles?done=saved"),
        Err(p) => bad(&user, &p),
    }
}

/// Role <-> groups with all seven permissions.
pub async fn role_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Role, &name).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/roles/{}/groups", enc(&name));
    let title = format!("Groups of role {name}");
    matrix_page(&st, &user, GrantSubject::Role(name), &Permission::ALL, &title, (&here, "/admin/roles"), &q.done).await
}

/// Saves a role's group permissions.
pub async fn role_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Role, &name).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/roles/{}/groups", enc(&name));
    matrix_save(&st, &user, GrantSubject::Role(name), &Permission::ALL, &f, &here, "/admin/roles").await
}

// ---------------------------------------------------------------- one group, many customer users

async fn customer_users_of_search(st: &AppState, user: &AgentUser, search: &str) -> Result<Vec<CustomerUser>, Problem> {
    Ok(list_or_search(st, user, RecordKind::CustomerUser, search)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::CustomerUser(u) => Some(u),
            _ => None,
        })
        .collect())
}

async fn direct_group_grant(a: &Admin<'_>, login: &str, group: &str) -> Result<PermissionSet, Problem> {
    Ok(a.grants_of(&GrantSubject::CustomerUser(login.to_string()))
        .await?
        .into_iter()
        .find(|g| g.target == GrantTarget::Group(group.to_string()))
        .map(|g| g.permissions)
        .unwrap_or_default())
}

/// Customer user <-> groups seen from one group: a row per customer user (searchable) with `ro`/`rw`.
pub async fn group_cus(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        let mut rows = String::new();
        for u in customer_users_of_search(&st, &user, &q.search).await? {
            let set = direct_group_grant(&a, &u.login, &name).await?;
            let cells: String = CUSTOMER_PERMS
                .iter()
                .map(|p| {
                    let id = format!("u-{}-{}", enc(&u.login), p.as_str());
                    let c = if set.contains(*p) { " checked" } else { "" };
                    format!(
                        "<td data-label=\"{perm}\"><input type=\"checkbox\" id=\"{id}\" name=\"p:{l}:{perm}\" value=\"1\"{c}>\
                         <label for=\"{id}\" class=\"sr\">{perm} for {l}</label></td>",
                        perm = p.as_str(),
                        l = esc(&u.login)
                    )
                })
                .collect();
            rows.push_str(&format!(
                "<tr><th scope=\"row\"><input type=\"hidden\" name=\"u:{l}\" value=\"1\">{l} <span class=\"meta\">{n}</span></th>{cells}</tr>",
                l = esc(&u.login),
                n = esc(&u.display_name())
            ));
        }
        let here = format!("/admin/groups/{}/customer-users", enc(&name));
        Ok::<_, Problem>(format!(
            "{}<form method=\"post\" action=\"{here}\">{}<table><thead><tr><th>Customer user</th><th>ro</th><th>rw</th></tr></thead>\
             <tbody>{rows}</tbody></table><button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
             <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button></form>",
            search_form(&here, &q.search, "Search customer users"),
            csrf_field(&user.csrf)
        ))
    };
    match r.await {
        Ok(body) => page(&user, &format!("Customer users of group {name}"), &q.done, &body),
        Err(p) => bad(&user, &p),
    }
}

/// Saves the customer users' permissions on one group (only the rows that were shown).
pub async fn group_cus_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        for login in f.keys().filter_map(|k| k.strip_prefix("u:")) {
            let chosen: Vec<Permission> =
                CUSTOMER_PERMS.iter().copied().filter(|p| checked(&f, &format!("p:{login}:{}", p.as_str()))).collect();
            let set = PermissionSet::of(&chosen);
            if direct_group_grant(&a, login, &name).await? == set {
                continue;
            }
            let subject = GrantSubject::CustomerUser(login.to_string());
            if chosen.is_empty() {
                a.revoke(&subject, &GrantTarget::Group(name.clone())).await?;
            } else {
                a.grant(Grant::group(subject, name.clone(), set)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    let here = format!("/admin/groups/{}/customer-users", enc(&name));
    match r.await {
        Ok(()) if field(&f, "submit") == "finish" => see_other("/admin/groups?done=saved"),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(&user, &p),
    }
}
