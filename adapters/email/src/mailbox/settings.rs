//! The typed settings of mailbox pulling, as a host reads them from its configuration file
//! (`[mail]` with `[[mail.accounts]]` in the helpdesk's TOML): the accounts in a flat, TOML-friendly
//! form, extra root certificates and the limits every session keeps.

use super::SessionLimits;
use chamado::{AfterImport, FirstSync, MailAccount, MailCredential, MailProtocol, MailTls};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// An account setting that cannot be turned into a [`MailAccount`]. It never repeats a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mail account {account:?}: {field}: {message}")]
pub struct AccountSettingsError {
    /// The account's name (or its position when it has none).
    pub account: String,
    /// The key that is wrong.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// Mailbox pulling: the accounts and the limits. Every key has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailboxSettings {
    /// Accounts the host puts into the store at each start (the configuration wins over edits made
    /// through the API for the same name).
    pub accounts: Vec<AccountSettings>,
    /// A PEM file of extra root certificates (a self-signed or private CA's server), trusted besides
    /// the Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// How often, in seconds, the account list is read again from the store (accounts added, changed
    /// or removed through the API take effect within this time).
    pub reload_seconds: u64,
    /// Seconds for connecting, the TLS handshake and the greeting together.
    pub connect_timeout_seconds: u64,
    /// Seconds for one command's whole answer.
    pub command_timeout_seconds: u64,
    /// The largest message taken, in bytes; a larger one is counted as failed and passed over.
    pub max_message_bytes: usize,
}

impl Default for MailboxSettings {
    fn default() -> Self {
        let limits = SessionLimits::default();
        MailboxSettings {
            accounts: Vec::new(),
            ca_file: None,
            reload_seconds: 10,
            connect_timeout_seconds: limits.connect_timeout.as_secs(),
            command_timeout_seconds: limits.command_timeout.as_secs(),
            max_message_bytes: limits.max_message_bytes,
        }
    }
}

impl MailboxSettings {
    /// The limits every session keeps (zero values fall back to the defaults).
    pub fn limits(&self) -> SessionLimits {
        let d = SessionLimits::default();
        let secs = |s: u64, fallback: Duration| if s == 0 { fallback } else { Duration::from_secs(s) };
        SessionLimits {
            connect_timeout: secs(self.connect_timeout_seconds, d.connect_timeout),
            command_timeout: secs(self.command_timeout_seconds, d.command_timeout),
            max_message_bytes: if self.max_message_bytes == 0 { d.max_message_bytes } else { self.max_message_bytes },
            max_line_bytes: d.max_line_bytes,
        }
    }

    /// How often the account list is read again (at least one second).
    pub fn reload_every(&self) -> Duration {
        Duration::from_secs(self.reload_seconds.max(1))
    }

    /// Every account turned into a [`MailAccount`], or the first one that cannot be.
    pub fn to_accounts(&self) -> Result<Vec<MailAccount>, AccountSettingsError> {
        self.accounts.iter().map(AccountSettings::to_account).collect()
    }
}

