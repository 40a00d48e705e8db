//! Changing tickets: state, priority, queue, owner, responsible, lock, title; and merging.

use super::access::{Caller, caller_sees};
use super::build::history;
use super::{Actor, Engine};
use crate::directory::{NotificationKind, StateType};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::{HistoryEntry, HistoryKind};
use crate::lifecycle::{Trigger, check_mergeable, check_transition};
use crate::notify::NotifyEvent;
use crate::permissions::Permission;
use crate::priority::Priority;
use crate::store::{Commit, TicketWrite};
use crate::ticket::{Lock, Ticket};
use crate::time::Timestamp;
use chamado_i18n::{Message, key};
use serde::{Deserialize, Serialize};

/// Changes to a ticket; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketUpdate {
    /// New state (by name). Agents need `rw`; customers may only close their ticket (`rw` on its group).
    pub state: Option<String>,
    /// Due time, required for pending states.
    pub pending_until: Option<Timestamp>,
    /// New priority (`priority`).
    pub priority: Option<Priority>,
    /// New queue (`move_into` on the target queue's group).
    pub queue: Option<String>,
    /// New owner (`owner`; the new owner needs `owner` on the queue's group). Empty string clears.
    pub owner: Option<String>,
    /// New responsible agent (`rw`). Empty string clears.
    pub responsible: Option<String>,
    /// Lock or unlock (`owner`); locking without an owner makes the agent the owner.
    pub lock: Option<Lock>,
    /// New title (`rw`).
    pub title: Option<String>,
    /// New customer user, by login (`rw`; OTRS's "Customer" action): the ticket's customer follows.
    pub customer_user: Option<String>,
    /// New service (`rw`): the ticket's customer user must hold it. Empty string clears it and the SLA.
    pub service: Option<String>,
    /// New SLA (`rw`): one of the ticket's service's SLAs. Empty string clears. The clocks follow.
    pub sla: Option<String>,
}

impl TicketUpdate {
    /// Only a state change.
    pub fn state(state: impl Into<String>) -> Self {
        TicketUpdate { state: Some(state.into()), ..Default::default() }
    }
}

impl Engine {
    /// Applies changes to a ticket, each checked against the caller's permission for it.
    pub async fn update_ticket(&self, actor: &Actor, number: &str, update: TicketUpdate) -> Result<Ticket> {
        let mut attempt = 0;
        loop {
            match self.try_update(actor, number, &update).await {
                Err(e) if self.should_retry(&e, attempt) => attempt += 1,
                other => return other,
            }
        }
    }

