//! Sending one delivery: a signed `POST` to the subscription's URL over an HTTP client that follows no
//! redirect, uses no proxy, and connects only to addresses the SSRF guard lets through; the answer read
//! up to [`MAX_ANSWER_BYTES`] and mapped to a [`WebhookOutcome`].

use crate::resolver::{GuardedResolver, Lookup, SystemLookup};
use crate::signing::signature_header;
use crate::{WebhookError, retry_after};
use chamado::webhooks::WebhookTarget;
use chamado::{WebhookJob, WebhookOutcome};
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The most of an answer's body read (the rest is dropped with the connection): receivers have nothing
/// to say beyond a status, and a hostile one must not fill memory.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// How much of a failed answer's body is kept in the attempt's error, for admins.
const ERROR_SNIPPET_CHARS: usize = 200;

/// How the transport connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportConfig {
    /// Let requests reach private, loopback and link-local addresses (`webhooks.allow_private_targets`).
    pub allow_private_targets: bool,
    /// Connecting (and the TLS handshake) at most this long.
    pub connect_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            allow_private_targets: false,
            connect_timeout: Duration::from_secs(5),
            user_agent: crate::DEFAULT_USER_AGENT.to_string(),
        }
    }
}

/// The HTTP side of webhooks. Cloning shares the connection pool.
#[derive(Debug, Clone)]
pub struct WebhookTransport {
    client: reqwest::Client,
    allow_private: bool,
}

impl WebhookTransport {
    /// A transport resolving names with the system's resolver.
    pub fn new(config: &TransportConfig) -> Result<Self, WebhookError> {
        Self::with_lookup(config, Arc::new(SystemLookup))
    }

    /// A transport resolving names with `lookup` (a fixed table in tests, or a resolver of the host's
    /// choosing); its answers pass the SSRF guard all the same.
    pub fn with_lookup(config: &TransportConfig, lookup: Arc<dyn Lookup>) -> Result<Self, WebhookError> {
        let resolver = GuardedResolver::new(lookup, config.allow_private_targets);
        let client = reqwest::Client::builder()
            // A redirect could lead to an address the guard never saw (and a proxy would connect for us).
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(resolver))
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| WebhookError::Client(describe(&e)))?;
        Ok(WebhookTransport { client, allow_private: config.allow_private_targets })
    }

    /// Sends `job` once, giving the receiver `timeout` to answer (connecting included), and says what
    /// happened. Never fails: every problem is a [`WebhookOutcome::Failed`], to be retried.
    pub async fn send(&self, job: &WebhookJob, timeout: Duration) -> WebhookOutcome {
        let started = Instant::now();
        let failed = |error: String| WebhookOutcome::Failed {
            status: None,
            error,
            latency_ms: millis(started.elapsed()),
            retry_after: None,
        };
        let target = match WebhookTarget::parse(&job.subscription.url) {
            Ok(t) => t,
            Err(e) => return failed(e.to_string()),
        };
        // Address hosts never reach the resolver: they are checked here.
        if let Err(e) = target.check(self.allow_private) {
            return failed(e.to_string());
        }
        let timestamp = unix_seconds(SystemTime::now());
        let signature = match signature_header(&job.secrets, &job.message_id, timestamp, &job.body) {
            Ok(s) => s,
            Err(e) => return failed(e.to_string()),
        };
        let request = self
            .client
            .post(target.url)
            .timeout(timeout)
            .header("webhook-id", job.message_id.as_str())
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .header(CONTENT_TYPE, "application/json")
            .body(job.body.clone());
        let answer = match tokio::time::timeout(timeout, request.send()).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) if e.is_timeout() => return failed(timed_out(timeout)),
            Ok(Err(e)) => return failed(describe(&e)),
            Err(_) => return failed(timed_out(timeout)),
        };
        let status = answer.status().as_u16();
        let wait = answer
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after::parse(v, SystemTime::now()));
        // The status is the answer; the body is read (bounded) so the connection can serve the next
        // request, and for the error shown to admins. A body cut short changes neither.
        let left = timeout.saturating_sub(started.elapsed());
        let body = tokio::time::timeout(left, read_bounded(answer)).await.unwrap_or_default();
        let latency_ms = millis(started.elapsed());
        match status {
            200..=299 => WebhookOutcome::Delivered { status, latency_ms },
            410 => WebhookOutcome::Gone { latency_ms },
            _ => WebhookOutcome::Failed {
                status: Some(status),
                error: status_error(status, &body),
                latency_ms,
                retry_after: wait,
            },
        }
    }
}

/// At most [`MAX_ANSWER_BYTES`] of the answer's body; whatever arrived when reading fails.
async fn read_bounded(mut answer: reqwest::Response) -> Vec<u8> {
    let mut kept = Vec::new();
    while kept.len() < MAX_ANSWER_BYTES {
        match answer.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_ANSWER_BYTES - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    kept
}

/// `HTTP 503: <the start of the body>`, the body's control characters replaced.
fn status_error(status: u16, body: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(ERROR_SNIPPET_CHARS)
        .collect();
    let text = text.trim();
    if text.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {text}") }
}

fn timed_out(timeout: Duration) -> String {
    format!("no answer within {} ms", timeout.as_millis())
}

/// An error and its causes, outermost first (the client's own message seldom says what failed).
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_answers_show_the_start_of_their_body() {
        assert_eq!(status_error(500, b""), "HTTP 500");
        assert_eq!(status_error(503, b"busy\r\nnow"), "HTTP 503: busy  now");
        let long = vec![b'x'; 1000];
        assert_eq!(status_error(500, &long).len(), "HTTP 500: ".len() + ERROR_SNIPPET_CHARS);
    }
}
