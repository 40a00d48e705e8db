//! The webhook form: the receiver's URL, one `event` box per event type, the queue and group filters
//! (several `queue` and `group` values), description, enabled, and the limits. Repeated fields are what
//! no derived form expresses, so the form arrives as its raw pairs and [`WebhookView::posted`] reads
//! them; numbers keep what was typed until saved, so a refused form shows it again.
//!
//! Secrets never go back into a form: pages show them masked ([`SecretView`]); a new one is generated
//! here ([`new_secret`]) and shown once, on the page that answers the change that made it.

use base64::Engine as _;
use chamado::webhooks::{SECRET_PREFIX, WebhookSecret};
use chamado::{EventType, Timestamp, WebhookSubscription};
use chamado_http::Problem;
use chamado_i18n::{Message, Tr, key};

/// Random bytes in a generated secret (Standard Webhooks takes 24 to 64).
const SECRET_BYTES: usize = 32;

/// A fresh signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> Result<String, Problem> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Problem::internal(format!("the system random source failed: {e}")))?;
    Ok([SECRET_PREFIX, &base64::engine::general_purpose::STANDARD.encode(bytes)].concat())
}

/// A secret as pages show it: its first and last characters only, enough to tell two apart.
pub fn masked(secret: &str) -> String {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let chars: Vec<char> = b64.chars().collect();
    if chars.len() <= 8 {
        return [SECRET_PREFIX, "…"].concat();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    [SECRET_PREFIX, &head, "…", &tail].concat()
}

/// The description of an event type, for its box.
pub fn event_label(t: EventType) -> &'static str {
    match t {
        EventType::TicketCreated => key("admin-webhook-event-ticket-created"),
        EventType::ArticleAdded => key("admin-webhook-event-article-added"),
        EventType::StateChanged => key("admin-webhook-event-state-changed"),
        EventType::QueueChanged => key("admin-webhook-event-queue-changed"),
        EventType::OwnerChanged => key("admin-webhook-event-owner-changed"),
        EventType::ResponsibleChanged => key("admin-webhook-event-responsible-changed"),
        EventType::PriorityChanged => key("admin-webhook-event-priority-changed"),
        EventType::LockChanged => key("admin-webhook-event-lock-changed"),
        EventType::TitleChanged => key("admin-webhook-event-title-changed"),
        EventType::TicketCustomerChanged => key("admin-webhook-event-ticket-customer-changed"),
        EventType::ServiceChanged => key("admin-webhook-event-service-changed"),
        EventType::SlaChanged => key("admin-webhook-event-sla-changed"),
        EventType::Merged => key("admin-webhook-event-merged"),
        EventType::EscalationWarning => key("admin-webhook-event-escalation-warning"),
        EventType::EscalationBreach => key("admin-webhook-event-escalation-breach"),
        EventType::CustomerChanged => key("admin-webhook-event-customer-changed"),
        EventType::CustomerUserChanged => key("admin-webhook-event-customer-user-changed"),
    }
}

/// One event type's box on the form.
#[derive(Debug, Clone)]
pub struct EventBox {
    /// The dotted name, posted as `event`.
    pub name: &'static str,
    /// What it means, in the admin's language.
    pub label: String,
    /// Ticked.
    pub checked: bool,
}

/// A signing secret as pages show it.
#[derive(Debug, Clone)]
pub struct SecretView {
    /// Masked.
    pub masked: String,
    /// When it was added, in the admin's zone.
    pub created: String,
    /// When it stops signing, in the admin's zone (`None`: never).
    pub expires: Option<String>,
    /// It signs now.
    pub active: bool,
}

impl SecretView {
    /// What `s` shows at `now`.
    pub fn of(tr: &Tr, s: &WebhookSecret, now: Timestamp) -> SecretView {
        SecretView {
            masked: masked(&s.secret),
            created: tr.datetime(s.created_at.as_unix_seconds()),
            expires: s.expires_at.map(|e| tr.datetime(e.as_unix_seconds())),
            active: s.expires_at.is_none_or(|e| e > now),
        }
    }
}

