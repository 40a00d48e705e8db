//! Groups, services, roles and queues: the named entries an admin sets up.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A named directory entry: a group, a service (`Parent::Child`) or a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

/// A service to add: a [`NamedBody`] whose name is `Parent::Child` with no blank part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBody {
    /// Name, unique; `Parent::Child` under an existing parent.
    #[schema(schema_with = crate::rules::service_name)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

impl From<ServiceBody> for NamedBody {
    fn from(s: ServiceBody) -> Self {
        NamedBody { name: s.name, comment: s.comment, valid: s.valid }
    }
}

/// Named entries found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NamedList {
    /// In name order.
    pub items: Vec<NamedBody>,
}

/// A queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// The group whose permissions govern it.
    pub group: String,
    /// Follow-ups on closed tickets: `possible`, `reject` or `new_ticket`.
    #[serde(default = "possible")]
    #[schema(schema_with = crate::rules::follow_up)]
    pub follow_up: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

fn possible() -> String {
    "possible".into()
}

/// Queues found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueList {
    /// In name order.
    pub items: Vec<QueueBody>,
}
