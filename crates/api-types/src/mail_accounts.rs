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

// ---- the shapes -------------------------------------------------------------------------------

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
    #[schema(schema_with = account_name)]
    pub name: String,
    /// `imap` (default) or `pop3`.
    #[serde(default)]
    #[schema(schema_with = protocol)]
    pub protocol: MailProtocol,
    /// The server's host name or address.
    #[schema(schema_with = host)]
    pub host: String,
    /// The server's port; absent or `null`: the protocol's standard port under `tls` (993, 143, 995, 110).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::port")]
    #[schema(schema_with = port_or_null)]
    pub port: Option<u16>,
    /// `implicit` (default), `starttls`, or `none` (only for a server on this machine).
    #[serde(default)]
    #[schema(schema_with = tls)]
    pub tls: MailTls,
    /// The user name to log in as.
    #[schema(schema_with = login)]
    pub login: String,
    /// The password (`LOGIN`, `USER`/`PASS`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[schema(schema_with = password)]
    pub password: Option<String>,
    /// An OAuth2 client for `XOAUTH2`, instead of a password.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[schema(schema_with = oauth2_in)]
    pub oauth2: Option<OAuth2In>,
    /// The folders read (IMAP); POP3 has only `INBOX`. Default `["INBOX"]`.
    #[serde(default = "inbox")]
    #[schema(schema_with = folders)]
    pub folders: Vec<String>,
    /// The queue new tickets go to (it must exist).
    #[schema(schema_with = crate::rules::name)]
    pub queue: String,
    /// What becomes of a taken message: `"keep"` (default), `"delete"`, `{"move": "Folder"}` (IMAP).
    #[serde(default)]
    #[schema(schema_with = after_import)]
    pub after_import: AfterImportBody,
    /// What the first synchronisation takes: `"all"` (default) or `{"since": "YYYY-MM-DD"}`.
    #[serde(default)]
    #[schema(schema_with = first_sync)]
    pub first_sync: FirstSyncBody,
    /// Seconds between checks (5 to 86400, default 60).
    #[serde(default = "default_poll", deserialize_with = "whole::poll")]
    #[schema(schema_with = poll_seconds)]
    pub poll_seconds: u32,
    /// Wait for new mail with IMAP IDLE where offered (default true).
    #[serde(default = "crate::yes")]
    pub idle: bool,
    /// The `authserv-id` whose `Authentication-Results` say who sent mail here; empty: the host's.
    #[serde(default)]
    #[schema(schema_with = authserv_id)]
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

/// Integers as JSON Schema counts them: `367.0` is the integer 367 (schemathesis sends such).
mod whole {
    use serde::de::{Deserialize, Deserializer, Error, Visitor};

    /// A non-negative whole number, written as an integer or as a float without a fraction.
    struct Whole(u64);

