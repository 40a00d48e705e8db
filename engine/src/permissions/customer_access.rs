use super::{Permission, PermissionSet};
use crate::directory::{Customer, CustomerUser, Grant, GrantSubject, GrantTarget, Group, Service};
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How default services combine with a customer user's own services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceDefaults {
    /// Own services plus the default services (what the OTRS admin screen promises).
    #[default]
    Union,
    /// Default services only for users with no own services (what OTRS actually does).
    FallbackOnly,
}

/// What one customer user may do, resolved from own, company and default grants.
///
/// ```
/// use chamado::{CustomerAccess, CustomerUser, Grant, GrantSubject, Group, Permission, PermissionSet,
///     ServiceDefaults};
/// let user = CustomerUser::new("alice", "alice@example.com", "acme");
/// let grants = [Grant::group(GrantSubject::DefaultCustomerUsers, "users", PermissionSet::of(&[Permission::Rw]))];
/// let access = CustomerAccess::resolve(&user, &[], &grants, &[Group::new("users")], &[],
///     ServiceDefaults::Union, true);
/// assert!(access.can_create_in("users"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAccess {
    login: String,
    customer_ids: BTreeSet<String>,
    groups: BTreeMap<String, PermissionSet>,
    services: BTreeSet<String>,
    company_tickets: bool,
}

impl CustomerAccess {
    /// Resolves a customer user's permissions.
    ///
    /// `grants` may hold any grants; those of the user, of each valid customer the user belongs to
    /// (`customers` tells which are valid), and of every customer user apply. Group permissions other than
    /// `ro`/`rw` are ignored for customers; `rw` implies `ro`. `services` is the service directory: a
    /// service counts only while it and every parent are valid. `company_tickets` switches access to the
    /// company's tickets (not the user's own) on or off.
    pub fn resolve(
        user: &CustomerUser,
        customers: &[Customer],
        grants: &[Grant],
        groups: &[Group],
        services: &[Service],
        service_defaults: ServiceDefaults,
        company_tickets: bool,
    ) -> Self {
        let mut access = CustomerAccess {
            login: user.login.clone(),
            customer_ids: BTreeSet::new(),
            groups: BTreeMap::new(),
            services: BTreeSet::new(),
            company_tickets,
        };
        if !user.valid {
            return access;
        }
        // A customer record that is missing counts as valid: OTRS lets users point at CustomerIDs that
        // have no company entry. An invalid one counts as gone.
        let customer_valid = |id: &str| customers.iter().find(|c| c.id == id).is_none_or(|c| c.valid);
        access.customer_ids = user.customer_ids().filter(|c| customer_valid(c)).map(str::to_string).collect();
        let valid_group = |name: &str| groups.iter().any(|g| g.name == name && g.valid);
        let mut own_services = BTreeSet::new();
        let mut default_services = BTreeSet::new();
        for g in grants {
            let (applies, is_default) = match &g.subject {
                GrantSubject::CustomerUser(l) => (*l == user.login, false),
                GrantSubject::Customer(c) => (access.customer_ids.contains(c), false),
                GrantSubject::DefaultCustomerUsers => (true, true),
                _ => (false, false),
            };
            if !applies {
                continue;
            }
            match &g.target {
                GrantTarget::Group(group) if valid_group(group) => {
                    let mut set = PermissionSet::EMPTY;
                    if g.permissions.contains(Permission::Rw) {
                        set.insert(Permission::Rw);
                        set.insert(Permission::Ro);
                    } else if g.permissions.contains(Permission::Ro) {
                        set.insert(Permission::Ro);
                    }
                    if !set.is_empty() {
                        let e = access.groups.entry(group.clone()).or_default();
                        *e = e.union(set);
                    }
                }
                GrantTarget::Service(s) if service_usable(s, services) => {
                    if is_default {
                        default_services.insert(s.clone());
                    } else if matches!(g.subject, GrantSubject::CustomerUser(_)) {
                        own_services.insert(s.clone());
                    }
                }
                _ => {}
            }
        }
        access.services = match service_defaults {
            ServiceDefaults::Union => own_services.union(&default_services).cloned().collect(),
            ServiceDefaults::FallbackOnly if own_services.is_empty() => default_services,
            ServiceDefaults::FallbackOnly => own_services,
        };
        access
    }

    /// The customer user's login.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// True when the user holds `ro` (or `rw`) on the group.
    pub fn can_read_group(&self, group: &str) -> bool {
        self.groups.get(group).is_some_and(|p| p.contains(Permission::Ro))
    }

    /// True when the user holds `rw` on the group: may create tickets in its queues.
    pub fn can_create_in(&self, group: &str) -> bool {
        self.groups.get(group).is_some_and(|p| p.contains(Permission::Rw))
    }

    /// True when the ticket is the user's own, or their company's while company access is on.
    pub fn is_theirs(&self, ticket: &Ticket) -> bool {
        if ticket.customer_user.as_deref() == Some(self.login.as_str()) {
            return true;
        }
        self.company_tickets && ticket.customer_id.as_deref().is_some_and(|c| self.customer_ids.contains(c))
    }

    /// True when the user may see the ticket (in a queue of `queue_group`).
    pub fn can_see(&self, ticket: &Ticket, queue_group: &str) -> bool {
        self.is_theirs(ticket) && self.can_read_group(queue_group)
    }

    /// True when the user may follow up on the ticket: theirs and `rw` on the queue's group.
    pub fn can_write(&self, ticket: &Ticket, queue_group: &str) -> bool {
        self.is_theirs(ticket) && self.can_create_in(queue_group)
    }

    /// True when the user holds the service.
    pub fn has_service(&self, service: &str) -> bool {
        self.services.contains(service)
    }

    /// The effective services.
    pub fn services(&self) -> &BTreeSet<String> {
        &self.services
    }

    /// The effective groups with `ro`/`rw`.
    pub fn groups(&self) -> &BTreeMap<String, PermissionSet> {
        &self.groups
    }

    /// The customers (CustomerIDs) the user acts for.
    pub fn customer_ids(&self) -> &BTreeSet<String> {
        &self.customer_ids
    }

    /// Whether company tickets are visible.
    pub fn company_tickets(&self) -> bool {
        self.company_tickets
    }
}

/// A service counts while it and all its parents exist and are valid.
pub(crate) fn service_usable(name: &str, services: &[Service]) -> bool {
    let mut current = Some(name);
    while let Some(n) = current {
        if !services.iter().any(|s| s.name == n && s.valid) {
            return false;
        }
        current = crate::directory::service_parent(n);
    }
    true
}
