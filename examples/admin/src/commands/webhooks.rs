//! `webhooks list|show|add|set|delete|deliveries|replay`: the subscriptions that receive signed events,
//! their deliveries with the latest attempts, and replays, on the store ([`direct`]) or through the
//! helpdesk's `/api/v1/webhooks` ([`remote`]). Both answer in the API's shapes, so a command prints the
//! same either way. Secrets are printed in full only by the command that made them (`add`,
//! `set --add-secret`); everything else masks them as the API does (`whsec_…` and the last four
//! characters).

mod direct;
mod remote;

use crate::error::{AdminError, Result};
use crate::output::{Output, fields, table};
use crate::secrets::generate_webhook_secret;
use chamado::webhooks::check_secret;
use chamado::{EventType, Timestamp, WebhookSubscription};
use chamado_api_types::webhooks::{DeliveryOut, DeliveryStatus, WebhookOut as Shown, WebhookPatch};
use clap::{Args, Subcommand};
use serde::Serialize;

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
    /// With --add-secret or --secret: the other secrets stop signing this many hours from now (0: at
    /// once; those ended already are dropped). A rotation, once the receiver knows the new secret.
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

/// The operations on webhooks, on the store and through the API, in the API's shapes (secrets masked).
pub(crate) trait Webhooks {
    /// Every subscription, by id.
    async fn webhooks(&self) -> Result<Vec<Shown>>;
    /// One subscription, or `None`.
    async fn webhook_get(&self, id: &str) -> Result<Option<Shown>>;
    /// Adds a subscription (its id empty, one secret); answers it as stored.
    async fn webhook_add(&self, w: WebhookSubscription) -> Result<Shown>;
    /// Changes the fields `p` names.
    async fn webhook_patch(&self, id: &str, p: WebhookPatch) -> Result<Shown>;
    /// Adds `secret`; with `expire_old_after_hours`, the other secrets stop signing that many hours
    /// from now (those ended are dropped).
    async fn webhook_add_secret(&self, id: &str, secret: &str, expire_old_after_hours: Option<u32>) -> Result<Shown>;
    /// Deletes a subscription.
    async fn webhook_delete(&self, id: &str) -> Result<()>;
    /// The latest deliveries, newest first.
    async fn webhook_deliveries(&self, id: &str, limit: usize) -> Result<Vec<DeliveryOut>>;
    /// Sends one delivery again; refused while it waits to be sent.
    async fn webhook_replay_one(&self, id: &str, delivery: u64) -> Result<DeliveryOut>;
    /// Sends again those queued in `[from, to)`; answers how many.
    async fn webhook_replay(&self, id: &str, from: Timestamp, to: Timestamp, only_failed: bool) -> Result<usize>;
}

/// A secret as `--json` shows it.
#[derive(Debug, Serialize)]
struct SecretJson {
    /// Masked.
    secret: String,
    created_at: String,
    expires_at: Option<String>,
    active: bool,
}

/// A subscription as `--json` shows it (secrets masked).
#[derive(Debug, Serialize)]
struct WebhookJson {
    id: String,
    url: String,
    events: Vec<String>,
    queues: Vec<String>,
    groups: Vec<String>,
    enabled: bool,
    disabled_reason: Option<String>,
    description: String,
    max_concurrency: u32,
    timeout_ms: u64,
    created_at: String,
    secrets: Vec<SecretJson>,
    /// Set only by the command that made a secret: the secret in full, printed once.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_secret: Option<String>,
}

impl WebhookJson {
    fn of(w: &Shown, new_secret: Option<String>) -> WebhookJson {
        WebhookJson {
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
            created_at: w.created_at.clone(),
            secrets: w
                .secrets
                .iter()
                .map(|s| SecretJson {
                    secret: s.masked.clone(),
                    created_at: s.created_at.clone(),
                    expires_at: s.expires_at.clone(),
                    active: s.active,
                })
                .collect(),
            new_secret,
        }
    }
}

fn list_or_dash(v: &[String]) -> String {
    if v.is_empty() { "-".into() } else { v.join(", ") }
}

fn state(w: &Shown) -> String {
    match (&w.enabled, &w.disabled_reason) {
        (true, _) => "enabled".into(),
        (false, Some(why)) => format!("disabled ({why})"),
        (false, None) => "disabled".into(),
    }
}

