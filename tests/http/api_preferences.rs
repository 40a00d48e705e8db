//! People's language and time zone over the API: admins set them on customer users and agents, the
//! person reads and sets their own at `/api/v1/me/preferences`; only the exact spellings the OpenAPI
//! document lists are taken.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness};
use serde_json::json;

#[tokio::test]
async fn admins_set_a_customer_users_language_and_unknown_ones_are_422() {
    let h = Harness::new().await;
    h.customer("acme").await;
    let r = h
        .admin(
            "POST",
            "/api/v1/customer-users",
            Some(json!({"login": "joao", "email": "joao@acme.example", "customer_id": "acme", "language": "pt-BR"})),
        )
        .await;
    assert_eq!(r.json["language"], "pt-BR");
    assert_eq!(h.admin("GET", "/api/v1/customer-users/joao", None).await.json["language"], "pt-BR");
    assert_eq!(h.engine.customer_user("joao").await.unwrap().unwrap().language.as_deref(), Some("pt-BR"));

    // Absent leaves it, null clears it, a tag sets it.
    let r = h.admin("PATCH", "/api/v1/customer-users/joao", Some(json!({"first_name": "João"}))).await;
    assert_eq!(r.json["language"], "pt-BR");
    let r = h.admin("PATCH", "/api/v1/customer-users/joao", Some(json!({"language": null}))).await;
    assert_eq!(r.json["language"], serde_json::Value::Null);
    let r = h.admin("PATCH", "/api/v1/customer-users/joao", Some(json!({"language": "en"}))).await;
    assert_eq!(r.json["language"], "en");

    for bad in ["klingon", "pt_br", ""] {
        let r = h.call("PATCH", "/api/v1/customer-users/joao", Some(ADMIN_TOKEN), Some(json!({"language": bad}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", r.text);
        let r = h
            .call(
                "POST",
                "/api/v1/customer-users",
                Some(ADMIN_TOKEN),
                Some(json!({"login": "x", "customer_id": "acme", "language": bad})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", r.text);
    }
    assert_eq!(h.engine.customer_user("joao").await.unwrap().unwrap().language.as_deref(), Some("en"));
}

#[tokio::test]
async fn admins_set_an_agents_language_and_time_zone() {
    let h = Harness::new().await;
    let r = h
        .admin(
            "POST",
            "/api/v1/agents",
            Some(json!({"login": "ana", "language": "pt-BR", "time_zone": "America/Sao_Paulo"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let agents = h.admin("GET", "/api/v1/agents?search=ana", None).await.json;
    let ana = agents["agents"].as_array().unwrap().iter().find(|a| a["login"] == "ana").unwrap().clone();
    assert_eq!((ana["language"].clone(), ana["time_zone"].clone()), (json!("pt-BR"), json!("America/Sao_Paulo")));

    h.admin("PATCH", "/api/v1/agents/ana", Some(json!({"time_zone": "Europe/Lisbon"}))).await;
    let a = h.engine.agent("ana").await.unwrap().unwrap();
    assert_eq!((a.language.as_deref(), a.time_zone.as_deref()), (Some("pt-BR"), Some("Europe/Lisbon")));
    h.admin("PATCH", "/api/v1/agents/ana", Some(json!({"language": null, "time_zone": null}))).await;
    let a = h.engine.agent("ana").await.unwrap().unwrap();
    assert_eq!((a.language, a.time_zone), (None, None));

    for body in
        [json!({"time_zone": "Mars/Base"}), json!({"time_zone": "america/sao_paulo"}), json!({"language": "xx"})]
    {
        let r = h.call("PATCH", "/api/v1/agents/ana", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
    }
    let r = h
        .call("POST", "/api/v1/agents", Some(ADMIN_TOKEN), Some(json!({"login": "bia", "time_zone": "Nowhere/City"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(h.engine.agent("bia").await.unwrap().is_none(), "nothing is stored for a refused agent");
}

#[tokio::test]
async fn an_agent_reads_and_sets_its_own_preferences_and_keeps_its_token() {
    let h = Harness::new().await;
    let token = h.agent("ana", json!({"users": ["rw"]})).await;
    let r = h.call("GET", "/api/v1/me/preferences", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json, json!({"language": null, "time_zone": null}));

    let r = h
        .call(
            "PUT",
            "/api/v1/me/preferences",
            Some(&token),
            Some(json!({"language": "pt-BR", "time_zone": "America/Sao_Paulo"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json, json!({"language": "pt-BR", "time_zone": "America/Sao_Paulo"}));
    let again = h.call("GET", "/api/v1/me/preferences", Some(&token), None).await;
    assert_eq!(again.json, r.json, "the same token still works and reads what was stored");

    let r = h.call("PUT", "/api/v1/me/preferences", Some(&token), Some(json!({"time_zone": "Mars/Base"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h.call("PUT", "/api/v1/me/preferences", Some(&token), Some(json!({"colour": "red"}))).await;
    assert!(r.status.is_client_error(), "{}", r.text);
    let a = h.engine.agent("ana").await.unwrap().unwrap();
    assert_eq!(a.time_zone.as_deref(), Some("America/Sao_Paulo"), "a refused change leaves what was there");
}

#[tokio::test]
async fn a_customer_user_sets_its_language_but_no_time_zone() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let session = h.login("alice").await;
    let r = h.call("PUT", "/api/v1/me/preferences", Some(&session), Some(json!({"language": "pt-BR"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json, json!({"language": "pt-BR", "time_zone": null}));
    let r = h
        .call(
            "PUT",
            "/api/v1/me/preferences",
            Some(&session),
            Some(json!({"language": "en", "time_zone": "America/Sao_Paulo"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let u = h.engine.customer_user("alice").await.unwrap().unwrap();
    assert_eq!(u.language.as_deref(), Some("pt-BR"));
    assert!(u.password_hash.is_some(), "the password stays");
    let r = h.call("GET", "/api/v1/me/preferences", Some(&session), None).await;
    assert_eq!(r.status, StatusCode::OK, "the session survives: {}", r.text);
    assert_eq!(h.call("GET", "/api/v1/me/preferences", None, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_schema_lists_the_languages_and_time_zones() {
    let h = Harness::new().await;
    let doc = h.call("GET", "/api/openapi.json", None, None).await.json;
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("CustomerUserIn", "language"),
        ("CustomerUserPatch", "language"),
        ("AgentIn", "language"),
        ("AgentPatch", "language"),
        ("PreferencesBody", "language"),
    ] {
        let values = schemas[schema]["properties"][field]["enum"].as_array().unwrap_or_else(|| panic!("{schema}"));
        assert!(values.contains(&json!("pt-BR")) && values.contains(&json!("en")), "{schema}.{field}");
        assert!(values.contains(&serde_json::Value::Null), "{schema}.{field} takes null");
    }
    for schema in ["AgentIn", "AgentPatch", "PreferencesBody"] {
        let zone = &schemas[schema]["properties"]["time_zone"];
        assert_eq!(zone["maxLength"], 64, "{schema}");
        assert!(zone["enum"].as_array().unwrap().contains(&json!("America/Sao_Paulo")), "{schema}");
    }
    assert!(doc["paths"]["/api/v1/me/preferences"]["put"].is_object());
    assert!(doc["paths"]["/api/v1/me/preferences"]["get"].is_object());
}
