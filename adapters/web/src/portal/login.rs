//! `/portal/login` and `/portal/logout`.

use super::frame::anonymous;
use super::session::{PortalUser, SESSION_COOKIE, see_other};
use crate::csrf::{CsrfForm, forged_problem, same_origin};
use crate::lang::PageTr;
use crate::page::{Frame, login_refusal_text, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chamado_http::AppState;
use chamado_http::auth::{customer_login, session};
use chamado_http::client_addr::ClientAddr;
use chamado_http::cookies::PORTAL;
use chamado_http::extract::PortalForm;
use serde::Deserialize;

/// Why the last login attempt failed.
pub enum Failure {
    /// Login or password is wrong (the page does not say which).
    Wrong,
    /// Any other refusal (throttled, a store error), with its text in the page's language.
    Other(String),
}

/// The login page.
#[derive(Template)]
#[template(path = "portal/login.html")]
pub struct LoginPage {
    /// The frame.
    pub frame: Frame,
    /// The login typed last time.
    pub login: String,
    /// Why the last attempt failed.
    pub failure: Option<Failure>,
}

/// The login form.
pub async fn show(State(st): State<AppState>, PageTr(tr): PageTr) -> Response {
    render(
        StatusCode::OK,
        &LoginPage { frame: anonymous(&st.config.portal_title, tr), login: String::new(), failure: None },
    )
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
}

/// Checks that the form was posted from this site and the credentials, sets the session cookie and
/// goes to the ticket list.
pub async fn submit(
    State(st): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    PageTr(tr): PageTr,
    jar: CookieJar,
    PortalForm(f): PortalForm<LoginForm>,
) -> Response {
    if !same_origin(&headers) {
        return super::error_page(&st.config.portal_title, tr, &forged_problem());
    }
    match customer_login(&st, client, &f.login, &f.password).await {
        Ok(s) => {
            let jar = PORTAL.set(jar, SESSION_COOKIE, s.token, st.config.session_ttl, st.config.cookies_secure());
            (jar, see_other("/portal/tickets")).into_response()
        }
        Err(refusal) => {
            let p = refusal.problem();
            let failure = if p.status() == StatusCode::UNAUTHORIZED {
                Failure::Wrong
            } else {
                Failure::Other(login_refusal_text(&tr, &refusal))
            };
            let page =
                LoginPage { frame: anonymous(&st.config.portal_title, tr), login: f.login, failure: Some(failure) };
            refusal.with_retry_after(render(p.status(), &page))
        }
    }
}

/// A form with no fields but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// Ends the session and clears the cookie.
pub async fn logout(
    State(st): State<AppState>,
    jar: CookieJar,
    CsrfForm(user, NoFields {}): CsrfForm<PortalUser, NoFields>,
) -> Response {
    if let Err(e) = session::close(&st.engine, &user.token).await {
        return super::frame::error(&user, &e.into());
    }
    let jar = PORTAL.clear(jar, SESSION_COOKIE, st.config.cookies_secure());
    (jar, see_other("/portal/login")).into_response()
}
