//! Integrations: the event log every ticket-writing commit appends to (the resumable event feed), webhook
//! subscriptions, and the deliveries the outbox sends to them, signed by the Standard Webhooks scheme.

mod config;
mod delivery;
mod event_record;
mod event_type;
mod payload;
mod subscription;
mod target;

pub use config::WebhookConfig;
pub use delivery::{KEPT_ATTEMPTS, WebhookAttempt, WebhookDelivery, WebhookOutcome};
pub use event_record::EventRecord;
pub use event_type::EventType;
pub use payload::PAYLOAD_VERSION;
pub(crate) use payload::{
    Part as PayloadPart, article_id as payload_article_id, customer as payload_customer,
    customer_user as payload_customer_user, data as payload_data, with_article_body,
};
pub use subscription::{SECRET_PREFIX, WebhookSecret, WebhookSubscription, check_secret};
pub use target::{TargetError, WebhookTarget, is_private_address};
