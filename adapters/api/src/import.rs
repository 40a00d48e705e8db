//! `/api/v1/import`: moving from another help desk into a running server (admins): one directory
//! record or one ticket per request, written as the old system had them, and the numbers new tickets
//! must pass. Re-sending what did not change writes nothing (`unchanged`), so an import can run again
//! and again while the old system is still in use.
//!
//! Refusals name the field; their detail is in the language `Accept-Language` asks for.

use crate::admin_common::admin;
use crate::directory::auto_response_kinds;
use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use chamado::import::{ImportedArticle, ImportedHistory, ImportedTicket};
use chamado::{Attachment, Priority, Record, Timestamp};
use chamado_api_types::import::{
    CHANNELS, LOCKS, NUMBERS_MAX, REVISION_MAX, SENDERS, SOURCE_MAX, by_name, check_number, history_kind_names,
};
pub use chamado_api_types::import::{
    ImportArticleIn, ImportAttachmentIn, ImportHistoryIn, ImportNumbers, ImportOutcomeBody, ImportRecordIn,
    ImportResult, ImportTicketIn,
};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::time::parse_rfc3339;
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest ticket body `PUT /import/tickets` reads: its files travel inside it as base64.
pub const TICKET_BODY_MAX: usize = 64 << 20;

/// The largest body `POST /import/numbers` reads: room for its 10,000 numbers of 50 characters.
pub const NUMBERS_BODY_MAX: usize = 1 << 20;

/// The import routes; tickets and numbers with body limits of their own.
pub fn routes() -> OpenApiRouter<AppState> {
    let tickets = OpenApiRouter::new().routes(routes!(import_ticket)).layer(DefaultBodyLimit::max(TICKET_BODY_MAX));
    let numbers = OpenApiRouter::new().routes(routes!(reserve_numbers)).layer(DefaultBodyLimit::max(NUMBERS_BODY_MAX));
    OpenApiRouter::new().merge(tickets).merge(numbers).routes(routes!(import_record))
}

/// A 422 whose detail is `m`.
fn invalid(m: Message) -> Problem {
    Problem::validation(m.english()).with_message(m)
}

/// The body's `field`, an RFC 3339 time.
fn time(field: &'static str, value: &str) -> ApiResult<Timestamp> {
    parse_rfc3339(value).ok_or_else(|| {
        invalid(Message::new("error-api-import-time").arg("field", field).arg("value", format!("{value:?}")))
    })
}

/// `value` has `min` to `max` characters (as the schema counts them).
fn length(field: &'static str, value: &str, min: usize, max: usize) -> ApiResult<()> {
    if (min..=max).contains(&value.chars().count()) {
        return Ok(());
    }
    Err(invalid(
        Message::new("error-api-import-length").arg("field", field).arg("min", min as u64).arg("max", max as u64),
    ))
}

