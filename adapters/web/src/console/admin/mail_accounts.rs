//! Mail accounts (IMAP and POP3 mailboxes the helpdesk pulls mail from): list with how pulling goes,
//! add, the account's page (every setting, the status with the last error in full, the edit form) and
//! delete after a confirmation. Secrets are never shown nor put in a form: a page says only that one is
//! set, and an empty secret field keeps the stored one ([`super::mail_accounts_form`]).

use super::mail_accounts_form::{MailAccountForm, account_from};
use super::view::{Head, bad, chrome, refused, show};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, records, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{AfterImport, FirstSync, MailAccount, MailAccountStatus, MailCredential, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::Tr;
use serde::Deserialize;

/// What pages show of an account: its settings without secrets, with what a template cannot work out.
#[derive(Debug, Clone)]
struct AccountView {
    /// The account with its secrets blanked.
    record: MailAccount,
    /// `password` or `xoauth2`.
    auth: &'static str,
    /// The password or the refresh token is set.
    secret_set: bool,
    /// The OAuth2 client secret is set.
    client_secret_set: bool,
    /// The OAuth2 client id, token endpoint and scopes (empty for a password login).
    client_id: String,
    token_url: String,
    scope: String,
    /// The folders, one per line (the form's textarea), and comma-separated (the pages).
    folders_lines: String,
    folders_list: String,
    /// The folder taken mail moves to, when it moves.
    move_folder: String,
    /// The first sync starts at a date (which a refused form may hold empty or wrong).
    since_chosen: bool,
    /// That date.
    since: String,
}

impl AccountView {
    fn of(a: &MailAccount) -> AccountView {
        let (secret_set, client_secret_set) = match &a.credential {
            MailCredential::Password { password } => (!password.is_empty(), false),
            MailCredential::Xoauth2 { refresh_token, client_secret, .. } => {
                (!refresh_token.is_empty(), !client_secret.is_empty())
            }
        };
        let (client_id, token_url, scope) = match &a.credential {
            MailCredential::Password { .. } => Default::default(),
            MailCredential::Xoauth2 { client_id, token_url, scope, .. } => {
                (client_id.clone(), token_url.clone(), scope.clone())
            }
        };
        AccountView {
            record: a.without_secrets(),
            auth: a.credential.kind(),
            secret_set,
            client_secret_set,
            client_id,
            token_url,
            scope,
            folders_lines: a.folders.join("\n"),
            folders_list: a.read_folders().join(", "),
            move_folder: match &a.after_import {
                AfterImport::Move { folder } => folder.clone(),
                AfterImport::Keep | AfterImport::Delete => String::new(),
            },
            since_chosen: matches!(a.first_sync, FirstSync::Since { .. }),
            since: match &a.first_sync {
                FirstSync::Since { date } => date.clone(),
                FirstSync::All => String::new(),
            },
        }
    }
}

/// How pulling an account goes, with its times in the admin's zone.
#[derive(Debug, Clone, Default)]
struct StatusView {
    imported: u64,
    failed: u64,
    pending: Option<u64>,
    last_success: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
}

impl StatusView {
    fn of(tr: &Tr, s: Option<MailAccountStatus>) -> StatusView {
        let s = s.unwrap_or_default();
        StatusView {
            imported: s.imported,
            failed: s.failed,
            pending: s.pending,
            last_success: s.last_success.map(|t| tr.datetime(t.as_unix_seconds())),
            last_error: s.last_error,
            last_error_at: s.last_error_at.map(|t| tr.datetime(t.as_unix_seconds())),
        }
    }
}

/// One account in the list.
struct Row {
    account: AccountView,
    status: StatusView,
}

/// The list and the add form.
#[derive(Template)]
#[template(path = "admin/mail_accounts.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    rows: Vec<Row>,
    queues: Vec<String>,
    /// The add form's values.
    view: AccountView,
    new: bool,
}

/// One account: its settings, its status, its form.
#[derive(Template)]
#[template(path = "admin/mail_account.html")]
struct AccountPage {
    frame: Frame,
    head: Head,
    /// The stored account.
    stored: AccountView,
    status: StatusView,
    queues: Vec<String>,
    /// The form's values: the stored ones, or what was posted when the change was refused.
    view: AccountView,
    new: bool,
}

/// "Delete this account?".
#[derive(Template)]
#[template(path = "admin/mail_account_delete.html")]
struct DeletePage {
    frame: Frame,
    head: Head,
    name: String,
}

/// The delete confirmation posts only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {}

/// The queues new tickets may go to, for the queue field.
async fn queue_names(st: &AppState) -> Result<Vec<String>, Problem> {
    Ok(records(st, RecordKind::Queue)
        .await?
        .into_iter()
        .filter_map(|r| if let Record::Queue(q) = r { Some(q.name) } else { None })
        .collect())
}

