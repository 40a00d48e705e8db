//! The ticket history in the console zoom reads in the agent's language: a Portuguese-speaking agent
//! reads it in Portuguese, anyone else in English, while the API keeps the English text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, Preferences};
use common::{Harness, Resp};
use console_support::{HOST, enc, set_cookie, set_password};
use serde_json::json;

/// A request as a browser sends it: to [`HOST`] from its own pages, with a cookie and a language.
async fn send(h: &Harness, method: &str, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let body = if method == "POST" {
        b = b
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
    } else {
        String::new()
    };
    h.raw(b.body(Body::from(body)).unwrap()).await
}

/// An agent `login` with a password, signed in through the console's form; returns the session cookie.
async fn agent_session(h: &Harness, login: &str) -> String {
    h.agent(login, json!({"users": ["rw"]})).await;
    let pw = format!("pw-{login}");
    set_password(&h.engine, login, &pw).await;
    let r = send(h, "POST", "/agent/login", None, &[("login", login), ("password", &pw)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    set_cookie(&r, "chamado_agent_session").unwrap()
}

/// A ticket of alice's, moved from new to open; returns its number.
async fn ticket_with_history(h: &Harness) -> String {
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let token = h.login("alice").await;
    let number = h.open(&token, json!({"title": "Impressora", "body": "Não imprime.", "queue": "Raw"})).await;
    let r = h.admin("PATCH", &format!("/api/v1/tickets/{number}"), Some(json!({"state": "open"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    number
}

#[tokio::test]
async fn the_zoom_history_reads_in_the_agents_language() {
    let h = Harness::new().await;
    let number = ticket_with_history(&h).await;

    let maria = agent_session(&h, "maria").await;
    let prefs = Preferences { language: Some("pt-BR".into()), time_zone: None };
    h.engine.set_own_preferences(&Actor::Agent("maria".into()), prefs).await.unwrap();
    let zoom = send(&h, "GET", &format!("/agent/tickets/{number}"), Some(&maria), &[]).await;
    assert_eq!(zoom.status, StatusCode::OK, "{}", zoom.text);
    for words in [format!("chamado {number} criado na fila Raw por "), "estado alterado de new para open".into()] {
        assert!(zoom.text.contains(&words), "{words}: {}", zoom.text);
    }
    assert!(!zoom.text.contains("opened in queue"), "English left in the history: {}", zoom.text);

    let joao = agent_session(&h, "joao").await;
    let zoom = send(&h, "GET", &format!("/agent/tickets/{number}"), Some(&joao), &[]).await;
    assert_eq!(zoom.status, StatusCode::OK, "{}", zoom.text);
    for words in [format!("ticket {number} opened in queue Raw by "), "state new -&#62; open".into()] {
        assert!(zoom.text.contains(&words), "{words}: {}", zoom.text);
    }
    assert!(!zoom.text.contains("criado na fila"), "Portuguese in an English history: {}", zoom.text);
}
