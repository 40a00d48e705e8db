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
