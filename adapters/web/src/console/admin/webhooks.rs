//! Webhooks: the subscriptions that receive signed events. The list (with each one's backlog and dead
//! letters among its latest deliveries) with the add form, one subscription's form with its secrets
//! (masked; "add a secret" generates one, shown once, and may end the old ones after some hours: a
//! rotation), and delete after a confirmation. What the engine refuses (a private target, a queue that
//! does not exist, no event) shows next to the form, which keeps what was typed. The deliveries and
//! their replays are [`super::webhook_deliveries`].

use super::view::{Head, bad, chrome, show};
use super::webhooks_form::{SecretView, WebhookView, expiry, new_secret};
use super::{AdminUser, AgentUser, ListQuery, admin, href, records, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::webhooks::WebhookSecret;
use chamado::{OutboxStatus, Record, RecordKind, Timestamp, WebhookSubscription};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use serde::Deserialize;

/// Latest deliveries the list counts the backlog and dead letters in (one store read per subscription).
pub(super) const COUNTED: usize = 100;

/// What the filters offer.
#[derive(Debug, Clone, Default)]
struct Choices {
    queues: Vec<String>,
    groups: Vec<String>,
}

impl Choices {
    async fn load(st: &AppState) -> Result<Choices, Problem> {
        let names = |kind| async move {
            Ok::<_, Problem>(
                records(st, kind)
                    .await?
                    .into_iter()
                    .filter_map(|r| match r {
                        Record::Queue(q) => Some(q.name),
                        Record::Group(g) => Some(g.name),
                        _ => None,
                    })
                    .collect::<Vec<String>>(),
            )
        };
        Ok(Choices { queues: names(RecordKind::Queue).await?, groups: names(RecordKind::Group).await? })
    }
}

/// One subscription in the list.
struct Row {
    view: WebhookView,
    /// Waiting among its latest [`COUNTED`] deliveries.
    pending: usize,
    /// Dead letters among them.
    dead: usize,
}

/// The list and the add form.
#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    rows: Vec<Row>,
    /// Deliveries waiting for every subscription.
    backlog: u64,
    counted: usize,
    choices: Choices,
    view: WebhookView,
    events: Vec<super::webhooks_form::EventBox>,
    form_error: Option<String>,
}

/// One subscription: its form and its secrets.
#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    choices: Choices,
    view: WebhookView,
    events: Vec<super::webhooks_form::EventBox>,
    secrets: Vec<SecretView>,
    form_error: Option<String>,
}

/// A new secret, shown once.
#[derive(Template)]
#[template(path = "admin/webhook_secret.html")]
struct SecretPage {
    frame: Frame,
    head: Head,
    id: String,
    secret: String,
}

/// "Delete this webhook?".
#[derive(Template)]
#[template(path = "admin/webhook_delete.html")]
struct DeletePage {
    frame: Frame,
    head: Head,
    id: String,
    url: String,
}

/// The add-a-secret form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SecretForm {
    /// End the other secrets this many hours from now (empty: they keep signing).
    pub expire_hours: String,
}

/// The delete confirmation posts only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {}

/// The stored subscription `id`.
pub(super) async fn load(st: &AppState, user: &AgentUser, id: &str) -> Result<WebhookSubscription, Problem> {
    Ok(admin(st, user).await?.webhook(id).await?)
}

/// The list page, its add form holding `draft` with the problem the engine answered on it, if any.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    done: &str,
    draft: Option<WebhookView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let a = admin(st, user).await?;
        let mut rows = Vec::new();
        for s in a.webhooks().await? {
            let latest = a.webhook_deliveries(&s.id, None, COUNTED).await?;
            let count = |status| latest.iter().filter(|d| d.status == status).count();
            rows.push(Row {
                view: WebhookView::of(&s),
                pending: count(OutboxStatus::Pending),
                dead: count(OutboxStatus::Failed),
            });
        }
        Ok::<_, Problem>((rows, st.engine.webhooks_pending().await?, Choices::load(st).await?))
    };
    let (rows, backlog, choices) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t("admin-webhook-webhooks"), "webhooks", done);
    let view = draft.unwrap_or_else(WebhookView::blank);
    let page = ListPage {
        frame,
        head,
        rows,
        backlog,
        counted: COUNTED,
        choices,
        events: view.event_boxes(&user.tr),
        view,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// The page of subscription `id`, its form holding `draft` (else the stored subscription) with the
/// problem the engine answered on it, if any.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    id: &str,
    done: &str,
    draft: Option<WebhookView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async { Ok::<_, Problem>((load(st, user, id).await?, Choices::load(st).await?)) };
    let (stored, choices) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, user.tr.t1("admin-webhook-webhook", "id", stored.id.as_str()), "webhooks", done);
    let now = st.engine.now();
    let view = draft.unwrap_or_else(|| WebhookView::of(&stored));
    let page = EditPage {
        frame,
        head,
        choices,
        events: view.event_boxes(&user.tr),
        view,
        secrets: stored.secrets.iter().map(|s| SecretView::of(&user.tr, s, now)).collect(),
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// The page that shows `secret` of subscription `id`, once.
fn secret_page(user: &AgentUser, id: &str, secret: String, status: StatusCode) -> Response {
    let (frame, head) = chrome(user, user.tr.t1("admin-webhook-secret-heading", "id", id), "webhooks", "saved");
    page::render(status, &SecretPage { frame, head, id: id.to_string(), secret })
}

/// `GET /admin/webhooks`: the list and the add form.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    list_page(&st, &user, &q.done, None, None).await
}