    async fn try_update(&self, actor: &Actor, number: &str, u: &TicketUpdate) -> Result<Ticket> {
        let caller = self.caller(actor).await?;
        let mut t = self.resolve_number(number).await?;
        let queue = self.queue(&t.queue).await?;
        if !caller_sees(&caller, &t, &queue.group) {
            return Err(Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", number)));
        }
        // Permissions are judged on the ticket as it was before this change.
        let before = t.clone();
        let need = |p: Permission, what: &'static str| -> Result<()> {
            let ok = match &caller {
                Caller::System => true,
                Caller::Agent(a) => a.may(&before, &queue.group, p),
                Caller::Customer(_) => false,
            };
            if ok {
                Ok(())
            } else {
                Err(Error::permission_denied(
                    chamado_i18n::Message::new("error-change-needs-permission")
                        .arg_key("what", what)
                        .arg("permission", p.to_string())
                        .arg("queue", format!("{:?}", queue.name)),
                ))
            }
        };
        let now = self.now();
        let who = actor.to_string();
        let mut hist: Vec<HistoryEntry> = Vec::new();
        let mut events: Vec<Event> = Vec::new();
        let expected = t.version;

        if let Some(state) = &u.state {
            if let Caller::Customer(c) = &caller {
                let target = self.state(state).await?;
                if target.state_type != StateType::Closed || !c.can_write(&t, &queue.group) {
                    return Err(Error::permission_denied(chamado_i18n::Message::new("error-customer-only-close")));
                }
            } else {
                need(Permission::Rw, key("error-changed-state"))?;
            }
            let from = self.state(&t.state).await?;
            let to = self.state(state).await?;
            check_transition(&from, &to, u.pending_until, now)?;
            if from.name != to.name || u.pending_until != t.pending_until {
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::StateChanged,
                    Message::new("history-state-changed").arg("from", &from.name).arg("to", &to.name),
                ));
                if from.name != to.name {
                    events.push(Event::StateChanged {
                        number: t.number.clone(),
                        from: from.name.clone(),
                        to: to.name.clone(),
                    });
                }
                t.state = to.name.clone();
                t.state_type = to.state_type;
                t.pending_until = if to.state_type.is_pending() { u.pending_until } else { None };
                t.reminded_for = None;
            }
        } else if u.pending_until.is_some() {
            need(Permission::Rw, key("error-changed-pending-time"))?;
            if !t.state_type.is_pending() {
                return Err(Error::invalid_transition(chamado_i18n::Message::new(
                    "error-pending-time-needs-pending-state",
                )));
            }
            let st = self.state(&t.state).await?;
            check_transition(&st, &st, u.pending_until, now)?;
            t.pending_until = u.pending_until;
            t.reminded_for = None;
            hist.push(history(
                t.id,
                now,
                &who,
                HistoryKind::StateChanged,
                Message::new("history-pending-until")
                    .arg("until", u.pending_until.map(|p| p.to_string()).unwrap_or_default()),
            ));
        }
        if let Some(p) = u.priority {
            need(Permission::Priority, key("error-changed-priority"))?;
            if p != t.priority {
                self.check_priority_settable(p).await?;
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::PriorityChanged,
                    Message::new("history-priority-changed")
                        .arg("from", t.priority.to_string())
                        .arg("to", p.to_string()),
                ));
                t.priority = p;
            }
        }
        if let Some(title) = &u.title {
            need(Permission::Rw, key("error-changed-title"))?;
            if title.trim().is_empty() {
                return Err(Error::validation(chamado_i18n::Message::new("error-title-empty")));
            }
            if *title != t.title {
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::TitleChanged,
                    Message::new("history-title-changed")
                        .arg("from", format!("{:?}", t.title))
                        .arg("to", format!("{title:?}")),
                ));
                t.title = title.clone();
            }
        }
        if u.customer_user.is_some() || u.service.is_some() || u.sla.is_some() {
            need(Permission::Rw, key("error-changed-customer"))?;
            hist.extend(self.change_customer_fields(&mut t, u, now, &who).await?);
        }
        if let Some(r) = &u.responsible {
            need(Permission::Rw, key("error-changed-responsible"))?;
            let r = Some(r.clone()).filter(|r| !r.is_empty());
            if let Some(login) = &r {
                self.check_assignable(login, &queue.group, Permission::Ro).await?;
            }
            if r != t.responsible {
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::ResponsibleChanged,
                    match r.as_deref() {
                        Some(login) => Message::new("history-responsible-changed").arg("login", login),
                        None => Message::new("history-responsible-cleared"),
                    },
                ));
                t.responsible = r;
            }
        }
        if let Some(o) = &u.owner {
            need(Permission::Owner, key("error-changed-owner"))?;
            let o = Some(o.clone()).filter(|o| !o.is_empty());
            if let Some(login) = &o {
                self.check_assignable(login, &queue.group, Permission::Owner).await?;
            }
            if o != t.owner {
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::OwnerChanged,
                    match o.as_deref() {
                        Some(login) => Message::new("history-owner-changed").arg("login", login),
                        None => Message::new("history-owner-cleared"),
                    },
                ));
                t.owner = o;
            }
        }
        if let Some(lock) = u.lock {
            need(Permission::Owner, key("error-changed-lock"))?;
            if let (Caller::Agent(a), Lock::Lock) = (&caller, lock) {
                if super::tickets::locked_by_other(&before, a.login()) && u.owner.is_none() {
                    return Err(Error::permission_denied(match before.owner.as_deref() {
                        Some(owner) => chamado_i18n::Message::new("error-ticket-locked-by")
                            .arg("number", &t.number)
                            .arg("owner", owner),
                        None => chamado_i18n::Message::new("error-ticket-locked").arg("number", &t.number),
                    }));
                }
                if t.owner.is_none() {
                    t.owner = Some(a.login().to_string());
                    hist.push(history(
                        t.id,
                        now,
                        &who,
                        HistoryKind::OwnerChanged,
                        Message::new("history-owner-changed").arg("login", a.login()),
                    ));
                }
            }
            if lock != t.lock {
                hist.push(history(t.id, now, &who, HistoryKind::LockChanged, lock_note(lock)));
                t.lock = lock;
            }
        }
        if let Some(q) = &u.queue {
            let target = self.queue(q).await?;
            let ok = match &caller {
                Caller::System => true,
                Caller::Agent(a) => a.has(&target.group, Permission::MoveInto),
                Caller::Customer(_) => false,
            };
            if !ok {
                return Err(Error::permission_denied(
                    chamado_i18n::Message::new("error-move-needs-move-into").arg("queue", format!("{q:?}")),
                ));
            }
            if !target.valid {
                return Err(Error::rejected(
                    chamado_i18n::Message::new("error-queue-invalid").arg("queue", format!("{q:?}")),
                ));
            }
            if target.name != t.queue {
                hist.push(history(
                    t.id,
                    now,
                    &who,
                    HistoryKind::QueueChanged,
                    Message::new("history-queue-changed").arg("from", &t.queue).arg("to", &target.name),
                ));
                t.queue = target.name;
            }
        }
        // The lock's timeout: (re)started when the ticket is locked, changes hands or queues while
        // locked, by the (new) queue's `unlock_timeout_minutes`; gone when it is unlocked.
        let unlock_at = if t.lock != Lock::Lock {
            None
        } else if u.lock == Some(Lock::Lock) || before.owner != t.owner || before.queue != t.queue {
            let minutes = self.queue(&t.queue).await?.unlock_timeout_minutes;
            (minutes > 0).then(|| now.plus(std::time::Duration::from_secs(u64::from(minutes) * 60)))
        } else {
            t.unlock_at
        };
        let relocked = unlock_at != t.unlock_at;
        t.unlock_at = unlock_at;
        if hist.is_empty() && !relocked {
            return Ok(t);
        }
        for h in &hist {
            if h.kind != HistoryKind::StateChanged {
                events.push(Event::TicketUpdated { number: t.number.clone(), what: h.message.clone() });
            }
        }
        t.changed_at = now;
        t.version = expected + 1;
        let mut commit = Commit {
            tickets: vec![TicketWrite { ticket: t.clone(), expected_version: expected }],
            history: hist,
            ..Default::default()
        };
        let actor_login = super::notifications::acting_agent(actor);
        let mut told = Vec::new();
        if t.owner.is_some() && before.owner != t.owner {
            told.push((NotificationKind::OwnerSet, t.owner.as_deref()));
        }
        if t.responsible.is_some() && before.responsible != t.responsible {
            told.push((NotificationKind::ResponsibleSet, t.responsible.as_deref()));
        }
        if before.queue != t.queue {
            told.push((NotificationKind::MovedIntoMyQueue, None));
        }
        for (kind, target) in told {
            let event = NotifyEvent { kind, ticket: &t, actor: actor_login, target };
            self.add_notifications(event, None, now, &mut commit).await?;
        }
        self.seal_clocks(&mut commit, now).await?;
        super::escalation::take_clocks(&commit, &mut t);
        self.store().commit(commit).await?;
        self.emit(events);
        Ok(t)
    }

    async fn check_assignable(&self, login: &str, group: &str, p: Permission) -> Result<()> {
        match self.agent_access(login).await {
            Ok(a) if a.has(group, p) => Ok(()),
            Ok(_) => Err(Error::rejected(
                chamado_i18n::Message::new("error-agent-lacks-group-permission")
                    .arg("login", format!("{login:?}"))
                    .arg("permission", p.to_string())
                    .arg("group", format!("{group:?}")),
            )),
            Err(_) => Err(Error::not_found(
                chamado_i18n::Message::new("error-agent-not-found-or-invalid").arg("login", format!("{login:?}")),
            )),
        }
    }

    /// May `caller` merge `t` away or into it: `NotFound` when it may not see it, `PermissionDenied`
    /// when it sees it without `rw` (customer users never merge).
    async fn check_merge_access(&self, caller: &Caller, t: &Ticket) -> Result<()> {
        let group = self.queue(&t.queue).await?.group;
        match caller {
            Caller::System => Ok(()),
            Caller::Agent(a) if a.may(t, &group, Permission::Rw) => Ok(()),
            Caller::Agent(a) if a.may(t, &group, Permission::Ro) => Err(Error::permission_denied(
                chamado_i18n::Message::new("error-merge-needs-rw").arg("number", &t.number),
            )),
            Caller::Customer(_) if caller_sees(caller, t, &group) => {
                Err(Error::permission_denied(chamado_i18n::Message::new("error-merge-agents-only")))
            }
            _ => Err(Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", &t.number))),
        }
    }

    /// Merges ticket `source` into `target` (agents with `rw` on both): the source becomes `merged`, its
    /// articles move to the target, and its number keeps resolving to the target.
    pub async fn merge(&self, actor: &Actor, source: &str, target: &str) -> Result<Ticket> {
        let mut attempt = 0;
        loop {
            match self.try_merge(actor, source, target).await {
                Err(e) if self.should_retry(&e, attempt) => attempt += 1,
                other => return other,
            }
        }
    }

    async fn try_merge(&self, actor: &Actor, source: &str, target: &str) -> Result<Ticket> {
        let caller = self.caller(actor).await?;
        let mut src = self.store().ticket_by_number(source).await?.ok_or_else(|| {
            Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", source))
        })?;
        self.check_merge_access(&caller, &src).await.map_err(|e| match e {
            Error::NotFound(_) => {
                Error::not_found(chamado_i18n::Message::new("error-ticket-not-found").arg("number", source))
            }
            e => e,
        })?;
        // The target is named in the request, not addressed by it: a missing or hidden one refuses the
        // merge (like merging into itself) rather than saying the ticket addressed is not there.
        let no_target = || {
            Error::invalid_transition(
                chamado_i18n::Message::new("error-merge-target-not-found").arg("number", source).arg("target", target),
            )
        };
        let mut dst = match self.resolve_number(target).await {
            Err(Error::NotFound(_)) => return Err(no_target()),
            other => other?,
        };
        match self.check_merge_access(&caller, &dst).await {
            Err(Error::NotFound(_)) => return Err(no_target()),
            other => other?,
        }
        if src.id == dst.id {
            return Err(Error::invalid_transition(chamado_i18n::Message::new("error-merge-into-itself")));
        }
        check_mergeable(&src)?;
        let now = self.now();
        let who = actor.to_string();
        let mut articles = self.store().articles(src.id).await?;
        for a in &mut articles {
            a.ticket_id = dst.id;
        }
        let (sv, dv) = (src.version, dst.version);
        let mut commit = Commit::default();
        commit.history.push(history(
            src.id,
            now,
            &who,
            HistoryKind::Merged,
            Message::new("history-merged-into").arg("number", &dst.number),
        ));
        // A merge announces itself as `Event::Merged`, not as a state change.
        let _ = self.automatic_change(&mut src, Trigger::Merged, &who, now, &mut commit).await?;
        src.merged_into = Some(dst.id);
        src.unlock_at = None;
        src.changed_at = now;
        src.version = sv + 1;
        dst.changed_at = now;
        dst.version = dv + 1;
        commit.history.push(history(
            dst.id,
            now,
            &who,
            HistoryKind::Merged,
            Message::new("history-merged-from").arg("number", &src.number).arg("count", articles.len()),
        ));
        commit.tickets = vec![
            TicketWrite { ticket: src.clone(), expected_version: sv },
            TicketWrite { ticket: dst.clone(), expected_version: dv },
        ];
        // The moved articles are not new messages: only the states move the clocks (the source's stop).
        self.seal_clocks(&mut commit, now).await?;
        commit.articles = articles;
        super::escalation::take_clocks(&commit, &mut dst);
        self.store().commit(commit).await?;
        self.emit(vec![Event::Merged { source: src.number.clone(), target: dst.number.clone() }]);
        Ok(dst)
    }
}

/// The history entry of a lock change.
fn lock_note(lock: Lock) -> Message {
    match lock {
        Lock::Lock => Message::new("history-locked"),
        Lock::Unlock => Message::new("history-unlocked"),
    }
}
