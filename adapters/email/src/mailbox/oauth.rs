//! Access tokens for XOAUTH2 accounts: the refresh-token grant against the account's token endpoint.
//!
//! Providers rotate refresh tokens (a refresh may hand out a new one and retire the old), so the newest
//! is kept in the store ([`chamado::Engine::set_mail_account_token`]) **before** the access token that
//! came with it is used: a crash then never loses the only valid refresh token. The access token is
//! reused until a minute before it expires. When an admin configures another refresh token, it wins
//! over the kept one.

use chamado::{Engine, MailAccount, MailCredential, MailToken, Timestamp};
use std::time::Duration;

/// The largest token endpoint answer read.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// An access token is renewed this long before it expires.
const RENEW_BEFORE_MS: i64 = 60_000;
/// Lifetime assumed when the endpoint does not say (`expires_in` absent).
const DEFAULT_LIFETIME_SECS: i64 = 3600;

/// Why no access token could be had.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The account logs in with a password.
    #[error("the account does not use XOAUTH2")]
    NotOAuth,
    /// The endpoint could not be reached or did not answer in time.
    #[error("token endpoint unreachable: {0}")]
    Transport(String),
    /// The endpoint refused the refresh (`error` as it said, e.g. `invalid_grant` for a revoked token).
    #[error("token endpoint refused the refresh (HTTP {status}): {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The OAuth2 error code, or `unknown`.
        error: String,
        /// Its `error_description`, if any (shortened).
        description: Option<String>,
    },
    /// The endpoint's answer was not a token response (not JSON, no `access_token`, too large).
    #[error("token endpoint answered something else: {0}")]
    BadResponse(String),
    /// The tokens could not be read or kept in the store.
    #[error("keeping the tokens: {0}")]
    Store(String),
}

/// Obtains access tokens; one per host, shared by every account.
#[derive(Clone, Debug)]
pub struct TokenClient {
    http: reqwest::Client,
}

impl TokenClient {
    /// A client that gives up on an endpoint after `timeout` and follows no redirects.
    pub fn new(timeout: Duration) -> Result<Self, OAuthError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| OAuthError::Transport(e.to_string()))?;
        Ok(TokenClient { http })
    }

    /// A valid access token for `account`: the kept one while it lasts, else a refreshed one (the
    /// tokens saved before it is returned). The refresh runs on its own task, so a session dropped
    /// meanwhile still saves what the endpoint handed out.
    pub async fn access_token(&self, engine: &Engine, account: &MailAccount) -> Result<String, OAuthError> {
        let MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } = &account.credential
        else {
            return Err(OAuthError::NotOAuth);
        };
        let kept = engine.mail_account_token(&account.name).await.map_err(|e| OAuthError::Store(e.to_string()))?;
        let current = match kept {
            Some(t) if t.configured == *refresh_token => t,
            // None kept yet, or an admin configured another token: start from the configured one.
            _ => MailToken {
                refresh_token: refresh_token.clone(),
                configured: refresh_token.clone(),
                access_token: None,
                expires_at: None,
            },
        };
        let now = engine.now();
        if let (Some(token), Some(expires)) = (&current.access_token, current.expires_at)
            && expires.0 - RENEW_BEFORE_MS > now.0
        {
            return Ok(token.clone());
        }
        let request = Refresh {
            http: self.http.clone(),
            engine: engine.clone(),
            name: account.name.clone(),
            current,
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            token_url: token_url.clone(),
            scope: scope.clone(),
        };
        tokio::spawn(request.run()).await.map_err(|e| OAuthError::Transport(format!("refresh task: {e}")))?
    }
}

struct Refresh {
    http: reqwest::Client,
    engine: Engine,
    name: String,
    current: MailToken,
    client_id: String,
    client_secret: String,
    token_url: String,
    scope: String,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct ErrorResponse {
    error: Option<String>,
    error_description: Option<String>,
}

fn shorten(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(200).collect();
    clean
}

impl Refresh {
    async fn run(self) -> Result<String, OAuthError> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", self.current.refresh_token.as_str()),
            ("client_id", self.client_id.as_str()),
        ];
        if !self.client_secret.is_empty() {
            form.push(("client_secret", self.client_secret.as_str()));
        }
        if !self.scope.is_empty() {
            form.push(("scope", self.scope.as_str()));
        }
        let mut response = self
            .http
            .post(&self.token_url)
            .header("accept", "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| OAuthError::Transport(e.without_url().to_string()))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| OAuthError::Transport(e.without_url().to_string()))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(OAuthError::BadResponse(format!("more than {MAX_RESPONSE_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            let parsed: Option<ErrorResponse> = serde_json::from_slice(&body).ok();
            let (error, description) = match parsed {
                Some(p) => (
                    p.error.as_deref().map(shorten).unwrap_or_else(|| "unknown".into()),
                    p.error_description.as_deref().map(shorten),
                ),
                None => ("unknown".into(), None),
            };
            return Err(OAuthError::Refused { status: status.as_u16(), error, description });
        }
        let parsed: TokenResponse =
            serde_json::from_slice(&body).map_err(|_| OAuthError::BadResponse("not a JSON token response".into()))?;
        let access = parsed
            .access_token
            .filter(|t| !t.is_empty() && t.len() <= 16 * 1024 && !t.chars().any(char::is_control))
            .ok_or_else(|| OAuthError::BadResponse("no usable access_token".into()))?;
        // `expires_in` is a number, though some providers send it as a string.
        let lifetime = match parsed.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_LIFETIME_SECS)
        .min(366 * 86_400);
        let refresh = parsed
            .refresh_token
            .filter(|t| !t.is_empty() && t.len() <= 8192 && !t.chars().any(char::is_control))
            .unwrap_or_else(|| self.current.refresh_token.clone());
        let now = self.engine.now();
        let kept = MailToken {
            refresh_token: refresh,
            configured: self.current.configured.clone(),
            access_token: Some(access.clone()),
            expires_at: Some(Timestamp(now.0.saturating_add(lifetime.saturating_mul(1000)))),
        };
        // Saved before use: if this fails, the access token is not used and the refresh is tried again.
        self.engine
            .set_mail_account_token(&self.name, Some(&kept))
            .await
            .map_err(|e| OAuthError::Store(e.to_string()))?;
        Ok(access)
    }
}
