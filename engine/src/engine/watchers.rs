//! Agents watching tickets (OTRS "subscribe"): a watcher is told of the ticket's follow-ups.

use super::access::{Caller, caller_sees};
use super::build::history;
use super::{Actor, Engine};
use crate::error::{Error, Result};
use crate::history::HistoryKind;
use crate::permissions::Permission;
use crate::store::{Commit, TicketWrite};
use crate::ticket::Ticket;
use chamado_i18n::Message;

impl Engine {
    /// Starts (`watch`) or stops watching ticket `number` for the calling agent, who must be able to
    /// read it. Returns the ticket as it is now; doing what is already so changes nothing.
    pub async fn watch(&self, actor: &Actor, number: &str, watch: bool) -> Result<Ticket> {
        let mut attempt = 0;
        loop {
            match self.try_watch(actor, number, watch).await {
                Err(e) if self.should_retry(&e, attempt) => attempt += 1,
                other => return other,
            }
        }
    }

    async fn try_watch(&self, actor: &Actor, number: &str, watch: bool) -> Result<Ticket> {
        let Actor::Agent(login) = actor else {
            return Err(Error::permission_denied(Message::new("error-watch-agents-only")));
        };
        let caller = self.caller(actor).await?;
        let mut t = self.resolve_number(number).await?;
        let group = self.queue(&t.queue).await?.group;
        let may = matches!(&caller, Caller::Agent(a) if a.may(&t, &group, Permission::Ro));
        if !may || !caller_sees(&caller, &t, &group) {
            return Err(Error::not_found(Message::new("error-ticket-not-found").arg("number", number)));
        }
        if t.watchers.iter().any(|w| w == login) == watch {
            return Ok(t);
        }
        if watch {
            t.watchers.push(login.clone());
        } else {
            t.watchers.retain(|w| w != login);
        }
        let now = self.now();
        let expected = t.version;
        t.version = expected + 1;
        let text = if watch { Message::new("history-watch-started") } else { Message::new("history-watch-stopped") };
        let mut commit = Commit {
            tickets: vec![TicketWrite { ticket: t.clone(), expected_version: expected }],
            history: vec![history(t.id, now, &actor.to_string(), HistoryKind::Watch, text.arg("login", login))],
            ..Default::default()
        };
        self.seal_clocks(&mut commit, now).await?;
        super::escalation::take_clocks(&commit, &mut t);
        self.store().commit(commit).await?;
        Ok(t)
    }
}