    impl<'de> Deserialize<'de> for Whole {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Whole;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a non-negative integer")
                }
                fn visit_u64<E: Error>(self, v: u64) -> Result<Whole, E> {
                    Ok(Whole(v))
                }
                fn visit_i64<E: Error>(self, v: i64) -> Result<Whole, E> {
                    u64::try_from(v).map(Whole).map_err(|_| E::custom("a non-negative integer"))
                }
                fn visit_f64<E: Error>(self, v: f64) -> Result<Whole, E> {
                    if v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        Ok(Whole(v as u64))
                    } else {
                        Err(E::custom("a non-negative integer"))
                    }
                }
            }
            d.deserialize_any(V)
        }
    }

    fn narrow<T: TryFrom<u64>, E: Error>(w: Whole) -> Result<T, E> {
        T::try_from(w.0).map_err(|_| E::custom("an integer out of range"))
    }

    /// A port, or `null`.
    pub fn port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        Option::<Whole>::deserialize(d)?.map(narrow).transpose()
    }

    /// Seconds.
    pub fn poll<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        narrow(Whole::deserialize(d)?)
    }

    /// Seconds, or `null`.
    pub fn poll_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Option::<Whole>::deserialize(d)?.map(narrow).transpose()
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
    #[schema(schema_with = protocol)]
    pub protocol: MailProtocol,
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `implicit`, `starttls` or `none`.
    #[schema(schema_with = tls)]
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
    #[schema(schema_with = after_import)]
    pub after_import: AfterImportBody,
    /// `"all"` or `{"since": "YYYY-MM-DD"}`.
    #[schema(schema_with = first_sync)]
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
    #[schema(schema_with = protocol_or_null)]
    pub protocol: Option<MailProtocol>,
    /// Host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = host_or_null)]
    pub host: Option<String>,
    /// Port. When absent and the protocol or TLS changes, a standard port follows the change.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::port")]
    #[schema(schema_with = port_or_null)]
    pub port: Option<u16>,
    /// `implicit`, `starttls` or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = tls_or_null)]
    pub tls: Option<MailTls>,
    /// Login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = login_or_null)]
    pub login: Option<String>,
    /// A new password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = password_or_null)]
    pub password: Option<String>,
    /// OAuth2 client changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = oauth2_patch_or_null)]
    pub oauth2: Option<OAuth2Patch>,
    /// Folders read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = folders_or_null)]
    pub folders: Option<Vec<String>>,
    /// Queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub queue: Option<String>,
    /// `"keep"`, `"delete"` or `{"move": "Folder"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = after_import_or_null)]
    pub after_import: Option<AfterImportBody>,
    /// `"all"` or `{"since": "YYYY-MM-DD"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = first_sync_or_null)]
    pub first_sync: Option<FirstSyncBody>,
    /// Seconds between checks.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::poll_or_null")]
    #[schema(schema_with = poll_seconds_or_null)]
    pub poll_seconds: Option<u32>,
    /// IMAP IDLE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle: Option<bool>,
    /// `authserv-id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = authserv_id_or_null)]
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

// ---- the API's own checks (what the schema says beyond the engine) -----------------------------

fn refuse(k: &'static str) -> Error {
    Error::validation(Message::new(k))
}

fn chars_max(s: &str, max: usize) -> bool {
    s.chars().count() <= max
}

