//! The operations every command is built from, implemented on the redb file ([`crate::direct`]) and on
//! the HTTP API ([`crate::remote`]).

use crate::error::Result;
use crate::model::{
    AccessView, AgentPatch, AgentToken, AgentView, CustomerPatch, CustomerUserPatch, CustomerUserView, CustomerView,
    GrantView, NamedKind, NamedView, NewAgent, NewCustomerUser, PriorityPatch, PriorityView, Query, QueuePatch,
    QueueView, RenamablePatch, ServiceHoldersView, StatePatch, StateView, Subject,
};
use chamado::{Permission, PermissionSet};

/// A place the directory lives: the store file or a running server.
pub(crate) trait Backend {
    /// Adds a customer; fails when it exists.
    async fn customer_add(&self, c: &CustomerView) -> Result<CustomerView>;
    /// One customer.
    async fn customer_get(&self, id: &str) -> Result<CustomerView>;
    /// Changes a customer.
    async fn customer_patch(&self, id: &str, p: &CustomerPatch) -> Result<CustomerView>;
    /// Lists or searches customers.
    async fn customers(&self, q: &Query) -> Result<Vec<CustomerView>>;

    /// Adds a customer user; fails when it exists.
    async fn customer_user_add(&self, u: &NewCustomerUser) -> Result<CustomerUserView>;
    /// One customer user.
    async fn customer_user_get(&self, login: &str) -> Result<CustomerUserView>;
    /// Changes a customer user.
    async fn customer_user_patch(&self, login: &str, p: &CustomerUserPatch) -> Result<CustomerUserView>;
    /// Lists or searches customer users.
    async fn customer_users(&self, q: &Query) -> Result<Vec<CustomerUserView>>;

    /// Adds a group, service or role; fails when it exists.
    async fn named_add(&self, kind: NamedKind, n: &NamedView) -> Result<()>;
    /// Lists or searches groups, services or roles.
    async fn named_list(&self, kind: NamedKind, q: &Query) -> Result<Vec<NamedView>>;
    /// One group, service or role.
    async fn named_get(&self, kind: NamedKind, name: &str) -> Result<NamedView>;
    /// Changes a group or role (a new name carries its references along) or a service (never renamed).
    async fn named_patch(&self, kind: NamedKind, name: &str, p: &RenamablePatch) -> Result<NamedView>;
    /// Who has a service.
    async fn service_holders(&self, name: &str) -> Result<ServiceHoldersView>;
    /// Adds a queue; fails when it exists.
    async fn queue_add(&self, q: &QueueView) -> Result<()>;
    /// One queue.
    async fn queue_get(&self, name: &str) -> Result<QueueView>;
    /// Changes a queue.
    async fn queue_patch(&self, name: &str, p: &QueuePatch) -> Result<QueueView>;
    /// Lists or searches queues.
    async fn queues(&self, q: &Query) -> Result<Vec<QueueView>>;
    /// Adds a state; fails when it exists.
    async fn state_add(&self, s: &StateView) -> Result<StateView>;
    /// Lists or searches states.
    async fn states(&self, q: &Query) -> Result<Vec<StateView>>;
    /// Changes a state.
    async fn state_patch(&self, name: &str, p: &StatePatch) -> Result<StateView>;
    /// The five priorities, lowest first.
    async fn priorities(&self) -> Result<Vec<PriorityView>>;
    /// Changes a priority.
    async fn priority_patch(&self, level: u8, p: &PriorityPatch) -> Result<PriorityView>;

    /// Adds an agent with permissions and roles; answers its first API token.
    async fn agent_add(&self, a: &NewAgent) -> Result<AgentToken>;
    /// Lists or searches agents.
    async fn agents(&self, q: &Query) -> Result<Vec<AgentView>>;
    /// Issues another API token.
    async fn agent_token_issue(&self, login: &str) -> Result<AgentToken>;
    /// Revokes every API token; answers how many there were.
    async fn agent_tokens_revoke(&self, login: &str) -> Result<usize>;
    /// Marks an agent valid or invalid.
    async fn agent_set_valid(&self, login: &str, valid: bool) -> Result<()>;
    /// Changes an agent's language and time zone as `p` says (its other fields are not sent).
    async fn agent_patch(&self, login: &str, p: &AgentPatch) -> Result<()>;
    /// Adds (`member`) or removes an agent from a role.
    async fn role_member(&self, role: &str, agent: &str, member: bool) -> Result<()>;

    /// Sets a subject's permissions on a group; an empty set revokes. Customer-side subjects hold one
    /// of `ro`/`rw`.
    async fn group_grant(&self, s: &Subject, group: &str, perms: PermissionSet) -> Result<()>;
    /// Grants (`on`) or takes a service from a customer user, or from everyone (`Subject::Default`).
    async fn service_grant(&self, s: &Subject, service: &str, on: bool) -> Result<()>;
    /// The grants a subject holds directly.
    async fn grants_of(&self, s: &Subject) -> Result<Vec<GrantView>>;
    /// The effective groups and services of a customer user.
    async fn access(&self, login: &str) -> Result<AccessView>;
}

/// The one permission a customer-side set holds (`rw` wins), if any.
pub(crate) fn customer_permission(set: PermissionSet) -> Option<Permission> {
    if set.contains(Permission::Rw) {
        Some(Permission::Rw)
    } else if set.contains(Permission::Ro) {
        Some(Permission::Ro)
    } else {
        None
    }
}
