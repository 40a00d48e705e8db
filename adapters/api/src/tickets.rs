//! `/api/v1/tickets`: open, read, list, follow up, change, merge, history.

use crate::attachments::Upload;
use crate::dto::{ArticleOut, HistoryOut, PriorityIn, TicketOut, TicketSummary, summaries, ticket_out};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use chamado::{Cursor, Lock, MAX_PAGE, NewArticle, NewTicket, StateType, TicketFilter, TicketUpdate};
use chamado_api_types::rules;
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery, IdempotencyKey};
use chamado_http::time::parse_rfc3339;
use chamado_http::{ApiResult, Problem, ProblemBody};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The ticket routes.
pub fn routes() -> OpenApiRouter<AppState> {
    // The routes that take files read their bodies up to the engine's per-article limit themselves
    // ([`Upload`]), instead of the server-wide body limit.
    let uploads = OpenApiRouter::new()
        .routes(routes!(create_ticket, list_tickets))
        .routes(routes!(add_article))
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .merge(uploads)
        .routes(routes!(get_ticket, patch_ticket))
        .routes(routes!(merge_ticket))
        .routes(routes!(ticket_history))
}

/// A ticket to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicket {
    /// Title (subject).
    #[schema(schema_with = rules::not_blank)]
    pub title: String,
    /// The first message.
    #[schema(schema_with = rules::not_blank)]
    pub body: String,
    /// Queue name.
    pub queue: String,
    /// Service (`Parent::Child`), which the customer user must hold.
    #[serde(default)]
    pub service: Option<String>,
    /// SLA: one of the service's valid SLAs (404 unknown, 409 another service's or invalid).
    #[serde(default)]
    pub sla: Option<String>,
    /// Priority (default `3 normal`).
    #[serde(default)]
    #[schema(schema_with = PriorityIn::schema_or_null)]
    pub priority: Option<PriorityIn>,
    /// Agents only: the customer user the (phone) ticket is for.
    #[serde(default)]
    pub customer_user: Option<String>,
}

/// A ticket to open with files: `multipart/form-data`.
// Deserialize only so the schema says `additionalProperties: false`: unknown parts are refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CreateTicketUpload {
    /// The ticket, as the JSON body would be.
    pub json: CreateTicket,
    /// Files; each part's file name and content type are kept.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

/// Opens a ticket: a customer user in the portal sense (channel `web`), or an agent on behalf of
/// `customer_user` (channel `phone`). Files come as `multipart/form-data`: a `json` part with the
/// ticket and `file` parts (limits per file, per article and count: 413 and 422).
#[utoipa::path(post, path = "/tickets", tag = "tickets",
    request_body(content((CreateTicket = "application/json"), (CreateTicketUpload = "multipart/form-data"))),
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "A retried request with the same key returns the first ticket")),
    responses((status = 201, description = "The ticket", body = TicketOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    IdempotencyKey(key): IdempotencyKey,
    Upload { body, files }: Upload<CreateTicket>,
) -> ApiResult<(StatusCode, Json<TicketOut>)> {
    let priority = body.priority.as_ref().map(PriorityIn::parse).transpose()?;
    let mut new = NewTicket::new(body.title, body.body, body.queue);
    new.attachments = files;
    new.service = body.service;
    new.sla = body.sla;
    new.priority = priority;
    new.customer_user = body.customer_user;
    new.idempotency_key = key;
    let view = st.engine.create_ticket(&caller.actor, new).await?;
    Ok((StatusCode::CREATED, Json(ticket_out(&st.engine, &view, &caller.actor).await?)))
}

/// Filters and paging of a ticket listing.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this state (name).
    pub state: Option<String>,
    /// Only this state type.
    #[param(schema_with = rules::state_type)]
    pub state_type: Option<String>,
    /// Only this queue.
    pub queue: Option<String>,
    /// Only this customer user's tickets.
    pub customer_user: Option<String>,
    /// Only this customer's tickets.
    pub customer_id: Option<String>,
    /// Page size, 1 to 500 (default: the server's page size).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[param(pattern = r"^-?[0-9]{1,18}\.[0-9]{1,19}$")]
    pub cursor: Option<String>,
    /// Full-text search: tickets whose title or articles contain every word, newest change first (one
    /// page, no cursor; the other filters then narrow the hits). Needs a store with search (redb, PostgreSQL,
    /// memory); others answer 400 with code `unsupported`. Up to 500 characters, not blank.
    #[param(schema_with = search_query)]
    pub q: Option<String>,
    /// `true`: only tickets with a running clock past its due time (as of the last tick).
    pub escalated: Option<bool>,
    /// `true`: only tickets with a running clock past its warning point and none past its due time.
    /// With `escalated=true` too: tickets of either kind.
    pub at_risk: Option<bool>,
}

