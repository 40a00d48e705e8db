//! The escalation clocks in the engine: every commit that writes a ticket moves its clocks by what the
//! commit holds (a new ticket, customer messages, agent articles the customer sees, the state it ends in,
//! the SLA and calendar in force), the tick fires warnings and breaches, and answers show the clocks.

use super::Engine;
use super::build::history;
use crate::article::SenderType;
use crate::directory::{EscalationTargets, NotificationKind};
use crate::error::Result;
use crate::events::Event;
use crate::history::HistoryKind;
use crate::notify::NotifyEvent;
use crate::sla::{ClockInput, ClockKind, ClockRules, Escalation, EscalationEventKind, SlaClock, WorkingTime};
use crate::store::Commit;
use crate::ticket::Ticket;
use crate::time::Timestamp;
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, LazyLock};

/// What a queue without a calendar counts: every minute, in UTC.
static ALWAYS: LazyLock<Arc<WorkingTime>> = LazyLock::new(|| Arc::new(WorkingTime::always()));

/// The targets and the calendar a ticket's clocks follow.
#[derive(Debug, Clone)]
pub struct ClockSetting {
    /// The SLA, when the ticket has one that exists; `None`: the queue's fallback.
    pub sla: Option<String>,
    /// The targets.
    pub targets: EscalationTargets,
    /// The calendar's name (`None`: around the clock, UTC).
    pub calendar: Option<String>,
    /// The calendar, ready for arithmetic.
    pub work: Arc<WorkingTime>,
}

/// One clock as answers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockView {
    /// Which clock.
    pub kind: ClockKind,
    /// Counting now.
    pub running: bool,
    /// Counting, but standing still (a pausing state).
    pub paused: bool,
    /// While running: when the target is reached.
    pub due: Option<Timestamp>,
    /// While running: when the warning fires.
    pub warn_at: Option<Timestamp>,
    /// While counting: working minutes left (negative when overdue).
    pub left_minutes: Option<i64>,
    /// The target in working minutes (0: this clock does not run).
    pub target_minutes: i64,
    /// The warning has fired (this cycle).
    pub warned: bool,
    /// The breach has fired (this cycle).
    pub breached: bool,
    /// The latest finished run met its target (`None`: none finished).
    pub met: Option<bool>,
    /// When the latest run finished.
    pub finished_at: Option<Timestamp>,
    /// Working minutes the latest finished run took.
    pub finished_minutes: Option<i64>,
}

/// A ticket's clocks as answers show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationView {
    /// The SLA in force (`None`: the queue's fallback targets, or none).
    pub sla: Option<String>,
    /// The calendar in force.
    pub calendar: Option<String>,
    /// First response, update, solution.
    pub clocks: Vec<ClockView>,
    /// A running clock has breached.
    pub escalated: bool,
    /// A running clock has warned and none has breached.
    pub at_risk: bool,
}

impl EscalationView {
    /// One clock.
    pub fn clock(&self, kind: ClockKind) -> Option<&ClockView> {
        self.clocks.iter().find(|c| c.kind == kind)
    }

    /// The working minutes left on the clock closest to its due time, among those counting.
    pub fn least_left_minutes(&self) -> Option<i64> {
        self.clocks.iter().filter_map(|c| c.left_minutes).min()
    }
}

impl Engine {
    /// The targets and calendar a ticket's clocks follow: its SLA's, else its queue's fallback; `None` when
    /// neither sets a target.
    pub async fn clock_setting(&self, t: &Ticket) -> Result<Option<ClockSetting>> {
        let snap = self.directory().await?;
        let work_of = |name: Option<&String>| match name.and_then(|n| snap.calendars.get(n)) {
            Some(w) => w.clone(),
            None => ALWAYS.clone(),
        };
        if let Some(sla) = t.sla.as_ref().and_then(|n| snap.slas.get(n)) {
            return Ok(Some(ClockSetting {
                sla: Some(sla.name.clone()),
                targets: sla.targets.clone(),
                calendar: Some(sla.calendar.clone()),
                work: work_of(Some(&sla.calendar)),
            }));
        }
        let queue = match snap.queues.get(&t.queue) {
            Some(q) => q.clone(),
            None => self.queue(&t.queue).await?,
        };
        let esc = queue.escalation;
        if esc.targets.is_empty() {
            return Ok(None);
        }
        let work = work_of(esc.calendar.as_ref());
        Ok(Some(ClockSetting { sla: None, targets: esc.targets, calendar: esc.calendar, work }))
    }

