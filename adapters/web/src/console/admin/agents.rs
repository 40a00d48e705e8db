//! Agents: list and search, add, edit (password, roles, API token reset).

use super::customer_users::new_password_hash;
use super::forms::AgentForm;
use super::roles::{role_names, roles_of};
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, AgentUser, ListQuery, admin, found, href, list_or_search, saved};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
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

/// `a` changed as `f` says.
async fn agent_from(f: &AgentForm, mut a: Agent) -> Result<Agent, Problem> {
    a.first_name = f.first_name.trim().to_string();
    a.last_name = f.last_name.trim().to_string();
    a.email = f.email.trim().to_string();
    a.valid = f.valid;
    if let Some(hash) = new_password_hash(&f.password).await? {
        a.password_hash = Some(hash);
    }
    Ok(a)
}

/// `GET /admin/agents`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let agents = match list_or_search(&st, &user, RecordKind::Agent, &q.search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::Agent(a) = r { Some(a) } else { None }).collect(),
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, "Agents", "agents", &q.done);
    let record = Agent { valid: true, ..Agent::default() };
    show(&ListPage { frame, head, search: q.search, agents, record, new: true })
}

/// `POST /admin/agents`: adds an agent (refuses an existing login), then opens its groups.
pub async fn add(State(st): State<AppState>, CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, AgentForm>) -> Response {
    let login = f.login.trim().to_string();
    let r = async {
        if st.engine.agent(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("agent {login:?} already exists")));
        }
        let a = agent_from(&f, Agent { login: login.clone(), ..Agent::default() }).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    saved(&user, r.await, &href("/admin/agents", &login, "/groups?done=saved"))
}

/// The roles with this agent's memberships ticked.
async fn role_boxes(st: &AppState, user: &AgentUser, login: &str) -> Result<Vec<RoleBox>, Problem> {
    let held = roles_of(st, user, login).await?;
    Ok(role_names(st).await?.into_iter().map(|name| RoleBox { member: held.contains(&name), name }).collect())
}

/// `GET /admin/agents/{login}`: edit an agent; its roles; reset its API token.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        let record = found(st.engine.agent(&login).await?, "agent", &login)?;
        let roles = role_boxes(&st, &user, &record.login).await?;
        Ok::<_, Problem>((record, roles))
    };
    let (record, roles) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, format!("Agent {}", record.login), "agents", &q.done);
    show(&EditPage { frame, head, record, new: false, roles })
}

/// `POST /admin/agents/{login}`: saves an agent, or resets its API token and shows the new one once.
pub async fn save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, AgentForm>,
) -> Response {
    if f.token_reset {
        let r = async {
            let a = admin(&st, &user).await?;
            found(st.engine.agent(&login).await?, "agent", &login)?;
            agent_token::revoke_all(&a, &login).await?;
            agent_token::issue(&a, &login).await.map_err(Problem::from)
        };
        return match r.await {
            Ok(token) => {
                let (frame, head) = chrome(&user, format!("New API token of {login}"), "agents", "");
                show(&TokenPage { frame, head, login, token })
            }
            Err(p) => bad(&user, &p),
        };
    }
    let r = async {
        let existing = found(st.engine.agent(&login).await?, "agent", &login)?;
        let a = agent_from(&f, existing).await?;
        // A new password ends the agent's sessions and tokens; an admin editing itself stays signed in.
        let own = hash_of(&user.token);
        let keep = (login == user.login).then_some(Credential::Session(SessionKind::Agent, &own));
        admin(&st, &user).await?.put_agent_keeping(a, keep).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/agents?done=saved")
}
