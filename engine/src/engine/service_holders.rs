//! Who has a service: the per-service view of OTRS's "Customer User <-> Services" screen.

use super::Admin;
use super::admin_texts as texts;
use crate::directory::{GrantSubject, GrantTarget, Record, RecordKind, Service};
use crate::error::{Error, Result};
use crate::permissions::service_usable;
use std::collections::BTreeSet;

/// Who has a service, and whether it can be chosen at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHolders {
    /// The service.
    pub service: Service,
    /// The service and all its parents are valid, so the grants below count.
    pub usable: bool,
    /// A default service: every customer user has it (with `ServiceDefaults::FallbackOnly`, those with
    /// no service of their own).
    pub default: bool,
    /// The customer users granted it directly, by login.
    pub customer_users: Vec<String>,
    /// The customers (CustomerIDs) some of whose users are granted it directly.
    pub customers: Vec<String>,
}

impl Admin<'_> {
    /// The per-service view of `name`.
    pub async fn service_holders(&self, name: &str) -> Result<ServiceHolders> {
        let Some(Record::Service(service)) = self.get(RecordKind::Service, name).await? else {
            return Err(Error::not_found(texts::missing(RecordKind::Service, name)));
        };
        let mut default = false;
        let mut users = BTreeSet::new();
        for r in self.engine.all_records(RecordKind::Grant, "").await? {
            let Record::Grant(g) = r else { continue };
            if g.target != GrantTarget::Service(service.name.clone()) {
                continue;
            }
            match g.subject {
                GrantSubject::DefaultCustomerUsers => default = true,
                GrantSubject::CustomerUser(login) => {
                    users.insert(login);
                }
                // Services count only for customer users and defaults (`CustomerAccess::resolve`).
                _ => {}
            }
        }
        let mut customers = BTreeSet::new();
        for login in &users {
            if let Some(u) = self.engine.customer_user(login).await? {
                customers.extend(u.customer_ids().map(str::to_string));
            }
        }
        let usable = service_usable(&service.name, &self.engine.services().await?);
        Ok(ServiceHolders {
            service,
            usable,
            default,
            customer_users: users.into_iter().collect(),
            customers: customers.into_iter().collect(),
        })
    }
}
