//! Forms that cannot be forged: the extractor checks a form's CSRF token against the signed-in
//! session before the handler runs, and login forms (no session yet) check the request's `Origin`.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use chamado_http::{AppState, Problem};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A signed-in user of an HTML surface whose forms carry a CSRF token.
pub trait FormSession: Sized {
    /// True when `submitted` is this session's CSRF token.
    fn csrf_ok(&self, submitted: &str) -> bool;
    /// `problem` as an error page for this user.
    fn reject(&self, problem: &Problem) -> Response;
}

/// The problem of a form without the right CSRF token.
pub fn forged_problem() -> Problem {
    Problem::forbidden("the form expired or did not come from this site; reload the page and try again")
        .with_message(chamado_i18n::Message::new("page-form-forged"))
}

/// Only the token, whatever else the form holds.
#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form `T` posted by signed-in user `U` with `U`'s CSRF token (field `csrf`): the
/// user is extracted first (anonymous visitors go to the login page), then a missing or wrong token
/// answers 403 and a form that does not fit `T` 422, before the handler runs.
pub struct CsrfForm<U, T>(pub U, pub T);

impl<U, T> FromRequest<AppState> for CsrfForm<U, T>
where
    U: FromRequestParts<AppState, Rejection = Response> + FormSession + Send,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = U::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| user.reject(&chamado_http::extract::too_large()))?;
        let form = form_fields(&user, &bytes).map_err(|p| user.reject(&p))?;
        Ok(CsrfForm(user, form))
    }
}

/// The URL-encoded form `bytes` of `user` as `T`, once its `csrf` field is `user`'s token: the
/// problem to show otherwise (403, or 422 when it does not fit `T`).
pub(crate) fn form_fields<U: FormSession, T: DeserializeOwned>(user: &U, bytes: &[u8]) -> Result<T, Problem> {
    let token: TokenField = serde_urlencoded::from_bytes(bytes).map_err(|_| forged_problem())?;
    if token.csrf.is_empty() || !user.csrf_ok(&token.csrf) {
        return Err(forged_problem());
    }
    serde_urlencoded::from_bytes::<T>(bytes).map_err(|e| {
        Problem::validation(format!("the form does not fit: {e}"))
            .with_message(chamado_i18n::Message::new("page-form-mismatch"))
    })
}

/// Whether a state-changing request without a session (a login form) comes from this site: a
/// browser's `Origin` (or, without it, `Referer`) must name the host the request was sent to. A
/// request naming neither comes from no browser page, so no other site can have made it.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let claimed = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    let Some(claimed) = claimed else { return true };
    let Ok(claimed) = claimed.to_str() else { return false };
    if claimed == "null" {
        return false;
    }
    let rest = claimed.strip_prefix("https://").or_else(|| claimed.strip_prefix("http://"));
    rest.and_then(|r| r.split('/').next()).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn logins_from_other_sites_are_refused() {
        let host = (header::HOST, "desk.example:8080");
        assert!(same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://desk.example:8080")])));
        assert!(same_origin(&headers(&[host.clone(), (header::ORIGIN, "https://DESK.example:8080")])));
        assert!(same_origin(&headers(&[host.clone(), (header::REFERER, "http://desk.example:8080/portal/login")])));
        assert!(same_origin(&headers(std::slice::from_ref(&host))), "no browser page made it");
        assert!(!same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://evil.example")])));
        assert!(!same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://desk.example:8080.evil.example")])));
        assert!(!same_origin(&headers(&[host.clone(), (header::ORIGIN, "null")])));
        assert!(!same_origin(&headers(&[host, (header::REFERER, "http://evil.example/desk.example:8080")])));
        assert!(!same_origin(&headers(&[(header::ORIGIN, "http://desk.example:8080")])), "no Host");
    }
}
