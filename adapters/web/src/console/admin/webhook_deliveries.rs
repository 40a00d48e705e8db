//! A webhook's deliveries: the latest ones, newest first, each with its event, ticket, status
//! (waiting, sent, dead letter), attempts and next attempt, and its recent attempts (when, the HTTP
//! status, the latency, the error). An admin sends one again, or every one queued in a time range
//! (typed in the admin's time zone; only the dead letters when ticked): the engine's
//! [`chamado::Admin::replay_webhook_delivery`] and [`chamado::Admin::replay_webhooks`].

use super::view::{Head, bad, chrome};
use super::webhooks::load;
use super::{AdminUser, AgentUser, admin, href, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{OutboxStatus, Timestamp, WebhookDelivery};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::{Message, TimeZoneName, Tr, key};
use serde::Deserialize;

/// Deliveries on one page.
const PAGE: usize = 50;

/// The page's query: where to continue, and what the last replay did.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeliveriesQuery {
    /// Deliveries with ids below this (the next page).
    before: Option<u64>,
    /// How many deliveries the last replay queued again.
    replayed: Option<usize>,
}

/// One attempt as the page shows it.
struct AttemptRow {
    at: String,
    status: Option<u16>,
    latency_ms: u64,
    error: Option<String>,
}

/// One delivery as the page shows it.
struct DeliveryRow {
    id: u64,
    /// The event's dotted name.
    event_type: &'static str,
    /// The event's id (the `webhook-id` header).
    event_id: String,
    /// The ticket's number, for ticket events.
    ticket: Option<String>,
    /// `pending`, `sent` or `failed` (the row's class).
    status: &'static str,
    /// The status in the admin's words.
    status_label: String,
    attempts: u32,
    /// When the next attempt is due, while it waits.
    next_attempt: Option<String>,
    queued: String,
    replays: u32,
    recent: Vec<AttemptRow>,
}

impl DeliveryRow {
    fn of(tr: &Tr, d: &WebhookDelivery) -> DeliveryRow {
        let event = d.event();
        let (status, label) = match d.status {
            OutboxStatus::Pending => ("pending", key("admin-webhook-status-pending")),
            OutboxStatus::Sent => ("sent", key("admin-webhook-status-sent")),
            OutboxStatus::Failed => ("failed", key("admin-webhook-status-dead")),
        };
        let when = |t: Timestamp| tr.datetime(t.as_unix_seconds());
        DeliveryRow {
            id: d.id,
            event_type: event.map_or("", |e| e.event_type.as_str()),
            event_id: event.map(|e| e.id.clone()).unwrap_or_default(),
            ticket: event.and_then(|e| ticket_number(&e.data)),
            status,
            status_label: tr.t(label),
            attempts: d.attempts,
            next_attempt: (d.status == OutboxStatus::Pending).then(|| when(d.next_attempt_at)),
            queued: when(d.created_at),
            replays: d.replays,
            recent: d
                .recent_attempts
                .iter()
                .rev()
                .map(|a| AttemptRow {
                    at: when(a.at),
                    status: a.status,
                    latency_ms: a.latency_ms,
                    error: a.error.clone(),
                })
                .collect(),
        }
    }
}

/// The ticket number an event's `data` names.
fn ticket_number(data: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(data).ok()?;
    v.get("ticket")?.get("number")?.as_str().map(str::to_string)
}

/// The range form's values as typed (`datetime-local`, the admin's zone).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReplayForm {
    /// From (included).
    pub from: String,
    /// To (excluded).
    pub to: String,
    /// Only dead letters.
    #[serde(deserialize_with = "checkbox")]
    pub only_failed: bool,
}

/// A checkbox: posted (whatever its value) means on.
fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    String::deserialize(d).map(|_| true)
}

/// The deliveries page.
#[derive(Template)]
#[template(path = "admin/webhook_deliveries.html")]
struct DeliveriesPage {
    frame: Frame,
    head: Head,
    id: String,
    url: String,
    rows: Vec<DeliveryRow>,
    /// The next page's `before`, when there may be more.
    older: Option<u64>,
    range: ReplayForm,
    form_error: Option<String>,
}

/// A refusal of a time field.
fn bad_time(typed: &str) -> Problem {
    Problem::validation(format!("{typed:?} is not a date and time (YYYY-MM-DDTHH:MM)"))
        .with_message(Message::new("admin-webhook-time-invalid").arg("value", typed))
}

/// `[from, to)` as typed in `zone`.
fn range_of(zone: &TimeZoneName, f: &ReplayForm) -> Result<(Timestamp, Timestamp), Problem> {
    let at = |typed: &str| zone.local_to_unix(typed).map(Timestamp::from_unix_seconds).ok_or_else(|| bad_time(typed));
    let (from, to) = (at(&f.from)?, at(&f.to)?);
    if to <= from {
        return Err(Problem::validation("the range must end after it starts")
            .with_message(Message::new("admin-webhook-range-invalid")));
    }
    Ok((from, to))
}