fn check_login(s: &str) -> Result<(), Error> {
    if chars_max(s, LOGIN_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-login"))) }
}

fn check_password(s: &str) -> Result<(), Error> {
    if chars_max(s, PASSWORD_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-password"))) }
}

fn check_authserv_id(s: &str) -> Result<(), Error> {
    if chars_max(s, AUTHSERV_ID_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-authserv-id"))) }
}

fn check_folders(folders: &[String]) -> Result<(), Error> {
    // The schema's rules hold whatever the protocol (POP3 reads only INBOX, but what is stored is
    // still a list of folders).
    let ok = !folders.is_empty()
        && folders.len() <= MailAccount::MAX_FOLDERS
        && folders.iter().all(|f| chars_max(f, FOLDER_MAX))
        && (1..folders.len()).all(|i| !folders[..i].contains(&folders[i]));
    if ok { Ok(()) } else { Err(refuse(key("error-mail-account-folders"))) }
}

fn check_after_import(a: &AfterImportBody) -> Result<(), Error> {
    match a {
        AfterImportBody::Move(folder) if !chars_max(folder, FOLDER_MAX) => {
            Err(refuse(key("error-mail-account-move-folder")))
        }
        _ => Ok(()),
    }
}

fn check_first_sync(f: &FirstSyncBody) -> Result<(), Error> {
    match f {
        // jiff also reads other spellings (`20260131`); the API takes the one the schema names.
        FirstSyncBody::Since(date) if !date_shape_ok(date) => Err(refuse(key("error-mail-account-since"))),
        _ => Ok(()),
    }
}

/// `YYYY-MM-DD` with digits where the pattern has them (the calendar is jiff's to check).
fn date_shape_ok(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn check_oauth(o: &MailCredential) -> Result<(), Error> {
    if let MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } = o {
        if ![refresh_token, client_id, client_secret, scope].iter().all(|s| chars_max(s, OAUTH_MAX)) {
            return Err(refuse(key("error-mail-account-oauth")));
        }
        if !chars_max(token_url, TOKEN_URL_MAX) || !token_url_shape_ok(token_url) {
            return Err(refuse(key("error-mail-account-token-url")));
        }
    }
    Ok(())
}

/// A loopback host spelled as the schema lists it (the engine also takes other spellings of `::1`).
fn loopback_spelling_ok(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "::1" || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// The token endpoint as the schema's pattern takes it: `https://` and more, or `http://` to a
/// loopback host with an optional port and path.
fn token_url_shape_ok(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let (authority, _) = rest.split_once('/').unwrap_or((rest, ""));
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && h != ":" && !h.is_empty() => h,
        _ => authority,
    };
    host != "::1" && loopback_spelling_ok(host)
}

fn check_host_for_tls(host: &str, tls: MailTls) -> Result<(), Error> {
    if tls == MailTls::None && !loopback_spelling_ok(host) {
        return Err(refuse(key("error-mail-account-tls-none")));
    }
    Ok(())
}

fn check_account(a: &MailAccount) -> Result<(), Error> {
    check_login(&a.login)?;
    if let MailCredential::Password { password } = &a.credential {
        check_password(password)?;
    }
    check_oauth(&a.credential)?;
    check_folders(&a.folders)?;
    check_after_import(&a.after_import.clone().into())?;
    check_first_sync(&a.first_sync.clone().into())?;
    check_authserv_id(&a.authserv_id)?;
    check_host_for_tls(&a.host, a.tls)
}

impl MailAccountIn {
    /// The account to store, after the API's own checks (the engine checks the rest when it is put).
    pub fn into_account(self) -> Result<MailAccount, Error> {
        let credential = match (self.password, self.oauth2) {
            (Some(password), None) => MailCredential::Password { password },
            (None, Some(o)) => MailCredential::Xoauth2 {
                refresh_token: o.refresh_token,
                client_id: o.client_id,
                client_secret: o.client_secret,
                token_url: o.token_url,
                scope: o.scope,
            },
            _ => return Err(refuse(key("error-mail-account-one-credential"))),
        };
        let account = MailAccount {
            port: self.port.unwrap_or_else(|| self.protocol.default_port(self.tls)),
            name: self.name,
            protocol: self.protocol,
            host: self.host,
            tls: self.tls,
            login: self.login,
            credential,
            folders: self.folders,
            queue: self.queue,
            after_import: self.after_import.into(),
            first_sync: self.first_sync.into(),
            poll_seconds: self.poll_seconds,
            idle: self.idle,
            authserv_id: self.authserv_id,
            valid: self.valid,
            comment: self.comment,
        };
        check_account(&account)?;
        Ok(account)
    }
}

impl MailAccountPatch {
    /// Checks the patch on its own: each field's rules, and the rules joining fields that are all in
    /// the patch (what its schema says). A patch that passes can still clash with the account's other
    /// settings; [`MailAccountPatch::apply`] then says so.
    pub fn check_alone(&self) -> Result<(), Error> {
        // A neutral valid account that each given field replaces: what fails is the patch itself.
        let oauth = self.oauth2.is_some();
        let move_folder = match &self.after_import {
            Some(AfterImportBody::Move(f)) => Some(f.as_str()),
            _ => None,
        };
        let folder = if move_folder == Some("INBOX") { "Other" } else { "INBOX" };
        let mut neutral = MailAccount {
            name: "patch".into(),
            host: "localhost".into(),
            port: 993,
            login: "patch".into(),
            credential: if oauth {
                MailCredential::Xoauth2 {
                    refresh_token: "patch".into(),
                    client_id: "patch".into(),
                    client_secret: String::new(),
                    token_url: "https://patch".into(),
                    scope: String::new(),
                }
            } else {
                MailCredential::Password { password: "patch".into() }
            },
            folders: vec![folder.into()],
            queue: "patch".into(),
            ..MailAccount::default()
        };
        self.apply(&mut neutral)?;
        neutral.validate()
    }

    /// Applies the given fields to `a`, keeping its secrets unless new ones are given, and runs the
    /// API's own checks (the engine checks the rest when it is put).
    pub fn apply(&self, a: &mut MailAccount) -> Result<(), Error> {
        if self.password.is_some() && self.oauth2.is_some() {
            return Err(refuse(key("error-mail-account-one-credential")));
        }
        let old_default = a.protocol.default_port(a.tls);
        if let Some(p) = self.protocol {
            a.protocol = p;
        }
        if let Some(t) = self.tls {
            a.tls = t;
        }
        match self.port {
            Some(port) => a.port = port,
            // The standard port follows a change of protocol or TLS; a port an admin chose stays.
            None if a.port == old_default => a.port = a.protocol.default_port(a.tls),
            None => {}
        }
        if let Some(h) = &self.host {
            a.host.clone_from(h);
        }
        if let Some(l) = &self.login {
            a.login.clone_from(l);
        }
        if let Some(p) = &self.password {
            a.credential = MailCredential::Password { password: p.clone() };
        }
        if let Some(o) = &self.oauth2 {
            let (mut refresh_token, mut client_id, mut client_secret, mut token_url, mut scope) =
                match std::mem::take(&mut a.credential) {
                    MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } => {
                        (refresh_token, client_id, client_secret, token_url, scope)
                    }
                    MailCredential::Password { .. } => Default::default(),
                };
            for (field, v) in [
                (&mut refresh_token, &o.refresh_token),
                (&mut client_id, &o.client_id),
                (&mut client_secret, &o.client_secret),
                (&mut token_url, &o.token_url),
                (&mut scope, &o.scope),
            ] {
                if let Some(v) = v {
                    field.clone_from(v);
                }
            }
            a.credential = MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope };
        }
        if let Some(f) = &self.folders {
            a.folders.clone_from(f);
        }
        if let Some(q) = &self.queue {
            a.queue.clone_from(q);
        }
        if let Some(x) = &self.after_import {
            a.after_import = x.clone().into();
        }
        if let Some(x) = &self.first_sync {
            a.first_sync = x.clone().into();
        }
        if let Some(x) = self.poll_seconds {
            a.poll_seconds = x;
        }
        if let Some(x) = self.idle {
            a.idle = x;
        }
        if let Some(x) = &self.authserv_id {
            a.authserv_id.clone_from(x);
        }
        if let Some(x) = self.valid {
            a.valid = x;
        }
        if let Some(x) = &self.comment {
            a.comment.clone_from(x);
        }
        check_account(a)
    }
}

// ---- JSON Schema ------------------------------------------------------------------------------

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::new(Type::String) };
    ObjectBuilder::new().schema_type(ty)
}

