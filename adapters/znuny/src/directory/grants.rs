//! Every grant Znuny keeps: agents and roles on groups (`group_user`, `group_role`), role
//! memberships (`role_user`), customer users and customers on groups (`group_customer_user`,
//! `group_customer`), and services (`service_customer_user`, `<DEFAULT>` for every customer user).

use super::Directory;
use crate::db::Db;
use crate::error::Result;
use crate::lookups::Lookups;
use crate::schema::Schema;
use chamado::{Grant, GrantSubject, GrantTarget, Permission, PermissionSet, Record};
use std::collections::BTreeMap;

/// The login `service_customer_user` uses for the services of every customer user.
const DEFAULT_LOGIN: &str = "<DEFAULT>";

/// The permission context of `group_customer` that gives a company's users the group (Znuny's other
/// context, `Ticket::CustomerID::Other`, lets them see other companies' tickets: no chamado equivalent).
const SAME_CUSTOMER: &str = "Ticket::CustomerID::Same";

/// Permissions collected per subject and group, so that one grant holds all of a pair's rows.
type Collected = BTreeMap<(GrantSubject, String), PermissionSet>;

pub(super) async fn read(db: &Db, schema: &Schema, l: &Lookups, d: &mut Directory) -> Result<()> {
    let mut groups = Collected::new();
    agents(db, schema, l, d, &mut groups).await?;
    roles(db, l, d, &mut groups).await?;
    customers(db, l, d, &mut groups).await?;
    for ((subject, group), permissions) in groups {
        d.push(Record::Grant(Grant { subject, target: GrantTarget::Group(group), permissions }));
    }
    let sql = "SELECT user_id, role_id FROM role_user ORDER BY user_id, role_id";
    for r in db.rows("role_user", sql).await? {
        match (l.login(r.int(0)?), l.roles.get(&r.int(1)?)) {
            (Some(login), Some(role)) => d.push(Record::Grant(Grant::role_membership(login, role))),
            _ => d.skip("grant", format!("role_user {} {}", r.text(0), r.text(1)), "its agent or role does not exist"),
        }
    }
    let sql =
        "SELECT customer_user_login, service_id FROM service_customer_user ORDER BY customer_user_login, service_id";
    for r in db.rows("service_customer_user", sql).await? {
        let login = r.text(0);
        let Some(service) = l.services.get(&r.int(1)?) else {
            d.skip("grant", format!("service {} of {login}", r.text(1)), "the service does not exist");
            continue;
        };
        let subject =
            if login == DEFAULT_LOGIN { GrantSubject::DefaultCustomerUsers } else { GrantSubject::CustomerUser(login) };
        d.push(Record::Grant(Grant::service(subject, service)));
    }
    Ok(())
}

/// Adds `key` to the pair's set; `false` when the key is no permission of that side.
fn add(set: &mut Collected, subject: GrantSubject, group: &str, key: &str, customer_side: bool) -> bool {
    let Ok(p) = key.trim().parse::<Permission>() else { return false };
    if customer_side && !matches!(p, Permission::Ro | Permission::Rw) {
        return false;
    }
    set.entry((subject, group.to_string())).or_default().insert(p);
    true
}

async fn agents(db: &Db, schema: &Schema, l: &Lookups, d: &mut Directory, out: &mut Collected) -> Result<()> {
    // Before Znuny 7 a revoked permission could stay as a row with value 0.
    let filter = if schema.group_user_value { " WHERE permission_value = 1" } else { "" };
    let sql = format!("SELECT user_id, group_id, permission_key FROM group_user{filter} ORDER BY user_id, group_id");
    for r in db.rows("group_user", &sql).await? {
        let key = r.text(2);
        let (Some(login), Some(group)) = (l.login(r.int(0)?), l.groups.get(&r.int(1)?)) else {
            d.skip(
                "grant",
                format!("group_user {} {} {key}", r.text(0), r.text(1)),
                "its agent or group does not exist",
            );
            continue;
        };
        if !add(out, GrantSubject::Agent(login.to_string()), group, &key, false) {
            d.skip(
                "grant",
                format!("agent {login} on {group}"),
                format!("permission {key:?} has no chamado equivalent"),
            );
        }
    }
    Ok(())
}

async fn roles(db: &Db, l: &Lookups, d: &mut Directory, out: &mut Collected) -> Result<()> {
    let sql = "SELECT role_id, group_id, permission_key FROM group_role WHERE permission_value = 1 \
               ORDER BY role_id, group_id";
    for r in db.rows("group_role", sql).await? {
        let key = r.text(2);
        let (Some(role), Some(group)) = (l.roles.get(&r.int(0)?), l.groups.get(&r.int(1)?)) else {
            d.skip(
                "grant",
                format!("group_role {} {} {key}", r.text(0), r.text(1)),
                "its role or group does not exist",
            );
            continue;
        };
        if !add(out, GrantSubject::Role(role.clone()), group, &key, false) {
            d.skip("grant", format!("role {role} on {group}"), format!("permission {key:?} has no chamado equivalent"));
        }
    }
    Ok(())
}

async fn customers(db: &Db, l: &Lookups, d: &mut Directory, out: &mut Collected) -> Result<()> {
    let sql = "SELECT user_id, group_id, permission_key FROM group_customer_user WHERE permission_value = 1 \
               ORDER BY user_id, group_id";
    for r in db.rows("group_customer_user", sql).await? {
        let (login, key) = (r.text(0), r.text(2));
        let Some(group) = l.groups.get(&r.int(1)?) else {
            d.skip("grant", format!("customer user {login} on group {}", r.text(1)), "the group does not exist");
            continue;
        };
        if !add(out, GrantSubject::CustomerUser(login.clone()), group, &key, true) {
            d.skip(
                "grant",
                format!("customer user {login} on {group}"),
                format!("customers hold only ro and rw, not {key:?}"),
            );
        }
    }
    let sql = "SELECT customer_id, group_id, permission_key, permission_context FROM group_customer \
               WHERE permission_value = 1 ORDER BY customer_id, group_id";
    for r in db.rows("group_customer", sql).await? {
        let (id, key, context) = (r.text(0), r.text(2), r.text(3));
        let Some(group) = l.groups.get(&r.int(1)?) else {
            d.skip("grant", format!("customer {id} on group {}", r.text(1)), "the group does not exist");
            continue;
        };
        if !context.is_empty() && context != SAME_CUSTOMER {
            d.skip(
                "grant",
                format!("customer {id} on {group} ({key})"),
                format!("context {context:?} has no chamado equivalent"),
            );
            continue;
        }
        if !add(out, GrantSubject::Customer(id.clone()), group, &key, true) {
            d.skip("grant", format!("customer {id} on {group}"), format!("customers hold only ro and rw, not {key:?}"));
        }
    }
    Ok(())
}
