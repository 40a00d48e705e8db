//! `/portal/preferences`: the customer user's own language (their times are the system's zone).

use super::frame::{Section, error, signed_in};
use super::session::{PortalUser, see_other};
use crate::csrf::CsrfForm;
use crate::page::{Frame, problem_text, render};
use crate::preferences::{LanguageChoice, language, languages};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Actor, Preferences};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use serde::Deserialize;

/// The preferences page.
#[derive(Template)]
#[template(path = "portal/preferences.html")]
pub struct PreferencesPage {
    /// The frame (with the confirmation or the refusal as its notice).
    pub frame: Frame,
    /// The languages offered.
    pub languages: Vec<LanguageChoice>,
    /// The language chosen (a tag), empty for the system default.
    pub language: String,
    /// The form's CSRF token.
    pub csrf: String,
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
}

/// The form with the customer user's current choice, and a confirmation after a save.
pub async fn show(State(st): State<AppState>, user: PortalUser, ApiQuery(q): ApiQuery<Done>) -> Response {
    let current = match st.engine.customer_user(&user.login).await {
        Ok(Some(u)) => u.language.unwrap_or_default(),
        Ok(None) => String::new(),
        Err(e) => return error(&user, &e.into()),
    };
    let mut frame = signed_in(&user, Section::Preferences);
    if q.done == "saved" {
        frame = frame.with_notice(user.tr.t("page-preferences-saved"), false);
    }
    render(
        StatusCode::OK,
        &PreferencesPage { frame, languages: languages(), language: current, csrf: user.csrf.clone() },
    )
}

/// Saves the language and shows the page again, now in that language; a refusal keeps the form as sent.
pub async fn save(State(st): State<AppState>, CsrfForm(user, f): CsrfForm<PortalUser, PreferencesForm>) -> Response {
    match store(&st, &user, &f).await {
        Ok(()) => see_other("/portal/preferences?done=saved"),
        Err(p) => {
            let frame = signed_in(&user, Section::Preferences).with_notice(problem_text(&user.tr, &p), true);
            let page = PreferencesPage { frame, languages: languages(), language: f.language, csrf: user.csrf.clone() };
            render(p.status(), &page)
        }
    }
}

async fn store(st: &AppState, user: &PortalUser, f: &PreferencesForm) -> Result<(), Problem> {
    let prefs = Preferences { language: language(&f.language)?, time_zone: None };
    Ok(st.engine.set_own_preferences(&Actor::customer(&user.login), prefs).await?)
}
