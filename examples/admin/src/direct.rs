//! Direct mode: the engine on the helpdesk's redb file (only while the server is stopped: one process
//! per file).

use crate::backend::{Backend, customer_permission};
use crate::error::{AdminError, Result};
use crate::model::{
    AccessView, AgentPatch, AgentToken, AgentView, CustomerPatch, CustomerUserPatch, CustomerUserView, CustomerView,
    GrantView, NamedKind, NamedView, NewAgent, NewCustomerUser, PriorityPatch, PriorityView, Query, QueuePatch,
    QueueView, RenamablePatch, ServiceHoldersView, StatePatch, StateView, Subject, permission_names,
};
use crate::secrets::hash_password;
use chamado::{
    Actor, Admin, Agent, CustomerUser, Engine, EngineConfig, Grant, GrantSubject, GrantTarget, Group, Permission,
    PermissionSet, Priority, Queue, Record, RecordKind, Role, Service, StateDef,
};
use chamado_api_types::directory::patch_renamable;
use chamado_redb::{BackupStats, RedbStore};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The store file's name inside the data directory (as the helpdesk names it).
pub const STORE_FILE: &str = "chamado.redb";

/// The engine on an open store: the redb file, or the helpdesk's PostgreSQL database.
pub struct Direct {
    /// The redb file's store (`None` on PostgreSQL, which has no file to back up or restore).
    store: Option<RedbStore>,
    engine: Engine,
    path: PathBuf,
}

/// How the engine of direct mode is set up.
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectOptions {
    /// Webhooks may point at private, loopback and link-local addresses.
    pub allow_private_targets: bool,
}

impl DirectOptions {
    fn config(self) -> EngineConfig {
        let mut config = EngineConfig::default();
        config.webhooks.allow_private_targets = self.allow_private_targets;
        config
    }
}

impl Direct {
    /// The store file of a data directory.
    pub fn store_path(data_dir: &Path) -> PathBuf {
        data_dir.join(STORE_FILE)
    }

    /// Opens the store of `data_dir`, which must exist.
    pub fn open(data_dir: &Path) -> Result<Direct> {
        Self::open_with(data_dir, DirectOptions::default())
    }

    /// Opens the store of `data_dir`, which must exist, with `options`.
    pub fn open_with(data_dir: &Path, options: DirectOptions) -> Result<Direct> {
        let path = Self::store_path(data_dir);
        if !path.is_file() {
            return Err(AdminError::NoStore { path });
        }
        Self::open_path(path, options)
    }

    /// Opens the store of `data_dir`, creating the directory and the file when missing.
    pub fn create(data_dir: &Path) -> Result<Direct> {
        std::fs::create_dir_all(data_dir).map_err(|source| AdminError::Io { path: data_dir.to_path_buf(), source })?;
        Self::open_path(Self::store_path(data_dir), DirectOptions::default())
    }

    /// Connects to the helpdesk's PostgreSQL database at `url` (its tables are created when missing, as
    /// the helpdesk does).
    pub async fn connect_postgres(url: &str, options: DirectOptions) -> Result<Direct> {
        let store = chamado_postgres::PgStore::connect_with(url, None, 2).await.map_err(AdminError::Postgres)?;
        let engine = Engine::builder(store).config(options.config()).build()?;
        Ok(Direct { store: None, engine, path: PathBuf::from("PostgreSQL") })
    }

    fn open_path(path: PathBuf, options: DirectOptions) -> Result<Direct> {
        let store = RedbStore::open(&path).map_err(|source| match source {
            chamado_redb::Error::Locked { .. } => AdminError::Locked { path: path.clone() },
            source => AdminError::Store { path: path.clone(), source },
        })?;
        let engine = Engine::builder(store.clone()).config(options.config()).build()?;
        Ok(Direct { store: Some(store), engine, path })
    }

    /// The engine on the store.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Seeds what OTRS ships (as the helpdesk does on first start); false when already seeded.
    pub async fn seed(&self, admin_login: &str) -> Result<bool> {
        Ok(self.engine.seed_defaults(admin_login).await?)
    }

    /// Writes the whole store as JSON Lines.
    pub fn export(&self, out: impl std::io::Write) -> Result<BackupStats> {
        self.redb("export")?.export_jsonl(out).map_err(|source| self.store_error(source))
    }

    /// Restores a JSON Lines backup into this (empty) store.
    pub async fn import(&self, input: impl std::io::BufRead) -> Result<BackupStats> {
        self.redb("import")?.import_jsonl(input).await.map_err(|source| self.store_error(source))
    }

