//! Files over the API: multipart uploads by agents and customers, downloads with safe headers, the
//! internal note's file kept from customers, the limits, and each file stored once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, AttachmentLimits, Engine, EngineConfig, FixedClock, MemoryStore, Timestamp};
use common::{ADMIN_TOKEN, Harness, Resp, test_config};
use serde_json::{Value, json};
use std::sync::Arc;

const BOUNDARY: &str = "chamado-test-boundary-7f3a";

/// A `multipart/form-data` body: the `json` part, then one `file` part per `(name, type, bytes)`.
fn multipart(json: &Value, files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"json\"\r\nContent-Type: application/json\r\n\r\n{json}\r\n")
            .as_bytes(),
    );
    for (name, content_type, data) in files {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn upload(h: &Harness, path: &str, token: &str, json: Value, files: &[(&str, &str, &[u8])]) -> Resp {
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(&json, files)))
        .unwrap();
    h.raw(req).await
}

async fn download(h: &Harness, url: &str, token: &str) -> (Resp, Vec<u8>) {
    let r = h.call("GET", url, Some(token), None).await;
    let bytes = r.text.as_bytes().to_vec();
    (r, bytes)
}

/// A harness whose engine has small attachment limits.
async fn with_limits(limits: AttachmentLimits) -> Harness {
    let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(1_795_819_072)));
    let config = EngineConfig { attachments: limits, ..EngineConfig::default() };
    let engine = Engine::builder(MemoryStore::new()).clock(clock.clone()).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    chamado_http::auth::agent_token::install(&admin, "admin", ADMIN_TOKEN).await.unwrap();
    let app = common::full_router(engine.clone(), test_config());
    Harness { app, engine, clock }
}

