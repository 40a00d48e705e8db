//! What commands exchange with a backend. The directory shapes are the HTTP API's own types
//! (`chamado_api_types`, shared with the HTTP adapter), under the names the commands use, so the HTTP backend sends and reads them as
//! they are and the direct backend converts the engine's records with the same `From` impls and patch
//! rules the server uses. What only the command line needs (subjects, grant and access views) is here.

use chamado::PermissionSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use chamado_api_types::agents::{AgentIn as NewAgent, AgentOut as AgentView, AgentPatch, AgentToken};
pub use chamado_api_types::customer_users::{
    CustomerUserIn as NewCustomerUser, CustomerUserOut as CustomerUserView, CustomerUserPatch,
};
pub use chamado_api_types::customers::{CustomerBody as CustomerView, CustomerPatch};
pub use chamado_api_types::directory::{
    NamedBody as NamedView, PriorityBody as PriorityView, PriorityPatch, QueueBody as QueueView, QueuePatch,
    RenamablePatch, ServiceHoldersBody as ServiceHoldersView, StateBody as StateView, StatePatch,
};

/// Names of permissions, in OTRS's order.
pub fn permission_names(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.as_str().to_string()).collect()
}

/// The kinds of plain named directory entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// Groups.
    Group,
    /// Services (`Parent::Child`).
    Service,
    /// Roles.
    Role,
}

impl NamedKind {
    /// The singular noun.
    pub fn noun(self) -> &'static str {
        match self {
            NamedKind::Group => "group",
            NamedKind::Service => "service",
            NamedKind::Role => "role",
        }
    }

    /// The API collection path.
    pub fn path(self) -> &'static str {
        match self {
            NamedKind::Group => "/groups",
            NamedKind::Service => "/services",
            NamedKind::Role => "/roles",
        }
    }
}

/// Who holds a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A customer user.
    CustomerUser(String),
    /// Every user of a customer.
    Customer(String),
    /// Every customer user (default groups and services).
    Default,
    /// An agent.
    Agent(String),
    /// Every agent of a role.
    Role(String),
}

impl Subject {
    /// The engine's subject.
    pub fn to_engine(&self) -> chamado::GrantSubject {
        use chamado::GrantSubject as G;
        match self {
            Subject::CustomerUser(l) => G::CustomerUser(l.clone()),
            Subject::Customer(c) => G::Customer(c.clone()),
            Subject::Default => G::DefaultCustomerUsers,
            Subject::Agent(l) => G::Agent(l.clone()),
            Subject::Role(r) => G::Role(r.clone()),
        }
    }

    /// For messages: `customer user "alice"`, `default customer users`, ...
    pub fn describe(&self) -> String {
        match self {
            Subject::CustomerUser(l) => format!("customer user {l:?}"),
            Subject::Customer(c) => format!("customer {c:?}"),
            Subject::Default => "every customer user (default)".to_string(),
            Subject::Agent(l) => format!("agent {l:?}"),
            Subject::Role(r) => format!("role {r:?}"),
        }
    }

    /// True for customer-side subjects (only `ro`/`rw`).
    pub fn is_customer_side(&self) -> bool {
        matches!(self, Subject::CustomerUser(_) | Subject::Customer(_) | Subject::Default)
    }
}

/// One grant a subject holds directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    /// `group`, `service` or `role`.
    pub target: String,
    /// The group, service or role.
    pub name: String,
    /// Permissions (groups only).
    pub permissions: Vec<String>,
}

/// What a customer user may use: effective groups and services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    /// Login.
    pub login: String,
    /// Valid or not (invalid users may do nothing).
    pub valid: bool,
    /// The customers the user belongs to, primary first.
    pub customer_ids: Vec<String>,
    /// Effective group permissions (own, company and default grants).
    pub groups: BTreeMap<String, Vec<String>>,
    /// Effective services (own and default).
    pub services: Vec<String>,
    /// Services granted to the user directly.
    pub own_services: Vec<String>,
}

/// Listing parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Only records containing this text.
    pub search: Option<String>,
    /// Continue after this key.
    pub after: Option<String>,
    /// At most this many.
    pub limit: usize,
}