    /// Stops the writer after the queued writes; the file is released when this is dropped.
    pub fn close(self) {
        if let Some(store) = &self.store {
            let _ = store.close();
        }
    }

    /// The redb file's store, which `command` needs.
    fn redb(&self, command: &'static str) -> Result<&RedbStore> {
        self.store.as_ref().ok_or(AdminError::RedbOnly { command })
    }

    fn store_error(&self, source: chamado_redb::Error) -> AdminError {
        AdminError::Store { path: self.path.clone(), source }
    }

    async fn admin(&self) -> Result<Admin<'_>> {
        Ok(self.engine.admin(&Actor::System).await?)
    }

    async fn record(&self, kind: RecordKind, key: &str) -> Result<Option<Record>> {
        Ok(self.admin().await?.get(kind, key).await?)
    }

    async fn need(&self, kind: RecordKind, key: &str, what: &'static str) -> Result<()> {
        match self.record(kind, key).await? {
            Some(_) => Ok(()),
            None => Err(AdminError::NotFound { what, key: key.to_string() }),
        }
    }

    async fn must_not_exist(&self, kind: RecordKind, key: &str, what: &'static str, hint: &'static str) -> Result<()> {
        match self.record(kind, key).await? {
            Some(_) => Err(AdminError::Exists { what, key: key.to_string(), hint }),
            None => Ok(()),
        }
    }

    async fn records(&self, kind: RecordKind, q: &Query) -> Result<Vec<Record>> {
        let admin = self.admin().await?;
        let limit = q.limit.clamp(1, 1000);
        Ok(match &q.search {
            Some(s) => admin.search(kind, s, limit).await?,
            None => admin.list(kind, q.after.as_deref(), limit).await?,
        })
    }

    async fn customer(&self, id: &str) -> Result<chamado::Customer> {
        self.engine.customer(id).await?.ok_or_else(|| AdminError::NotFound { what: "customer", key: id.to_string() })
    }

    async fn customer_user(&self, login: &str) -> Result<CustomerUser> {
        self.engine
            .customer_user(login)
            .await?
            .ok_or_else(|| AdminError::NotFound { what: "customer user", key: login.to_string() })
    }

    async fn subject_exists(&self, s: &Subject) -> Result<()> {
        match s {
            Subject::CustomerUser(l) => self.need(RecordKind::CustomerUser, l, "customer user").await,
            Subject::Customer(c) => self.need(RecordKind::Customer, c, "customer").await,
            Subject::Default => Ok(()),
            Subject::Agent(l) => self.need(RecordKind::Agent, l, "agent").await,
            Subject::Role(r) => self.need(RecordKind::Role, r, "role").await,
        }
    }

    async fn issue_token(&self, login: &str) -> Result<AgentToken> {
        let admin = self.admin().await?;
        let token = chamado_auth::agent_token::issue(&admin, login).await?;
        Ok(AgentToken { login: login.to_string(), token })
    }
}

impl Backend for Direct {
    async fn customer_add(&self, c: &CustomerView) -> Result<CustomerView> {
        self.must_not_exist(RecordKind::Customer, &c.id, "customer", "; change it with `customers edit`").await?;
        self.admin().await?.put_customer(c.clone().into()).await?;
        Ok(c.clone())
    }

    async fn customer_get(&self, id: &str) -> Result<CustomerView> {
        Ok(self.customer(id).await?.into())
    }

    async fn customer_patch(&self, id: &str, p: &CustomerPatch) -> Result<CustomerView> {
        let mut c = self.customer(id).await?;
        p.apply(&mut c);
        self.admin().await?.put_customer(c.clone()).await?;
        Ok(c.into())
    }

    async fn customers(&self, q: &Query) -> Result<Vec<CustomerView>> {
        let records = self.records(RecordKind::Customer, q).await?;
        Ok(records
            .into_iter()
            .filter_map(|r| if let Record::Customer(c) = r { Some(c.into()) } else { None })
            .collect())
    }

    async fn customer_user_add(&self, n: &NewCustomerUser) -> Result<CustomerUserView> {
        self.must_not_exist(
            RecordKind::CustomerUser,
            &n.login,
            "customer user",
            "; change it with `customer-users edit`",
        )
        .await?;
        let mut u = n.to_customer_user()?;
        if let Some(p) = &n.password {
            u.password_hash = Some(hash_password(p).await?);
        }
        self.admin().await?.put_customer_user(u.clone()).await?;
        Ok(u.into())
    }

