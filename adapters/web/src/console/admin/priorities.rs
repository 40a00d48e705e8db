//! Priorities: the five levels with the names and validity an admin gives them. Tickets keep the
//! level, so a rename changes what every ticket shows.

use super::forms::NamedForm;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, found, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Priority, PriorityDef, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The five priorities.
#[derive(Template)]
#[template(path = "admin/priorities.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    priorities: Vec<PriorityDef>,
}

/// One priority's form.
#[derive(Template)]
#[template(path = "admin/priority.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: PriorityDef,
}

/// `GET /admin/priorities`.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let priorities = match st.engine.priorities().await {
        Ok(p) => p,
        Err(e) => return bad(&user, &Problem::from(e)),
    };
    let (frame, head) = chrome(&user, user.tr.t("admin-heading-priorities"), "priorities", &q.done);
    show(&ListPage { frame, head, priorities })
}

/// The priority of level `level` (the path's digit).
async fn load(st: &AppState, level: &str) -> Result<PriorityDef, Problem> {
    let level: Option<Priority> = level.parse::<u8>().ok().and_then(|l| Priority::new(l).ok());
    let all = st.engine.priorities().await?;
    found(
        level.and_then(|l| all.into_iter().find(|p| p.level == l)),
        RecordKind::Priority,
        &level.map(|l| l.level()).unwrap_or(0).to_string(),
    )
}

/// The edit screen of priority `level`, with the problem the engine answered on it, if any.
async fn edit_page(st: &AppState, user: &AgentUser, level: &str, done: &str, problem: Option<&Problem>) -> Response {
    let record = match load(st, level).await {
        Ok(r) => r,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) =
        chrome(user, user.tr.t1("admin-heading-priority", "name", record.name.as_str()), "priorities", done);
    match problem {
        None => show(&EditPage { frame, head, record }),
        Some(p) => page::render(p.status(), &EditPage { frame: refused(frame, p), head, record }),
    }
}

/// `GET /admin/priorities/{level}`: edit a priority.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(level): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &level, &q.done, None).await
}

/// `POST /admin/priorities/{level}`: renames a priority, sets its comment and validity. What the engine
/// refuses (a taken name, the default priority made invalid) shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(level): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, NamedForm>,
) -> Response {
    let r = async {
        let mut p = load(&st, &level).await?;
        p.name = f.name.trim().to_string();
        p.comment = f.comment.trim().to_string();
        p.valid = f.valid;
        admin(&st, &user).await?.put_priority(p).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), "/admin/priorities?done=saved"),
        Err(p) => edit_page(&st, &user, &level, "", Some(&p)).await,
    }
}
