//! Groups, queues (group, follow-up policy) and services (parent): list, add or update.

use super::*;

/// Groups: list, add or update.
pub async fn groups(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Group).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let groups = list.iter().filter_map(|r| match r {
        Record::Group(g) => Some((g.name.as_str(), g.comment.as_str(), g.valid)),
        _ => None,
    });
    let screen = NamedList {
        title: "Groups",
        what: "group",
        base: "/admin/groups",
        column: "Links",
        link: ("customer-users", "Customer users"),
    };
    screen.page(&user, &q.done, groups)
}

/// Saves a group.
pub async fn group_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let (name, comment, valid) = name_comment_valid(&f);
    let g = Group { name, comment, valid };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_group(g).await?) };
    saved(&user, r.await, "/admin/groups?done=saved")
}

/// Queues: list, add or update (group, follow-up policy).
pub async fn queues(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let r = async { Ok::<_, Problem>((records(&st, RecordKind::Queue).await?, group_names(&st).await?)) };
    let (list, groups) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(&user, &p),
    };
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Queue(q) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Group\">{}</td><td data-label=\"Follow-up\">{}</td><td data-label=\"Valid\">{}</td></tr>",
                esc(&q.name),
                esc(&q.group),
                q.follow_up.as_str(),
                yes(q.valid)
            )),
            _ => None,
        })
        .collect();
    let policies = [("possible", "possible"), ("reject", "reject"), ("new_ticket", "new ticket")];
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Group</th><th>Follow-up</th><th>Valid</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a queue</h2><form class=\"card\" method=\"post\" action=\"/admin/queues\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"group\">Group</label><select id=\"group\" name=\"group\">{}</select>\
         <label for=\"follow_up\">Follow-up on closed tickets</label><select id=\"follow_up\" name=\"follow_up\">{}</select>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save queue</button></form>",
        csrf_field(&user.csrf),
        options(groups.iter().map(|g| (g.as_str(), g.as_str())), "users"),
        options(policies, "possible"),
        valid_box(true)
    );
    page(&user, "Queues", &q.done, &body)
}

/// Saves a queue.
pub async fn queue_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let r = async {
        let policy: FollowUpPolicy = field(&f, "follow_up").parse()?;
        let mut q = Queue::new(field(&f, "name"), field(&f, "group"), policy);
        q.comment = field(&f, "comment").to_string();
        q.valid = checked(&f, "valid");
        admin(&st, &user).await?.put_queue(q).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, "/admin/queues?done=saved")
}

/// Services: list, add or update (with a parent).
pub async fn services(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let list = match records(&st, RecordKind::Service).await {
        Ok(l) => l,
        Err(p) => return bad(&user, &p),
    };
    let names: Vec<String> = list
        .iter()
        .filter_map(|r| match r {
            Record::Service(s) => Some(s.name.clone()),
            _ => None,
        })
        .collect();
    let rows: String = list
        .iter()
        .filter_map(|r| match r {
            Record::Service(s) => Some(format!(
                "<tr><td data-label=\"Name\">{}</td><td data-label=\"Comment\">{}</td><td data-label=\"Valid\">{}</td></tr>",
                esc(&s.name),
                esc(&s.comment),
                yes(s.valid)
            )),
            _ => None,
        })
        .collect();
    let mut parents = String::from("<option value=\"\">(none)</option>");
    parents.push_str(&options(names.iter().map(|n| (n.as_str(), n.as_str())), ""));
    let body = format!(
        "<table><thead><tr><th>Name</th><th>Comment</th><th>Valid</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Add or update a service</h2><form class=\"card\" method=\"post\" action=\"/admin/services\">{}\
         <label for=\"name\">Name</label><input id=\"name\" name=\"name\" required>\
         <label for=\"parent\">Parent service</label><select id=\"parent\" name=\"parent\">{parents}</select>\
         <label for=\"comment\">Comment</label><input id=\"comment\" name=\"comment\">{}<button type=\"submit\">Save service</button></form>",
        csrf_field(&user.csrf),
        valid_box(true)
    );
    page(&user, "Services", &q.done, &body)
}

/// Saves a service (`Parent::Name` when a parent is chosen).
pub async fn service_save(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    PortalForm(f): PortalForm<Form>,
) -> Response {
    if !user.csrf_ok(field(&f, "csrf")) {
        return user.forged();
    }
    let name = match field(&f, "parent") {
        "" => field(&f, "name").to_string(),
        p => format!("{p}::{}", field(&f, "name")),
    };
    let s = Service { name, comment: field(&f, "comment").to_string(), valid: checked(&f, "valid") };
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.put_service(s).await?) };
    saved(&user, r.await, "/admin/services?done=saved")
}
