//! Carries out the lifecycle's automatic state changes: resolves their target state in the directory
//! and writes the change into a commit. What changes, and to which state, is decided in
//! [`crate::lifecycle`].

use super::Engine;
use super::build::history;
use crate::directory::StateDef;
use crate::error::Result;
use crate::events::Event;
use crate::history::HistoryKind;
use crate::lifecycle::{StateChange, StateRole, Target, Trigger, target};
use crate::store::Commit;
use crate::ticket::Ticket;
use crate::time::Timestamp;

impl Engine {
    /// The state configured for `role`, checked to be a valid state of the role's type.
    pub(super) async fn role_state(&self, role: StateRole) -> Result<StateDef> {
        let states = &self.config().lifecycle;
        let dir = self.directory().await?;
        states.check(role, dir.states.get(states.name(role))).cloned()
    }

    /// Makes the state change the lifecycle prescribes for `trigger`, if any: changes `ticket`, adds the
    /// history entry to `commit` and returns the event to emit once the commit is durable.
    pub(super) async fn automatic_change(
        &self,
        ticket: &mut Ticket,
        trigger: Trigger<'_>,
        actor: &str,
        now: Timestamp,
        commit: &mut Commit,
    ) -> Result<Option<Event>> {
        let to = match target(ticket, trigger, &self.config().lifecycle) {
            None => return Ok(None),
            Some(Target::Role(role)) => self.role_state(role).await?,
            Some(Target::Named(name)) => self.state(&name).await?,
        };
        let change = StateChange::new(ticket, &to, trigger);
        change.apply(ticket);
        commit.history.push(history(ticket.id, now, actor, HistoryKind::StateChanged, change.message()));
        Ok(Some(change.event(&ticket.number)))
    }
}
