//! What the mail adapter keeps about each mail account between runs and across nodes: how its pulling
//! goes (shown on the console's account page) and the newest OAuth2 tokens (a provider's refreshed
//! refresh token must survive a restart, or the account stops working when the old one expires).

use super::json::{Object, Value};
use super::keys;
use crate::engine::Engine;
use crate::error::Result;
use crate::time::Timestamp;

/// How pulling a mail account goes, as the last pass of whichever node pulled it left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailAccountStatus {
    /// Messages taken (a ticket or an article) since the account was added.
    pub imported: u64,
    /// Messages refused (unparseable, refused by the engine) since the account was added.
    pub failed: u64,
    /// When a pass last completed.
    pub last_success: Option<Timestamp>,
    /// When the last error happened.
    pub last_error_at: Option<Timestamp>,
    /// The last error (connection, login, a refused message), cleared by the next complete pass.
    pub last_error: Option<String>,
    /// Messages on the server not yet taken, as last counted.
    pub pending: Option<u64>,
}

/// The OAuth2 tokens of a mail account, as last obtained from its token endpoint.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct MailToken {
    /// The refresh token to use next (the provider's newest).
    pub refresh_token: String,
    /// The refresh token configured when these were obtained: when an admin configures another one,
    /// that one wins over what is kept here.
    pub configured: String,
    /// The current access token, if any.
    pub access_token: Option<String>,
    /// When the access token expires.
    pub expires_at: Option<Timestamp>,
}

impl std::fmt::Debug for MailToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailToken").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

fn int(v: Option<u64>) -> Value {
    v.map_or(Value::Null, |n| Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::Int(t.0))
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Str(s.to_string()))
}

fn count(o: &Object, name: &str) -> Option<u64> {
    o.int(name).and_then(|n| u64::try_from(n).ok())
}

impl Engine {
    /// The status of mail account `name`, if a pass was ever recorded.
    pub async fn mail_account_status(&self, name: &str) -> Result<Option<MailAccountStatus>> {
        let key = keys::mail_status(keys::part("a mail account name", name, true)?);
        let Some(bytes) = self.store().meta(&key).await? else { return Ok(None) };
        let Some(o) = Object::parse(&bytes) else { return Ok(None) };
        Ok(Some(MailAccountStatus {
            imported: count(&o, "imported").unwrap_or(0),
            failed: count(&o, "failed").unwrap_or(0),
            last_success: o.int("last_success").map(Timestamp),
            last_error_at: o.int("last_error_at").map(Timestamp),
            last_error: o.str("last_error").map(str::to_string),
            pending: count(&o, "pending"),
        }))
    }

    /// Records (`Some`) or forgets (`None`) the status of mail account `name`, durably.
    pub async fn set_mail_account_status(&self, name: &str, status: Option<&MailAccountStatus>) -> Result<()> {
        let key = keys::mail_status(keys::part("a mail account name", name, true)?);
        let value = status.map(|s| {
            Object::new()
                .with("imported", int(Some(s.imported)))
                .with("failed", int(Some(s.failed)))
                .with("last_success", time(s.last_success))
                .with("last_error_at", time(s.last_error_at))
                .with("last_error", text(s.last_error.as_deref()))
                .with("pending", int(s.pending))
                .to_bytes()
        });
        Ok(self.store().put_meta(&key, value).await?)
    }

    /// The OAuth2 tokens kept for mail account `name`.
    pub async fn mail_account_token(&self, name: &str) -> Result<Option<MailToken>> {
        let key = keys::mail_token(keys::part("a mail account name", name, true)?);
        let Some(bytes) = self.store().meta(&key).await? else { return Ok(None) };
        let Some(o) = Object::parse(&bytes) else { return Ok(None) };
        let (Some(refresh), Some(configured)) = (o.str("refresh_token"), o.str("configured")) else { return Ok(None) };
        Ok(Some(MailToken {
            refresh_token: refresh.to_string(),
            configured: configured.to_string(),
            access_token: o.str("access_token").map(str::to_string),
            expires_at: o.int("expires_at").map(Timestamp),
        }))
    }

    /// Keeps (`Some`) or forgets (`None`) the OAuth2 tokens of mail account `name`, durably: call it
    /// before using a refreshed token, so a crash never loses the only valid refresh token.
    pub async fn set_mail_account_token(&self, name: &str, token: Option<&MailToken>) -> Result<()> {
        let key = keys::mail_token(keys::part("a mail account name", name, true)?);
        let value = token.map(|t| {
            Object::new()
                .with("refresh_token", Value::Str(t.refresh_token.clone()))
                .with("configured", Value::Str(t.configured.clone()))
                .with("access_token", text(t.access_token.as_deref()))
                .with("expires_at", time(t.expires_at))
                .to_bytes()
        });
        Ok(self.store().put_meta(&key, value).await?)
    }
}
