//! `/api/v1/webhooks`: webhook subscriptions (admins): add, read, replace, change, remove, rotate their
//! secrets, see their latest deliveries with each attempt, and replay dead letters or a time range.
//!
//! Secrets are shown whole only in the answer that made them (creating the subscription, adding a
//! secret); every other answer masks them. A refusal's detail is in the language `Accept-Language`
//! asks for.

use crate::admin_common::admin;
use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chamado::webhooks::{WebhookSecret, WebhookSubscription};
use chamado::{Admin, OutboxStatus, Timestamp};
pub use chamado_api_types::webhooks::{
    AttemptOut, DeliveryList, DeliveryOut, DeliveryStatus, ReplayCount, ReplayRange, SecretIn, SecretOut,
    SecretRotation, WebhookIn, WebhookList, WebhookOut, WebhookPatch,
};
use chamado_api_types::webhooks::{SECRETS_MAX, dedup, event_types};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::time::parse_rfc3339;
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use serde::Deserialize;
use std::time::Duration;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The webhook routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, put_webhook, patch_webhook, delete_webhook))
        .routes(routes!(add_secret))
        .routes(routes!(list_deliveries))
        .routes(routes!(replay_delivery))
        .routes(routes!(replay_range))
}

/// Deliveries per page when the request names no `limit`.
const DEFAULT_DELIVERIES: usize = 50;
/// The most deliveries per page.
const MAX_DELIVERIES: usize = 500;
/// The longest an old secret may keep signing after a rotation: a year, in hours.
const MAX_ROTATION_HOURS: u32 = 8760;

/// A 422 whose detail is `m`.
fn invalid(m: Message) -> Problem {
    Problem::validation(m.english()).with_message(m)
}

/// An RFC 3339 time of the body's `field`.
fn time(field: &'static str, value: &str) -> ApiResult<Timestamp> {
    parse_rfc3339(value).ok_or_else(|| {
        invalid(Message::new("error-api-webhook-time").arg("field", field).arg("value", format!("{value:?}")))
    })
}

/// A fresh `whsec_` secret of 32 random bytes.
fn generated() -> ApiResult<String> {
    chamado_http::random::webhook_secret().map_err(|e| Problem::internal(e.to_string()))
}

/// The secrets a body gives: `secret` first, then `secrets` (none: the caller gave none).
fn given_secrets(secret: Option<String>, secrets: Vec<SecretIn>) -> ApiResult<Vec<WebhookSecret>> {
    let mut out = Vec::with_capacity(secrets.len() + 1);
    if let Some(s) = secret {
        out.push(WebhookSecret { secret: s, created_at: Timestamp::EPOCH, expires_at: None });
    }
    for s in secrets {
        let expires_at = s.expires_at.as_deref().map(|t| time("expires_at", t)).transpose()?;
        out.push(WebhookSecret { secret: s.secret, created_at: Timestamp::EPOCH, expires_at });
    }
    at_most_max(&out)?;
    Ok(out)
}

fn at_most_max(secrets: &[WebhookSecret]) -> ApiResult<()> {
    if secrets.len() > SECRETS_MAX {
        return Err(invalid(Message::new("error-api-webhook-secrets-max").arg("max", SECRETS_MAX as u64)));
    }
    Ok(())
}

/// The subscription a `POST` or `PUT` body describes, with id `id` (empty: the engine picks one) and
/// `secrets` (the body's, or others when it gives none).
fn subscription(id: &str, b: WebhookIn, secrets: Vec<WebhookSecret>) -> ApiResult<WebhookSubscription> {
    Ok(WebhookSubscription {
        id: id.to_string(),
        url: b.url,
        events: event_types(&b.events)?,
        queues: dedup(b.queues),
        groups: dedup(b.groups),
        secrets,
        enabled: b.enabled,
        disabled_reason: None,
        description: b.description,
        max_concurrency: b.max_concurrency,
        timeout_ms: u64::from(b.timeout_ms),
        created_at: Timestamp::EPOCH,
    })
}

/// The subscription as shown: every secret masked.
fn masked(st: &AppState, sub: &WebhookSubscription) -> WebhookOut {
    WebhookOut::new(sub, st.engine.now(), |_| false)
}

