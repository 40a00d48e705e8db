//! `/agent/login` and `/agent/logout`: agent login with login and password.

use super::layout::{esc, notice, page, respond};
use super::session::{
    AgentUser, LOGIN_CSRF_COOKIE, SESSION_COOKIE, clear_cookie, close, cookie, error_page, forged_problem, open,
    see_other, set_cookie, with_cookie,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::password;
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
pub async fn show(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = match cookie(&headers, LOGIN_CSRF_COOKIE) {
        Some(t) => t,
        None => match secret("") {
            Ok(t) => t,
            Err(e) => return error_page(None, &Problem::internal(e.to_string())),
        },
    };
    let res = respond(StatusCode::OK, form(&token, "", None));
    with_cookie(res, &set_cookie(LOGIN_CSRF_COOKIE, &token, LOGIN_CSRF_TTL, st.config.secure_cookies))
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

/// Checks the agent's password (Argon2id, same throttle as customer logins), opens a session.
pub async fn submit(State(st): State<AppState>, headers: HeaderMap, PortalForm(f): PortalForm<LoginForm>) -> Response {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &f.csrf) {
        return error_page(None, &forged_problem());
    }
    let login = f.login.trim();
    let key = format!("agent:{}", login.to_lowercase());
    let delay = st.throttle.delay_for(&key);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let agent = match st.engine.agent(login).await {
        Ok(a) => a,
        Err(e) => return error_page(None, &Problem::from(e)),
    };
    let (phc, valid) = match &agent {
        Some(a) => (a.password_hash.clone(), a.valid),
        None => (None, false),
    };
    if !(password::verify_async(f.password.clone(), phc).await && valid) {
        st.throttle.failed(&key);
        return respond(StatusCode::UNAUTHORIZED, form(&expected, &f.login, Some("Login or password is wrong.")));
    }
    st.throttle.succeeded(&key);
    match open(&st.engine, login, st.config.session_ttl).await {
        Ok(token) => {
            let res = see_other("/agent");
            let res =
                with_cookie(res, &set_cookie(SESSION_COOKIE, &token, st.config.session_ttl, st.config.secure_cookies));
            with_cookie(res, &clear_cookie(LOGIN_CSRF_COOKIE))
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
pub async fn logout(State(st): State<AppState>, user: AgentUser, PortalForm(f): PortalForm<CsrfOnly>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return user.forged();
    }
    if let Err(e) = close(&st.engine, &user.token).await {
        return user.error(&e.into());
    }
    with_cookie(see_other("/agent/login"), &clear_cookie(SESSION_COOKIE))
}
