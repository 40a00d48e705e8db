//! Customer users: list and search, add, edit (password reset, extra customers, language).

use super::choices::{self, LanguageChoice};
use super::forms::CustomerUserForm;
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, list_or_search, see_other};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{CustomerUser, Record, RecordKind};
use chamado_http::auth::password;
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};

/// The list with its search box and the add form.
#[derive(Template)]
#[template(path = "admin/customer_users.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    search: String,
    users: Vec<CustomerUser>,
    /// The add form's values.
    record: CustomerUser,
    new: bool,
    languages: Vec<LanguageChoice>,
}

/// One customer user's form.
#[derive(Template)]
#[template(path = "admin/customer_user.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    record: CustomerUser,
    new: bool,
    languages: Vec<LanguageChoice>,
}

/// The Argon2id hash of a submitted non-empty password; `None` when the field is empty (keep it).
pub(super) async fn new_password_hash(pw: &str) -> Result<Option<String>, Problem> {
    if pw.is_empty() {
        return Ok(None);
    }
    password::hash_async(pw.to_string()).await.map(Some).map_err(|e| Problem::internal(e.to_string()))
}

/// `u` with the form's fields but the password, the language as posted: what a refused form shows
/// again.
fn with_fields(f: &CustomerUserForm, mut u: CustomerUser) -> CustomerUser {
    u.email = f.email.trim().to_string();
    u.first_name = f.first_name.trim().to_string();
    u.last_name = f.last_name.trim().to_string();
    u.phone = f.phone.trim().to_string();
    u.customer_id = f.customer_id.trim().to_string();
    u.extra_customer_ids =
        f.extra_customer_ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    u.language = Some(f.language.trim().to_string()).filter(|l| !l.is_empty());
    u.valid = f.valid;
    u
}

/// `u` changed as `f` says; an unknown language is refused.
async fn customer_user_from(f: &CustomerUserForm, u: CustomerUser) -> Result<CustomerUser, Problem> {
    let mut u = with_fields(f, u);
    u.language = choices::language(&f.language)?;
    if let Some(hash) = new_password_hash(&f.password).await? {
        u.password_hash = Some(hash);
    }
    Ok(u)
}

/// The list page (search `search`) with `record` in the add form and, after a refused add, the
/// problem on top.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    search: String,
    done: &str,
    record: CustomerUser,
    problem: Option<&Problem>,
) -> Response {
    let users = match list_or_search(st, user, RecordKind::CustomerUser, &search).await {
        Ok(l) => l.into_iter().filter_map(|r| if let Record::CustomerUser(u) = r { Some(u) } else { None }).collect(),
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-heading-customer-users"), "customer-users", done);
    let languages = choices::languages();
    match problem {
        None => show(&ListPage { frame, head, search, users, record, new: true, languages }),
        Some(p) => {
            let page = ListPage { frame: refused(frame, p), head, search, users, record, new: true, languages };
            page::render(p.status(), &page)
        }
    }
}

/// `GET /admin/customer-users`: search and add.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let record = CustomerUser { valid: true, ..CustomerUser::default() };
    list_page(&st, &user, q.search, &q.done, record, None).await
}

/// `POST /admin/customer-users`: adds a customer user (refuses an existing login), then opens its
/// groups. A refusal shows the add form again, filled in.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerUserForm>,
) -> Response {
    let login = f.login.trim().to_string();
    let fresh = || CustomerUser { login: login.clone(), ..CustomerUser::default() };
    let r = async {
        if st.engine.customer_user(&login).await?.is_some() {
            return Err(duplicate(RecordKind::CustomerUser, &login));
        }
        let u = customer_user_from(&f, fresh()).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok(())
    };
    match r.await {
        Ok(()) => see_other(&href("/admin/customer-users", &login, "/groups?done=saved")),
        Err(p) => list_page(&st, &user, String::new(), "", with_fields(&f, fresh()), Some(&p)).await,
    }
}

/// The edit screen of customer user `login`; after a refused save, the posted values and the problem.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    login: &str,
    refusal: Option<(&CustomerUserForm, &Problem)>,
) -> Response {
    let found_user = st.engine.customer_user(login).await.map_err(Problem::from);
    let record = match found_user.and_then(|u| found(u, RecordKind::CustomerUser, login)) {
        Ok(u) => u,
        Err(p) => return bad(user, &p),
    };
    let heading = user.tr.t1("admin-heading-customer-user", "login", record.login.as_str());
    let (frame, head) = chrome(user, heading, "customer-users", "");
    let languages = choices::languages();
    match refusal {
        None => show(&EditPage { frame, head, record, new: false, languages }),
        Some((f, p)) => {
            let record = with_fields(f, record);
            page::render(p.status(), &EditPage { frame: refused(frame, p), head, record, new: false, languages })
        }
    }
}

/// `GET /admin/customer-users/{login}`: edit a customer user.
pub async fn edit(State(st): State<AppState>, AdminUser(user): AdminUser, Path(login): Path<String>) -> Response {
    edit_page(&st, &user, &login, None).await
}

/// `POST /admin/customer-users/{login}`: saves a customer user (a non-empty password field resets the
/// password). What the engine refuses (an unknown language, a bad address) shows on the form.
pub async fn save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, CustomerUserForm>,
) -> Response {
    let r = async {
        let existing = found(st.engine.customer_user(&login).await?, RecordKind::CustomerUser, &login)?;
        let u = customer_user_from(&f, existing).await?;
        admin(&st, &user).await?.put_customer_user(u).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => see_other("/admin/customer-users?done=saved"),
        Err(p) if p.status() == axum::http::StatusCode::NOT_FOUND => bad(&user, &p),
        Err(p) => edit_page(&st, &user, &login, Some((&f, &p))).await,
    }
}
