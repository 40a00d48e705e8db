//! Which state changes are legal.

use crate::directory::{StateDef, StateType};
use crate::error::{Error, Result};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use chamado_i18n::Message;

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
        return Err(Error::invalid_transition(
            Message::new("error-state-invalid").arg("state", format!("{:?}", to.name)),
        ));
    }
    match (from.state_type, to.state_type) {
        (StateType::Merged, _) => Err(Error::invalid_transition(
            Message::new("error-ticket-merged-state").arg("state", format!("{:?}", to.name)),
        )),
        (StateType::Removed, _) => Err(Error::invalid_transition(
            Message::new("error-ticket-removed-state").arg("state", format!("{:?}", to.name)),
        )),
        (_, StateType::Merged) => Err(Error::invalid_transition(Message::new("error-state-merged-directly"))),
        (f, StateType::New) if f != StateType::New => Err(Error::invalid_transition(
            Message::new("error-state-back-to-new")
                .arg("from", format!("{:?}", from.name))
                .arg("to", format!("{:?}", to.name)),
        )),
        _ => check_pending(to, pending_until, now),
    }
}

/// Checks that `ticket` may be merged into another: merged and removed tickets never change state.
pub(crate) fn check_mergeable(ticket: &Ticket) -> Result<()> {
    if matches!(ticket.state_type, StateType::Merged | StateType::Removed) {
        return Err(Error::invalid_transition(
            Message::new("error-ticket-already").arg("number", &ticket.number).arg("state", &ticket.state),
        ));
    }
    Ok(())
}

fn check_pending(to: &StateDef, pending_until: Option<Timestamp>, now: Timestamp) -> Result<()> {
    if !to.state_type.is_pending() {
        return Ok(());
    }
    match pending_until {
        None => Err(Error::invalid_transition(
            Message::new("error-state-needs-pending-time").arg("state", format!("{:?}", to.name)),
        )),
        Some(t) if t <= now => {
            Err(Error::invalid_transition(Message::new("error-pending-time-past").arg("time", t.to_string())))
        }
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
}
