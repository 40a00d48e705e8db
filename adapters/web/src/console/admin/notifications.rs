//! Agent notifications (OTRS's "Ticket Notifications"): the ten kinds with what the admins set for
//! each (on or off, sent by mail and by Telegram by default, whether agents may choose, the texts),
//! each kind's form, and going back to the shipped settings.

use super::texts::put;
use super::texts_form::{LangText, Posted, lang_texts, language_list, localized};
use super::view::{Head, bad, chrome};
use super::{AdminUser, AgentUser, ListQuery, admin, href, not_found, saved};
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{NotificationDef, NotificationKind, Record, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use serde::Deserialize;

/// One kind as the pages show it.
#[derive(Debug, Clone)]
struct Row {
    /// The kind as the API spells it (the path segment).
    kind: &'static str,
    /// Its name in the admin's language.
    label: String,
    /// What the admins set (or the shipped settings).
    def: NotificationDef,
    /// The languages it has its own texts in; empty for the shipped texts.
    languages: String,
}

impl Row {
    fn of(tr: &chamado_i18n::Tr, def: NotificationDef) -> Row {
        Row { kind: def.kind.as_str(), label: tr.t(def.kind.label_key()), languages: language_list(&def.texts), def }
    }
}

/// The list of the ten kinds.
#[derive(Template)]
#[template(path = "admin/notifications.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    rows: Vec<Row>,
}

/// One kind's form.
#[derive(Template)]
#[template(path = "admin/notification.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    /// The kind with the form's values: the stored ones, or what was posted when refused.
    row: Row,
    texts: Vec<LangText>,
    show_subject: bool,
    /// The admins changed the shipped settings (so they can go back to them).
    stored: bool,
    form_error: Option<String>,
}

/// The reset form posts only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {}

/// The kind a path names; 404 for none.
fn kind_of(text: &str) -> Result<NotificationKind, Problem> {
    text.parse().map_err(|_| not_found(RecordKind::Notification, text))
}

/// `GET /admin/notifications`: the ten kinds.
pub async fn list(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    let defs = match st.engine.notification_defs().await {
        Ok(d) => d,
        Err(e) => return bad(&user, &e.into()),
    };
    let rows = defs.into_iter().map(|d| Row::of(&user.tr, d)).collect();
    let (frame, head) = chrome(&user, user.tr.t("admin-texts-notifications"), "notifications", &q.done);
    page::render(StatusCode::OK, &ListPage { frame, head, rows })
}

/// The form of `kind`, holding `draft` (else the stored settings) with the problem the engine
/// answered on it, if any.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    kind: NotificationKind,
    done: &str,
    draft: Option<(NotificationDef, Vec<LangText>)>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let stored = admin(st, user).await?.get(RecordKind::Notification, NotificationDef::key_of(kind)).await?;
        Ok::<_, Problem>((st.engine.notification_def(kind).await?, stored.is_some()))
    };
    let (def, stored) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (def, texts) = draft.unwrap_or_else(|| {
        let texts = lang_texts(&def.texts);
        (def, texts)
    });
    let row = Row::of(&user.tr, def);
    let heading = user.tr.t1("admin-texts-notification", "name", row.label.as_str());
    let (frame, head) = chrome(user, heading, "notifications", done);
    let page = EditPage {
        frame,
        head,
        row,
        texts,
        show_subject: true,
        stored,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(StatusCode::OK, Problem::status), &page)
}

/// `GET /admin/notifications/{kind}`: one kind's form.
pub async fn edit(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    match kind_of(&kind) {
        Ok(k) => edit_page(&st, &user, k, &q.done, None, None).await,
        Err(p) => bad(&user, &p),
    }
}

/// `POST /admin/notifications/{kind}`: saves what the kind does; texts left empty in every language
/// keep the shipped ones. What the engine refuses shows next to the form, which keeps what was typed.
pub async fn save(
    State(st): State<AppState>,
    Path(kind): Path<String>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(p) => return bad(&user, &p),
    };
    let p = Posted::of(&pairs);
    let def = NotificationDef {
        kind,
        valid: p.valid,
        email: p.email,
        telegram: p.telegram,
        agent_may_choose: p.agent_may_choose,
        texts: localized(&p.texts),
    };
    let r = async { put(&admin(&st, &user).await?, Record::Notification(def.clone())).await };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href("/admin/notifications", kind.as_str(), "?done=saved")),
        Err(problem) => edit_page(&st, &user, kind, "", Some((def, p.texts)), Some(&problem)).await,
    }
}

/// `POST /admin/notifications/{kind}/reset`: back to the shipped settings and texts.
pub async fn reset(
    State(st): State<AppState>,
    Path(kind): Path<String>,
    CsrfForm(AdminUser(user), ResetForm {}): CsrfForm<AdminUser, ResetForm>,
) -> Response {
    let r = async {
        let kind = kind_of(&kind)?;
        admin(&st, &user).await?.delete_text(RecordKind::Notification, kind.as_str()).await?;
        Ok::<_, Problem>(())
    };
    saved(&user, r.await, &href("/admin/notifications", &kind, "?done=reset"))
}
