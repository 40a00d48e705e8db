//! Headers every answer carries, whatever produced it (a handler, an extractor's rejection, the
//! fallback, a panic): no content-type sniffing, no referrer beyond this site, no framing by other
//! sites, and nothing stored by caches (pages and API answers show tickets and carry CSRF tokens).
//! A handler that sets its own `Cache-Control` or `Content-Security-Policy` (an attachment download)
//! keeps it. With an `https` public URL, browsers are told to come back over HTTPS only.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// What the middleware adds beyond the fixed headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityHeaders {
    /// Send `Strict-Transport-Security` (the public URL is `https`).
    pub hsts: bool,
}

const ALWAYS: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Unless the handler chose its own.
const DEFAULTS: [(HeaderName, &str); 2] =
    [(header::CACHE_CONTROL, "no-store"), (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'")];

/// A year, as HSTS is usually sent.
const HSTS: &str = "max-age=31536000";

/// The middleware: `axum::middleware::from_fn_with_state(SecurityHeaders { .. }, security_headers)`.
pub async fn security_headers(State(cfg): State<SecurityHeaders>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in ALWAYS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    for (name, value) in DEFAULTS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if cfg.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn headers_of(app: Router, path: &str) -> axum::http::HeaderMap {
        let req = Request::get(path).body(Body::empty()).unwrap_or_else(|e| unreachable!("{e}"));
        app.oneshot(req).await.unwrap_or_else(|e| match e {}).headers().clone()
    }

    #[tokio::test]
    async fn adds_the_headers_and_keeps_a_handlers_own_cache_control() {
        let app = Router::new()
            .route("/page", get(|| async { "page" }))
            .route(
                "/file",
                get(|| async {
                    (
                        [(header::CACHE_CONTROL, "private, max-age=60"), (header::CONTENT_SECURITY_POLICY, "sandbox")],
                        "f",
                    )
                }),
            )
            .layer(axum::middleware::from_fn_with_state(SecurityHeaders { hsts: true }, security_headers));
        let page = headers_of(app.clone(), "/page").await;
        assert_eq!(page[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(page[header::REFERRER_POLICY], "same-origin");
        assert_eq!(page[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(page[header::CACHE_CONTROL], "no-store");
        assert_eq!(page[header::CONTENT_SECURITY_POLICY], "frame-ancestors 'none'");
        assert_eq!(page[header::STRICT_TRANSPORT_SECURITY], HSTS);
        let file = headers_of(app.clone(), "/file").await;
        assert_eq!(file[header::CACHE_CONTROL], "private, max-age=60");
        assert_eq!(file[header::CONTENT_SECURITY_POLICY], "sandbox");
        assert_eq!(file[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let missing = headers_of(app, "/nothing").await;
        assert_eq!(missing[header::CACHE_CONTROL], "no-store", "the fallback's answers too");
    }
}
