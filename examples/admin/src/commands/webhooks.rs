//! `webhooks list|show|add|set|delete|deliveries|replay`: the subscriptions that receive signed events,
//! their deliveries with the latest attempts, and replays. Secrets are printed in full only by the
//! command that made them (`add`, `set --add-secret`); everything else masks them.

use crate::direct::Direct;
use crate::error::{AdminError, Result};
use crate::output::{Output, fields, table};
use crate::remote::Remote;
use crate::secrets::generate_webhook_secret;
use chamado::webhooks::{SECRET_PREFIX, WebhookSecret};
use chamado::{Actor, EventType, OutboxStatus, Timestamp, WebhookDelivery, WebhookSubscription};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::time::Duration;

/// The verbs on webhooks.
#[derive(Debug, Subcommand)]
pub enum WebhooksCmd {
    /// Lists them by id.
    List,
    /// One subscription (secrets masked).
    Show {
        /// The id (`wh_<n>`).
        id: String,
    },
    /// Adds a subscription; without --secret one is generated and printed once.
    Add(AddArgs),
    /// Changes a subscription: what the options name is replaced, the rest stays.
    Set(SetArgs),
    /// Deletes a subscription; what is queued for it becomes a dead letter.
    Delete {
        /// The id.
        id: String,
    },
    /// The latest deliveries, newest first, with their attempts.
    Deliveries {
        /// The id.
        id: String,
        /// At most this many (1 to 500).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
        limit: u16,
    },
    /// Sends one delivery again (--delivery), or every one queued in a time range (--from, --to).
    Replay(ReplayArgs),
}

/// What `add` takes.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The receiver: an http or https URL (private, loopback and link-local addresses are refused
    /// unless --allow-private-targets). Positional: `--url` is the global option of HTTP mode.
    #[arg(value_name = "URL")]
    pub target: String,
    /// An event to send, e.g. ticket.created (repeat for more).
    #[arg(long = "event", value_name = "TYPE", required = true)]
    pub events: Vec<String>,
    /// The signing secret (`whsec_` + base64 of 24 to 64 bytes); generated when absent.
    #[arg(long)]
    pub secret: Option<String>,
    /// Only tickets in this queue (repeat for more).
    #[arg(long = "queue", value_name = "QUEUE")]
    pub queues: Vec<String>,
    /// Only tickets in queues of this group (repeat for more).
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
    /// What it is for.
    #[arg(long)]
    pub description: Option<String>,
    /// Requests in flight to the receiver at most (1 to 64; default 4).
    #[arg(long)]
    pub max_concurrency: Option<u32>,
    /// How long to wait for an answer, in milliseconds (100 to 60000; default 10000).
    #[arg(long)]
    pub timeout_ms: Option<u64>,
    /// Added disabled: nothing is queued for it until enabled.
    #[arg(long)]
    pub disabled: bool,
}

/// What `set` takes.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The id.
    pub id: String,
    /// A new receiver URL (`--url` is the global option of HTTP mode).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The events to send (repeat; replaces them).
    #[arg(long = "event", value_name = "TYPE")]
    pub events: Vec<String>,
    /// Only tickets in this queue (repeat; replaces them).
    #[arg(long = "queue", value_name = "QUEUE", conflicts_with = "any_queue")]
    pub queues: Vec<String>,
    /// Drop the queue filter.
    #[arg(long)]
    pub any_queue: bool,
    /// Only tickets in queues of this group (repeat; replaces them).
    #[arg(long = "group", value_name = "GROUP", conflicts_with = "any_group")]
    pub groups: Vec<String>,
    /// Drop the group filter.
    #[arg(long)]
    pub any_group: bool,
    /// A new description.
    #[arg(long)]
    pub description: Option<String>,
    /// Requests in flight at most (1 to 64).
    #[arg(long)]
    pub max_concurrency: Option<u32>,
    /// Timeout in milliseconds (100 to 60000).
    #[arg(long)]
    pub timeout_ms: Option<u64>,
    /// Enable it (also after a `410 Gone` disabled it).
    #[arg(long, conflicts_with = "disable")]
    pub enable: bool,
    /// Disable it.
    #[arg(long)]
    pub disable: bool,
    /// Add a generated secret (printed once).
    #[arg(long, conflicts_with = "secret")]
    pub add_secret: bool,
    /// Add this secret.
    #[arg(long)]
    pub secret: Option<String>,
    /// The other secrets stop signing this many hours from now (0: at once): a rotation, with
    /// --add-secret, once the receiver knows the new one.
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u64).range(0..=8760))]
    pub expire_secrets_after_hours: Option<u64>,
}

