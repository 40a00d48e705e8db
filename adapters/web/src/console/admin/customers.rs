//! Customers (companies): list and search, add, edit.

use super::*;

pub(super) fn customer_fields(c: &Customer, csrf: &str, new: bool) -> String {
    format!(
        "{}{}{}{}{}{}{}{}{}{}",
        csrf_field(csrf),
        key_input(new, "id", "Customer ID", &c.id),
        text_input("name", "Name", &c.name, true),
        text_input("street", "Street", &c.street, false),
        text_input("zip", "ZIP", &c.zip, false),
        text_input("city", "City", &c.city, false),
        text_input("country", "Country", &c.country, false),
        text_input("url", "URL", &c.url, false),
        text_input("comment", "Comment", &c.comment, false),
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

const SCREEN: ListScreen<'static> = ListScreen {
    title: "Customers",
    base: "/admin/customers",
    search_label: "Search customers",
    head: &["ID", "Name", "Valid", "Groups"],
    what: "customer",
};

/// Customers: search and add.
pub async fn customers(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let row = |r: &Record| match r {
        Record::Customer(c) => Some(format!(
            "<tr><td data-label=\"ID\"><a href=\"/admin/customers/{id}\">{}</a></td><td data-label=\"Name\">{}</td>\
                 <td data-label=\"Valid\">{}</td><td><a href=\"/admin/customers/{id}/groups\">Groups</a></td></tr>",
            esc(&c.id),
            esc(&c.name),
            yes(c.valid),
            id = enc(&c.id)
        )),
        _ => None,
    };
    let fields = customer_fields(&Customer { valid: true, ..Customer::default() }, &user.csrf, true);
    SCREEN.serve((&st, &user, &q), RecordKind::Customer, row, &fields).await
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
    let c = match st.engine.customer(&id).await.map_err(Problem::from).and_then(|c| found(c, "customer", &id)) {
        Ok(c) => c,
        Err(p) => return bad(&user, &p),
    };
    let here = format!("/admin/customers/{}", enc(&id));
    let links = format!("<p><a href=\"{here}/groups\">Groups of this customer</a></p>");
    page(&user, &format!("Customer {}", c.id), "", &edit_form(&here, &customer_fields(&c, &user.csrf, false), &links))
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
        found(st.engine.customer(&id).await?, "customer", &id)?;
        admin(&st, &user).await?.put_customer(customer_from(&f, &id)).await?;
        Ok(())
    };
    saved(&user, r.await, "/admin/customers?done=saved")
}
