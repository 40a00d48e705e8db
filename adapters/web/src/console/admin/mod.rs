//! `/admin`: the admin screens, mirroring OTRS's. Only agents with `rw` on group `admin` reach them
//! ([`AdminUser`]); every change goes through the engine's [`chamado::Admin`], which checks again.
//!
//! Customers, customer users (with password reset and extra customers), customer user <-> groups
//! (`ro`/`rw` per group, "Save" and "Save and finish"), default groups, customer user <-> services,
//! default services (with "select all"), customer <-> groups, agents (password, token reset) with their
//! seven group permissions and roles, groups and roles (search, edit, rename), queues (follow-up
//! policy, auto-responses, salutation, signature, unlock timeout), services (search, parent, who has
//! each), ticket states and priorities, mail accounts, and the texts admins write once per language:
//! auto-responses, salutations, signatures, standard templates ([`texts`]) and agent notifications
//! ([`notifications`]); the calendars ([`calendars`]) and SLAs ([`slas`]) the escalation clocks follow,
//! and the queues' fallback escalation targets; the webhooks ([`webhooks`]) and their deliveries
//! ([`webhook_deliveries`]).
//!
//! Every page is an askama template under `templates/admin/` (escaping by default); every form arrives
//! typed ([`forms`]) through [`crate::csrf::CsrfForm`], which refuses a missing CSRF token before the
//! handler runs.

mod agents;
mod calendars;
mod calendars_form;
mod choices;
mod customer_users;
mod customers;
mod forms;
mod group_customer_users;
mod group_grants;
mod groups;
mod mail_accounts;
mod mail_accounts_form;
mod notifications;
mod priorities;
mod queues;
mod renamable;
mod roles;
mod screens;
mod service_grants;
mod services;
mod slas;
mod slas_form;
mod states;
mod texts;
mod texts_form;
mod view;
mod webhook_deliveries;
mod webhooks;
mod webhooks_form;

use super::records;
use super::session::{AdminUser, AgentUser, see_other};
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use chamado::{Admin, Record, RecordKind};
use chamado_http::{AppState, Problem};
use chamado_i18n::Message;
use serde::Deserialize;

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(screens::index))
        .route("/admin/customers", get(customers::list).post(customers::add))
        .route("/admin/customers/{id}", get(customers::edit).post(customers::save))
        .route("/admin/customers/{id}/groups", get(group_grants::customer).post(group_grants::customer_save))
        .route("/admin/customer-users", get(customer_users::list).post(customer_users::add))
        .route("/admin/customer-users/{login}", get(customer_users::edit).post(customer_users::save))
        .route(
            "/admin/customer-users/{login}/groups",
            get(group_grants::customer_user).post(group_grants::customer_user_save),
        )
        .route(
            "/admin/customer-users/{login}/services",
            get(service_grants::customer_user).post(service_grants::customer_user_save),
        )
        .route("/admin/default-groups", get(group_grants::defaults).post(group_grants::defaults_save))
        .route("/admin/default-services", get(service_grants::defaults).post(service_grants::defaults_save))
        .route("/admin/agents", get(agents::list).post(agents::add))
        .route("/admin/agents/{login}", get(agents::edit).post(agents::save))
        .route("/admin/agents/{login}/groups", get(group_grants::agent).post(group_grants::agent_save))
        .route("/admin/agents/{login}/roles", post(roles::memberships_save))
        .route("/admin/roles", get(roles::list).post(roles::add))
        .route("/admin/roles/{name}", get(roles::edit).post(roles::save))
        .route("/admin/roles/{name}/groups", get(group_grants::role).post(group_grants::role_save))
        .route("/admin/groups", get(groups::list).post(groups::add))
        .route("/admin/groups/{name}", get(groups::edit).post(groups::save))
        .route(
            "/admin/groups/{name}/customer-users",
            get(group_customer_users::show_grid).post(group_customer_users::save),
        )
        .route("/admin/queues", get(queues::list).post(queues::add))
        .route("/admin/queues/{name}", get(queues::edit).post(queues::save))
        .route("/admin/services", get(services::list).post(services::add))
        .route("/admin/services/{name}", get(services::show_service).post(services::save))
        .route("/admin/states", get(states::list).post(states::add))
        .route("/admin/states/{name}", get(states::edit).post(states::save))
        .route("/admin/priorities", get(priorities::list))
        .route("/admin/priorities/{level}", get(priorities::edit).post(priorities::save))
        .route("/admin/mail-accounts", get(mail_accounts::list).post(mail_accounts::add))
        .route("/admin/mail-accounts/{name}", get(mail_accounts::show_account).post(mail_accounts::save))
        .route("/admin/mail-accounts/{name}/delete", get(mail_accounts::confirm_delete).post(mail_accounts::delete))
        .merge(text_routes::<texts::AutoResponses>("/admin/auto-responses"))
        .merge(text_routes::<texts::Salutations>("/admin/salutations"))
        .merge(text_routes::<texts::Signatures>("/admin/signatures"))
        .merge(text_routes::<texts::Templates>("/admin/templates"))
        .route("/admin/notifications", get(notifications::list))
        .route("/admin/notifications/{kind}", get(notifications::edit).post(notifications::save))
        .route("/admin/notifications/{kind}/reset", post(notifications::reset))
        .route("/admin/calendars", get(calendars::list).post(calendars::add))
        .route("/admin/calendars/{name}", get(calendars::edit).post(calendars::save))
        .route("/admin/slas", get(slas::list).post(slas::add))
        .route("/admin/slas/{name}", get(slas::edit).post(slas::save))
        .route("/admin/webhooks", get(webhooks::list).post(webhooks::add))
        .route("/admin/webhooks/{id}", get(webhooks::edit).post(webhooks::save))
        .route("/admin/webhooks/{id}/secrets", post(webhooks::add_secret))
        .route("/admin/webhooks/{id}/delete", get(webhooks::confirm_delete).post(webhooks::delete))
        .route("/admin/webhooks/{id}/deliveries", get(webhook_deliveries::list))
        .route("/admin/webhooks/{id}/deliveries/{delivery}/replay", post(webhook_deliveries::replay_one))
        .route("/admin/webhooks/{id}/replay", post(webhook_deliveries::replay_range))
}