/// What `replay` takes.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The id.
    pub id: String,
    /// The delivery to send again.
    #[arg(long, conflicts_with_all = ["from", "to", "only_failed"], required_unless_present_all = ["from", "to"])]
    pub delivery: Option<u64>,
    /// The range's start: RFC 3339 (2026-12-05T10:00:00Z) or a date (UTC midnight).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// The range's end, not included.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Only dead letters.
    #[arg(long)]
    pub only_failed: bool,
}

/// The operations on webhooks, on the store and through the API.
pub(crate) trait Webhooks {
    /// Every subscription, by id.
    async fn webhooks(&self) -> Result<Vec<WebhookSubscription>>;
    /// One subscription, or `None`.
    async fn webhook_get(&self, id: &str) -> Result<Option<WebhookSubscription>>;
    /// Adds or replaces a subscription (an empty id gets a new one); answers it as stored.
    async fn webhook_put(&self, w: WebhookSubscription) -> Result<WebhookSubscription>;
    /// Deletes a subscription.
    async fn webhook_delete(&self, id: &str) -> Result<()>;
    /// The latest deliveries, newest first.
    async fn webhook_deliveries(&self, id: &str, limit: usize) -> Result<Vec<WebhookDelivery>>;
    /// Sends one delivery again.
    async fn webhook_replay_one(&self, id: &str, delivery: u64) -> Result<WebhookDelivery>;
    /// Sends again those queued in `[from, to)`; answers how many.
    async fn webhook_replay(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize>;
    /// Now, by the store's engine.
    fn now(&self) -> Timestamp;
}

impl Webhooks for Direct {
    async fn webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        Ok(self.engine().admin(&Actor::System).await?.webhooks().await?)
    }

