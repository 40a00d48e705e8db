//! Time-driven rules: pending auto-close, pending reminders, lock timeouts and escalations. The host calls [`Engine::tick`].

use super::Engine;
use super::build::history;
use crate::directory::{NotificationKind, StateType};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::HistoryKind;
use crate::lifecycle::Trigger;
use crate::notify::NotifyEvent;
use crate::store::{Commit, TicketWrite};
use crate::ticket::{Lock, Ticket};
use crate::time::Timestamp;
use chamado_i18n::Message;

/// Tickets handled per store round trip.
const BATCH: usize = 100;

/// What one [`Engine::tick`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Tickets closed by a pending-auto state.
    pub auto_closed: usize,
    /// Reminders that fired.
    pub reminders: usize,
    /// Tickets skipped because they changed concurrently (they are looked at again next tick).
    pub skipped: usize,
    /// Locks that ran out (the queue's unlock timeout) and were released.
    pub unlocked: usize,
    /// Escalation warnings and breaches fired.
    pub escalations: usize,
    /// Events removed from the event log (older than `webhooks.event_retention_days`).
    pub pruned_events: u64,
    /// Finished webhook deliveries removed (older than `webhooks.delivery_retention_days`).
    pub pruned_deliveries: u64,
}

impl TickReport {
    fn add(&mut self, other: &TickReport) {
        self.auto_closed += other.auto_closed;
        self.reminders += other.reminders;
        self.skipped += other.skipped;
        self.unlocked += other.unlocked;
        self.escalations += other.escalations;
        self.pruned_events += other.pruned_events;
        self.pruned_deliveries += other.pruned_deliveries;
    }
}

impl Engine {
    /// Applies every rule due at `now`: `pending auto close±` tickets become closed, `pending reminder`
    /// tickets fire a [`Event::ReminderDue`] once per due time (and notify the owner, else the queue's
    /// agents), locks whose queue's unlock timeout ran out are released (the owner is notified), and
    /// escalation clocks fire their warning and breach once per due time ([`Event::Escalation`],
    /// notifications `escalation_warning` / `escalation_breach`).
    /// Call it on a timer (e.g. every 30 s).
    pub async fn tick(&self, now: Timestamp) -> Result<TickReport> {
        let mut report = TickReport::default();
        // A bounded share of the old events and deliveries per tick: a long-stopped system catches up
        // over a few ticks instead of stalling one.
        let day = std::time::Duration::from_secs(86_400);
        let cfg = &self.config().webhooks;
        let keep_events = day.saturating_mul(u32::try_from(cfg.event_retention_days).unwrap_or(u32::MAX));
        let keep_deliveries = day.saturating_mul(u32::try_from(cfg.delivery_retention_days).unwrap_or(u32::MAX));
        report.pruned_events = self.store().prune_events(minus(now, keep_events), PRUNE_BATCH).await?;
        report.pruned_deliveries = self.store().prune_webhooks(minus(now, keep_deliveries), PRUNE_BATCH).await?;
        let mut seen = std::collections::HashSet::new();
        loop {
            let due = self.store().due_tickets(now, BATCH).await?;
            let fresh: Vec<_> = due.into_iter().filter(|t| seen.insert(t.id)).collect();
            if fresh.is_empty() {
                return Ok(report);
            }
            // Each ticket is its own commit; the batch's commits go to the store together, so a store that
            // groups concurrent commits (redb's writer, a PostgreSQL pool) flushes once per group rather
            // than once per ticket: a mass breach (every clock started over a weekend falls due at the
            // same minute on Monday) costs a few flushes, not one per ticket.
            let runs = fresh.into_iter().map(|t| async move {
                let mut part = TickReport::default();
                self.tick_one(t, now, &mut part).await?;
                Ok::<TickReport, Error>(part)
            });
            for part in futures_util::future::join_all(runs).await {
                report.add(&part?);
            }
        }
    }

    /// The rules due for one ticket, in one commit: its lock running out, its pending time.
    async fn tick_one(&self, mut t: Ticket, now: Timestamp, report: &mut TickReport) -> Result<()> {
        let expected = t.version;
        let mut commit = Commit::default();
        let mut events = Vec::new();
        let mut done = TickReport::default();
        if t.lock == Lock::Lock && t.unlock_at.is_some_and(|at| at <= now) {
            let message = Message::new("history-lock-timed-out");
            events.push(Event::TicketUpdated { number: t.number.clone(), what: message.english() });
            commit.history.push(history(t.id, now, "system", HistoryKind::LockChanged, message));
            t.lock = Lock::Unlock;
            t.unlock_at = None;
            done.unlocked += 1;
            // A closed ticket that kept its lock is released quietly: nobody waits on it.
            if t.state_type.is_active() {
                let event = NotifyEvent {
                    kind: NotificationKind::LockTimeout,
                    ticket: &t,
                    actor: None,
                    target: t.owner.as_deref(),
                };
                self.add_notifications(event, None, now, &mut commit).await?;
            }
        }
        if t.state_due().is_some_and(|at| at <= now) {
            match t.state_type {
                StateType::PendingAuto => {
                    let current = self.state(&t.state).await?;
                    let due = Trigger::PendingTimeReached { current: &current };
                    if let Some(e) = self.automatic_change(&mut t, due, "system", now, &mut commit).await? {
                        events.push(e);
                        done.auto_closed += 1;
                    }
                }
                StateType::PendingReminder => {
                    commit.history.push(history(
                        t.id,
                        now,
                        "system",
                        HistoryKind::ReminderDue,
                        Message::new("history-reminder-due"),
                    ));
                    t.reminded_for = t.pending_until;
                    done.reminders += 1;
                    events.push(Event::ReminderDue { number: t.number.clone(), owner: t.owner.clone() });
                    let event =
                        NotifyEvent { kind: NotificationKind::ReminderDue, ticket: &t, actor: None, target: None };
                    self.add_notifications(event, None, now, &mut commit).await?;
                }
                _ => {}
            }
        }
        let clocks_before = t.escalation.clone();
        done.escalations += self.fire_escalations(&mut t, now, &mut commit, &mut events).await?;
        if events.is_empty() && t.escalation == clocks_before {
            return Ok(());
        }
        // A due time merely recomputed (an edited calendar) is no change anyone made.
        if !events.is_empty() {
            t.changed_at = now;
        }
        t.version = expected + 1;
        commit.tickets.push(TicketWrite { ticket: t, expected_version: expected });
        self.seal_clocks(&mut commit, now).await?;
        match self.store().commit(commit).await {
            Ok(()) => {
                report.auto_closed += done.auto_closed;
                report.reminders += done.reminders;
                report.unlocked += done.unlocked;
                report.escalations += done.escalations;
                self.emit(events);
                Ok(())
            }
            Err(crate::StoreError::Conflict { .. }) => {
                report.skipped += 1;
                Ok(())
            }
            Err(e) => Err(Error::Store(e)),
        }
    }
}

/// Old events and deliveries removed per tick, at most.
const PRUNE_BATCH: usize = 1000;

fn minus(t: Timestamp, d: std::time::Duration) -> Timestamp {
    Timestamp(t.0.saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
}
