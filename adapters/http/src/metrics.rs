//! Prometheus metrics at `GET /metrics`, in the text exposition format (0.0.4).
//!
//! Counters come from the engine's events (so tickets opened by mail or chat count too, not only those
//! opened over HTTP), the outbox backlog from the store at scrape time, and request latencies from a
//! middleware keyed by the route template (axum's `MatchedPath`), so label values stay bounded whatever
//! paths clients ask for. Written by hand: the format is a few lines of text and needs no dependency.
//!
//! The endpoint is not authenticated, like most Prometheus endpoints: it shows counts, never ticket
//! content. Keep it off public networks (or set [`crate::HttpConfig::metrics`] to false).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chamado::{ChannelKind, Engine, Event, IntakeKind};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The media type Prometheus scrapes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the latency buckets, in seconds (Prometheus' usual spread, from 1 ms).
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Every channel, so each series exists (at 0) from the first scrape and `rate()` sees its start.
const CHANNELS: [ChannelKind; 5] =
    [ChannelKind::Email, ChannelKind::Web, ChannelKind::Phone, ChannelKind::Chat, ChannelKind::Internal];

/// The `event` label of every [`Event`] variant, in [`event_index`] order.
const EVENT_NAMES: [&str; 11] = [
    "ticket_created",
    "article_added",
    "state_changed",
    "reminder_due",
    "follow_up_rejected",
    "intake_rejected",
    "merged",
    "outbound_sent",
    "outbound_failed",
    "ticket_updated",
    "intake",
];

fn channel_index(c: ChannelKind) -> usize {
    match c {
        ChannelKind::Email => 0,
        ChannelKind::Web => 1,
        ChannelKind::Phone => 2,
        ChannelKind::Chat => 3,
        ChannelKind::Internal => 4,
    }
}

fn intake_index(k: IntakeKind) -> usize {
    match k {
        IntakeKind::Created => 0,
        IntakeKind::FollowUp => 1,
        IntakeKind::Duplicate => 2,
        IntakeKind::Rejected => 3,
    }
}

// Exhaustive on purpose: a new event kind fails to compile here until it has a name above.
fn event_index(e: &Event) -> usize {
    match e {
        Event::TicketCreated { .. } => 0,
        Event::ArticleAdded { .. } => 1,
        Event::StateChanged { .. } => 2,
        Event::ReminderDue { .. } => 3,
        Event::FollowUpRejected { .. } => 4,
        Event::IntakeRejected { .. } => 5,
        Event::Merged { .. } => 6,
        Event::OutboundSent { .. } => 7,
        Event::OutboundFailed { .. } => 8,
        Event::TicketUpdated { .. } => 9,
        Event::Intake { .. } => 10,
    }
}

/// Counts from engine events; shared with the engine's subscriber (which must not hold the engine).
#[derive(Default)]
struct Counters {
    created: [AtomicU64; CHANNELS.len()],
    intake: [[AtomicU64; IntakeKind::ALL.len()]; CHANNELS.len()],
    sent: [AtomicU64; CHANNELS.len()],
    failed: [AtomicU64; CHANNELS.len()],
    events: [AtomicU64; EVENT_NAMES.len()],
}

impl Counters {
    fn record(&self, e: &Event) {
        self.events[event_index(e)].fetch_add(1, Relaxed);
        let counter = match e {
            Event::TicketCreated { channel, .. } => &self.created[channel_index(*channel)],
            Event::Intake { channel, outcome, .. } => &self.intake[channel_index(*channel)][intake_index(*outcome)],
            Event::OutboundSent { channel, .. } => &self.sent[channel_index(*channel)],
            Event::OutboundFailed { channel, .. } => &self.failed[channel_index(*channel)],
            _ => return,
        };
        counter.fetch_add(1, Relaxed);
    }
}

/// One latency histogram: a count per bucket (the last one past every bound), and the sum.
#[derive(Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let i = BUCKETS.iter().position(|b| secs <= *b).unwrap_or(BUCKETS.len());
        self.buckets[i].fetch_add(1, Relaxed);
        self.sum_nanos.fetch_add(u64::try_from(took.as_nanos()).unwrap_or(u64::MAX), Relaxed);
    }
}

/// `(method, status class)`, then the route template: lookups borrow the template, so a request
/// allocates only the first time its series appears.
type Series = HashMap<(&'static str, &'static str), HashMap<String, Histogram>>;

/// The collector behind `GET /metrics`. [`crate::router`] makes one when [`crate::HttpConfig::metrics`]
/// is set; a host may make its own to render elsewhere.
#[derive(Clone)]
pub struct Metrics {
    engine: Engine,
    counters: Arc<Counters>,
    http: Arc<RwLock<Series>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// A collector counting `engine`'s events from now on (it subscribes; the subscription lasts as long
    /// as the engine).
    pub fn new(engine: &Engine) -> Self {
        let counters = Arc::new(Counters::default());
        let sink = Arc::clone(&counters);
        engine.subscribe(move |e| sink.record(e));
        Metrics { engine: engine.clone(), counters, http: Arc::default() }
    }

    /// Records one HTTP request: its route template (`None`: no route matched), method, status and time.
    pub fn observe_request(&self, route: Option<&str>, method: &Method, status: StatusCode, took: Duration) {
        let key = (method_label(method), status_class(status));
        let route = route.unwrap_or("unmatched");
        {
            let series = self.http.read().unwrap_or_else(|e| e.into_inner());
            if let Some(h) = series.get(&key).and_then(|m| m.get(route)) {
                h.observe(took);
                return;
            }
        }
        let mut series = self.http.write().unwrap_or_else(|e| e.into_inner());
        series.entry(key).or_default().entry(route.to_string()).or_default().observe(took);
    }