/// One account in the configuration file's flat form; [`AccountSettings::to_account`] makes the
/// directory record from it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    /// Unique name (letters, digits, `.`, `_`, `-`).
    pub name: String,
    /// `imap` (default) or `pop3`.
    pub protocol: String,
    /// The server.
    pub host: String,
    /// The port; 0 or absent: the protocol's standard port under `tls`.
    pub port: u16,
    /// `implicit` (default), `starttls` or `none` (a server on this machine only).
    pub tls: String,
    /// The user name.
    pub login: String,
    /// The password (unless XOAUTH2).
    pub password: String,
    /// An OAuth2 refresh token: when set, the account logs in with SASL XOAUTH2.
    pub oauth2_refresh_token: String,
    /// The OAuth2 client id.
    pub oauth2_client_id: String,
    /// The OAuth2 client secret.
    pub oauth2_client_secret: String,
    /// The provider's token endpoint.
    pub oauth2_token_url: String,
    /// Scopes asked for on refresh (space-separated).
    pub oauth2_scope: String,
    /// The folders read (IMAP); default `["INBOX"]`.
    pub folders: Vec<String>,
    /// The queue new tickets go to.
    pub queue: String,
    /// `keep` (default), `delete` or `move` (with `move_to`).
    pub after_import: String,
    /// The folder taken messages are moved to when `after_import = "move"`.
    pub move_to: String,
    /// First synchronisation: only messages since this date (`YYYY-MM-DD`); empty: all.
    pub since: String,
    /// Seconds between checks without IDLE; 0: the default.
    pub poll_seconds: u32,
    /// Use IMAP IDLE where offered (default true).
    pub idle: bool,
    /// The provider's `authserv-id` whose `Authentication-Results` are trusted.
    pub authserv_id: String,
    /// Free text.
    pub comment: String,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings {
            name: String::new(),
            protocol: "imap".into(),
            host: String::new(),
            port: 0,
            tls: "implicit".into(),
            login: String::new(),
            password: String::new(),
            oauth2_refresh_token: String::new(),
            oauth2_client_id: String::new(),
            oauth2_client_secret: String::new(),
            oauth2_token_url: String::new(),
            oauth2_scope: String::new(),
            folders: vec!["INBOX".into()],
            queue: String::new(),
            after_import: "keep".into(),
            move_to: String::new(),
            since: String::new(),
            poll_seconds: 0,
            idle: true,
            authserv_id: String::new(),
            comment: String::new(),
        }
    }
}

impl std::fmt::Debug for AccountSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountSettings")
            .field("name", &self.name)
            .field("protocol", &self.protocol)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("login", &self.login)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

/// `imap`/`pop3` to a protocol.
pub(crate) fn parse_protocol(s: &str) -> Option<MailProtocol> {
    match s.trim().to_ascii_lowercase().as_str() {
        "imap" | "" => Some(MailProtocol::Imap),
        "pop3" | "pop" => Some(MailProtocol::Pop3),
        _ => None,
    }
}

/// `implicit`/`starttls`/`none` to a TLS mode.
pub(crate) fn parse_tls(s: &str) -> Option<MailTls> {
    match s.trim().to_ascii_lowercase().as_str() {
        "implicit" | "tls" | "" => Some(MailTls::Implicit),
        "starttls" | "stls" => Some(MailTls::Starttls),
        "none" | "plain" => Some(MailTls::None),
        _ => None,
    }
}

