//! The ticket state machine: which state changes are legal, and what a customer follow-up does.

use crate::directory::{FollowUpPolicy, StateDef, StateType};
use crate::error::{Error, Result};
use crate::time::Timestamp;

/// What a customer follow-up does to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpAction {
    /// Append; the state stays (a `new` ticket stays `new`).
    Append,
    /// Append and set the state to `open` (open, pending, or closed with policy `possible`).
    AppendAndReopen,
    /// Refuse; nothing is appended, the attempt is recorded in history.
    Reject(String),
    /// Open a new ticket linked to this one.
    OpenNewTicket,
}

/// Decides what a customer follow-up does, by the ticket's state type and its queue's policy.
///
/// ```
/// use chamado::{follow_up_action, FollowUpAction, FollowUpPolicy, StateType};
/// assert_eq!(follow_up_action(StateType::New, FollowUpPolicy::Reject), FollowUpAction::Append);
/// assert_eq!(follow_up_action(StateType::Closed, FollowUpPolicy::Possible), FollowUpAction::AppendAndReopen);
/// ```
pub fn follow_up_action(state: StateType, policy: FollowUpPolicy) -> FollowUpAction {
    match state {
        StateType::New => FollowUpAction::Append,
        StateType::Open | StateType::PendingReminder | StateType::PendingAuto => FollowUpAction::AppendAndReopen,
        StateType::Closed => match policy {
            FollowUpPolicy::Possible => FollowUpAction::AppendAndReopen,
            FollowUpPolicy::Reject => FollowUpAction::Reject(
                "this ticket is closed and its queue does not accept follow-ups; please open a new ticket".into(),
            ),
            FollowUpPolicy::NewTicket => FollowUpAction::OpenNewTicket,
        },
        // Merged tickets are redirected to their target before this is asked; removed ones start afresh.
        StateType::Merged | StateType::Removed => FollowUpAction::OpenNewTicket,
    }
}

/// Checks that a ticket may go from state `from` to state `to`.
///
/// Rules: merged and removed tickets never change state; `merged` is set only by merging; no ticket goes
/// back to `new` once worked on; pending states need a due time in the future of `now`; invalid states
/// cannot be set.
pub fn check_transition(
    from: &StateDef,
    to: &StateDef,
    pending_until: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    if from.name == to.name {
        return check_pending(to, pending_until, now);
    }
    if !to.valid {
        return Err(Error::InvalidTransition(format!("state {:?} is invalid and cannot be set", to.name)));
    }
    match (from.state_type, to.state_type) {
        (StateType::Merged, _) => Err(Error::InvalidTransition(format!(
            "the ticket is merged; change its target ticket instead of setting {:?}",
            to.name
        ))),
        (StateType::Removed, _) => {
            Err(Error::InvalidTransition(format!("the ticket is removed; it cannot become {:?}", to.name)))
        }
        (_, StateType::Merged) => {
            Err(Error::InvalidTransition("use merge to merge tickets; the state merged cannot be set directly".into()))
        }
        (f, StateType::New) if f != StateType::New => {
            Err(Error::InvalidTransition(format!("a ticket that was {:?} cannot go back to {:?}", from.name, to.name)))
        }
        _ => check_pending(to, pending_until, now),
    }
}

fn check_pending(to: &StateDef, pending_until: Option<Timestamp>, now: Timestamp) -> Result<()> {
    if !to.state_type.is_pending() {
        return Ok(());
    }
    match pending_until {
        None => Err(Error::validation(format!("state {:?} needs pending_until (when it is due)", to.name))),
        Some(t) if t <= now => Err(Error::validation(format!("pending_until {t} is not in the future"))),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(name: &str) -> StateDef {
        StateDef::otrs_defaults().into_iter().find(|s| s.name == name).unwrap()
    }

    #[test]
    fn transitions() {
        let now = Timestamp(1_000);
        let later = Some(Timestamp(2_000));
        assert!(check_transition(&st("new"), &st("open"), None, now).is_ok());
        assert!(check_transition(&st("open"), &st("closed successful"), None, now).is_ok());
        assert!(check_transition(&st("closed successful"), &st("open"), None, now).is_ok());
        assert!(check_transition(&st("open"), &st("new"), None, now).is_err());
        assert!(check_transition(&st("open"), &st("merged"), None, now).is_err());
        assert!(check_transition(&st("merged"), &st("open"), None, now).is_err());
        assert!(check_transition(&st("removed"), &st("open"), None, now).is_err());
        assert!(check_transition(&st("open"), &st("pending reminder"), None, now).is_err());
        assert!(check_transition(&st("open"), &st("pending reminder"), Some(now), now).is_err());
        assert!(check_transition(&st("open"), &st("pending auto close+"), later, now).is_ok());
        let mut invalid = st("open");
        invalid.name = "old".into();
        invalid.valid = false;
        assert!(check_transition(&st("new"), &invalid, None, now).is_err());
    }

    #[test]
    fn follow_ups() {
        use FollowUpPolicy::*;
        assert_eq!(follow_up_action(StateType::Open, Reject), FollowUpAction::AppendAndReopen);
        assert_eq!(follow_up_action(StateType::PendingAuto, Possible), FollowUpAction::AppendAndReopen);
        assert!(matches!(follow_up_action(StateType::Closed, Reject), FollowUpAction::Reject(_)));
        assert_eq!(follow_up_action(StateType::Closed, NewTicket), FollowUpAction::OpenNewTicket);
    }
}
