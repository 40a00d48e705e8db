//! HTTP/1.1 keep-alive connections to the helpdesk (hyper's low-level client, like `http_load`: one
//! connection per worker, no pool in between, so what is measured is the server).

use crate::error::LoadError;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;

/// One request's answer.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The whole body.
    pub body: Bytes,
}

/// One keep-alive connection.
struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Conn {
    async fn open(addr: &str) -> Result<Conn, LoadError> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|source| LoadError::Connect { addr: addr.into(), source })?;
        // Small requests and answers: without this every exchange waits for delayed ACKs.
        let _ = stream.set_nodelay(true);
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Conn { sender })
    }
}

/// A connection that reopens itself after a failure.
pub struct Client {
    addr: String,
    conn: Option<Conn>,
}

impl Client {
    /// A client for `addr` (`host:port`); it connects on first use.
    pub fn new(addr: &str) -> Client {
        Client { addr: addr.to_string(), conn: None }
    }

    /// Sends one request with a bearer token and an optional JSON body. After an error the connection
    /// is dropped and the next request opens a new one.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<String>,
    ) -> Result<Answer, LoadError> {
        let result = self.exchange(method, path, token, json).await;
        if result.is_err() {
            self.conn = None;
        }
        result
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<String>,
    ) -> Result<Answer, LoadError> {
        let conn = match &mut self.conn {
            Some(c) => c,
            None => self.conn.insert(Conn::open(&self.addr).await?),
        };
        conn.sender.ready().await?;
        let mut b = hyper::Request::builder().method(method).uri(path).header("host", &self.addr);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        if json.is_some() {
            b = b.header("content-type", "application/json");
        }
        let req = b.body(Full::new(json.map(Bytes::from).unwrap_or_default()))?;
        let res = conn.sender.send_request(req).await?;
        let status = res.status().as_u16();
        let body = res.into_body().collect().await?.to_bytes();
        Ok(Answer { status, body })
    }
}

/// `host:port` from `http://host:port[/]`; https is not supported (the helpdesk serves plain HTTP).
pub fn authority(url: &str) -> Result<String, LoadError> {
    if url.starts_with("https://") {
        return Err(LoadError::Usage(format!("{url}: only http:// URLs are supported")));
    }
    let rest = url.trim_start_matches("http://").trim_end_matches('/');
    if rest.is_empty() || rest.contains('/') {
        return Err(LoadError::Usage(format!("{url}: give the server's base URL, like http://127.0.0.1:8080")));
    }
    Ok(rest.to_string())
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A string field of a JSON answer.
pub fn json_field(body: &[u8], field: &str, what: &str) -> Result<String, LoadError> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| LoadError::Json { what: what.into(), detail: e.to_string() })?;
    v.get(field)
        .and_then(|f| f.as_str())
        .map(str::to_string)
        .ok_or_else(|| LoadError::Json { what: what.into(), detail: format!("no string field {field:?}") })
}

#[cfg(test)]
mod tests {
    use super::{authority, encode, json_field};

    #[test]
    fn authority_takes_host_and_port() {
        assert_eq!(authority("http://127.0.0.1:8080/").unwrap(), "127.0.0.1:8080");
        assert!(authority("https://x").is_err());
        assert!(authority("http://x/api").is_err());
    }

    #[test]
    fn encode_escapes_reserved_bytes() {
        assert_eq!(encode("Raw"), "Raw");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn json_field_reads_strings_only() {
        assert_eq!(json_field(br#"{"number":"2025"}"#, "number", "t").unwrap(), "2025");
        assert!(json_field(br#"{"number":1}"#, "number", "t").is_err());
        assert!(json_field(b"nope", "number", "t").is_err());
    }
}
