use serde::{Deserialize, Serialize};
use std::fmt;

/// Who asks the engine to do something. Adapters authenticate; the engine authorises.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "login", rename_all = "snake_case")]
pub enum Actor {
    /// The host itself (bootstrapping, timers). May do everything.
    System,
    /// An agent, by login.
    Agent(String),
    /// A customer user, by login.
    CustomerUser(String),
}

impl Actor {
    /// An agent.
    pub fn agent(login: impl Into<String>) -> Self {
        Actor::Agent(login.into())
    }

    /// A customer user.
    pub fn customer(login: impl Into<String>) -> Self {
        Actor::CustomerUser(login.into())
    }
}

impl fmt::Display for Actor {
    /// `system`, `agent:<login>`, `customer:<login>`, as history records it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::System => f.write_str("system"),
            Actor::Agent(l) => write!(f, "agent:{l}"),
            Actor::CustomerUser(l) => write!(f, "customer:{l}"),
        }
    }
}
