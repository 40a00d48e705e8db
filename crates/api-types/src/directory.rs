//! Groups, services, roles and queues: the named entries an admin sets up.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A named directory entry: a group, a service (`Parent::Child`) or a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedBody {
    /// Name, unique.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
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
    pub name: String,
    /// The group whose permissions govern it.
    pub group: String,
    /// Follow-ups on closed tickets: `possible`, `reject` or `new_ticket`.
    #[serde(default = "possible")]
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