    /// Moves the clocks of every ticket the commit writes, by what the commit holds, at `now`; then adds
    /// the commit's events ([`Engine::seal_events`]). Every commit that writes a ticket passes here.
    pub(super) async fn seal_clocks(&self, commit: &mut Commit, now: Timestamp) -> Result<()> {
        for w in &mut commit.tickets {
            let t = &mut w.ticket;
            let setting = self.clock_setting(t).await?;
            let none = EscalationTargets {
                first_response_minutes: 0,
                update_minutes: 0,
                solution_minutes: 0,
                ..Default::default()
            };
            let (targets, work) = match &setting {
                Some(s) => (&s.targets, s.work.clone()),
                None if t.escalation.is_idle() => continue,
                None => (&none, ALWAYS.clone()),
            };
            let rules = ClockRules { targets, work: &work };
            if w.expected_version == 0 {
                t.escalation.apply(ClockInput::Created, now, &rules);
            } else if setting.is_some() && t.escalation.is_idle() {
                // Targets given to a ticket opened without any (an SLA chosen later, a queue's new
                // targets): its articles say whether an agent has answered the customer and whether the
                // customer waits; `settle` starts the clocks still owed, from now.
                let articles = self.store().articles(t.id).await?;
                let mut visible = articles.iter().filter(|a| {
                    a.sender == SenderType::Customer || (a.sender == SenderType::Agent && a.visible_to_customer)
                });
                t.escalation.responded = visible.clone().any(|a| a.sender == SenderType::Agent);
                t.escalation.awaiting_agent = visible.next_back().is_none_or(|a| a.sender == SenderType::Customer);
            }
            for a in commit.articles.iter().filter(|a| a.ticket_id == t.id) {
                let input = match (a.sender, a.visible_to_customer) {
                    (SenderType::Customer, _) => ClockInput::CustomerMessage,
                    (SenderType::Agent, true) => ClockInput::AgentContact,
                    _ => continue,
                };
                t.escalation.apply(input, now, &rules);
            }
            if t.state_type.is_active() {
                start_late(&mut t.escalation, t.created_at, now, &rules);
            }
            t.escalation.settle(t.state_type, now, &rules);
        }
        self.seal_events(commit, now).await
    }

    /// Fires the warnings and breaches of `t` due at `now` (after bringing its clocks up to date): history,
    /// events and agent notifications, in `commit`.
    pub(super) async fn fire_escalations(
        &self,
        t: &mut Ticket,
        now: Timestamp,
        commit: &mut Commit,
        events: &mut Vec<Event>,
    ) -> Result<usize> {
        let Some(setting) = self.clock_setting(t).await? else { return Ok(0) };
        if t.escalation.is_idle() {
            // Clocks never started: the commit that follows starts them, knowing the ticket's articles.
            return Ok(0);
        }
        let rules = ClockRules { targets: &setting.targets, work: &setting.work };
        t.escalation.settle(t.state_type, now, &rules);
        let fired = t.escalation.fire_due(now);
        for (clock, kind, due) in &fired {
            let text = match kind {
                EscalationEventKind::Warning => Message::new("history-escalation-warning"),
                EscalationEventKind::Breach => Message::new("history-escalation-breach"),
            };
            let message = text.arg_key("clock", clock_name(*clock)).arg("due", due.to_string());
            commit.history.push(history(t.id, now, "system", HistoryKind::Escalation, message));
            events.push(Event::Escalation { number: t.number.clone(), clock: *clock, kind: *kind, due: *due });
        }
        // One notification per kind of event, however many clocks it concerns.
        for kind in [EscalationEventKind::Warning, EscalationEventKind::Breach] {
            if fired.iter().any(|f| f.1 == kind) {
                let kind = match kind {
                    EscalationEventKind::Warning => NotificationKind::EscalationWarning,
                    EscalationEventKind::Breach => NotificationKind::EscalationBreach,
                };
                let event = NotifyEvent { kind, ticket: t, actor: None, target: None };
                self.add_notifications(event, None, now, commit).await?;
            }
        }
        Ok(fired.len())
    }

