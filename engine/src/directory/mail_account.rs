//! A mailbox the helpdesk pulls mail from (IMAP or POP3): where it is, how to log in, which folders to
//! read, where new tickets go and what becomes of a message once it is taken.

use super::validate_name;
use crate::error::{Error, Result};
use chamado_i18n::{Message, key};
use serde::{Deserialize, Serialize};

/// The protocol a mailbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MailProtocol {
    /// IMAP4rev1, with IDLE where the server offers it.
    #[default]
    Imap,
    /// POP3 with UIDL.
    Pop3,
}

impl MailProtocol {
    /// The protocol's name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            MailProtocol::Imap => "imap",
            MailProtocol::Pop3 => "pop3",
        }
    }

    /// The protocol's standard port under `tls`.
    pub fn default_port(self, tls: MailTls) -> u16 {
        match (self, tls) {
            (MailProtocol::Imap, MailTls::Implicit) => 993,
            (MailProtocol::Imap, _) => 143,
            (MailProtocol::Pop3, MailTls::Implicit) => 995,
            (MailProtocol::Pop3, _) => 110,
        }
    }
}

/// How the connection to a mailbox is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MailTls {
    /// TLS from the first byte (`imaps`, `pop3s`).
    #[default]
    Implicit,
    /// A plain connection upgraded with `STARTTLS` (`STLS` in POP3) before logging in.
    Starttls,
    /// No TLS: only for a server on this machine (a loopback address or `localhost`).
    None,
}

impl MailTls {
    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            MailTls::Implicit => "implicit",
            MailTls::Starttls => "starttls",
            MailTls::None => "none",
        }
    }
}

/// How the helpdesk logs in to a mailbox. Secrets are stored as given (the server needs them) and never
/// shown back by the API or the console.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailCredential {
    /// `LOGIN` (IMAP) or `USER`/`PASS` (POP3).
    Password {
        /// The password.
        password: String,
    },
    /// SASL `XOAUTH2` with an access token obtained from an OAuth2 refresh token. Providers hand out a
    /// new refresh token on refresh; the helpdesk keeps the newest one (adapter state), so the one given
    /// here is only where it starts.
    Xoauth2 {
        /// The refresh token an admin obtained (consent flow outside the helpdesk).
        refresh_token: String,
        /// The OAuth2 client id.
        client_id: String,
        /// The OAuth2 client secret (empty for public clients).
        #[serde(default)]
        client_secret: String,
        /// The provider's token endpoint (`https://`; `http://` only on this machine).
        token_url: String,
        /// Scopes to ask for on refresh, space-separated; empty keeps the granted ones.
        #[serde(default)]
        scope: String,
    },
}

impl std::fmt::Debug for MailCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailCredential::Password { .. } => f.write_str("Password { .. }"),
            MailCredential::Xoauth2 { client_id, token_url, .. } => f
                .debug_struct("Xoauth2")
                .field("client_id", client_id)
                .field("token_url", token_url)
                .finish_non_exhaustive(),
        }
    }
}

impl Default for MailCredential {
    fn default() -> Self {
        MailCredential::Password { password: String::new() }
    }
}

impl MailCredential {
    /// The kind as the API spells it (`password`, `xoauth2`).
    pub fn kind(&self) -> &'static str {
        match self {
            MailCredential::Password { .. } => "password",
            MailCredential::Xoauth2 { .. } => "xoauth2",
        }
    }

    /// The same credential with every secret blanked, for showing.
    pub fn without_secrets(&self) -> MailCredential {
        match self {
            MailCredential::Password { .. } => MailCredential::Password { password: String::new() },
            MailCredential::Xoauth2 { client_id, token_url, scope, .. } => MailCredential::Xoauth2 {
                refresh_token: String::new(),
                client_id: client_id.clone(),
                client_secret: String::new(),
                token_url: token_url.clone(),
                scope: scope.clone(),
            },
        }
    }
}

/// What becomes of a message on the server once it is taken (committed). Refused messages always stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AfterImport {
    /// Left where it is (the default): the checkpoint, not a flag, says it was taken.
    #[default]
    Keep,
    /// Moved to another folder (IMAP only).
    Move {
        /// The folder.
        folder: String,
    },
    /// Deleted from the server.
    Delete,
}

