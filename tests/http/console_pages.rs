//! Every console screen answers 200 to an admin, and every visible form field has a label.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness};
use console_support::{get, login, set_password};
use serde_json::json;

/// The visible fields of a page without a `<label for>` (or an enclosing `<label>`).
fn unlabelled(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        let mut rest = html;
        let mut offset = 0;
        while let Some(i) = rest.find(tag) {
            let at = offset + i;
            let end = html[at..].find('>').map_or(html.len(), |e| at + e);
            let element = &html[at..end];
            offset = end;
            rest = &html[end..];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            if html[..at].ends_with("<label>") {
                continue;
            }
            let labelled = element
                .split("id=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
            if !labelled {
                bad.push(element.to_string());
            }
        }
    }
    bad
}

/// Monday to Friday, 09:00 to 17:00.
fn office_hours() -> chamado::Calendar {
    let nine_to_five = [chamado::directory::WorkInterval { start: 540, end: 1020 }];
    chamado::Calendar { hours: chamado::directory::WeeklyHours::weekdays(&nine_to_five), ..Default::default() }
}

#[tokio::test]
async fn every_screen_renders_with_labelled_fields() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "VPN"}))).await;
    h.admin("POST", "/api/v1/roles", Some(json!({"name": "support"}))).await;
    let system = h.engine.admin(&chamado::Actor::System).await.unwrap();
    system.put_calendar(chamado::Calendar { name: "Office".into(), ..office_hours() }).await.unwrap();
    let sla = chamado::Sla {
        name: "Gold".into(),
        calendar: "Office".into(),
        services: vec!["VPN".into()],
        ..Default::default()
    };
    system.put_sla(sla).await.unwrap();
    let hook = chamado::WebhookSubscription::new(
        "wh_crm",
        "https://hooks.example.com/in",
        vec![chamado::EventType::TicketCreated],
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    system.put_webhook(hook).await.unwrap();
    let number =
        h.open(ADMIN_TOKEN, json!({"title": "t", "body": "b", "queue": "Raw", "customer_user": "alice"})).await;
    let admin = login(&h, "admin", "pw-admin").await;

    assert_eq!(unlabelled("<input name=\"x\"><select id=\"s\"></select>").len(), 2, "the check itself works");
    assert!(unlabelled("<label for=\"a\">A</label><input id=\"a\"><label><input name=\"v\"> V</label>").is_empty());
    let login_page = get(&h, "/agent/login", None).await;
    assert!(unlabelled(&login_page.text).is_empty());
    for path in [
        "/agent".to_string(),
        "/agent?state=all&sort=priority".to_string(),
        format!("/agent/tickets/{number}"),
        "/agent/tickets/new?search=ali&customer_user=alice".to_string(),
        "/agent/search?q=t".to_string(),
        "/agent/preferences".to_string(),
        "/admin".to_string(),
        "/admin/customers".to_string(),
        "/admin/customers/acme".to_string(),
        "/admin/customers/acme/groups".to_string(),
        "/admin/customer-users?search=ali".to_string(),
        "/admin/customer-users/alice".to_string(),
        "/admin/customer-users/alice/groups".to_string(),
        "/admin/customer-users/alice/services".to_string(),
        "/admin/default-groups".to_string(),
        "/admin/default-services".to_string(),
        "/admin/agents".to_string(),
        "/admin/agents/admin".to_string(),
        "/admin/agents/admin/groups".to_string(),
        "/admin/groups".to_string(),
        "/admin/groups/users/customer-users".to_string(),
        "/admin/queues".to_string(),
        "/admin/services".to_string(),
        "/admin/roles".to_string(),
        "/admin/roles/support/groups".to_string(),
        "/admin/roles/support".to_string(),
        "/admin/groups?search=us".to_string(),
        "/admin/groups/users".to_string(),
        "/admin/queues/Raw".to_string(),
        "/admin/services?search=V".to_string(),
        "/admin/services/VPN".to_string(),
        "/admin/states".to_string(),
        "/admin/states/open".to_string(),
        "/admin/priorities".to_string(),
        "/admin/priorities/3".to_string(),
        "/admin/auto-responses".to_string(),
        "/admin/salutations".to_string(),
        "/admin/signatures".to_string(),
        "/admin/templates".to_string(),
        "/admin/notifications".to_string(),
        "/admin/notifications/new_ticket".to_string(),
        "/admin/queues".to_string(),
        "/admin/calendars".to_string(),
        "/admin/calendars/Office".to_string(),
        "/admin/slas".to_string(),
        "/admin/slas/Gold".to_string(),
        "/admin/webhooks".to_string(),
        "/admin/webhooks/wh_crm".to_string(),
        "/admin/webhooks/wh_crm/deliveries".to_string(),
        "/admin/webhooks/wh_crm/delete".to_string(),
        "/agent/reports/sla".to_string(),
        format!("/agent/tickets/{number}?service=VPN"),
    ] {
        let r = admin.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert!(r.content_type.starts_with("text/html"), "{path}");
        assert!(r.headers.get("content-security-policy").is_some(), "{path}");
        assert!(r.text.contains("<meta name=\"viewport\""), "{path}");
        let bad = unlabelled(&r.text);
        assert!(bad.is_empty(), "{path}: fields without a label: {bad:?}");
    }
}
