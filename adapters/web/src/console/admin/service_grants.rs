//! Service grants: customer user <-> services and the default services.

use super::*;

pub(super) async fn service_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Service)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Service(s) if s.valid => Some(s.name),
            _ => None,
        })
        .collect())
}

pub(super) async fn service_form(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    action: &str,
    all_toggle: bool,
) -> Result<String, Problem> {
    let held: Vec<String> = admin(st, user)
        .await?
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Service(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut rows = String::new();
    for (i, s) in service_names(st).await?.iter().enumerate() {
        let c = if held.contains(s) { " checked" } else { "" };
        rows.push_str(&format!(
            "<li><input type=\"checkbox\" id=\"s-{i}\" name=\"s:{n}\" value=\"1\"{c}> <label for=\"s-{i}\" style=\"display:inline\">{n}</label></li>",
            n = esc(s)
        ));
    }
    let all = if all_toggle {
        "<p><input type=\"checkbox\" id=\"all\" name=\"all\" value=\"1\"> <label for=\"all\" style=\"display:inline\">Select all services</label></p>"
    } else {
        ""
    };
    Ok(format!(
        "<form class=\"card\" method=\"post\" action=\"{action}\">{}{all}<ul style=\"list-style:none;padding:0\">{rows}</ul>\
         <button type=\"submit\" name=\"submit\" value=\"save\">Save</button>\
         <button type=\"submit\" name=\"submit\" value=\"finish\" class=\"secondary\">Save and finish</button></form>",
        csrf_field(&user.csrf)
    ))
}

pub(super) async fn save_services(
    st: &AppState,
    user: &AgentUser,
    subject: &GrantSubject,
    f: &Form,
) -> Result<(), Problem> {
    let a = admin(st, user).await?;
    let all = checked(f, "all");
    let held: Vec<String> = a
        .grants_of(subject)
        .await?
        .into_iter()
        .filter_map(|g| match g.target {
            GrantTarget::Service(s) => Some(s),
            _ => None,
        })
        .collect();
    for s in service_names(st).await? {
        let want = all || checked(f, &format!("s:{s}"));
        let has = held.contains(&s);
        if want && !has {
            a.grant(Grant::service(subject.clone(), s)).await?;
        } else if !want && has {
            a.revoke(subject, &GrantTarget::Service(s)).await?;
        }
    }
    Ok(())
}

pub(super) async fn services_save_common(
    st: &AppState,
    user: &AgentUser,
    subject: GrantSubject,
    f: &Form,
    here: &str,
    back: &str,
) -> Response {
    if !user.csrf_ok(field(f, "csrf")) {
        return user.forged();
    }
    match save_services(st, user, &subject, f).await {
        Ok(()) if field(f, "submit") == "finish" => see_other(&format!("{back}?done=saved")),
        Ok(()) => see_other(&format!("{here}?done=saved")),
        Err(p) => bad(user, &p),
    }
}

/// Customer user <-> services for one customer user.
pub async fn cu_services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/services", enc(&login));
    match service_form(&st, &user, &GrantSubject::CustomerUser(login.clone()), &here, false).await {
        Ok(b) => page(&user, &format!("Services of customer user {login}"), &q.done, &b),
        Err(p) => bad(&user, &p),
    }
}

/// Saves a customer user's services.
pub async fn cu_services_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if let Err(p) = must_exist(&st, RecordKind::CustomerUser, &login).await {
        return bad(&user, &p);
    }
    let here = format!("/admin/customer-users/{}/services", enc(&login));
    services_save_common(&st, &user, GrantSubject::CustomerUser(login), &f, &here, "/admin/customer-users").await
}

/// Default services of all customer users, with "select all".
pub async fn default_services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    match service_form(&st, &user, &GrantSubject::DefaultCustomerUsers, "/admin/default-services", true).await {
        Ok(b) => page(&user, "Default services of all customer users", &q.done, &b),
        Err(p) => bad(&user, &p),
    }
}

/// Saves the default services.
pub async fn default_services_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    services_save_common(&st, &user, GrantSubject::DefaultCustomerUsers, &f, "/admin/default-services", "/admin").await
}
