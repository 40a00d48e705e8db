//! Who is told of what: the recipient rule of agent notifications (OTRS semantics), a pure function
//! the engine evaluates inside the commit that causes the event, so the notifications are written to
//! the outbox in that same commit.

mod recipients;

pub use recipients::{Candidate, NotifyEvent, Recipient, recipients};
