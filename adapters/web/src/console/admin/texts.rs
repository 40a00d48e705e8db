//! The texts admins write once per language: auto-responses (OTRS's four kinds), salutations,
//! signatures and standard templates (answers, notes, phone-ticket texts, assigned to queues). Each
//! screen lists its texts with the add form, edits one, and deletes one after a confirmation (one a
//! queue uses is kept: the engine's refusal names the queue).
//!
//! Subjects and bodies are templates; the engine checks them when they are saved, and a template that
//! does not work is shown with the engine's message (which names the line) next to the form, which
//! keeps what the admin typed. A help box lists the variables templates can read.

use super::texts_form::{LangText, Posted, lang_texts, language_list, localized};
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, AgentUser, ListQuery, admin, duplicate, found, href, records, saved};
use crate::console::all_queues;
use crate::csrf::CsrfForm;
use crate::page::{self, Frame};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{
    Admin, AutoResponse, AutoResponseKind, LocalizedText, Record, RecordKind, Salutation, Signature, StandardTemplate,
    TemplateKind,
};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::Tr;
use serde::Deserialize;

/// Which text screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// `/admin/auto-responses`
    AutoResponses,
    /// `/admin/salutations`
    Salutations,
    /// `/admin/signatures`
    Signatures,
    /// `/admin/templates`
    Templates,
}

/// A marker type per screen, so one set of generic handlers serves the four routes.
pub trait On: Send + Sync + 'static {
    /// The screen.
    const SCREEN: Screen;
}

/// [`Screen::AutoResponses`].
pub struct AutoResponses;
/// [`Screen::Salutations`].
pub struct Salutations;
/// [`Screen::Signatures`].
pub struct Signatures;
/// [`Screen::Templates`].
pub struct Templates;

impl On for AutoResponses {
    const SCREEN: Screen = Screen::AutoResponses;
}
impl On for Salutations {
    const SCREEN: Screen = Screen::Salutations;
}
impl On for Signatures {
    const SCREEN: Screen = Screen::Signatures;
}
impl On for Templates {
    const SCREEN: Screen = Screen::Templates;
}

/// A kind offered by a screen's kind field.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value posted (`reply`, `answer`, ...).
    pub value: String,
    /// Its name in the admin's language.
    pub label: String,
}

/// The sentences a screen words its pages with, in the admin's language.
#[derive(Debug, Clone)]
pub struct Words {
    /// The list's heading (`Auto-responses`).
    pub list: String,
    /// The add form's heading and button.
    pub add: String,
    /// The empty list.
    pub none: String,
    /// The link back to the list.
    pub all: String,
}

impl Screen {
    fn kind(self) -> RecordKind {
        match self {
            Screen::AutoResponses => RecordKind::AutoResponse,
            Screen::Salutations => RecordKind::Salutation,
            Screen::Signatures => RecordKind::Signature,
            Screen::Templates => RecordKind::Template,
        }
    }

    /// The admin menu entry, which is also the path under `/admin`.
    fn section(self) -> &'static str {
        match self {
            Screen::AutoResponses => "auto-responses",
            Screen::Salutations => "salutations",
            Screen::Signatures => "signatures",
            Screen::Templates => "templates",
        }
    }

    fn base(self) -> &'static str {
        match self {
            Screen::AutoResponses => "/admin/auto-responses",
            Screen::Salutations => "/admin/salutations",
            Screen::Signatures => "/admin/signatures",
            Screen::Templates => "/admin/templates",
        }
    }

    /// Whether its texts have subjects (salutations and signatures are bodies only).
    fn has_subject(self) -> bool {
        matches!(self, Screen::AutoResponses | Screen::Templates)
    }

    fn has_kind(self) -> bool {
        matches!(self, Screen::AutoResponses | Screen::Templates)
    }

    fn has_queues(self) -> bool {
        self == Screen::Templates
    }

    /// The kinds the kind field offers.
    fn kinds(self, tr: &Tr) -> Vec<Choice> {
        let choice = |value: &str| Choice { value: value.to_string(), label: kind_label(tr, self, value) };
        match self {
            Screen::AutoResponses => AutoResponseKind::ALL.iter().map(|k| choice(k.as_str())).collect(),
            Screen::Templates => TemplateKind::ALL.iter().map(|k| choice(k.as_str())).collect(),
            Screen::Salutations | Screen::Signatures => Vec::new(),
        }
    }

    fn words(self, tr: &Tr) -> Words {
        match self {
            Screen::AutoResponses => Words {
                list: tr.t("admin-texts-auto-responses"),
                add: tr.t("admin-texts-auto-responses-add"),
                none: tr.t("admin-texts-auto-responses-none"),
                all: tr.t("admin-texts-auto-responses-all"),
            },
            Screen::Salutations => Words {
                list: tr.t("admin-texts-salutations"),
                add: tr.t("admin-texts-salutations-add"),
                none: tr.t("admin-texts-salutations-none"),
                all: tr.t("admin-texts-salutations-all"),
            },
            Screen::Signatures => Words {
                list: tr.t("admin-texts-signatures"),
                add: tr.t("admin-texts-signatures-add"),
                none: tr.t("admin-texts-signatures-none"),
                all: tr.t("admin-texts-signatures-all"),
            },
            Screen::Templates => Words {
                list: tr.t("admin-texts-templates"),
                add: tr.t("admin-texts-templates-add"),
                none: tr.t("admin-texts-templates-none"),
                all: tr.t("admin-texts-templates-all"),
            },
        }
    }

    /// The heading of one text's page.
    fn heading(self, tr: &Tr, name: &str) -> String {
        match self {
            Screen::AutoResponses => tr.t1("admin-texts-auto-response", "name", name),
            Screen::Salutations => tr.t1("admin-texts-salutation", "name", name),
            Screen::Signatures => tr.t1("admin-texts-signature", "name", name),
            Screen::Templates => tr.t1("admin-texts-template", "name", name),
        }
    }
}

