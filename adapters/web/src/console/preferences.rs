//! `/agent/preferences`: the agent's own language and time zone; how the agent is told (per
//! notification kind, by mail and by Telegram; kinds whose channels the admins set are shown with
//! their settings, not to be changed) and "My queues" (among the queues the agent may read); and the
//! Telegram link: a one-time code to send to the bot as `/link CODE`, or unlinking the chat.

use super::frame;
use super::session::{AgentUser, see_other};
use crate::csrf::CsrfForm;
use crate::page::{Frame, problem_text, render};
use crate::portal::link_telegram::{Issued, NETWORK, TTL, new_code};
use crate::preferences::{LanguageChoice, language, languages, time_zone};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{NotificationChoice, NotificationKind, Permission, Preferences};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::TimeZoneName;
use serde::Deserialize;

/// One notification kind's row.
struct NotificationRow {
    /// The kind as the API spells it (the checkboxes' names hold it).
    kind: &'static str,
    /// Its name in the agent's language.
    label: String,
    /// By mail.
    email: bool,
    /// By Telegram.
    telegram: bool,
    /// The agent may change the channels; otherwise the admins' settings bind.
    choosable: bool,
    /// The admins turned the kind off: nobody is told.
    off: bool,
}

/// A queue the agent may read, for "My queues".
struct QueueChoice {
    name: String,
    /// In "My queues".
    mine: bool,
}

/// The preferences page.
#[derive(Template)]
#[template(path = "console/preferences.html")]
struct PreferencesPage {
    frame: Frame,
    /// The languages offered.
    languages: Vec<LanguageChoice>,
    /// The language chosen (a tag), empty for the system default.
    language: String,
    /// The time zone chosen, empty for the system's.
    time_zone: String,
    /// The system's time zone, said beside the field.
    default_zone: String,
    /// Every IANA zone name, for the field's suggestions.
    zones: Vec<String>,
    /// One row per notification kind.
    notifications: Vec<NotificationRow>,
    /// The queues the agent may read, those in "My queues" marked.
    queues: Vec<QueueChoice>,
    /// The agent linked a Telegram chat.
    telegram_linked: bool,
    /// A link code issued by this request.
    issued: Option<Issued>,
    csrf: String,
}

/// The page's query: what was just done (`saved`, `notifications`, `unlinked`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// The language and time zone form's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreferencesForm {
    language: String,
    time_zone: String,
}

/// The forms that post nothing but their CSRF token (link code, unlink).
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// What the page shows beside the form values: the agent's notification settings and queues.
async fn page(
    st: &AppState,
    user: &AgentUser,
    frame: Frame,
    language: String,
    time_zone: String,
    issued: Option<Issued>,
) -> Result<PreferencesPage, Problem> {
    let settings = st.engine.notification_settings(&user.actor()).await?;
    let notifications = settings
        .kinds
        .iter()
        .map(|s| NotificationRow {
            kind: s.def.kind.as_str(),
            label: user.tr.t(s.def.kind.label_key()),
            email: s.email,
            telegram: s.telegram,
            choosable: s.def.agent_may_choose,
            off: !s.def.valid,
        })
        .collect();
    let queues = super::all_queues(st)
        .await?
        .into_iter()
        .filter(|q| user.access.has(&q.group, Permission::Ro))
        .map(|q| QueueChoice { mine: settings.my_queues.contains(&q.name), name: q.name })
        .collect();
    Ok(PreferencesPage {
        frame,
        languages: languages(),
        language,
        time_zone,
        default_zone: st.engine.default_time_zone().as_str().to_string(),
        zones: TimeZoneName::all(),
        notifications,
        queues,
        telegram_linked: settings.telegram_linked,
        issued,
        csrf: user.csrf.clone(),
    })
}

/// The page with the agent's stored language and time zone, `frame` on top and a code if one was
/// just issued.
async fn stored_page(
    st: &AppState,
    user: &AgentUser,
    frame: Frame,
    issued: Option<Issued>,
    status: StatusCode,
) -> Response {
    let r = async {
        let (language, zone) = match st.engine.agent(&user.login).await? {
            Some(a) => (a.language.unwrap_or_default(), a.time_zone.unwrap_or_default()),
            None => (String::new(), String::new()),
        };
        page(st, user, frame, language, zone, issued).await
    };
    match r.await {
        Ok(p) => render(status, &p),
        Err(p) => user.error(&p),
    }
}

/// The form with the agent's current choices, and a confirmation after a save.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<Done>) -> Response {
    let mut frame = frame::of(&user, "/agent/preferences");
    let notice = match q.done.as_str() {
        "saved" | "notifications" => Some(user.tr.t("page-preferences-saved")),
        "unlinked" => Some(user.tr.t("console-prefs-telegram-unlinked")),
        _ => None,
    };
    if let Some(text) = notice {
        frame = frame.with_notice(text, false);
    }
    stored_page(&st, &user, frame, None, StatusCode::OK).await
}

/// Saves both and shows the page again in the new language and zone; a refusal keeps the form as sent.
pub async fn save(State(st): State<AppState>, CsrfForm(user, f): CsrfForm<AgentUser, PreferencesForm>) -> Response {
    match store(&st, &user, &f).await {
        Ok(()) => see_other("/agent/preferences?done=saved"),
        Err(p) => {
            let frame = frame::of(&user, "/agent/preferences").with_notice(problem_text(&user.tr, &p), true);
            match page(&st, &user, frame, f.language, f.time_zone, None).await {
                Ok(page) => render(p.status(), &page),
                Err(p2) => user.error(&p2),
            }
        }
    }
}

