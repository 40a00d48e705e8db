//! Permission resolution: one pure resolver for agents and one for customer users, used by every adapter.

mod agent_access;
mod customer_access;
mod permission;

pub use agent_access::AgentAccess;
pub(crate) use customer_access::service_usable;
pub use customer_access::{CustomerAccess, ServiceDefaults};
pub use permission::{Permission, PermissionSet};