impl AfterImport {
    /// The action's name as the API spells it (`keep`, `move`, `delete`).
    pub fn as_str(&self) -> &'static str {
        match self {
            AfterImport::Keep => "keep",
            AfterImport::Move { .. } => "move",
            AfterImport::Delete => "delete",
        }
    }
}

/// Which messages the first synchronisation of a folder takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum FirstSync {
    /// Every message in the folder.
    #[default]
    All,
    /// Messages that arrived on or after a date (`YYYY-MM-DD`; IMAP `SINCE`, the server's dates).
    Since {
        /// The date.
        date: String,
    },
}

/// A mailbox the helpdesk pulls mail from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailAccount {
    /// Unique name: letters, digits, `.`, `_` and `-` (it names the account's checkpoints and metrics).
    pub name: String,
    /// IMAP or POP3.
    pub protocol: MailProtocol,
    /// The server's host name or address.
    pub host: String,
    /// The server's port.
    pub port: u16,
    /// How the connection is protected.
    pub tls: MailTls,
    /// The user name to log in as.
    pub login: String,
    /// The password or OAuth2 client.
    pub credential: MailCredential,
    /// The folders read (IMAP; POP3 has only its one mailbox, `INBOX`).
    pub folders: Vec<String>,
    /// The queue new tickets from this mailbox go to.
    pub queue: String,
    /// What becomes of a taken message on the server.
    pub after_import: AfterImport,
    /// What the first synchronisation takes.
    pub first_sync: FirstSync,
    /// Seconds between checks when the server offers no IDLE (or IDLE is off), and between IDLE renewals'
    /// safety checks.
    pub poll_seconds: u32,
    /// Wait for new mail with IMAP IDLE when the server offers it.
    pub idle: bool,
    /// The `authserv-id` of the mail provider whose `Authentication-Results` headers say who sent mail
    /// in this mailbox (e.g. `mx.google.com`); empty: the host's setting. Unverified senders count as
    /// unauthenticated.
    pub authserv_id: String,
    /// Invalid accounts are not read.
    pub valid: bool,
    /// Free text.
    pub comment: String,
}

impl Default for MailAccount {
    fn default() -> Self {
        MailAccount {
            name: String::new(),
            protocol: MailProtocol::Imap,
            host: String::new(),
            port: 0,
            tls: MailTls::Implicit,
            login: String::new(),
            credential: MailCredential::default(),
            folders: vec!["INBOX".into()],
            queue: String::new(),
            after_import: AfterImport::Keep,
            first_sync: FirstSync::All,
            poll_seconds: MailAccount::DEFAULT_POLL_SECONDS,
            idle: true,
            authserv_id: String::new(),
            valid: true,
            comment: String::new(),
        }
    }
}

impl MailAccount {
    /// Seconds between checks unless set.
    pub const DEFAULT_POLL_SECONDS: u32 = 60;
    /// The shortest interval between checks (servers throttle clients that poll faster).
    pub const MIN_POLL_SECONDS: u32 = 5;
    /// The longest interval between checks.
    pub const MAX_POLL_SECONDS: u32 = 86_400;
    /// Most folders one account reads.
    pub const MAX_FOLDERS: usize = 50;

    /// The same account with its secrets blanked, for showing.
    pub fn without_secrets(&self) -> MailAccount {
        MailAccount { credential: self.credential.without_secrets(), ..self.clone() }
    }

    /// The folders actually read: the configured ones for IMAP, `INBOX` for POP3.
    pub fn read_folders(&self) -> Vec<String> {
        match self.protocol {
            MailProtocol::Imap => self.folders.clone(),
            MailProtocol::Pop3 => vec!["INBOX".into()],
        }
    }

