//! The OpenAPI document: 3.1, and every API route is in it (and every documented route is served).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::Harness;
use serde_json::Value;

/// Every route of the API, as issue 4 lists it (plus logout, token management, the document itself).
const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/tickets"),
    ("get", "/api/v1/tickets"),
    ("get", "/api/v1/tickets/{number}"),
    ("patch", "/api/v1/tickets/{number}"),
    ("post", "/api/v1/tickets/{number}/articles"),
    ("get", "/api/v1/tickets/{number}/articles/{article}/attachments/{index}"),
    ("post", "/api/v1/tickets/{number}/merge"),
    ("get", "/api/v1/tickets/{number}/history"),
    ("get", "/api/v1/queue-overview"),
    ("post", "/api/v1/sessions"),
    ("delete", "/api/v1/sessions"),
    ("post", "/api/v1/customers"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customers/{id}"),
    ("patch", "/api/v1/customers/{id}"),
    ("post", "/api/v1/customer-users"),
    ("get", "/api/v1/customer-users"),
    ("get", "/api/v1/customer-users/{login}"),
    ("patch", "/api/v1/customer-users/{login}"),
    ("post", "/api/v1/groups"),
    ("get", "/api/v1/groups"),
    ("post", "/api/v1/queues"),
    ("get", "/api/v1/queues"),
    ("post", "/api/v1/services"),
    ("get", "/api/v1/services"),
    ("post", "/api/v1/agents"),
    ("get", "/api/v1/agents"),
    ("post", "/api/v1/agents/{login}/tokens"),
    ("delete", "/api/v1/agents/{login}/tokens"),
    ("post", "/api/v1/roles"),
    ("get", "/api/v1/roles"),
    ("get", "/api/v1/customer-users/{login}/groups"),
    ("put", "/api/v1/customer-users/{login}/groups/{group}"),
    ("delete", "/api/v1/customer-users/{login}/groups/{group}"),
    ("get", "/api/v1/customers/{id}/groups"),
    ("put", "/api/v1/customers/{id}/groups/{group}"),
    ("delete", "/api/v1/customers/{id}/groups/{group}"),
    ("get", "/api/v1/default-groups"),
    ("put", "/api/v1/default-groups/{group}"),
    ("delete", "/api/v1/default-groups/{group}"),
    ("get", "/api/v1/customer-users/{login}/services"),
    ("put", "/api/v1/customer-users/{login}/services/{service}"),
    ("delete", "/api/v1/customer-users/{login}/services/{service}"),
    ("get", "/api/v1/default-services"),
    ("put", "/api/v1/default-services/{service}"),
    ("delete", "/api/v1/default-services/{service}"),
    ("patch", "/api/v1/agents/{login}"),
    ("put", "/api/v1/agents/{login}/groups/{group}"),
    ("delete", "/api/v1/agents/{login}/groups/{group}"),
    ("put", "/api/v1/agents/{login}/roles/{role}"),
    ("delete", "/api/v1/agents/{login}/roles/{role}"),
    ("put", "/api/v1/roles/{role}/groups/{group}"),
    ("delete", "/api/v1/roles/{role}/groups/{group}"),
    ("get", "/api/v1/groups/{group}"),
    ("patch", "/api/v1/groups/{group}"),
    ("get", "/api/v1/queues/{queue}"),
    ("patch", "/api/v1/queues/{queue}"),
    ("get", "/api/v1/services/{service}"),
    ("patch", "/api/v1/services/{service}"),
    ("get", "/api/v1/services/{service}/holders"),
    ("get", "/api/v1/roles/{role}"),
    ("patch", "/api/v1/roles/{role}"),
    ("post", "/api/v1/states"),
    ("get", "/api/v1/states"),
    ("get", "/api/v1/states/{state}"),
    ("patch", "/api/v1/states/{state}"),
    ("get", "/api/v1/priorities"),
    ("patch", "/api/v1/priorities/{level}"),
    ("put", "/api/v1/me/password"),
    ("get", "/api/v1/me/preferences"),
    ("put", "/api/v1/me/preferences"),
    ("post", "/api/v1/mail-accounts"),
    ("get", "/api/v1/mail-accounts"),
    ("get", "/api/v1/mail-accounts/{name}"),
    ("patch", "/api/v1/mail-accounts/{name}"),
    ("delete", "/api/v1/mail-accounts/{name}"),
    ("post", "/api/v1/auto-responses"),
    ("get", "/api/v1/auto-responses"),
    ("get", "/api/v1/auto-responses/{name}"),
    ("put", "/api/v1/auto-responses/{name}"),
    ("delete", "/api/v1/auto-responses/{name}"),
    ("post", "/api/v1/salutations"),
    ("get", "/api/v1/salutations"),
    ("get", "/api/v1/salutations/{name}"),
    ("put", "/api/v1/salutations/{name}"),
    ("delete", "/api/v1/salutations/{name}"),
    ("post", "/api/v1/signatures"),
    ("get", "/api/v1/signatures"),
    ("get", "/api/v1/signatures/{name}"),
    ("put", "/api/v1/signatures/{name}"),
    ("delete", "/api/v1/signatures/{name}"),
    ("post", "/api/v1/templates"),
    ("get", "/api/v1/templates"),
    ("get", "/api/v1/templates/{name}"),
    ("put", "/api/v1/templates/{name}"),
    ("delete", "/api/v1/templates/{name}"),
    ("get", "/api/v1/notifications"),
    ("get", "/api/v1/notifications/{kind}"),
    ("put", "/api/v1/notifications/{kind}"),
    ("delete", "/api/v1/notifications/{kind}"),
    ("get", "/api/v1/preferences/notifications"),
    ("put", "/api/v1/preferences/notifications"),
    ("post", "/api/v1/preferences/telegram-link"),
    ("delete", "/api/v1/preferences/telegram-link"),
    ("put", "/api/v1/tickets/{number}/watch"),
    ("delete", "/api/v1/tickets/{number}/watch"),
    ("get", "/api/v1/tickets/{number}/templates"),
    ("get", "/api/v1/tickets/{number}/templates/{name}"),
    ("post", "/api/v1/calendars"),
    ("get", "/api/v1/calendars"),
    ("get", "/api/v1/calendars/{name}"),
    ("put", "/api/v1/calendars/{name}"),
    ("post", "/api/v1/slas"),
    ("get", "/api/v1/slas"),
    ("get", "/api/v1/slas/{name}"),
    ("put", "/api/v1/slas/{name}"),
    ("get", "/api/v1/reports/sla"),
    ("post", "/api/v1/webhooks"),
    ("get", "/api/v1/webhooks"),
    ("get", "/api/v1/webhooks/{id}"),
    ("put", "/api/v1/webhooks/{id}"),
    ("patch", "/api/v1/webhooks/{id}"),
    ("delete", "/api/v1/webhooks/{id}"),
    ("post", "/api/v1/webhooks/{id}/secrets"),
    ("get", "/api/v1/webhooks/{id}/deliveries"),
    ("post", "/api/v1/webhooks/{id}/deliveries/{delivery}/replay"),
    ("post", "/api/v1/webhooks/{id}/replay"),
    ("get", "/api/v1/events"),
    ("put", "/api/v1/import/records"),
    ("put", "/api/v1/import/tickets"),
    ("post", "/api/v1/import/numbers"),
    ("get", "/healthz"),
    ("get", "/api/openapi.json"),
];

