//! `/api/v1/calendars` and `/api/v1/slas`: the business-hours calendars and service level agreements
//! the escalation clocks count by (admins). A calendar or SLA is invalidated with `"valid": false` on
//! `PUT` (tickets already counting by it keep their clocks); neither is removed, since tickets name
//! them. A refusal's detail is in the language `Accept-Language` asks for.

use crate::admin_common::admin;
use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chamado::{Calendar, Engine, Sla};
pub use chamado_api_types::slas::{
    CalendarBody, CalendarChanges, CalendarList, HoursBody, QueueEscalationBody, SlaBody, SlaChanges, SlaList,
};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The calendar and SLA routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_calendar, list_calendars))
        .routes(routes!(get_calendar, put_calendar))
        .routes(routes!(create_sla, list_slas))
        .routes(routes!(get_sla, put_sla))
}

/// A problem whose detail is `m` (in English; [`localized`] translates it).
fn problem(p: fn(String) -> Problem, m: Message) -> Problem {
    p(m.english()).with_message(m)
}

fn taken(m: Message) -> Problem {
    Problem::conflict("duplicate", m.english()).with_message(m)
}

async fn calendar(engine: &Engine, name: &str) -> ApiResult<Calendar> {
    let found = engine.calendars().await?.into_iter().find(|c| c.name == name);
    found.ok_or_else(|| {
        problem(Problem::not_found, Message::new("error-api-calendar-not-found").arg("name", format!("{name:?}")))
    })
}

async fn sla(engine: &Engine, name: &str) -> ApiResult<Sla> {
    let found = engine.slas().await?.into_iter().find(|s| s.name == name);
    found
        .ok_or_else(|| problem(Problem::not_found, Message::new("error-sla-not-found").arg("sla", format!("{name:?}"))))
}

/// Stores a calendar, answering it as stored.
async fn store_calendar(st: &AppState, caller: &ApiCaller, body: CalendarBody) -> ApiResult<CalendarBody> {
    let admin = admin(st, caller).await?;
    let record = body.into_record()?;
    let name = record.name.clone();
    admin.put_calendar(record).await?;
    Ok(calendar(&st.engine, &name).await?.into())
}

/// Stores an SLA, answering it as stored.
async fn store_sla(st: &AppState, caller: &ApiCaller, body: SlaBody) -> ApiResult<SlaBody> {
    let admin = admin(st, caller).await?;
    let record = body.into_record();
    let name = record.name.clone();
    admin.put_sla(record).await?;
    Ok(sla(&st.engine, &name).await?.into())
}

/// Adds a business-hours calendar (admins): an IANA time zone, working hours per weekday
/// (`{"mon": [["09:00", "17:00"]]}`) and holidays (`MM-DD` every year, `YYYY-MM-DD` once). 409 when the
/// name is taken; 422 (naming the value) for an unknown zone, a time or date that does not exist,
/// intervals out of order or overlapping, or a week without working hours.
#[utoipa::path(post, path = "/calendars", tag = "admin", request_body = CalendarBody,
    responses((status = 201, description = "Created", body = CalendarBody),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A calendar of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A zone, time, interval or holiday that does not work (the detail names it)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_calendar(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<CalendarBody>,
) -> ApiResult<(StatusCode, Json<CalendarBody>)> {
    let run = async {
        admin(&st, &caller).await?;
        if calendar(&st.engine, &b.name).await.is_ok() {
            return Err(taken(Message::new("error-api-calendar-exists").arg("name", format!("{:?}", b.name))));
        }
        store_calendar(&st, &caller, b).await
    };
    Ok((StatusCode::CREATED, Json(run.await.map_err(|p| localized(p, &headers))?)))
}

/// Every calendar (admins), in name order.
#[utoipa::path(get, path = "/calendars", tag = "admin",
    responses((status = 200, description = "Calendars", body = CalendarList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_calendars(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<CalendarList>> {
    admin(&st, &caller).await?;
    Ok(Json(CalendarList { items: st.engine.calendars().await?.into_iter().map(CalendarBody::from).collect() }))
}

/// One calendar (admins).
#[utoipa::path(get, path = "/calendars/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The calendar", body = CalendarBody),
        (status = 404, description = "No such calendar", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_calendar(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<Json<CalendarBody>> {
    let run = async {
        admin(&st, &caller).await?;
        calendar(&st.engine, &name).await
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?.into()))
}

/// Replaces a calendar (admins); `"valid": false` invalidates it. The clocks that count by it get new
/// due times.
#[utoipa::path(put, path = "/calendars/{name}", tag = "admin", request_body = CalendarChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The calendar as stored", body = CalendarBody),
        (status = 404, description = "No such calendar", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A zone, time, interval or holiday that does not work (the detail names it)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_calendar(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<CalendarChanges>,
) -> ApiResult<Json<CalendarBody>> {
    let run = async {
        admin(&st, &caller).await?;
        calendar(&st.engine, &name).await?;
        store_calendar(&st, &caller, b.named(&name)).await
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?))
}

/// Adds an SLA (admins): first-response, update and solution targets in working minutes of its
/// calendar, when to warn, the state types its clocks pause in, and the services whose tickets may
/// choose it. 404 when the calendar or a service does not exist, 409 when the name is taken.
#[utoipa::path(post, path = "/slas", tag = "admin", request_body = SlaBody,
    responses((status = 201, description = "Created", body = SlaBody),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "The calendar or a service does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "An SLA of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_sla(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<SlaBody>,
) -> ApiResult<(StatusCode, Json<SlaBody>)> {
    let run = async {
        admin(&st, &caller).await?;
        if sla(&st.engine, &b.name).await.is_ok() {
            return Err(taken(Message::new("error-api-sla-exists").arg("name", format!("{:?}", b.name))));
        }
        store_sla(&st, &caller, b).await
    };
    Ok((StatusCode::CREATED, Json(run.await.map_err(|p| localized(p, &headers))?)))
}

/// Every SLA (admins), in name order.
#[utoipa::path(get, path = "/slas", tag = "admin",
    responses((status = 200, description = "SLAs", body = SlaList),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_slas(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<Json<SlaList>> {
    admin(&st, &caller).await?;
    Ok(Json(SlaList { items: st.engine.slas().await?.into_iter().map(SlaBody::from).collect() }))
}

/// One SLA (admins).
#[utoipa::path(get, path = "/slas/{name}", tag = "admin", params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The SLA", body = SlaBody),
        (status = 404, description = "No such SLA", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_sla(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<Json<SlaBody>> {
    let run = async {
        admin(&st, &caller).await?;
        sla(&st.engine, &name).await
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?.into()))
}

/// Replaces an SLA (admins); `"valid": false` invalidates it (tickets can no longer choose it). The
/// clocks of its tickets get new due times.
#[utoipa::path(put, path = "/slas/{name}", tag = "admin", request_body = SlaChanges,
    params(("name" = String, Path, description = "Name")),
    responses((status = 200, description = "The SLA as stored", body = SlaBody),
        (status = 404, description = "No such SLA, or its calendar or a service does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_sla(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<SlaChanges>,
) -> ApiResult<Json<SlaBody>> {
    let run = async {
        admin(&st, &caller).await?;
        sla(&st.engine, &name).await?;
        store_sla(&st, &caller, b.named(&name)).await
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?))
}