/// Adds a webhook subscription (admins): the events it receives (by name), its receiver URL and signing
/// secret (`whsec_` + base64; given, or made here from 32 random bytes), filters by queue and group.
/// The answer is the only one that shows the secrets whole. 422 for an unknown event, a malformed URL or
/// secret, or a private, loopback or link-local target the server does not allow; 404 for a queue or
/// group that does not exist.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookIn,
    responses((status = 201, description = "Created; the secrets are shown whole this once", body = WebhookOut),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "A queue or group does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "An unknown event, a malformed URL or secret, a private target (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_webhook(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<WebhookIn>,
) -> ApiResult<(StatusCode, Json<WebhookOut>)> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let mut secrets = given_secrets(b.secret.clone(), b.secrets.clone())?;
        if secrets.is_empty() {
            secrets.push(WebhookSecret { secret: generated()?, created_at: Timestamp::EPOCH, expires_at: None });
        }
        let stored = admin.put_webhook(subscription("", b, secrets)?).await?;
        Ok((StatusCode::CREATED, Json(WebhookOut::new(&stored, st.engine.now(), |_| true))))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Every webhook subscription (admins), in id order, secrets masked.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, description = "Subscriptions", body = WebhookList),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_webhooks(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<WebhookList>> {
    let admin = admin(&st, &caller).await?;
    let items = admin.webhooks().await?.iter().map(|s| masked(&st, s)).collect();
    Ok(Json(WebhookList { items }))
}

/// One webhook subscription (admins), secrets masked.
#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription", body = WebhookOut),
        (status = 404, description = "No such subscription", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_webhook(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        Ok(Json(masked(&st, &admin.webhook(&id).await?)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Replaces a webhook subscription (admins): every field as given, defaults for those left out; the
/// secrets stay unless `secret` or `secrets` gives new ones. `"enabled": true` also enables a
/// subscription the server disabled after a `410 Gone`. The answer masks the secrets.
#[utoipa::path(put, path = "/webhooks/{id}", tag = "webhooks", request_body = WebhookIn,
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription as stored", body = WebhookOut),
        (status = 404, description = "No such subscription, or a queue or group does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "An unknown event, a malformed URL or secret, a private target (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_webhook(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WebhookIn>,
) -> ApiResult<Json<WebhookOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let old = admin.webhook(&id).await?;
        let mut secrets = given_secrets(b.secret.clone(), b.secrets.clone())?;
        if secrets.is_empty() {
            secrets = old.secrets;
        }
        let stored = admin.put_webhook(subscription(&id, b, secrets)?).await?;
        Ok(Json(masked(&st, &stored)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Changes a webhook subscription (admins; JSON merge patch): the fields given, the others stay.
#[utoipa::path(patch, path = "/webhooks/{id}", tag = "webhooks", request_body = WebhookPatch,
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription as stored", body = WebhookOut),
        (status = 404, description = "No such subscription, or a queue or group does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "An unknown event, a malformed URL, a private target (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_webhook(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(p): ApiJson<WebhookPatch>,
) -> ApiResult<Json<WebhookOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let mut sub = admin.webhook(&id).await?;
        p.apply(&mut sub)?;
        let stored = admin.put_webhook(sub).await?;
        Ok(Json(masked(&st, &stored)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Removes a webhook subscription (admins); what was queued for it becomes a dead letter when its turn
/// comes.
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, description = "Subscription id")),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such subscription", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_webhook(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let run = async {
        admin(&st, &caller).await?.delete_webhook(&id).await?;
        Ok(StatusCode::NO_CONTENT)
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Adds a signing secret (admins), given or made here; with `expire_old_after_hours` the other secrets
/// stop signing that many hours from now (rotation: the receiver learns the new secret meanwhile, and
/// both signatures are sent until then). Secrets that have ended are dropped. The answer shows the new
/// secret whole, this once.
#[utoipa::path(post, path = "/webhooks/{id}/secrets", tag = "webhooks", request_body = SecretRotation,
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 201, description = "Added; the new secret is shown whole this once", body = WebhookOut),
        (status = 404, description = "No such subscription", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A malformed secret or time, too many secrets, or more than 8760 hours (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn add_secret(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SecretRotation>,
) -> ApiResult<(StatusCode, Json<WebhookOut>)> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let mut sub = admin.webhook(&id).await?;
        let now = st.engine.now();
        let expires_at = b.expires_at.as_deref().map(|t| time("expires_at", t)).transpose()?;
        let secret = match b.secret {
            Some(s) => s,
            None => generated()?,
        };
        if let Some(hours) = b.expire_old_after_hours {
            if hours > MAX_ROTATION_HOURS {
                return Err(invalid(Message::new("error-api-webhook-hours").arg("max", u64::from(MAX_ROTATION_HOURS))));
            }
            let end = now.plus(Duration::from_secs(u64::from(hours) * 3600));
            for s in &mut sub.secrets {
                s.expires_at = Some(s.expires_at.map_or(end, |e| e.min(end)));
            }
        }
        // Ended secrets sign nothing: dropped, they leave room for new ones.
        sub.secrets.retain(|s| s.expires_at.is_none_or(|e| e > now));
        sub.secrets.push(WebhookSecret { secret: secret.clone(), created_at: now, expires_at });
        at_most_max(&sub.secrets)?;
        let stored = admin.put_webhook(sub).await?;
        let shown = WebhookOut::new(&stored, st.engine.now(), |s| s.secret == secret && s.created_at == now);
        Ok((StatusCode::CREATED, Json(shown)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Paging a subscription's deliveries.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryParams {
    /// Deliveries with ids below this one (the previous page's `next_before`).
    pub before: Option<u64>,
    /// At most this many (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

/// A subscription's deliveries (admins), newest first: each with its event, status (pending, sent, dead
/// letter), attempts, next attempt and its latest attempts (time, HTTP status, latency, error).
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id"), DeliveryParams),
    responses((status = 200, description = "A page of deliveries", body = DeliveryList),
        (status = 400, description = "Malformed parameters", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_deliveries(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DeliveryParams>,
) -> ApiResult<Json<DeliveryList>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let limit = p.limit.unwrap_or(DEFAULT_DELIVERIES);
        if !(1..=MAX_DELIVERIES).contains(&limit) {
            let m = Message::new("error-api-webhook-limit");
            return Err(Problem::bad_request("malformed_query", m.english()).with_message(m));
        }
        // Ids are 63-bit, as the schema's `int64` says.
        if p.before.is_some_and(|b| b > i64::MAX as u64) {
            let m = Message::new("error-api-webhook-before");
            return Err(Problem::bad_request("malformed_query", m.english()).with_message(m));
        }
        let page = admin.webhook_deliveries(&id, p.before, limit).await?;
        let next_before = if page.len() == limit { page.last().map(|d| d.id) } else { None };
        Ok(Json(DeliveryList { items: page.iter().map(DeliveryOut::from).collect(), next_before }))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// The delivery `number` names, or 404 in the engine's words.
fn delivery_id(number: &str) -> ApiResult<u64> {
    number.parse::<u64>().ok().filter(|_| number.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
        let m = Message::new("error-webhook-delivery-not-found").arg("id", number.to_string());
        Problem::not_found(m.english()).with_message(m)
    })
}

/// Whether delivery `delivery` of subscription `id` waits to be sent.
async fn pending(admin: &Admin<'_>, id: &str, delivery: u64) -> ApiResult<bool> {
    let page = admin.webhook_deliveries(id, Some(delivery.saturating_add(1)), 1).await?;
    Ok(page.first().is_some_and(|d| d.id == delivery && d.status == OutboxStatus::Pending))
}

/// Sends one delivery again (admins): a dead letter, or one delivered before, with the same
/// `webhook-id` (receivers drop what they have seen), now, with a new 24-hour retry window. 409 when it
/// is waiting to be sent already.
#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery}/replay", tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id"), ("delivery" = u64, Path, description = "Delivery id")),
    responses((status = 200, description = "Queued again", body = DeliveryOut),
        (status = 404, description = "No such subscription or delivery", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "It waits to be sent already", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn replay_delivery(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path((id, delivery)): Path<(String, String)>,
) -> ApiResult<Json<DeliveryOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        admin.webhook(&id).await?;
        let delivery = delivery_id(&delivery)?;
        if pending(&admin, &id, delivery).await? {
            let m = Message::new("error-api-webhook-delivery-pending").arg("id", delivery.to_string());
            return Err(Problem::conflict("pending", m.english()).with_message(m));
        }
        Ok(Json(DeliveryOut::from(&admin.replay_webhook_delivery(&id, delivery).await?)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Sends again every delivery of a subscription queued in `[from, to)` that is not waiting already
/// (`only_failed`: only dead letters), with their own `webhook-id`s (admins).
#[utoipa::path(post, path = "/webhooks/{id}/replay", tag = "webhooks", request_body = ReplayRange,
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "How many were queued again", body = ReplayCount),
        (status = 404, description = "No such subscription", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A time that is not RFC 3339 (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn replay_range(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReplayRange>,
) -> ApiResult<Json<ReplayCount>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let from = b.from.as_deref().map(|t| time("from", t)).transpose()?.unwrap_or(Timestamp(i64::MIN));
        let to = b.to.as_deref().map(|t| time("to", t)).transpose()?.unwrap_or(Timestamp(i64::MAX));
        let replayed = admin.replay_webhooks(&id, from, to, b.only_failed).await?;
        Ok(Json(ReplayCount { replayed: replayed as u64 }))
    };
    run.await.map_err(|p| localized(p, &headers))
}