impl AccountSettings {
    /// The directory record. Checks what the flat form can get wrong (unknown words, a move without
    /// its folder); [`MailAccount::validate`] checks the rest when the record is stored.
    pub fn to_account(&self) -> Result<MailAccount, AccountSettingsError> {
        let err = |field: &'static str, message: &str| AccountSettingsError {
            account: self.name.clone(),
            field,
            message: message.to_string(),
        };
        let protocol = parse_protocol(&self.protocol).ok_or_else(|| err("protocol", "expected imap or pop3"))?;
        let tls = parse_tls(&self.tls).ok_or_else(|| err("tls", "expected implicit, starttls or none"))?;
        let credential = if self.oauth2_refresh_token.is_empty() {
            if self.password.is_empty() {
                return Err(err("password", "set a password or oauth2_refresh_token"));
            }
            MailCredential::Password { password: self.password.clone() }
        } else {
            if !self.password.is_empty() {
                return Err(err("password", "set a password or oauth2_refresh_token, not both"));
            }
            MailCredential::Xoauth2 {
                refresh_token: self.oauth2_refresh_token.clone(),
                client_id: self.oauth2_client_id.clone(),
                client_secret: self.oauth2_client_secret.clone(),
                token_url: self.oauth2_token_url.clone(),
                scope: self.oauth2_scope.clone(),
            }
        };
        let after_import = match self.after_import.trim().to_ascii_lowercase().as_str() {
            "keep" | "" => AfterImport::Keep,
            "delete" => AfterImport::Delete,
            "move" if !self.move_to.is_empty() => AfterImport::Move { folder: self.move_to.clone() },
            "move" => return Err(err("move_to", "after_import = \"move\" needs the folder in move_to")),
            _ => return Err(err("after_import", "expected keep, delete or move")),
        };
        let first_sync =
            if self.since.is_empty() { FirstSync::All } else { FirstSync::Since { date: self.since.clone() } };
        Ok(MailAccount {
            name: self.name.clone(),
            protocol,
            port: if self.port == 0 { protocol.default_port(tls) } else { self.port },
            host: self.host.clone(),
            tls,
            login: self.login.clone(),
            credential,
            folders: if self.folders.is_empty() { vec!["INBOX".into()] } else { self.folders.clone() },
            queue: self.queue.clone(),
            after_import,
            first_sync,
            poll_seconds: if self.poll_seconds == 0 { MailAccount::DEFAULT_POLL_SECONDS } else { self.poll_seconds },
            idle: self.idle,
            authserv_id: self.authserv_id.clone(),
            valid: true,
            comment: self.comment.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imap() -> AccountSettings {
        AccountSettings {
            name: "support".into(),
            host: "imap.example.com".into(),
            login: "support@example.com".into(),
            password: "pw".into(),
            queue: "Raw".into(),
            ..AccountSettings::default()
        }
    }

    #[test]
    fn defaults_make_a_valid_imap_account() {
        let a = imap().to_account().unwrap();
        assert_eq!(a.port, 993);
        assert_eq!(a.tls, MailTls::Implicit);
        assert_eq!(a.folders, vec!["INBOX".to_string()]);
        assert_eq!(a.after_import, AfterImport::Keep);
        assert_eq!(a.poll_seconds, MailAccount::DEFAULT_POLL_SECONDS);
        a.validate().unwrap();
    }

    #[test]
    fn pop3_starttls_gets_port_110_and_move_needs_a_folder() {
        let a = AccountSettings { protocol: "pop3".into(), tls: "starttls".into(), ..imap() }.to_account().unwrap();
        assert_eq!((a.protocol, a.port), (MailProtocol::Pop3, 110));
        let e = AccountSettings { after_import: "move".into(), ..imap() }.to_account().unwrap_err();
        assert_eq!(e.field, "move_to");
        let a = AccountSettings { after_import: "move".into(), move_to: "Done".into(), ..imap() }.to_account().unwrap();
        assert_eq!(a.after_import, AfterImport::Move { folder: "Done".into() });
    }

    #[test]
    fn oauth_and_password_exclude_each_other_and_errors_hide_secrets() {
        let both = AccountSettings { oauth2_refresh_token: "rt-secret".into(), ..imap() };
        let e = both.to_account().unwrap_err();
        assert_eq!(e.field, "password");
        assert!(!e.to_string().contains("rt-secret") && !e.to_string().contains("pw\""));
        let oauth = AccountSettings {
            password: String::new(),
            oauth2_refresh_token: "rt-xyzzy".into(),
            oauth2_client_id: "cid".into(),
            oauth2_token_url: "https://oauth2.example.com/token".into(),
            ..imap()
        };
        let a = oauth.to_account().unwrap();
        assert_eq!(a.credential.kind(), "xoauth2");
        a.validate().unwrap();
        assert!(!format!("{oauth:?}").contains("xyzzy"));
        assert_eq!(AccountSettings { tls: "ssl3".into(), ..imap() }.to_account().unwrap_err().field, "tls");
        assert_eq!(AccountSettings { protocol: "smtp".into(), ..imap() }.to_account().unwrap_err().field, "protocol");
    }

    #[test]
    fn settings_deny_unknown_keys_and_clamp_limits() {
        let s: Result<MailboxSettings, _> = serde_json::from_str(r#"{"acounts": []}"#);
        assert!(s.is_err());
        let s: MailboxSettings =
            serde_json::from_str(r#"{"accounts": [{"name": "a", "since": "2026-01-02"}], "max_message_bytes": 0}"#)
                .unwrap();
        assert_eq!(s.limits().max_message_bytes, SessionLimits::default().max_message_bytes);
        assert_eq!(s.reload_every(), Duration::from_secs(10));
        assert_eq!(s.accounts[0].folders, vec!["INBOX".to_string()]);
    }
}
