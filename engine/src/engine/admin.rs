//! Directory administration: customers, customer users, agents, roles, groups, queues, services, states
//! and grants, as the OTRS admin screens manage them.

use super::admin_texts as texts;
use super::{Actor, Engine};
use crate::directory::customer_user_email_key as email_key;
use crate::directory::{
    ADMIN_GROUP, Agent, Customer, CustomerUser, Grant, GrantSubject, GrantTarget, Group, Queue, Record, RecordKey,
    RecordKind, Role, Service, StateDef,
};
use crate::error::{DuplicateKind, Error, Result, StoreError};

/// Admin operations, for the system or an agent with `rw` on group `admin`. Get one with
/// [`Engine::admin`].
pub struct Admin<'a> {
    pub(super) engine: &'a Engine,
    /// Who acts (`agent:<login>`, `system`), as events name them.
    pub(super) actor: String,
}

impl Engine {
    /// Admin operations for `actor`: the system, or an agent with `rw` on group `admin`.
    pub async fn admin(&self, actor: &Actor) -> Result<Admin<'_>> {
        match actor {
            Actor::System => {}
            Actor::Agent(l) => {
                if !self.agent_access(l).await?.is_admin() {
                    return Err(Error::permission_denied(
                        chamado_i18n::Message::new("error-not-an-admin").arg("login", format!("{l:?}")),
                    ));
                }
            }
            Actor::CustomerUser(_) => {
                return Err(Error::permission_denied(chamado_i18n::Message::new("error-customer-cannot-administer")));
            }
        }
        Ok(Admin { engine: self, actor: actor.to_string() })
    }
}