fn integer(min: u32, max: u32, nullable: bool) -> Object {
    let ty = if nullable { SchemaType::from_iter([Type::Integer, Type::Null]) } else { SchemaType::new(Type::Integer) };
    ObjectBuilder::new().schema_type(ty).minimum(Some(min)).maximum(Some(max)).build()
}

fn enumerated(values: &[&'static str], nullable: bool) -> Object {
    let mut v: Vec<Option<&str>> = values.iter().copied().map(Some).collect();
    if nullable {
        v.push(None);
    }
    string(nullable).enum_values(Some(v)).build()
}

fn no_control(min: usize, max: usize, nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(Some(format!("^[^{CONTROL}]{}$", if min == 0 { "*" } else { "+" })))
        .build()
}

fn null() -> Object {
    ObjectBuilder::new().schema_type(Type::Null).build()
}

fn or_null(s: impl Into<RefOr<Schema>>) -> Schema {
    Schema::OneOf(OneOfBuilder::new().item(s).item(null()).build())
}

/// An account name.
pub fn account_name() -> Object {
    string(false).min_length(Some(1)).max_length(Some(64)).pattern(Some(NAME_PATTERN)).build()
}

fn protocol() -> Object {
    enumerated(&["imap", "pop3"], false)
}
fn protocol_or_null() -> Object {
    enumerated(&["imap", "pop3"], true)
}
fn tls() -> Object {
    enumerated(&["implicit", "starttls", "none"], false)
}
fn tls_or_null() -> Object {
    enumerated(&["implicit", "starttls", "none"], true)
}
fn host_schema(nullable: bool) -> Object {
    string(nullable).min_length(Some(1)).max_length(Some(253)).pattern(Some(HOST_PATTERN)).build()
}
fn host() -> Object {
    host_schema(false)
}
fn host_or_null() -> Object {
    host_schema(true)
}
fn port_or_null() -> Object {
    integer(1, 65_535, true)
}
fn login() -> Object {
    no_control(1, LOGIN_MAX, false)
}
fn login_or_null() -> Object {
    no_control(1, LOGIN_MAX, true)
}
fn password_schema(nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(1))
        .max_length(Some(PASSWORD_MAX))
        .pattern(Some(r"^[^\u0000\u000a\u000d]+$"))
        .build()
}
fn password() -> Object {
    password_schema(false)
}
fn password_or_null() -> Object {
    password_schema(true)
}

