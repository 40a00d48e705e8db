//! Mail accounts (IMAP and POP3 mailboxes the helpdesk pulls mail from): what an admin sends to add
//! or change one, and what the API shows. Secrets go in and never come out: an answer says only
//! whether a password, refresh token or client secret is set.
//!
//! The engine decides what is valid ([`MailAccount::validate`]); the schemas here say the same thing
//! as JSON Schema so that the OpenAPI document is exact (see [`crate::rules`]). Where the engine counts
//! bytes the schema counts characters, so the limits here are the engine's divided by four (no
//! character is longer than four bytes) and the API checks them itself ([`MailAccountIn::into_account`],
//! [`MailAccountPatch::apply`]): nothing the schema forbids is taken.

use chamado::{AfterImport, Error, FirstSync, MailAccount, MailAccountStatus, MailCredential, MailProtocol, MailTls};
use chamado_i18n::{Message, key};
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Schema,
    SchemaType, Type,
};
use utoipa::{PartialSchema, ToSchema};

/// Control characters (`char::is_control`) as the inside of a regex character class.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";
/// Control characters and white space (`char::is_whitespace`) as the inside of a character class.
const CONTROL_OR_SPACE: &str = r"\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// An account name: what `MailAccount::validate` takes (it names checkpoints and metrics).
pub const NAME_PATTERN: &str = "^[A-Za-z0-9._-]{1,64}$";
/// A server's host name or address.
pub const HOST_PATTERN: &str = r"^[A-Za-z0-9.:_\[\]-]{1,253}$";
/// An IPv4 octet without leading zeros (what Rust's address parser takes).
const OCTET: &str = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
/// The longest login, in characters (the engine's 320 bytes).
pub const LOGIN_MAX: usize = 80;
/// The longest password, in characters (the engine's 1024 bytes).
pub const PASSWORD_MAX: usize = 256;
/// The longest OAuth2 token, id, secret or scope, in characters (the engine's 8192 bytes).
pub const OAUTH_MAX: usize = 2048;
/// The longest token endpoint, in characters (the engine's 2048 bytes).
pub const TOKEN_URL_MAX: usize = 512;
/// The longest folder name, in characters (the engine's 255 bytes).
pub const FOLDER_MAX: usize = 63;
/// The longest `authserv-id`, in characters (the engine's 255 bytes).
pub const AUTHSERV_ID_MAX: usize = 63;

fn loopback_host_pattern() -> String {
    format!(r"(localhost|LOCALHOST|[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|127\.{OCTET}\.{OCTET}\.{OCTET}|::1|\[::1\])")
}

/// A date `YYYY-MM-DD` that exists (leap years included), as `jiff` parses it.
pub const DATE_PATTERN: &str = concat!(
    "^([0-9]{4}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])",
    "|[0-9]{4}-(0[469]|11)-(0[1-9]|[12][0-9]|30)",
    "|[0-9]{4}-02-(0[1-9]|1[0-9]|2[0-8])",
    "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26]|00)00)-02-29)$"
);

mod checks;
mod schema;
pub(crate) mod whole;

pub use schema::{MailAccountChanges, NewMailAccount, account_name};

/// What becomes of a message on the server once it is taken: `"keep"`, `"delete"` or
/// `{"move": "Folder"}` (IMAP only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AfterImportBody {
    /// Left where it is.
    #[default]
    Keep,
    /// Deleted from the server.
    Delete,
    /// Moved to this folder.
    Move(String),
}

impl From<AfterImportBody> for AfterImport {
    fn from(a: AfterImportBody) -> Self {
        match a {
            AfterImportBody::Keep => AfterImport::Keep,
            AfterImportBody::Delete => AfterImport::Delete,
            AfterImportBody::Move(folder) => AfterImport::Move { folder },
        }
    }
}

impl From<AfterImport> for AfterImportBody {
    fn from(a: AfterImport) -> Self {
        match a {
            AfterImport::Keep => AfterImportBody::Keep,
            AfterImport::Delete => AfterImportBody::Delete,
            AfterImport::Move { folder } => AfterImportBody::Move(folder),
        }
    }
}

/// Which messages the first synchronisation takes: `"all"` or `{"since": "YYYY-MM-DD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FirstSyncBody {
    /// Every message.
    #[default]
    All,
    /// Messages that arrived on or after this date.
    Since(String),
}