    async fn customer_user_get(&self, login: &str) -> Result<CustomerUserView> {
        Ok(self.customer_user(login).await?.into())
    }

    async fn customer_user_patch(&self, login: &str, p: &CustomerUserPatch) -> Result<CustomerUserView> {
        let mut u = self.customer_user(login).await?;
        p.apply(&mut u)?;
        u.validate()?;
        if let Some(pw) = &p.password {
            u.password_hash = Some(hash_password(pw).await?);
        }
        self.admin().await?.put_customer_user(u.clone()).await?;
        Ok(u.into())
    }

    async fn customer_users(&self, q: &Query) -> Result<Vec<CustomerUserView>> {
        let records = self.records(RecordKind::CustomerUser, q).await?;
        Ok(records
            .into_iter()
            .filter_map(|r| if let Record::CustomerUser(u) = r { Some(u.into()) } else { None })
            .collect())
    }

    async fn named_add(&self, kind: NamedKind, n: &NamedView) -> Result<()> {
        let admin = self.admin().await?;
        let (name, comment, valid) = (n.name.clone(), n.comment.clone(), n.valid);
        match kind {
            NamedKind::Group => {
                self.must_not_exist(RecordKind::Group, &n.name, "group", "").await?;
                admin.put_group(Group { name, comment, valid }).await?;
            }
            NamedKind::Service => {
                self.must_not_exist(RecordKind::Service, &n.name, "service", "").await?;
                admin.put_service(Service { name, comment, valid }).await?;
            }
            NamedKind::Role => {
                self.must_not_exist(RecordKind::Role, &n.name, "role", "").await?;
                admin.put_role(Role { name, comment, valid }).await?;
            }
        }
        Ok(())
    }

    async fn named_list(&self, kind: NamedKind, q: &Query) -> Result<Vec<NamedView>> {
        let record_kind = match kind {
            NamedKind::Group => RecordKind::Group,
            NamedKind::Service => RecordKind::Service,
            NamedKind::Role => RecordKind::Role,
        };
        let records = self.records(record_kind, q).await?;
        Ok(records
            .into_iter()
            .filter_map(|r| match r {
                Record::Group(x) => Some(NamedView { name: x.name, comment: x.comment, valid: x.valid }),
                Record::Service(x) => Some(NamedView { name: x.name, comment: x.comment, valid: x.valid }),
                Record::Role(x) => Some(NamedView { name: x.name, comment: x.comment, valid: x.valid }),
                _ => None,
            })
            .collect())
    }

    async fn named_get(&self, kind: NamedKind, name: &str) -> Result<NamedView> {
        match self.record(record_kind(kind), name).await? {
            Some(Record::Group(x)) => Ok(x.into()),
            Some(Record::Service(x)) => Ok(x.into()),
            Some(Record::Role(x)) => Ok(x.into()),
            _ => Err(AdminError::NotFound { what: kind.noun(), key: name.to_string() }),
        }
    }

    async fn named_patch(&self, kind: NamedKind, name: &str, p: &RenamablePatch) -> Result<NamedView> {
        let mut current = self.named_get(kind, name).await?;
        let admin = self.admin().await?;
        if kind == NamedKind::Service {
            if p.name.as_deref().is_some_and(|n| n != name) {
                return Err(AdminError::Usage("services keep their names: tickets carry them".into()));
            }
            p.apply(&mut current);
            admin.put_service(Service::from(current.clone())).await?;
            return Ok(current);
        }
        if let Some(new) = p.name.as_deref().filter(|n| *n != name) {
            self.must_not_exist(record_kind(kind), new, kind.noun(), "").await?;
        }
        Ok(patch_renamable(&admin, record_kind(kind), current, p).await?)
    }

    async fn service_holders(&self, name: &str) -> Result<ServiceHoldersView> {
        self.need(RecordKind::Service, name, "service").await?;
        Ok(self.admin().await?.service_holders(name).await?.into())
    }

    async fn queue_add(&self, q: &QueueView) -> Result<()> {
        self.must_not_exist(RecordKind::Queue, &q.name, "queue", "").await?;
        self.need(RecordKind::Group, &q.group, "group").await?;
        let queue = Queue::from(q.clone());
        queue.validate()?;
        self.admin().await?.put_queue(queue).await?;
        Ok(())
    }

    async fn queue_get(&self, name: &str) -> Result<QueueView> {
        match self.record(RecordKind::Queue, name).await? {
            Some(Record::Queue(q)) => Ok(q.into()),
            _ => Err(AdminError::NotFound { what: "queue", key: name.to_string() }),
        }
    }