/// The stored account `name`.
async fn load(st: &AppState, name: &str) -> Result<MailAccount, Problem> {
    found(st.engine.mail_account(name).await?, RecordKind::MailAccount, name)
}

/// What a new account's form starts with.
fn blank() -> MailAccount {
    MailAccount { queue: "Raw".into(), ..MailAccount::default() }
}

/// The list page, with the add form holding `draft` and the problem the engine answered on it, if any.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    done: &str,
    draft: &MailAccount,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let mut rows = Vec::new();
        for a in st.engine.mail_accounts().await? {
            let status = StatusView::of(&user.tr, st.engine.mail_account_status(&a.name).await?);
            rows.push(Row { account: AccountView::of(&a), status });
        }
        Ok::<_, Problem>((rows, queue_names(st).await?))
    };
    let (rows, queues) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-heading-mail-accounts"), "mail-accounts", done);
    let page = |frame| ListPage { frame, head: head.clone(), rows, queues, view: AccountView::of(draft), new: true };
    match problem {
        None => show(&page(frame)),
        Some(p) => page::render(p.status(), &page(refused(frame, p))),
    }
}

/// `GET /admin/mail-accounts`: every account with its status, and the add form.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    list_page(&st, &user, &q.done, &blank(), None).await
}

/// `POST /admin/mail-accounts`: adds an account; what the engine refuses shows on the form again.
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, MailAccountForm>,
) -> Response {
    let (account, problem) = account_from(&f, None);
    let r = async {
        if let Some(p) = problem {
            return Err(p);
        }
        if st.engine.mail_account(&account.name).await?.is_some() {
            return Err(duplicate(RecordKind::MailAccount, &account.name));
        }
        admin(&st, &user).await?.put_mail_account(account.clone()).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/mail-accounts", &account.name, "?done=saved")),
        Err(p) => list_page(&st, &user, "", &account, Some(&p)).await,
    }
}

/// The page of account `name`, its form holding `draft` (else the stored account) and the problem the
/// engine answered on it, if any.
async fn account_page(
    st: &AppState,
    user: &AgentUser,
    name: &str,
    done: &str,
    draft: Option<&MailAccount>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let stored = load(st, name).await?;
        let status = StatusView::of(&user.tr, st.engine.mail_account_status(name).await?);
        Ok::<_, Problem>((stored, status, queue_names(st).await?))
    };
    let (stored, status, queues) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let heading = user.tr.t1("admin-heading-mail-account", "name", stored.name.as_str());
    let (frame, head) = chrome(user, heading, "mail-accounts", done);
    let view = AccountView::of(draft.unwrap_or(&stored));
    let page = |frame| AccountPage {
        frame,
        head: head.clone(),
        stored: AccountView::of(&stored),
        status: status.clone(),
        queues: queues.clone(),
        view: view.clone(),
        new: false,
    };
    match problem {
        None => show(&page(frame)),
        Some(p) => page::render(p.status(), &page(refused(frame, p))),
    }
}

/// `GET /admin/mail-accounts/{name}`: the account, its status and its form.
pub async fn show_account(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    account_page(&st, &user, &name, &q.done, None, None).await
}

/// `POST /admin/mail-accounts/{name}`: saves the account (it keeps its name); empty secret fields keep
/// the stored secrets. What the engine refuses shows on the form again.
pub async fn save(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, MailAccountForm>,
) -> Response {
    let stored = match load(&st, &name).await {
        Ok(a) => a,
        Err(p) => return bad(&user, &p),
    };
    let (account, problem) = account_from(&f, Some(&stored));
    let r = async {
        if let Some(p) = problem {
            return Err(p);
        }
        admin(&st, &user).await?.put_mail_account(account.clone()).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/mail-accounts", &name, "?done=saved")),
        Err(p) => account_page(&st, &user, &name, "", Some(&account), Some(&p)).await,
    }
}

/// `GET /admin/mail-accounts/{name}/delete`: asks before deleting.
pub async fn confirm_delete(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
) -> Response {
    if let Err(p) = load(&st, &name).await {
        return bad(&user, &p);
    }
    let heading = user.tr.t1("admin-heading-mail-account-delete", "name", name.as_str());
    let (frame, head) = chrome(&user, heading, "mail-accounts", "");
    show(&DeletePage { frame, head, name })
}

/// `POST /admin/mail-accounts/{name}/delete`: deletes the account with its status and tokens (its
/// checkpoints stay: the same account added again reads no message twice).
pub async fn delete(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), DeleteForm {}): CsrfForm<AdminUser, DeleteForm>,
) -> Response {
    let r = async {
        admin(&st, &user).await?.delete_mail_account(&name).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, "/admin/mail-accounts?done=deleted")
}