impl From<FirstSyncBody> for FirstSync {
    fn from(f: FirstSyncBody) -> Self {
        match f {
            FirstSyncBody::All => FirstSync::All,
            FirstSyncBody::Since(date) => FirstSync::Since { date },
        }
    }
}

impl From<FirstSync> for FirstSyncBody {
    fn from(f: FirstSync) -> Self {
        match f {
            FirstSync::All => FirstSyncBody::All,
            FirstSync::Since { date } => FirstSyncBody::Since(date),
        }
    }
}

/// An OAuth2 client for SASL `XOAUTH2`, as an admin sends it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OAuth2In {
    /// The refresh token (consent obtained outside the helpdesk).
    pub refresh_token: String,
    /// The client id.
    pub client_id: String,
    /// The client secret; empty for public clients.
    #[serde(default)]
    pub client_secret: String,
    /// The token endpoint (`https://`; `http://` only on this machine).
    pub token_url: String,
    /// Scopes to ask for, space-separated; empty keeps the granted ones.
    #[serde(default)]
    pub scope: String,
}

impl std::fmt::Debug for OAuth2In {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2In").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// Changes to an OAuth2 client; absent fields stay (secrets too).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Patch {
    /// A new refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// A new client secret (empty: a public client).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl std::fmt::Debug for OAuth2Patch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2Patch").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// A mail account to add. Exactly one of `password` and `oauth2`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailAccountIn {
    /// Unique name: letters, digits, `.`, `_`, `-`, at most 64.
    #[schema(schema_with = schema::account_name)]
    pub name: String,
    /// `imap` (default) or `pop3`.
    #[serde(default)]
    #[schema(schema_with = schema::protocol)]
    pub protocol: MailProtocol,
    /// The server's host name or address.
    #[schema(schema_with = schema::host)]
    pub host: String,
    /// The server's port; absent or `null`: the protocol's standard port under `tls` (993, 143, 995, 110).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::port")]
    #[schema(schema_with = schema::port_or_null)]
    pub port: Option<u16>,
    /// `implicit` (default), `starttls`, or `none` (only for a server on this machine).
    #[serde(default)]
    #[schema(schema_with = schema::tls)]
    pub tls: MailTls,
    /// The user name to log in as.
    #[schema(schema_with = schema::login)]
    pub login: String,
    /// The password (`LOGIN`, `USER`/`PASS`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[schema(schema_with = schema::password)]
    pub password: Option<String>,
    /// An OAuth2 client for `XOAUTH2`, instead of a password.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[schema(schema_with = schema::oauth2_in)]
    pub oauth2: Option<OAuth2In>,
    /// The folders read (IMAP); POP3 has only `INBOX`. Default `["INBOX"]`.
    #[serde(default = "inbox")]
    #[schema(schema_with = schema::folders)]
    pub folders: Vec<String>,
    /// The queue new tickets go to (it must exist).
    #[schema(schema_with = crate::rules::name)]
    pub queue: String,
    /// What becomes of a taken message: `"keep"` (default), `"delete"`, `{"move": "Folder"}` (IMAP).
    #[serde(default)]
    #[schema(schema_with = schema::after_import)]
    pub after_import: AfterImportBody,
    /// What the first synchronisation takes: `"all"` (default) or `{"since": "YYYY-MM-DD"}`.
    #[serde(default)]
    #[schema(schema_with = schema::first_sync)]
    pub first_sync: FirstSyncBody,
    /// Seconds between checks (5 to 86400, default 60).
    #[serde(default = "default_poll", deserialize_with = "whole::poll")]
    #[schema(schema_with = schema::poll_seconds)]
    pub poll_seconds: u32,
    /// Wait for new mail with IMAP IDLE where offered (default true).
    #[serde(default = "crate::yes")]
    pub idle: bool,
    /// The `authserv-id` whose `Authentication-Results` say who sent mail here; empty: the host's.
    #[serde(default)]
    #[schema(schema_with = schema::authserv_id)]
    pub authserv_id: String,
    /// Invalid accounts are not read (default true).
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

impl std::fmt::Debug for MailAccountIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailAccountIn").field("name", &self.name).field("host", &self.host).finish_non_exhaustive()
    }
}

/// A field that may be absent but not `null` (the schema does not allow it).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

