//! `grants ...`: who holds which permission on which group, and which services.

use crate::backend::Backend;
use crate::cli::{GrantSubjectArg, GrantsCmd};
use crate::error::{AdminError, Result};
use crate::model::{GrantView, Subject};
use crate::output::{Output, table};
use chamado::{Permission, PermissionSet};
use serde_json::json;

pub(super) async fn run<B: Backend>(b: &B, cmd: GrantsCmd) -> Result<Output> {
    match cmd {
        GrantsCmd::CustomerUser { login, group, permission } => {
            group_grant(b, Subject::CustomerUser(login), group, customer_permission(&permission)?).await
        }
        GrantsCmd::Customer { id, group, permission } => {
            group_grant(b, Subject::Customer(id), group, customer_permission(&permission)?).await
        }
        GrantsCmd::DefaultGroup { group, permission } => {
            group_grant(b, Subject::Default, group, customer_permission(&permission)?).await
        }
        GrantsCmd::Agent { login, group, permissions } => {
            group_grant(b, Subject::Agent(login), group, agent_permissions(&permissions)?).await
        }
        GrantsCmd::Role { role, group, permissions } => {
            group_grant(b, Subject::Role(role), group, agent_permissions(&permissions)?).await
        }
        GrantsCmd::Service { login, service, revoke } => {
            service_grant(b, Subject::CustomerUser(login), service, !revoke).await
        }
        GrantsCmd::DefaultService { service, revoke } => service_grant(b, Subject::Default, service, !revoke).await,
        GrantsCmd::List(s) => {
            let subject = match s {
                GrantSubjectArg::CustomerUser { login } => Subject::CustomerUser(login),
                GrantSubjectArg::Customer { id } => Subject::Customer(id),
                GrantSubjectArg::Defaults => Subject::Default,
                GrantSubjectArg::Agent { login } => Subject::Agent(login),
                GrantSubjectArg::Role { role } => Subject::Role(role),
            };
            let grants = b.grants_of(&subject).await?;
            Ok(Output::new(grants_table(&grants), &grants))
        }
    }
}

/// The table of a subject's grants.
pub(super) fn grants_table(grants: &[GrantView]) -> String {
    let rows: Vec<Vec<String>> =
        grants.iter().map(|g| vec![g.target.clone(), g.name.clone(), g.permissions.join(",")]).collect();
    table(&["TARGET", "NAME", "PERMISSIONS"], &rows)
}

fn names(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.as_str().to_string()).collect()
}

async fn group_grant<B: Backend>(b: &B, s: Subject, group: String, perms: PermissionSet) -> Result<Output> {
    b.group_grant(&s, &group, perms).await?;
    let text = if perms.is_empty() {
        format!("{} holds nothing on group {group:?} now", s.describe())
    } else {
        format!("{} holds {} on group {group:?}", s.describe(), names(perms).join(","))
    };
    Ok(Output::done(text, json!({ "subject": s.describe(), "group": group, "permissions": names(perms) })))
}

async fn service_grant<B: Backend>(b: &B, s: Subject, service: String, on: bool) -> Result<Output> {
    b.service_grant(&s, &service, on).await?;
    let text = if on {
        format!("{} may use service {service:?}", s.describe())
    } else {
        format!("service {service:?} taken from {}", s.describe())
    };
    Ok(Output::done(text, json!({ "subject": s.describe(), "service": service, "granted": on })))
}

/// `ro`, `rw` or `none` (the empty set).
fn customer_permission(s: &str) -> Result<PermissionSet> {
    match s {
        "ro" => Ok(PermissionSet::of(&[Permission::Ro])),
        "rw" => Ok(PermissionSet::of(&[Permission::Rw])),
        "none" => Ok(PermissionSet::EMPTY),
        other => Err(AdminError::Usage(format!("permission {other:?} is not ro, rw or none"))),
    }
}

/// A comma-separated list of the seven permissions, or `none`.
pub(super) fn agent_permissions(s: &str) -> Result<PermissionSet> {
    let s = s.trim();
    if s == "none" {
        return Ok(PermissionSet::EMPTY);
    }
    let mut set = PermissionSet::EMPTY;
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        set.insert(part.parse::<Permission>()?);
    }
    if set.is_empty() {
        return Err(AdminError::Usage(format!(
            "permissions {s:?} name none of ro, move_into, create, note, owner, priority, rw (or `none` to revoke)"
        )));
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_lists_parse_and_reject_unknown_names() {
        assert_eq!(agent_permissions("ro, note").ok(), Some(PermissionSet::of(&[Permission::Ro, Permission::Note])));
        assert_eq!(agent_permissions("none").ok(), Some(PermissionSet::EMPTY));
        assert!(agent_permissions("ro,write").is_err());
        assert!(agent_permissions(",").is_err());
        assert!(customer_permission("note").is_err());
    }
}
