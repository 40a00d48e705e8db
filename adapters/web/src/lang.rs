//! The language of a page: the signed-in person's own, else the browser's `Accept-Language`, else the
//! system's (the engine holds that rule; this reads what the request asks for).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chamado_http::AppState;
use chamado_i18n::Tr;

/// What the browser asks for: its `Accept-Language` header, when it is readable text.
pub fn asked(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

/// The texts of a page for a visitor who is not signed in (login and error pages).
pub struct PageTr(pub Tr);

impl FromRequestParts<AppState> for PageTr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(PageTr(state.engine.anonymous_tr(asked(&parts.headers))))
    }
}
