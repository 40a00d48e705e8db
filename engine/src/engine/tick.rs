//! Time-driven rules: pending auto-close and pending reminders. The host calls [`Engine::tick`].

use super::Engine;
use super::build::history;
use crate::directory::StateType;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::HistoryKind;
use crate::lifecycle::Trigger;
use crate::store::{Commit, TicketWrite};
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
}

impl Engine {
    /// Applies every rule due at `now`: `pending auto close±` tickets become closed, `pending reminder`
    /// tickets fire a [`Event::ReminderDue`] once per due time. Call it on a timer (e.g. every 30 s).
    pub async fn tick(&self, now: Timestamp) -> Result<TickReport> {
        let mut report = TickReport::default();
        let mut seen = std::collections::HashSet::new();
        loop {
            let due = self.store().due_tickets(now, BATCH).await?;
            let fresh: Vec<_> = due.into_iter().filter(|t| seen.insert(t.id)).collect();
            if fresh.is_empty() {
                return Ok(report);
            }
            for mut t in fresh {
                let expected = t.version;
                let mut commit = Commit::default();
                let event = match t.state_type {
                    StateType::PendingAuto => {
                        let current = self.state(&t.state).await?;
                        let due = Trigger::PendingTimeReached { current: &current };
                        let Some(e) = self.automatic_change(&mut t, due, "system", now, &mut commit).await? else {
                            continue;
                        };
                        report.auto_closed += 1;
                        e
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
                        report.reminders += 1;
                        Event::ReminderDue { number: t.number.clone(), owner: t.owner.clone() }
                    }
                    _ => continue,
                };
                t.changed_at = now;
                t.version = expected + 1;
                commit.tickets.push(TicketWrite { ticket: t, expected_version: expected });
                match self.store().commit(commit).await {
                    Ok(()) => self.emit(vec![event]),
                    Err(crate::StoreError::Conflict { .. }) => {
                        report.skipped += 1;
                        match event {
                            Event::StateChanged { .. } => report.auto_closed -= 1,
                            _ => report.reminders -= 1,
                        }
                    }
                    Err(e) => return Err(Error::Store(e)),
                }
            }
        }
    }
}
