//! Customer users: list and search, add, edit (password reset, extra customers).

use super::*;

pub(super) fn customer_user_fields(u: &CustomerUser, csrf: &str, new: bool) -> String {
    format!(
        "{}{}{}{}{}{}{}{}{}{}",
        csrf_field(csrf),
        key_input(new, "login", "Login", &u.login),
        text_input("email", "Email", &u.email, true),
        text_input("first_name", "First name", &u.first_name, false),
        text_input("last_name", "Last name", &u.last_name, false),
        text_input("phone", "Phone", &u.phone, false),
        text_input("customer_id", "Customer ID", &u.customer_id, true),
        text_input(
            "extra_customer_ids",
            "Extra customers (IDs, comma separated)",
            &u.extra_customer_ids.join(", "),
            false
        ),
        password_input(new, "Password"),
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
    if let Some(hash) = new_password_hash(f).await? {
        u.password_hash = Some(hash);
    }
    Ok(u)
}

const SCREEN: ListScreen<'static> = ListScreen {
    title: "Customer users",
    base: "/admin/customer-users",
    search_label: "Search customer users",
    head: &["Login", "Name", "Customer", "Valid", "Links"],
    what: "customer user",
};

/// The links of a customer user's screens.
fn links(login: &str) -> String {
    let l = enc(login);
    format!(
        "<a href=\"/admin/customer-users/{l}/groups\">Groups</a> · <a href=\"/admin/customer-users/{l}/services\">Services</a>"
    )
}

/// Customer users: search and add.
pub async fn customer_users(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let blank = CustomerUser { valid: true, ..CustomerUser::default() };
    let row = |r: &Record| match r {
        Record::CustomerUser(u) => Some(format!(
            "<tr><td data-label=\"Login\"><a href=\"/admin/customer-users/{}\">{}</a></td><td data-label=\"Name\">{}</td>\
                 <td data-label=\"Customer\">{}</td><td data-label=\"Valid\">{}</td><td>{}</td></tr>",
            enc(&u.login),
            esc(&u.login),
            esc(&u.display_name()),
            esc(&u.customer_id),
            yes(u.valid),
            links(&u.login)
        )),
        _ => None,
    };
    SCREEN.serve((&st, &user, &q), RecordKind::CustomerUser, row, &customer_user_fields(&blank, &user.csrf, true)).await
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
    let found_user = st.engine.customer_user(&login).await.map_err(Problem::from);
    let u = match found_user.and_then(|u| found(u, "customer user", &login)) {
        Ok(u) => u,
        Err(p) => return bad(&user, &p),
    };
    let here = format!("/admin/customer-users/{}", enc(&u.login));
    let body = edit_form(&here, &customer_user_fields(&u, &user.csrf, false), &format!("<p>{}</p>", links(&u.login)));
    page(&user, &format!("Customer user {}", u.login), "", &body)
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
        let existing = found(st.engine.customer_user(&login).await?, "customer user", &login)?;
        let u = customer_user_from(&f, existing).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customer-users?done=saved")
}
