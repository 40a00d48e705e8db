//! Headers every answer carries, whatever produced it (a handler, an extractor's rejection, the
//! fallback, a panic): no content-type sniffing, no referrer beyond this site, no framing by other
//! sites, and nothing stored by caches (pages and API answers show tickets and carry CSRF tokens).
//! A handler that sets its own `Cache-Control` or `Content-Security-Policy` (an attachment download)
//! keeps it. With an `https` public URL, browsers are told to come back over HTTPS only.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// Headers set on every answer, replacing any a handler set.
const ALWAYS: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Headers set where the handler set none.
const DEFAULTS: [(HeaderName, &str); 2] =
    [(header::CACHE_CONTROL, "no-store"), (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'")];

/// A year, as HSTS is usually sent.
const HSTS: &str = "max-age=31536000";

/// `router` with the headers on every answer; `hsts` adds `Strict-Transport-Security` (the public URL
/// is `https`). One stack of plain header-setting layers (tower-http) added in one go, so an answer
/// costs neither a boxed middleware nor a boxed service per header.
pub fn with_security_headers(router: Router, hsts: bool) -> Router {
    let set = |(name, value): (HeaderName, &'static str)| (name, HeaderValue::from_static(value));
    let [a, b, c] = ALWAYS.map(set);
    let [d, e] = DEFAULTS.map(set);
    let sts = hsts
        .then(|| SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS)));
    router.layer(
        ServiceBuilder::new()
            .option_layer(sts)
            .layer(SetResponseHeaderLayer::overriding(a.0, a.1))
            .layer(SetResponseHeaderLayer::overriding(b.0, b.1))
            .layer(SetResponseHeaderLayer::overriding(c.0, c.1))
            .layer(SetResponseHeaderLayer::if_not_present(d.0, d.1))
            .layer(SetResponseHeaderLayer::if_not_present(e.0, e.1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn headers_of(app: Router, path: &str) -> axum::http::HeaderMap {
        let req = Request::get(path).body(Body::empty()).unwrap_or_else(|e| unreachable!("{e}"));
        app.oneshot(req).await.unwrap_or_else(|e| match e {}).headers().clone()
    }

    #[tokio::test]
    async fn adds_the_headers_and_keeps_a_handlers_own_cache_control() {
        let app = Router::new().route("/page", get(|| async { "page" })).route(
            "/file",
            get(|| async {
                ([(header::CACHE_CONTROL, "private, max-age=60"), (header::CONTENT_SECURITY_POLICY, "sandbox")], "f")
            }),
        );
        let app = with_security_headers(app, true);
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