#[tokio::test]
async fn a_customer_uploads_the_agent_downloads_with_safe_headers() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00binary\xff";
    let r = upload(
        &h,
        "/api/v1/tickets",
        &alice,
        json!({"title": "Printer", "body": "See the screenshot.", "queue": "Raw"}),
        &[("Ecrã 1.png", "image/png", png), ("log.txt", "text/plain", b"paper jam")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let files = r.json["articles"][0]["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "Ecrã 1.png");
    assert_eq!(files[0]["content_type"], "image/png");
    assert_eq!(files[0]["size"], png.len());
    assert_eq!(files[0]["sha256"], chamado::ContentHash::of(png).to_string());
    let number = r.json["number"].as_str().unwrap();
    let article = r.json["articles"][0]["id"].as_u64().unwrap();
    let url = files[0]["url"].as_str().unwrap();
    assert_eq!(url, format!("/api/v1/tickets/{number}/articles/{article}/attachments/0"));

    // The agent downloads it: the bytes, the stored type, and headers that make it a download only.
    let res = h
        .app
        .clone()
        .oneshot_bytes(Request::get(url).header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}")))
        .await;
    assert_eq!(res.0, StatusCode::OK);
    assert_eq!(res.2, png, "every byte");
    let hd = &res.1;
    assert_eq!(hd[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        hd[header::CONTENT_DISPOSITION],
        "attachment; filename=\"Ecr_ 1.png\"; filename*=UTF-8''Ecr%C3%A3%201.png"
    );
    assert_eq!(hd[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(hd[header::CONTENT_SECURITY_POLICY], "sandbox");
    assert_eq!(hd[header::CACHE_CONTROL], "private");
    // Alice may download her own file; without credentials nobody may.
    let (r, bytes) = download(&h, files[1]["url"].as_str().unwrap(), &alice).await;
    assert_eq!((r.status, bytes.as_slice()), (StatusCode::OK, &b"paper jam"[..]));
    assert_eq!(h.call("GET", url, None, None).await.status, StatusCode::UNAUTHORIZED);
    // A position past the list, an article of another ticket, a malformed index: 404 or 400, as problems.
    let r = h.call("GET", &url.replace("/attachments/0", "/attachments/2"), Some(ADMIN_TOKEN), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = h.call("GET", &url.replace("/attachments/0", "/attachments/x"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.content_type.starts_with("application/problem+json"), "{}", r.content_type);
}

#[tokio::test]
async fn an_agent_uploads_a_note_the_customer_never_gets_its_file() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let number = h.open(&alice, json!({"title": "Invoice", "body": "Wrong amount.", "queue": "Raw"})).await;
    let path = format!("/api/v1/tickets/{number}/articles");
    let r = upload(
        &h,
        &path,
        ADMIN_TOKEN,
        json!({"body": "Vendor quote", "internal": true}),
        &[("quote.pdf", "application/pdf", b"%PDF secret")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let note_url = r.json["article"]["attachments"][0]["url"].as_str().unwrap().to_string();
    let r = upload(
        &h,
        &path,
        ADMIN_TOKEN,
        json!({"body": "Corrected invoice"}),
        &[("invoice.pdf", "application/pdf", b"%PDF invoice")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let reply_url = r.json["article"]["attachments"][0]["url"].as_str().unwrap().to_string();

    let (r, bytes) = download(&h, &note_url, ADMIN_TOKEN).await;
    assert_eq!((r.status, bytes.as_slice()), (StatusCode::OK, &b"%PDF secret"[..]));
    // The customer gets exactly what a missing file gets, and the ticket shows her no trace of it.
    let (r, _) = download(&h, &note_url, &alice).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"), "{}", r.text);
    assert!(!r.text.contains("quote"), "{}", r.text);
    let (r, bytes) = download(&h, &reply_url, &alice).await;
    assert_eq!((r.status, bytes.as_slice()), (StatusCode::OK, &b"%PDF invoice"[..]));
    let view = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&alice), None).await;
    assert!(!view.text.contains("quote.pdf"), "{}", view.text);
    // Alice's own follow-up with a file works like the agent's.
    let r = upload(&h, &path, &alice, json!({"body": "Thanks"}), &[("ok.txt", "text/plain", b"ok")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Customers cannot slip a note in through the multipart form either.
    let r =
        upload(&h, &path, &alice, json!({"body": "sneaky", "internal": true}), &[("x.txt", "text/plain", b"x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

#[tokio::test]
async fn limits_answer_413_and_422_and_malformed_forms_400() {
    let h = with_limits(AttachmentLimits { max_file_bytes: 1_000, max_article_bytes: 1_500, max_count: 3 }).await;
    let body = json!({"title": "Limits", "body": "Files", "queue": "Raw"});
    let big = vec![7u8; 1_001];
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, body.clone(), &[("big.bin", "application/octet-stream", &big)])
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large"), "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("big.bin"), "{}", r.text);
    let half = vec![1u8; 800];
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, body.clone(), &[("a", "a/b", &half), ("b", "a/b", &half)]).await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large"), "{}", r.text);
    let four: Vec<(&str, &str, &[u8])> =
        vec![("1", "a/b", b"1"), ("2", "a/b", b"2"), ("3", "a/b", b"3"), ("4", "a/b", b"4")];
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, body.clone(), &four).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "too_many_attachments"), "{}", r.text);
    // A body far beyond the per-article limit is cut off while it is read.
    let huge = vec![0u8; 200 * 1024];
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, body.clone(), &[("huge", "a/b", &huge)]).await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{}", r.text);
    assert_eq!(h.engine.stored_file_count().await.unwrap(), 0, "nothing refused was stored");
    // Forms without the json part, with an unknown part, or with bad JSON.
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, json!("not an object"), &[]).await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "malformed_json"), "{}", r.text);
    let no_json =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n");
    let req = Request::post("/api/v1/tickets")
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(no_json))
        .unwrap();
    let r = h.raw(req).await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "malformed_multipart"), "{}", r.text);
    // Within the limits it goes through, and JSON without files still works as before.
    let r = upload(&h, "/api/v1/tickets", ADMIN_TOKEN, body.clone(), &[("a", "a/b", &half), ("b", "a/b", b"b")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = h.call("POST", "/api/v1/tickets", Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test]
async fn the_same_file_on_two_tickets_is_stored_once() {
    let h = Harness::new().await;
    let logo: &[u8] = b"\x89PNG the company logo";
    for title in ["First", "Second"] {
        let r = upload(
            &h,
            "/api/v1/tickets",
            ADMIN_TOKEN,
            json!({"title": title, "body": "b", "queue": "Raw"}),
            &[("logo.png", "image/png", logo)],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json["articles"][0]["attachments"][0]["sha256"], chamado::ContentHash::of(logo).to_string());
    }
    assert_eq!(h.engine.stored_file_count().await.unwrap(), 1);
}

/// Sends a request and returns status, headers and the raw body bytes.
trait OneshotBytes {
    async fn oneshot_bytes(self, req: axum::http::request::Builder) -> (StatusCode, axum::http::HeaderMap, Vec<u8>);
}

impl OneshotBytes for axum::Router {
    async fn oneshot_bytes(self, req: axum::http::request::Builder) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
    }
}