fn inbox() -> Vec<String> {
    vec!["INBOX".into()]
}

fn default_poll() -> u32 {
    MailAccount::DEFAULT_POLL_SECONDS
}

/// An OAuth2 client as the API shows it: no secret, only whether it is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OAuth2Out {
    /// The client id.
    pub client_id: String,
    /// The token endpoint.
    pub token_url: String,
    /// Scopes.
    pub scope: String,
    /// A refresh token is configured (always, for a valid account).
    pub refresh_token_set: bool,
    /// A client secret is configured.
    pub client_secret_set: bool,
}

/// How pulling an account goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailAccountStatusOut {
    /// Messages taken since the account was added.
    pub imported: u64,
    /// Messages refused since the account was added.
    pub failed: u64,
    /// When a pass last completed (RFC 3339), or `null`.
    pub last_success: Option<String>,
    /// The last error, cleared by the next complete pass, or `null`.
    pub last_error: Option<String>,
    /// When the last error happened (RFC 3339), or `null`.
    pub last_error_at: Option<String>,
    /// Messages on the server not yet taken, as last counted, or `null`.
    pub pending: Option<u64>,
}

impl From<MailAccountStatus> for MailAccountStatusOut {
    fn from(s: MailAccountStatus) -> Self {
        MailAccountStatusOut {
            imported: s.imported,
            failed: s.failed,
            last_success: s.last_success.map(|t| t.to_string()),
            last_error: s.last_error,
            last_error_at: s.last_error_at.map(|t| t.to_string()),
            pending: s.pending,
        }
    }
}

/// A mail account as the API shows it: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailAccountOut {
    /// Name.
    pub name: String,
    /// `imap` or `pop3`.
    #[schema(schema_with = schema::protocol)]
    pub protocol: MailProtocol,
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `implicit`, `starttls` or `none`.
    #[schema(schema_with = schema::tls)]
    pub tls: MailTls,
    /// Login.
    pub login: String,
    /// A password is set (the account logs in with a password).
    pub password_set: bool,
    /// The OAuth2 client, when the account logs in with `XOAUTH2`; else `null`.
    pub oauth2: Option<OAuth2Out>,
    /// Folders read.
    pub folders: Vec<String>,
    /// Queue.
    pub queue: String,
    /// `"keep"`, `"delete"` or `{"move": "Folder"}`.
    #[schema(schema_with = schema::after_import)]
    pub after_import: AfterImportBody,
    /// `"all"` or `{"since": "YYYY-MM-DD"}`.
    #[schema(schema_with = schema::first_sync)]
    pub first_sync: FirstSyncBody,
    /// Seconds between checks.
    pub poll_seconds: u32,
    /// IMAP IDLE on.
    pub idle: bool,
    /// `authserv-id`.
    pub authserv_id: String,
    /// Valid or not.
    pub valid: bool,
    /// Free text.
    pub comment: String,
    /// How pulling it goes.
    pub status: MailAccountStatusOut,
}

impl MailAccountOut {
    /// `account` as shown, with its `status` (if a pass was ever recorded).
    pub fn new(account: MailAccount, status: Option<MailAccountStatus>) -> Self {
        let (password_set, oauth2) = match &account.credential {
            MailCredential::Password { password } => (!password.is_empty(), None),
            MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } => (
                false,
                Some(OAuth2Out {
                    client_id: client_id.clone(),
                    token_url: token_url.clone(),
                    scope: scope.clone(),
                    refresh_token_set: !refresh_token.is_empty(),
                    client_secret_set: !client_secret.is_empty(),
                }),
            ),
        };
        MailAccountOut {
            name: account.name,
            protocol: account.protocol,
            host: account.host,
            port: account.port,
            tls: account.tls,
            login: account.login,
            password_set,
            oauth2,
            folders: account.folders,
            queue: account.queue,
            after_import: account.after_import.into(),
            first_sync: account.first_sync.into(),
            poll_seconds: account.poll_seconds,
            idle: account.idle,
            authserv_id: account.authserv_id,
            valid: account.valid,
            comment: account.comment,
            status: status.map(MailAccountStatusOut::from).unwrap_or_default(),
        }
    }
}

/// Mail accounts found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MailAccountList {
    /// In name order.
    pub mail_accounts: Vec<MailAccountOut>,
}