impl Admin<'_> {
    pub(super) async fn put(&self, record: Record) -> Result<()> {
        record.validate()?;
        let result = match record {
            // Customers and customer users are events for integrations: the record and its event are
            // written in one commit.
            Record::Customer(_) | Record::CustomerUser(_) => {
                let mut commit = crate::store::Commit::default();
                self.engine.directory_event(&record, &self.actor, &mut commit).await?;
                commit.records.push(record);
                self.engine.store().commit(commit).await
            }
            _ => self.engine.store().put_record(record).await,
        };
        self.engine.invalidate_directory();
        Ok(result?)
    }

    async fn exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        Ok(self.engine.store().record(&RecordKey::new(kind, key)).await?.is_some())
    }

    /// Adds or replaces a customer.
    pub async fn put_customer(&self, c: Customer) -> Result<()> {
        self.put(Record::Customer(c)).await
    }

    /// Adds or replaces a customer user. The email address must not belong to another customer user.
    /// A changed password ends the customer user's sessions ([`Admin::put_customer_user_keeping`]).
    pub async fn put_customer_user(&self, u: CustomerUser) -> Result<()> {
        self.put_customer_user_keeping(u, None).await
    }

    /// Writes a customer user after its checks; the password rule is the caller's.
    pub(super) async fn store_customer_user(&self, mut u: CustomerUser) -> Result<()> {
        crate::directory::normalize_language(&mut u.language)?;
        u.validate()?;
        for key in u.lookup_keys() {
            if let Some(other) = self.engine.store().customer_user_by_lookup(&key).await?
                && other.login != u.login
            {
                let what = if key == email_key(&u.email) {
                    format!("email {:?}", u.email)
                } else {
                    format!("identity {key:?}")
                };
                return Err(StoreError::duplicate(
                    DuplicateKind::Address,
                    format!("{what} of customer user {:?}", other.login),
                )
                .into());
            }
        }
        self.put(Record::CustomerUser(u)).await
    }

    /// Adds or replaces an agent. A changed password ends the agent's console sessions and revokes its
    /// API tokens ([`Admin::put_agent_keeping`]).
    pub async fn put_agent(&self, a: Agent) -> Result<()> {
        self.put_agent_keeping(a, None).await
    }

    /// Writes an agent; the password rule is the caller's.
    pub(super) async fn store_agent(&self, mut a: Agent) -> Result<()> {
        crate::directory::normalize_language(&mut a.language)?;
        crate::directory::normalize_time_zone(&mut a.time_zone)?;
        self.put(Record::Agent(a)).await
    }

    /// Adds or replaces a role.
    pub async fn put_role(&self, r: Role) -> Result<()> {
        self.put(Record::Role(r)).await
    }

    /// Adds or replaces a group. An invalid group grants nothing; group `admin` stays valid, so that
    /// admins remain.
    pub async fn put_group(&self, g: Group) -> Result<()> {
        if g.name == ADMIN_GROUP && !g.valid {
            return Err(Error::rejected(texts::admin_group_fixed(&g.name)));
        }
        self.put(Record::Group(g)).await
    }

    /// Adds or replaces a queue; its group must exist.
    pub async fn put_queue(&self, q: Queue) -> Result<()> {
        if !self.exists(RecordKind::Group, &q.group).await? {
            return Err(Error::not_found(
                chamado_i18n::Message::new("error-queue-group-not-found")
                    .arg("group", format!("{:?}", q.group))
                    .arg("queue", format!("{:?}", q.name)),
            ));
        }
        self.check_queue_texts(&q).await?;
        self.check_queue_calendar(&q).await?;
        let before = match self.engine.store().record(&RecordKey::new(RecordKind::Queue, &q.name)).await? {
            Some(Record::Queue(old)) => Some(old.escalation),
            _ => None,
        };
        let (name, retime) = (q.name.clone(), before.is_some_and(|b| b != q.escalation));
        self.put(Record::Queue(q)).await?;
        if retime {
            self.engine.retime_clocks(|sla, queue| sla.is_none() && queue.is_some_and(|q| q.name == name)).await?;
        }
        Ok(())
    }

    /// Adds or replaces a service; its parent (`Parent` of `Parent::Child`) must exist.
    pub async fn put_service(&self, s: Service) -> Result<()> {
        s.validate()?;
        if let Some(parent) = s.parent()
            && !self.exists(RecordKind::Service, parent).await?
        {
            return Err(Error::not_found(
                chamado_i18n::Message::new("error-parent-service-not-found")
                    .arg("parent", format!("{parent:?}"))
                    .arg("service", format!("{:?}", s.name)),
            ));
        }
        self.put(Record::Service(s)).await
    }

    /// Adds or replaces a ticket state. A state the engine sets on its own (`EngineConfig::lifecycle`)
    /// keeps the type its role needs and stays valid; an existing state keeps its type (tickets keep it
    /// for their indexes); a pending state closes into a valid state, which stays valid while it does.
    pub async fn put_state(&self, s: StateDef) -> Result<()> {
        let lifecycle = &self.engine.config().lifecycle;
        for role in lifecycle.roles_of(&s.name) {
            lifecycle.check(role, Some(&s))?;
        }
        let states = self.engine.all_records(RecordKind::State, "").await?;
        let states = states.iter().filter_map(|r| if let Record::State(x) = r { Some(x) } else { None });
        for other in states {
            if other.name == s.name && other.state_type != s.state_type {
                return Err(Error::rejected(texts::state_type_fixed(
                    &s.name,
                    other.state_type.as_str(),
                    s.state_type.as_str(),
                )));
            }
            if !s.valid && other.valid && other.name != s.name && other.next_state.as_deref() == Some(&s.name) {
                return Err(Error::rejected(texts::state_still_next(&s.name, &other.name)));
            }
        }
        if let Some(next) = &s.next_state {
            match self.get(RecordKind::State, next).await? {
                Some(Record::State(n)) if n.valid || !s.valid => {}
                Some(_) => return Err(Error::rejected(texts::next_state_invalid(next, &s.name))),
                None => {
                    return Err(Error::not_found(
                        chamado_i18n::Message::new("error-next-state-not-found")
                            .arg("next", format!("{next:?}"))
                            .arg("state", format!("{:?}", s.name)),
                    ));
                }
            }
        }
        self.put(Record::State(s)).await
    }

    /// Grants (or replaces) a grant; subject and target must exist. Customer users hold only `ro`/`rw`.
    pub async fn grant(&self, g: Grant) -> Result<()> {
        // Existence first: a name no record can have is a missing subject or target, like any other.
        let subject_ok = match &g.subject {
            GrantSubject::CustomerUser(l) => self.exists(RecordKind::CustomerUser, l).await?,
            GrantSubject::Customer(c) => self.exists(RecordKind::Customer, c).await?,
            GrantSubject::DefaultCustomerUsers => true,
            GrantSubject::Agent(l) => self.exists(RecordKind::Agent, l).await?,
            GrantSubject::Role(r) => self.exists(RecordKind::Role, r).await?,
        };
        if !subject_ok {
            return Err(Error::not_found(
                chamado_i18n::Message::new("error-grant-subject-not-found").arg("subject", format!("{:?}", g.subject)),
            ));
        }
        let customer_side = matches!(
            g.subject,
            GrantSubject::CustomerUser(_) | GrantSubject::Customer(_) | GrantSubject::DefaultCustomerUsers
        );
        let target_ok = match &g.target {
            GrantTarget::Group(n) => self.exists(RecordKind::Group, n).await?,
            GrantTarget::Service(n) => customer_side && self.exists(RecordKind::Service, n).await?,
            GrantTarget::Role(n) => {
                matches!(g.subject, GrantSubject::Agent(_)) && self.exists(RecordKind::Role, n).await?
            }
        };
        if !target_ok {
            return Err(Error::not_found(
                chamado_i18n::Message::new("error-grant-target-not-found")
                    .arg("target", format!("{:?}", g.target))
                    .arg("subject", format!("{:?}", g.subject)),
            ));
        }
        g.validate()?;
        if customer_side && g.permissions.iter().any(|p| !matches!(p, crate::Permission::Ro | crate::Permission::Rw)) {
            return Err(Error::validation(chamado_i18n::Message::new("error-customer-grants-ro-rw")));
        }
        if matches!(g.target, GrantTarget::Group(_)) && g.permissions.is_empty() {
            return self.revoke(&g.subject, &g.target).await;
        }
        self.put(Record::Grant(g)).await
    }

    /// Revokes a grant; revoking one that does not exist is not an error.
    pub async fn revoke(&self, subject: &GrantSubject, target: &GrantTarget) -> Result<()> {
        let key = Grant { subject: subject.clone(), target: target.clone(), permissions: Default::default() }.key();
        let result = self.engine.store().delete_record(&RecordKey::new(RecordKind::Grant, key)).await;
        self.engine.invalidate_directory();
        Ok(result?)
    }

    /// The grants a subject holds directly.
    pub async fn grants_of(&self, subject: &GrantSubject) -> Result<Vec<Grant>> {
        self.engine.grants_of(subject).await
    }

    /// One record.
    pub async fn get(&self, kind: RecordKind, key: &str) -> Result<Option<Record>> {
        Ok(self.engine.store().record(&RecordKey::new(kind, key)).await?)
    }

    /// A page of records of a kind, in key order, after `after`.
    pub async fn list(&self, kind: RecordKind, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
        Ok(self.engine.store().records(kind, "", after, limit.clamp(1, 1000)).await?)
    }

    /// Records of a kind whose fields contain `query` (case-insensitive), at most `limit`.
    pub async fn search(&self, kind: RecordKind, query: &str, limit: usize) -> Result<Vec<Record>> {
        let q = query.trim().to_lowercase();
        let all = self.engine.all_records(kind, "").await?;
        Ok(all
            .into_iter()
            .filter(|r| q.is_empty() || searchable_text(r).to_lowercase().contains(&q))
            .take(limit)
            .collect())
    }
}

