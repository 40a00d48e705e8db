//! `GET /metrics`: counters from engine events (HTTP and mail intake), request latency by route
//! template, and well-formed Prometheus text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use chamado::{ChannelKind, InboundMessage, IntakeOutcome, Sender};
use common::{ADMIN_TOKEN, Harness, test_config, ticket};
use std::collections::HashMap;

/// Checks every line against the text exposition format and returns the samples by
/// `name{labels}` (labels as written).
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    let mut typed = HashMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').unwrap_or_else(|| panic!("HELP without text: {line}"));
            assert!(valid_name(name) && !help.is_empty(), "bad HELP line: {line}");
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or_else(|| panic!("TYPE without kind: {line}"));
            assert!(valid_name(name), "bad metric name: {line}");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "bad type: {line}");
            assert!(typed.insert(name.to_string(), kind.to_string()).is_none(), "TYPE twice: {line}");
        } else {
            assert!(!line.starts_with('#') && !line.is_empty(), "stray line: {line:?}");
            let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
            let name = series.split('{').next().unwrap();
            assert!(valid_name(name), "bad sample name: {line}");
            if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
                let inner = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}'));
                let inner = inner.unwrap_or_else(|| panic!("unbalanced labels: {line}"));
                for pair in split_labels(inner) {
                    let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("label without '=': {line}"));
                    assert!(valid_name(k) && !k.contains(':'), "bad label name: {line}");
                    assert!(v.len() >= 2 && v.starts_with('"') && v.ends_with('"'), "unquoted label: {line}");
                }
            }
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| name.strip_suffix(s).filter(|f| typed.get(*f).is_some_and(|t| t == "histogram")))
                .unwrap_or(name);
            assert!(typed.contains_key(family), "sample before its TYPE: {line}");
            let v: f64 = if value == "+Inf" { f64::INFINITY } else { value.parse().expect(line) };
            assert!(samples.insert(series.to_string(), v).is_none(), "series twice: {line}");
        }
    }
    samples
}

fn valid_name(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Splits `a="x",b="y,z"` on the commas between pairs (not those inside quoted values).
fn split_labels(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    assert!(!quoted, "unterminated label value in {s}");
    out.push(cur);
    out
}

async fn scrape(h: &Harness) -> (String, HashMap<String, f64>) {
    let r = h.call("GET", "/metrics", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.content_type.starts_with("text/plain; version=0.0.4"), "{}", r.content_type);
    let samples = parse(&r.text);
    (r.text, samples)
}

fn mail(external_id: &str) -> InboundMessage {
    let sender = Sender::Email { address: "carol@mail.example".into(), name: None, reply_to: None };
    let mut m = InboundMessage::new(ChannelKind::Email, sender, "VPN down", "Since 9 am.");
    m.external_id = Some(external_id.into());
    // A mail whose sender the channel verified (DMARC pass): it gets its auto-response.
    m.sender_auth = Some(chamado::SenderAuth { dmarc: chamado::AuthResult::Pass, ..Default::default() });
    m
}

#[tokio::test]
async fn counts_tickets_intake_and_requests() {
    let h = Harness::new().await;
    let (_, before) = scrape(&h).await;
    assert_eq!(before.get("chamado_tickets_created_total{channel=\"web\"}"), Some(&0.0), "series exist at 0");
    assert_eq!(before.get("chamado_outbox_pending"), Some(&0.0));

    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let s = h.login("alice").await;
    let first = h.open(&s, ticket("Printer", "Raw")).await;
    h.open(&s, ticket("Scanner", "Raw")).await;
    let r = h.call("GET", &format!("/api/v1/tickets/{first}"), Some(&s), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(h.call("GET", "/no/such/thing", None, None).await.status, StatusCode::NOT_FOUND);
    // An agent's reply queues one outbound mail (no channel delivers it here): the backlog.
    let r = h
        .call(
            "POST",
            &format!("/api/v1/tickets/{first}/articles"),
            Some(ADMIN_TOKEN),
            Some(serde_json::json!({"body": "Replaced the roller."})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    assert_eq!(scrape(&h).await.1["chamado_outbox_pending"], 1.0, "the reply waits in the outbox");

    // Mail intake goes through the engine, not HTTP, and is counted all the same.
    assert!(matches!(h.engine.intake(mail("<m1@mail.example>")).await.unwrap(), IntakeOutcome::NewTicket { .. }));
    assert!(matches!(h.engine.intake(mail("<m1@mail.example>")).await.unwrap(), IntakeOutcome::Duplicate { .. }));

    let (text, m) = scrape(&h).await;
    let get = |k: &str| m.get(k).copied().unwrap_or_else(|| panic!("no {k} in\n{text}"));
    assert_eq!(get("chamado_tickets_created_total{channel=\"web\"}"), 2.0);
    assert_eq!(get("chamado_tickets_created_total{channel=\"email\"}"), 1.0);
    assert_eq!(get("chamado_tickets_created_total{channel=\"chat\"}"), 0.0);
    assert_eq!(get("chamado_intake_total{channel=\"email\",outcome=\"created\"}"), 1.0);
    assert_eq!(get("chamado_intake_total{channel=\"email\",outcome=\"duplicate\"}"), 1.0);
    assert_eq!(get("chamado_intake_total{channel=\"email\",outcome=\"follow_up\"}"), 0.0);
    assert_eq!(get("chamado_events_total{event=\"ticket_created\"}"), 3.0);
    assert_eq!(get("chamado_events_total{event=\"intake\"}"), 2.0);
    assert_eq!(get("chamado_outbox_pending"), 2.0, "and the auto-reply to the mailed ticket");

    let h_count = |method: &str, route: &str, class: &str| {
        get(&format!(
            "chamado_http_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\",status=\"{class}\"}}"
        ))
    };
    assert_eq!(h_count("POST", "/api/v1/tickets", "2xx"), 2.0);
    assert_eq!(h_count("GET", "/api/v1/tickets/{number}", "2xx"), 1.0, "labelled by template, not by number");
    assert_eq!(h_count("GET", "unmatched", "4xx"), 1.0);
    assert!(!text.contains("/no/such/thing"));
}

#[tokio::test]
async fn histograms_are_consistent_and_unmatched_paths_share_one_series() {
    let h = Harness::new().await;
    for p in ["/a", "/b", "/c/d"] {
        assert_eq!(h.call("GET", p, None, None).await.status, StatusCode::NOT_FOUND);
    }
    let (text, m) = scrape(&h).await;
    let labels = "method=\"GET\",route=\"unmatched\",status=\"4xx\"";
    let count = m[&format!("chamado_http_request_duration_seconds_count{{{labels}}}")];
    assert_eq!(count, 3.0, "{text}");
    assert_eq!(m[&format!("chamado_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}}")], count);
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| l.starts_with(&format!("chamado_http_request_duration_seconds_bucket{{{labels}")))
        .map(|l| l.rsplit_once(' ').unwrap().1.parse().unwrap())
        .collect();
    assert_eq!(buckets.len(), 13);
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "cumulative: {buckets:?}");
    assert!(!text.contains("/c/d"), "a path nobody routes never becomes a label");
}

#[tokio::test]
async fn metrics_can_be_turned_off() {
    let h = Harness::with_config(chamado_http::HttpConfig { metrics: false, ..test_config() }).await;
    assert_eq!(h.call("GET", "/metrics", None, None).await.status, StatusCode::NOT_FOUND);
}
