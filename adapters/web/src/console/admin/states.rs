//! Ticket states: list and search, add (name, type, next state), edit (next state, validity). Names and
//! types stay: tickets carry the name, and the indexes the type.

use super::forms::StateForm;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, list_or_search, records, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Record, RecordKind, StateDef, StateType};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/states.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    states: Vec<StateDef>,
    types: [StateType; 7],
    /// Every state's name, for the next state.
    names: Vec<String>,
}

/// One state's form.
#[derive(Template)]
#[template(path = "admin/state.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: StateDef,
    names: Vec<String>,
}

/// The next state a form names; empty is none.
fn next_state(f: &StateForm) -> Option<String> {
    Some(f.next_state.trim()).filter(|s| !s.is_empty()).map(String::from)
}

/// Every state's name.
async fn state_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::State)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::State(s) = r { Some(s.name) } else { None })
        .collect())
}

/// `GET /admin/states`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        let found = list_or_search(&st, &user, RecordKind::State, &q.search).await?;
        let states = found.into_iter().filter_map(|r| if let Record::State(s) = r { Some(s) } else { None });
        Ok::<_, Problem>((states.collect(), state_names(&st).await?))
    };
    let (states, names) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-states"), "states", &q.done);
    show(&ListPage { frame, head, search: q.search, states, types: StateType::ALL, names })
}

/// `POST /admin/states`: adds a state (refuses an existing name: states keep their type).
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, StateForm>) -> Response {
    let r = async {
        let name = f.name.trim();
        let a = admin(&st, &user).await?;
        if a.get(RecordKind::State, name).await?.is_some() {
            return Err(duplicate(RecordKind::State, name));
        }
        let mut s = StateDef::new(name, f.state_type.trim().parse()?);
        s.next_state = next_state(&f);
        s.valid = f.valid;
        s.validate()?;
        a.put_state(s).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/states?done=saved")
}

/// The stored state `name`.
async fn load(st: &AppState, user: &AgentUser, name: &str) -> Result<StateDef, Problem> {
    let record = admin(st, user).await?.get(RecordKind::State, name).await?;
    found(if let Some(Record::State(s)) = record { Some(s) } else { None }, RecordKind::State, name)
}

/// The edit screen of state `name`, with the problem the engine answered on it, if any.
async fn edit_page(st: &AppState, user: &AgentUser, name: &str, done: &str, problem: Option<&Problem>) -> Response {
    let r = async { Ok::<_, Problem>((load(st, user, name).await?, state_names(st).await?)) };
    let (record, names) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-heading-state", "name", record.name.as_str()), "states", done);
    match problem {
        None => show(&EditPage { frame, head, record, names }),
        Some(p) => page::render(p.status(), &EditPage { frame: refused(frame, p), head, record, names }),
    }
}

/// `GET /admin/states/{name}`: edit a state.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &name, &q.done, None).await
}

/// `POST /admin/states/{name}`: saves a state's next state and validity. What the engine refuses (the
/// states it sets on its own stay valid, a valid pending state's next state stays valid) shows on the
/// form.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, StateForm>,
) -> Response {
    let r = async {
        let mut s = load(&st, &user, &name).await?;
        s.next_state = next_state(&f);
        s.valid = f.valid;
        s.validate()?;
        admin(&st, &user).await?.put_state(s).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/states", &name, "?done=saved")),
        Err(p) => edit_page(&st, &user, &name, "", Some(&p)).await,
    }
}