    async fn queue_patch(&self, name: &str, p: &QueuePatch) -> Result<QueueView> {
        let mut q = Queue::from(self.queue_get(name).await?);
        p.apply(&mut q);
        self.admin().await?.put_queue(q.clone()).await?;
        Ok(q.into())
    }

    async fn queues(&self, q: &Query) -> Result<Vec<QueueView>> {
        let records = self.records(RecordKind::Queue, q).await?;
        Ok(records.into_iter().filter_map(|r| if let Record::Queue(q) = r { Some(q.into()) } else { None }).collect())
    }

    async fn state_add(&self, s: &StateView) -> Result<StateView> {
        self.must_not_exist(RecordKind::State, &s.name, "state", "").await?;
        self.admin().await?.put_state(StateDef::from(s.clone())).await?;
        Ok(s.clone())
    }

    async fn states(&self, q: &Query) -> Result<Vec<StateView>> {
        let records = self.records(RecordKind::State, q).await?;
        Ok(records.into_iter().filter_map(|r| if let Record::State(s) = r { Some(s.into()) } else { None }).collect())
    }

    async fn state_patch(&self, name: &str, p: &StatePatch) -> Result<StateView> {
        let Some(Record::State(mut s)) = self.record(RecordKind::State, name).await? else {
            return Err(AdminError::NotFound { what: "state", key: name.to_string() });
        };
        p.apply(&mut s);
        self.admin().await?.put_state(s.clone()).await?;
        Ok(s.into())
    }

    async fn priorities(&self) -> Result<Vec<PriorityView>> {
        Ok(self.engine.priorities().await?.into_iter().map(PriorityView::from).collect())
    }

    async fn priority_patch(&self, level: u8, p: &PriorityPatch) -> Result<PriorityView> {
        let level = Priority::new(level)?;
        let all = self.engine.priorities().await?;
        let Some(mut def) = all.into_iter().find(|d| d.level == level) else {
            return Err(AdminError::NotFound { what: "priority", key: level.level().to_string() });
        };
        p.apply(&mut def);
        self.admin().await?.put_priority(def.clone()).await?;
        Ok(def.into())
    }

    async fn agent_add(&self, a: &NewAgent) -> Result<AgentToken> {
        self.must_not_exist(RecordKind::Agent, &a.login, "agent", "").await?;
        let mut grants = Vec::new();
        for (group, names) in &a.groups {
            self.need(RecordKind::Group, group, "group").await?;
            let mut set = PermissionSet::EMPTY;
            for n in names {
                set.insert(n.parse::<Permission>()?);
            }
            grants.push(Grant::group(GrantSubject::Agent(a.login.clone()), group.clone(), set));
        }
        for role in &a.roles {
            self.need(RecordKind::Role, role, "role").await?;
            grants.push(Grant::role_membership(a.login.clone(), role.clone()));
        }
        let mut agent = Agent::new(a.login.clone());
        agent.first_name.clone_from(&a.first_name);
        agent.last_name.clone_from(&a.last_name);
        agent.email.clone_from(&a.email);
        a.check_locale()?;
        agent.language.clone_from(&a.language);
        agent.time_zone.clone_from(&a.time_zone);
        agent.validate()?;
        if let Some(p) = &a.password {
            agent.password_hash = Some(hash_password(p).await?);
        }
        let admin = self.admin().await?;
        admin.put_agent(agent).await?;
        for g in grants {
            admin.grant(g).await?;
        }
        self.issue_token(&a.login).await
    }

    async fn agents(&self, q: &Query) -> Result<Vec<AgentView>> {
        let admin = self.admin().await?;
        let mut out = Vec::new();
        for r in self.records(RecordKind::Agent, q).await? {
            let Record::Agent(a) = r else { continue };
            let mut groups = BTreeMap::new();
            for g in admin.grants_of(&GrantSubject::Agent(a.login.clone())).await? {
                if let GrantTarget::Group(name) = g.target {
                    groups.insert(name, permission_names(g.permissions));
                }
            }
            out.push(AgentView {
                tokens: a.token_hashes.len(),
                login: a.login,
                first_name: a.first_name,
                last_name: a.last_name,
                email: a.email,
                valid: a.valid,
                groups,
                language: a.language,
                time_zone: a.time_zone,
            });
        }
        Ok(out)
    }

    async fn agent_token_issue(&self, login: &str) -> Result<AgentToken> {
        self.need(RecordKind::Agent, login, "agent").await?;
        self.issue_token(login).await
    }

