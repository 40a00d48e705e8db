//! Agents: list, add, edit (password, token reset).

use super::*;

pub(super) fn agent_fields(a: &Agent, csrf: &str, new: bool) -> String {
    let login = if new {
        format!(
            "<label for=\"login\">Login</label><input id=\"login\" name=\"login\" required value=\"{}\">",
            esc(&a.login)
        )
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str| {
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\">", esc(v))
    };
    let pw_label = if new { "Password (for the console)" } else { "New password (leave empty to keep)" };
    format!(
        "{}{login}{}{}{}<label for=\"password\">{pw_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">{}",
        csrf_field(csrf),
        text("first_name", "First name", &a.first_name),
        text("last_name", "Last name", &a.last_name),
        text("email", "Email", &a.email),
        valid_box(a.valid)
    )
}

pub(super) async fn agent_from(f: &Form, mut a: Agent) -> Result<Agent, Problem> {
    a.first_name = field(f, "first_name").to_string();
    a.last_name = field(f, "last_name").to_string();
    a.email = field(f, "email").to_string();
    a.valid = checked(f, "valid");
    let pw = f.get("password").map(String::as_str).unwrap_or("");
    if !pw.is_empty() {
        a.password_hash =
            Some(password::hash_async(pw.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    Ok(a)
}

/// Agents: list and add.
pub async fn agents(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::Agent, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
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
        })
        .collect();
    let body = format!(
        "{}<table><thead><tr><th>Login</th><th>Name</th><th>Valid</th><th>Groups</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add agent</h2><form class=\"card\" method=\"post\" action=\"/admin/agents\">{}<button type=\"submit\">Add agent</button></form>",
        search_form("/admin/agents", &q.search, "Search agents"),
        agent_fields(&Agent { valid: true, ..Agent::default() }, &user.csrf, true)
    );
    page(&user, "Agents", &q.done, &body)
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
    match st.engine.agent(&login).await {
        Ok(Some(a)) => {
            let l = enc(&a.login);
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/agents/{l}\">{}<button type=\"submit\">Save</button></form>\
                 <form class=\"card\" method=\"post\" action=\"/admin/agents/{l}\">{}<input type=\"hidden\" name=\"token_reset\" value=\"1\">\
                 <p>{} API token(s). Resetting revokes them and shows a new token once.</p><button type=\"submit\">Reset API token</button></form>\
                 <p><a href=\"/admin/agents/{l}/groups\">Groups of this agent</a></p>{roles}",
                agent_fields(&a, &user.csrf, false),
                csrf_field(&user.csrf),
                a.token_hashes.len(),
                roles = match agent_roles_form(&st, &user, &a.login).await {
                    Ok(f) => f,
                    Err(p) => return bad(&user, &p),
                }
            );
            page(&user, &format!("Agent {}", a.login), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("agent {login:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
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
            agent_token::revoke_all(&st.engine, &a, &login).await?;
            agent_token::issue(&st.engine, &a, &login).await
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
        let existing =
            st.engine.agent(&login).await?.ok_or_else(|| Problem::not_found(format!("agent {login:?} not found")))?;
        let a = agent_from(&f, existing).await?;
        admin(&st, &user).await?.put_agent(a).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/agents?done=saved")
}
