use super::{Permission, PermissionSet};
use crate::directory::{Agent, Grant, GrantSubject, GrantTarget, Group, Role};
use crate::ticket::Ticket;
use std::collections::BTreeMap;

/// What one agent may do, resolved from direct grants and role grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentAccess {
    login: String,
    groups: BTreeMap<String, PermissionSet>,
}

impl AgentAccess {
    /// Resolves an agent's permissions.
    ///
    /// `grants` are the agent's own grants (groups and role memberships) and the grants of the roles it
    /// belongs to; other subjects' grants are ignored. Invalid agents, roles and groups grant nothing;
    /// `roles` and `groups` are the directory's (to know which are valid).
    pub fn resolve(agent: &Agent, grants: &[Grant], roles: &[Role], groups: &[Group]) -> Self {
        let mut access = AgentAccess { login: agent.login.clone(), groups: BTreeMap::new() };
        if !agent.valid {
            return access;
        }
        let valid_role = |name: &str| roles.iter().any(|r| r.name == name && r.valid);
        let valid_group = |name: &str| groups.iter().any(|g| g.name == name && g.valid);
        let my_roles: Vec<&str> = grants
            .iter()
            .filter(|g| g.subject == GrantSubject::Agent(agent.login.clone()))
            .filter_map(|g| match &g.target {
                GrantTarget::Role(r) if valid_role(r) => Some(r.as_str()),
                _ => None,
            })
            .collect();
        for g in grants {
            let applies = match &g.subject {
                GrantSubject::Agent(l) => *l == agent.login,
                GrantSubject::Role(r) => my_roles.contains(&r.as_str()),
                _ => false,
            };
            if let (true, GrantTarget::Group(group)) = (applies, &g.target)
                && valid_group(group)
            {
                let e = access.groups.entry(group.clone()).or_default();
                *e = e.union(g.permissions);
            }
        }
        access
    }

    /// The agent's login.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// The permissions held on a group.
    pub fn on_group(&self, group: &str) -> PermissionSet {
        self.groups.get(group).copied().unwrap_or_default()
    }

    /// True when `p` is held on `group`.
    pub fn has(&self, group: &str, p: Permission) -> bool {
        self.on_group(group).allows(p)
    }

    /// True when `p` is held for `ticket` in a queue of `queue_group`: owner and responsible have full
    /// rights on their ticket.
    pub fn may(&self, ticket: &Ticket, queue_group: &str, p: Permission) -> bool {
        let mine = ticket.owner.as_deref() == Some(self.login.as_str())
            || ticket.responsible.as_deref() == Some(self.login.as_str());
        mine || self.has(queue_group, p)
    }

    /// Every group with its permissions.
    pub fn groups(&self) -> &BTreeMap<String, PermissionSet> {
        &self.groups
    }

    /// True for admins: `rw` on group `admin`.
    pub fn is_admin(&self) -> bool {
        self.has(crate::directory::ADMIN_GROUP, Permission::Rw)
    }
}
