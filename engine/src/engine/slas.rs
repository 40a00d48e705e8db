//! Calendars and SLAs as admins manage them, and bringing running clocks in line when they change.

use super::admin_texts as texts;
use super::{Admin, Engine};
use crate::directory::{Calendar, Queue, Record, RecordKey, RecordKind, Sla, StateType};
use crate::error::{Error, Result};
use crate::store::{Commit, TicketIndex, TicketWrite};
use crate::ticket::Ticket;

/// Tickets re-timed per commit after a calendar, SLA or queue target changed.
const RETIME_BATCH: usize = 64;

impl Admin<'_> {
    /// Adds or replaces a calendar. Running clocks that count by it get new due times.
    pub async fn put_calendar(&self, c: Calendar) -> Result<()> {
        c.validate()?;
        let name = c.name.clone();
        self.put(Record::Calendar(c)).await?;
        self.engine.retime_clocks(|s, q| s.is_some_and(|s| s.calendar == name) || uses_calendar(q, &name)).await?;
        Ok(())
    }

    /// Adds or replaces an SLA; its calendar and services must exist. Running clocks under it get new due
    /// times.
    pub async fn put_sla(&self, s: Sla) -> Result<()> {
        s.validate()?;
        if self.engine.store().record(&RecordKey::new(RecordKind::Calendar, &s.calendar)).await?.is_none() {
            return Err(Error::not_found(texts::missing(RecordKind::Calendar, &s.calendar)));
        }
        for service in &s.services {
            if self.engine.store().record(&RecordKey::new(RecordKind::Service, service)).await?.is_none() {
                return Err(Error::not_found(texts::missing(RecordKind::Service, service)));
            }
        }
        let name = s.name.clone();
        self.put(Record::Sla(s)).await?;
        self.engine.retime_clocks(|s, _| s.is_some_and(|s| s.name == name)).await?;
        Ok(())
    }

    /// Checks a queue's escalation calendar exists; called by [`Admin::put_queue`].
    pub(super) async fn check_queue_calendar(&self, q: &Queue) -> Result<()> {
        if let Some(c) = &q.escalation.calendar
            && self.engine.store().record(&RecordKey::new(RecordKind::Calendar, c)).await?.is_none()
        {
            return Err(Error::not_found(texts::missing(RecordKind::Calendar, c)));
        }
        Ok(())
    }
}

fn uses_calendar(q: Option<&Queue>, name: &str) -> bool {
    q.is_some_and(|q| q.escalation.calendar.as_deref() == Some(name))
}

impl Engine {
    /// Every calendar, in name order.
    pub async fn calendars(&self) -> Result<Vec<Calendar>> {
        Ok(self.directory().await?.calendar_records.values().cloned().collect())
    }

    /// Every SLA, in name order.
    pub async fn slas(&self) -> Result<Vec<Sla>> {
        Ok(self.directory().await?.slas.values().cloned().collect())
    }

    /// The valid SLAs a ticket of `service` may have.
    pub async fn slas_for_service(&self, service: &str) -> Result<Vec<Sla>> {
        Ok(self
            .directory()
            .await?
            .slas
            .values()
            .filter(|s| s.valid && s.services.iter().any(|x| x == service))
            .cloned()
            .collect())
    }

    /// Re-times the running clocks of the active tickets `affected` selects (by the ticket's SLA, if it
    /// has one, and its queue), a batch per commit. A ticket changed meanwhile is skipped: its own commit
    /// already timed it by the new rules.
    pub(super) async fn retime_clocks(&self, affected: impl Fn(Option<&Sla>, Option<&Queue>) -> bool) -> Result<usize> {
        let snap = self.directory().await?;
        let hit = |t: &Ticket| {
            let sla = t.sla.as_ref().and_then(|n| snap.slas.get(n));
            let queue = if sla.is_some() { None } else { snap.queues.get(&t.queue) };
            !t.escalation.is_idle() || sla.is_some() || queue.is_some_and(|q| !q.escalation.targets.is_empty())
        };
        let now = self.now();
        let mut retimed = 0;
        for st in [StateType::New, StateType::Open, StateType::PendingReminder, StateType::PendingAuto] {
            let mut after = None;
            loop {
                let page = self.store().list_tickets(&TicketIndex::StateType(st), after, 500).await?;
                let mine: Vec<Ticket> = page
                    .items
                    .into_iter()
                    .filter(|t| {
                        let sla = t.sla.as_ref().and_then(|n| snap.slas.get(n));
                        let queue = snap.queues.get(&t.queue);
                        hit(t) && affected(sla, if sla.is_some() { None } else { queue })
                    })
                    .collect();
                for chunk in mine.chunks(RETIME_BATCH) {
                    let mut commit = Commit::default();
                    for t in chunk {
                        let mut t = t.clone();
                        let expected = t.version;
                        t.version += 1;
                        commit.tickets.push(TicketWrite { ticket: t, expected_version: expected });
                    }
                    self.seal_clocks(&mut commit, now).await?;
                    match self.store().commit(commit).await {
                        Ok(()) => retimed += chunk.len(),
                        // One ticket of the batch changed meanwhile: re-time the others one by one.
                        Err(crate::StoreError::Conflict { .. }) => {
                            for t in chunk {
                                let mut t = t.clone();
                                let expected = t.version;
                                t.version += 1;
                                let mut one = Commit::default();
                                one.tickets.push(TicketWrite { ticket: t, expected_version: expected });
                                self.seal_clocks(&mut one, now).await?;
                                match self.store().commit(one).await {
                                    Ok(()) => retimed += 1,
                                    Err(crate::StoreError::Conflict { .. }) => {}
                                    Err(e) => return Err(e.into()),
                                }
                            }
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
        }
        Ok(retimed)
    }
}