    async fn webhook_get(&self, id: &str) -> Result<Option<WebhookSubscription>> {
        match self.engine().admin(&Actor::System).await?.webhook(id).await {
            Ok(w) => Ok(Some(w)),
            Err(chamado::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn webhook_put(&self, w: WebhookSubscription) -> Result<WebhookSubscription> {
        Ok(self.engine().admin(&Actor::System).await?.put_webhook(w).await?)
    }

    async fn webhook_delete(&self, id: &str) -> Result<()> {
        Ok(self.engine().admin(&Actor::System).await?.delete_webhook(id).await?)
    }

    async fn webhook_deliveries(&self, id: &str, limit: usize) -> Result<Vec<WebhookDelivery>> {
        Ok(self.engine().admin(&Actor::System).await?.webhook_deliveries(id, None, limit).await?)
    }

    async fn webhook_replay_one(&self, id: &str, delivery: u64) -> Result<WebhookDelivery> {
        Ok(self.engine().admin(&Actor::System).await?.replay_webhook_delivery(id, delivery).await?)
    }

    async fn webhook_replay(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize> {
        Ok(self.engine().admin(&Actor::System).await?.replay_webhooks(id, from, to, only_failed).await?)
    }

    fn now(&self) -> Timestamp {
        self.engine().now()
    }
}

/// The HTTP API's webhook endpoints arrive with issue 24's API work; until this command line speaks
/// them, webhooks are administered on the store.
impl Webhooks for Remote {
    async fn webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_get(&self, _id: &str) -> Result<Option<WebhookSubscription>> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_put(&self, _w: WebhookSubscription) -> Result<WebhookSubscription> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_delete(&self, _id: &str) -> Result<()> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_deliveries(&self, _id: &str, _limit: usize) -> Result<Vec<WebhookDelivery>> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_replay_one(&self, _id: &str, _delivery: u64) -> Result<WebhookDelivery> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    async fn webhook_replay(&self, _id: &str, _f: Timestamp, _t: Timestamp, _only_failed: bool) -> Result<usize> {
        Err(AdminError::NotInApi { what: "webhooks" })
    }

    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Timestamp(ms)
    }
}

/// A secret as printed: its first and last characters only.
fn masked(secret: &str) -> String {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let chars: Vec<char> = b64.chars().collect();
    if chars.len() <= 8 {
        return format!("{SECRET_PREFIX}…");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{SECRET_PREFIX}{head}…{tail}")
}

/// A secret as `--json` shows it.
#[derive(Debug, Serialize)]
struct SecretOut {
    secret: String,
    created_at: String,
    expires_at: Option<String>,
}

/// A subscription as `--json` shows it (secrets masked).
#[derive(Debug, Serialize)]
struct WebhookOut {
    id: String,
    url: String,
    events: Vec<EventType>,
    queues: Vec<String>,
    groups: Vec<String>,
    enabled: bool,
    disabled_reason: Option<String>,
    description: String,
    max_concurrency: u32,
    timeout_ms: u64,
    created_at: String,
    secrets: Vec<SecretOut>,
    /// Set only by the command that made a secret: the secret in full, printed once.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_secret: Option<String>,
}

impl WebhookOut {
    fn of(w: &WebhookSubscription, new_secret: Option<String>) -> WebhookOut {
        WebhookOut {
            id: w.id.clone(),
            url: w.url.clone(),
            events: w.events.clone(),
            queues: w.queues.clone(),
            groups: w.groups.clone(),
            enabled: w.enabled,
            disabled_reason: w.disabled_reason.clone(),
            description: w.description.clone(),
            max_concurrency: w.max_concurrency,
            timeout_ms: w.timeout_ms,
            created_at: w.created_at.to_string(),
            secrets: w
                .secrets
                .iter()
                .map(|s| SecretOut {
                    secret: masked(&s.secret),
                    created_at: s.created_at.to_string(),
                    expires_at: s.expires_at.map(|e| e.to_string()),
                })
                .collect(),
            new_secret,
        }
    }
}

fn list_or_dash(v: &[String]) -> String {
    if v.is_empty() { "-".into() } else { v.join(", ") }
}

fn event_names(events: &[EventType]) -> String {
    events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
}

fn state(w: &WebhookSubscription) -> String {
    match (&w.enabled, &w.disabled_reason) {
        (true, _) => "enabled".into(),
        (false, Some(why)) => format!("disabled ({why})"),
        (false, None) => "disabled".into(),
    }
}

fn one_webhook(w: &WebhookSubscription, now: Timestamp) -> String {
    let secrets: Vec<String> = w
        .secrets
        .iter()
        .map(|s| match s.expires_at {
            None => masked(&s.secret),
            Some(e) if e > now => format!("{} (until {e})", masked(&s.secret)),
            Some(e) => format!("{} (expired {e})", masked(&s.secret)),
        })
        .collect();
    fields(&[
        ("id", w.id.clone()),
        ("url", w.url.clone()),
        ("events", event_names(&w.events)),
        ("queues", list_or_dash(&w.queues)),
        ("groups", list_or_dash(&w.groups)),
        ("state", state(w)),
        ("max concurrency", w.max_concurrency.to_string()),
        ("timeout", format!("{} ms", w.timeout_ms)),
        ("secrets", secrets.join(", ")),
        ("created", w.created_at.to_string()),
        ("description", w.description.clone()),
    ])
}

/// The event types named on the command line.
fn event_types(names: &[String]) -> Result<Vec<EventType>> {
    let mut out = Vec::new();
    for n in names {
        let t = EventType::parse(n.trim()).ok_or_else(|| {
            let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            AdminError::Usage(format!("--event {n:?}: no such event; give one of {}", known.join(", ")))
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// A time on the command line: RFC 3339, or a date meaning its first instant in UTC.
fn time_option(option: &str, s: &str) -> Result<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(Timestamp(t.as_millisecond()));
    }
    if s.len() == 10
        && let Ok(midnight) = format!("{s}T00:00").parse::<jiff::civil::DateTime>()
        && let Ok(z) = midnight.to_zoned_datetime(jiff::tz::TimeZone::UTC)
    {
        return Ok(Timestamp(z.timestamp().as_millisecond()));
    }
    Err(AdminError::Usage(format!("{option} {s:?}: give an RFC 3339 time (2026-12-05T10:00:00Z) or a date")))
}

fn status_name(s: OutboxStatus) -> &'static str {
    match s {
        OutboxStatus::Pending => "pending",
        OutboxStatus::Sent => "sent",
        OutboxStatus::Failed => "dead letter",
    }
}

/// The ticket number an event's data names, for the table.
fn ticket_number(d: &WebhookDelivery) -> String {
    d.event()
        .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.data).ok())
        .and_then(|v| v.get("ticket")?.get("number")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "-".into())
}

/// The deliveries as a table with each one's attempts below it.
fn deliveries_text(found: &[WebhookDelivery]) -> String {
    if found.is_empty() {
        return "(none)".into();
    }
    let mut out = String::new();
    for d in found {
        let rows = vec![vec![
            d.id.to_string(),
            d.event().map_or("-", |e| e.event_type.as_str()).to_string(),
            ticket_number(d),
            status_name(d.status).to_string(),
            d.attempts.to_string(),
            if d.status == OutboxStatus::Pending { d.next_attempt_at.to_string() } else { "-".into() },
            d.created_at.to_string(),
        ]];
        out.push_str(&table(&["DELIVERY", "EVENT", "TICKET", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "QUEUED"], &rows));
        out.push('\n');
        for a in d.recent_attempts.iter().rev() {
            let status = a.status.map_or_else(|| "-".to_string(), |s| s.to_string());
            let error = a.error.as_deref().unwrap_or("ok");
            out.push_str(&format!("    {}  HTTP {status}  {} ms  {error}\n", a.at, a.latency_ms));
        }
    }
    out.trim_end().to_string()
}

/// The subscription `add` stores.
fn added(a: AddArgs) -> Result<(WebhookSubscription, String)> {
    let secret = match a.secret {
        Some(s) => s.trim().to_string(),
        None => generate_webhook_secret()?,
    };
    let mut w = WebhookSubscription::new("", a.target.trim(), event_types(&a.events)?, &secret);
    w.queues = a.queues;
    w.groups = a.groups;
    w.description = a.description.unwrap_or_default();
    w.enabled = !a.disabled;
    if let Some(n) = a.max_concurrency {
        w.max_concurrency = n;
    }
    if let Some(ms) = a.timeout_ms {
        w.timeout_ms = ms;
    }
    Ok((w, secret))
}

/// `w` changed as `set` says; answers the secret it added, if any.
fn changed(w: &mut WebhookSubscription, a: SetArgs, now: Timestamp) -> Result<Option<String>> {
    if let Some(u) = a.endpoint {
        w.url = u.trim().to_string();
    }
    if !a.events.is_empty() {
        w.events = event_types(&a.events)?;
    }
    if a.any_queue {
        w.queues.clear();
    } else if !a.queues.is_empty() {
        w.queues = a.queues;
    }
    if a.any_group {
        w.groups.clear();
    } else if !a.groups.is_empty() {
        w.groups = a.groups;
    }
    if let Some(d) = a.description {
        w.description = d;
    }
    if let Some(n) = a.max_concurrency {
        w.max_concurrency = n;
    }
    if let Some(ms) = a.timeout_ms {
        w.timeout_ms = ms;
    }
    if a.enable {
        w.enabled = true;
    }
    if a.disable {
        w.enabled = false;
    }
    if let Some(hours) = a.expire_secrets_after_hours {
        let ends = now.plus(Duration::from_secs(hours * 3600));
        // Those that ended already go; the others end at the earlier of their own end and `ends`.
        w.secrets.retain(|s| s.expires_at.is_none_or(|e| e > now));
        for s in &mut w.secrets {
            s.expires_at = Some(s.expires_at.map_or(ends, |e| e.min(ends)));
        }
    }
    let new = match (a.add_secret, a.secret) {
        (_, Some(s)) => Some(s.trim().to_string()),
        (true, None) => Some(generate_webhook_secret()?),
        (false, None) => None,
    };
    if let Some(s) = &new {
        w.secrets.push(WebhookSecret { secret: s.clone(), created_at: Timestamp::EPOCH, expires_at: None });
    }
    Ok(new)
}

/// Runs a `webhooks` command.
pub(crate) async fn run<B: Webhooks>(b: &B, cmd: WebhooksCmd) -> Result<Output> {
    let missing = |id: &str| AdminError::NotFound { what: "webhook", key: id.to_string() };
    match cmd {
        WebhooksCmd::List => {
            let found = b.webhooks().await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|w| vec![w.id.clone(), w.url.clone(), event_names(&w.events), state(w), w.description.clone()])
                .collect();
            let out: Vec<WebhookOut> = found.iter().map(|w| WebhookOut::of(w, None)).collect();
            Ok(Output::new(table(&["ID", "URL", "EVENTS", "STATE", "DESCRIPTION"], &rows), &out))
        }
        WebhooksCmd::Show { id } => {
            let w = b.webhook_get(&id).await?.ok_or_else(|| missing(&id))?;
            Ok(Output::new(one_webhook(&w, b.now()), &WebhookOut::of(&w, None)))
        }
        WebhooksCmd::Add(args) => {
            let (w, secret) = added(args)?;
            let stored = b.webhook_put(w).await?;
            let text = format!(
                "webhook {:?} added\nsecret (shown once, give it to the receiver): {secret}\n{}",
                stored.id,
                one_webhook(&stored, b.now())
            );
            Ok(Output::new(text, &WebhookOut::of(&stored, Some(secret))))
        }
        WebhooksCmd::Set(args) => {
            let id = args.id.clone();
            let mut w = b.webhook_get(&id).await?.ok_or_else(|| missing(&id))?;
            let new = changed(&mut w, args, b.now())?;
            let stored = b.webhook_put(w).await?;
            let mut text = format!("webhook {id:?} changed\n");
            if let Some(s) = &new {
                text.push_str(&format!("new secret (shown once, give it to the receiver): {s}\n"));
            }
            text.push_str(&one_webhook(&stored, b.now()));
            Ok(Output::new(text, &WebhookOut::of(&stored, new)))
        }
        WebhooksCmd::Delete { id } => {
            b.webhook_get(&id).await?.ok_or_else(|| missing(&id))?;
            b.webhook_delete(&id).await?;
            Ok(Output::done(format!("webhook {id:?} deleted"), serde_json::json!({ "id": id })))
        }
        WebhooksCmd::Deliveries { id, limit } => {
            let found = b.webhook_deliveries(&id, usize::from(limit)).await?;
            Ok(Output::new(deliveries_text(&found), &found))
        }
        WebhooksCmd::Replay(r) => match (r.delivery, r.from, r.to) {
            (Some(d), _, _) => {
                let replayed = b.webhook_replay_one(&r.id, d).await?;
                Ok(Output::done(
                    format!("delivery {d} of webhook {:?} will be sent again", r.id),
                    serde_json::json!({ "replayed": 1, "delivery": replayed }),
                ))
            }
            (None, Some(from), Some(to)) => {
                let (from, to) = (time_option("--from", &from)?, time_option("--to", &to)?);
                if to <= from {
                    return Err(AdminError::Usage("--to must come after --from".into()));
                }
                let n = b.webhook_replay(&r.id, from, to, r.only_failed).await?;
                Ok(Output::done(
                    format!("{n} deliveries of webhook {:?} will be sent again", r.id),
                    serde_json::json!({ "replayed": n }),
                ))
            }
            _ => Err(AdminError::Usage("replay needs --delivery N, or --from and --to".into())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_or_dates() {
        assert_eq!(time_option("--from", "2026-12-05T10:00:00Z").ok(), Some(Timestamp(1_796_464_800_000)));
        assert_eq!(time_option("--from", "2026-12-05T07:00:00-03:00").ok(), Some(Timestamp(1_796_464_800_000)));
        assert_eq!(time_option("--from", "2026-12-05").ok(), Some(Timestamp(1_796_428_800_000)));
        assert!(time_option("--from", "yesterday").is_err());
    }

    #[test]
    fn secrets_are_masked_and_events_checked() {
        assert_eq!(masked("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_MfKQ…LaSw");
        assert_eq!(event_types(&["ticket.created".into(), "ticket.created".into()]).ok().map(|v| v.len()), Some(1));
        assert!(event_types(&["ticket.nothing".into()]).is_err());
    }
}
