use crate::error::Result;
use crate::permissions::PermissionSet;
use serde::{Deserialize, Serialize};

/// Who a grant is given to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum GrantSubject {
    /// One customer user (by login).
    CustomerUser(String),
    /// Every user of a customer (company), by CustomerID.
    Customer(String),
    /// Every customer user (OTRS's default groups and default services).
    DefaultCustomerUsers,
    /// One agent (by login).
    Agent(String),
    /// Every agent holding a role.
    Role(String),
}

impl GrantSubject {
    /// The key prefix under which stores list this subject's grants (ends with the separator).
    pub fn key_prefix(&self) -> String {
        let head = match self {
            GrantSubject::CustomerUser(l) => format!("customer_user:{l}"),
            GrantSubject::Customer(c) => format!("customer:{c}"),
            GrantSubject::DefaultCustomerUsers => "default_customer_users:".to_string(),
            GrantSubject::Agent(l) => format!("agent:{l}"),
            GrantSubject::Role(r) => format!("role:{r}"),
        };
        format!("{head}\u{1f}")
    }
}

/// What a grant gives access to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum GrantTarget {
    /// Permissions on a group (and so on its queues).
    Group(String),
    /// A service (customer users only; no permission bits).
    Service(String),
    /// Membership in a role (agents only).
    Role(String),
}

impl GrantTarget {
    fn key_part(&self) -> String {
        match self {
            GrantTarget::Group(g) => format!("group:{g}"),
            GrantTarget::Service(s) => format!("service:{s}"),
            GrantTarget::Role(r) => format!("role:{r}"),
        }
    }
}

/// A grant: subject holds permissions on target. Stored as a [`super::Record`]; deleting it revokes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Who holds it.
    pub subject: GrantSubject,
    /// On what.
    pub target: GrantTarget,
    /// Which permissions (empty for services and role memberships).
    #[serde(default)]
    pub permissions: PermissionSet,
}

impl Grant {
    /// A grant of `permissions` on a group.
    pub fn group(subject: GrantSubject, group: impl Into<String>, permissions: PermissionSet) -> Self {
        Grant { subject, target: GrantTarget::Group(group.into()), permissions }
    }

    /// A grant of a service.
    pub fn service(subject: GrantSubject, service: impl Into<String>) -> Self {
        Grant { subject, target: GrantTarget::Service(service.into()), permissions: PermissionSet::EMPTY }
    }

    /// Membership of an agent in a role.
    pub fn role_membership(agent: impl Into<String>, role: impl Into<String>) -> Self {
        Grant {
            subject: GrantSubject::Agent(agent.into()),
            target: GrantTarget::Role(role.into()),
            permissions: PermissionSet::EMPTY,
        }
    }

    /// The unique key: subject prefix + target.
    pub fn key(&self) -> String {
        format!("{}{}", self.subject.key_prefix(), self.target.key_part())
    }

    /// Checks the names in the grant.
    pub fn validate(&self) -> Result<()> {
        use super::validate_name;
        match &self.subject {
            GrantSubject::CustomerUser(n)
            | GrantSubject::Customer(n)
            | GrantSubject::Agent(n)
            | GrantSubject::Role(n) => validate_name(chamado_i18n::key("error-field-grant-subject"), n)?,
            GrantSubject::DefaultCustomerUsers => {}
        }
        match &self.target {
            GrantTarget::Group(n) | GrantTarget::Service(n) | GrantTarget::Role(n) => {
                validate_name(chamado_i18n::key("error-field-grant-target"), n)
            }
        }
    }
}
