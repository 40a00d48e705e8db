//! What commands exchange with a backend. The shapes are the HTTP API's JSON, so the HTTP backend
//! sends and reads them as they are and the direct backend converts the engine's records into them.

use chamado::{Customer, CustomerUser, PermissionSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn yes() -> bool {
    true
}

/// Names of permissions, in OTRS's order.
pub fn permission_names(set: PermissionSet) -> Vec<String> {
    set.iter().map(|p| p.as_str().to_string()).collect()
}

/// A customer (company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    /// The CustomerID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Street.
    #[serde(default)]
    pub street: String,
    /// Postal code.
    #[serde(default)]
    pub zip: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// Web address.
    #[serde(default)]
    pub url: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
}

impl From<Customer> for CustomerView {
    fn from(c: Customer) -> Self {
        CustomerView {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

impl From<CustomerView> for Customer {
    fn from(c: CustomerView) -> Self {
        Customer {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

/// Changes to a customer; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerPatch {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Web address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl CustomerPatch {
    /// Applies the changes.
    pub fn apply(&self, c: &mut Customer) {
        let set = |field: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                field.clone_from(v);
            }
        };
        set(&mut c.name, &self.name);
        set(&mut c.street, &self.street);
        set(&mut c.zip, &self.zip);
        set(&mut c.city, &self.city);
        set(&mut c.country, &self.country);
        set(&mut c.url, &self.url);
        set(&mut c.comment, &self.comment);
        if let Some(v) = self.valid {
            c.valid = v;
        }
    }
}

/// A customer user to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewCustomerUser {
    /// Login.
    pub login: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The primary customer.
    pub customer_id: String,
    /// Portal password in clear (hashed by whoever stores it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Phone.
    pub phone: String,
}

/// A customer user as shown (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerUserView {
    /// Login.
    pub login: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// The primary customer.
    #[serde(default)]
    pub customer_id: String,
    /// Further customers.
    #[serde(default)]
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
    /// Whether a portal password is set.
    #[serde(default)]
    pub has_password: bool,
    /// Other identities.
    #[serde(default)]
    pub identities: Vec<String>,
}

impl From<CustomerUser> for CustomerUserView {
    fn from(u: CustomerUser) -> Self {
        CustomerUserView {
            has_password: u.password_hash.is_some(),
            login: u.login,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            phone: u.phone,
            customer_id: u.customer_id,
            extra_customer_ids: u.extra_customer_ids,
            valid: u.valid,
            identities: u.identities,
        }
    }
}

/// Changes to a customer user; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerUserPatch {
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Primary customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Further customers (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_customer_ids: Option<Vec<String>>,
    /// New password in clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl CustomerUserPatch {
    /// Applies the changes except the password (which needs hashing).
    pub fn apply(&self, u: &mut CustomerUser) {
        let set = |field: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                field.clone_from(v);
            }
        };
        set(&mut u.email, &self.email);
        set(&mut u.first_name, &self.first_name);
        set(&mut u.last_name, &self.last_name);
        set(&mut u.phone, &self.phone);
        set(&mut u.customer_id, &self.customer_id);
        if let Some(x) = &self.extra_customer_ids {
            u.extra_customer_ids.clone_from(x);
        }
        if let Some(v) = self.valid {
            u.valid = v;
        }
    }
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

/// A group, service or role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedView {
    /// Name.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
}

/// A queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    /// Name.
    pub name: String,
    /// Its group.
    pub group: String,
    /// `possible`, `reject` or `new_ticket`.
    pub follow_up: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
}

/// An agent to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewAgent {
    /// Login.
    pub login: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Console password in clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Group permissions, e.g. `users: [rw]`.
    pub groups: BTreeMap<String, Vec<String>>,
    /// Roles.
    pub roles: Vec<String>,
}

/// An agent as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentView {
    /// Login.
    pub login: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Valid or not.
    #[serde(default = "yes")]
    pub valid: bool,
    /// Direct group permissions.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
    /// Active API tokens.
    #[serde(default)]
    pub tokens: usize,
}

/// An API token, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentToken {
    /// The agent.
    pub login: String,
    /// The token.
    pub token: String,
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