    /// The name of the cursor ([`crate::Engine::cursor`], adapter `mail`) holding this account's
    /// checkpoint in `folder`: visible ASCII, whatever the folder is called.
    pub fn cursor_name(&self, folder: &str) -> String {
        let mut out = format!("{}/", self.name);
        for b in folder.bytes() {
            if b.is_ascii_graphic() && b != b'%' {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// True when `host` names this machine: a loopback address or `localhost`.
    pub fn is_loopback_host(host: &str) -> bool {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// Checks the fields an admin entered.
    pub fn validate(&self) -> Result<()> {
        validate_name(key("error-field-mail-account-name"), &self.name)?;
        let invalid = |k: &'static str| Err(Error::validation(Message::new(k)));
        if self.name.len() > 64 || !self.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
            return invalid(key("error-mail-account-name"));
        }
        let host_ok = !self.host.is_empty()
            && self.host.len() <= 253
            && self.host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b));
        if !host_ok {
            return invalid(key("error-mail-account-host"));
        }
        if self.port == 0 {
            return invalid(key("error-mail-account-port"));
        }
        if self.tls == MailTls::None && !MailAccount::is_loopback_host(&self.host) {
            return invalid(key("error-mail-account-tls-none"));
        }
        if self.login.is_empty() || self.login.len() > 320 || self.login.chars().any(char::is_control) {
            return invalid(key("error-mail-account-login"));
        }
        match &self.credential {
            MailCredential::Password { password } => {
                if password.is_empty() || password.len() > 1024 || password.contains(['\r', '\n', '\0']) {
                    return invalid(key("error-mail-account-password"));
                }
            }
            MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } => {
                let clean = |s: &str| s.len() <= 8192 && !s.chars().any(char::is_control);
                if refresh_token.is_empty()
                    || client_id.is_empty()
                    || ![refresh_token, client_id, client_secret, scope].iter().all(|s| clean(s))
                {
                    return invalid(key("error-mail-account-oauth"));
                }
                if !token_url_ok(token_url) {
                    return invalid(key("error-mail-account-token-url"));
                }
            }
        }
        let folders = self.read_folders();
        if folders.is_empty()
            || folders.len() > MailAccount::MAX_FOLDERS
            || !folders.iter().all(|f| folder_ok(f))
            || (1..folders.len()).any(|i| folders[..i].contains(&folders[i]))
        {
            return invalid(key("error-mail-account-folders"));
        }
        if self.protocol == MailProtocol::Pop3 && self.folders.iter().any(|f| !f.eq_ignore_ascii_case("INBOX")) {
            return invalid(key("error-mail-account-pop3-folders"));
        }
        match &self.after_import {
            AfterImport::Move { folder } => {
                if self.protocol == MailProtocol::Pop3 {
                    return invalid(key("error-mail-account-pop3-move"));
                }
                if !folder_ok(folder) || folders.contains(folder) {
                    return invalid(key("error-mail-account-move-folder"));
                }
            }
            AfterImport::Keep | AfterImport::Delete => {}
        }
        if let FirstSync::Since { date } = &self.first_sync
            && date.parse::<jiff::civil::Date>().is_err()
        {
            return invalid(key("error-mail-account-since"));
        }
        if !(MailAccount::MIN_POLL_SECONDS..=MailAccount::MAX_POLL_SECONDS).contains(&self.poll_seconds) {
            return Err(Error::validation(
                Message::new("error-mail-account-poll")
                    .arg("min", i64::from(MailAccount::MIN_POLL_SECONDS))
                    .arg("max", i64::from(MailAccount::MAX_POLL_SECONDS)),
            ));
        }
        validate_name(key("error-field-queue-name"), &self.queue)?;
        if self.authserv_id.len() > 255 || self.authserv_id.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return invalid(key("error-mail-account-authserv-id"));
        }
        Ok(())
    }
}

/// A folder name as IMAP takes it in a quoted string: no control characters, no quotes or backslashes
/// (which would need literals), not empty.
fn folder_ok(f: &str) -> bool {
    !f.is_empty() && f.len() <= 255 && !f.chars().any(|c| c.is_control() || c == '"' || c == '\\')
}