/// The full-text query: not blank, at most 500 characters (the engine's limits).
fn search_query() -> utoipa::openapi::Object {
    let mut o = rules::not_blank();
    o.max_length = Some(500);
    o
}

/// A page of tickets.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TicketList {
    /// Newest change first.
    pub tickets: Vec<TicketSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Lists the tickets the caller may see (customer users: their own and their company's);
/// `escalated=true` and `at_risk=true` list the tickets whose time promises are broken or close to it.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(ListQuery),
    responses((status = 200, description = "A page of tickets", body = TicketList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_tickets(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<TicketList>> {
    let state_type = match &q.state_type {
        Some(s) => Some(s.parse::<StateType>().map_err(|e| Problem::bad_request("malformed_query", e.to_string()))?),
        None => None,
    };
    let cursor = match &q.cursor {
        Some(c) => Some(
            Some(c)
                .filter(|c| rules::cursor_shape_ok(c))
                .and_then(|c| Cursor::decode(c))
                .ok_or_else(|| Problem::bad_request("malformed_query", "cursor is not a next_cursor this API gave"))?,
        ),
        None => None,
    };
    let limit = q.limit.unwrap_or(st.config.default_page_size);
    if limit == 0 || limit > MAX_PAGE {
        return Err(Problem::bad_request("malformed_query", format!("limit must be between 1 and {MAX_PAGE}")));
    }
    let filter = TicketFilter {
        queue: q.queue,
        state: q.state,
        state_type,
        customer_user: q.customer_user,
        customer_id: q.customer_id,
        escalated: q.escalated.unwrap_or(false),
        at_risk: q.at_risk.unwrap_or(false),
        ..Default::default()
    };
    if let Some(query) = q.q.as_deref() {
        let hits = st.engine.search_tickets(&caller.actor, query, limit).await?;
        return Ok(Json(TicketList {
            tickets: summaries(&st.engine, hits.iter().filter(|t| filter.matches(t)).collect::<Vec<_>>()).await?,
            next_cursor: None,
        }));
    }
    let page = st.engine.list_tickets(&caller.actor, &filter, cursor, limit).await?;
    Ok(Json(TicketList {
        tickets: summaries(&st.engine, &page.items).await?,
        next_cursor: page.next.map(|c| c.encode()),
    }))
}

/// A ticket with its articles. Tickets the caller may not see are 404, like missing ones.
#[utoipa::path(get, path = "/tickets/{number}", tag = "tickets", params(("number" = String, Path, description = "Ticket number")),
    responses((status = 200, description = "The ticket", body = TicketOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
) -> ApiResult<Json<TicketOut>> {
    let view = st.engine.ticket(&caller.actor, &number).await?;
    Ok(Json(ticket_out(&st.engine, &view, &caller.actor).await?))
}

/// An article to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddArticle {
    /// The text.
    #[schema(schema_with = rules::not_blank)]
    pub body: String,
    /// Agents: an internal note instead of a reply to the customer.
    #[serde(default)]
    pub internal: bool,
    /// Subject (defaults to the ticket's tagged title).
    #[serde(default)]
    pub subject: Option<String>,
}

/// An article to add with files: `multipart/form-data`.
// Deserialize only so the schema says `additionalProperties: false`: unknown parts are refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AddArticleUpload {
    /// The article, as the JSON body would be.
    pub json: AddArticle,
    /// Files; each part's file name and content type are kept.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

/// What adding an article did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticleCreated {
    /// The ticket the article went to (a new, linked one when the queue's policy opened one).
    pub ticket: String,
    /// The article.
    pub article: ArticleOut,
    /// True when a follow-up on a closed ticket opened a new ticket.
    pub opened_new_ticket: bool,
}

/// Adds a customer follow-up (the queue's follow-up policy applies; `reject` answers 409), an agent
/// reply (`rw`) or an internal note (`note`). Files come as `multipart/form-data`: a `json` part with
/// the article and `file` parts (limits per file, per article and count: 413 and 422).
#[utoipa::path(post, path = "/tickets/{number}/articles", tag = "tickets",
    request_body(content((AddArticle = "application/json"), (AddArticleUpload = "multipart/form-data"))),
    params(("number" = String, Path, description = "Ticket number"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "A retried request with the same key adds nothing twice")),
    responses((status = 201, description = "The article", body = ArticleCreated),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn add_article(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    Upload { body, files }: Upload<AddArticle>,
) -> ApiResult<(StatusCode, Json<ArticleCreated>)> {
    let mut new = if body.internal { NewArticle::note(body.body) } else { NewArticle::reply(body.body) };
    new.attachments = files;
    new.subject = body.subject;
    new.idempotency_key = key;
    let out = st.engine.add_article(&caller.actor, &number, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(ArticleCreated {
            ticket: out.ticket.number.clone(),
            article: ArticleOut::of(&out.ticket.number, &out.article),
            opened_new_ticket: out.opened_new_ticket,
        }),
    ))
}

/// Changes to a ticket; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchTicket {
    /// New state name (agents `rw`; customers may only close).
    pub state: Option<String>,
    /// Due time for pending states (RFC 3339), in the future.
    #[schema(schema_with = chamado_http::time::rfc3339_or_null)]
    pub pending_until: Option<String>,
    /// New priority (`priority`).
    #[schema(schema_with = PriorityIn::schema_or_null)]
    pub priority: Option<PriorityIn>,
    /// New queue (`move_into` on its group).
    pub queue: Option<String>,
    /// New owner (`owner`); empty clears.
    pub owner: Option<String>,
    /// New responsible agent (`rw`); empty clears.
    pub responsible: Option<String>,
    /// `lock` or `unlock` (`owner`).
    #[schema(schema_with = rules::lock_or_null)]
    pub lock: Option<String>,
    /// New title (`rw`).
    #[schema(schema_with = rules::not_blank_or_null)]
    pub title: Option<String>,
    /// New customer user, by login (`rw`; agents); empty clears. The customer follows the user, and the
    /// ticket's service must be one the new user holds.
    pub customer_user: Option<String>,
    /// New service (`rw`; agents): one the ticket's customer user holds; empty clears. An SLA the new
    /// service does not have is dropped.
    pub service: Option<String>,
    /// New SLA (`rw`; agents): one of the ticket's service's valid SLAs; empty clears. The clocks get new
    /// due times.
    pub sla: Option<String>,
}

/// Changes a ticket, each field checked against the caller's permission for it.
#[utoipa::path(patch, path = "/tickets/{number}", tag = "tickets", request_body = PatchTicket,
    params(("number" = String, Path, description = "Ticket number")),
    responses((status = 200, description = "The changed ticket", body = TicketOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<PatchTicket>,
) -> ApiResult<Json<TicketOut>> {
    let pending_until = match &body.pending_until {
        Some(s) => Some(parse_rfc3339(s).ok_or_else(|| {
            Problem::validation(format!("pending_until {s:?} is not an RFC 3339 time like 2026-12-01T09:00:00Z"))
        })?),
        None => None,
    };
    let lock = match body.lock.as_deref() {
        None => None,
        Some("lock") => Some(Lock::Lock),
        Some("unlock") => Some(Lock::Unlock),
        Some(other) => return Err(Problem::validation(format!("lock {other:?} is not lock or unlock"))),
    };
    let update = TicketUpdate {
        state: body.state,
        pending_until,
        priority: body.priority.as_ref().map(PriorityIn::parse).transpose()?,
        queue: body.queue,
        owner: body.owner,
        responsible: body.responsible,
        lock,
        title: body.title,
        customer_user: body.customer_user,
        service: body.service,
        sla: body.sla,
    };
    let ticket = st.engine.update_ticket(&caller.actor, &number, update).await?;
    let view = st.engine.ticket(&caller.actor, &ticket.number).await?;
    Ok(Json(ticket_out(&st.engine, &view, &caller.actor).await?))
}

/// Where to merge a ticket into.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeTicket {
    /// The number of the ticket that takes over this one's articles.
    pub into: String,
}

/// Merges the ticket into another (agents with `rw` on both); answers the target ticket.
#[utoipa::path(post, path = "/tickets/{number}/merge", tag = "tickets", request_body = MergeTicket,
    params(("number" = String, Path, description = "Number of the ticket to merge away")),
    responses((status = 200, description = "The target ticket", body = TicketOut),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn merge_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<MergeTicket>,
) -> ApiResult<Json<TicketOut>> {
    let target = st.engine.merge(&caller.actor, &number, &body.into).await?;
    let view = st.engine.ticket(&caller.actor, &target.number).await?;
    Ok(Json(ticket_out(&st.engine, &view, &caller.actor).await?))
}

/// A ticket's history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryList {
    /// Oldest first.
    pub history: Vec<HistoryOut>,
}

/// A ticket's history (agents).
#[utoipa::path(get, path = "/tickets/{number}/history", tag = "tickets", params(("number" = String, Path, description = "Ticket number")),
    responses((status = 200, description = "The history", body = HistoryList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn ticket_history(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
) -> ApiResult<Json<HistoryList>> {
    let entries = st.engine.history(&caller.actor, &number).await?;
    Ok(Json(HistoryList { history: entries.iter().map(HistoryOut::from).collect() }))
}
