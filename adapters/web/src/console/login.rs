//! `/agent/login` and `/agent/logout`: agent login with login and password.

use super::frame;
use super::session::{AgentUser, SESSION_COOKIE, close, error_page, open, see_other};
use crate::csrf::{CsrfForm, forged_problem, same_origin};
use crate::lang::PageTr;
use crate::page::{Frame, login_refusal_text, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chamado_http::AppState;
use chamado_http::auth::agent_login;
use chamado_http::client_addr::ClientAddr;
use chamado_http::cookies::CONSOLE;
use chamado_http::extract::PortalForm;
use serde::Deserialize;

/// The login page.
#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage<'a> {
    frame: Frame,
    /// The login typed before, shown again after a failure.
    login: &'a str,
    /// The last attempt had a wrong login or password.
    wrong: bool,
    /// The last attempt was refused for another reason (throttled), in the page's language.
    refused: Option<String>,
}

/// The login form.
pub async fn show(PageTr(tr): PageTr) -> Response {
    render(StatusCode::OK, &LoginPage { frame: frame::anonymous(tr), login: "", wrong: false, refused: None })
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// Checks the agent's password (Argon2id, the same throttle as customer logins), opens a session. The
/// form has no session to bind a token to, so it must come from a page of this site (`Origin`).
pub async fn submit(
    State(st): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    PageTr(tr): PageTr,
    jar: CookieJar,
    PortalForm(f): PortalForm<LoginForm>,
) -> Response {
    if !same_origin(&headers) {
        return error_page(tr, &forged_problem());
    }
    let login = match agent_login(&st, client, &f.login, &f.password).await {
        Ok(login) => login,
        Err(refusal) => {
            let p = refusal.problem();
            let wrong = p.status() == StatusCode::UNAUTHORIZED;
            let refused = (!wrong).then(|| login_refusal_text(&tr, &refusal));
            let page = LoginPage { frame: frame::anonymous(tr.clone()), login: &f.login, wrong, refused };
            return refusal.with_retry_after(render(p.status(), &page));
        }
    };
    match open(&st.engine, &login, st.config.session_ttl).await {
        Ok(token) => {
            let jar = CONSOLE.set(jar, SESSION_COOKIE, token, st.config.session_ttl, st.config.cookies_secure());
            (jar, see_other("/agent")).into_response()
        }
        Err(p) => error_page(tr, &p),
    }
}

/// A form with nothing but its CSRF token, which [`CsrfForm`] checks.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// Ends the session and clears the cookie.
pub async fn logout(
    State(st): State<AppState>,
    jar: CookieJar,
    CsrfForm(user, NoFields {}): CsrfForm<AgentUser, NoFields>,
) -> Response {
    if let Err(e) = close(&st.engine, &user.token).await {
        return user.error(&e.into());
    }
    (CONSOLE.clear(jar, SESSION_COOKIE, st.config.cookies_secure()), see_other("/agent/login")).into_response()
}
