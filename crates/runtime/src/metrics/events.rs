//! The engine's counters: tickets opened, intake outcomes, outbound results and every event, by the
//! labels the README documents. Each series exists (at 0) from the first scrape, so `rate()` sees its
//! start.

use chamado::{ChannelKind, Event, IntakeKind};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

/// Every channel, in [`channel_index`] order.
const CHANNELS: [ChannelKind; 5] =
    [ChannelKind::Email, ChannelKind::Web, ChannelKind::Phone, ChannelKind::Chat, ChannelKind::Internal];

/// The `event` label of every [`Event`] variant, in [`event_index`] order.
const EVENT_NAMES: [&str; 12] = [
    "ticket_created",
    "article_added",
    "state_changed",
    "reminder_due",
    "follow_up_rejected",
    "intake_rejected",
    "merged",
    "outbound_sent",
    "outbound_failed",
    "ticket_updated",
    "intake",
    "escalation",
];

fn channel_index(c: ChannelKind) -> usize {
    match c {
        ChannelKind::Email => 0,
        ChannelKind::Web => 1,
        ChannelKind::Phone => 2,
        ChannelKind::Chat => 3,
        ChannelKind::Internal => 4,
    }
}

fn intake_index(k: IntakeKind) -> usize {
    match k {
        IntakeKind::Created => 0,
        IntakeKind::FollowUp => 1,
        IntakeKind::Duplicate => 2,
        IntakeKind::Rejected => 3,
        IntakeKind::Bounce => 4,
    }
}

// Exhaustive on purpose: a new event kind fails to compile here until it has a name above.
fn event_index(e: &Event) -> usize {
    match e {
        Event::TicketCreated { .. } => 0,
        Event::ArticleAdded { .. } => 1,
        Event::StateChanged { .. } => 2,
        Event::ReminderDue { .. } => 3,
        Event::FollowUpRejected { .. } => 4,
        Event::IntakeRejected { .. } => 5,
        Event::Merged { .. } => 6,
        Event::OutboundSent { .. } => 7,
        Event::OutboundFailed { .. } => 8,
        Event::TicketUpdated { .. } => 9,
        Event::Intake { .. } => 10,
        Event::Escalation { .. } => 11,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ByChannel {
    channel: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ByOutcome {
    channel: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ByResult {
    channel: &'static str,
    result: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ByEvent {
    event: &'static str,
}

/// Handles on every series, so counting an event is one atomic add, no label lookup. Shared with the
/// engine's subscriber, which must not hold the engine.
pub(super) struct EventCounters {
    created: [Counter; CHANNELS.len()],
    intake: [[Counter; IntakeKind::ALL.len()]; CHANNELS.len()],
    sent: [Counter; CHANNELS.len()],
    failed: [Counter; CHANNELS.len()],
    events: [Counter; EVENT_NAMES.len()],
}

impl EventCounters {
    /// Registers the four families in `registry`, every series at 0.
    pub(super) fn register(registry: &mut Registry) -> Self {
        let created = Family::<ByChannel, Counter>::default();
        let intake = Family::<ByOutcome, Counter>::default();
        let outbound = Family::<ByResult, Counter>::default();
        let events = Family::<ByEvent, Counter>::default();
        // The exposition adds `_total` to counter names, and a full stop to the help texts.
        registry.register("chamado_tickets_created", "Tickets opened, by the channel they came by", created.clone());
        registry.register(
            "chamado_intake",
            "Inbound messages (mail, chat) taken by the engine, by channel and outcome",
            intake.clone(),
        );
        registry.register(
            "chamado_outbound",
            "Outbound messages by channel and result: sent, or failed for good after the retries",
            outbound.clone(),
        );
        registry.register("chamado_events", "Engine events, by kind", events.clone());
        let channel = |i: usize| CHANNELS[i].as_str();
        EventCounters {
            created: std::array::from_fn(|c| created.get_or_create(&ByChannel { channel: channel(c) }).clone()),
            intake: std::array::from_fn(|c| {
                std::array::from_fn(|k| {
                    let outcome = IntakeKind::ALL[k].as_str();
                    intake.get_or_create(&ByOutcome { channel: channel(c), outcome }).clone()
                })
            }),
            sent: std::array::from_fn(|c| {
                outbound.get_or_create(&ByResult { channel: channel(c), result: "sent" }).clone()
            }),
            failed: std::array::from_fn(|c| {
                outbound.get_or_create(&ByResult { channel: channel(c), result: "failed" }).clone()
            }),
            events: std::array::from_fn(|i| events.get_or_create(&ByEvent { event: EVENT_NAMES[i] }).clone()),
        }
    }

    /// Counts one engine event.
    pub(super) fn record(&self, e: &Event) {
        self.events[event_index(e)].inc();
        let counter = match e {
            Event::TicketCreated { channel, .. } => &self.created[channel_index(*channel)],
            Event::Intake { channel, outcome, .. } => &self.intake[channel_index(*channel)][intake_index(*outcome)],
            Event::OutboundSent { channel, .. } => &self.sent[channel_index(*channel)],
            Event::OutboundFailed { channel, .. } => &self.failed[channel_index(*channel)],
            _ => return,
        };
        counter.inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_a_name() {
        assert_eq!(EVENT_NAMES[event_index(&Event::Merged { source: "1".into(), target: "2".into() })], "merged");
        let intake = Event::Intake { channel: ChannelKind::Chat, outcome: IntakeKind::Duplicate, number: None };
        assert_eq!(EVENT_NAMES[event_index(&intake)], "intake");
        let c = EventCounters::register(&mut Registry::default());
        c.record(&intake);
        assert_eq!(c.intake[3][2].get(), 1);
    }
}
