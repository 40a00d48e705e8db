//! A test harness: an engine on the memory store behind the router, driven without a network.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, Engine, FixedClock, MemoryStore, Timestamp};
use chamado_http::{HttpConfig, ThrottleConfig};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

pub struct Harness {
    pub app: Router,
    pub engine: Engine,
    pub clock: Arc<FixedClock>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or("")
    }
}

/// Every surface, finished as the helpdesk host finishes them: the API and the pages on one state.
pub fn full_router(engine: Engine, config: HttpConfig) -> Router {
    let metrics = config.metrics.then(|| chamado_runtime::Metrics::new(&engine));
    let surfaces = chamado_api::routes().merge(chamado_web::routes());
    chamado_http::compose(surfaces, chamado_http::AppState::new(engine, config), metrics.as_ref())
}

pub fn test_config() -> HttpConfig {
    HttpConfig {
        max_body_bytes: 64 * 1024,
        login_throttle: ThrottleConfig {
            free_attempts: 3,
            client_free_attempts: 20,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(2),
            window: Duration::from_secs(60),
        },
        ..HttpConfig::default()
    }
}

impl Harness {
    pub async fn new() -> Self {
        Self::with_config(test_config()).await
    }

    pub async fn with_config(config: HttpConfig) -> Self {
        let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(1_795_819_072)));
        let engine = Engine::builder(MemoryStore::new()).clock(clock.clone()).build().unwrap();
        engine.seed_defaults("admin").await.unwrap();
        let admin = engine.admin(&Actor::System).await.unwrap();
        chamado_http::auth::agent_token::install(&admin, "admin", ADMIN_TOKEN).await.unwrap();
        let app = full_router(engine.clone(), config);
        Harness { app, engine, clock }
    }

    pub async fn raw(&self, req: Request<Body>) -> Resp {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, content_type, headers, text, json }
    }

    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        self.call_with(method, path, token, body, &[]).await
    }

    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.raw(req).await
    }

    pub async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let r = self.call(method, path, Some(ADMIN_TOKEN), body).await;
        assert!(r.status.is_success(), "{method} {path}: {} {}", r.status, r.text);
        r
    }

    pub async fn customer(&self, id: &str) {
        self.admin("POST", "/api/v1/customers", Some(json!({"id": id, "name": format!("{id} Inc.")}))).await;
    }

    pub async fn customer_user(&self, login: &str, customer: &str) {
        self.admin(
            "POST",
            "/api/v1/customer-users",
            Some(json!({"login": login, "email": format!("{login}@{customer}.example"), "first_name": login,
                "last_name": "Tester", "customer_id": customer, "password": format!("pw-{login}")})),
        )
        .await;
    }

    /// Logs a customer user in (password `pw-<login>`), returning the session token.
    pub async fn login(&self, login: &str) -> String {
        let r = self
            .call("POST", "/api/v1/sessions", None, Some(json!({"login": login, "password": format!("pw-{login}")})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json["token"].as_str().unwrap().to_string()
    }

    /// Adds an agent with group permissions, returning its token.
    pub async fn agent(&self, login: &str, groups: Value) -> String {
        let r = self
            .admin("POST", "/api/v1/agents", Some(json!({"login": login, "first_name": login, "groups": groups})))
            .await;
        r.json["token"].as_str().unwrap().to_string()
    }

    /// Opens a ticket, asserting 201, returning its number.
    pub async fn open(&self, token: &str, body: Value) -> String {
        let r = self.call("POST", "/api/v1/tickets", Some(token), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json["number"].as_str().unwrap().to_string()
    }

    pub async fn numbers(&self, token: &str, query: &str) -> Vec<String> {
        let r = self.call("GET", &format!("/api/v1/tickets{query}"), Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap().to_string()).collect()
    }
}

pub fn ticket(title: &str, queue: &str) -> Value {
    json!({"title": title, "body": format!("body of {title}"), "queue": queue})
}
