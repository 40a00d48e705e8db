//! A snapshot of the small directory tables (groups, roles, services, queues, states, priorities, default
//! grants), and
//! of the agents and customer users resolved from them, so that permission checks do not re-read the
//! directory on every request.
//!
//! Changes made through this engine's [`super::Admin`] replace the snapshot at once; changes made by
//! another node sharing the store are seen within `EngineConfig::directory_cache_ms` and the time of one
//! reload. An expired snapshot is reloaded by one caller while the others go on with it: without that,
//! every request in flight when it expired read the whole directory again at the same moment, and built
//! its agents' and customers' access and the notification index again after it.

use super::Engine;
use crate::directory::{
    Agent, Calendar, Grant, GrantSubject, GrantTarget, Group, NotificationDef, PriorityDef, Queue, Record, RecordKind,
    Role, Service, Sla, StateDef, complete_priorities,
};
use crate::error::Result;
use crate::permissions::{AgentAccess, CustomerAccess};
use crate::sla::WorkingTime;
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
    /// Service level agreements by name.
    pub slas: BTreeMap<String, Sla>,
    /// Calendars by name, made ready for arithmetic (a calendar whose zone this build does not know is
    /// left out: its clocks count around the clock in UTC rather than not at all).
    pub calendars: BTreeMap<String, Arc<WorkingTime>>,
    /// Calendar records by name.
    pub calendar_records: BTreeMap<String, Calendar>,
    /// The enabled webhook subscriptions, by id.
    pub webhooks: Vec<crate::webhooks::WebhookSubscription>,
    /// Resolved agents, filled on first use while this snapshot lives.
    pub agents: Mutex<HashMap<String, AgentAccess>>,
    /// Resolved customer users, filled on first use while this snapshot lives.
    pub customers: Mutex<HashMap<String, CustomerAccess>>,
    /// Agent records read for per-request checks (API tokens), filled on first use.
    pub agent_records: Mutex<HashMap<String, Agent>>,
    /// What agent notifications read (every agent, "My queues" per queue, the notification settings),
    /// built on the first notification while this snapshot lives ([`Engine::notify_index`]).
    pub notify: Mutex<Option<Arc<NotifyIndex>>>,
    loaded_at: Timestamp,
}

/// The directory as agent notifications read it, built once per snapshot from the agent records, the
/// agents' and roles' grants and the notification settings (a few scans, whatever the number of
/// agents), so that telling a queue's 200 agents of a new ticket reads nothing more from the store.
#[derive(Debug, Default)]
pub(super) struct NotifyIndex {
    /// Every agent, by login.
    pub agents: HashMap<String, Agent>,
    /// What each agent may do (invalid agents: nothing).
    pub access: HashMap<String, AgentAccess>,
    /// Per queue, the logins of the agents with it in "My queues" (in login order).
    pub my_queue_agents: HashMap<String, Vec<String>>,
    /// What every notification kind does (the admin's settings, else the shipped ones).
    pub defs: Vec<NotificationDef>,
}

impl NotifyIndex {
    /// Builds the index from every agent record, every agent's and role's grants, the directory's roles
    /// and groups, and the notification settings.
    pub fn build(
        agents: Vec<Agent>,
        grants: &[Grant],
        roles: &[Role],
        groups: &[Group],
        defs: Vec<NotificationDef>,
    ) -> NotifyIndex {
        let mut own: HashMap<&str, Vec<Grant>> = HashMap::new();
        let mut of_role: HashMap<&str, Vec<&Grant>> = HashMap::new();
        for g in grants {
            match &g.subject {
                GrantSubject::Agent(l) => own.entry(l.as_str()).or_default().push(g.clone()),
                GrantSubject::Role(r) => of_role.entry(r.as_str()).or_default().push(g),
                _ => {}
            }
        }
        let mut index = NotifyIndex { defs, ..Default::default() };
        for agent in agents {
            let mut mine = own.remove(agent.login.as_str()).unwrap_or_default();
            let role_names: Vec<String> = mine
                .iter()
                .filter_map(|g| if let GrantTarget::Role(r) = &g.target { Some(r.clone()) } else { None })
                .collect();
            for r in role_names {
                mine.extend(of_role.get(r.as_str()).into_iter().flatten().map(|g| (*g).clone()));
            }
            index.access.insert(agent.login.clone(), AgentAccess::resolve(&agent, &mine, roles, groups));
            for q in &agent.my_queues {
                index.my_queue_agents.entry(q.clone()).or_default().push(agent.login.clone());
            }
            index.agents.insert(agent.login.clone(), agent);
        }
        for logins in index.my_queue_agents.values_mut() {
            logins.sort();
            logins.dedup();
        }
        index
    }
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

    /// `check` of the cached record of agent `login`, without copying it (`None`: not cached).
    pub fn check_agent_record(&self, login: &str, check: impl FnOnce(&Agent) -> bool) -> Option<bool> {
        self.agent_records.lock().unwrap_or_else(|e| e.into_inner()).get(login).map(check)
    }

