//! Agents: list and search, add, edit (password, language, time zone, roles, API token reset).

use super::choices::{self, LanguageChoice};
use super::customer_users::new_password_hash;
use super::forms::AgentForm;
use super::roles::{role_names, roles_of};
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, list_or_search, saved, see_other};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Agent, Record, RecordKind};
use chamado::{Credential, SessionKind};
use chamado_http::auth::agent_token;
use chamado_http::extract::ApiQuery;
use chamado_http::random::sha256_hex as hash_of;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/agents.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    agents: Vec<Agent>,
    /// The add form's values.
    record: Agent,
    new: bool,
    languages: Vec<LanguageChoice>,
    zones: Vec<String>,
}

/// A role an agent may be a member of.
struct RoleBox {
    name: String,
    member: bool,
}

/// One agent: its form, its token reset, its roles.
#[derive(Template)]
#[template(path = "admin/agent.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: Agent,
    new: bool,
    roles: Vec<RoleBox>,
    languages: Vec<LanguageChoice>,
    zones: Vec<String>,
}

/// The new API token, shown once.
#[derive(Template)]
#[template(path = "admin/agent_token.html")]
struct TokenPage {
    frame: Frame,
    head: Head,
    login: String,
    token: String,
}

/// `a` with the form's fields but the password, language and time zone as posted: what a refused
/// form shows again.
fn with_fields(f: &AgentForm, mut a: Agent) -> Agent {
    a.first_name = f.first_name.trim().to_string();
    a.last_name = f.last_name.trim().to_string();
    a.email = f.email.trim().to_string();
    a.language = Some(f.language.trim().to_string()).filter(|l| !l.is_empty());
    a.time_zone = Some(f.time_zone.trim().to_string()).filter(|z| !z.is_empty());
    a.valid = f.valid;
    a
}

/// `a` changed as `f` says; an unknown language or time zone is refused.
async fn agent_from(f: &AgentForm, a: Agent) -> Result<Agent, Problem> {
    let mut a = with_fields(f, a);
    a.language = choices::language(&f.language)?;
    a.time_zone = choices::time_zone(&f.time_zone)?;
    if let Some(hash) = new_password_hash(&f.password).await? {
        a.password_hash = Some(hash);
    }
    Ok(a)
}

/// The list page (search `search`) with `record` in the add form and, after a refused add, the
/// problem on top.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    search: String,
    done: &str,
    record: Agent,
    problem: Option<&Problem>,
) -> Response {
    let agents = match list_or_search(st, user, RecordKind::Agent, &search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::Agent(a) = r { Some(a) } else { None }).collect(),
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-heading-agents"), "agents", done);
    let (frame, status) = match problem {
        None => (frame, StatusCode::OK),
        Some(p) => (refused(frame, p), p.status()),
    };
    let (languages, zones) = (choices::languages(), choices::time_zones());
    page::render(status, &ListPage { frame, head, search, agents, record, new: true, languages, zones })
}

/// `GET /admin/agents`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let record = Agent { valid: true, ..Agent::default() };
    list_page(&st, &user, q.search, &q.done, record, None).await
}

/// `POST /admin/agents`: adds an agent (refuses an existing login), then opens its groups. A refusal
/// shows the add form again, filled in.
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, AgentForm>) -> Response {
    let login = f.login.trim().to_string();
    let fresh = || Agent { login: login.clone(), ..Agent::default() };
    let r = async {
        if st.engine.agent(&login).await?.is_some() {
            return Err(duplicate(RecordKind::Agent, &login));
        }
        let a = agent_from(&f, fresh()).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other(&href("/admin/agents", &login, "/groups?done=saved")),
        Err(p) => list_page(&st, &user, String::new(), "", with_fields(&f, fresh()), Some(&p)).await,
    }
}

/// The roles with this agent's memberships ticked.
async fn role_boxes(st: &AppState, user: &AgentUser, login: &str) -> Result<Vec<RoleBox>, Problem> {
    let held = roles_of(st, user, login).await?;
    Ok(role_names(st).await?.into_iter().map(|name| RoleBox { member: held.contains(&name), name }).collect())
}

/// The edit screen of agent `login`; after a refused save, the posted values and the problem.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    login: &str,
    done: &str,
    refusal: Option<(&AgentForm, &Problem)>,
) -> Response {
    let r = async {
        let record = found(st.engine.agent(login).await?, RecordKind::Agent, login)?;
        let roles = role_boxes(st, user, &record.login).await?;
        Ok::<_, Problem>((record, roles))
    };
    let (record, roles) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let heading = user.tr.t1("admin-heading-agent", "login", record.login.as_str());
    let (frame, head) = chrome(user, heading, "agents", done);
    let (frame, record, status) = match refusal {
        None => (frame, record, StatusCode::OK),
        Some((f, p)) => (refused(frame, p), with_fields(f, record), p.status()),
    };
    let (languages, zones) = (choices::languages(), choices::time_zones());
    page::render(status, &EditPage { frame, head, record, new: false, roles, languages, zones })
}

/// `GET /admin/agents/{login}`: edit an agent; its roles; reset its API token.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &login, &q.done, None).await
}

/// `POST /admin/agents/{login}`: saves an agent, or resets its API token and shows the new one once.
/// What the engine refuses (an unknown language or time zone) shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, AgentForm>,
) -> Response {
    if f.token_reset {
        let r = async {
            let a = admin(&st, &user).await?;
            found(st.engine.agent(&login).await?, RecordKind::Agent, &login)?;
            agent_token::revoke_all(&a, &login).await?;
            agent_token::issue(&a, &login).await.map_err(Problem::from)
        };
        return match r.await {
            Ok(token) => {
                let heading = user.tr.t1("admin-heading-agent-token", "login", login.as_str());
                let (frame, head) = chrome(&user, heading, "agents", "");
                show(&TokenPage { frame, head, login, token })
            }
            Err(p) => bad(&user, &p),
        };
    }
    let r = async {
        let existing = found(st.engine.agent(&login).await?, RecordKind::Agent, &login)?;
        let a = agent_from(&f, existing).await?;
        // A new password ends the agent's sessions and tokens; an admin editing itself stays signed in.
        let own = hash_of(&user.token);
        let keep = (login == user.login).then_some(Credential::Session(SessionKind::Agent, &own));
        admin(&st, &user).await?.put_agent_keeping(a, keep).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), "/admin/agents?done=saved"),
        Err(p) if p.status() == StatusCode::NOT_FOUND => bad(&user, &p),
        Err(p) => edit_page(&st, &user, &login, "", Some((&f, &p))).await,
    }
}