/// `https://…`, or `http://` to this machine (a token endpoint a test or a local proxy serves).
fn token_url_ok(url: &str) -> bool {
    if url.len() > 2048 || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    MailAccount::is_loopback_host(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> MailAccount {
        MailAccount {
            name: "support".into(),
            host: "imap.example.com".into(),
            port: 993,
            login: "support@example.com".into(),
            credential: MailCredential::Password { password: "s3cret".into() },
            queue: "Raw".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_account_is_valid_and_shows_no_secret() {
        let a = account();
        a.validate().unwrap();
        assert_eq!(a.without_secrets().credential, MailCredential::Password { password: String::new() });
        assert!(!format!("{a:?}").contains("s3cret"));
    }

    #[test]
    fn refuses_what_cannot_work() {
        type Change = Box<dyn Fn(&mut MailAccount)>;
        let cases: Vec<(&str, Change)> = vec![
            ("name with space", Box::new(|a| a.name = "sup port".into())),
            ("no host", Box::new(|a| a.host.clear())),
            ("host with slash", Box::new(|a| a.host = "a/b".into())),
            ("port 0", Box::new(|a| a.port = 0)),
            ("plain text to a remote host", Box::new(|a| a.tls = MailTls::None)),
            ("no password", Box::new(|a| a.credential = MailCredential::Password { password: String::new() })),
            (
                "password with newline",
                Box::new(|a| a.credential = MailCredential::Password { password: "a\r\nb".into() }),
            ),
            ("no folder", Box::new(|a| a.folders.clear())),
            ("folder twice", Box::new(|a| a.folders = vec!["INBOX".into(), "INBOX".into()])),
            ("folder with quote", Box::new(|a| a.folders = vec!["a\"b".into()])),
            ("move into a read folder", Box::new(|a| a.after_import = AfterImport::Move { folder: "INBOX".into() })),
            ("bad since", Box::new(|a| a.first_sync = FirstSync::Since { date: "2026-13-01".into() })),
            ("poll too fast", Box::new(|a| a.poll_seconds = 1)),
            ("no queue", Box::new(|a| a.queue.clear())),
            (
                "oauth over http to a remote host",
                Box::new(|a| {
                    a.credential = MailCredential::Xoauth2 {
                        refresh_token: "r".into(),
                        client_id: "c".into(),
                        client_secret: String::new(),
                        token_url: "http://oauth.example.com/token".into(),
                        scope: String::new(),
                    }
                }),
            ),
            (
                "pop3 with a folder",
                Box::new(|a| {
                    a.protocol = MailProtocol::Pop3;
                    a.folders = vec!["Sent".into()];
                }),
            ),
            (
                "pop3 moving",
                Box::new(|a| {
                    a.protocol = MailProtocol::Pop3;
                    a.after_import = AfterImport::Move { folder: "Done".into() };
                }),
            ),
        ];
        for (what, change) in cases {
            let mut a = account();
            change(&mut a);
            assert!(a.validate().is_err(), "{what} was accepted");
        }
    }

    #[test]
    fn loopback_may_go_without_tls_and_oauth_over_local_http() {
        let mut a = account();
        a.host = "127.0.0.1".into();
        a.tls = MailTls::None;
        a.credential = MailCredential::Xoauth2 {
            refresh_token: "r".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            token_url: "http://127.0.0.1:8080/token".into(),
            scope: String::new(),
        };
        a.validate().unwrap();
        let shown = a.without_secrets();
        assert!(matches!(shown.credential, MailCredential::Xoauth2 { ref refresh_token, ref client_secret, .. }
            if refresh_token.is_empty() && client_secret.is_empty()));
        for host in ["localhost", "::1", "[::1]", "127.0.0.2"] {
            assert!(MailAccount::is_loopback_host(host), "{host}");
        }
        assert!(!MailAccount::is_loopback_host("10.0.0.1"));
    }

    #[test]
    fn cursor_names_are_visible_ascii_and_distinct() {
        let a = account();
        assert_eq!(a.cursor_name("INBOX"), "support/INBOX");
        assert_eq!(a.cursor_name("Caixa de entrada"), "support/Caixa%20de%20entrada");
        assert_ne!(a.cursor_name("a%20"), a.cursor_name("a "));
        assert!(a.cursor_name("Entrée").bytes().all(|b| b.is_ascii_graphic()));
    }
}
