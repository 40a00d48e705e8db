//! What an agent's queue view counts: per readable queue, its tickets by state type, and the agent's
//! own locked and responsible tickets. Answered from the counts stores keep with their indexes, so it
//! costs a few point reads whatever the number of tickets.

use super::access::Caller;
use super::{Actor, Engine};
use crate::directory::StateType;
use crate::error::{Error, Result};
use crate::permissions::Permission;
use crate::store::TicketIndex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The state types a queue view counts: every one but merged and removed, which no view lists.
pub const COUNTED_STATE_TYPES: [StateType; 5] =
    [StateType::New, StateType::Open, StateType::PendingReminder, StateType::PendingAuto, StateType::Closed];

/// One queue's ticket counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    /// The queue.
    pub queue: String,
    /// Its group.
    pub group: String,
    /// Tickets per state type (those of [`COUNTED_STATE_TYPES`]; absent means none).
    pub by_state_type: BTreeMap<StateType, u64>,
}

impl QueueCounts {
    /// Tickets of any of `types`.
    pub fn of(&self, types: &[StateType]) -> u64 {
        types.iter().map(|t| self.by_state_type.get(t).copied().unwrap_or(0)).sum()
    }
}

/// An agent's queue view counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueOverview {
    /// The queues the agent may read (`ro` on their group), by name.
    pub queues: Vec<QueueCounts>,
    /// Tickets the agent holds locked.
    pub locked: u64,
    /// Tickets the agent is responsible for.
    pub responsible: u64,
}

impl QueueOverview {
    /// Tickets of any of `types` over every queue of the overview.
    pub fn total(&self, types: &[StateType]) -> u64 {
        self.queues.iter().map(|q| q.of(types)).sum()
    }

    /// One queue's counts.
    pub fn queue(&self, name: &str) -> Option<&QueueCounts> {
        self.queues.iter().find(|q| q.queue == name)
    }
}

impl Engine {
    /// The queue view counts for an agent (or the system, which reads every queue): exact, from the
    /// store's index counts. Customer users have no queue view.
    pub async fn queue_overview(&self, actor: &Actor) -> Result<QueueOverview> {
        let caller = self.caller(actor).await?;
        let dir = self.directory().await?;
        let readable: Vec<(String, String)> = dir
            .queues
            .values()
            .filter(|q| match &caller {
                Caller::System => true,
                Caller::Agent(a) => a.has(&q.group, Permission::Ro),
                Caller::Customer(_) => false,
            })
            .map(|q| (q.name.clone(), q.group.clone()))
            .collect();
        let login = match (&caller, actor) {
            (Caller::Customer(_), _) => {
                return Err(Error::permission_denied(chamado_i18n::Message::new("error-customer-no-queue-view")));
            }
            (_, Actor::Agent(l)) => Some(l.clone()),
            _ => None,
        };
        drop(dir);
        let mut indexes: Vec<TicketIndex> = readable
            .iter()
            .flat_map(|(queue, _)| {
                COUNTED_STATE_TYPES.map(|st| TicketIndex::Queue { queue: queue.clone(), state_type: Some(st) })
            })
            .collect();
        if let Some(l) = &login {
            indexes.push(TicketIndex::LockedBy(l.clone()));
            indexes.push(TicketIndex::Responsible(l.clone()));
        }
        // Every count at once: on a networked store one round trip, not one per count.
        let counts = self.store().count_tickets_many(&indexes).await?;
        let mut counts = counts.into_iter();
        let mut queues = Vec::with_capacity(readable.len());
        for (queue, group) in readable {
            let mut by_state_type = BTreeMap::new();
            for st in COUNTED_STATE_TYPES {
                match counts.next() {
                    Some(0) | None => {}
                    Some(n) => {
                        by_state_type.insert(st, n);
                    }
                }
            }
            queues.push(QueueCounts { queue, group, by_state_type });
        }
        let (locked, responsible) = (counts.next().unwrap_or(0), counts.next().unwrap_or(0));
        Ok(QueueOverview { queues, locked, responsible })
    }
}