    async fn agent_tokens_revoke(&self, login: &str) -> Result<usize> {
        self.need(RecordKind::Agent, login, "agent").await?;
        let admin = self.admin().await?;
        Ok(chamado_auth::agent_token::revoke_all(&admin, login).await?)
    }

    async fn agent_set_valid(&self, login: &str, valid: bool) -> Result<()> {
        let mut agent = self
            .engine
            .agent(login)
            .await?
            .ok_or_else(|| AdminError::NotFound { what: "agent", key: login.to_string() })?;
        agent.valid = valid;
        self.admin().await?.put_agent(agent).await?;
        Ok(())
    }

    async fn agent_patch(&self, login: &str, p: &AgentPatch) -> Result<()> {
        let mut agent = self
            .engine
            .agent(login)
            .await?
            .ok_or_else(|| AdminError::NotFound { what: "agent", key: login.to_string() })?;
        p.apply_locale(&mut agent)?;
        self.admin().await?.put_agent(agent).await?;
        Ok(())
    }

    async fn role_member(&self, role: &str, agent: &str, member: bool) -> Result<()> {
        let admin = self.admin().await?;
        if member {
            self.need(RecordKind::Agent, agent, "agent").await?;
            self.need(RecordKind::Role, role, "role").await?;
            admin.grant(Grant::role_membership(agent, role)).await?;
        } else {
            admin.revoke(&GrantSubject::Agent(agent.to_string()), &GrantTarget::Role(role.to_string())).await?;
        }
        Ok(())
    }

    async fn group_grant(&self, s: &Subject, group: &str, perms: PermissionSet) -> Result<()> {
        let admin = self.admin().await?;
        if perms.is_empty() {
            admin.revoke(&s.to_engine(), &GrantTarget::Group(group.to_string())).await?;
            return Ok(());
        }
        let perms = if s.is_customer_side() {
            customer_permission(perms).map(|p| PermissionSet::of(&[p])).unwrap_or_default()
        } else {
            perms
        };
        self.subject_exists(s).await?;
        self.need(RecordKind::Group, group, "group").await?;
        admin.grant(Grant::group(s.to_engine(), group, perms)).await?;
        Ok(())
    }

    async fn service_grant(&self, s: &Subject, service: &str, on: bool) -> Result<()> {
        let admin = self.admin().await?;
        if on {
            self.subject_exists(s).await?;
            self.need(RecordKind::Service, service, "service").await?;
            admin.grant(Grant::service(s.to_engine(), service)).await?;
        } else {
            admin.revoke(&s.to_engine(), &GrantTarget::Service(service.to_string())).await?;
        }
        Ok(())
    }

    async fn grants_of(&self, s: &Subject) -> Result<Vec<GrantView>> {
        self.subject_exists(s).await?;
        let grants = self.admin().await?.grants_of(&s.to_engine()).await?;
        Ok(grants
            .into_iter()
            .map(|g| match g.target {
                GrantTarget::Group(name) => {
                    GrantView { target: "group".into(), name, permissions: permission_names(g.permissions) }
                }
                GrantTarget::Service(name) => GrantView { target: "service".into(), name, permissions: Vec::new() },
                GrantTarget::Role(name) => GrantView { target: "role".into(), name, permissions: Vec::new() },
            })
            .collect())
    }

    async fn access(&self, login: &str) -> Result<AccessView> {
        let user = self.customer_user(login).await?;
        let own_services = self
            .grants_of(&Subject::CustomerUser(login.to_string()))
            .await?
            .into_iter()
            .filter(|g| g.target == "service")
            .map(|g| g.name)
            .collect();
        let (groups, services) = match self.engine.customer_access(login).await {
            Ok(a) => (
                a.groups().iter().map(|(g, p)| (g.clone(), permission_names(*p))).collect(),
                a.services().iter().cloned().collect(),
            ),
            Err(chamado::Error::PermissionDenied(_)) => (BTreeMap::new(), Vec::new()),
            Err(e) => return Err(e.into()),
        };
        Ok(AccessView {
            login: user.login.clone(),
            valid: user.valid,
            customer_ids: user.customer_ids().map(str::to_string).collect(),
            groups,
            services,
            own_services,
        })
    }
}

/// The engine's kind of a plain named entry.
fn record_kind(kind: NamedKind) -> RecordKind {
    match kind {
        NamedKind::Group => RecordKind::Group,
        NamedKind::Service => RecordKind::Service,
        NamedKind::Role => RecordKind::Role,
    }
}
