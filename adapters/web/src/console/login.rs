//! `/agent/login` and `/agent/logout`: agent login with login and password.

use super::frame;
use super::session::{
    AgentUser, SESSION_COOKIE, clear_cookie, close, error_page, open, see_other, set_cookie, with_cookie,
};
use crate::csrf::{CsrfForm, forged_problem, same_origin};
use crate::page::{Frame, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::password;
use chamado_http::extract::PortalForm;
use serde::Deserialize;

/// The login page.
#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage<'a> {
    frame: Frame,
    /// The login typed before, shown again after a failure.
    login: &'a str,
    /// The last attempt failed.
    failed: bool,
}

/// The login form.
pub async fn show() -> Response {
    render(StatusCode::OK, &LoginPage { frame: frame::anonymous(), login: "", failed: false })
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// Checks the agent's password (Argon2id, same throttle as customer logins), opens a session. The form
/// has no session to bind a token to, so it must come from a page of this site (`Origin`).
pub async fn submit(State(st): State<AppState>, headers: HeaderMap, PortalForm(f): PortalForm<LoginForm>) -> Response {
    if !same_origin(&headers) {
        return error_page(&forged_problem());
    }
    let login = f.login.trim();
    let key = format!("agent:{}", login.to_lowercase());
    let delay = st.throttle.delay_for(&key);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let agent = match st.engine.agent(login).await {
        Ok(a) => a,
        Err(e) => return error_page(&Problem::from(e)),
    };
    let (phc, valid) = match &agent {
        Some(a) => (a.password_hash.clone(), a.valid),
        None => (None, false),
    };
    if !(password::verify_async(f.password.clone(), phc).await && valid) {
        st.throttle.failed(&key);
        let page = LoginPage { frame: frame::anonymous(), login: &f.login, failed: true };
        return render(StatusCode::UNAUTHORIZED, &page);
    }
    st.throttle.succeeded(&key);
    match open(&st.engine, login, st.config.session_ttl).await {
        Ok(token) => with_cookie(
            see_other("/agent"),
            &set_cookie(SESSION_COOKIE, &token, st.config.session_ttl, st.config.secure_cookies),
        ),
        Err(p) => error_page(&p),
    }
}

/// A form with nothing but its CSRF token, which [`CsrfForm`] checks.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// Ends the session and clears the cookie.
pub async fn logout(
    State(st): State<AppState>,
    CsrfForm(user, NoFields {}): CsrfForm<AgentUser, NoFields>,
) -> Response {
    if let Err(e) = close(&st.engine, &user.token).await {
        return user.error(&e.into());
    }
    with_cookie(see_other("/agent/login"), &clear_cookie(SESSION_COOKIE))
}