/// Changes to a mail account (JSON merge patch): absent or `null` fields stay, secrets too. A
/// `password` switches an OAuth2 account to a password; an `oauth2` object switches a password account
/// to OAuth2 (then `refresh_token`, `client_id` and `token_url` are needed) or changes the given fields
/// of the OAuth2 client. Not both.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailAccountPatch {
    /// `imap` or `pop3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::protocol_or_null)]
    pub protocol: Option<MailProtocol>,
    /// Host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::host_or_null)]
    pub host: Option<String>,
    /// Port. When absent and the protocol or TLS changes, a standard port follows the change.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::port")]
    #[schema(schema_with = schema::port_or_null)]
    pub port: Option<u16>,
    /// `implicit`, `starttls` or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::tls_or_null)]
    pub tls: Option<MailTls>,
    /// Login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::login_or_null)]
    pub login: Option<String>,
    /// A new password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::password_or_null)]
    pub password: Option<String>,
    /// OAuth2 client changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::oauth2_patch_or_null)]
    pub oauth2: Option<OAuth2Patch>,
    /// Folders read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::folders_or_null)]
    pub folders: Option<Vec<String>>,
    /// Queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub queue: Option<String>,
    /// `"keep"`, `"delete"` or `{"move": "Folder"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::after_import_or_null)]
    pub after_import: Option<AfterImportBody>,
    /// `"all"` or `{"since": "YYYY-MM-DD"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::first_sync_or_null)]
    pub first_sync: Option<FirstSyncBody>,
    /// Seconds between checks.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::poll_or_null")]
    #[schema(schema_with = schema::poll_seconds_or_null)]
    pub poll_seconds: Option<u32>,
    /// IMAP IDLE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle: Option<bool>,
    /// `authserv-id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = schema::authserv_id_or_null)]
    pub authserv_id: Option<String>,
    /// Valid or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl std::fmt::Debug for MailAccountPatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailAccountPatch").field("host", &self.host).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_may_be_written_as_whole_floats_and_patches_are_checked_alone() {
        let p: MailAccountPatch =
            serde_json::from_value(serde_json::json!({"port": 995.0, "poll_seconds": 30.0})).unwrap();
        assert_eq!((p.port, p.poll_seconds), (Some(995), Some(30)));
        assert!(serde_json::from_value::<MailAccountPatch>(serde_json::json!({"port": 99.5})).is_err());
        assert!(serde_json::from_value::<MailAccountPatch>(serde_json::json!({"port": 70000})).is_err());
        let alone = |v: serde_json::Value| serde_json::from_value::<MailAccountPatch>(v).unwrap().check_alone();
        alone(serde_json::json!({"tls": "none"})).unwrap();
        alone(serde_json::json!({"protocol": "pop3"})).unwrap();
        alone(serde_json::json!({"oauth2": {"client_id": "c"}})).unwrap();
        alone(serde_json::json!({"after_import": {"move": "INBOX"}})).unwrap();
        assert!(alone(serde_json::json!({"protocol": "pop3", "after_import": {"move": "Done"}})).is_err());
        assert!(alone(serde_json::json!({"tls": "none", "host": "imap.example.com"})).is_err());
        assert!(alone(serde_json::json!({"password": "p", "oauth2": {"client_id": "c"}})).is_err());
        assert!(alone(serde_json::json!({"folders": ["a", "a"]})).is_err());
    }

    #[test]
    fn bodies_read_as_documented() {
        let b: MailAccountIn = serde_json::from_value(serde_json::json!({
            "name": "support", "host": "imap.example.com", "login": "s", "password": "p", "queue": "Raw",
            "after_import": {"move": "Done"}, "first_sync": {"since": "2026-01-31"}
        }))
        .unwrap();
        let a = b.into_account().unwrap();
        assert_eq!(a.port, 993);
        assert_eq!(a.after_import, AfterImport::Move { folder: "Done".into() });
        assert_eq!(a.first_sync, FirstSync::Since { date: "2026-01-31".into() });
        let out = serde_json::to_value(MailAccountOut::new(a, None)).unwrap();
        assert_eq!(out["after_import"], serde_json::json!({"move": "Done"}));
        assert_eq!(out["password_set"], true);
        assert!(!out.to_string().contains("\"p\""));
    }
}