fn token_url() -> Object {
    let loopback = loopback_host_pattern();
    // `::1` bare is no host here: its colons read as a port separator.
    let loopback = loopback.replace("|::1|", "|");
    string(false)
        .min_length(Some(9))
        .max_length(Some(TOKEN_URL_MAX))
        .pattern(Some(format!(
            "^(https://[^{CONTROL_OR_SPACE}]+|http://{loopback}(:[0-9]*)?(/[^{CONTROL_OR_SPACE}]*)?)$"
        )))
        .build()
}

fn oauth2_object(required: bool) -> ObjectBuilder {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("refresh_token", no_control(1, OAUTH_MAX, !required))
        .property("client_id", no_control(1, OAUTH_MAX, !required))
        .property("client_secret", no_control(0, OAUTH_MAX, !required))
        .property("token_url", if required { token_url() } else { or_null_obj(token_url()) })
        .property("scope", no_control(0, OAUTH_MAX, !required))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    if required {
        o = o.required("refresh_token").required("client_id").required("token_url");
    }
    o
}

fn or_null_obj(o: Object) -> Object {
    let mut o = o;
    o.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    o
}

fn oauth2_in() -> Object {
    oauth2_object(true).description(Some("An OAuth2 client for XOAUTH2")).build()
}

fn oauth2_patch_or_null() -> Schema {
    or_null(oauth2_object(false).description(Some("Changes to the OAuth2 client")).build())
}