async fn document(h: &Harness) -> Value {
    let r = h.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type.starts_with("application/json"));
    r.json
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_every_route() {
    let h = Harness::new().await;
    let doc = document(&h).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ProblemBody"].is_object());
    let mut missing = Vec::new();
    for (method, path) in ROUTES {
        if !doc["paths"][*path][*method].is_object() {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(missing.is_empty(), "routes missing from the OpenAPI document: {missing:?}");
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let h = Harness::new().await;
    let doc = document(&h).await;
    let paths = doc["paths"].as_object().unwrap();
    let mut count = 0;
    for (path, ops) in paths {
        for (method, _) in ops.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            count += 1;
            let concrete = path.replace("{number}", "1").replace(['{', '}'], "");
            let r = h.call(&method.to_uppercase(), &concrete, None, None).await;
            assert_ne!(r.code(), "no_route", "{method} {path} is documented but not served");
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(
                ROUTES.contains(&(method.as_str(), path.as_str())),
                "{method} {path} is served but not in the test's list"
            );
        }
    }
    assert_eq!(count, ROUTES.len());
}

/// The schema of a component (request and answer bodies).
fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "component {name} is missing");
    s
}

/// A query parameter of an operation.
fn query_param<'a>(doc: &'a Value, method: &str, path: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[tokio::test]
async fn the_schema_states_the_rules_the_server_enforces() {
    let h = Harness::new().await;
    let doc = document(&h).await;
    // Limits: what list_records and list_tickets check.
    for path in ["/api/v1/customers", "/api/v1/customer-users", "/api/v1/agents", "/api/v1/groups"] {
        let limit = query_param(&doc, "get", path, "limit");
        assert_eq!((limit["minimum"].as_u64(), limit["maximum"].as_u64()), (Some(1), Some(1000)), "{path}");
    }
    let limit = query_param(&doc, "get", "/api/v1/tickets", "limit");
    assert_eq!((limit["minimum"].as_u64(), limit["maximum"].as_u64()), (Some(1), Some(chamado::MAX_PAGE as u64)));
    assert_eq!(strings(&query_param(&doc, "get", "/api/v1/tickets", "state_type")["enum"]).len(), 7);
    assert_eq!(query_param(&doc, "get", "/api/v1/tickets", "q")["maxLength"], 500);
    // Closed sets are enums.
    let follow_up = &component(&doc, "QueueBody")["properties"]["follow_up"];
    let follow_up = match follow_up["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        Some(name) => component(&doc, name),
        None => follow_up,
    };
    assert_eq!(strings(&follow_up["enum"]), ["possible", "reject", "new_ticket"]);
    assert_eq!(strings(&component(&doc, "GrantIn")["properties"]["permission"]["enum"]), ["ro", "rw"]);
    let perms = strings(&component(&doc, "PermissionsIn")["properties"]["permissions"]["items"]["enum"]);
    assert_eq!(perms, ["ro", "move_into", "create", "note", "owner", "priority", "rw"]);
    // Names: 1 to 200 characters with a pattern; services have their own.
    let name = &component(&doc, "NamedBody")["properties"]["name"];
    assert_eq!((name["minLength"].as_u64(), name["maxLength"].as_u64()), (Some(1), Some(200)));
    let service = &component(&doc, "ServiceBody")["properties"]["name"];
    assert!(service["pattern"].as_str().is_some_and(|p| p.contains("::") && Some(p) != name["pattern"].as_str()));
    assert!(doc["paths"]["/api/v1/services"]["post"]["requestBody"].to_string().contains("ServiceBody"));
    // Text that must not be blank, and bodies that refuse unknown fields.
    for schema in ["CreateTicket", "AddArticle", "PatchTicket", "QueueBody", "CustomerBody", "AgentIn", "LoginIn"] {
        assert_eq!(component(&doc, schema)["additionalProperties"], false, "{schema} refuses unknown fields");
    }
    assert!(component(&doc, "CreateTicket")["properties"]["title"]["pattern"].is_string());
    assert_eq!(component(&doc, "CustomerUserPatch")["properties"]["password"]["minLength"], 1);
    // Time promises: zones, times of day and holidays as the engine reads them, targets in its range.
    let calendar = &component(&doc, "CalendarBody")["properties"];
    assert!(strings(&calendar["time_zone"]["enum"]).contains(&"America/Sao_Paulo"));
    assert_eq!(calendar["holidays"]["maxItems"], 1000);
    assert_eq!(calendar["holidays"]["items"]["pattern"], chamado_api_types::slas::HOLIDAY_PATTERN);
    let mon = &component(&doc, "HoursBody")["properties"]["mon"]["items"];
    assert_eq!((mon["minItems"].as_u64(), mon["maxItems"].as_u64()), (Some(2), Some(2)));
    assert_eq!(mon["items"]["pattern"], chamado_api_types::slas::TIME_OF_DAY_PATTERN);
    let sla = &component(&doc, "SlaBody")["properties"];
    assert_eq!(sla["solution_minutes"]["maximum"], chamado_api_types::slas::TARGET_MAX);
    assert_eq!(strings(&sla["pause_in"]["items"]["enum"]), ["open", "pending_reminder", "pending_auto"]);
    assert_eq!(
        (sla["notify_before_percent"]["minimum"].as_u64(), sla["notify_before_percent"]["maximum"].as_u64()),
        (Some(1), Some(100))
    );
    for schema in ["CalendarBody", "CalendarChanges", "HoursBody", "SlaBody", "SlaChanges", "QueueEscalationBody"] {
        assert_eq!(component(&doc, schema)["additionalProperties"], false, "{schema} refuses unknown fields");
    }
    assert!(component(&doc, "TicketSummary")["properties"]["escalation"].to_string().contains("EscalationOut"));
    assert!(component(&doc, "EscalationOut")["properties"]["first_response_due"].is_object());
    assert_eq!(query_param(&doc, "get", "/api/v1/tickets", "escalated")["type"], "boolean");
    for time in ["from", "to"] {
        assert_eq!(
            query_param(&doc, "get", "/api/v1/reports/sla", time)["pattern"],
            chamado_http::time::RFC3339_PATTERN
        );
        let required = doc["paths"]["/api/v1/reports/sla"]["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == time))
            .map(|p| p["required"].clone());
        assert_eq!(required, Some(serde_json::json!(true)), "{time} is required");
    }
}

#[tokio::test]
async fn every_value_the_schema_lists_is_accepted_and_others_are_refused() {
    let h = Harness::new().await;
    let doc = document(&h).await;
    // Every follow-up policy of the enum makes a queue; a value outside it is refused.
    for (i, policy) in strings(&component(&doc, "QueueBody")["properties"]["follow_up"]["enum"]).into_iter().enumerate()
    {
        let r = h
            .admin(
                "POST",
                "/api/v1/queues",
                Some(serde_json::json!({"name": format!("Q{i}"), "group": "users", "follow_up": policy})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{policy}: {}", r.text);
    }
    let r = h
        .call(
            "POST",
            "/api/v1/queues",
            Some(common::ADMIN_TOKEN),
            Some(serde_json::json!({"name": "Qx", "group": "users", "follow_up": ""})),
        )
        .await;
    // Outside the enum: the body does not fit its type (400), as any schema-invalid body.
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    // Every priority spelling of the schema opens a ticket; another spelling is refused.
    let priority = &component(&doc, "CreateTicket")["properties"]["priority"]["oneOf"];
    let names: Vec<String> = priority
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| strings(&s["enum"]).into_iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert_eq!(names.len(), 15, "{priority}");
    for p in names.iter().map(|n| serde_json::json!(n)).chain([serde_json::json!(5), serde_json::json!(1.0)]) {
        let body = serde_json::json!({"title": "t", "body": "b", "queue": "Raw", "priority": p});
        let r = h.call("POST", "/api/v1/tickets", Some(common::ADMIN_TOKEN), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "priority {p}: {}", r.text);
    }
    for p in [serde_json::json!(" 3"), serde_json::json!("NORMAL"), serde_json::json!(6), serde_json::json!(2.5)] {
        let body = serde_json::json!({"title": "t", "body": "b", "queue": "Raw", "priority": p});
        let r = h.call("POST", "/api/v1/tickets", Some(common::ADMIN_TOKEN), Some(body)).await;
        assert!(matches!(r.status.as_u16(), 400 | 422), "priority {p} must be refused: {}", r.text);
    }
}

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                out.push(r);
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_webhooks_section_describes_every_event_receivers_get() {
    let h = Harness::new().await;
    let doc = document(&h).await;
    let hooks = doc["webhooks"].as_object().expect("a webhooks section (OpenAPI 3.1)");
    let names: Vec<&str> = chamado::EventType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        hooks.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>(),
        names.iter().copied().collect()
    );
    for name in &names {
        let post = &hooks[*name]["post"];
        let headers: Vec<(&str, bool)> = post["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["in"] == "header" && p["required"] == true))
            .collect();
        assert_eq!(headers, [("webhook-id", true), ("webhook-timestamp", true), ("webhook-signature", true)], "{name}");
        let schema = &post["requestBody"]["content"]["application/json"]["schema"]["allOf"];
        assert_eq!(schema[0]["$ref"], "#/components/schemas/WebhookPayloadV1", "{name}");
        assert_eq!(schema[1]["properties"]["type"]["enum"], serde_json::json!([name]), "{name}");
        for status in ["2XX", "410", "default"] {
            assert!(post["responses"][status]["description"].is_string(), "{name} {status}");
        }
    }
    // The payload's schemas, field for field (the feed test reads real events with these types).
    let payload = component(&doc, "WebhookPayloadV1");
    assert_eq!(strings(&payload["required"]), ["type", "timestamp", "data"]);
    assert_eq!(strings(&payload["properties"]["type"]["enum"]), names);
    let data = component(&doc, "WebhookDataV1");
    let parts: Vec<&str> = data["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    for part in ["version", "actor", "ticket", "article", "change", "merge", "escalation", "customer", "customer_user"]
    {
        assert!(parts.contains(&part), "data.{part}");
    }
    assert_eq!(strings(&data["required"]), ["version", "actor"]);
    assert_eq!(
        (data["properties"]["version"]["minimum"].as_u64(), data["properties"]["version"]["maximum"].as_u64()),
        (Some(1), Some(1))
    );
    for schema in [
        "TicketPayloadV1",
        "ArticlePayloadV1",
        "ChangePayloadV1",
        "MergePayloadV1",
        "EscalationPayloadV1",
        "CustomerPayloadV1",
        "CustomerUserPayloadV1",
        "AttachmentPayloadV1",
    ] {
        assert_eq!(component(&doc, schema)["additionalProperties"], false, "{schema} is closed");
    }
    let ticket = component(&doc, "TicketPayloadV1");
    assert!(strings(&ticket["required"]).contains(&"owner"), "nullable fields are always sent");
    assert_eq!(strings(&ticket["properties"]["lock"]["enum"]), ["lock", "unlock"]);
    // Valid: every reference resolves to a component.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        component(&doc, name);
    }
    // The API's own shapes: events by name, secrets and times by pattern, bodies closed.
    let body = &component(&doc, "WebhookIn")["properties"];
    assert_eq!(strings(&body["events"]["items"]["enum"]), names);
    assert_eq!(body["events"]["minItems"], 1);
    assert_eq!(body["secret"]["pattern"], chamado_api_types::webhooks::SECRET_PATTERN);
    assert_eq!(
        (body["max_concurrency"]["minimum"].as_u64(), body["max_concurrency"]["maximum"].as_u64()),
        (Some(1), Some(64))
    );
    assert_eq!(
        (body["timeout_ms"]["minimum"].as_u64(), body["timeout_ms"]["maximum"].as_u64()),
        (Some(100), Some(60_000))
    );
    assert_eq!(chamado_api_types::webhooks::RFC3339_PATTERN, chamado_http::time::RFC3339_PATTERN);
    assert_eq!(component(&doc, "SecretIn")["properties"]["expires_at"]["pattern"], chamado_http::time::RFC3339_PATTERN);
    for schema in ["WebhookIn", "WebhookPatch", "SecretIn", "SecretRotation", "ReplayRange"] {
        assert_eq!(component(&doc, schema)["additionalProperties"], false, "{schema} refuses unknown fields");
    }
    let after = query_param(&doc, "get", "/api/v1/events", "after");
    assert_eq!(after["pattern"], "^(now|[0-9]{1,19})$");
    let wait = query_param(&doc, "get", "/api/v1/events", "wait");
    assert_eq!((wait["minimum"].as_u64(), wait["maximum"].as_u64()), (Some(0), Some(30)));
    let data_ref = &component(&doc, "FeedEvent")["properties"]["data"];
    assert!(data_ref.to_string().contains("WebhookDataV1"), "{data_ref}");
}
