//! `/portal/login` and `/portal/logout`.

use super::html::{esc, page, respond};
use super::session::{LOGIN_CSRF_COOKIE, PortalUser, SESSION_COOKIE, forged, see_other};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chamado_http::AppState;
use chamado_http::auth::{customer_login, session};
use chamado_http::client_addr::ClientAddr;
use chamado_http::cookies::PORTAL;
use chamado_http::extract::PortalForm;
use chamado_http::random::{constant_time_eq, secret};
use serde::Deserialize;
use std::time::Duration;

const LOGIN_CSRF_TTL: Duration = Duration::from_secs(3600);

fn form(site: &str, csrf: &str, login: &str, message: Option<&str>) -> String {
    let notice =
        message.map(|m| format!("<p class=\"notice error\" role=\"alert\">{}</p>", esc(m))).unwrap_or_default();
    let body = format!(
        "<h1>Log in</h1>{notice}<form class=\"card\" method=\"post\" action=\"/portal/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"login\">Login</label><input id=\"login\" name=\"login\" autocomplete=\"username\" required value=\"{login}\">\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">Log in</button></form>",
        csrf = esc(csrf),
        login = esc(login)
    );
    page(site, "Log in", None, &body)
}

/// The login form; sets the login CSRF cookie.
pub async fn show(State(st): State<AppState>, jar: CookieJar) -> Response {
    let token = match PORTAL.get(&jar, LOGIN_CSRF_COOKIE) {
        Some(t) => t,
        None => match secret("") {
            Ok(t) => t,
            Err(e) => {
                return super::error_page(&st.config.portal_title, &chamado_http::Problem::internal(e.to_string()));
            }
        },
    };
    let page = respond(StatusCode::OK, form(&st.config.portal_title, &token, "", None));
    let jar = PORTAL.set(jar, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_TTL, st.config.cookies_secure());
    (jar, page).into_response()
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// Checks the credentials, sets the session cookie and goes to the ticket list.
pub async fn submit(
    State(st): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    PortalForm(f): PortalForm<LoginForm>,
) -> Response {
    let expected = PORTAL.get(&jar, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &f.csrf) {
        return forged(&st.config.portal_title);
    }
    match customer_login(&st, client, &f.login, &f.password).await {
        Ok(s) => {
            let jar = PORTAL.set(jar, SESSION_COOKIE, s.token, st.config.session_ttl, st.config.cookies_secure());
            (jar, see_other("/portal/tickets")).into_response()
        }
        Err(refusal) => {
            let p = refusal.problem();
            let message =
                if p.status() == StatusCode::UNAUTHORIZED { "Login or password is wrong." } else { p.detail() };
            let page = respond(p.status(), form(&st.config.portal_title, &expected, &f.login, Some(message)));
            refusal.with_retry_after(page.into_response())
        }
    }
}

/// The logout form's fields.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Ends the session and clears the cookie.
pub async fn logout(
    State(st): State<AppState>,
    user: PortalUser,
    jar: CookieJar,
    PortalForm(f): PortalForm<CsrfOnly>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return forged(&user.site);
    }
    if let Err(e) = session::close(&st.engine, &user.token).await {
        return super::error_page(&user.site, &e.into());
    }
    let jar = PORTAL.clear(jar, SESSION_COOKIE, st.config.cookies_secure());
    (jar, see_other("/portal/login")).into_response()
}
