//! The portal's session cookie, its CSRF tokens, and the signed-in customer user.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::session::{self, csrf_token};
use chamado_http::cookies::PORTAL;
use chamado_http::random::constant_time_eq;

/// The session cookie.
pub const SESSION_COOKIE: &str = "chamado_session";

/// The signed-in customer user of a portal request; others are sent to the login page.
pub struct PortalUser {
    /// Login.
    pub login: String,
    /// The session token (from the cookie).
    pub token: String,
    /// The CSRF token of this session's forms.
    pub csrf: String,
    /// The portal's title, for pages.
    pub site: String,
    /// The customer user's language (and the system's time zone).
    pub tr: chamado_i18n::Tr,
}

impl PortalUser {
    /// True when a submitted CSRF token is this session's.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        constant_time_eq(submitted, &self.csrf)
    }
}

impl crate::csrf::FormSession for PortalUser {
    fn csrf_ok(&self, submitted: &str) -> bool {
        PortalUser::csrf_ok(self, submitted)
    }

    fn reject(&self, problem: &Problem) -> Response {
        super::frame::error(self, problem)
    }
}

impl FromRequestParts<AppState> for PortalUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/portal/login").into_response();
        let Some(token) = PORTAL.get(&CookieJar::from_headers(&parts.headers), SESSION_COOKIE) else {
            return Err(to_login());
        };
        let asked = crate::lang::asked(&parts.headers);
        let fail = |e: chamado::Error| {
            super::error_page(&state.config.portal_title, state.engine.anonymous_tr(asked), &Problem::from(e))
        };
        let login = match session::login_for(&state.engine, &token).await {
            Ok(Some(l)) => l,
            Ok(None) => return Err(to_login()),
            Err(e) => return Err(fail(e)),
        };
        let user = match state.engine.customer_user(&login).await {
            Ok(Some(u)) if u.valid => u,
            Ok(_) => return Err(to_login()),
            Err(e) => return Err(fail(e)),
        };
        let tr = state.engine.customer_user_tr(&user, asked);
        let csrf = csrf_token(&state.csrf, &token);
        Ok(PortalUser { login, token, csrf, site: state.config.portal_title.clone(), tr })
    }
}

/// 303 to `to`.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