fn searchable_text(r: &Record) -> String {
    match r {
        Record::Customer(c) => format!("{} {} {} {} {}", c.id, c.name, c.city, c.country, c.comment),
        Record::CustomerUser(u) => {
            format!("{} {} {} {} {} {}", u.login, u.email, u.first_name, u.last_name, u.customer_id, u.phone)
        }
        Record::Agent(a) => format!("{} {} {} {}", a.login, a.first_name, a.last_name, a.email),
        Record::Role(x) => format!("{} {}", x.name, x.comment),
        Record::Group(x) => format!("{} {}", x.name, x.comment),
        Record::Queue(x) => format!("{} {} {}", x.name, x.group, x.comment),
        Record::Service(x) => format!("{} {}", x.name, x.comment),
        Record::State(x) => x.name.clone(),
        Record::Grant(g) => g.key(),
        Record::Priority(x) => format!("{} {}", x.name, x.comment),
        Record::MailAccount(m) => format!("{} {} {} {} {}", m.name, m.host, m.login, m.queue, m.comment),
        Record::AutoResponse(x) => format!("{} {} {}", x.name, x.kind.as_str(), x.comment),
        Record::Salutation(x) => format!("{} {}", x.name, x.comment),
        Record::Signature(x) => format!("{} {}", x.name, x.comment),
        Record::Template(x) => format!("{} {} {}", x.name, x.kind.as_str(), x.comment),
        Record::Notification(x) => x.kind.as_str().to_string(),
        Record::Calendar(x) => format!("{} {} {}", x.name, x.time_zone, x.comment),
        Record::Sla(x) => format!("{} {} {} {}", x.name, x.calendar, x.services.join(" "), x.comment),
        Record::Webhook(x) => format!("{} {} {}", x.id, x.url, x.description),
    }
}