/// `POST /admin/webhooks`: adds a subscription signed with the secret pasted, else a new one, which
/// the answer shows once; what the engine refuses shows next to the form, which keeps what was typed
/// (but the secret).
pub async fn add(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let mut view = WebhookView::posted(&pairs, "");
    let r = async {
        let secret = if view.secret.is_empty() { new_secret()? } else { view.secret.clone() };
        let stored = admin(&st, &user).await?.put_webhook(view.record(None, &secret)?).await?;
        Ok::<_, Problem>((stored.id, secret))
    };
    match r.await {
        Ok((id, secret)) => secret_page(&user, &id, secret, StatusCode::CREATED),
        Err(p) => {
            view.secret.clear();
            list_page(&st, &user, "", Some(view), Some(&p)).await
        }
    }
}

/// `GET /admin/webhooks/{id}`: one subscription's form and secrets.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, &id, &q.done, None, None).await
}

/// `POST /admin/webhooks/{id}`: saves the subscription (its id and secrets stay); enabling it again
/// clears why the engine disabled it. What the engine refuses shows next to the form.
pub async fn save(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let stored = match load(&st, &user, &id).await {
        Ok(s) => s,
        Err(p) => return bad(&user, &p),
    };
    let view = WebhookView::posted(&pairs, &id);
    let r = async {
        admin(&st, &user).await?.put_webhook(view.record(Some(&stored), "")?).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/webhooks", &id, "?done=saved")),
        Err(p) => edit_page(&st, &user, &id, "", Some(view), Some(&p)).await,
    }
}

/// `POST /admin/webhooks/{id}/secrets`: adds a generated secret, shown once; with `expire_hours`, the
/// other secrets stop signing that many hours from now (receivers move to the new one meanwhile).
/// Secrets that stopped signing already are dropped.
pub async fn add_secret(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, SecretForm>,
) -> Response {
    let r = async {
        let mut s = load(&st, &user, &id).await?;
        let now = st.engine.now();
        let ends = expiry(&f.expire_hours, now)?;
        let secret = new_secret()?;
        s.secrets.retain(|old| old.expires_at.is_none_or(|e| e > now));
        if let Some(ends) = ends {
            for old in &mut s.secrets {
                old.expires_at = Some(old.expires_at.map_or(ends, |e| e.min(ends)));
            }
        }
        s.secrets.push(WebhookSecret { secret: secret.clone(), created_at: Timestamp::EPOCH, expires_at: None });
        admin(&st, &user).await?.put_webhook(s).await?;
        Ok::<_, Problem>(secret)
    };
    match r.await {
        Ok(secret) => secret_page(&user, &id, secret, StatusCode::OK),
        Err(p) => edit_page(&st, &user, &id, "", None, Some(&p)).await,
    }
}

/// `GET /admin/webhooks/{id}/delete`: asks before deleting.
pub async fn confirm_delete(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
) -> Response {
    let stored = match load(&st, &user, &id).await {
        Ok(s) => s,
        Err(p) => return bad(&user, &p),
    };
    let (frame, head) = chrome(&user, user.tr.t1("admin-webhook-delete-heading", "id", id.as_str()), "webhooks", "");
    show(&DeletePage { frame, head, id, url: stored.url })
}

/// `POST /admin/webhooks/{id}/delete`: deletes the subscription; what is queued for it becomes a dead
/// letter when its turn comes.
pub async fn delete(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(AdminUser(user), DeleteForm {}): CsrfForm<AdminUser, DeleteForm>,
) -> Response {
    let r = async {
        admin(&st, &user).await?.delete_webhook(&id).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, "/admin/webhooks?done=deleted")
}
