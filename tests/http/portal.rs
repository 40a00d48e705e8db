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
    let expiry = chamado::Timestamp::from_unix_seconds(1_795_819_072).plus(Duration::from_secs(15 * 60));
    assert!(issued.text.contains(&expiry.to_string()), "the expiry is shown: {}", issued.text);

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
