//! `/agent/login` and `/agent/logout`: agent login with login and password.

use super::layout::{esc, notice, page, respond};
use super::session::{
    AgentUser, LOGIN_CSRF_COOKIE, SESSION_COOKIE, close, error_page, forged_problem, open, see_other,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::agent_login;
use chamado_http::client_addr::ClientAddr;
use chamado_http::cookies::CONSOLE;
use chamado_http::extract::PortalForm;
use chamado_http::random::{constant_time_eq, secret};
use serde::Deserialize;
use std::time::Duration;

const LOGIN_CSRF_TTL: Duration = Duration::from_secs(3600);

fn form(csrf: &str, login: &str, message: Option<&str>) -> String {
    let body = format!(
        "<h1>Agent login</h1>{notice}<form class=\"card\" method=\"post\" action=\"/agent/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"login\">Login</label><input id=\"login\" name=\"login\" autocomplete=\"username\" required value=\"{login}\">\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">Log in</button></form>",
        notice = notice(message, true),
        csrf = esc(csrf),
        login = esc(login)
    );
    page("Agent login", None, &body)
}

/// The login form; sets the login CSRF cookie.
pub async fn show(State(st): State<AppState>, jar: CookieJar) -> Response {
    let token = match CONSOLE.get(&jar, LOGIN_CSRF_COOKIE) {
        Some(t) => t,
        None => match secret("") {
            Ok(t) => t,
            Err(e) => return error_page(None, &Problem::internal(e.to_string())),
        },
    };
    let page = respond(StatusCode::OK, form(&token, "", None));
    (CONSOLE.set(jar, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_TTL, st.config.cookies_secure()), page).into_response()
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// Checks the agent's password (Argon2id, the same throttle as customer logins), opens a session.
pub async fn submit(
    State(st): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    PortalForm(f): PortalForm<LoginForm>,
) -> Response {
    let expected = CONSOLE.get(&jar, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &f.csrf) {
        return error_page(None, &forged_problem());
    }
    let login = match agent_login(&st, client, &f.login, &f.password).await {
        Ok(login) => login,
        Err(refusal) => {
            let p = refusal.problem();
            let message =
                if p.status() == StatusCode::UNAUTHORIZED { "Login or password is wrong." } else { p.detail() };
            return refusal.with_retry_after(respond(p.status(), form(&expected, &f.login, Some(message))));
        }
    };
    match open(&st.engine, &login, st.config.session_ttl).await {
        Ok(token) => {
            let secure = st.config.cookies_secure();
            let jar = CONSOLE.set(jar, SESSION_COOKIE, token, st.config.session_ttl, secure);
            (CONSOLE.clear(jar, LOGIN_CSRF_COOKIE, secure), see_other("/agent")).into_response()
        }
        Err(p) => error_page(None, &p),
    }
}

/// A form with only the CSRF field.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Ends the session and clears the cookie.
pub async fn logout(
    State(st): State<AppState>,
    user: AgentUser,
    jar: CookieJar,
    PortalForm(f): PortalForm<CsrfOnly>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return user.forged();
    }
    if let Err(e) = close(&st.engine, &user.token).await {
        return user.error(&e.into());
    }
    (CONSOLE.clear(jar, SESSION_COOKIE, st.config.cookies_secure()), see_other("/agent/login")).into_response()
}