/// A subscription as the pages show it and the forms hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookView {
    /// Its id (empty on the add form: the engine picks one).
    pub id: String,
    /// The receiver.
    pub url: String,
    /// The events ticked.
    pub events: Vec<EventType>,
    /// Only tickets in these queues.
    pub queues: Vec<String>,
    /// Only tickets in queues of these groups.
    pub groups: Vec<String>,
    /// What it is for.
    pub description: String,
    /// Sent to.
    pub enabled: bool,
    /// Why the engine disabled it.
    pub disabled_reason: Option<String>,
    /// Requests in flight at most, as typed.
    pub max_concurrency: String,
    /// How long to wait for an answer, in milliseconds as typed.
    pub timeout_ms: String,
    /// The add form's secret as pasted (empty: generate one); never filled from a stored subscription.
    pub secret: String,
}

impl WebhookView {
    /// An empty subscription for the add form: enabled, the engine's default limits, no event ticked.
    pub fn blank() -> WebhookView {
        let defaults = WebhookSubscription::new("", "", Vec::new(), "");
        WebhookView { enabled: true, ..WebhookView::of(&defaults) }
    }

    /// What a stored subscription shows (its secrets apart).
    pub fn of(s: &WebhookSubscription) -> WebhookView {
        WebhookView {
            id: s.id.clone(),
            url: s.url.clone(),
            events: s.events.clone(),
            queues: s.queues.clone(),
            groups: s.groups.clone(),
            description: s.description.clone(),
            enabled: s.enabled,
            disabled_reason: s.disabled_reason.clone(),
            max_concurrency: s.max_concurrency.to_string(),
            timeout_ms: s.timeout_ms.to_string(),
            secret: String::new(),
        }
    }

    /// Reads the raw pairs of a webhook form for subscription `id` (empty: a new one). Fields it does
    /// not know (the CSRF token) are not its; unknown event names are dropped.
    pub fn posted(pairs: &[(String, String)], id: &str) -> WebhookView {
        let mut v = WebhookView { id: id.to_string(), enabled: false, ..WebhookView::blank() };
        v.max_concurrency.clear();
        v.timeout_ms.clear();
        for (name, value) in pairs {
            let value = value.trim();
            match name.as_str() {
                "url" => v.url = value.to_string(),
                "description" => v.description = value.to_string(),
                "enabled" => v.enabled = true,
                "max_concurrency" => v.max_concurrency = value.to_string(),
                "timeout_ms" => v.timeout_ms = value.to_string(),
                "secret" => v.secret = value.to_string(),
                "event" => {
                    if let Some(t) = EventType::parse(value)
                        && !v.events.contains(&t)
                    {
                        v.events.push(t);
                    }
                }
                "queue" if !value.is_empty() && !v.queues.iter().any(|q| q == value) => v.queues.push(value.into()),
                "group" if !value.is_empty() && !v.groups.iter().any(|g| g == value) => v.groups.push(value.into()),
                _ => {}
            }
        }
        v.events.sort();
        v
    }

    /// The subscription this describes: `stored` (an edit keeps its secrets, creation time and the
    /// reason it was disabled) changed by the form, or a new one signed with `secret`. A number that is
    /// none is refused; the engine checks the rest.
    pub fn record(&self, stored: Option<&WebhookSubscription>, secret: &str) -> Result<WebhookSubscription, Problem> {
        let mut s = match stored {
            Some(s) => s.clone(),
            None => WebhookSubscription::new("", "", Vec::new(), secret),
        };
        s.url = self.url.clone();
        s.events = self.events.clone();
        s.queues = self.queues.clone();
        s.groups = self.groups.clone();
        s.description = self.description.clone();
        s.enabled = self.enabled;
        s.max_concurrency = number("max_concurrency", key("admin-webhook-field-concurrency"), &self.max_concurrency)?;
        s.timeout_ms = number("timeout_ms", key("admin-webhook-field-timeout"), &self.timeout_ms)?;
        Ok(s)
    }

