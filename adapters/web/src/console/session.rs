//! Agent console sessions: a random token in an HttpOnly, SameSite=Strict cookie, kept by the engine as
//! a hash with the agent's login and expiry (apart from customer sessions, so neither can stand in for
//! the other), the CSRF token derived from it, and the signed-in agent extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chamado::{Actor, AgentAccess, Engine};
use chamado_http::AppState;
use chamado_http::Problem;
use chamado_http::auth::session_kind::SessionKind;
use chamado_http::cookies::CONSOLE;
use chamado_http::random::constant_time_eq;
use std::time::Duration;

/// The console's session cookie.
pub const SESSION_COOKIE: &str = "chamado_agent_session";
/// Console sessions: their own token prefix, engine session kind and CSRF label.
const KIND: SessionKind =
    SessionKind { token_prefix: "chas_", kind: chamado::SessionKind::Agent, csrf_label: "console-csrf" };

/// Opens a session for agent `login` lasting `ttl`; returns its token.
pub async fn open(engine: &Engine, login: &str, ttl: Duration) -> Result<String, Problem> {
    Ok(KIND.open(engine, login, ttl).await?.0)
}

/// The agent of a live session; expired sessions are removed.
pub async fn login_for(engine: &Engine, token: &str) -> Result<Option<String>, chamado::Error> {
    KIND.login_for(engine, token).await
}

/// Ends a session.
pub async fn close(engine: &Engine, token: &str) -> Result<(), chamado::Error> {
    KIND.close(engine, token).await
}

/// The CSRF token of a session's forms.
pub fn csrf_token(key: &chamado_auth::csrf::CsrfKey, session_token: &str) -> String {
    KIND.csrf_token(key, session_token)
}

/// 303 to `to`.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The signed-in agent of a console request; others are sent to the login page.
pub struct AgentUser {
    /// Login.
    pub login: String,
    /// The session token.
    pub token: String,
    /// The CSRF token of this session's forms.
    pub csrf: String,
    /// What the engine lets this agent do.
    pub access: AgentAccess,
    /// The agent's language and time zone.
    pub tr: chamado_i18n::Tr,
}

impl AgentUser {
    /// The agent as the engine's actor.
    pub fn actor(&self) -> Actor {
        Actor::Agent(self.login.clone())
    }

    /// True when a submitted CSRF token is this session's.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        !submitted.is_empty() && constant_time_eq(submitted, &self.csrf)
    }

    /// An error as a page for this agent.
    pub fn error(&self, p: &Problem) -> Response {
        crate::page::error(super::frame::of(self, ""), p)
    }
}

impl crate::csrf::FormSession for AgentUser {
    fn csrf_ok(&self, submitted: &str) -> bool {
        AgentUser::csrf_ok(self, submitted)
    }

    fn reject(&self, problem: &Problem) -> Response {
        self.error(problem)
    }
}

impl crate::csrf::FormSession for AdminUser {
    fn csrf_ok(&self, submitted: &str) -> bool {
        self.0.csrf_ok(submitted)
    }

    fn reject(&self, problem: &Problem) -> Response {
        self.0.error(problem)
    }
}

/// An error as a page for a visitor who is not signed in: the problem's title and detail, with its status.
pub fn error_page(tr: chamado_i18n::Tr, p: &Problem) -> Response {
    crate::page::error(super::frame::anonymous(tr), p)
}

impl FromRequestParts<AppState> for AgentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/agent/login").into_response();
        let Some(token) = CONSOLE.get(&CookieJar::from_headers(&parts.headers), SESSION_COOKIE) else {
            return Err(to_login());
        };
        let asked = crate::lang::asked(&parts.headers);
        let fail = |e: chamado::Error| error_page(state.engine.anonymous_tr(asked), &Problem::from(e));
        let Some(login) = login_for(&state.engine, &token).await.map_err(fail)? else { return Err(to_login()) };
        let agent = match state.engine.agent(&login).await.map_err(fail)? {
            Some(a) if a.valid => a,
            _ => return Err(to_login()),
        };
        let tr = state.engine.agent_tr(&agent, asked);
        let access = state.engine.agent_access(&login).await.map_err(fail)?;
        let csrf = csrf_token(&state.csrf, &token);
        Ok(AgentUser { login, token, csrf, access, tr })
    }
}

/// A signed-in agent with `rw` on group `admin` (the engine's resolver says so); others get 403.
pub struct AdminUser(pub AgentUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user = AgentUser::from_request_parts(parts, state).await?;
        if !user.access.is_admin() {
            return Err(user.error(
                &Problem::forbidden("the admin screens need rw on group admin")
                    .with_message(chamado_i18n::Message::new("console-admin-forbidden")),
            ));
        }
        Ok(AdminUser(user))
    }
}