    pub fn cache_agent_record(&self, agent: &Agent) {
        self.agent_records.lock().unwrap_or_else(|e| e.into_inner()).insert(agent.login.clone(), agent.clone());
    }

    pub fn cached_notify(&self) -> Option<Arc<NotifyIndex>> {
        self.notify.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Keeps `index` unless another request built one first; returns the one kept.
    pub fn cache_notify(&self, index: NotifyIndex) -> Arc<NotifyIndex> {
        let mut slot = self.notify.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| Arc::new(index)).clone()
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
        let _reloading = match self.expired_directory(ttl) {
            Reload::Serve(s) => return Ok(s),
            Reload::Mine(guard) => guard,
        };
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
        for r in self.all_records(RecordKind::Sla, "").await? {
            if let Record::Sla(x) = r {
                snap.slas.insert(x.name.clone(), x);
            }
        }
        for r in self.all_records(RecordKind::Calendar, "").await? {
            if let Record::Calendar(c) = r {
                if let Ok(w) = WorkingTime::new(&c) {
                    snap.calendars.insert(c.name.clone(), Arc::new(w));
                }
                snap.calendar_records.insert(c.name.clone(), c);
            }
        }
        for r in self.all_records(RecordKind::Webhook, "").await? {
            if let Record::Webhook(w) = r
                && w.enabled
            {
                snap.webhooks.push(w);
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

    /// What to do about an expired (or missing) snapshot: serve the expired one while another caller
    /// reloads it, or reload it (with a guard that lets the next caller reload when this one is done or
    /// gives up). Without a snapshot (after an invalidation) every caller loads: none may be served
    /// what an admin write replaced.
    fn expired_directory(&self, ttl: Duration) -> Reload<'_> {
        let flag = &self.inner.directory_reloading;
        let current = self.inner.directory.read().unwrap_or_else(|e| e.into_inner()).clone();
        match current {
            Some(s) if !ttl.is_zero() => {
                if flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_err() {
                    return Reload::Serve(s);
                }
                Reload::Mine(Some(ReloadGuard(flag)))
            }
            _ => Reload::Mine(None),
        }
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

/// See [`Engine::expired_directory`].
enum Reload<'a> {
    /// Another caller reloads: go on with this one.
    Serve(Arc<Snapshot>),
    /// Reload; the guard (if any) marks the reload as this caller's until dropped.
    Mine(Option<ReloadGuard<'a>>),
}

/// Clears the reloading mark when the reload ends, however it ends (done, failed or dropped).
struct ReloadGuard<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for ReloadGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::directory::FollowUpPolicy;
    use crate::engine::{Actor, EngineConfig};
    use crate::memory_store::MemoryStore;

    fn block<F: std::future::Future>(f: F) -> F::Output {
        pollster::block_on(f)
    }

    #[test]
    fn an_expired_snapshot_is_reloaded_by_one_caller_while_the_others_go_on_with_it() {
        let store: Arc<dyn crate::Store> = Arc::new(MemoryStore::new());
        let clock = Arc::new(FixedClock::new(Timestamp(1_795_773_600_000)));
        let node = |c: Arc<FixedClock>| {
            Engine::builder_arc(store.clone()).clock(c).config(EngineConfig::default()).build().unwrap()
        };
        let (a, b) = (node(clock.clone()), node(clock.clone()));
        block(a.seed_defaults("admin")).unwrap();
        assert!(block(a.directory()).unwrap().queues.contains_key("Raw"));
        // Another node adds a queue: this node sees it once its snapshot expires.
        let admin = block(b.admin(&Actor::System)).unwrap();
        block(admin.put_queue(Queue::new("Late", "users", FollowUpPolicy::Possible))).unwrap();
        assert!(!block(a.directory()).unwrap().queues.contains_key("Late"), "within the lifetime");
        clock.advance(Duration::from_millis(a.config().directory_cache_ms + 1));

        // While one caller reloads, the others are served the expired snapshot at once.
        let Reload::Mine(Some(reloading)) = a.expired_directory(Duration::from_millis(1)) else {
            panic!("the first caller reloads")
        };
        assert!(matches!(a.expired_directory(Duration::from_millis(1)), Reload::Serve(_)));
        assert!(!block(a.directory()).unwrap().queues.contains_key("Late"), "served while another reloads");
        // However the reload ends, the next caller may reload.
        drop(reloading);
        assert!(block(a.directory()).unwrap().queues.contains_key("Late"), "reloaded");

        // Without a snapshot (an admin write through this node) nobody is served an old one.
        let Reload::Mine(Some(_held)) = a.expired_directory(Duration::from_millis(1)) else { panic!() };
        a.invalidate_directory();
        assert!(matches!(a.expired_directory(Duration::from_millis(1)), Reload::Mine(None)));
    }
}
