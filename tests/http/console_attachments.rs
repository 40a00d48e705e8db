//! Files in the agent console: replies, notes and phone tickets carry uploads (multipart forms whose
//! CSRF token is checked before any file is read), the zoom lists them with images as thumbnails, and
//! the download answers only agents who may read the ticket, with the headers that keep a file from
//! running as a page of this site.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ADMIN_TOKEN, Harness};
use console_support::{Console, attr, location, login, set_password};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

/// A PNG header and some bytes that are not UTF-8, so a lossy copy would not match.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00";

async fn setup() -> (Harness, String) {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.agent("ana", json!({"users": ["rw"]})).await;
    h.agent("nobody", json!({})).await;
    for a in ["ana", "nobody"] {
        set_password(&h.engine, a, &format!("pw-{a}")).await;
    }
    let number = h
        .open(ADMIN_TOKEN, json!({"title": "Printer", "body": "It jams.", "queue": "Raw", "customer_user": "alice"}))
        .await;
    (h, number)
}

/// The exact bytes and headers of a GET with the session's cookie.
async fn fetch(c: &Console<'_>, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let req = Request::builder().uri(path).header(header::COOKIE, &c.cookie).body(Body::empty()).unwrap();
    let res = c.h.app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The `href`s of a page's links to files, in order.
fn file_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.contains("/attachments/"))
        .map(attr)
        .collect()
}

#[tokio::test]
async fn notes_and_replies_carry_files_that_agents_download() {
    let (h, number) = setup().await;
    let zoom = format!("/agent/tickets/{number}");
    let ana = login(&h, "ana", "pw-ana").await;

    let page = ana.get(&zoom).await;
    assert!(page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("id=\"note-files\""));

    let files = [
        ("files", "screen shot.png", "image/png", PNG),
        ("files", "Relatório <1>.txt", "text/plain", "línea uno\n".as_bytes()),
    ];
    let r = ana.post_files(&format!("{zoom}/note"), true, &[("body", "see the files")], &files).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), format!("{zoom}?done=note"));

    let page = ana.get(&format!("{zoom}?done=note")).await;
    assert!(page.text.contains("The note was added."));
    let links = file_links(&page.text);
    let (png, txt) = (links[0].clone(), links.last().unwrap().clone());
    assert_ne!(png, txt);
    assert!(
        page.text.contains(&format!("<img src=\"{}\" alt=\"screen shot.png\">", png.replace('&', "&#38;"))),
        "{}",
        page.text
    );
    assert!(page.text.contains("Relatório &#60;1&#62;.txt"), "file names are escaped");
    assert_eq!(page.text.matches("<img ").count(), 1, "only images are thumbnails");

    let (status, headers, bytes) = fetch(&ana, &png).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, PNG, "the exact bytes");
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "sandbox");
    let (_, headers, bytes) = fetch(&ana, &txt).await;
    assert_eq!(bytes, "línea uno\n".as_bytes());
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"Relat_rio <1>.txt\"; filename*=UTF-8''Relat%C3%B3rio%20%3C1%3E.txt"
    );

    // A reply with an empty file input carries no file.
    let r = ana
        .post_files(
            &format!("{zoom}/reply"),
            true,
            &[("body", "on it")],
            &[("files", "", "application/octet-stream", b"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    let articles = v.json["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[1]["attachments"].as_array().unwrap().len(), 2);
    assert!(articles[2]["attachments"].as_array().unwrap().is_empty());

    // An agent who may not read the ticket gets nothing, as if nothing were there; so does a file
    // that does not exist.
    let nobody = login(&h, "nobody", "pw-nobody").await;
    let (status, _, bytes) = fetch(&nobody, &png).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!bytes.windows(4).any(|w| w == b"PNG"));
    let missing = png.rsplit_once('/').map(|(p, _)| format!("{p}/9")).unwrap();
    assert_eq!(fetch(&ana, &missing).await.0, StatusCode::NOT_FOUND);

    // The customer user sees neither the internal note nor its files, not even at the file's API URL.
    let url = articles[1]["attachments"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(h.call("GET", &url, Some(ADMIN_TOKEN), None).await.status, StatusCode::OK, "{url}");
    let token = h.login("alice").await;
    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&token), None).await;
    assert_eq!(v.status, StatusCode::OK);
    assert!(!v.text.contains("screen shot.png") && !v.text.contains("see the files"), "{}", v.text);
    let r = h.call("GET", &url, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn phone_tickets_carry_files() {
    let (h, _) = setup().await;
    let ana = login(&h, "ana", "pw-ana").await;
    let page = ana.get("/agent/tickets/new?customer_user=alice").await;
    assert!(page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("id=\"files\""));
    let fields = [
        ("customer_user", "alice"),
        ("queue", "Raw"),
        ("title", "Called in"),
        ("body", "See the log."),
        ("priority", "3"),
    ];
    let r =
        ana.post_files("/agent/tickets/new", true, &fields, &[("files", "app.log", "text/plain", b"ERROR 42\n")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let zoom = location(&r);
    let page = ana.get(&zoom).await;
    let links = file_links(&page.text);
    assert_eq!(links.len(), 1, "{}", page.text);
    assert_eq!(fetch(&ana, &links[0]).await.2, b"ERROR 42\n");
}

#[tokio::test]
async fn forged_or_oversized_uploads_are_refused_before_the_handler() {
    let (h, number) = setup().await;
    let note = format!("/agent/tickets/{number}/note");
    let ana = login(&h, "ana", "pw-ana").await;
    let file = [("files", "a.txt", "text/plain", &b"a"[..])];

    // No token, a wrong token, or a file sent before the token: 403, nothing added.
    let r = ana.post_files(&note, false, &[("body", "forged")], &file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ana.post_files(&note, false, &[("csrf", "wrong"), ("body", "forged")], &file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (body, boundary) = console_support::multipart(&[], &file);
    let mut body = body;
    body.truncate(body.len() - format!("--{boundary}--\r\n").len());
    let (tail, _) = console_support::multipart(&[("csrf", &ana.csrf), ("body", "late token")], &[]);
    body.extend_from_slice(&tail);
    let req = Request::builder()
        .method("POST")
        .uri(&note)
        .header(header::COOKIE, &ana.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(h.raw(req).await.status, StatusCode::FORBIDDEN, "a file before the token is not read");

    // The engine's limits: more files than it takes is 422 (before they are read), a file over the
    // per-file limit 413 (the engine's reason on the page), a body over the per-message limit 413 as
    // soon as it passes it.
    let limits = h.engine.config().attachments;
    let many: Vec<_> = (0..=limits.max_count).map(|_| ("files", "a.txt", "text/plain", &b"a"[..])).collect();
    let r = ana.post_files(&note, true, &[("body", "many")], &many).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("more than the limit of"), "{}", r.text);
    let octets = "application/octet-stream";
    let file = vec![b'x'; usize::try_from(limits.max_file_bytes).unwrap() + 1];
    let r = ana.post_files(&note, true, &[("body", "big")], &[("files", "big.bin", octets, &file)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(
        r.content_type.starts_with("text/html") && r.text.contains("big.bin"),
        "a page naming the file: {}",
        r.text
    );
    let huge = vec![b'x'; usize::try_from(limits.max_article_bytes).unwrap() + 128 * 1024];
    let r = ana.post_files(&note, true, &[("body", "huge")], &[("files", "huge.bin", octets, &huge)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(r.content_type.starts_with("text/html"), "the console answers with a page: {}", r.text);

    let v = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert_eq!(v.json["articles"].as_array().unwrap().len(), 1, "nothing was added");
}
