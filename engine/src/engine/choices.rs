//! What a caller may choose from when opening a ticket: the queues and services offered by the portal,
//! the API clients and the agent's phone-ticket screen.

use super::access::Caller;
use super::{Actor, Engine};
use crate::directory::{Queue, Record, RecordKind};
use crate::error::Result;
use crate::permissions::Permission;

impl Engine {
    /// The valid queues in which `actor` may open tickets, by name: for customer users the queues of
    /// groups they hold `rw` on, for agents those they hold `create` on, for the system every one.
    pub async fn queues_for_new_tickets(&self, actor: &Actor) -> Result<Vec<Queue>> {
        let caller = self.caller(actor).await?;
        let queues = self.all_records(RecordKind::Queue, "").await?;
        Ok(queues
            .into_iter()
            .filter_map(|r| if let Record::Queue(q) = r { Some(q) } else { None })
            .filter(|q| q.valid)
            .filter(|q| match &caller {
                Caller::System => true,
                Caller::Agent(a) => a.has(&q.group, Permission::Create),
                Caller::Customer(c) => c.can_create_in(&q.group),
            })
            .collect())
    }
}