fn one_webhook(w: &Shown) -> String {
    let secrets: Vec<String> = w
        .secrets
        .iter()
        .map(|s| match (&s.expires_at, s.active) {
            (None, _) => s.masked.clone(),
            (Some(e), true) => format!("{} (until {e})", s.masked),
            (Some(e), false) => format!("{} (expired {e})", s.masked),
        })
        .collect();
    fields(&[
        ("id", w.id.clone()),
        ("url", w.url.clone()),
        ("events", w.events.join(", ")),
        ("queues", list_or_dash(&w.queues)),
        ("groups", list_or_dash(&w.groups)),
        ("state", state(w)),
        ("max concurrency", w.max_concurrency.to_string()),
        ("timeout", format!("{} ms", w.timeout_ms)),
        ("secrets", secrets.join(", ")),
        ("created", w.created_at.clone()),
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

fn status_name(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Pending => "pending",
        DeliveryStatus::Sent => "sent",
        DeliveryStatus::DeadLetter => "dead letter",
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() { "-".into() } else { s.to_string() }
}

/// The deliveries as a table with each one's attempts, newest first, below it.
fn deliveries_text(found: &[DeliveryOut]) -> String {
    if found.is_empty() {
        return "(none)".into();
    }
    let mut out = String::new();
    for d in found {
        let rows = vec![vec![
            d.id.to_string(),
            or_dash(&d.event_type),
            or_dash(d.ticket_number.as_deref().unwrap_or_default()),
            status_name(d.status).to_string(),
            d.attempts.to_string(),
            or_dash(d.next_attempt_at.as_deref().unwrap_or_default()),
            d.created_at.clone(),
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

/// A `u64` option that the API carries as a `u32`: larger ones become `u32::MAX`, out of every range.
fn narrow(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What `set` changes: the fields (a merge patch) and the secret to add with the other secrets' end.
type Change = (WebhookPatch, Option<(String, Option<u32>)>);

/// What `set` asks for.
fn changed(a: SetArgs) -> Result<Change> {
    let mut p = WebhookPatch {
        url: a.endpoint.map(|u| u.trim().to_string()),
        description: a.description,
        max_concurrency: a.max_concurrency,
        timeout_ms: a.timeout_ms.map(narrow),
        ..WebhookPatch::default()
    };
    if !a.events.is_empty() {
        p.events = Some(event_types(&a.events)?.iter().map(|e| e.as_str().to_string()).collect());
    }
    if a.any_queue {
        p.queues = Some(Vec::new());
    } else if !a.queues.is_empty() {
        p.queues = Some(a.queues);
    }
    if a.any_group {
        p.groups = Some(Vec::new());
    } else if !a.groups.is_empty() {
        p.groups = Some(a.groups);
    }
    if a.enable {
        p.enabled = Some(true);
    }
    if a.disable {
        p.enabled = Some(false);
    }
    let secret = match (a.add_secret, a.secret) {
        (_, Some(s)) => Some(s.trim().to_string()),
        (true, None) => Some(generate_webhook_secret()?),
        (false, None) => None,
    };
    let hours = a.expire_secrets_after_hours.map(narrow);
    match secret {
        Some(s) => {
            // Checked before anything changes, so a bad secret leaves the fields as they were too.
            check_secret(&s)?;
            Ok((p, Some((s, hours))))
        }
        None if hours.is_some() => Err(AdminError::Usage(
            "--expire-secrets-after-hours goes with --add-secret or --secret: the other secrets end, the new one \
             signs on"
                .into(),
        )),
        None => Ok((p, None)),
    }
}

/// Runs a `webhooks` command.
pub(crate) async fn run<B: Webhooks>(b: &B, cmd: WebhooksCmd) -> Result<Output> {
    let missing = |id: &str| AdminError::NotFound { what: "webhook", key: id.to_string() };
    match cmd {
        WebhooksCmd::List => {
            let found = b.webhooks().await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|w| vec![w.id.clone(), w.url.clone(), w.events.join(", "), state(w), w.description.clone()])
                .collect();
            let out: Vec<WebhookJson> = found.iter().map(|w| WebhookJson::of(w, None)).collect();
            Ok(Output::new(table(&["ID", "URL", "EVENTS", "STATE", "DESCRIPTION"], &rows), &out))
        }
        WebhooksCmd::Show { id } => {
            let w = b.webhook_get(&id).await?.ok_or_else(|| missing(&id))?;
            Ok(Output::new(one_webhook(&w), &WebhookJson::of(&w, None)))
        }
        WebhooksCmd::Add(args) => {
            let (w, secret) = added(args)?;
            let stored = b.webhook_add(w).await?;
            let text = format!(
                "webhook {:?} added\nsecret (shown once, give it to the receiver): {secret}\n{}",
                stored.id,
                one_webhook(&stored)
            );
            Ok(Output::new(text, &WebhookJson::of(&stored, Some(secret))))
        }
        WebhooksCmd::Set(args) => {
            let id = args.id.clone();
            b.webhook_get(&id).await?.ok_or_else(|| missing(&id))?;
            let (patch, secret) = changed(args)?;
            let mut text = format!("webhook {id:?} changed\n");
            let (stored, new) = match secret {
                None => (b.webhook_patch(&id, patch).await?, None),
                Some((s, hours)) => {
                    // A rotation alone changes no field.
                    if patch != WebhookPatch::default() {
                        b.webhook_patch(&id, patch).await?;
                    }
                    let stored = b.webhook_add_secret(&id, &s, hours).await?;
                    text.push_str(&format!("new secret (shown once, give it to the receiver): {s}\n"));
                    (stored, Some(s))
                }
            };
            text.push_str(&one_webhook(&stored));
            Ok(Output::new(text, &WebhookJson::of(&stored, new)))
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
    fn events_are_checked() {
        assert_eq!(event_types(&["ticket.created".into(), "ticket.created".into()]).ok().map(|v| v.len()), Some(1));
        assert!(event_types(&["ticket.nothing".into()]).is_err());
    }
}
