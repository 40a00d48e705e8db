//! `/admin`: the admin screens, mirroring OTRS's. Only agents with `rw` on group `admin` reach them
//! ([`AdminUser`]); every change goes through the engine's [`chamado::Admin`], which checks again.
//!
//! Customers, customer users (with password reset and extra customers), customer user <-> groups
//! (`ro`/`rw` per group, "Save" and "Save and finish"), default groups, customer user <-> services,
//! default services (with "select all"), customer <-> groups, agents (password, token reset) with their
//! seven group permissions, groups, queues (follow-up policy) and services (parent).

mod agents;
mod customer_users;
mod customers;
mod group_customer_users;
mod group_grants;
mod groups_queues_services;
mod roles;
mod screens;
mod service_grants;

use agents::*;
use customer_users::*;
use customers::*;
use group_customer_users::*;
use group_grants::*;
use groups_queues_services::*;
use roles::*;
use screens::*;
use service_grants::*;

use super::layout::{csrf_field, enc, esc, notice, options};
use super::records;
use super::session::{AdminUser, AgentUser, see_other};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chamado::{
    Admin, Agent, Customer, CustomerUser, FollowUpPolicy, Grant, GrantSubject, GrantTarget, Group, Permission,
    PermissionSet, Queue, Record, RecordKind, Role, Service,
};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::{agent_token, password};
use chamado_http::extract::{ApiQuery, PortalForm};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub(super) type Form = HashMap<String, String>;

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

pub(super) fn field<'a>(f: &'a Form, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or("")
}

pub(super) fn checked(f: &Form, name: &str) -> bool {
    f.contains_key(name)
}

pub(super) const ADMIN_NAV: &str = "<nav class=\"card\" aria-label=\"Admin\"><a href=\"/admin/customers\">Customers</a> · \
<a href=\"/admin/customer-users\">Customer users</a> · <a href=\"/admin/default-groups\">Default groups</a> · \
<a href=\"/admin/default-services\">Default services</a> · <a href=\"/admin/agents\">Agents</a> · \
<a href=\"/admin/roles\">Roles</a> · <a href=\"/admin/groups\">Groups</a> · <a href=\"/admin/queues\">Queues</a> · <a href=\"/admin/services\">Services</a></nav>";

/// Search and `done` notices of the list screens.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub(super) search: String,
    pub(super) done: String,
}

pub(super) fn done_notice(done: &str) -> String {
    match done {
        "" => String::new(),
        "saved" => notice(Some("Saved."), false),
        _ => notice(Some("Done."), false),
    }
}

pub(super) fn page(user: &AgentUser, title: &str, done: &str, body: &str) -> Response {
    user.page(StatusCode::OK, title, &format!("{ADMIN_NAV}<h1>{}</h1>{}{body}", esc(title), done_notice(done)))
}

pub(super) fn bad(user: &AgentUser, p: &Problem) -> Response {
    user.error(p)
}

/// The list screen of records with a name, a comment and a valid flag (groups, roles), each row linking
/// to `<base>/<name>/<link.0>` under the column `column`, with the add-or-update form below.
pub(super) struct NamedList<'a> {
    pub title: &'a str,
    pub what: &'a str,
    pub base: &'a str,
    pub column: &'a str,
    pub link: (&'a str, &'a str),
}

impl NamedList<'_> {
    /// The page for `records`: (name, comment, valid).
    pub(super) fn page<'r>(
        &self,
        user: &AgentUser,
        done: &str,
        records: impl Iterator<Item = (&'r str, &'r str, bool)>,
    ) -> Response {
        let (base, (suffix, label)) = (self.base, self.link);
        let rows: String = records
            .map(|(name, comment, valid)| {
                format!(
                    "<tr><td data-label=\"Name\">{}</td><td data-label=\"Comment\">{}</td><td data-label=\"Valid\">{}</td>\
                     <td><a href=\"{base}/{}/{suffix}\">{label}</a></td></tr>",
                    esc(name),
                    esc(comment),
                    yes(valid),
                    enc(name)
                )
            })
            .collect();
        let body = format!(
            "<table><thead><tr><th>Name</th><th>Comment</th><th>Valid</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>\
             <h2>Add or update a {what}</h2><form class=\"card\" method=\"post\" action=\"{base}\">{}\
             <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
             <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save {what}</button></form>",
            self.column,
            csrf_field(&user.csrf),
            valid_box(true),
            what = self.what,
        );
        page(user, self.title, done, &body)
    }
}

/// The name, comment and valid flag of a submitted add-or-update form.
pub(super) fn name_comment_valid(f: &Form) -> (String, String, bool) {
    (field(f, "name").to_string(), field(f, "comment").to_string(), checked(f, "valid"))
}

/// The answer to a saving form: back to `to` (a list screen with its `done` notice), or the problem.
pub(super) fn saved(user: &AgentUser, result: Result<(), Problem>, to: &str) -> Response {
    match result {
        Ok(()) => see_other(to),
        Err(p) => bad(user, &p),
    }
}

pub(super) async fn admin<'a>(st: &'a AppState, user: &AgentUser) -> Result<Admin<'a>, Problem> {
    Ok(st.engine.admin(&user.actor()).await?)
}

pub(super) async fn list_or_search(
    st: &AppState,
    user: &AgentUser,
    kind: RecordKind,
    search: &str,
) -> Result<Vec<Record>, Problem> {
    let a = admin(st, user).await?;
    Ok(if search.trim().is_empty() { a.list(kind, None, 200).await? } else { a.search(kind, search, 200).await? })
}

pub(super) fn search_form(action: &str, search: &str, label: &str) -> String {
    format!(
        "<form class=\"card\" method=\"get\" action=\"{action}\" role=\"search\"><label for=\"search\">{label}</label>\
         <input id=\"search\" name=\"search\" value=\"{}\"><button type=\"submit\">Search</button></form>",
        esc(search)
    )
}

pub(super) fn valid_box(valid: bool) -> String {
    let c = if valid { " checked" } else { "" };
    format!("<label><input type=\"checkbox\" name=\"valid\" value=\"1\"{c}> Valid</label>")
}

pub(super) fn yes(b: bool) -> &'static str {
    if b { "valid" } else { "invalid" }
}

/// The admin start page.
pub async fn index(AdminUser(user): AdminUser) -> Response {
    page(&user, "Admin", "", "<p>Choose a screen above.</p>")
}