/// The routes of one text screen under `base`: list and add, one text, delete after a confirmation.
fn text_routes<S: texts::On>(base: &str) -> Router<AppState> {
    Router::new()
        .route(base, get(texts::list::<S>).post(texts::add::<S>))
        .route(&[base, "/{name}"].concat(), get(texts::edit::<S>).post(texts::save::<S>))
        .route(&[base, "/{name}/delete"].concat(), get(texts::confirm_delete::<S>).post(texts::delete::<S>))
}

/// Search and `done` notices of the list screens.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// The search box's text; empty lists everything.
    pub(super) search: String,
    /// What the last change did (`saved`), for the notice on top.
    pub(super) done: String,
}

/// The engine's admin view for the signed-in admin.
async fn admin<'a>(st: &'a AppState, user: &AgentUser) -> Result<Admin<'a>, Problem> {
    Ok(st.engine.admin(&user.actor()).await?)
}

/// The records of `kind` the search box finds (the engine's search), or all of them when it is empty.
async fn list_or_search(
    st: &AppState,
    user: &AgentUser,
    kind: RecordKind,
    search: &str,
) -> Result<Vec<Record>, Problem> {
    let a = admin(st, user).await?;
    Ok(if search.trim().is_empty() { a.list(kind, None, 200).await? } else { a.search(kind, search, 200).await? })
}

/// Refuses a missing record of `kind` with 404.
async fn must_exist(st: &AppState, kind: RecordKind, key: &str) -> Result<(), Problem> {
    match st.engine.admin(&chamado::Actor::System).await?.get(kind, key).await? {
        Some(_) => Ok(()),
        None => Err(not_found(kind, key)),
    }
}

/// The record, or "not found" naming it.
fn found<T>(record: Option<T>, kind: RecordKind, key: &str) -> Result<T, Problem> {
    record.ok_or_else(|| not_found(kind, key))
}

/// "Not found" for the record of `kind` named `key`, translatable (the pages show it in the admin's
/// language; the English detail stays for logs).
fn not_found(kind: RecordKind, key: &str) -> Problem {
    let message = match kind {
        RecordKind::Customer => Message::new("admin-missing-customer"),
        RecordKind::CustomerUser => Message::new("admin-missing-customer-user"),
        RecordKind::Agent => Message::new("admin-missing-agent"),
        RecordKind::Role => Message::new("admin-missing-role"),
        RecordKind::Group => Message::new("admin-missing-group"),
        RecordKind::Queue => Message::new("admin-missing-queue"),
        RecordKind::Service => Message::new("admin-missing-service"),
        RecordKind::State => Message::new("admin-missing-state"),
        RecordKind::Priority => Message::new("admin-missing-priority"),
        RecordKind::Grant => Message::new("admin-missing-record"),
        RecordKind::MailAccount => Message::new("admin-missing-mail-account"),
        RecordKind::AutoResponse
        | RecordKind::Salutation
        | RecordKind::Signature
        | RecordKind::Template
        | RecordKind::Notification
        | RecordKind::Calendar
        | RecordKind::Sla
        | RecordKind::Webhook => Message::new("admin-missing-record"),
    };
    Problem::not_found(String::new()).with_message(message.arg("key", key.to_string()))
}

/// Refuses to add a record of `kind` whose key `key` is taken (409), translatable like [`not_found`].
fn duplicate(kind: RecordKind, key: &str) -> Problem {
    let message = match kind {
        RecordKind::Customer => Message::new("admin-duplicate-customer"),
        RecordKind::CustomerUser => Message::new("admin-duplicate-customer-user"),
        RecordKind::Agent => Message::new("admin-duplicate-agent"),
        RecordKind::State => Message::new("admin-duplicate-state"),
        _ => Message::new("admin-duplicate-record"),
    };
    Problem::conflict("duplicate", String::new()).with_message(message.arg("key", key.to_string()))
}

/// `base/<key>suffix` with the key percent-encoded as one path segment (askama's `urlencode_strict`,
/// the filter the templates use), for redirects and form actions built outside a template.
fn href(base: &str, key: &str, suffix: &str) -> String {
    let key = match askama::filters::urlencode_strict(key) {
        Ok(encoded) => encoded.to_string(),
        Err(never) => match never {},
    };
    [base, "/", &key, suffix].concat()
}

/// The answer to a saving form: back to `to` (a screen with its `done` notice), or the problem.
fn saved(user: &AgentUser, result: Result<(), Problem>, to: &str) -> Response {
    match result {
        Ok(()) => see_other(to),
        Err(p) => view::bad(user, &p),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_become_one_path_segment() {
        assert_eq!(
            super::href("/admin/services", "IT::Mail/x y", "/edit"),
            "/admin/services/IT%3A%3AMail%2Fx%20y/edit"
        );
        assert_eq!(super::href("/admin/agents", "ana", ""), "/admin/agents/ana");
    }
}
