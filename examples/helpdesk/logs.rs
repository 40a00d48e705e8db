//! Structured logs with `tracing`: written to stderr (stdout keeps the start banner), filtered by
//! `RUST_LOG` or `log.filter` (default `info`), one line per ticket event with its fields.

use chamado::{Engine, Event, IntakeKind, Sender};
use std::io::IsTerminal;
use tracing::{debug, info, warn};
use tracing_subscriber::EnvFilter;

/// Installs the subscriber. `Err` is the filter's syntax error, for the caller to attribute.
pub fn init(filter: &str) -> Result<(), String> {
    let filter = EnvFilter::builder().parse(filter).map_err(|e| e.to_string())?;
    // A second install (tests) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    Ok(())
}

/// Logs every engine event from now on.
pub fn events(engine: &Engine) {
    engine.subscribe(event);
}

/// Who sent an inbound message, as one short field.
fn who(s: &Sender) -> String {
    match s {
        Sender::Email { address, .. } => address.clone(),
        Sender::Chat { network, user_id, .. } => format!("{network}:{user_id}"),
        Sender::CustomerUser { login } => login.clone(),
        Sender::AgentOnBehalf { agent, customer_user } => format!("{customer_user} (via {agent})"),
    }
}

fn event(e: &Event) {
    match e {
        Event::TicketCreated { number, queue, channel } => {
            info!(event = "ticket_created", %number, %queue, channel = channel.as_str(), "ticket created");
        }
        Event::ArticleAdded { number, article_id, sender, visible_to_customer } => info!(
            event = "article_added",
            %number,
            article = article_id.0,
            sender = sender.as_str(),
            visible_to_customer,
            "article added"
        ),
        Event::StateChanged { number, from, to } => {
            info!(event = "state_changed", %number, %from, %to, "state changed")
        }
        Event::ReminderDue { number, owner } => {
            info!(event = "reminder_due", %number, owner = owner.as_deref().unwrap_or(""), "reminder due");
        }
        Event::FollowUpRejected { number, reason } => {
            info!(event = "follow_up_rejected", %number, %reason, "follow-up rejected");
        }
        Event::IntakeRejected { sender, reason } => {
            info!(event = "intake_rejected", sender = who(sender), %reason, "inbound message rejected");
        }
        Event::Merged { source, target } => info!(event = "merged", number = %source, %target, "ticket merged"),
        Event::OutboundSent { number, channel } => {
            info!(event = "outbound_sent", %number, channel = channel.as_str(), "message sent");
        }
        Event::OutboundFailed { number, channel, error } => {
            warn!(event = "outbound_failed", %number, channel = channel.as_str(), %error, "message failed for good");
        }
        Event::TicketUpdated { number, what } => info!(event = "ticket_updated", %number, %what, "ticket updated"),
        Event::Escalation { number, clock, kind, due } => warn!(
            event = "escalation",
            %number,
            clock = clock.as_str(),
            kind = ?kind,
            %due,
            "escalation clock fired"
        ),
        // A new ticket already has its `ticket_created` line.
        Event::Intake { channel, outcome: IntakeKind::Created, number } => debug!(
            event = "intake",
            number = number.as_deref().unwrap_or(""),
            channel = channel.as_str(),
            outcome = "created",
            "message taken"
        ),
        Event::Intake { channel, outcome, number } => info!(
            event = "intake",
            number = number.as_deref().unwrap_or(""),
            channel = channel.as_str(),
            outcome = outcome.as_str(),
            "message taken"
        ),
    }
}
