//! The state changes the engine makes on its own: an answer opens a `new` ticket, a follow-up reopens
//! one, a `pending auto` state closes when due, a merge closes the merged ticket.

use super::follow_up::FollowUpAction;
use super::states::{LifecycleStates, StateRole};
use crate::directory::{StateDef, StateType};
use crate::events::Event;
use crate::ticket::Ticket;
use chamado_i18n::Message;

/// What happened that may change a ticket's state without anyone asking for it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Trigger<'a> {
    /// An agent or the system added an article; internal notes do not answer the customer.
    Answered {
        /// Whether the article is an internal note.
        internal: bool,
    },
    /// A customer follow-up was appended, doing what [`super::follow_up_action`] decided.
    FollowUp(&'a FollowUpAction),
    /// The ticket's pending time was reached; `current` is its state's definition.
    PendingTimeReached {
        /// The ticket's current state.
        current: &'a StateDef,
    },
    /// The ticket is being merged into another.
    Merged,
}

/// The state an automatic change goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The state configured for a role.
    Role(StateRole),
    /// A state the current state names (a pending-auto state's next state).
    Named(String),
}

/// The state `trigger` moves `ticket` to, if any.
pub(crate) fn target(ticket: &Ticket, trigger: Trigger<'_>, states: &LifecycleStates) -> Option<Target> {
    match trigger {
        // Answering a new ticket means someone is working on it.
        Trigger::Answered { internal } => {
            (!internal && ticket.state_type == StateType::New).then_some(Target::Role(StateRole::Answered))
        }
        Trigger::FollowUp(action) => (*action == FollowUpAction::AppendAndReopen
            && ticket.state != states.name(StateRole::Reopened))
        .then_some(Target::Role(StateRole::Reopened)),
        Trigger::PendingTimeReached { current } => {
            (ticket.state_type == StateType::PendingAuto).then(|| match &current.next_state {
                Some(next) => Target::Named(next.clone()),
                None => Target::Role(StateRole::AutoClosed),
            })
        }
        Trigger::Merged => Some(Target::Role(StateRole::Merged)),
    }
}

/// What made the engine change a state on its own, when the history says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// The customer wrote again.
    FollowUp,
    /// The pending time passed.
    PendingTimeReached,
}

/// One automatic state change, from the ticket's state to a resolved target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StateChange {
    from: String,
    to: String,
    to_type: StateType,
    /// Why, for the history entry (`None` for answers and merges, as it has always read).
    why: Option<Why>,
}

impl StateChange {
    /// The change of `ticket` to `to`, caused by `trigger`.
    pub(crate) fn new(ticket: &Ticket, to: &StateDef, trigger: Trigger<'_>) -> Self {
        let why = match trigger {
            Trigger::Answered { .. } | Trigger::Merged => None,
            Trigger::FollowUp(_) => Some(Why::FollowUp),
            Trigger::PendingTimeReached { .. } => Some(Why::PendingTimeReached),
        };
        StateChange { from: ticket.state.clone(), to: to.name.clone(), to_type: to.state_type, why }
    }

    /// Sets the ticket's state; no state the engine moves to on its own keeps a pending time.
    pub(crate) fn apply(&self, ticket: &mut Ticket) {
        ticket.state = self.to.clone();
        ticket.state_type = self.to_type;
        ticket.pending_until = None;
    }

    /// The history entry's text.
    pub(crate) fn message(&self) -> Message {
        let note = match self.why {
            None => Message::new("history-state-changed"),
            Some(Why::FollowUp) => Message::new("history-state-changed-follow-up"),
            Some(Why::PendingTimeReached) => Message::new("history-state-changed-pending-time"),
        };
        note.arg("from", &self.from).arg("to", &self.to)
    }

    /// The event announcing it.
    pub(crate) fn event(&self, number: &str) -> Event {
        Event::StateChanged { number: number.to_string(), from: self.from.clone(), to: self.to.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::ticket;

    fn in_state(name: &str, state_type: StateType) -> Ticket {
        let mut t = ticket(1, 1);
        t.state = name.into();
        t.state_type = state_type;
        t
    }

    #[test]
    fn answers_open_new_tickets_only() {
        let cfg = LifecycleStates::default();
        let fresh = in_state("new", StateType::New);
        let answered = Some(Target::Role(StateRole::Answered));
        assert_eq!(target(&fresh, Trigger::Answered { internal: false }, &cfg), answered);
        assert_eq!(target(&fresh, Trigger::Answered { internal: true }, &cfg), None, "a note answers no one");
        let worked = in_state("pending reminder", StateType::PendingReminder);
        assert_eq!(target(&worked, Trigger::Answered { internal: false }, &cfg), None);
    }

    #[test]
    fn follow_ups_reopen_unless_already_in_the_reopened_state() {
        let cfg = LifecycleStates { reopened: "in progress".into(), ..Default::default() };
        let reopen = FollowUpAction::AppendAndReopen;
        let closed = in_state("closed successful", StateType::Closed);
        assert_eq!(target(&closed, Trigger::FollowUp(&reopen), &cfg), Some(Target::Role(StateRole::Reopened)));
        let open = in_state("open", StateType::Open);
        assert_eq!(target(&open, Trigger::FollowUp(&reopen), &cfg), Some(Target::Role(StateRole::Reopened)));
        let there = in_state("in progress", StateType::Open);
        assert_eq!(target(&there, Trigger::FollowUp(&reopen), &cfg), None);
        let fresh = in_state("new", StateType::New);
        assert_eq!(target(&fresh, Trigger::FollowUp(&FollowUpAction::Append), &cfg), None);
    }

    #[test]
    fn pending_auto_closes_to_its_next_state_or_the_configured_one() {
        let cfg = LifecycleStates::default();
        let states = StateDef::otrs_defaults();
        let plus = states.iter().find(|s| s.name == "pending auto close-").unwrap();
        let t = in_state(&plus.name, StateType::PendingAuto);
        let due = Trigger::PendingTimeReached { current: plus };
        assert_eq!(target(&t, due, &cfg), Some(Target::Named("closed unsuccessful".into())));
        let bare = StateDef::new("waiting", StateType::PendingAuto);
        let t = in_state("waiting", StateType::PendingAuto);
        let due = Trigger::PendingTimeReached { current: &bare };
        assert_eq!(target(&t, due, &cfg), Some(Target::Role(StateRole::AutoClosed)));
        let reminder = StateDef::new("pending reminder", StateType::PendingReminder);
        let t = in_state("pending reminder", StateType::PendingReminder);
        assert_eq!(target(&t, Trigger::PendingTimeReached { current: &reminder }, &cfg), None, "it only reminds");
    }

    #[test]
    fn a_change_sets_state_and_type_and_drops_the_pending_time() {
        let mut t = in_state("pending auto close+", StateType::PendingAuto);
        t.pending_until = Some(crate::Timestamp(9));
        let to = StateDef::new("closed successful", StateType::Closed);
        let current = StateDef::new("pending auto close+", StateType::PendingAuto);
        let change = StateChange::new(&t, &to, Trigger::PendingTimeReached { current: &current });
        change.apply(&mut t);
        assert_eq!((t.state.as_str(), t.state_type, t.pending_until), ("closed successful", StateType::Closed, None));
        assert_eq!(change.message().english(), "state pending auto close+ -> closed successful (pending time reached)");
        let Event::StateChanged { from, to, .. } = change.event(&t.number) else { panic!("a state change") };
        assert_eq!((from.as_str(), to.as_str()), ("pending auto close+", "closed successful"));
    }
}
