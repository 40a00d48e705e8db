//! What an agent does around a ticket besides changing it: watching it (`/tickets/{number}/watch`:
//! watchers are told of its follow-ups) and the standard templates offered on it
//! (`/tickets/{number}/templates`), rendered for the ticket in the agent's language.

use crate::dto::{TicketOut, ticket_out};
use axum::Json;
use axum::extract::{Path, State};
use chamado::TemplateKind;
pub use chamado_api_types::texts::{RenderedTextOut, TemplateOffer, TemplateOffers};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiQuery;
use chamado_http::{ApiResult, Problem, ProblemBody};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The watch and template routes of tickets.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(watch_ticket, unwatch_ticket))
        .routes(routes!(ticket_templates))
        .routes(routes!(render_ticket_template))
}

async fn watch(st: &AppState, caller: &ApiCaller, number: &str, on: bool) -> ApiResult<Json<TicketOut>> {
    let ticket = st.engine.watch(&caller.actor, number, on).await?;
    let view = st.engine.ticket(&caller.actor, &ticket.number).await?;
    Ok(Json(ticket_out(&st.engine, &view, &caller.actor).await?))
}

/// The calling agent watches the ticket: follow-ups are told to it as to the owner. Tickets the agent
/// cannot read are 404; watching again changes nothing.
#[utoipa::path(put, path = "/tickets/{number}/watch", tag = "tickets",
    params(("number" = String, Path, description = "Ticket number")),
    responses((status = 200, description = "The ticket, watched", body = TicketOut),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, or one the agent cannot read", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn watch_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
) -> ApiResult<Json<TicketOut>> {
    watch(&st, &caller, &number, true).await
}

/// The calling agent stops watching the ticket. Tickets the agent cannot read are 404; stopping
/// again changes nothing.
#[utoipa::path(delete, path = "/tickets/{number}/watch", tag = "tickets",
    params(("number" = String, Path, description = "Ticket number")),
    responses((status = 200, description = "The ticket, no longer watched", body = TicketOut),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, or one the agent cannot read", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn unwatch_ticket(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
) -> ApiResult<Json<TicketOut>> {
    watch(&st, &caller, &number, false).await
}

/// Which templates: those for replies or those for internal notes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateKindQuery {
    /// `answer` (replies to the customer, the default) or `note` (internal notes).
    #[param(schema_with = offered_kind)]
    pub kind: Option<String>,
}

/// `answer` or `note`.
fn offered_kind() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some([TemplateKind::Answer.as_str(), TemplateKind::Note.as_str()]))
        .build()
}

impl TemplateKindQuery {
    fn kind(&self) -> ApiResult<TemplateKind> {
        match self.kind.as_deref() {
            None | Some("answer") => Ok(TemplateKind::Answer),
            Some("note") => Ok(TemplateKind::Note),
            Some(other) => {
                Err(Problem::bad_request("malformed_query", format!("kind {other:?} is not answer or note")))
            }
        }
    }
}

/// The standard templates offered on the ticket to the calling agent: the valid ones of `kind`
/// assigned to the ticket's queue, in name order.
#[utoipa::path(get, path = "/tickets/{number}/templates", tag = "tickets",
    params(("number" = String, Path, description = "Ticket number"), TemplateKindQuery),
    responses((status = 200, description = "The templates offered", body = TemplateOffers),
        (status = 400, description = "Malformed parameters", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, or one the agent cannot read", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn ticket_templates(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<TemplateKindQuery>,
) -> ApiResult<Json<TemplateOffers>> {
    let kind = q.kind()?;
    let view = st.engine.ticket(&caller.actor, &number).await?;
    let offered = st.engine.templates_for_queue(&caller.actor, &view.ticket.queue, kind).await?;
    let items = offered.into_iter().map(|t| TemplateOffer { name: t.name, kind: t.kind }).collect();
    Ok(Json(TemplateOffers { items }))
}

/// A standard template offered on the ticket, rendered for it in the calling agent's language: the
/// subject and body to start a reply or note from.
#[utoipa::path(get, path = "/tickets/{number}/templates/{name}", tag = "tickets",
    params(("number" = String, Path, description = "Ticket number"),
        ("name" = String, Path, description = "Template name"), TemplateKindQuery),
    responses((status = 200, description = "The template rendered for the ticket", body = RenderedTextOut),
        (status = 400, description = "Malformed parameters", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, one the agent cannot read, or a template not offered on it", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The template failed to render (the detail names the line)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn render_ticket_template(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((number, name)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<TemplateKindQuery>,
) -> ApiResult<Json<RenderedTextOut>> {
    let kind = q.kind()?;
    let rendered = st.engine.render_template_for(&caller.actor, &number, &name, kind).await?;
    Ok(Json(rendered.into()))
}
