//! The portal's HTML over HTTP (without a browser): login, CSRF, escaping, permissions, replies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::LinkRefusal;
use common::{ADMIN_TOKEN, Harness, Resp};
use serde_json::json;
use std::time::Duration;

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn get(h: &Harness, path: &str, cookie: &str) -> Resp {
    h.raw(Request::builder().uri(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

/// The host the test browser talks to.
const HOST: &str = "desk.example";

async fn post(h: &Harness, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    post_from(h, path, cookie, Some("http://desk.example"), fields).await
}

/// A form post as a browser sends it: to [`HOST`], from a page of `origin` (`None`: no `Origin`).
async fn post_from(h: &Harness, path: &str, cookie: &str, origin: Option<&str>, fields: &[(&str, &str)]) -> Resp {
    let mut req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(origin) = origin {
        req = req.header(header::ORIGIN, origin);
    }
    h.raw(req.body(Body::from(form_body(fields))).unwrap()).await
}

fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).unwrap();
    html[start..].split('"').next().unwrap().to_string()
}

/// Logs in through the form; returns the cookie header to send and the session's CSRF token.
async fn portal_login(h: &Harness, login: &str) -> (String, String) {
    let pw = format!("pw-{login}");
    let r = post(h, "/portal/login", "", &[("login", login), ("password", &pw)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let session = set_cookie(&r, "chamado_session").unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    let cookie = session.split(';').next().unwrap().to_string();
    let list = get(h, "/portal/tickets", &cookie).await;
    (cookie, hidden(&list.text, "csrf"))
}

async fn setup() -> Harness {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer("globex").await;
    h.customer_user("alice", "acme").await;
    h.customer_user("carol", "globex").await;
    h
}

#[tokio::test]
async fn login_needs_this_site_and_the_right_password() {
    let h = setup().await;
    let r = get(&h, "/portal/tickets", "").await;
    assert_eq!(
        (r.status, r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/portal/login"))
    );

    let page = get(&h, "/portal/login", "").await;
    assert!(page.text.contains("<label for=\"login\">") && page.text.contains("<label for=\"password\">"));
    assert!(page.text.contains("name=\"viewport\""));
    assert!(page.headers.get(header::SET_COOKIE).is_none(), "no login CSRF cookie any more");

    // A login form posted from another site's page (login CSRF) is refused, right password or not.
    let right = [("login", "alice"), ("password", "pw-alice")];
    for origin in ["http://evil.example", "null", "http://desk.example.evil.example"] {
        let forged = post_from(&h, "/portal/login", "", Some(origin), &right).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{origin}");
        assert!(set_cookie(&forged, "chamado_session").is_none());
    }

    let wrong = post(&h, "/portal/login", "", &[("login", "alice"), ("password", "nope")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("Login or password is wrong") && wrong.text.contains("role=\"alert\""));
    assert!(wrong.text.contains("value=\"alice\""), "the login typed stays in the form");
    assert!(set_cookie(&wrong, "chamado_session").is_none());

    let (session, token) = portal_login(&h, "alice").await;
    assert_eq!(get(&h, "/portal/tickets", &session).await.status, StatusCode::OK);
    // Logging out needs the CSRF token too, and then the cookie is worthless.
    assert_eq!(post(&h, "/portal/logout", &session, &[("csrf", "x")]).await.status, StatusCode::FORBIDDEN);
    let out = post(&h, "/portal/logout", &session, &[("csrf", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(get(&h, "/portal/tickets", &session).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn tickets_are_opened_listed_escaped_and_replied_to() {
    let h = setup().await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "vip"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "VIP", "group": "vip"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Strict", "group": "users", "follow_up": "reject"}))).await;
    let (cookie, csrf) = portal_login(&h, "alice").await;

    let form = get(&h, "/portal/tickets/new", &cookie).await;
    assert!(form.text.contains("<option value=\"Raw\"") && form.text.contains("<option value=\"Strict\""));
    assert!(!form.text.contains("VIP"), "queues without rw are not offered");
    for field in ["subject", "queue", "body"] {
        assert!(form.text.contains(&format!("<label for=\"{field}\">")), "{field} has a label");
    }
    let key = hidden(&form.text, "key");

    let evil = "<script>alert('x')</script> & co";
    let fields = [
        ("subject", evil),
        ("body", "line one\n<b>bold?</b>"),
        ("queue", "Strict"),
        ("service", ""),
        ("key", key.as_str()),
    ];
    let without_csrf = post(&h, "/portal/tickets/new", &cookie, &fields).await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);
    assert!(h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.is_empty());

    let mut with_csrf = fields.to_vec();
    with_csrf.push(("csrf", csrf.as_str()));
    let created = post(&h, "/portal/tickets/new", &cookie, &with_csrf).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    // A double submit of the same form opens no second ticket.
    let again = post(&h, "/portal/tickets/new", &cookie, &with_csrf).await;
    assert_eq!(again.headers.get(header::LOCATION), created.headers.get(header::LOCATION));
    let numbers = h.numbers(ADMIN_TOKEN, "?customer_user=alice").await;
    assert_eq!(numbers.len(), 1);
    let number = numbers[0].clone();

    let list = get(&h, "/portal/tickets", &cookie).await;
    assert!(list.text.contains(&number));
    assert!(!list.text.contains("<script>alert"));
    // askama escapes with numeric entities.
    assert!(list.text.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; co"), "{}", list.text);

    let url = format!("/portal/tickets/{number}");
    let page = get(&h, &url, &cookie).await;
    assert!(page.text.contains("&#60;b&#62;bold?&#60;/b&#62;") && !page.text.contains("<b>bold?</b>"));
    assert!(page.text.contains("<label for=\"body\">"));
    let key = hidden(&page.text, "key");
    let forged = post(&h, &format!("{url}/reply"), &cookie, &[("body", "forged"), ("key", &key)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let r = post(&h, &format!("{url}/reply"), &cookie, &[("body", "any news?"), ("csrf", &csrf), ("key", &key)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(get(&h, &url, &cookie).await.text.contains("any news?"));

    // An internal note is not shown; a refused reply on the closed ticket says why.
    h.admin(
        "POST",
        &format!("/api/v1/tickets/{number}/articles"),
        Some(json!({"body": "agent-only musings", "internal": true})),
    )
    .await;
    assert!(!get(&h, &url, &cookie).await.text.contains("agent-only musings"));
    h.admin("PATCH", &format!("/api/v1/tickets/{number}"), Some(json!({"state": "closed successful"}))).await;
    let refused =
        post(&h, &format!("{url}/reply"), &cookie, &[("body", "reopen!"), ("csrf", &csrf), ("key", "k2")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.text.contains("Your reply was not accepted"), "{}", refused.text);

    // Another customer sees nothing of it.
    let (carol, _) = portal_login(&h, "carol").await;
    let other = get(&h, &url, &carol).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.text.contains("script") && !other.text.contains("bold"));
    assert!(!get(&h, "/portal/tickets", &carol).await.text.contains(&number));
}

#[tokio::test]
async fn a_refused_new_ticket_comes_back_filled_and_escaped() {
    let h = setup().await;
    let (cookie, csrf) = portal_login(&h, "alice").await;
    let form = get(&h, "/portal/tickets/new", &cookie).await;
    assert!(form.text.contains("href=\"/portal/tickets/new\" aria-current=\"page\""), "{}", form.text);
    let key = hidden(&form.text, "key");
    let evil = "\"><script>alert(1)</script>";
    let fields =
        [("subject", evil), ("body", "</textarea><b>x</b>"), ("queue", "Nowhere"), ("key", &key), ("csrf", &csrf)];
    let refused = post(&h, "/portal/tickets/new", &cookie, &fields).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.text.contains("role=\"alert\""), "{}", refused.text);
    assert!(!refused.text.contains("<script>") && !refused.text.contains("</textarea><b>"), "{}", refused.text);
    assert!(refused.text.contains("value=\"&#34;&#62;&#60;script&#62;alert(1)"), "the subject stays, escaped");
    assert!(refused.text.contains("&#60;/textarea&#62;&#60;b&#62;x"), "the message stays, escaped");
    assert_eq!(hidden(&refused.text, "key"), key, "the same form keeps its idempotency key");
    assert!(h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.is_empty());
}

fn link_code(html: &str) -> String {
    let marker = "id=\"link-code\">";
    let start = html.find(marker).map(|i| i + marker.len()).unwrap();
    html[start..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn a_telegram_link_code_is_issued_to_the_signed_in_customer_user() {
    let h = setup().await;
    let (cookie, csrf) = portal_login(&h, "alice").await;
    let page = get(&h, "/portal/link-telegram", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("href=\"/portal/link-telegram\" aria-current=\"page\""), "{}", page.text);
    assert!(!page.text.contains("id=\"link-code\""), "GET issues nothing");
    let list = get(&h, "/portal/tickets", &cookie).await;
    assert!(list.text.contains("href=\"/portal/link-telegram\">Link Telegram</a>"), "a nav link on every page");

    // No code without the session's CSRF token.
    let forged = post(&h, "/portal/link-telegram", &cookie, &[("csrf", "guess")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged.text.contains("id=\"link-code\""));

    let issued = post(&h, "/portal/link-telegram", &cookie, &[("csrf", &csrf)]).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text);
    let first = link_code(&issued.text);
    assert_eq!(first.len(), 10, "{first}");
    assert!(issued.text.contains(&format!("/link {first}")), "{}", issued.text);
    // 15 minutes after 2026-11-27 22:37:52 UTC, in the system's zone and the page's format.
    assert!(issued.text.contains("until 2026-11-27 22:52."), "the expiry is shown: {}", issued.text);

    // A second code ten minutes later is another code; by the engine's rules each works once, until
    // its own expiry, so the first is dead five minutes after that and the second still works.
    h.clock.advance(Duration::from_secs(10 * 60));
    let second = link_code(&post(&h, "/portal/link-telegram", &cookie, &[("csrf", &csrf)]).await.text);
    assert_ne!(first, second);
    h.clock.advance(Duration::from_secs(6 * 60));
    assert_eq!(h.engine.redeem_link_code("telegram", &first, "tg:42").await.unwrap(), Err(LinkRefusal::InvalidCode));
    assert_eq!(h.engine.redeem_link_code("telegram", &second, "tg:42").await.unwrap().as_deref(), Ok("alice"));
    let bound = h.engine.customer_user_by_identity("tg:42").await.unwrap().unwrap();
    assert_eq!(bound.login, "alice");
    assert_eq!(h.engine.redeem_link_code("telegram", &second, "tg:43").await.unwrap(), Err(LinkRefusal::InvalidCode));

    // Carol's code links to carol, not to the customer user who asked first.
    let (carol, carol_csrf) = portal_login(&h, "carol").await;
    let hers = link_code(&post(&h, "/portal/link-telegram", &carol, &[("csrf", &carol_csrf)]).await.text);
    assert_eq!(h.engine.redeem_link_code("telegram", &hers, "tg:44").await.unwrap().as_deref(), Ok("carol"));
}

const BOUNDARY: &str = "portal-test-boundary-51c2";

/// A part of a `multipart/form-data` body: a text field or a file `(name, file name, type, bytes)`.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// A multipart form post as a browser sends it.
async fn post_multipart(h: &Harness, path: &str, cookie: &str, parts: &[Part<'_>]) -> Resp {
    let mut body = Vec::new();
    for part in parts {
        match part {
            Part::Text(name, value) => body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            ),
            Part::File(name, file, content_type, data) => {
                body.extend_from_slice(
                    format!(
                        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(data);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(body))
        .unwrap();
    h.raw(req).await
}

/// The download links of a ticket page, in order.
fn file_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|href| href.contains("/attachments/"))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn files_go_up_with_a_new_ticket_and_a_reply_and_come_down_only_to_who_may_see_them() {
    let h = setup().await;
    let (cookie, csrf) = portal_login(&h, "alice").await;
    let form = get(&h, "/portal/tickets/new", &cookie).await;
    assert!(form.text.contains("enctype=\"multipart/form-data\""), "{}", form.text);
    assert!(form.text.contains("<label for=\"files\">") && form.text.contains("name=\"files\" type=\"file\" multiple"));
    let key = hidden(&form.text, "key");
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00binary\xff";
    let ticket_fields = [
        Part::Text("csrf", &csrf),
        Part::Text("key", &key),
        Part::Text("subject", "Printer jams"),
        Part::Text("queue", "Raw"),
        Part::Text("body", "Photo and log attached."),
    ];

    // A file before the CSRF token, or a wrong token, is refused before anything is kept.
    let file_first = [Part::File("files", "x.txt", "text/plain", b"x"), Part::Text("csrf", &csrf)];
    assert_eq!(post_multipart(&h, "/portal/tickets/new", &cookie, &file_first).await.status, StatusCode::FORBIDDEN);
    let forged = [Part::Text("csrf", "guess"), Part::Text("subject", "s"), Part::Text("body", "b")];
    assert_eq!(post_multipart(&h, "/portal/tickets/new", &cookie, &forged).await.status, StatusCode::FORBIDDEN);
    assert!(h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.is_empty());

    let mut parts: Vec<Part> = ticket_fields.into_iter().collect();
    parts.push(Part::File("files", "C:\\Users\\alice\\Ecrã 1.png", "image/png", png));
    parts.push(Part::File("files", "log.txt", "text/plain; charset=utf-8", b"paper jam"));
    parts.push(Part::File("files", "", "application/octet-stream", b"")); // a file input left empty
    let created = post_multipart(&h, "/portal/tickets/new", &cookie, &parts).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let number = h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.remove(0);
    let url = format!("/portal/tickets/{number}");
    let view = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    let names: Vec<&str> = view.articles[0].attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ecrã 1.png", "log.txt"]);

    // The page lists them; each link downloads the file, never rendered.
    let page = get(&h, &url, &cookie).await;
    assert!(page.text.contains("Ecrã 1.png") && page.text.contains("log.txt"), "{}", page.text);
    let links = file_links(&page.text);
    let first = view.articles[0].id.0;
    assert_eq!(
        links,
        [format!("{url}/articles/{first}/attachments/0"), format!("{url}/articles/{first}/attachments/1")]
    );
    let file =
        h.raw(Request::builder().uri(&links[0]).header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type, "image/png");
    let disposition = file.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''Ecr%C3%A3%201.png"));
    assert_eq!(file.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(file.headers.get(header::CONTENT_SECURITY_POLICY).unwrap(), "sandbox");
    assert_eq!(get(&h, &links[1], &cookie).await.text, "paper jam");

    // A reply with a file.
    let key = hidden(&page.text, "key");
    let reply = [
        Part::Text("csrf", &csrf),
        Part::Text("key", &key),
        Part::Text("body", "And the second tray."),
        Part::File("files", "tray2.txt", "text/plain", b"tray two"),
    ];
    let r = post_multipart(&h, &format!("{url}/reply"), &cookie, &reply).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = get(&h, &url, &cookie).await;
    let links = file_links(&page.text);
    assert_eq!(links.len(), 3, "{}", page.text);
    assert_eq!(get(&h, &links[2], &cookie).await.text, "tray two");

    // An internal note's file is neither listed nor served to the customer; another customer gets
    // nothing; no session, no file.
    h.raw(
        Request::builder()
            .method("POST")
            .uri(format!("/api/v1/tickets/{number}/articles"))
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{{\"body\":\"internal\",\"internal\":true}}\r\n\
                 --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"secret.txt\"\r\nContent-Type: text/plain\r\n\r\nagents only\r\n--{BOUNDARY}--\r\n"
            )))
            .unwrap(),
    )
    .await;
    let view = h.engine.ticket(&chamado::Actor::System, &number).await.unwrap();
    let note = view.articles.iter().find(|a| !a.visible_to_customer).unwrap();
    assert_eq!(note.attachments[0].name, "secret.txt");
    let page = get(&h, &url, &cookie).await;
    assert!(!page.text.contains("secret.txt") && file_links(&page.text).len() == 3);
    let hidden_file = get(&h, &format!("{url}/articles/{}/attachments/0", note.id.0), &cookie).await;
    assert_eq!(hidden_file.status, StatusCode::NOT_FOUND);
    assert!(!hidden_file.text.contains("agents only"));
    let (carol, _) = portal_login(&h, "carol").await;
    assert_eq!(get(&h, &links[0], &carol).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&h, &links[0], "").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_attachment_limits_answer_413_and_422_pages() {
    let h = setup().await;
    let (cookie, csrf) = portal_login(&h, "alice").await;
    let limits = h.engine.config().attachments;
    let fields = |csrf| vec![Part::Text("csrf", csrf), Part::Text("subject", "s"), Part::Text("body", "b")];

    let mut parts = fields(&csrf);
    for _ in 0..=limits.max_count {
        parts.push(Part::File("files", "f.txt", "text/plain", b"x"));
    }
    let r = post_multipart(&h, "/portal/tickets/new", &cookie, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.content_type.starts_with("text/html") && r.text.contains("role=\"alert\""), "{}", r.text);
    assert!(r.text.contains(&format!("more than the limit of {} per message", limits.max_count)), "{}", r.text);

    let big = vec![b'x'; usize::try_from(limits.max_file_bytes).unwrap() + 1];
    let mut parts = fields(&csrf);
    parts.push(Part::File("files", "big.bin", "application/octet-stream", &big));
    let r = post_multipart(&h, "/portal/tickets/new", &cookie, &parts).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(r.content_type.starts_with("text/html") && r.text.contains("big.bin"), "{}", r.text);
    assert!(h.numbers(ADMIN_TOKEN, "?customer_user=alice").await.is_empty());
}
