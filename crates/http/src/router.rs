//! Finishing the surfaces into one router: the answers every surface shares.

#[cfg(doc)]
use crate::config::HttpConfig;
use crate::extract::too_large;
use crate::metrics::{self, RequestMetrics};
use crate::problem::Problem;
use crate::security_headers::with_security_headers;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chamado_runtime::Metrics;
use tower_http::catch_panic::CatchPanicLayer;

/// Finishes the surfaces a host chose (`chamado_api::routes()`, `chamado_web::routes()`, or its own) into
/// one router over `state`: problem+json answers for unknown routes, wrong methods, oversized bodies and
/// panics, the body limit ([`HttpConfig::max_body_bytes`]) and, when `metrics` is given and
/// [`HttpConfig::metrics`] is on, `GET /metrics` rendering that registry with the request latencies
/// added to it.
pub fn compose(surfaces: Router<AppState>, state: AppState, metrics: Option<&Metrics>) -> Router {
    let limit = state.config.max_body_bytes;
    let hsts = state.config.public_url_is_https();
    let metrics = metrics.filter(|_| state.config.metrics).map(RequestMetrics::register);
    let app = surfaces
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(plain_errors_as_problems))
        .layer(CatchPanicLayer::custom(|_| Problem::internal("the server failed on this request").into_response()))
        .with_state(state);
    let app = match metrics {
        // Layered last so it wraps every route (and sees each one's template) and times panics too.
        Some(m) => app
            .merge(Router::new().route("/metrics", get(metrics::serve)).with_state(m.clone()))
            .layer(axum::middleware::from_fn_with_state(m, metrics::track)),
        None => app,
    };
    with_security_headers(app, hsts)
}

async fn no_route(uri: Uri) -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "no_route", "Not found", format!("there is nothing at {}", uri.path()))
}

async fn wrong_method(uri: Uri) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Method not allowed",
        format!("{} does not take this method", uri.path()),
    )
}

/// Errors produced outside the handlers (axum's extractor rejections, the body limit) still answer
/// problem+json on the API.
async fn plain_errors_as_problems(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/api/") || path == "/healthz";
    let res = next.run(req).await;
    let status = res.status();
    if is_problem(&res) || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    // A page's own 413 (an upload form's error page) stays a page; axum's plain-text one does not.
    if status == StatusCode::PAYLOAD_TOO_LARGE && !is_html(&res) {
        return too_large().into_response();
    }
    if !api {
        return res;
    }
    let text = axum::body::to_bytes(res.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, title) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "Bad request"),
        StatusCode::NOT_FOUND => ("not_found", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Method not allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Unsupported media type"),
        s if s.is_server_error() => ("internal", "Internal error"),
        _ => ("error", "Request failed"),
    };
    let detail = if text.is_empty() { status.canonical_reason().unwrap_or("request failed").to_string() } else { text };
    Problem::new(status, code, title, detail).into_response()
}

fn is_html(res: &Response) -> bool {
    res.headers().get(axum::http::header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

fn is_problem(res: &Response) -> bool {
    res.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}
