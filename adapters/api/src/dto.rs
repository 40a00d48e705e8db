//! The JSON shapes of tickets, articles and history.

use chamado::sla::ClockKind;
use chamado::{Actor, Article, EscalationView, HistoryEntry, Priority, Ticket, TicketView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A ticket without its articles (listings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketSummary {
    /// The ticket number, the public identifier.
    pub number: String,
    /// Title.
    pub title: String,
    /// State name, e.g. `open`.
    pub state: String,
    /// State type: `new`, `open`, `pending_reminder`, `pending_auto`, `closed`, `merged`, `removed`.
    pub state_type: String,
    /// Queue name.
    pub queue: String,
    /// Priority name, e.g. `3 normal`.
    pub priority: String,
    /// Service, if any.
    pub service: Option<String>,
    /// The SLA the ticket chose (one of its service's), if any.
    pub sla: Option<String>,
    /// The customer user's login.
    pub customer_user: Option<String>,
    /// The customer's id.
    pub customer_id: Option<String>,
    /// The owner agent's login.
    pub owner: Option<String>,
    /// The responsible agent's login.
    pub responsible: Option<String>,
    /// `lock` or `unlock`.
    pub lock: String,
    /// The channel it came in by: `email`, `web`, `phone`, `chat`.
    pub channel: String,
    /// For pending states: when it is due (RFC 3339).
    pub pending_until: Option<String>,
    /// When it was opened (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its time promises: the three escalation clocks.
    pub escalation: EscalationOut,
}

impl TicketSummary {
    /// Ticket `t` with its clocks as [`chamado::Engine::escalation_view`] shows them.
    pub fn new(t: &Ticket, escalation: &EscalationView) -> Self {
        TicketSummary {
            number: t.number.clone(),
            title: t.title.clone(),
            state: t.state.clone(),
            state_type: t.state_type.as_str().to_string(),
            queue: t.queue.clone(),
            priority: t.priority.name().to_string(),
            service: t.service.clone(),
            sla: t.sla.clone(),
            customer_user: t.customer_user.clone(),
            customer_id: t.customer_id.clone(),
            owner: t.owner.clone(),
            responsible: t.responsible.clone(),
            lock: match t.lock {
                chamado::Lock::Lock => "lock",
                chamado::Lock::Unlock => "unlock",
            }
            .to_string(),
            channel: t.channel.as_str().to_string(),
            pending_until: t.pending_until.map(|p| p.to_string()),
            created_at: t.created_at.to_string(),
            updated_at: t.changed_at.to_string(),
            escalation: EscalationOut::from(escalation),
        }
    }
}

/// A ticket's escalation clocks: first response, update and solution, each counted in working minutes of
/// the calendar in force (the SLA's, else the queue's fallback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EscalationOut {
    /// The SLA in force (`null`: the queue's fallback targets, or none).
    pub sla: Option<String>,
    /// The calendar the clocks count by (`null`: around the clock, UTC).
    pub calendar: Option<String>,
    /// When the first response is due (RFC 3339); `null` while that clock is not running.
    pub first_response_due: Option<String>,
    /// When the next update is due (RFC 3339); `null` while that clock is not running.
    pub update_due: Option<String>,
    /// When the solution is due (RFC 3339); `null` while that clock is not running.
    pub solution_due: Option<String>,
    /// Whether the latest finished first-response run met its target (`null`: none finished).
    pub first_response_met: Option<bool>,
    /// Whether the latest finished update run met its target (`null`: none finished).
    pub update_met: Option<bool>,
    /// Whether the latest finished solution run met its target (`null`: none finished).
    pub solution_met: Option<bool>,
    /// Working minutes left for the first response, negative when overdue (`null`: not counting).
    pub first_response_left_minutes: Option<i64>,
    /// Working minutes left for the update, negative when overdue (`null`: not counting).
    pub update_left_minutes: Option<i64>,
    /// Working minutes left for the solution, negative when overdue (`null`: not counting).
    pub solution_left_minutes: Option<i64>,
    /// The first-response clock counts but stands still (a pausing state).
    pub first_response_paused: bool,
    /// The update clock counts but stands still.
    pub update_paused: bool,
    /// The solution clock counts but stands still.
    pub solution_paused: bool,
    /// The first-response target in working minutes (0: that clock does not run).
    pub first_response_target_minutes: i64,
    /// The update target in working minutes (0: that clock does not run).
    pub update_target_minutes: i64,
    /// The solution target in working minutes (0: that clock does not run).
    pub solution_target_minutes: i64,
    /// A running clock passed its due time (as of the last tick).
    pub escalated: bool,
    /// A running clock passed its warning point and none its due time.
    pub at_risk: bool,
}

impl From<&EscalationView> for EscalationOut {
    fn from(v: &EscalationView) -> Self {
        let due = |k: ClockKind| v.clock(k).and_then(|c| c.due).map(|d| d.to_string());
        let met = |k: ClockKind| v.clock(k).and_then(|c| c.met);
        let left = |k: ClockKind| v.clock(k).and_then(|c| c.left_minutes);
        let paused = |k: ClockKind| v.clock(k).is_some_and(|c| c.paused);
        let target = |k: ClockKind| v.clock(k).map_or(0, |c| c.target_minutes);
        use ClockKind::{FirstResponse as F, Solution as S, Update as U};
        EscalationOut {
            sla: v.sla.clone(),
            calendar: v.calendar.clone(),
            first_response_due: due(F),
            update_due: due(U),
            solution_due: due(S),
            first_response_met: met(F),
            update_met: met(U),
            solution_met: met(S),
            first_response_left_minutes: left(F),
            update_left_minutes: left(U),
            solution_left_minutes: left(S),
            first_response_paused: paused(F),
            update_paused: paused(U),
            solution_paused: paused(S),
            first_response_target_minutes: target(F),
            update_target_minutes: target(U),
            solution_target_minutes: target(S),
            escalated: v.escalated,
            at_risk: v.at_risk,
        }
    }
}

/// A ticket with the articles the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketOut {
    /// The ticket's fields.
    #[serde(flatten)]
    pub ticket: TicketSummary,
    /// Articles, oldest first; customers get only the customer-visible ones.
    pub articles: Vec<ArticleOut>,
    /// The agents watching the ticket (told of its follow-ups), by login; shown to agents only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watchers: Option<Vec<String>>,
    /// Whether the caller watches the ticket (`PUT`/`DELETE /api/v1/tickets/{number}/watch`).
    #[serde(default)]
    pub watching: bool,
}

