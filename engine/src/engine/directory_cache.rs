//! A snapshot of the small directory tables (groups, roles, services, queues, states, priorities, default
//! grants), and
//! of the agents and customer users resolved from them, so that permission checks do not re-read the
//! directory on every request.
//!
//! Changes made through this engine's [`super::Admin`] replace the snapshot at once; changes made by
//! another node sharing the store are seen within `EngineConfig::directory_cache_ms`.

use super::Engine;
use crate::directory::{
    Agent, Grant, GrantSubject, Group, PriorityDef, Queue, Record, RecordKind, Role, Service, StateDef,
    complete_priorities,
};
use crate::error::Result;
use crate::permissions::{AgentAccess, CustomerAccess};
use crate::time::Timestamp;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The cached tables.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub services: Vec<Service>,
    pub queues: BTreeMap<String, Queue>,
    pub states: BTreeMap<String, StateDef>,
    /// All five levels, lowest first (shipped definitions where none is stored).
    pub priorities: Vec<PriorityDef>,
    pub default_grants: Vec<Grant>,
    /// Resolved agents, filled on first use while this snapshot lives.
    pub agents: Mutex<HashMap<String, AgentAccess>>,
    /// Resolved customer users, filled on first use while this snapshot lives.
    pub customers: Mutex<HashMap<String, CustomerAccess>>,
    /// Agent records read for per-request checks (API tokens), filled on first use.
    pub agent_records: Mutex<HashMap<String, Agent>>,
    loaded_at: Timestamp,
}

impl Snapshot {
    pub fn cached_agent(&self, login: &str) -> Option<AgentAccess> {
        self.agents.lock().unwrap_or_else(|e| e.into_inner()).get(login).cloned()
    }

    pub fn cache_agent(&self, access: &AgentAccess) {
        self.agents.lock().unwrap_or_else(|e| e.into_inner()).insert(access.login().to_string(), access.clone());
    }

    pub fn cached_agent_record(&self, login: &str) -> Option<Agent> {
        self.agent_records.lock().unwrap_or_else(|e| e.into_inner()).get(login).cloned()
    }

    pub fn cache_agent_record(&self, agent: &Agent) {
        self.agent_records.lock().unwrap_or_else(|e| e.into_inner()).insert(agent.login.clone(), agent.clone());
    }

    pub fn cached_customer(&self, login: &str) -> Option<CustomerAccess> {
        self.customers.lock().unwrap_or_else(|e| e.into_inner()).get(login).cloned()
    }

    pub fn cache_customer(&self, access: &CustomerAccess) {
        self.customers.lock().unwrap_or_else(|e| e.into_inner()).insert(access.login().to_string(), access.clone());
    }
}

impl Engine {
    /// The current directory snapshot, reloaded when older than the configured lifetime.
    pub(super) async fn directory(&self) -> Result<Arc<Snapshot>> {
        let ttl = Duration::from_millis(self.config().directory_cache_ms);
        let now = self.now();
        if let Some(s) = self.inner.directory.read().unwrap_or_else(|e| e.into_inner()).as_ref()
            && !ttl.is_zero()
            && now < s.loaded_at.plus(ttl)
            && now >= s.loaded_at
        {
            return Ok(s.clone());
        }
        let generation = self.inner.directory_generation.load(Ordering::Acquire);
        let mut snap = Snapshot { loaded_at: now, ..Default::default() };
        for r in self.all_records(RecordKind::Group, "").await? {
            if let Record::Group(g) = r {
                snap.groups.push(g);
            }
        }
        for r in self.all_records(RecordKind::Role, "").await? {
            if let Record::Role(x) = r {
                snap.roles.push(x);
            }
        }
        for r in self.all_records(RecordKind::Service, "").await? {
            if let Record::Service(x) = r {
                snap.services.push(x);
            }
        }
        for r in self.all_records(RecordKind::Queue, "").await? {
            if let Record::Queue(q) = r {
                snap.queues.insert(q.name.clone(), q);
            }
        }
        for r in self.all_records(RecordKind::State, "").await? {
            if let Record::State(s) = r {
                snap.states.insert(s.name.clone(), s);
            }
        }
        let stored = self.all_records(RecordKind::Priority, "").await?;
        snap.priorities = complete_priorities(
            stored.into_iter().filter_map(|r| if let Record::Priority(p) = r { Some(p) } else { None }),
        );
        for r in self.all_records(RecordKind::Grant, &GrantSubject::DefaultCustomerUsers.key_prefix()).await? {
            if let Record::Grant(g) = r {
                snap.default_grants.push(g);
            }
        }
        let snap = Arc::new(snap);
        let mut current = self.inner.directory.write().unwrap_or_else(|e| e.into_inner());
        // An admin write during the load may have changed what was read: serve this snapshot to the
        // request that loaded it, but do not keep it for others.
        if self.inner.directory_generation.load(Ordering::Acquire) == generation {
            *current = Some(snap.clone());
        }
        Ok(snap)
    }

    /// Drops the directory snapshot, so the next request reads groups, roles, services, queues, states
    /// and default grants from the store. Admin changes through this engine do this by themselves; call
    /// it after writing directory records to the store directly.
    pub fn invalidate_directory(&self) {
        let mut current = self.inner.directory.write().unwrap_or_else(|e| e.into_inner());
        self.inner.directory_generation.fetch_add(1, Ordering::AcqRel);
        *current = None;
    }
}
