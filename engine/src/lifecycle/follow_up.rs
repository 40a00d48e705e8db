//! What a customer follow-up does to a ticket, by its state type and its queue's policy.

use crate::directory::{FollowUpPolicy, StateType};

/// What a customer follow-up does to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpAction {
    /// Append; the state stays (a `new` ticket stays `new`).
    Append,
    /// Append and reopen: the ticket goes to the `reopened` state of [`super::LifecycleStates`] (`open` by
    /// default), from open, pending, or closed with policy `possible`.
    AppendAndReopen,
    /// Refuse; nothing is appended, the attempt is recorded in history.
    Reject(crate::Reason),
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
            FollowUpPolicy::Reject => {
                FollowUpAction::Reject(chamado_i18n::Message::new("error-follow-up-closed").into())
            }
            FollowUpPolicy::NewTicket => FollowUpAction::OpenNewTicket,
        },
        // Merged tickets are redirected to their target before this is asked; removed ones start afresh.
        StateType::Merged | StateType::Removed => FollowUpAction::OpenNewTicket,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups() {
        use FollowUpPolicy::*;
        assert_eq!(follow_up_action(StateType::Open, Reject), FollowUpAction::AppendAndReopen);
        assert_eq!(follow_up_action(StateType::PendingAuto, Possible), FollowUpAction::AppendAndReopen);
        assert!(matches!(follow_up_action(StateType::Closed, Reject), FollowUpAction::Reject(_)));
        assert_eq!(follow_up_action(StateType::Closed, NewTicket), FollowUpAction::OpenNewTicket);
    }
}