    /// Everything in the Prometheus text format. The outbox backlog is read from the store now; a store
    /// that does not count it (or fails) leaves that one gauge out rather than failing the scrape.
    pub async fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let c = &self.counters;
        family(&mut out, "chamado_tickets_created_total", "counter", "Tickets opened, by the channel they came by.");
        for ch in CHANNELS {
            let n = c.created[channel_index(ch)].load(Relaxed);
            let _ = writeln!(out, "chamado_tickets_created_total{{channel=\"{}\"}} {n}", ch.as_str());
        }
        family(
            &mut out,
            "chamado_intake_total",
            "counter",
            "Inbound messages (mail, chat) taken by the engine, by channel and outcome.",
        );
        for ch in CHANNELS {
            for k in IntakeKind::ALL {
                let n = c.intake[channel_index(ch)][intake_index(k)].load(Relaxed);
                let _ =
                    writeln!(out, "chamado_intake_total{{channel=\"{}\",outcome=\"{}\"}} {n}", ch.as_str(), k.as_str());
            }
        }
        family(
            &mut out,
            "chamado_outbound_total",
            "counter",
            "Outbound messages by channel and result: sent, or failed for good after the retries.",
        );
        for ch in CHANNELS {
            for (result, counts) in [("sent", &c.sent), ("failed", &c.failed)] {
                let n = counts[channel_index(ch)].load(Relaxed);
                let _ = writeln!(out, "chamado_outbound_total{{channel=\"{}\",result=\"{result}\"}} {n}", ch.as_str());
            }
        }
        family(&mut out, "chamado_events_total", "counter", "Engine events, by kind.");
        for (i, name) in EVENT_NAMES.iter().enumerate() {
            let _ = writeln!(out, "chamado_events_total{{event=\"{name}\"}} {}", c.events[i].load(Relaxed));
        }
        if let Ok(pending) = self.engine.outbox_pending().await {
            family(
                &mut out,
                "chamado_outbox_pending",
                "gauge",
                "Outbox entries waiting for delivery or a retry (the backlog).",
            );
            let _ = writeln!(out, "chamado_outbox_pending {pending}");
        }
        self.render_http(&mut out);
        out
    }

    fn render_http(&self, out: &mut String) {
        const NAME: &str = "chamado_http_request_duration_seconds";
        family(out, NAME, "histogram", "HTTP request latency until the response head, by route template.");
        let series = self.http.read().unwrap_or_else(|e| e.into_inner());
        let mut rows: Vec<(&str, &str, &str, &Histogram)> = series
            .iter()
            .flat_map(|((method, class), routes)| routes.iter().map(move |(r, h)| (r.as_str(), *method, *class, h)))
            .collect();
        rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        for (route, method, class, h) in rows {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{class}\"", escape(route));
            let mut cumulative = 0;
            for (i, bound) in BUCKETS.iter().enumerate() {
                cumulative += h.buckets[i].load(Relaxed);
                let _ = writeln!(out, "{NAME}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            cumulative += h.buckets[BUCKETS.len()].load(Relaxed);
            let _ = writeln!(out, "{NAME}_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
            let sum = Duration::from_nanos(h.sum_nanos.load(Relaxed)).as_secs_f64();
            let _ = writeln!(out, "{NAME}_sum{{{labels}}} {sum}");
            let _ = writeln!(out, "{NAME}_count{{{labels}}} {cumulative}");
        }
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Label values escape `\`, `"` and newlines.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
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
pub(crate) async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let start = Instant::now();
    let res = next.run(req).await;
    metrics.observe_request(route.as_ref().map(MatchedPath::as_str), &method, res.status(), start.elapsed());
    res
}

/// `GET /metrics`.
pub(crate) async fn serve(State(metrics): State<Metrics>) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], metrics.render().await).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::MemoryStore;

    #[test]
    fn buckets_are_cumulative_and_labels_escaped() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(500));
        h.observe(Duration::from_millis(30));
        h.observe(Duration::from_secs(60));
        let firsts: Vec<u64> = h.buckets.iter().map(|b| b.load(Relaxed)).collect();
        assert_eq!(firsts[0], 1, "0.5 ms is in the 1 ms bucket");
        assert_eq!(firsts[5], 1, "30 ms is in the 50 ms bucket");
        assert_eq!(firsts[BUCKETS.len()], 1, "a minute is past every bound");
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(status_class(StatusCode::IM_A_TEAPOT), "4xx");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap_or(Method::GET)), "other");
    }

    #[test]
    fn every_event_kind_has_a_name() {
        assert_eq!(EVENT_NAMES[event_index(&Event::Merged { source: "1".into(), target: "2".into() })], "merged");
        let intake = Event::Intake { channel: ChannelKind::Chat, outcome: IntakeKind::Duplicate, number: None };
        assert_eq!(EVENT_NAMES[event_index(&intake)], "intake");
        let c = Counters::default();
        c.record(&intake);
        assert_eq!(c.intake[3][2].load(Relaxed), 1);
    }

    #[tokio::test]
    async fn an_unrouted_request_is_one_bounded_series() {
        let engine = Engine::builder(MemoryStore::new()).build().unwrap_or_else(|e| unreachable!("{e}"));
        let m = Metrics::new(&engine);
        for _ in 0..3 {
            m.observe_request(None, &Method::GET, StatusCode::NOT_FOUND, Duration::from_millis(2));
        }
        let text = m.render().await;
        assert!(text.contains(
            "chamado_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"} 3"
        ));
        assert!(text.contains("chamado_outbox_pending 0"), "the memory store counts its outbox");
    }
}
