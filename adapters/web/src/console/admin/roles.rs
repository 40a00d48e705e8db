//! Roles: list, add or update, their groups, and the roles of an agent.

use super::*;

pub(super) async fn role_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Role)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Role(r) => Some(r.name),
            _ => None,
        })
        .collect())
}

pub(super) async fn roles_of(st: &AppState, user: &AgentUser, login: &str) -> Result<Vec<String>, Problem> {
    Ok(admin(st, user)
        .await?
        .grants_of(&GrantSubject::Agent(login.to_string()))
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Role(r) => Some(r),
            _ => None,
        })
        .collect())
}

pub(super) async fn agent_roles_form(st: &AppState, user: &AgentUser, login: &str) -> Result<String, Problem> {
    let held = roles_of(st, user, login).await?;
    let names = role_names(st).await?;
    if names.is_empty() {
        return Ok("<p class=\"meta\">No roles yet; <a href=\"/admin/roles\">add one</a>.</p>".to_string());
    }
    let items: String = names
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let c = if held.contains(r) { " checked" } else { "" };
            format!(
                "<li><input type=\"checkbox\" id=\"r-{i}\" name=\"r:{n}\" value=\"1\"{c}> \
                 <label for=\"r-{i}\" style=\"display:inline\">{n}</label></li>",
                n = esc(r)
            )
        })
        .collect();
    Ok(format!(
        "<form class=\"card\" method=\"post\" action=\"/admin/agents/{}/roles\">{}<h2>Roles</h2>\
         <ul style=\"list-style:none;padding:0\">{items}</ul><button type=\"submit\">Save roles</button></form>",
        enc(login),
        csrf_field(&user.csrf)
    ))
}

/// Saves an agent's role memberships.
pub async fn agent_roles_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        must_exist(&st, RecordKind::Agent, &login).await?;
        let held = roles_of(&st, &user, &login).await?;
        let a = admin(&st, &user).await?;
        for role in role_names(&st).await? {
            let want = checked(&f, &format!("r:{role}"));
            if want && !held.contains(&role) {
                a.grant(Grant::role_membership(login.clone(), role)).await?;
            } else if !want && held.contains(&role) {
                a.revoke(&GrantSubject::Agent(login.clone()), &GrantTarget::Role(role)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, &format!("/admin/agents/{}", enc(&login)))
}

/// Roles: list, add or update.
pub async fn roles(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Role).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let roles = list.iter().filter_map(|r| match r {
        Record::Role(r) => Some((r.name.as_str(), r.comment.as_str(), r.valid)),
        _ => None,
    });
    let screen =
        NamedList { title: "Roles", what: "role", base: "/admin/roles", column: "Groups", link: ("groups", "Groups") };
    screen.page(&user, &q.done, roles)
}

/// Saves a role.
pub async fn role_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let (name, comment, valid) = name_comment_valid(&f);
    let r = Role { name, comment, valid };
    let res = async { Ok::<_, Problem>(admin(&st, &user).await?.put_role(r).await?) };
    saved(&user, res.await, "/admin/roles?done=saved")
}

/// Role <-> groups with all seven permissions.
pub async fn role_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Role, &name).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/roles/{}/groups", enc(&name));
    let title = format!("Groups of role {name}");
    matrix_page(&st, &user, GrantSubject::Role(name), &Permission::ALL, &title, (&here, "/admin/roles"), &q.done).await
}

/// Saves a role's group permissions.
pub async fn role_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Role, &name).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/roles/{}/groups", enc(&name));
    matrix_save(&st, &user, GrantSubject::Role(name), &Permission::ALL, &f, &here, "/admin/roles").await
}