/// The name of an auto-response or template kind in the admin's language (the value itself when it is
/// none of them).
pub fn kind_label(tr: &Tr, screen: Screen, value: &str) -> String {
    match (screen, value) {
        (Screen::AutoResponses, "reply") => tr.t("admin-texts-kind-reply"),
        (Screen::AutoResponses, "reject") => tr.t("admin-texts-kind-reject"),
        (Screen::AutoResponses, "follow_up") => tr.t("admin-texts-kind-follow-up"),
        (Screen::AutoResponses, "reply_new_ticket") => tr.t("admin-texts-kind-reply-new-ticket"),
        (Screen::Templates, "answer") => tr.t("admin-texts-kind-answer"),
        (Screen::Templates, "note") => tr.t("admin-texts-kind-note"),
        (Screen::Templates, "create") => tr.t("admin-texts-kind-create"),
        _ => value.to_string(),
    }
}

/// A text as the pages show it and the forms hold it.
#[derive(Debug, Clone, Default)]
pub struct TextView {
    /// Its name.
    pub name: String,
    /// Its kind as the API spells it (auto-responses and templates), else empty.
    pub kind: String,
    /// The kind in the admin's language, for the list.
    pub kind_label: String,
    /// Templates: the queues it is offered in.
    pub queues: Vec<String>,
    /// Valid or not.
    pub valid: bool,
    /// Free text.
    pub comment: String,
    /// One subject and body per language the helpdesk speaks.
    pub texts: Vec<LangText>,
    /// The languages it has texts in, for the list.
    pub languages: String,
}

impl TextView {
    /// An empty text of `screen` for the add form: valid, of the first kind.
    fn blank(tr: &Tr, screen: Screen) -> TextView {
        let kind = screen.kinds(tr).into_iter().next().map(|c| c.value).unwrap_or_default();
        TextView { kind, valid: true, texts: lang_texts(&[]), ..TextView::default() }
    }

    /// What `screen`'s record shows, or `None` when the record is another screen's.
    fn of(tr: &Tr, screen: Screen, record: Record) -> Option<TextView> {
        let (name, kind, queues, valid, comment, texts): (String, &str, Vec<String>, bool, String, Vec<LocalizedText>) =
            match record {
                Record::AutoResponse(a) => (a.name, a.kind.as_str(), Vec::new(), a.valid, a.comment, a.texts),
                Record::Salutation(s) => (s.name, "", Vec::new(), s.valid, s.comment, s.texts),
                Record::Signature(s) => (s.name, "", Vec::new(), s.valid, s.comment, s.texts),
                Record::Template(t) => (t.name, t.kind.as_str(), t.queues, t.valid, t.comment, t.texts),
                _ => return None,
            };
        Some(TextView {
            name,
            kind: kind.to_string(),
            kind_label: kind_label(tr, screen, kind),
            queues,
            valid,
            comment,
            languages: language_list(&texts),
            texts: lang_texts(&texts),
        })
    }

