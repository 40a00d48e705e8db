//! `GET /api/v1/events`: the event feed for those who pull instead of receiving webhooks: the same
//! events in the same order, resumable from a cursor, filtered by what the caller may see, with
//! long-polling (`wait`): an empty answer only after the wait, the moment something happens otherwise.
//!
//! Waiting requests are bounded per caller ([`MAX_WAITING_PER_CALLER`]); the server's connection limit
//! per client address bounds them per address too, since each holds its connection.

use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chamado::{Actor, EventPage, EventRecord};
pub use chamado_api_types::events::{FeedEvent, FeedPage};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiQuery;
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use chamado_runtime::{DEFAULT_FEED_POLL, EventFeed};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The feed route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Events per answer when the request names no `limit`.
const DEFAULT_LIMIT: usize = 100;
/// The longest `wait`, in seconds.
pub const MAX_WAIT_SECS: u64 = 30;
/// Requests of one caller (agent) that may wait for events at once; more are answered 429.
pub const MAX_WAITING_PER_CALLER: usize = 8;

/// What the feed route shares: the engine's feed (made on first use, since the router is built before
/// it knows its engine) and the waiting requests per caller.
#[derive(Clone, Default)]
pub(crate) struct FeedState {
    feed: Arc<OnceLock<EventFeed>>,
    waiting: Arc<Mutex<HashMap<Actor, usize>>>,
}

impl FeedState {
    fn feed(&self, st: &AppState) -> &EventFeed {
        self.feed.get_or_init(|| EventFeed::new(&st.engine))
    }

    /// A place among `actor`'s waiting requests, or `None` when it holds them all.
    fn admit(&self, actor: &Actor) -> Option<Waiting> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let n = waiting.entry(actor.clone()).or_insert(0);
        if *n >= MAX_WAITING_PER_CALLER {
            return None;
        }
        *n += 1;
        Some(Waiting { waiting: self.waiting.clone(), actor: actor.clone() })
    }
}

/// One waiting request; dropping it (answered, or the client went away) gives its place back.
struct Waiting {
    waiting: Arc<Mutex<HashMap<Actor, usize>>>,
    actor: Actor,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = waiting.get_mut(&self.actor) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                waiting.remove(&self.actor);
            }
        }
    }
}

/// Where to read from, how much, and how long to wait.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Events after this cursor: a `next_cursor` (or an event's `cursor`) this feed gave, or `now` for
    /// only what happens from now on. Absent: from the oldest event the server keeps (7 days by
    /// default).
    #[param(pattern = "^(now|[0-9]{1,19})$")]
    pub after: Option<String>,
    /// At most this many events of the log are read (1 to 1000, default 100); fewer are answered when
    /// the caller may not see some.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// When there is nothing new, wait up to this many seconds for it (0 to 30, default 0: answer at
    /// once).
    #[param(minimum = 0, maximum = 30)]
    pub wait: Option<u64>,
}

fn bad_query(m: Message) -> Problem {
    Problem::bad_request("malformed_query", m.english()).with_message(m)
}

fn shown(e: EventRecord) -> ApiResult<FeedEvent> {
    let data = serde_json::from_str(&e.data)
        .map_err(|err| Problem::internal(format!("stored event {} is unreadable: {err}", e.id)))?;
    Ok(FeedEvent {
        cursor: e.seq.to_string(),
        id: e.id,
        event_type: e.event_type.as_str().to_string(),
        timestamp: e.at.to_string(),
        data,
    })
}

fn page(p: EventPage) -> ApiResult<FeedPage> {
    let events = p.events.into_iter().map(shown).collect::<ApiResult<Vec<_>>>()?;
    Ok(FeedPage { events, next_cursor: p.next.to_string() })
}

/// The event feed (agents; customer users are refused): the events after `after` that the caller may
/// see (admins: all; other agents: those of tickets in queues whose group they hold `ro` on), in log
/// order, each with the webhook payload's `type`, `timestamp` and `data`. Resume with `next_cursor`. With
/// `wait`, an answer without events comes only after waiting that long for one; events committed
/// meanwhile are answered at once (on this node at once, from other nodes within a second). At most 8
/// requests of one caller wait at a time (more: 429).
#[utoipa::path(get, path = "/events", tag = "events", params(EventParams),
    responses((status = 200, description = "A page of events (possibly empty)", body = FeedPage),
        (status = 400, description = "Malformed parameters", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests of this caller are waiting already", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub(crate) async fn events(
    State(st): State<AppState>,
    Extension(feeds): Extension<FeedState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<EventParams>,
) -> Response {
    let run = async {
        let limit = p.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=chamado::MAX_FEED_PAGE).contains(&limit) {
            return Err(bad_query(Message::new("error-api-events-limit")));
        }
        let wait = p.wait.unwrap_or(0);
        if wait > MAX_WAIT_SECS {
            return Err(bad_query(Message::new("error-api-events-wait")));
        }
        let cursor = match p.after.as_deref() {
            None => 0,
            Some("now") => st.engine.latest_event_cursor().await?,
            Some(c) => c
                .parse::<u64>()
                .ok()
                .filter(|_| (1..=19).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| bad_query(Message::new("error-api-events-after").arg("value", format!("{c:?}"))))?,
        };
        let feed = feeds.feed(&st);
        if wait == 0 {
            return page(st.engine.events(&caller.actor, cursor, limit).await?);
        }
        let Some(_place) = feeds.admit(&caller.actor) else {
            let m = Message::new("error-api-events-busy").arg("max", MAX_WAITING_PER_CALLER as u64);
            return Err(Problem::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "too_many_waiting",
                "Too many requests",
                m.english(),
            )
            .with_message(m));
        };
        page(feed.wait(&caller.actor, cursor, limit, Duration::from_secs(wait), DEFAULT_FEED_POLL).await?)
    };
    match run.await {
        Ok(p) => Json(p).into_response(),
        Err(p) => {
            let busy = p.status() == axum::http::StatusCode::TOO_MANY_REQUESTS;
            let mut res = localized(p, &headers).into_response();
            if busy {
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            res
        }
    }
}