    /// The boxes of every event type, in the engine's order, ticked as this view says.
    pub fn event_boxes(&self, tr: &Tr) -> Vec<EventBox> {
        EventType::ALL
            .into_iter()
            .map(|t| EventBox { name: t.as_str(), label: tr.t(event_label(t)), checked: self.events.contains(&t) })
            .collect()
    }

    /// The events as their dotted names, for the list.
    pub fn event_names(&self) -> String {
        self.events.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// A whole number typed in field `field` (labelled `label`); refused, naming the field, when it is none.
fn number<N: std::str::FromStr>(field: &str, label: &'static str, typed: &str) -> Result<N, Problem> {
    typed.trim().parse().map_err(|_| {
        Problem::validation(format!("{field} {typed:?} is not a whole number"))
            .with_message(Message::new("admin-webhook-number-invalid").arg_key("field", label).arg("value", typed))
    })
}

/// The expiry of the old secrets when a new one is added: `hours` from `now` as typed (empty: they stay).
pub fn expiry(typed: &str, now: Timestamp) -> Result<Option<Timestamp>, Problem> {
    match typed.trim() {
        "" => Ok(None),
        t => {
            let hours: u64 = number("expire_hours", key("admin-webhook-field-expire-hours"), t)?;
            if hours > 24 * 365 {
                return Err(Problem::validation(format!("expire after {hours} hours: at most a year"))
                    .with_message(Message::new("admin-webhook-expire-too-late").arg("value", t)));
            }
            Ok(Some(now.plus(std::time::Duration::from_secs(hours * 3600))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(body).unwrap_or_default()
    }

    #[test]
    fn a_form_reads_its_events_filters_and_numbers() {
        let v = WebhookView::posted(
            &pairs(
                "csrf=t&url=+https%3A%2F%2Fhooks.example%2Fin+&event=article.added&event=ticket.created\
                 &event=bogus&event=ticket.created&queue=Raw&queue=&queue=Raw&group=users&description=CRM\
                 &enabled=1&max_concurrency=2&timeout_ms=5000",
            ),
            "",
        );
        assert_eq!(v.url, "https://hooks.example/in");
        assert_eq!(v.events, vec![EventType::TicketCreated, EventType::ArticleAdded]);
        assert_eq!((v.queues.clone(), v.groups.clone()), (vec!["Raw".to_string()], vec!["users".to_string()]));
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let s = v.record(None, secret).unwrap();
        assert_eq!((s.max_concurrency, s.timeout_ms, s.enabled), (2, 5000, true));
        assert_eq!(s.secrets.len(), 1);
        WebhookSubscription { id: "wh_1".into(), ..s.clone() }.validate().unwrap();
        let off = WebhookView::posted(&pairs("url=x&max_concurrency=4&timeout_ms=100"), "wh_1");
        let edited = off.record(Some(&s), "").unwrap();
        assert_eq!((edited.enabled, edited.secrets.clone()), (false, s.secrets.clone()), "secrets are kept");
        assert!(WebhookView::posted(&pairs("max_concurrency=many&timeout_ms=1"), "").record(None, secret).is_err());
        assert!(WebhookView::posted(&pairs("max_concurrency=1&timeout_ms=-3"), "").record(None, secret).is_err());
    }

    #[test]
    fn secrets_are_generated_valid_and_shown_masked() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a, b);
        chamado::webhooks::check_secret(&a).unwrap();
        let m = masked(&a);
        assert!(m.starts_with("whsec_") && m.contains('…') && m.chars().count() == 15, "{m}");
        assert!(!m.contains(&a[6..20]), "most of it stays hidden");
        assert_eq!(masked("whsec_abc"), "whsec_…");
    }

    #[test]
    fn old_secrets_expire_after_the_hours_typed() {
        let now = Timestamp::from_unix_seconds(1000);
        assert_eq!(expiry(" ", now).unwrap(), None);
        assert_eq!(expiry("2", now).unwrap(), Some(Timestamp::from_unix_seconds(1000 + 7200)));
        assert!(expiry("soon", now).is_err());
        assert!(expiry("100000", now).is_err());
    }
}
