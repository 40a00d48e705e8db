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
    /// The language of the agent's console and mail (`pt-BR`); `null` for the browser's, else the
    /// system's.
    #[serde(default)]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<String>,
    /// The agent's time zone (`America/Sao_Paulo`); `null` for the system's.
    #[serde(default)]
    #[schema(schema_with = crate::rules::time_zone_or_null)]
    pub time_zone: Option<String>,
}

impl AgentIn {
    /// Refuses a language or time zone not spelled as the schema lists it.
    pub fn check_locale(&self) -> Result<(), chamado::Error> {
        crate::locale::check_language(self.language.as_deref())?;
        crate::locale::check_time_zone(self.time_zone.as_deref())
    }
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
    /// The agent's own language, or `null` (the browser's, else the system's).
    #[serde(default)]
    pub language: Option<String>,
    /// The agent's own time zone, or `null` (the system's).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Agents found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgentList {
    /// In login order.
    pub agents: Vec<AgentOut>,
}

/// Changes to an agent; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPatch {
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// New console password.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::password_or_null)]
    pub password: Option<String>,
    /// Valid or not; invalid agents can do nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// The agent's language: a tag sets it, `null` clears it, absent leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<Option<String>>,
    /// The agent's time zone: a name sets it, `null` clears it, absent leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::time_zone_or_null)]
    pub time_zone: Option<Option<String>>,
}

impl AgentPatch {
    /// Applies the language and time zone set here to `agent`, refusing spellings the schema does not
    /// list; the other fields are applied by the handler (the password needs hashing).
    pub fn apply_locale(&self, agent: &mut chamado::Agent) -> Result<(), chamado::Error> {
        if let Some(language) = &self.language {
            crate::locale::check_language(language.as_deref())?;
            agent.language.clone_from(language);
        }
        if let Some(zone) = &self.time_zone {
            crate::locale::check_time_zone(zone.as_deref())?;
            agent.time_zone.clone_from(zone);
        }
        Ok(())
    }
}

/// Tokens revoked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Revoked {
    /// How many.
    pub revoked: usize,
}
