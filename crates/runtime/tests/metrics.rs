//! The kit's registry renders the engine's events in the Prometheus text format, with no HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{ChannelKind, InboundMessage, IntakeOutcome, Sender};
use chamado_runtime::prometheus_client::metrics::counter::Counter;
use chamado_runtime::prometheus_client::metrics::gauge::Gauge;
use chamado_runtime::{CONTENT_TYPE, Metrics};
use common::desk;

/// The value of the sample `series` (name and labels as written), if the text has it once.
fn sample(text: &str, series: &str) -> Option<f64> {
    let mut found = text.lines().filter_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok());
    let v = found.next();
    assert!(found.next().is_none(), "{series} twice in\n{text}");
    v
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
async fn renders_the_engines_events() {
    let d = desk().await;
    let metrics = Metrics::new(&d.engine);
    assert!(CONTENT_TYPE.starts_with("text/plain; version=0.0.4"));
    let before = metrics.render().await;
    for ch in ["email", "web", "phone", "chat", "internal"] {
        let series = format!("chamado_tickets_created_total{{channel=\"{ch}\"}}");
        assert_eq!(sample(&before, &series), Some(0.0), "{series} exists at 0 in\n{before}");
    }
    assert_eq!(sample(&before, "chamado_outbox_pending"), Some(0.0));

    d.answered_ticket().await;
    assert!(matches!(d.engine.intake(mail("<m1@mail.example>")).await.unwrap(), IntakeOutcome::NewTicket { .. }));
    assert!(matches!(d.engine.intake(mail("<m1@mail.example>")).await.unwrap(), IntakeOutcome::Duplicate { .. }));

    let text = metrics.render().await;
    let get = |s: &str| sample(&text, s).unwrap_or_else(|| panic!("no {s} in\n{text}"));
    assert_eq!(get("chamado_tickets_created_total{channel=\"web\"}"), 1.0);
    assert_eq!(get("chamado_tickets_created_total{channel=\"email\"}"), 1.0);
    assert_eq!(get("chamado_intake_total{channel=\"email\",outcome=\"created\"}"), 1.0);
    assert_eq!(get("chamado_intake_total{channel=\"email\",outcome=\"duplicate\"}"), 1.0);
    assert_eq!(get("chamado_intake_total{channel=\"chat\",outcome=\"rejected\"}"), 0.0);
    assert_eq!(get("chamado_outbound_total{channel=\"email\",result=\"sent\"}"), 0.0);
    assert_eq!(get("chamado_events_total{event=\"ticket_created\"}"), 2.0);
    assert_eq!(get("chamado_events_total{event=\"intake\"}"), 2.0);
    assert_eq!(get("chamado_outbox_pending"), 2.0, "the agent's reply and the auto-reply to the mail");
    for family in ["chamado_tickets_created_total", "chamado_intake_total", "chamado_outbound_total"] {
        assert!(text.contains(&format!("# TYPE {family} counter\n")), "{family} in\n{text}");
    }
    assert!(text.contains("# HELP chamado_tickets_created_total Tickets opened, by the channel they came by.\n"));
    assert!(text.contains("# TYPE chamado_outbox_pending gauge\n"));
    assert!(!text.contains("# EOF"), "the 0.0.4 text format, not OpenMetrics");
}

#[tokio::test]
async fn others_register_into_the_same_registry_once() {
    let d = desk().await;
    let metrics = Metrics::new(&d.engine);
    let first = metrics.register_once("host_jobs", "Jobs the host ran", Counter::<u64>::default).unwrap();
    let again = metrics.register_once("host_jobs", "Jobs the host ran", Counter::<u64>::default).unwrap();
    first.inc();
    again.inc();
    assert!(
        metrics.register_once("host_jobs", "Jobs the host ran", Gauge::<i64>::default).is_none(),
        "another type under a taken name"
    );
    let text = metrics.render().await;
    assert_eq!(sample(&text, "host_jobs_total"), Some(2.0), "one series, shared:\n{text}");
    assert_eq!(text.matches("# TYPE host_jobs_total counter").count(), 1);
    assert_eq!(sample(&text, "chamado_events_total{event=\"merged\"}"), Some(0.0), "beside the engine's");
}
