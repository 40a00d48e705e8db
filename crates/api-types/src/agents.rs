//! Agents: what an admin sends to add or change one, and what the API shows.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An agent to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentIn {
    /// Login, unique.
    #[schema(schema_with = crate::rules::name)]
    pub login: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// Console password (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Group permissions, e.g. `{"users": ["rw"], "sales": ["ro", "note"]}`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::group_permissions)]
    pub groups: BTreeMap<String, Vec<String>>,
    /// Roles the agent belongs to.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// An API token, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentToken {
    /// The agent.
    pub login: String,
    /// Send as `Authorization: Bearer <token>`. Only its hash is stored: keep it now.
    pub token: String,
}

/// An agent as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentOut {
    /// Login.
    pub login: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Valid or not.
    pub valid: bool,
    /// Direct group permissions.
    pub groups: BTreeMap<String, Vec<String>>,
    /// How many API tokens are active.
    pub tokens: usize,
}

/// Agents found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgentList {
    /// In login order.
    pub agents: Vec<AgentOut>,
}

/// Changes to an agent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPatch {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// New console password.
    #[schema(schema_with = crate::rules::password_or_null)]
    pub password: Option<String>,
    /// Valid or not; invalid agents can do nothing.
    pub valid: Option<bool>,
}

/// Tokens revoked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Revoked {
    /// How many.
    pub revoked: usize,
}