    /// A ticket's clocks as answers show them, at `now`.
    pub async fn escalation_view(&self, t: &Ticket, now: Timestamp) -> Result<EscalationView> {
        let setting = self.clock_setting(t).await?;
        let work = setting.as_ref().map_or_else(|| ALWAYS.clone(), |s| s.work.clone());
        let clocks = ClockKind::ALL
            .iter()
            .map(|k| {
                let c = t.escalation.clock(*k);
                let target = setting.as_ref().map_or(0, |s| i64::from(k.target_minutes(&s.targets)));
                ClockView {
                    kind: *k,
                    running: c.running_since.is_some(),
                    paused: c.active && c.running_since.is_none(),
                    due: c.due,
                    warn_at: c.warn_at,
                    left_minutes: c.left_at(now, &work).map(|ms| ms.div_euclid(60_000)),
                    target_minutes: target,
                    warned: c.warned,
                    breached: c.breached,
                    met: c.last.map(|o| o.met),
                    finished_at: c.last.map(|o| o.at),
                    finished_minutes: c.last.map(|o| o.working_ms / 60_000),
                }
            })
            .collect();
        Ok(EscalationView {
            sla: setting.as_ref().and_then(|s| s.sla.clone()),
            calendar: setting.and_then(|s| s.calendar),
            clocks,
            escalated: t.escalation.is_breached(),
            at_risk: t.escalation.is_at_risk(),
        })
    }
}

/// Starts the first-response and solution clocks that rules give a target only after the ticket opened (an
/// SLA chosen with the Customer action, a queue's targets set later): they count from the ticket's creation,
/// as they would have from the start. The first response only while no agent answered; a solution clock
/// that already finished is the reopening's (see [`Escalation::settle`]). Pauses before the change are not
/// known and count as working time; the update clock follows the solution clock in `settle`.
fn start_late(e: &mut Escalation, created: Timestamp, now: Timestamp, rules: &ClockRules<'_>) {
    for kind in [ClockKind::FirstResponse, ClockKind::Solution] {
        if kind == ClockKind::FirstResponse && e.responded {
            continue;
        }
        let target_ms = i64::from(kind.target_minutes(rules.targets)) * 60_000;
        let c = e.clock_mut(kind);
        if target_ms == 0 || c.active || c.last.is_some() {
            continue;
        }
        // The warning share as `ClockRules` computes it: from the whole target, to the millisecond.
        let warn_ms = target_ms * i64::from(rules.targets.notify_before_percent) / 100;
        *c = SlaClock {
            active: true,
            spent_ms: rules.work.between(created, now),
            running_since: Some(now),
            target_ms,
            warn_ms,
            ..SlaClock::default()
        };
    }
}

/// Copies the clocks [`Engine::seal_clocks`] set on the commit's copy of `ticket` back to `ticket`, so that
/// what a call answers shows them.
pub(super) fn take_clocks(commit: &Commit, ticket: &mut Ticket) {
    if let Some(w) = commit.tickets.iter().find(|w| w.ticket.id == ticket.id) {
        ticket.escalation.clone_from(&w.ticket.escalation);
    }
}

/// The message key of a clock's name.
pub fn clock_name(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::FirstResponse => chamado_i18n::key("escalation-clock-first-response"),
        ClockKind::Update => chamado_i18n::key("escalation-clock-update"),
        ClockKind::Solution => chamado_i18n::key("escalation-clock-solution"),
    }
}
