//! A small JSON client for the helpdesk's REST API (`/api/v1`): plain HTTP/1.1 (reach a remote server
//! through an SSH tunnel or a local TLS proxy), bearer token, RFC 9457 problems mapped to errors.

use crate::error::{AdminError, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The client of one server.
pub struct HttpClient {
    base: String,
    token: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// Percent-encodes one path segment or query value (everything but RFC 3986's unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl HttpClient {
    /// A client of the server at `url` (`http://host:port`, optionally with a path prefix).
    pub fn new(url: &str, token: String) -> Result<HttpClient> {
        let url = url.trim().trim_end_matches('/');
        if url.starts_with("https://") {
            return Err(AdminError::Usage(format!(
                "--url {url:?}: chamado-admin speaks plain http; reach a remote server through an SSH tunnel \
                 (ssh -L 8080:127.0.0.1:8080 host) and use --url http://127.0.0.1:8080"
            )));
        }
        let Some(rest) = url.strip_prefix("http://") else {
            return Err(AdminError::Usage(format!("--url {url:?} is not an http:// URL like http://127.0.0.1:8080")));
        };
        if rest.is_empty() || rest.starts_with('/') {
            return Err(AdminError::Usage(format!("--url {url:?} names no host")));
        }
        let check = format!("{url}/api/v1");
        check.parse::<hyper::Uri>().map_err(|e| AdminError::Usage(format!("--url {url:?} is not a valid URL: {e}")))?;
        if token.trim().is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AdminError::Usage("the API token is empty or holds spaces or non-ASCII characters".into()));
        }
        let client = Client::builder(TokioExecutor::new()).build_http();
        Ok(HttpClient { base: url.to_string(), token, client })
    }

    /// `GET /api/v1{path}`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.call(Method::GET, path, None::<&()>).await
    }

    /// `POST /api/v1{path}` with a JSON body.
    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        self.call(Method::POST, path, Some(body)).await
    }

    /// `POST /api/v1{path}` with a JSON body; the answer is ignored.
    pub async fn post_empty(&self, path: &str, body: &impl Serialize) -> Result<()> {
        self.send(Method::POST, path, Some(body)).await.map(|_| ())
    }

    /// `PATCH /api/v1{path}` with a JSON body.
    pub async fn patch<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        self.call(Method::PATCH, path, Some(body)).await
    }

    /// `PATCH /api/v1{path}` with a JSON body; the answer is ignored.
    pub async fn patch_empty(&self, path: &str, body: &impl Serialize) -> Result<()> {
        self.send(Method::PATCH, path, Some(body)).await.map(|_| ())
    }

    /// `PUT /api/v1{path}`, with a JSON body if given; the answer is ignored.
    pub async fn put(&self, path: &str, body: Option<&impl Serialize>) -> Result<()> {
        self.send(Method::PUT, path, body).await.map(|_| ())
    }

    /// `PUT /api/v1{path}` with a JSON body, reading a JSON answer.
    pub async fn put_json<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        self.call(Method::PUT, path, Some(body)).await
    }

    /// `DELETE /api/v1{path}`, reading a JSON answer.
    pub async fn delete_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.call(Method::DELETE, path, None::<&()>).await
    }

    /// `DELETE /api/v1{path}`; the answer is ignored.
    pub async fn delete(&self, path: &str) -> Result<()> {
        self.send(Method::DELETE, path, None::<&()>).await.map(|_| ())
    }

    async fn call<T: DeserializeOwned>(&self, method: Method, path: &str, body: Option<&impl Serialize>) -> Result<T> {
        let bytes = self.send(method, path, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| AdminError::BadResponse(format!("{path}: {e}")))
    }

    async fn send(&self, method: Method, path: &str, body: Option<&impl Serialize>) -> Result<Bytes> {
        let url = format!("{}/api/v1{path}", self.base);
        let mut req = Request::builder()
            .method(method)
            .uri(&url)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::ACCEPT, "application/json");
        let payload = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Bytes::from(serde_json::to_vec(b).map_err(|e| AdminError::BadResponse(e.to_string()))?)
            }
            None => Bytes::new(),
        };
        let req = req.body(Full::new(payload)).map_err(|e| AdminError::Usage(format!("{url}: {e}")))?;
        let connect = |message: String| AdminError::Connect { url: self.base.clone(), message };
        let res = tokio::time::timeout(TIMEOUT, self.client.request(req))
            .await
            .map_err(|_| connect(format!("no answer within {} seconds", TIMEOUT.as_secs())))?
            .map_err(|e| connect(describe(&e)))?;
        let status = res.status();
        let bytes = tokio::time::timeout(TIMEOUT, res.into_body().collect())
            .await
            .map_err(|_| connect("the answer did not finish in time".into()))?
            .map_err(|e| connect(e.to_string()))?
            .to_bytes();
        if status.is_success() {
            return Ok(bytes);
        }
        Err(problem(status.as_u16(), &bytes))
    }
}

/// The innermost cause of a client error (`connection refused` rather than `client error (Connect)`).
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        msg = inner.to_string();
        cur = inner.source();
    }
    msg
}

/// An error answer: RFC 9457 problem details when the server sent them, else the status and text.
fn problem(status: u16, body: &[u8]) -> AdminError {
    #[derive(serde::Deserialize)]
    struct Problem {
        #[serde(default)]
        code: String,
        #[serde(default)]
        detail: String,
    }
    match serde_json::from_slice::<Problem>(body) {
        Ok(p) if !p.detail.is_empty() => AdminError::Api { status, code: p.code, detail: p.detail },
        _ => {
            let text: String = String::from_utf8_lossy(body).chars().take(300).collect();
            let detail = if status == 401 {
                "the API token is not valid (check --token or CHAMADO_ADMIN_TOKEN)".to_string()
            } else if text.trim().is_empty() {
                "no details".to_string()
            } else {
                text.trim().to_string()
            };
            AdminError::Api { status, code: "http".into(), detail }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode("IT::Mail box/x+y"), "IT%3A%3AMail%20box%2Fx%2By");
        assert_eq!(encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode("ç"), "%C3%A7");
    }

    #[test]
    fn urls_must_be_plain_http() {
        assert!(HttpClient::new("https://x", "t".repeat(20)).is_err());
        assert!(HttpClient::new("ftp://x", "t".repeat(20)).is_err());
        assert!(HttpClient::new("http://", "t".repeat(20)).is_err());
        assert!(HttpClient::new("http://127.0.0.1:1", "bad token".into()).is_err());
    }
}
