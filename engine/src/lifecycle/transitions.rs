//! Which state changes are legal.

use crate::directory::{StateDef, StateType};
use crate::error::{Error, Result};
use crate::ticket::Ticket;
use crate::time::Timestamp;

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
        return Err(Error::invalid_transition(format!("state {:?} is invalid and cannot be set", to.name)));
    }
    match (from.state_type, to.state_type) {
        (StateType::Merged, _) => Err(Error::invalid_transition(format!(
            "the ticket is merged; change its target ticket instead of setting {:?}",
            to.name
        ))),
        (StateType::Removed, _) => {
            Err(Error::invalid_transition(format!("the ticket is removed; it cannot become {:?}", to.name)))
        }
        (_, StateType::Merged) => {
            Err(Error::invalid_transition("use merge to merge tickets; the state merged cannot be set directly"))
        }
        (f, StateType::New) if f != StateType::New => {
            Err(Error::invalid_transition(format!("a ticket that was {:?} cannot go back to {:?}", from.name, to.name)))
        }
        _ => check_pending(to, pending_until, now),
    }
}

/// Checks that `ticket` may be merged into another: merged and removed tickets never change state.
pub(crate) fn check_mergeable(ticket: &Ticket) -> Result<()> {
    if matches!(ticket.state_type, StateType::Merged | StateType::Removed) {
        return Err(Error::invalid_transition(format!("ticket {} is already {}", ticket.number, ticket.state)));
    }
    Ok(())
}

fn check_pending(to: &StateDef, pending_until: Option<Timestamp>, now: Timestamp) -> Result<()> {
    if !to.state_type.is_pending() {
        return Ok(());
    }
    match pending_until {
        None => Err(Error::invalid_transition(format!("state {:?} needs pending_until (when it is due)", to.name))),
        Some(t) if t <= now => Err(Error::invalid_transition(format!("pending_until {t} is not in the future"))),
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
