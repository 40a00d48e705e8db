//! The portal's HTML over HTTP (without a browser): login, CSRF, escaping, permissions, replies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ADMIN_TOKEN, Harness, Resp};
use serde_json::json;

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

async fn post(h: &Harness, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    h.raw(
        Request::builder()
            .method("POST")
            .uri(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(fields)))
            .unwrap(),
    )
    .await
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
    let page = get(h, "/portal/login", "").await;
    let csrf_cookie = set_cookie(&page, "chamado_login_csrf").unwrap();
    let csrf_cookie = csrf_cookie.split(';').next().unwrap().to_string();
    let csrf = hidden(&page.text, "csrf");
    let pw = format!("pw-{login}");
    let r = post(h, "/portal/login", &csrf_cookie, &[("login", login), ("password", &pw), ("csrf", &csrf)]).await;
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
async fn login_needs_csrf_and_the_right_password() {
    let h = setup().await;
    let r = get(&h, "/portal/tickets", "").await;
    assert_eq!(
        (r.status, r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/portal/login"))
    );

    let page = get(&h, "/portal/login", "").await;
    assert!(page.text.contains("<label for=\"login\">") && page.text.contains("<label for=\"password\">"));
    assert!(page.text.contains("name=\"viewport\""));
    let cookie = set_cookie(&page, "chamado_login_csrf").unwrap().split(';').next().unwrap().to_string();
    let csrf = hidden(&page.text, "csrf");

    let forged =
        post(&h, "/portal/login", &cookie, &[("login", "alice"), ("password", "pw-alice"), ("csrf", "guess")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(set_cookie(&forged, "chamado_session").is_none());
    let no_cookie =
        post(&h, "/portal/login", "", &[("login", "alice"), ("password", "pw-alice"), ("csrf", &csrf)]).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);

    let wrong = post(&h, "/portal/login", &cookie, &[("login", "alice"), ("password", "nope"), ("csrf", &csrf)]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("Login or password is wrong"));
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
    assert!(list.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));

    let url = format!("/portal/tickets/{number}");
    let page = get(&h, &url, &cookie).await;
    assert!(page.text.contains("&lt;b&gt;bold?&lt;/b&gt;") && !page.text.contains("<b>bold?</b>"));
    assert!(page.text.contains("<label for=\"body\">"));
    let key = hidden(&page.text, "key");
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
