//! Time promises: business-hours calendars and the escalation clocks of service level agreements.
//!
//! [`WorkingTime`] does the calendar arithmetic (jiff, exact across daylight-saving changes);
//! [`Escalation`] holds a ticket's three clocks and moves them as pure functions of what happens to the
//! ticket; the engine applies them in every commit that changes a ticket and fires their events in
//! [`crate::Engine::tick`].

mod clocks;
mod working_time;

pub use clocks::{ClockInput, ClockKind, ClockOutcome, ClockRules, Escalation, EscalationEventKind, SlaClock};
pub use working_time::WorkingTime;
