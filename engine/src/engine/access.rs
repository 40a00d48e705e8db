//! Resolving who the caller is and what they may do, from the directory in the store.

use super::{Actor, Engine};
use crate::directory::{
    Agent, Customer, CustomerUser, Grant, GrantSubject, GrantTarget, Group, Queue, Record, RecordKey, RecordKind, Role,
    Service, StateDef,
};
use crate::error::{Error, Result};
use crate::permissions::{AgentAccess, CustomerAccess, Permission};
use crate::ticket::Ticket;

/// Directory listings are small (groups, roles, services); read them whole, in pages of this size.
const PAGE: usize = 1000;

/// A resolved caller.
pub(super) enum Caller {
    System,
    Agent(AgentAccess),
    Customer(CustomerAccess),
}

impl Engine {
    /// Every record of a kind whose key starts with `prefix`.
    pub(super) async fn all_records(&self, kind: RecordKind, prefix: &str) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.store().records(kind, prefix, after.as_deref(), PAGE).await?;
            let done = page.len() < PAGE;
            after = page.last().map(|r| r.key().key);
            out.extend(page);
            if done {
                return Ok(out);
            }
        }
    }

    pub(super) async fn grants_of(&self, subject: &GrantSubject) -> Result<Vec<Grant>> {
        let records = self.all_records(RecordKind::Grant, &subject.key_prefix()).await?;
        Ok(records.into_iter().filter_map(|r| if let Record::Grant(g) = r { Some(g) } else { None }).collect())
    }

    pub(super) async fn groups(&self) -> Result<Vec<Group>> {
        Ok(self.directory().await?.groups.clone())
    }

    pub(super) async fn services(&self) -> Result<Vec<Service>> {
        Ok(self.directory().await?.services.clone())
    }

    async fn roles(&self) -> Result<Vec<Role>> {
        Ok(self.directory().await?.roles.clone())
    }

    /// An agent record.
    pub async fn agent(&self, login: &str) -> Result<Option<Agent>> {
        match self.store().record(&RecordKey::new(RecordKind::Agent, login)).await? {
            Some(Record::Agent(a)) => Ok(Some(a)),
            _ => Ok(None),
        }
    }

    /// An agent record as of the directory snapshot: as fresh as permission checks are (changes made
    /// through this engine's [`super::Admin`] at once, other nodes' within
    /// `EngineConfig::directory_cache_ms`). For checks made on every request, such as API tokens.
    pub async fn agent_cached(&self, login: &str) -> Result<Option<Agent>> {
        let dir = self.directory().await?;
        if let Some(a) = dir.cached_agent_record(login) {
            return Ok(Some(a));
        }
        let agent = self.agent(login).await?;
        if let Some(a) = &agent {
            dir.cache_agent_record(a);
        }
        Ok(agent)
    }

    /// A customer user record.
    pub async fn customer_user(&self, login: &str) -> Result<Option<CustomerUser>> {
        match self.store().record(&RecordKey::new(RecordKind::CustomerUser, login)).await? {
            Some(Record::CustomerUser(u)) => Ok(Some(u)),
            _ => Ok(None),
        }
    }

    /// A customer record.
    pub async fn customer(&self, id: &str) -> Result<Option<Customer>> {
        match self.store().record(&RecordKey::new(RecordKind::Customer, id)).await? {
            Some(Record::Customer(c)) => Ok(Some(c)),
            _ => Ok(None),
        }
    }

    /// A queue, or `NotFound`.
    pub async fn queue(&self, name: &str) -> Result<Queue> {
        if let Some(q) = self.directory().await?.queues.get(name) {
            return Ok(q.clone());
        }
        // Not in the snapshot: perhaps created a moment ago by another node.
        match self.store().record(&RecordKey::new(RecordKind::Queue, name)).await? {
            Some(Record::Queue(q)) => Ok(q),
            _ => Err(Error::not_found(
                chamado_i18n::Message::new("error-queue-not-found").arg("name", format!("{name:?}")),
            )),
        }
    }

    /// A state definition, or a validation error naming it.
    pub async fn state(&self, name: &str) -> Result<StateDef> {
        if let Some(st) = self.directory().await?.states.get(name) {
            return Ok(st.clone());
        }
        match self.store().record(&RecordKey::new(RecordKind::State, name)).await? {
            Some(Record::State(s)) => Ok(s),
            _ => Err(Error::not_found(
                chamado_i18n::Message::new("error-state-not-found").arg("name", format!("{name:?}")),
            )),
        }
    }

    /// What an agent may do. Unknown and invalid agents may do nothing.
    pub async fn agent_access(&self, login: &str) -> Result<AgentAccess> {
        let dir = self.directory().await?;
        if let Some(a) = dir.cached_agent(login) {
            return Ok(a);
        }
        let access = self.resolve_agent(login).await?;
        dir.cache_agent(&access);
        Ok(access)
    }

    async fn resolve_agent(&self, login: &str) -> Result<AgentAccess> {
        let Some(agent) = self.agent(login).await? else {
            return Err(Error::permission_denied(
                chamado_i18n::Message::new("error-agent-unknown").arg("login", format!("{login:?}")),
            ));
        };
        if !agent.valid {
            return Err(Error::permission_denied(
                chamado_i18n::Message::new("error-agent-invalid").arg("login", format!("{login:?}")),
            ));
        }
        let mut grants = self.grants_of(&GrantSubject::Agent(login.to_string())).await?;
        let role_names: Vec<String> = grants
            .iter()
            .filter_map(|g| if let GrantTarget::Role(r) = &g.target { Some(r.clone()) } else { None })
            .collect();
        for r in role_names {
            grants.extend(self.grants_of(&GrantSubject::Role(r)).await?);
        }
        Ok(AgentAccess::resolve(&agent, &grants, &self.roles().await?, &self.groups().await?))
    }

    /// What a customer user may do: own, company and default grants, and services.
    pub async fn customer_access(&self, login: &str) -> Result<CustomerAccess> {
        let dir = self.directory().await?;
        if let Some(c) = dir.cached_customer(login) {
            return Ok(c);
        }
        let access = self.resolve_customer(login).await?;
        dir.cache_customer(&access);
        Ok(access)
    }

    /// Like [`Engine::customer_access`], resolving from `user` (the record of `login` the caller just read,
    /// `None` when absent) when the access is not cached, so a request that needs the record too reads it
    /// once.
    pub(super) async fn customer_access_given(
        &self,
        login: &str,
        user: Option<&CustomerUser>,
    ) -> Result<CustomerAccess> {
        let dir = self.directory().await?;
        if let Some(c) = dir.cached_customer(login) {
            return Ok(c);
        }
        let access = self.resolve_customer_from(login, user).await?;
        dir.cache_customer(&access);
        Ok(access)
    }

    async fn resolve_customer(&self, login: &str) -> Result<CustomerAccess> {
        let user = self.customer_user(login).await?;
        self.resolve_customer_from(login, user.as_ref()).await
    }

    async fn resolve_customer_from(&self, login: &str, user: Option<&CustomerUser>) -> Result<CustomerAccess> {
        let Some(user) = user else {
            return Err(Error::permission_denied(
                chamado_i18n::Message::new("error-customer-user-unknown").arg("login", format!("{login:?}")),
            ));
        };
        if !user.valid {
            return Err(Error::permission_denied(
                chamado_i18n::Message::new("error-customer-user-invalid").arg("login", format!("{login:?}")),
            ));
        }
        let mut grants = self.grants_of(&GrantSubject::CustomerUser(login.to_string())).await?;
        grants.extend(self.directory().await?.default_grants.iter().cloned());
        let mut customers = Vec::new();
        for id in user.customer_ids() {
            grants.extend(self.grants_of(&GrantSubject::Customer(id.to_string())).await?);
            if let Some(c) = self.customer(id).await? {
                customers.push(c);
            }
        }
        Ok(CustomerAccess::resolve(
            user,
            &customers,
            &grants,
            &self.groups().await?,
            &self.services().await?,
            self.config().service_defaults,
            self.config().company_tickets,
        ))
    }

    /// Like [`Engine::caller`], and for a customer user whose access was not cached, the record read to
    /// resolve it (known valid), so a request that needs the record as well does not read it twice.
    pub(super) async fn caller_and_user(&self, actor: &Actor) -> Result<(Caller, Option<CustomerUser>)> {
        let Actor::CustomerUser(login) = actor else { return Ok((self.caller(actor).await?, None)) };
        let dir = self.directory().await?;
        if let Some(c) = dir.cached_customer(login) {
            return Ok((Caller::Customer(c), None));
        }
        let user = self.customer_user(login).await?;
        let access = self.resolve_customer_from(login, user.as_ref()).await?;
        dir.cache_customer(&access);
        Ok((Caller::Customer(access), user))
    }

    pub(super) async fn caller(&self, actor: &Actor) -> Result<Caller> {
        Ok(match actor {
            Actor::System => Caller::System,
            Actor::Agent(l) => Caller::Agent(self.agent_access(l).await?),
            Actor::CustomerUser(l) => Caller::Customer(self.customer_access(l).await?),
        })
    }

    /// True when `actor` may see `ticket`.
    pub async fn can_see(&self, actor: &Actor, ticket: &Ticket) -> Result<bool> {
        let caller = self.caller(actor).await?;
        let group = self.queue(&ticket.queue).await?.group;
        Ok(caller_sees(&caller, ticket, &group))
    }
}

pub(super) fn caller_sees(caller: &Caller, ticket: &Ticket, group: &str) -> bool {
    match caller {
        Caller::System => true,
        Caller::Agent(a) => a.may(ticket, group, Permission::Ro),
        Caller::Customer(c) => c.can_see(ticket, group),
    }
}