/// Ticket `v` as `actor` is shown it, with its clocks as they stand now.
pub async fn ticket_out(engine: &chamado::Engine, v: &TicketView, actor: &Actor) -> chamado::Result<TicketOut> {
    let escalation = engine.escalation_view(&v.ticket, engine.now()).await?;
    Ok(TicketOut::for_caller(v, actor, &escalation))
}

/// Tickets as listings show them, each with its clocks as they stand now.
pub async fn summaries<'a>(
    engine: &chamado::Engine,
    tickets: impl IntoIterator<Item = &'a Ticket>,
) -> chamado::Result<Vec<TicketSummary>> {
    let now = engine.now();
    let mut out = Vec::new();
    for t in tickets {
        out.push(TicketSummary::new(t, &engine.escalation_view(t, now).await?));
    }
    Ok(out)
}

impl TicketOut {
    /// Ticket `v` as `actor` is shown it, with its clocks (`escalation`, from
    /// [`chamado::Engine::escalation_view`]): agents see who watches it.
    pub fn for_caller(v: &TicketView, actor: &Actor, escalation: &EscalationView) -> Self {
        let (watchers, watching) = match actor {
            Actor::Agent(login) => (Some(v.ticket.watchers.clone()), v.ticket.watchers.iter().any(|w| w == login)),
            _ => (None, false),
        };
        TicketOut {
            ticket: TicketSummary::new(&v.ticket, escalation),
            articles: v.articles.iter().map(|a| ArticleOut::of(&v.ticket.number, a)).collect(),
            watchers,
            watching,
        }
    }
}

/// An attachment's description; the bytes are downloaded from `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttachmentOut {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Shown inline rather than attached.
    pub inline: bool,
    /// The SHA-256 of the bytes, 64 hex digits.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// Where the bytes are downloaded (with the caller's credentials), e.g.
    /// `/api/v1/tickets/2026112710000017/articles/5/attachments/0`.
    pub url: String,
}

