//! Customer users: list and search, add, edit (password reset, extra customers).

use super::*;

pub(super) fn customer_user_fields(u: &CustomerUser, csrf: &str, new: bool) -> String {
    let login = if new {
        format!(
            "<label for=\"login\">Login</label><input id=\"login\" name=\"login\" required value=\"{}\">",
            esc(&u.login)
        )
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str, req: bool| {
        let r = if req { " required" } else { "" };
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\"{r} value=\"{}\">", esc(v))
    };
    let pw_label = if new { "Password" } else { "New password (leave empty to keep)" };
    format!(
        "{}{login}{}{}{}{}{}{}<label for=\"password\">{pw_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">{}",
        csrf_field(csrf),
        text("email", "Email", &u.email, true),
        text("first_name", "First name", &u.first_name, false),
        text("last_name", "Last name", &u.last_name, false),
        text("phone", "Phone", &u.phone, false),
        text("customer_id", "Customer ID", &u.customer_id, true),
        text("extra_customer_ids", "Extra customers (IDs, comma separated)", &u.extra_customer_ids.join(", "), false),
        valid_box(u.valid)
    )
}

pub(super) async fn customer_user_from(f: &Form, mut u: CustomerUser) -> Result<CustomerUser, Problem> {
    u.email = field(f, "email").to_string();
    u.first_name = field(f, "first_name").to_string();
    u.last_name = field(f, "last_name").to_string();
    u.phone = field(f, "phone").to_string();
    u.customer_id = field(f, "customer_id").to_string();
    u.extra_customer_ids =
        field(f, "extra_customer_ids").split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    u.valid = checked(f, "valid");
    let pw = f.get("password").map(String::as_str).unwrap_or("");
    if !pw.is_empty() {
        u.password_hash =
            Some(password::hash_async(pw.to_string()).await.map_err(|e| Problem::internal(e.to_string()))?);
    }
    Ok(u)
}

/// Customer users: search and add.
pub async fn customer_users(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::CustomerUser, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::CustomerUser(u) => {
                let l = enc(&u.login);
                Some(format!(
                    "<tr><td data-label=\"Login\"><a href=\"/admin/customer-users/{l}\">{}</a></td><td data-label=\"Name\">{}</td>\
                     <td data-label=\"Customer\">{}</td><td data-label=\"Valid\">{}</td>\
                     <td><a href=\"/admin/customer-users/{l}/groups\">Groups</a> · <a href=\"/admin/customer-users/{l}/services\">Services</a></td></tr>",
                    esc(&u.login),
                    esc(&u.display_name()),
                    esc(&u.customer_id),
                    yes(u.valid)
                ))
            }
            _ => None,
        })
        .collect();
    let blank = CustomerUser { valid: true, ..CustomerUser::default() };
    let body = format!(
        "{}<table><thead><tr><th>Login</th><th>Name</th><th>Customer</th><th>Valid</th><th>Links</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add customer user</h2><form class=\"card\" method=\"post\" action=\"/admin/customer-users\">{}<button type=\"submit\">Add customer user</button></form>",
        search_form("/admin/customer-users", &q.search, "Search customer users"),
        customer_user_fields(&blank, &user.csrf, true)
    );
    page(&user, "Customer users", &q.done, &body)
}

/// Adds a customer user (refuses an existing login).
pub async fn customer_user_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let login = field(&f, "login").to_string();
    let r = async {
        if st.engine.customer_user(&login).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("customer user {login:?} already exists")));
        }
        let u = customer_user_from(&f, CustomerUser { login: login.clone(), ..CustomerUser::default() }).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    saved(&user, r.await, &format!("/admin/customer-users/{}/groups?done=saved", enc(&login)))
}

/// Edit a customer user.
pub async fn customer_user_edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
) -> Response {
    match st.engine.customer_user(&login).await {
        Ok(Some(u)) => {
            let l = enc(&u.login);
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/customer-users/{l}\">{}<button type=\"submit\">Save</button></form>\
                 <p><a href=\"/admin/customer-users/{l}/groups\">Groups</a> · <a href=\"/admin/customer-users/{l}/services\">Services</a></p>",
                customer_user_fields(&u, &user.csrf, false)
            );
            page(&user, &format!("Customer user {}", u.login), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("customer user {login:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
}

/// Saves a customer user (a non-empty password field resets the password).
pub async fn customer_user_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        let existing = st
            .engine
            .customer_user(&login)
            .await?
            .ok_or_else(|| Problem::not_found(format!("customer user {login:?} not found")))?;
        let u = customer_user_from(&f, existing).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customer-users?done=saved")
}
