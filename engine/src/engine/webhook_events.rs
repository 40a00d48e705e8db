//! Events from commits: every commit that writes a ticket appends, in the same commit, what its history
//! says happened to the event log. A crash after the commit loses none; nothing is logged (or sent) for a
//! commit that failed. Webhook deliveries are made from the log by the delivery loop
//! ([`Engine::claim_webhook_chains`]), so that subscriptions cost the commits that cause events nothing.

use super::Engine;
use crate::directory::Record;
use crate::error::Result;
use crate::history::{HistoryArg, HistoryEntry, HistoryKind};
use crate::sla::ClockKind;
use crate::store::Commit;
use crate::ticket::Ticket;
use crate::time::Timestamp;
use crate::webhooks::{EventRecord, EventType, PayloadPart};
use serde_json::json;

/// Events of one ticket in one commit (its version leaves room for this many, see [`EventRecord::order`]).
const EVENTS_PER_COMMIT: u64 = 256;

impl Engine {
    /// Appends the events the commit's history records, and their fan-out entries, to `commit`.
    pub(super) async fn seal_events(&self, commit: &mut Commit, now: Timestamp) -> Result<()> {
        if commit.history.is_empty() {
            return Ok(());
        }
        for w in &commit.tickets {
            let t = &w.ticket;
            let found = ticket_events(t, commit);
            if found.is_empty() {
                continue;
            }
            let mut events = Vec::with_capacity(found.len());
            for (i, (event_type, actor, parts)) in found.into_iter().enumerate() {
                let mut all = vec![("ticket", PayloadPart::Ticket(t))];
                all.extend(parts);
                events.push(EventRecord {
                    seq: 0,
                    id: format!("evt_{}", self.next_id("event").await?),
                    event_type,
                    at: now,
                    ticket_id: Some(t.id),
                    queue: Some(t.queue.clone()),
                    order: t.version.saturating_mul(EVENTS_PER_COMMIT).saturating_add(i as u64),
                    data: crate::webhooks::payload_data(&actor, &all),
                });
            }
            commit.events.extend(events);
        }
        Ok(())
    }

    /// Adds the event of a directory change (a customer or customer user written by `actor`) to `commit`,
    /// which writes `record`.
    pub(super) async fn directory_event(&self, record: &Record, actor: &str, commit: &mut Commit) -> Result<()> {
        let (event_type, part) = match record {
            Record::Customer(c) => {
                (EventType::CustomerChanged, ("customer", PayloadPart::Value(crate::webhooks::payload_customer(c))))
            }
            Record::CustomerUser(u) => (
                EventType::CustomerUserChanged,
                ("customer_user", PayloadPart::Value(crate::webhooks::payload_customer_user(u))),
            ),
            _ => return Ok(()),
        };
        let now = self.now();
        let event = EventRecord {
            seq: 0,
            id: format!("evt_{}", self.next_id("event").await?),
            event_type,
            at: now,
            ticket_id: None,
            queue: None,
            order: 0,
            data: crate::webhooks::payload_data(actor, &[part]),
        };
        commit.events.push(event);
        Ok(())
    }
}

/// One event found in a commit: type, actor, payload parts beside the ticket.
type FoundEvent<'a> = (EventType, String, Vec<(&'static str, PayloadPart<'a>)>);

/// What happened to `t` in `commit`, in the order of its history lines: type, actor, payload parts
/// beside the ticket.
fn ticket_events<'a>(t: &Ticket, commit: &'a Commit) -> Vec<FoundEvent<'a>> {
    let lines: Vec<&HistoryEntry> = commit.history.iter().filter(|h| h.ticket_id == t.id).collect();
    // A merge moves articles (and writes them again): that is one merge, not new articles.
    let merge = lines.iter().any(|h| h.kind == HistoryKind::Merged);
    let mut out = Vec::new();
    for h in lines {
        let key = h.text.as_ref().map_or("", |x| x.key.as_str());
        let arg = |name: &str| -> Option<String> {
            h.text.as_ref()?.args.iter().find(|(n, _)| n == name).map(|(_, v)| match v {
                HistoryArg::Text(s) | HistoryArg::Key(s) => s.clone(),
                HistoryArg::Integer(n) => n.to_string(),
            })
        };
        let change =
            |from: Option<String>, to: Option<String>| ("change", PayloadPart::Value(json!({"from": from, "to": to})));
        let (event_type, parts) = match h.kind {
            HistoryKind::Created => (EventType::TicketCreated, Vec::new()),
            HistoryKind::ArticleAdded | HistoryKind::FollowUp if !merge => {
                let Some(article) = arg("article")
                    .and_then(|id| id.parse::<u64>().ok())
                    .and_then(|id| commit.articles.iter().find(|a| a.id.0 == id && a.ticket_id == t.id))
                else {
                    continue;
                };
                (EventType::ArticleAdded, vec![("article", PayloadPart::Article(article))])
            }
            HistoryKind::StateChanged => (EventType::StateChanged, vec![change(arg("from"), arg("to"))]),
            HistoryKind::PriorityChanged => (EventType::PriorityChanged, vec![change(arg("from"), arg("to"))]),
            HistoryKind::QueueChanged => (EventType::QueueChanged, vec![change(arg("from"), arg("to"))]),
            HistoryKind::TitleChanged => (EventType::TitleChanged, vec![change(arg("from"), arg("to"))]),
            HistoryKind::OwnerChanged => (EventType::OwnerChanged, vec![change(None, t.owner.clone())]),
            HistoryKind::ResponsibleChanged => {
                (EventType::ResponsibleChanged, vec![change(None, t.responsible.clone())])
            }
            HistoryKind::LockChanged => {
                let locked = matches!(t.lock, crate::Lock::Lock);
                (EventType::LockChanged, vec![("change", PayloadPart::Value(json!({"locked": locked})))])
            }
            HistoryKind::CustomerChanged => (EventType::TicketCustomerChanged, Vec::new()),
            HistoryKind::ServiceChanged => (EventType::ServiceChanged, Vec::new()),
            HistoryKind::SlaChanged => (EventType::SlaChanged, Vec::new()),
            HistoryKind::Merged => {
                let other = arg("number");
                let (source, target) = match key {
                    "history-merged-into" => (Some(t.number.clone()), other),
                    _ => (other, Some(t.number.clone())),
                };
                (EventType::Merged, vec![("merge", PayloadPart::Value(json!({"source": source, "target": target})))])
            }
            HistoryKind::Escalation => {
                let event_type = match key {
                    "history-escalation-breach" => EventType::EscalationBreach,
                    _ => EventType::EscalationWarning,
                };
                let clock = arg("clock").and_then(|k| {
                    [ClockKind::FirstResponse, ClockKind::Update, ClockKind::Solution]
                        .into_iter()
                        .find(|c| super::escalation::clock_name(*c) == k)
                });
                (event_type, vec![("escalation", PayloadPart::Value(json!({"clock": clock, "due": arg("due")})))])
            }
            _ => continue,
        };
        out.push((event_type, h.actor.clone(), parts));
    }
    out
}
