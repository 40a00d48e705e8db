//! The helpdesk's REST API, as a client sees it: JSON in, JSON out, bearer tokens.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::SocketAddr;

/// A client of one helpdesk's `/api/v1`.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    /// A client of the helpdesk listening on `addr`.
    pub fn new(addr: SocketAddr) -> Api {
        Api { http: reqwest::Client::new(), base: format!("http://{addr}") }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// Whether `/healthz` answers 200 (false while the server is not up).
    pub async fn healthy(&self) -> bool {
        let res = self.http.get(format!("{}/healthz", self.base)).send().await;
        res.is_ok_and(|r| r.status() == StatusCode::OK)
    }

    /// `GET /api/v1{path}` with `token`.
    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let req = self.http.get(format!("{}/api/v1{path}", self.base)).bearer_auth(token);
        Self::answer(req).await
    }

    /// `POST /api/v1{path}` of `body` with `token` (if any) and an optional `Idempotency-Key`.
    pub async fn post(&self, token: Option<&str>, path: &str, body: &Value, key: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.post(format!("{}/api/v1{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        Self::answer(req).await
    }

    async fn answer(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let res = req.send().await.unwrap();
        let status = res.status();
        let bytes = res.bytes().await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// `PUT /api/v1{path}` of `body` with `token`.
    pub async fn put(&self, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
        let res =
            self.http.put(format!("{}/api/v1{path}", self.base)).bearer_auth(token).json(body).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A customer user's session token.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let (status, v) = self.post(None, "/sessions", &json!({"login": login, "password": password}), None).await;
        assert_eq!(status, StatusCode::CREATED, "logging in as {login}: {v}");
        v["token"].as_str().unwrap().to_string()
    }

    /// Opens a ticket; returns its number.
    pub async fn open_ticket(&self, token: &str, title: &str, body: &str, key: &str) -> String {
        let ticket = json!({"title": title, "body": body, "queue": "Raw"});
        let (status, v) = self.post(Some(token), "/tickets", &ticket, Some(key)).await;
        assert!(status.is_success(), "opening a ticket: {status} {v}");
        v["number"].as_str().unwrap().to_string()
    }

    /// Adds a reply to ticket `number` (an agent's token).
    pub async fn reply(&self, token: &str, number: &str, body: &str) {
        let (status, v) =
            self.post(Some(token), &format!("/tickets/{number}/articles"), &json!({"body": body}), None).await;
        assert_eq!(status, StatusCode::CREATED, "replying to {number}: {v}");
        assert_eq!(v["ticket"], number, "the reply went to another ticket: {v}");
    }

    /// Ticket `number` with the articles `token` may see.
    pub async fn ticket(&self, token: &str, number: &str) -> Value {
        let (status, v) = self.get(token, &format!("/tickets/{number}")).await;
        assert_eq!(status, StatusCode::OK, "ticket {number}: {v}");
        v
    }

    /// The tickets `token` may see (the first page, which is all of them here).
    pub async fn tickets(&self, token: &str) -> Vec<Value> {
        let (status, v) = self.get(token, "/tickets?limit=100").await;
        assert_eq!(status, StatusCode::OK, "listing tickets: {v}");
        v["tickets"].as_array().cloned().unwrap_or_default()
    }
}

/// The article bodies of a ticket, oldest first.
pub fn bodies(ticket: &Value) -> Vec<String> {
    let articles = ticket["articles"].as_array().cloned().unwrap_or_default();
    articles.iter().map(|a| a["body"].as_str().unwrap_or_default().to_string()).collect()
}
