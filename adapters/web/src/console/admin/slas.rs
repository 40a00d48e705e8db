//! SLAs: how soon tickets of their services are answered, updated and solved, in working minutes of a
//! calendar, when to warn, and the state types in which the clocks pause. The list with the add form,
//! and one SLA's form. An SLA is never deleted (tickets name it): it is made invalid. What the engine
//! refuses (a calendar or service that does not exist, a share out of range) shows next to the form,
//! which keeps what was typed; saving re-times the running clocks under the SLA (the engine's
//! [`chamado::Admin::put_sla`]).

use super::services::valid_service_names;
use super::slas_form::{PAUSE_TYPES, SlaView};
use super::view::{Head, bad, chrome};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Record, RecordKind, StateType};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// What the SLA form's fields offer.
#[derive(Debug, Clone, Default)]
struct SlaChoices {
    /// Every calendar's name.
    calendars: Vec<String>,
    /// Every valid service's name.
    services: Vec<String>,
    /// The state types a clock may pause in.
    pause_types: Vec<StateType>,
}

impl SlaChoices {
    async fn load(st: &AppState) -> Result<SlaChoices, Problem> {
        Ok(SlaChoices {
            calendars: st.engine.calendars().await?.into_iter().map(|c| c.name).collect(),
            services: valid_service_names(st).await?,
            pause_types: PAUSE_TYPES.to_vec(),
        })
    }
}

/// The list and the add form.
#[derive(Template)]
#[template(path = "admin/slas.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    rows: Vec<SlaView>,
    choices: SlaChoices,
    /// The add form's values.
    view: SlaView,
    new: bool,
    /// Why the engine refused the add form, shown next to it.
    form_error: Option<String>,
}

/// One SLA's form.
#[derive(Template)]
#[template(path = "admin/sla.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    choices: SlaChoices,
    view: SlaView,
    new: bool,
    form_error: Option<String>,
}

/// The stored SLA `name`.
async fn load(st: &AppState, user: &AgentUser, name: &str) -> Result<SlaView, Problem> {
    let record = admin(st, user).await?.get(RecordKind::Sla, name).await?;
    let sla = if let Some(Record::Sla(s)) = record { Some(s) } else { None };
    found(sla.map(SlaView::of), RecordKind::Sla, name)
}

/// The list page, its add form holding `draft` with the problem the engine answered on it, if any.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    done: &str,
    draft: Option<SlaView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let rows: Vec<SlaView> = st.engine.slas().await?.into_iter().map(SlaView::of).collect();
        Ok::<_, Problem>((rows, SlaChoices::load(st).await?))
    };
    let (rows, choices) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-sla-slas"), "slas", done);
    let first_calendar = choices.calendars.first().map_or("", String::as_str);
    let view = draft.unwrap_or_else(|| SlaView::blank(first_calendar));
    let page = ListPage {
        frame,
        head,
        rows,
        view,
        choices,
        new: true,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// The page of SLA `name`, its form holding `draft` (else the stored SLA) with the problem the engine
/// answered on it, if any.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    name: &str,
    done: &str,
    draft: Option<SlaView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async { Ok::<_, Problem>((load(st, user, name).await?, SlaChoices::load(st).await?)) };
    let (stored, choices) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-sla-sla", "name", stored.name.as_str()), "slas", done);
    let page = EditPage {
        frame,
        head,
        choices,
        view: draft.unwrap_or(stored),
        new: false,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// `GET /admin/slas`: the list and the add form.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    list_page(&st, &user, &q.done, None, None).await
}

/// `POST /admin/slas`: adds an SLA; what the engine refuses shows next to the form, which keeps what
/// was typed.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let view = SlaView::posted(&pairs, None);
    let r = async {
        let record = view.record()?;
        let a = admin(&st, &user).await?;
        if a.get(RecordKind::Sla, &view.name).await?.is_some() {
            return Err(duplicate(RecordKind::Sla, &view.name));
        }
        a.put_sla(record).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/slas", &view.name, "?done=saved")),
        Err(p) => list_page(&st, &user, "", Some(view), Some(&p)).await,
    }
}

/// `GET /admin/slas/{name}`: one SLA's form.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None, None).await
}

/// `POST /admin/slas/{name}`: saves the SLA (it keeps its name: tickets name it); what the engine
/// refuses shows next to the form, which keeps what was typed.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    if let Err(p) = load(&st, &user, &name).await {
        return bad(&user, &p);
    }
    let view = SlaView::posted(&pairs, Some(&name));
    let r = async {
        admin(&st, &user).await?.put_sla(view.record()?).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/slas", &name, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(view), Some(&p)).await,
    }
}