/// What the range form starts with: from the start of yesterday to the start of tomorrow, in `zone`.
fn default_range(zone: &TimeZoneName, now: Timestamp) -> ReplayForm {
    let day = |offset: i64| {
        zone.local_date(now.as_unix_seconds() + offset * 86_400)
            .map(|d| [d.as_str(), "T00:00"].concat())
            .unwrap_or_default()
    };
    ReplayForm { from: day(-1), to: day(1), only_failed: true }
}

/// The deliveries page of subscription `id`, with the range form holding `range` and the problem the
/// engine answered on it, if any.
async fn deliveries_page(
    st: &AppState,
    user: &AgentUser,
    id: &str,
    q: &DeliveriesQuery,
    range: Option<ReplayForm>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let stored = load(st, user, id).await?;
        let found = admin(st, user).await?.webhook_deliveries(id, q.before, PAGE).await?;
        Ok::<_, Problem>((stored, found))
    };
    let (stored, found) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (mut frame, head) = chrome(user, user.tr.t1("admin-webhook-deliveries-heading", "id", id), "webhooks", "");
    if let Some(n) = q.replayed {
        let text = user.tr.t1("admin-webhook-replayed", "count", n);
        frame = frame.with_notice(text, false);
    }
    let older = (found.len() == PAGE).then(|| found.last().map(|d| d.id)).flatten();
    let page = DeliveriesPage {
        frame,
        head,
        id: stored.id,
        url: stored.url,
        rows: found.iter().map(|d| DeliveryRow::of(&user.tr, d)).collect(),
        older,
        range: range.unwrap_or_else(|| default_range(user.tr.time_zone(), st.engine.now())),
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// `GET /admin/webhooks/{id}/deliveries`: the latest deliveries and their attempts.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DeliveriesQuery>,
) -> Response {
    deliveries_page(&st, &user, &id, &q, None, None).await
}

/// The replay-one form posts only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct ReplayOneForm {}

/// `POST /admin/webhooks/{id}/deliveries/{delivery}/replay`: sends one delivery again, now.
pub async fn replay_one(
    State(st): State<AppState>,
    Path((id, delivery)): Path<(String, u64)>,
    CsrfForm(AdminUser(user), ReplayOneForm {}): CsrfForm<AdminUser, ReplayOneForm>,
) -> Response {
    let r = async {
        admin(&st, &user).await?.replay_webhook_delivery(&id, delivery).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, &href("/admin/webhooks", &id, "/deliveries?replayed=1"))
}

/// `POST /admin/webhooks/{id}/replay`: sends again every delivery queued in the range that is not
/// waiting already (only the dead letters when ticked); the page then says how many.
pub async fn replay_range(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, ReplayForm>,
) -> Response {
    let r = async {
        let (from, to) = range_of(user.tr.time_zone(), &f)?;
        Ok::<_, Problem>(admin(&st, &user).await?.replay_webhooks(&id, from, to, f.only_failed).await?)
    };
    match r.await {
        Ok(n) => saved(&user, Ok(()), &href("/admin/webhooks", &id, &format!("/deliveries?replayed={n}"))),
        Err(p) => deliveries_page(&st, &user, &id, &DeliveriesQuery::default(), Some(f), Some(&p)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_in_the_admins_zone_and_must_run_forward() {
        let sp = TimeZoneName::parse("America/Sao_Paulo").unwrap_or_else(TimeZoneName::utc);
        let f = ReplayForm { from: "2026-12-05T09:00".into(), to: "2026-12-05T10:00".into(), only_failed: false };
        let (from, to) = range_of(&sp, &f).unwrap_or_default();
        assert_eq!((from.as_unix_seconds(), to.as_unix_seconds() - from.as_unix_seconds()), (1_796_472_000, 3600));
        assert!(range_of(&sp, &ReplayForm { to: f.from.clone(), ..f.clone() }).is_err());
        assert!(range_of(&sp, &ReplayForm { from: "yesterday".into(), ..f }).is_err());
        let d = default_range(&sp, Timestamp::from_unix_seconds(1_796_472_000));
        assert_eq!((d.from.as_str(), d.to.as_str(), d.only_failed), ("2026-12-04T00:00", "2026-12-06T00:00", true));
    }

    #[test]
    fn the_ticket_number_comes_from_the_event_data() {
        assert_eq!(
            ticket_number(r#"{"version":1,"ticket":{"number":"2026120510000017"}}"#).as_deref(),
            Some("2026120510000017")
        );
        assert_eq!(ticket_number(r#"{"version":1,"customer":{"id":"acme"}}"#), None);
        assert_eq!(ticket_number("not json"), None);
    }
}