/// Writes one directory record from another help desk (admins): a customer, customer user, agent,
/// role, group, queue, service, state, priority, calendar, SLA or grant, tagged by `kind`, with the
/// fields of the admin body of that kind (agents and customer users with the password hash the old
/// system stored, which no answer ever shows). The same checks as the admin endpoints apply.
/// `unchanged` when the server holds it as it is; agents and customer users keep what only this
/// server knows (API tokens, chat links, notification choices, a password set here since).
#[utoipa::path(put, path = "/import/records", tag = "import", request_body = ImportRecordIn,
    responses((status = 200, description = "What it did", body = ImportResult),
        (status = 400, description = "Malformed JSON, an unknown kind or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "Something it names does not exist (a group, calendar, service, grant subject)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "It clashes with what exists (an email another customer user has, a state's type)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A value the engine refuses (the detail names it and follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn import_record(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ImportRecordIn>,
) -> ApiResult<Json<ImportResult>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let record = b.into_record()?;
        if let Record::Queue(q) = &record {
            auto_response_kinds(&st, q).await?;
        }
        let outcome = admin.import_record(record).await?;
        Ok(Json(ImportResult { outcome: outcome.into() }))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Writes one ticket from another help desk (admins), with the number, times, articles, files
/// (base64, in a body of up to 64 MiB) and history it had there, in one commit. `created` the first
/// time; `unchanged` (nothing written) while its `revision` stays; `updated` after, when its fields
/// are written again and only the articles and history entries not written before are added. Writes
/// no events: integrations hear of what happens after. Send the numbers to `POST /import/numbers`
/// after a batch.
#[utoipa::path(put, path = "/import/tickets", tag = "import", request_body = ImportTicketIn,
    responses((status = 200, description = "What it did", body = ImportResult),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "The queue or state does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A ticket not from this import holds the number", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 MiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A time, name, number or file content that does not fit (the detail names it and follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn import_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ImportTicketIn>,
) -> ApiResult<Json<ImportResult>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let outcome = admin.import_ticket(ticket(b)?).await?;
        Ok(Json(ImportResult { outcome: outcome.into() }))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Moves the server's number counters past the imported numbers its own format could also produce
/// (admins), so that new tickets never take one; numbers of another shape are left alone. Cheap to
/// repeat: send each batch's numbers after its tickets.
#[utoipa::path(post, path = "/import/numbers", tag = "import", request_body = ImportNumbers,
    responses((status = 204, description = "Reserved"),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "More than 10000 numbers, or one that is no ticket number (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn reserve_numbers(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ImportNumbers>,
) -> ApiResult<StatusCode> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        if b.numbers.len() > NUMBERS_MAX {
            return Err(invalid(Message::new("error-api-import-numbers-max").arg("max", NUMBERS_MAX as u64)));
        }
        for n in &b.numbers {
            check_number(n)?;
        }
        admin.reserve_imported_numbers(b.numbers.iter().map(String::as_str)).await?;
        Ok(StatusCode::NO_CONTENT)
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// The engine's ticket, every field checked as the schema describes it.
fn ticket(b: ImportTicketIn) -> ApiResult<ImportedTicket> {
    length("source", &b.source, 1, SOURCE_MAX)?;
    length("revision", &b.revision, 0, REVISION_MAX)?;
    check_number(&b.number)?;
    let pending_until = b.pending_until.as_deref().map(|t| time("pending_until", t)).transpose()?;
    let articles = b.articles.into_iter().map(article).collect::<ApiResult<Vec<_>>>()?;
    let history = b.history.into_iter().map(history).collect::<ApiResult<Vec<_>>>()?;
    Ok(ImportedTicket {
        priority: Priority::new(b.priority)?,
        lock: by_name("lock", &b.lock, &LOCKS)?,
        channel: by_name("channel", &b.channel, &CHANNELS)?,
        created_at: time("created_at", &b.created_at)?,
        changed_at: time("changed_at", &b.changed_at)?,
        pending_until,
        source: b.source,
        revision: b.revision,
        number: b.number,
        title: b.title,
        queue: b.queue,
        state: b.state,
        owner: b.owner,
        responsible: b.responsible,
        customer_user: b.customer_user,
        customer_id: b.customer_id,
        service: b.service,
        sla: b.sla,
        articles,
        history,
    })
}

fn article(a: ImportArticleIn) -> ApiResult<ImportedArticle> {
    length("source", &a.source, 1, SOURCE_MAX)?;
    let attachments = a.attachments.into_iter().map(attachment).collect::<ApiResult<Vec<_>>>()?;
    Ok(ImportedArticle {
        sender: by_name("sender", &a.sender, &SENDERS)?,
        channel: by_name("channel", &a.channel, &CHANNELS)?,
        created_at: time("created_at", &a.created_at)?,
        source: a.source,
        visible_to_customer: a.visible_to_customer,
        from: a.from,
        reply_to: a.reply_to,
        to: a.to,
        subject: a.subject,
        body: a.body,
        message_id: a.message_id,
        references: a.references,
        created_by: a.created_by,
        attachments,
    })
}

fn attachment(f: ImportAttachmentIn) -> ApiResult<Attachment> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(f.content.as_bytes())
        .map_err(|_| invalid(Message::new("error-api-import-base64").arg("name", format!("{:?}", f.name))))?;
    Ok(Attachment { name: f.name, content_type: f.content_type, inline: f.inline, data })
}

fn history(h: ImportHistoryIn) -> ApiResult<ImportedHistory> {
    let names = history_kind_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Ok(ImportedHistory {
        at: time("at", &h.at)?,
        kind: by_name("kind", &h.kind, &names)?,
        source_id: h.source_id,
        actor: h.actor,
        message: h.message,
    })
}
