//! The recipient rule.

use crate::directory::{Agent, NotificationChannel, NotificationDef, NotificationKind};
use crate::ticket::Ticket;
use std::collections::HashSet;

/// An event that may tell agents something.
#[derive(Debug, Clone, Copy)]
pub struct NotifyEvent<'a> {
    /// Which notification.
    pub kind: NotificationKind,
    /// The ticket, as it is after the change (its queue is the new one after a move).
    pub ticket: &'a Ticket,
    /// The agent who caused the event: never told of it.
    pub actor: Option<&'a str>,
    /// The agent the event is about: the new owner or responsible, the owner whose lock ran out, the
    /// author of the reply that bounced.
    pub target: Option<&'a str>,
}

/// An agent who might be told, with what the engine knows of them.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The agent's record.
    pub agent: &'a Agent,
    /// Whether the agent may read the ticket (`ro` on its queue's group, or owner or responsible).
    pub may_read: bool,
}

/// One notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The agent.
    pub login: String,
    /// By which channel.
    pub channel: NotificationChannel,
    /// Where: the agent's mail address or linked chat.
    pub address: String,
}

/// Who receives `event`, on which channels: at most one notification per agent and channel, never to
/// the acting agent, never to invalid agents or agents who may not read the ticket, each channel as
/// the agent chose (when the admin lets agents choose) or as the admin set, and only where the agent
/// has an address (a mail address, a linked chat). `candidates` holds every agent the rule may pick:
/// those with the ticket's queue in "My queues", its owner, responsible, watchers and the event's
/// target; others are ignored.
pub fn recipients(event: &NotifyEvent<'_>, candidates: &[Candidate<'_>], def: &NotificationDef) -> Vec<Recipient> {
    if !def.valid {
        return Vec::new();
    }
    let ticket = event.ticket;
    let eligible = |c: &&Candidate<'_>| c.agent.valid && c.may_read;
    let find = |login: Option<&str>| {
        login.and_then(|l| candidates.iter().find(|c| c.agent.login == l)).filter(|c| eligible(c))
    };
    let my_queue_agents =
        || candidates.iter().filter(|c| eligible(c) && c.agent.my_queues.iter().any(|q| q == &ticket.queue));
    let watchers = || candidates.iter().filter(|c| eligible(c) && ticket.watchers.contains(&c.agent.login));
    let owner_else_queue = || -> Vec<&Candidate<'_>> {
        match find(ticket.owner.as_deref()) {
            Some(owner) => vec![owner],
            None => my_queue_agents().collect(),
        }
    };
    let chosen: Vec<&Candidate<'_>> = match event.kind {
        NotificationKind::NewTicket | NotificationKind::MovedIntoMyQueue => my_queue_agents().collect(),
        NotificationKind::FollowUp | NotificationKind::EscalationWarning | NotificationKind::EscalationBreach => {
            let mut v = owner_else_queue();
            v.extend(find(ticket.responsible.as_deref()));
            v.extend(watchers());
            v
        }
        NotificationKind::ReminderDue => owner_else_queue(),
        NotificationKind::LockTimeout | NotificationKind::OwnerSet | NotificationKind::ResponsibleSet => {
            find(event.target).into_iter().collect()
        }
        NotificationKind::Bounced => match event.target {
            Some(author) => find(Some(author)).into_iter().collect(),
            None => owner_else_queue(),
        },
    };
    let mut out: Vec<Recipient> = Vec::with_capacity(chosen.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(chosen.len());
    for c in chosen {
        let a = c.agent;
        if event.actor == Some(a.login.as_str()) || !seen.insert(a.login.as_str()) {
            continue;
        }
        for channel in NotificationChannel::ALL {
            let own = a.notifications.iter().find(|n| n.kind == event.kind).filter(|_| def.agent_may_choose);
            let wanted = own.map_or(def.default_for(channel), |n| n.wants(channel));
            let address = match channel {
                NotificationChannel::Email => Some(a.email.trim()).filter(|e| e.contains('@')),
                NotificationChannel::Telegram => a.telegram_chat.as_deref().filter(|c| !c.is_empty()),
            };
            if let (true, Some(address)) = (wanted, address) {
                out.push(Recipient { login: a.login.clone(), channel, address: address.to_string() });
            }
        }
    }
    out
}
