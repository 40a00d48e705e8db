//! Customers (companies): list and search, add, edit.

use super::*;

pub(super) fn customer_fields(c: &Customer, csrf: &str, new: bool) -> String {
    let id = if new {
        format!("<label for=\"id\">Customer ID</label><input id=\"id\" name=\"id\" required value=\"{}\">", esc(&c.id))
    } else {
        String::new()
    };
    let text = |name: &str, label: &str, v: &str| {
        format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\">", esc(v))
    };
    format!(
        "{}{id}<label for=\"name\">Name</label><input id=\"name\" name=\"name\" required value=\"{}\">{}{}{}{}{}{}{}",
        csrf_field(csrf),
        esc(&c.name),
        text("street", "Street", &c.street),
        text("zip", "ZIP", &c.zip),
        text("city", "City", &c.city),
        text("country", "Country", &c.country),
        text("url", "URL", &c.url),
        text("comment", "Comment", &c.comment),
        valid_box(c.valid)
    )
}

pub(super) fn customer_from(f: &Form, id: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: field(f, "name").to_string(),
        street: field(f, "street").to_string(),
        zip: field(f, "zip").to_string(),
        city: field(f, "city").to_string(),
        country: field(f, "country").to_string(),
        url: field(f, "url").to_string(),
        comment: field(f, "comment").to_string(),
        valid: checked(f, "valid"),
    }
}

/// Customers: search and add.
pub async fn customers(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match list_or_search(&st, &user, RecordKind::Customer, &q.search).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) => Some(format!(
                "<tr><td data-label=\"ID\"><a href=\"/admin/customers/{}\">{}</a></td><td data-label=\"Name\">{}</td>\
                 <td data-label=\"Valid\">{}</td><td><a href=\"/admin/customers/{}/groups\">Groups</a></td></tr>",
                enc(&c.id),
                esc(&c.id),
                esc(&c.name),
                yes(c.valid),
                enc(&c.id)
            )),
            _ => None,
        })
        .collect();
    let body = format!(
        "{}<table><thead><tr><th>ID</th><th>Name</th><th>Valid</th><th>Groups</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add customer</h2><form class=\"card\" method=\"post\" action=\"/admin/customers\">{}<button type=\"submit\">Add customer</button></form>",
        search_form("/admin/customers", &q.search, "Search customers"),
        customer_fields(&Customer { valid: true, ..Customer::default() }, &user.csrf, true)
    );
    page(&user, "Customers", &q.done, &body)
}

/// Adds a customer (refuses an existing ID).
pub async fn customer_add(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let id = field(&f, "id");
    let r = async {
        if st.engine.customer(id).await?.is_some() {
            return Err(Problem::conflict("duplicate", format!("customer {id:?} already exists")));
        }
        admin(&st, &user).await?.put_customer(customer_from(&f, id)).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customers?done=saved")
}

/// Edit a customer.
pub async fn customer_edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(id): Path<String>) -> Response {
    match st.engine.customer(&id).await {
        Ok(Some(c)) => {
            let body = format!(
                "<form class=\"card\" method=\"post\" action=\"/admin/customers/{}\">{}<button type=\"submit\">Save</button></form>\
                 <p><a href=\"/admin/customers/{}/groups\">Groups of this customer</a></p>",
                enc(&id),
                customer_fields(&c, &user.csrf, false),
                enc(&id)
            );
            page(&user, &format!("Customer {}", c.id), "", &body)
        }
        Ok(None) => bad(&user, &Problem::not_found(format!("customer {id:?} not found"))),
        Err(e) => bad(&user, &e.into()),
    }
}

/// Saves a customer.
pub async fn customer_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        if st.engine.customer(&id).await?.is_none() {
            return Err(Problem::not_found(format!("customer {id:?} not found")));
        }
        admin(&st, &user).await?.put_customer(customer_from(&f, &id)).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customers?done=saved")
}
