//! Prometheus metrics at `GET /metrics`, rendered from the host's registry ([`chamado_runtime::Metrics`]:
//! the engine's counters and the outbox backlog), to which this adapter adds its request latencies.
//!
//! Latencies come from a middleware keyed by the route template (axum's `MatchedPath`), so label values
//! stay bounded whatever paths clients ask for.
//!
//! The endpoint is not authenticated, like most Prometheus endpoints: it shows counts, never ticket
//! content. Keep it off public networks (or set [`crate::HttpConfig::metrics`] to false).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chamado_runtime::Metrics;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The media type Prometheus scrapes.
pub const CONTENT_TYPE: &str = chamado_runtime::CONTENT_TYPE;

/// Upper bounds of the latency buckets, in seconds (Prometheus' usual spread, from 1 ms).
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The family's name; the registry writes `_bucket`, `_sum` and `_count` after it.
const NAME: &str = "chamado_http_request_duration_seconds";

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

type Requests = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// `(method, status class)`, then the route template: lookups borrow the template, so a request
/// allocates only the first time its series appears.
type Series = HashMap<(&'static str, &'static str), HashMap<String, Histogram>>;

/// The request latencies in a host's registry, and the registry they render with. [`crate::compose`]
/// registers them in the registry it is given when [`crate::HttpConfig::metrics`] is set.
#[derive(Clone)]
pub struct RequestMetrics {
    metrics: Metrics,
    requests: Requests,
    series: Arc<RwLock<Series>>,
}

impl std::fmt::Debug for RequestMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestMetrics").finish_non_exhaustive()
    }
}

impl RequestMetrics {
    /// Registers the request latency histogram in `metrics` (once, however many routers share it).
    pub fn register(metrics: &Metrics) -> Self {
        let make = || Requests::new_with_constructor(latency_histogram as fn() -> Histogram);
        let help = "HTTP request latency until the response head, by route template";
        // `None` only if a host took the name for something else: the latencies then go unreported.
        let requests = metrics.register_once(NAME, help, make).unwrap_or_else(make);
        RequestMetrics { metrics: metrics.clone(), requests, series: Arc::default() }
    }

    /// The registry the latencies are in.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Records one HTTP request: its route template (`None`: no route matched), method, status and time.
    pub fn observe_request(&self, route: Option<&str>, method: &Method, status: StatusCode, took: Duration) {
        let key = (method_label(method), status_class(status));
        let route = route.unwrap_or("unmatched");
        let secs = took.as_secs_f64();
        {
            let series = self.series.read().unwrap_or_else(|e| e.into_inner());
            if let Some(h) = series.get(&key).and_then(|m| m.get(route)) {
                h.observe(secs);
                return;
            }
        }
        let labels = RequestLabels { method: key.0, route: route.to_string(), status: key.1 };
        let histogram = self.requests.get_or_create(&labels).clone();
        histogram.observe(secs);
        let mut series = self.series.write().unwrap_or_else(|e| e.into_inner());
        series.entry(key).or_default().entry(labels.route).or_insert(histogram);
    }

    /// Everything in the host's registry, in the Prometheus text format ([`Metrics::render`]).
    pub async fn render(&self) -> String {
        self.metrics.render().await
    }
}

/// The standard methods by name; anything else is one `other` series, not one per made-up method.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(s: StatusCode) -> &'static str {
    match s.as_u16() / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    }
}

/// The middleware timing every request; the route template is known here because [`axum::Router::layer`]
/// wraps each route after matching.
pub(crate) async fn track(State(metrics): State<RequestMetrics>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let start = Instant::now();
    let res = next.run(req).await;
    metrics.observe_request(route.as_ref().map(MatchedPath::as_str), &method, res.status(), start.elapsed());
    res
}

/// `GET /metrics`.
pub(crate) async fn serve(State(metrics): State<RequestMetrics>) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], metrics.render().await).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::{Engine, MemoryStore};

    fn engine() -> Engine {
        Engine::builder(MemoryStore::new()).build().unwrap_or_else(|e| unreachable!("{e}"))
    }

    /// The value of the one line starting with `series `.
    fn sample(text: &str, series: &str) -> Option<f64> {
        text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
    }

    #[tokio::test]
    async fn buckets_are_cumulative_and_labels_escaped() {
        let m = RequestMetrics::register(&Metrics::new(&engine()));
        let route = "a\"b\\c\nd";
        for took in [Duration::from_micros(500), Duration::from_millis(30), Duration::from_secs(60)] {
            m.observe_request(Some(route), &Method::GET, StatusCode::OK, took);
        }
        let text = m.render().await;
        let labels = "method=\"GET\",route=\"a\\\"b\\\\c\\nd\",status=\"2xx\"";
        let bucket = |le: &str| sample(&text, &format!("{NAME}_bucket{{{labels},le=\"{le}\"}}"));
        assert_eq!(bucket("0.001"), Some(1.0), "0.5 ms is in the 1 ms bucket:\n{text}");
        assert_eq!(bucket("0.025"), Some(1.0));
        assert_eq!(bucket("0.05"), Some(2.0), "30 ms is in the 50 ms bucket");
        assert_eq!(bucket("5"), Some(2.0), "a minute is past every bound");
        assert_eq!(bucket("+Inf"), Some(3.0));
        assert_eq!(status_class(StatusCode::IM_A_TEAPOT), "4xx");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap_or(Method::GET)), "other");
    }

    #[tokio::test]
    async fn an_unrouted_request_is_one_bounded_series() {
        let m = RequestMetrics::register(&Metrics::new(&engine()));
        for _ in 0..3 {
            m.observe_request(None, &Method::GET, StatusCode::NOT_FOUND, Duration::from_millis(2));
        }
        let text = m.render().await;
        assert!(text.contains(
            "chamado_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"} 3"
        ));
        assert!(text.contains("chamado_outbox_pending 0"), "the memory store counts its outbox");
    }

    #[tokio::test]
    async fn two_routers_on_one_registry_share_the_histogram() {
        let metrics = Metrics::new(&engine());
        let (a, b) = (RequestMetrics::register(&metrics), RequestMetrics::register(&metrics));
        a.observe_request(None, &Method::GET, StatusCode::NOT_FOUND, Duration::from_millis(2));
        b.observe_request(None, &Method::GET, StatusCode::NOT_FOUND, Duration::from_millis(2));
        let text = metrics.render().await;
        assert_eq!(text.matches(&format!("# TYPE {NAME} histogram")).count(), 1, "{text}");
        assert!(text.contains(&format!("{NAME}_count{{method=\"GET\",route=\"unmatched\",status=\"4xx\"}} 2")));
    }
}
