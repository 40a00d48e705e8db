//! Group grants as `ro`/`rw` (or the seven agent permissions) matrices: customer user <-> groups,
//! default groups, customer <-> groups, agent <-> groups.

use super::*;

pub(super) async fn group_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Group)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Group(g) => Some(g.name),
            _ => None,
        })
        .collect())
}

/// The grant matrix: a row per group, a checkbox per permission.
pub(super) async fn grant_matrix(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    perms: &[Permission],
    action: &str,
    back: &str,
) -> Result<String, Problem> {
    let held: BTreeMap<String, PermissionSet> = admin(st, user)
        .await?
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Group(name) => Some((name, g.permissions)),
            _ => None,
        })
        .collect();
    let head: String = perms.iter().map(|p| format!("<th scope=\"col\">{}</th>", p.as_str())).collect();
    let mut rows = String::new();
    for g in group_names(st).await? {
        let set = held.get(&g).copied().unwrap_or_default();
        let cells: String = perms
            .iter()
            .map(|p| {
                let id = format!("p-{}-{}", enc(&g), p.as_str());
                let c = if set.contains(*p) { " checked" } else { "" };
                format!(
                    "<td data-label=\"{perm}\"><input type=\"checkbox\" id=\"{id}\" name=\"p:{name}:{perm}\" value=\"1\"{c}>\
                     <label for=\"{id}\" class=\"sr\">{perm} on {gname}</label></td>",
                    perm = p.as_str(),
                    name = esc(&g),
                    gname = esc(&g)
                )
            })
            .collect();
        rows.push_str(&format!("<tr><th scope=\"row\">{}</th>{cells}</tr>", esc(&g)));
    }
    Ok(format!(
        "<form method=\"post\" action=\"{action}\">{}<table id=\"grants\"><thead><tr><th>Group</th>{head}</tr></thead><tbody>{rows}</tbody></table>\
         <button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
         <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button> <a href=\"{back}\">Cancel</a></form>",
        csrf_field(&user.csrf)
    ))
}

pub(super) async fn save_matrix(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    perms: &[Permission],
    f: &Form,
) -> Result<(), Problem> {
    let a = admin(st, user).await?;
    let held: BTreeMap<String, PermissionSet> = a
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Group(name) => Some((name, g.permissions)),
            _ => None,
        })
        .collect();
    for g in group_names(st).await? {
        let chosen: Vec<Permission> =
            perms.iter().copied().filter(|p| checked(f, &format!("p:{g}:{}", p.as_str()))).collect();
        let set = PermissionSet::of(&chosen);
        if held.get(&g).copied().unwrap_or_default() == set {
            continue;
        }
        if chosen.is_empty() {
            a.revoke(subject, &GrantTarget::Group(g)).await?;
        } else {
            a.grant(Grant::group(subject.clone(), g, set)).await?;
        }
    }
    Ok(())
}

pub(super) const CUSTOMER_PERMS: [Permission; 2] = [Permission::Ro, Permission::Rw];

pub(super) async fn matrix_page(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    perms: &[Permission],
    title: &str,
    (action, back): (&str, &str),
    done: &str,
) -> Response {
    match grant_matrix(st, user, &subject, perms, action, back).await {
        Ok(m) => page(user, title, done, &m),
        Err(p) => bad(user, &p),
    }
}

pub(super) async fn matrix_save(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    perms: &[Permission],
    f: &Form,
    here: &str,
    back: &str,
) -> Response {
    if !user.csrf_ok(field(f, "csrf")) {
        return user.forged();
    }
    match save_matrix(st, user, &subject, perms, f).await {
        Ok(()) if field(f, "submit") == "finish" => see_other(&format!("{back}?done=saved")),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(user, &p),
    }
}

pub(super) async fn must_exist(st: &AppState, kind: RecordKind, key: &str) -> Result<(), Problem> {
    match st.engine.admin(&chamado::Actor::System).await?.get(kind, key).await? {
        Some(_) => Ok(()),
        None => Err(Problem::not_found(format!("{} {key:?} not found", kind.as_str()))),
    }
}

/// Customer user <-> groups for one customer user.
pub async fn cu_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/groups", enc(&login));
    let title = format!("Groups of customer user {login}");
    matrix_page(
        &st,
        &user,
        GrantSubject::CustomerUser(login),
        &CUSTOMER_PERMS,
        &title,
        (&here, "/admin/customer-users"),
        &q.done,
    )
    .await
}

/// Saves the groups of a customer user.
pub async fn cu_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/groups", enc(&login));
    matrix_save(&st, &user, GrantSubject::CustomerUser(login), &CUSTOMER_PERMS, &f, &here, "/admin/customer-users")
        .await
}

/// Default groups of all customer users.
pub async fn default_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let here = "/admin/default-groups";
    matrix_page(
        &st,
        &user,
        GrantSubject::DefaultCustomerUsers,
        &CUSTOMER_PERMS,
        "Default groups of all customer users",
        (here, "/admin"),
        &q.done,
    )
    .await
}

/// Saves the default groups.
pub async fn default_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    matrix_save(&st, &user, GrantSubject::DefaultCustomerUsers, &CUSTOMER_PERMS, &f, "/admin/default-groups", "/admin")
        .await
}

/// Customer <-> groups for one customer.
pub async fn customer_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Customer, &id).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customers/{}/groups", enc(&id));
    let title = format!("Groups of customer {id}");
    matrix_page(&st, &user, GrantSubject::Customer(id), &CUSTOMER_PERMS, &title, (&here, "/admin/customers"), &q.done)
        .await
}

/// Saves the groups of a customer.
pub async fn customer_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Customer, &id).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customers/{}/groups", enc(&id));
    matrix_save(&st, &user, GrantSubject::Customer(id), &CUSTOMER_PERMS, &f, &here, "/admin/customers").await
}

/// Agent <-> groups with all seven permissions.
pub async fn agent_groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Agent, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/agents/{}/groups", enc(&login));
    let title = format!("Groups of agent {login}");
    matrix_page(&st, &user, GrantSubject::Agent(login), &Permission::ALL, &title, (&here, "/admin/agents"), &q.done)
        .await
}

/// Saves an agent's group permissions.
pub async fn agent_groups_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::Agent, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/agents/{}/groups", enc(&login));
    matrix_save(&st, &user, GrantSubject::Agent(login), &Permission::ALL, &f, &here, "/admin/agents").await
}
