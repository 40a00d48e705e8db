//! Agents: list, add, edit (password, token reset).

use super::*;
use chamado::{Credential, SessionKind};
use chamado_http::random::sha256_hex as hash_of;

pub(super) fn agent_fields(a: &Agent, csrf: &str, new: bool) -> String {
    format!(
        "{}{}{}{}{}{}{}",
        csrf_field(csrf),
        key_input(new, "login", "Login", &a.login),
        text_input("first_name", "First name", &a.first_name, false),
        text_input("last_name", "Last name", &a.last_name, false),
        text_input("email", "Email", &a.email, false),
        password_input(new, "Password (for the console)"),
        valid_box(a.valid)
    )
}

pub(super) async fn agent_from(f: &Form, mut a: Agent) -> Result<Agent, Problem> {
    a.first_name = field(f, "first_name").to_string();
    a.last_name = field(f, "last_name").to_string();
    a.email = field(f, "email").to_string();
    a.valid = checked(f, "valid");
    if let Some(hash) = new_password_hash(f).await? {
        a.password_hash = Some(hash);
    }
    Ok(a)
}

const SCREEN: ListScreen<'static> = ListScreen {
    title: "Agents",
    base: "/admin/agents",
    search_label: "Search agents",
    head: &["Login", "Name", "Valid", "Groups"],
    what: "agent",
};

/// Agents: list and add.
pub async fn agents(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let row = |r: &Record| match r {
        Record::Agent(a) => Some(format!(
            "<tr><td data-label=\"Login\"><a href=\"/admin/agents/{l}\">{}</a></td><td data-label=\"Name\">{} {}</td>\
                 <td data-label=\"Valid\">{}</td><td><a href=\"/admin/agents/{l}/groups\">Groups</a></td></tr>",
            esc(&a.login),
            esc(&a.first_name),
            esc(&a.last_name),
            yes(a.valid),
            l = enc(&a.login)
        )),
        _ => None,
    };
    let fields = agent_fields(&Agent { valid: true, ..Agent::default() }, &user.csrf, true);
    SCREEN.serve((&st, &user, &q), RecordKind::Agent, row, &fields).await
}

/// Adds an agent (refuses an existing login), then opens its groups.
pub async fn agent_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let login = field(&f, "login").to_string();
    let r = async {
        if st.engine.agent(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("agent {login:?} already exists")));
        }
        let a = agent_from(&f, Agent { login: login.clone(), ..Agent::default() }).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    saved(&user, r.await, &format!("/admin/agents/{}/groups?done=saved", enc(&login)))
}

/// Edit an agent; reset its API token.
pub async fn agent_edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(login): Path<String>) -> Response {
    let a = match st.engine.agent(&login).await.map_err(Problem::from).and_then(|a| found(a, "agent", &login)) {
        Ok(a) => a,
        Err(p) => return bad(&user, &p),
    };
    let roles = match agent_roles_form(&st, &user, &a.login).await {
        Ok(f) => f,
        Err(p) => return bad(&user, &p),
    };
    let here = format!("/admin/agents/{}", enc(&a.login));
    let after = format!(
        "<form class=\"card\" method=\"post\" action=\"{here}\">{}<input type=\"hidden\" name=\"token_reset\" value=\"1\">\
         <p>{} API token(s). Resetting revokes them and shows a new token once.</p><button type=\"submit\">Reset API token</button></form>\
         <p><a href=\"{here}/groups\">Groups of this agent</a></p>{roles}",
        csrf_field(&user.csrf),
        a.token_hashes.len(),
    );
    page(&user, &format!("Agent {}", a.login), "", &edit_form(&here, &agent_fields(&a, &user.csrf, false), &after))
}

/// Saves an agent, or resets its API token.
pub async fn agent_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    if checked(&f, "token_reset") {
        let r = async {
            let a = admin(&st, &user).await?;
            agent_token::revoke_all(&a, &login).await?;
            agent_token::issue(&a, &login).await.map_err(Problem::from)
        };
        return match r.await {
            Ok(token) => page(
                &user,
                &format!("New API token of {login}"),
                "",
                &format!(
                    "<p class=\"notice\" role=\"status\">Copy it now; it is not shown again.</p><p class=\"card\"><code id=\"token\">{}</code></p>\
                     <p><a href=\"/admin/agents/{}\">Back to the agent</a></p>",
                    esc(&token),
                    enc(&login)
                ),
            ),
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
