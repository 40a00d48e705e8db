//! Calendars: the working hours and holidays the SLA clocks count in, in a time zone. The list with the
//! add form, and one calendar's form. A calendar is never deleted (SLAs and queues name it): it is made
//! invalid. What the engine refuses shows next to the form, which keeps what was typed; saving a
//! calendar re-times the running clocks that count by it (the engine's [`chamado::Admin::put_calendar`]).

use super::calendars_form::CalendarView;
use super::choices::time_zones;
use super::forms::CalendarForm;
use super::view::{Head, bad, chrome};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list and the add form.
#[derive(Template)]
#[template(path = "admin/calendars.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    rows: Vec<CalendarView>,
    /// The add form's values.
    view: CalendarView,
    zones: Vec<String>,
    new: bool,
    /// Why the engine refused the add form, shown next to it.
    form_error: Option<String>,
}

/// One calendar's form.
#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    view: CalendarView,
    zones: Vec<String>,
    new: bool,
    form_error: Option<String>,
}

/// The stored calendar `name`.
async fn load(st: &AppState, user: &AgentUser, name: &str) -> Result<CalendarView, Problem> {
    let record = admin(st, user).await?.get(RecordKind::Calendar, name).await?;
    let calendar = if let Some(Record::Calendar(c)) = record { Some(c) } else { None };
    found(calendar.map(CalendarView::of), RecordKind::Calendar, name)
}

/// The list page, its add form holding `draft` with the problem the engine answered on it, if any.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    done: &str,
    draft: Option<CalendarView>,
    problem: Option<&Problem>,
) -> Response {
    let rows = match st.engine.calendars().await {
        Ok(all) => all.into_iter().map(CalendarView::of).collect(),
        Err(e) => return bad(user, &e.into()),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-sla-calendars"), "calendars", done);
    let page = ListPage {
        frame,
        head,
        rows,
        view: draft.unwrap_or_else(CalendarView::blank),
        zones: time_zones(),
        new: true,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// The page of calendar `name`, its form holding `draft` (else the stored calendar) with the problem
/// the engine answered on it, if any.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    name: &str,
    done: &str,
    draft: Option<CalendarView>,
    problem: Option<&Problem>,
) -> Response {
    let stored = match load(st, user, name).await {
        Ok(v) => v,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-sla-calendar", "name", stored.name.as_str()), "calendars", done);
    let page = EditPage {
        frame,
        head,
        view: draft.unwrap_or(stored),
        zones: time_zones(),
        new: false,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// `GET /admin/calendars`: the list and the add form.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    list_page(&st, &user, &q.done, None, None).await
}

/// `POST /admin/calendars`: adds a calendar; what the engine refuses shows next to the form, which
/// keeps what was typed.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CalendarForm>,
) -> Response {
    let view = CalendarView::posted(f, None);
    let r = async {
        let record = view.record()?;
        let a = admin(&st, &user).await?;
        if a.get(RecordKind::Calendar, &view.name).await?.is_some() {
            return Err(duplicate(RecordKind::Calendar, &view.name));
        }
        a.put_calendar(record).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/calendars", &view.name, "?done=saved")),
        Err(p) => list_page(&st, &user, "", Some(view), Some(&p)).await,
    }
}

/// `GET /admin/calendars/{name}`: one calendar's form.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None, None).await
}

/// `POST /admin/calendars/{name}`: saves the calendar (it keeps its name: SLAs and queues name it);
/// what the engine refuses shows next to the form, which keeps what was typed.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CalendarForm>,
) -> Response {
    if let Err(p) = load(&st, &user, &name).await {
        return bad(&user, &p);
    }
    let view = CalendarView::posted(f, Some(&name));
    let r = async {
        admin(&st, &user).await?.put_calendar(view.record()?).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/calendars", &name, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(view), Some(&p)).await,
    }
}