    /// What the form posted, named `name` (an edit keeps the name; an add names it in the form).
    fn posted(tr: &Tr, screen: Screen, p: Posted, name: Option<&str>) -> TextView {
        TextView {
            name: name.map_or(p.name, str::to_string),
            kind_label: kind_label(tr, screen, &p.kind),
            kind: p.kind,
            queues: p.queues,
            valid: p.valid,
            comment: p.comment,
            languages: String::new(),
            texts: p.texts,
        }
    }

    /// The record this describes; a kind outside the form's choices is refused.
    fn record(&self, screen: Screen) -> Result<Record, Problem> {
        let texts = localized(&self.texts);
        let (name, valid, comment) = (self.name.clone(), self.valid, self.comment.clone());
        Ok(match screen {
            Screen::AutoResponses => {
                Record::AutoResponse(AutoResponse { name, kind: self.kind.parse()?, texts, valid, comment })
            }
            Screen::Salutations => Record::Salutation(Salutation { name, texts, valid, comment }),
            Screen::Signatures => Record::Signature(Signature { name, texts, valid, comment }),
            Screen::Templates => Record::Template(StandardTemplate {
                name,
                kind: self.kind.parse()?,
                texts,
                queues: self.queues.clone(),
                valid,
                comment,
            }),
        })
    }
}

/// Saves a text through the engine's rule for its kind.
pub(super) async fn put(admin: &Admin<'_>, record: Record) -> Result<(), Problem> {
    match record {
        Record::AutoResponse(a) => admin.put_auto_response(a).await?,
        Record::Salutation(s) => admin.put_salutation(s).await?,
        Record::Signature(s) => admin.put_signature(s).await?,
        Record::Template(t) => admin.put_template(t).await?,
        Record::Notification(n) => admin.put_notification(n).await?,
        _ => return Err(Problem::internal("not a text")),
    }
    Ok(())
}

/// The list and the add form.
#[derive(Template)]
#[template(path = "admin/texts.html")]
struct ListPage {
    frame: Frame,
    head: Head,
    base: &'static str,
    words: Words,
    rows: Vec<TextView>,
    has_kind: bool,
    has_queues: bool,
    show_subject: bool,
    kinds: Vec<Choice>,
    queues: Vec<String>,
    /// The add form's values.
    view: TextView,
    texts: Vec<LangText>,
    new: bool,
    /// Why the engine refused the add form, shown next to it.
    form_error: Option<String>,
}

/// One text's page: its form.
#[derive(Template)]
#[template(path = "admin/text.html")]
struct EditPage {
    frame: Frame,
    head: Head,
    base: &'static str,
    words: Words,
    has_kind: bool,
    has_queues: bool,
    show_subject: bool,
    kinds: Vec<Choice>,
    queues: Vec<String>,
    view: TextView,
    texts: Vec<LangText>,
    new: bool,
    form_error: Option<String>,
}

/// "Delete this text?".
#[derive(Template)]
#[template(path = "admin/text_delete.html")]
struct DeletePage {
    frame: Frame,
    head: Head,
    base: &'static str,
    name: String,
}

/// The delete confirmation posts only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {}

/// Every queue's name, for the templates' queue field.
async fn queue_names(st: &AppState, screen: Screen) -> Result<Vec<String>, Problem> {
    if !screen.has_queues() {
        return Ok(Vec::new());
    }
    Ok(all_queues(st).await?.into_iter().map(|q| q.name).collect())
}

/// The stored text `name` of `screen`.
async fn load(st: &AppState, user: &AgentUser, screen: Screen, name: &str) -> Result<TextView, Problem> {
    let record = admin(st, user).await?.get(screen.kind(), name).await?;
    found(record.and_then(|r| TextView::of(&user.tr, screen, r)), screen.kind(), name)
}

/// The list page, its add form holding `draft` with the problem the engine answered on it, if any.
async fn list_page(
    st: &AppState,
    user: &AgentUser,
    screen: Screen,
    done: &str,
    draft: Option<TextView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async {
        let rows = records(st, screen.kind()).await?.into_iter().filter_map(|r| TextView::of(&user.tr, screen, r));
        Ok::<_, Problem>((rows.collect(), queue_names(st, screen).await?))
    };
    let (rows, queues) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let words = screen.words(&user.tr);
    let (frame, head) = chrome(user, words.list.clone(), screen.section(), done);
    let view = draft.unwrap_or_else(|| TextView::blank(&user.tr, screen));
    let page = ListPage {
        frame,
        head,
        base: screen.base(),
        words,
        rows,
        has_kind: screen.has_kind(),
        has_queues: screen.has_queues(),
        show_subject: screen.has_subject(),
        kinds: screen.kinds(&user.tr),
        queues,
        texts: view.texts.clone(),
        view,
        new: true,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(axum::http::StatusCode::OK, Problem::status), &page)
}