async fn store(st: &AppState, user: &AgentUser, f: &PreferencesForm) -> Result<(), Problem> {
    let prefs = Preferences { language: language(&f.language)?, time_zone: time_zone(&f.time_zone)? };
    Ok(st.engine.set_own_preferences(&user.actor(), prefs).await?)
}

/// What the notifications form posted: `email:<kind>` and `telegram:<kind>` for the boxes ticked,
/// `queue:<name>` for "My queues".
#[derive(Debug, Default, PartialEq, Eq)]
struct NotificationsPosted {
    email: Vec<String>,
    telegram: Vec<String>,
    queues: Vec<String>,
}

impl NotificationsPosted {
    fn of(pairs: &[(String, String)]) -> NotificationsPosted {
        let mut p = NotificationsPosted::default();
        for (key, _) in pairs {
            if let Some(k) = key.strip_prefix("email:") {
                p.email.push(k.to_string());
            } else if let Some(k) = key.strip_prefix("telegram:") {
                p.telegram.push(k.to_string());
            } else if let Some(q) = key.strip_prefix("queue:")
                && !p.queues.iter().any(|x| x == q)
            {
                p.queues.push(q.to_string());
            }
        }
        p
    }

    /// The agent's choice for each kind agents may choose now (the others follow the admins).
    fn choices(&self, choosable: &[NotificationKind]) -> Vec<NotificationChoice> {
        let ticked = |boxes: &[String], k: NotificationKind| boxes.iter().any(|b| b == k.as_str());
        choosable
            .iter()
            .map(|k| NotificationChoice {
                kind: *k,
                email: ticked(&self.email, *k),
                telegram: ticked(&self.telegram, *k),
            })
            .collect()
    }
}

/// `POST /agent/preferences/notifications`: saves the channels per notification kind and "My queues".
/// A queue the agent may not read is refused (the page shows why, with the form as sent).
pub async fn save_notifications(
    State(st): State<AppState>,
    CsrfForm(user, pairs): CsrfForm<AgentUser, Vec<(String, String)>>,
) -> Response {
    let posted = NotificationsPosted::of(&pairs);
    let r = async {
        let choosable: Vec<NotificationKind> =
            st.engine.notification_defs().await?.into_iter().filter(|d| d.agent_may_choose).map(|d| d.kind).collect();
        let choices = posted.choices(&choosable);
        st.engine.set_notification_settings(&user.actor(), posted.queues.clone(), Some(choices)).await?;
        Ok::<_, Problem>(())
    };
    match r.await {
        Ok(()) => see_other("/agent/preferences?done=notifications"),
        Err(p) => {
            let frame = frame::of(&user, "/agent/preferences").with_notice(problem_text(&user.tr, &p), true);
            stored_page(&st, &user, frame, None, p.status()).await
        }
    }
}

/// `POST /agent/preferences/telegram-code`: issues a one-time code (15 minutes) with which the agent
/// links a Telegram chat by sending `/link CODE` to the bot, and shows it.
pub async fn telegram_code(
    State(st): State<AppState>,
    CsrfForm(user, NoFields {}): CsrfForm<AgentUser, NoFields>,
) -> Response {
    let r = async {
        let code = new_code()?;
        let expires_at = st.engine.issue_agent_link_code(NETWORK, &user.login, &code, TTL).await?;
        Ok::<_, Problem>(Issued { code, expires_at })
    };
    match r.await {
        Ok(issued) => {
            let frame = frame::of(&user, "/agent/preferences");
            stored_page(&st, &user, frame, Some(issued), StatusCode::OK).await
        }
        Err(p) => user.error(&p),
    }
}

/// `POST /agent/preferences/telegram-unlink`: forgets the linked chat; Telegram notifications stop.
pub async fn telegram_unlink(
    State(st): State<AppState>,
    CsrfForm(user, NoFields {}): CsrfForm<AgentUser, NoFields>,
) -> Response {
    match st.engine.unlink_agent_chat(&user.actor()).await {
        Ok(()) => see_other("/agent/preferences?done=unlinked"),
        Err(e) => user.error(&e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_boxes_and_queues_and_chooses_only_what_agents_may() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(
            "csrf=t&email%3Anew_ticket=1&telegram%3Afollow_up=1&email%3Abounced=1&queue%3ARaw=1&queue%3AIT%3A%3AOps=1&queue%3ARaw=1",
        )
        .unwrap_or_default();
        let p = NotificationsPosted::of(&pairs);
        assert_eq!(p.queues, vec!["Raw".to_string(), "IT::Ops".to_string()]);
        let choices = p.choices(&[NotificationKind::NewTicket, NotificationKind::FollowUp, NotificationKind::OwnerSet]);
        assert_eq!(
            choices,
            vec![
                NotificationChoice { kind: NotificationKind::NewTicket, email: true, telegram: false },
                NotificationChoice { kind: NotificationKind::FollowUp, email: false, telegram: true },
                NotificationChoice { kind: NotificationKind::OwnerSet, email: false, telegram: false },
            ],
            "bounced is not choosable here: no choice sent for it"
        );
    }
}