fn folder() -> Object {
    string(false)
        .min_length(Some(1))
        .max_length(Some(FOLDER_MAX))
        .pattern(Some(format!(r#"^[^{CONTROL}"\\]+$"#)))
        .build()
}

fn folders_schema() -> ArrayBuilder {
    ArrayBuilder::new().items(folder()).min_items(Some(1)).max_items(Some(MailAccount::MAX_FOLDERS)).unique_items(true)
}
fn folders() -> Schema {
    Schema::Array(folders_schema().build())
}
fn folders_or_null() -> Schema {
    Schema::Array(folders_schema().schema_type(SchemaType::from_iter([Type::Array, Type::Null])).build())
}

fn after_import_schema() -> OneOfBuilder {
    let mv = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("move", folder())
        .required("move")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    OneOfBuilder::new().item(enumerated(&["keep", "delete"], false)).item(mv)
}
fn after_import() -> Schema {
    Schema::OneOf(after_import_schema().build())
}
fn after_import_or_null() -> Schema {
    Schema::OneOf(after_import_schema().item(null()).build())
}

fn first_sync_schema() -> OneOfBuilder {
    let since = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("since", string(false).pattern(Some(DATE_PATTERN)).build())
        .required("since")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    OneOfBuilder::new().item(enumerated(&["all"], false)).item(since)
}
fn first_sync() -> Schema {
    Schema::OneOf(first_sync_schema().build())
}
fn first_sync_or_null() -> Schema {
    Schema::OneOf(first_sync_schema().item(null()).build())
}

fn poll_seconds() -> Object {
    integer(MailAccount::MIN_POLL_SECONDS, MailAccount::MAX_POLL_SECONDS, false)
}
fn poll_seconds_or_null() -> Object {
    integer(MailAccount::MIN_POLL_SECONDS, MailAccount::MAX_POLL_SECONDS, true)
}
fn authserv_id_schema(nullable: bool) -> Object {
    string(nullable).max_length(Some(AUTHSERV_ID_MAX)).pattern(Some(format!("^[^{CONTROL_OR_SPACE}]*$"))).build()
}
fn authserv_id() -> Object {
    authserv_id_schema(false)
}
fn authserv_id_or_null() -> Object {
    authserv_id_schema(true)
}

/// `tls: none` only with a loopback host (in a patch: with one, or with none given).
fn tls_rule(patch: bool) -> utoipa::openapi::schema::AnyOf {
    let none = ObjectBuilder::new()
        .required("tls")
        .property("tls", enumerated(&["none"], false))
        .property("host", string(patch).pattern(Some(format!("^{}$", loopback_host_pattern()))).build());
    let other = ObjectBuilder::new().property("tls", enumerated(&["implicit", "starttls"], patch));
    AnyOfBuilder::new().item(other).item(none).build()
}

/// POP3 reads only `INBOX` and cannot move (in a patch: as far as the patch says).
fn pop3_rule(patch: bool) -> utoipa::openapi::schema::AnyOf {
    let inbox_only = ArrayBuilder::new().items(string(false).pattern(Some("^[Ii][Nn][Bb][Oo][Xx]$")).build());
    let inbox_only =
        if patch { inbox_only.schema_type(SchemaType::from_iter([Type::Array, Type::Null])) } else { inbox_only };
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().property("protocol", enumerated(&["imap"], patch)))
        .item(
            ObjectBuilder::new()
                .required("protocol")
                .property("protocol", enumerated(&["pop3"], false))
                .property("folders", inbox_only.build())
                .property("after_import", enumerated(&["keep", "delete"], patch)),
        )
        .build()
}

/// The body of `POST /mail-accounts` as documented: [`MailAccountIn`]'s fields with the rules that
/// join them (one credential; no TLS only to this machine; POP3 reads only `INBOX` and cannot move).
pub struct NewMailAccount;

impl PartialSchema for NewMailAccount {
    fn schema() -> RefOr<Schema> {
        let one_credential = OneOfBuilder::new()
            .item(ObjectBuilder::new().required("password"))
            .item(ObjectBuilder::new().required("oauth2"))
            .build();
        let tls_rule = tls_rule(false);
        let pop3_rule = pop3_rule(false);
        RefOr::T(Schema::AllOf(
            AllOfBuilder::new()
                .item(<MailAccountIn as PartialSchema>::schema())
                .item(Schema::OneOf(one_credential))
                .item(Schema::AnyOf(tls_rule))
                .item(Schema::AnyOf(pop3_rule))
                .description(Some(
                    "A mail account to add: exactly one of `password` and `oauth2`; `tls: none` only to \
                     this machine; POP3 reads only INBOX and cannot move messages",
                ))
                .build(),
        ))
    }
}

impl ToSchema for NewMailAccount {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <MailAccountIn as ToSchema>::schemas(schemas);
    }
}

/// The body of `PATCH /mail-accounts/{name}` as documented: [`MailAccountPatch`], not both a password
/// and an OAuth2 client.
pub struct MailAccountChanges;

impl PartialSchema for MailAccountChanges {
    fn schema() -> RefOr<Schema> {
        let not_both = AnyOfBuilder::new()
            .item(ObjectBuilder::new().property("password", null()))
            .item(ObjectBuilder::new().property("oauth2", null()))
            .build();
        RefOr::T(Schema::AllOf(
            AllOfBuilder::new()
                .item(<MailAccountPatch as PartialSchema>::schema())
                .item(Schema::AnyOf(not_both))
                .item(Schema::AnyOf(tls_rule(true)))
                .item(Schema::AnyOf(pop3_rule(true)))
                .description(Some("Changes to a mail account (merge patch); not both `password` and `oauth2`"))
                .build(),
        ))
    }
}

impl ToSchema for MailAccountChanges {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <MailAccountPatch as ToSchema>::schemas(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_spellings_and_token_urls() {
        for h in ["localhost", "LocalHost", "127.0.0.1", "127.255.0.10", "::1", "[::1]"] {
            assert!(loopback_spelling_ok(h), "{h}");
            assert!(MailAccount::is_loopback_host(h), "{h}");
        }
        for h in ["127.0.0.01", "127.0.0", "10.0.0.1", "0::1", "[[::1]]", "example.com"] {
            assert!(!loopback_spelling_ok(h), "{h}");
        }
        for u in ["https://x", "http://127.0.0.1:8080/token", "http://localhost", "http://[::1]:1/"] {
            assert!(token_url_shape_ok(u), "{u}");
        }
        for u in ["http://example.com/", "http://::1/", "ftp://x", "https://"] {
            assert!(!token_url_shape_ok(u), "{u}");
        }
    }

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
