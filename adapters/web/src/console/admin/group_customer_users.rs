//! One group, many customer users: the `ro`/`rw` grants of a group across customer users.

use super::*;

pub(super) async fn customer_users_of_search(
    st: &AppState,
    user: &AgentUser,
    search: &str,
) -> Result<Vec<CustomerUser>, Problem> {
    Ok(list_or_search(st, user, RecordKind::CustomerUser, search)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::CustomerUser(u) => Some(u),
            _ => None,
        })
        .collect())
}

pub(super) async fn direct_group_grant(a: &Admin<'_>, login: &str, group: &str) -> Result<PermissionSet, Problem> {
    Ok(a.grants_of(&GrantSubject::CustomerUser(login.to_string()))
        .await?
        .into_iter()
        .find(|g| g.target == GrantTarget::Group(group.to_string()))
        .map(|g| g.permissions)
        .unwrap_or_default())
}

/// Customer user <-> groups seen from one group: a row per customer user (searchable) with `ro`/`rw`.
pub async fn group_cus(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        let mut rows = String::new();
        for u in customer_users_of_search(&st, &user, &q.search).await? {
            let set = direct_group_grant(&a, &u.login, &name).await?;
            let cells: String = CUSTOMER_PERMS
                .iter()
                .map(|p| {
                    let id = format!("u-{}-{}", enc(&u.login), p.as_str());
                    let c = if set.contains(*p) { " checked" } else { "" };
                    format!(
                        "<td data-label=\"{perm}\"><input type=\"checkbox\" id=\"{id}\" name=\"p:{l}:{perm}\" value=\"1\"{c}>\
                         <label for=\"{id}\" class=\"sr\">{perm} for {l}</label></td>",
                        perm = p.as_str(),
                        l = esc(&u.login)
                    )
                })
                .collect();
            rows.push_str(&format!(
                "<tr><th scope=\"row\"><input type=\"hidden\" name=\"u:{l}\" value=\"1\">{l} <span class=\"meta\">{n}</span></th>{cells}</tr>",
                l = esc(&u.login),
                n = esc(&u.display_name())
            ));
        }
        let here = format!("/admin/groups/{}/customer-users", enc(&name));
        Ok::<_, Problem>(format!(
            "{}<form method=\"post\" action=\"{here}\">{}<table><thead><tr><th>Customer user</th><th>ro</th><th>rw</th></tr></thead>\
             <tbody>{rows}</tbody></table><button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
             <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button></form>",
            search_form(&here, &q.search, "Search customer users"),
            csrf_field(&user.csrf)
        ))
    };
    match r.await {
        Ok(body) => page(&user, &format!("Customer users of group {name}"), &q.done, &body),
        Err(p) => bad(&user, &p),
    }
}

/// Saves the customer users' permissions on one group (only the rows that were shown).
pub async fn group_cus_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        must_exist(&st, RecordKind::Group, &name).await?;
        let a = admin(&st, &user).await?;
        for login in f.keys().filter_map(|k| k.strip_prefix("u:")) {
            let chosen: Vec<Permission> =
                CUSTOMER_PERMS.iter().copied().filter(|p| checked(&f, &format!("p:{login}:{}", p.as_str()))).collect();
            let set = PermissionSet::of(&chosen);
            if direct_group_grant(&a, login, &name).await? == set {
                continue;
            }
            let subject = GrantSubject::CustomerUser(login.to_string());
            if chosen.is_empty() {
                a.revoke(&subject, &GrantTarget::Group(name.clone())).await?;
            } else {
                a.grant(Grant::group(subject, name.clone(), set)).await?;
            }
        }
        Ok::<_, Problem>(())
    };
    let here = format!("/admin/groups/{}/customer-users", enc(&name));
    match r.await {
        Ok(()) if field(&f, "submit") == "finish" => see_other("/admin/groups?done=saved"),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(&user, &p),
    }
}
