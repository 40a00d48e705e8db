//! The ticket record.

use crate::channel_kind::ChannelKind;
use crate::directory::StateType;
use crate::ids::TicketId;
use crate::priority::Priority;
use crate::sla::Escalation;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Whether an agent holds the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// Anyone with permission may work it.
    #[default]
    Unlock,
    /// The owner holds it.
    Lock,
}

/// A ticket. Its `number` is the identifier everyone uses; `id` keys storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Internal id.
    pub id: TicketId,
    /// The unique ticket number.
    pub number: String,
    /// Title (the first subject).
    pub title: String,
    /// Queue name.
    pub queue: String,
    /// State name.
    pub state: String,
    /// The state's type (kept on the ticket so stores can index it).
    pub state_type: StateType,
    /// Priority.
    pub priority: Priority,
    /// Lock.
    pub lock: Lock,
    /// Owner agent login (`None` until an agent takes it).
    pub owner: Option<String>,
    /// Responsible agent login.
    pub responsible: Option<String>,
    /// The customer user's login.
    pub customer_user: Option<String>,
    /// The customer's id.
    pub customer_id: Option<String>,
    /// The service's full name.
    pub service: Option<String>,
    /// The channel the ticket came in by.
    pub channel: ChannelKind,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it last changed.
    pub changed_at: Timestamp,
    /// For pending states: when it is due.
    pub pending_until: Option<Timestamp>,
    /// For `pending reminder`: the due time whose reminder has already fired.
    pub reminded_for: Option<Timestamp>,
    /// Set when the ticket was merged into another.
    pub merged_into: Option<TicketId>,
    /// Tickets linked to this one (e.g. a new ticket opened by a follow-up on a closed one).
    pub linked: Vec<TicketId>,
    /// Optimistic concurrency version; a store bumps it on every commit.
    pub version: u64,
    /// Agents watching the ticket (OTRS "subscribe"): they are told of its follow-ups.
    #[serde(default)]
    pub watchers: Vec<String>,
    /// While locked in a queue with an unlock timeout: when the lock runs out unless the owner answers.
    #[serde(default)]
    pub unlock_at: Option<Timestamp>,
    /// The service level agreement the ticket's clocks follow (one of its service's SLAs).
    #[serde(default)]
    pub sla: Option<String>,
    /// The escalation clocks: first response, update, solution.
    #[serde(default)]
    pub escalation: Escalation,
}

impl Ticket {
    /// When [`crate::Engine::tick`] must look at this ticket next, if ever: the due time of a pending
    /// state, unless its reminder already fired, when its lock runs out, or when an escalation warning or
    /// breach is due, whichever comes first. Stores index exactly this.
    pub fn pending_due(&self) -> Option<Timestamp> {
        let unlock = self.unlock_at.filter(|_| self.lock == Lock::Lock);
        [self.state_due(), unlock, self.escalation.next_event()].into_iter().flatten().min()
    }

    /// The due time of the ticket's pending state, unless its reminder already fired.
    pub fn state_due(&self) -> Option<Timestamp> {
        match self.state_type {
            StateType::PendingAuto => self.pending_until,
            StateType::PendingReminder => match (self.pending_until, self.reminded_for) {
                (Some(due), Some(done)) if done == due => None,
                (due, _) => due,
            },
            _ => None,
        }
    }
}