/// The page of text `name`, its form holding `draft` (else the stored text) with the problem the
/// engine answered on it, if any.
async fn edit_page(
    st: &AppState,
    user: &AgentUser,
    screen: Screen,
    name: &str,
    done: &str,
    draft: Option<TextView>,
    problem: Option<&Problem>,
) -> Response {
    let r = async { Ok::<_, Problem>((load(st, user, screen, name).await?, queue_names(st, screen).await?)) };
    let (stored, queues) = match r.await {
        Ok(x) => x,
        Err(p) => return bad(user, &p),
    };
    let (frame, head) = chrome(user, screen.heading(&user.tr, &stored.name), screen.section(), done);
    let view = draft.unwrap_or(stored);
    let page = EditPage {
        frame,
        head,
        base: screen.base(),
        words: screen.words(&user.tr),
        has_kind: screen.has_kind(),
        has_queues: screen.has_queues(),
        show_subject: screen.has_subject(),
        kinds: screen.kinds(&user.tr),
        queues,
        texts: view.texts.clone(),
        view,
        new: false,
        form_error: problem.map(|p| page::problem_text(&user.tr, p)),
    };
    page::render(problem.map_or(axum::http::StatusCode::OK, Problem::status), &page)
}

/// `GET /admin/{texts}`: the list and the add form.
pub async fn list<S: On>(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    list_page(&st, &user, S::SCREEN, &q.done, None, None).await
}

/// `POST /admin/{texts}`: adds a text; what the engine refuses shows next to the form, which keeps
/// what was typed.
pub async fn add<S: On>(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let screen = S::SCREEN;
    let view = TextView::posted(&user.tr, screen, Posted::of(&pairs), None);
    let r = async {
        let record = view.record(screen)?;
        let a = admin(&st, &user).await?;
        if a.get(screen.kind(), &view.name).await?.is_some() {
            return Err(duplicate(screen.kind(), &view.name));
        }
        put(&a, record).await
    };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href(screen.base(), &view.name, "?done=saved")),
        Err(p) => list_page(&st, &user, screen, "", Some(view), Some(&p)).await,
    }
}

/// `GET /admin/{texts}/{name}`: one text's form.
pub async fn edit<S: On>(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    edit_page(&st, &user, S::SCREEN, &name, &q.done, None, None).await
}

/// `POST /admin/{texts}/{name}`: saves the text (it keeps its name: queues name it); what the engine
/// refuses shows next to the form, which keeps what was typed.
pub async fn save<S: On>(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), pairs): CsrfForm<AdminUser, Vec<(String, String)>>,
) -> Response {
    let screen = S::SCREEN;
    if let Err(p) = load(&st, &user, screen, &name).await {
        return bad(&user, &p);
    }
    let view = TextView::posted(&user.tr, screen, Posted::of(&pairs), Some(&name));
    let r = async { put(&admin(&st, &user).await?, view.record(screen)?).await };
    match r.await {
        Ok(()) => saved(&user, Ok(()), &href(screen.base(), &name, "?done=saved")),
        Err(p) => edit_page(&st, &user, screen, &name, "", Some(view), Some(&p)).await,
    }
}

/// `GET /admin/{texts}/{name}/delete`: asks before deleting.
pub async fn confirm_delete<S: On>(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(name): Path<String>,
) -> Response {
    let screen = S::SCREEN;
    let stored = match load(&st, &user, screen, &name).await {
        Ok(v) => v,
        Err(p) => return bad(&user, &p),
    };
    let heading = user.tr.t1("admin-texts-delete-heading", "name", stored.name.as_str());
    let (frame, head) = chrome(&user, heading, screen.section(), "");
    show(&DeletePage { frame, head, base: screen.base(), name: stored.name })
}

/// `POST /admin/{texts}/{name}/delete`: deletes the text; one a queue uses is kept (the engine's
/// refusal names the queue).
pub async fn delete<S: On>(
    State(st): State<AppState>,
    Path(name): Path<String>,
    CsrfForm(AdminUser(user), DeleteForm {}): CsrfForm<AdminUser, DeleteForm>,
) -> Response {
    let screen = S::SCREEN;
    let r = async { Ok::<_, Problem>(admin(&st, &user).await?.delete_text(screen.kind(), &name).await?) };
    saved(&user, r.await, &[screen.base(), "?done=deleted"].concat())
}