/// One message of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ArticleOut {
    /// Article id.
    pub id: u64,
    /// `customer`, `agent` or `system`.
    pub sender: String,
    /// Channel: `email`, `web`, `phone`, `chat`, `internal`.
    pub channel: String,
    /// False for internal notes.
    pub visible_to_customer: bool,
    /// Author as shown.
    pub from: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Attachments.
    pub attachments: Vec<AttachmentOut>,
    /// For inbound mail: what was verified about the sender, e.g. `DMARC pass` or
    /// `unauthenticated sender (DMARC fail, SPF none, DKIM none)`; `null` for other articles.
    pub sender_auth: Option<String>,
}

impl ArticleOut {
    /// Article `a` of ticket `number` (the ticket the article's download URLs name).
    pub fn of(number: &str, a: &Article) -> Self {
        ArticleOut {
            id: a.id.0,
            sender: a.sender.as_str().to_string(),
            channel: a.channel.as_str().to_string(),
            visible_to_customer: a.visible_to_customer,
            from: a.from.clone(),
            subject: a.subject.clone(),
            body: a.body.clone(),
            created_at: a.created_at.to_string(),
            sender_auth: a.sender_auth.as_ref().map(chamado::SenderAuth::summary),
            attachments: a
                .attachments
                .iter()
                .enumerate()
                .map(|(i, x)| AttachmentOut {
                    name: x.name.clone(),
                    content_type: x.content_type.clone(),
                    size: x.size,
                    inline: x.inline,
                    sha256: x.sha256.to_string(),
                    url: super::attachments::attachment_url(number, a.id, i),
                })
                .collect(),
        }
    }
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryOut {
    /// When (RFC 3339).
    pub at: String,
    /// Who: `customer:<login>`, `agent:<login>`, `system`.
    pub actor: String,
    /// Kind of change, e.g. `state_changed`.
    pub kind: String,
    /// What changed.
    pub message: String,
}

impl From<&HistoryEntry> for HistoryOut {
    fn from(h: &HistoryEntry) -> Self {
        let kind = serde_json::to_value(h.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        HistoryOut { at: h.at.to_string(), actor: h.actor.clone(), kind, message: h.message.clone() }
    }
}

/// A priority as a level `1`..`5` or a name like `3 normal` or `high`; its schema is
/// [`PriorityIn::schema`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PriorityIn {
    /// 1 (very low) to 5 (very high); any JSON number with that integer value (`3.0` is the integer 3
    /// in JSON Schema).
    Level(serde_json::Number),
    /// `3 normal`, `normal`, `3`.
    Name(String),
}

impl PriorityIn {
    /// The engine's priority, or a validation error. Names are taken exactly as the schema lists them
    /// ([`PriorityIn::spellings`]), so the document says all that is accepted.
    pub fn parse(&self) -> chamado::Result<Priority> {
        match self {
            PriorityIn::Level(l) => match l.as_f64() {
                Some(f) if f.fract() == 0.0 && (1.0..=5.0).contains(&f) => Priority::new(f as u8),
                _ => Err(chamado::Error::validation(format!(
                    "priority {l} is not between 1 (very low) and 5 (very high)"
                ))),
            },
            PriorityIn::Name(n) => Priority::all().find(|p| spellings_of(*p).contains(n)).ok_or_else(|| {
                chamado::Error::validation(format!("priority {n:?} is unknown; use 1..5 or a name like \"3 normal\""))
            }),
        }
    }

    /// Every accepted name: `3`, `3 normal` and `normal` for each level.
    pub fn spellings() -> Vec<String> {
        Priority::all().flat_map(spellings_of).collect()
    }

    /// The schema: a level or one of [`PriorityIn::spellings`].
    pub fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        chamado_api_types::rules::priority(&Self::spellings(), false)
    }

    /// [`PriorityIn::schema`], or `null` for "unchanged".
    pub fn schema_or_null() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        chamado_api_types::rules::priority(&Self::spellings(), true)
    }
}

fn spellings_of(p: Priority) -> [String; 3] {
    let name = p.name();
    [p.level().to_string(), name.to_string(), name.split_once(' ').map_or(name, |(_, n)| n).to_string()]
}
