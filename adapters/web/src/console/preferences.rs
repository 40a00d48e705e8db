//! `/agent/preferences`: the agent's own language and time zone.

use super::frame;
use super::session::{AgentUser, see_other};
use crate::csrf::CsrfForm;
use crate::page::{Frame, problem_text, render};
use crate::preferences::{LanguageChoice, language, languages, time_zone};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::Preferences;
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::TimeZoneName;
use serde::Deserialize;

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
    csrf: String,
}

/// The page's query: `done=saved` after a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// The form's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreferencesForm {
    language: String,
    time_zone: String,
}

fn page(st: &AppState, user: &AgentUser, frame: Frame, language: String, time_zone: String) -> PreferencesPage {
    PreferencesPage {
        frame,
        languages: languages(),
        language,
        time_zone,
        default_zone: st.engine.default_time_zone().as_str().to_string(),
        zones: TimeZoneName::all(),
        csrf: user.csrf.clone(),
    }
}

/// The form with the agent's current choices, and a confirmation after a save.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<Done>) -> Response {
    let (language, zone) = match st.engine.agent(&user.login).await {
        Ok(Some(a)) => (a.language.unwrap_or_default(), a.time_zone.unwrap_or_default()),
        Ok(None) => (String::new(), String::new()),
        Err(e) => return user.error(&e.into()),
    };
    let mut frame = frame::of(&user, "/agent/preferences");
    if q.done == "saved" {
        frame = frame.with_notice(user.tr.t("page-preferences-saved"), false);
    }
    render(StatusCode::OK, &page(&st, &user, frame, language, zone))
}

/// Saves both and shows the page again in the new language and zone; a refusal keeps the form as sent.
pub async fn save(State(st): State<AppState>, CsrfForm(user, f): CsrfForm<AgentUser, PreferencesForm>) -> Response {
    match store(&st, &user, &f).await {
        Ok(()) => see_other("/agent/preferences?done=saved"),
        Err(p) => {
            let frame = frame::of(&user, "/agent/preferences").with_notice(problem_text(&user.tr, &p), true);
            render(p.status(), &page(&st, &user, frame, f.language, f.time_zone))
        }
    }
}

async fn store(st: &AppState, user: &AgentUser, f: &PreferencesForm) -> Result<(), Problem> {
    let prefs = Preferences { language: language(&f.language)?, time_zone: time_zone(&f.time_zone)? };
    Ok(st.engine.set_own_preferences(&user.actor(), prefs).await?)
}
