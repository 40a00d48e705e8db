//! Mail pulled from mailboxes (IMAP, POP3) and from a watched Maildir.
//!
//! Accounts come from `[[mail.accounts]]` in the file and `CHAMADO_IMAP_URL` (one account, for the
//! quick start); at each start they are put into the store, so the API and the console list them and
//! the configuration wins over edits made there for the same name. Accounts added through the API are
//! pulled too: the puller reads the store's list every few seconds. On PostgreSQL one node at a time
//! pulls each account (a lease: an advisory lock per account).

use crate::sections;
use crate::settings::SettingsError;
use crate::source::Source;
use chamado::{Actor, Engine, MailAccount};
use chamado_email::mailbox::{
    AccountLease, AccountLeases, MailboxMetrics, MailboxPuller, MailboxSettings, client_config, parse_account_url,
};
use chamado_email::{EmailConfig, MailAuth, MailIntake};
use chamado_runtime::Metrics;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{error, info};

/// How often the watched Maildir's `new/` is taken.
const MAILDIR_EVERY: Duration = Duration::from_secs(5);

/// Mailboxes and the Maildir, as the helpdesk runs them.
#[derive(Debug, Clone, Default)]
pub struct Mailboxes {
    /// The adapter's settings (`[mail]`): limits, CA file, the accounts as written.
    pub settings: MailboxSettings,
    /// The accounts of the file and `CHAMADO_IMAP_URL`, checked; put into the store at start.
    pub accounts: Vec<MailAccount>,
    /// `mail.maildir` / `CHAMADO_MAILDIR`: a Maildir whose new mail is taken every few seconds.
    pub maildir: Option<PathBuf>,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The engine's validation message, without the error's kind.
fn message(e: chamado::Error) -> String {
    match e {
        chamado::Error::Validation(m) => m.to_string(),
        other => other.to_string(),
    }
}

/// Reads `[mail]` (and its variables), checking every account; errors name the variable or the key.
pub fn load(source: &Source, s: sections::Mail) -> Result<Mailboxes, SettingsError> {
    let defaults = MailboxSettings::default();
    let ca_file = text(s.ca_file).map(PathBuf::from);
    if let Some(path) = &ca_file {
        client_config(Some(path)).map_err(|e| SettingsError {
            at: source.origin_of("CHAMADO_MAIL_CA_FILE"),
            value: None,
            message: e.to_string(),
        })?;
    }
    let settings = MailboxSettings {
        accounts: s.accounts,
        ca_file,
        reload_seconds: s.reload_seconds.unwrap_or(defaults.reload_seconds),
        connect_timeout_seconds: s.connect_timeout_seconds.unwrap_or(defaults.connect_timeout_seconds),
        command_timeout_seconds: s.command_timeout_seconds.unwrap_or(defaults.command_timeout_seconds),
        max_message_bytes: s
            .max_message_bytes
            .map_or(defaults.max_message_bytes, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let mut accounts = Vec::new();
    for (i, a) in settings.accounts.iter().enumerate() {
        let at = |field: &str| source.file_origin(&format!("mail.accounts[{i}].{field}"));
        let account = a.to_account().map_err(|e| SettingsError { at: at(e.field), value: None, message: e.message })?;
        account.validate().map_err(|e| SettingsError { at: at(""), value: None, message: message(e) })?;
        accounts.push(account);
    }
    if let Some(url) = text(s.imap_url) {
        // The URL holds a password: errors name the variable, never echo the value.
        let at = source.origin_of("CHAMADO_IMAP_URL");
        let account =
            parse_account_url(&url).map_err(|e| SettingsError { at: at.clone(), value: None, message: e.0 })?;
        account.validate().map_err(|e| SettingsError { at, value: None, message: message(e) })?;
        accounts.push(account);
    }
    for (i, a) in accounts.iter().enumerate() {
        if accounts[..i].iter().any(|b| b.name == a.name) {
            return Err(SettingsError {
                at: source.file_origin("mail.accounts"),
                value: Some(a.name.clone()),
                message: "two accounts have this name (CHAMADO_IMAP_URL's is `mailbox` unless it sets name=)".into(),
            });
        }
    }
    Ok(Mailboxes { settings, accounts, maildir: text(s.maildir).map(PathBuf::from) })
}

/// Why mail pulling could not start.
#[derive(Debug, thiserror::Error)]
pub enum MailboxesError {
    /// A configured account could not be stored (e.g. its queue does not exist).
    #[error("mail account {name}: {message}")]
    Account {
        /// The account.
        name: String,
        /// Why.
        message: String,
    },
    /// The engine.
    #[error("mail accounts: {0}")]
    Engine(#[from] chamado::Error),
}

/// Leases from PostgreSQL advisory locks: one node at a time pulls each account.
struct PgLeases(chamado_postgres::PgStore);

struct PgLease(chamado_postgres::Leadership);

impl AccountLease for PgLease {
    fn lost(&mut self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.0.lost())
    }
}

#[async_trait::async_trait]
impl AccountLeases for PgLeases {
    async fn acquire(&self, account: &str) -> Result<Option<Box<dyn AccountLease>>, String> {
        match self.0.try_lead(&format!("chamado-mailbox:{account}")).await {
            Ok(Some(l)) => Ok(Some(Box::new(PgLease(l)))),
            Ok(None) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The families in the host's registry (registered once per name).
fn register(metrics: &Metrics) -> MailboxMetrics {
    let m = MailboxMetrics::default();
    MailboxMetrics {
        imported: metrics
            .register_once(MailboxMetrics::IMPORTED, MailboxMetrics::IMPORTED_HELP, || m.imported.clone())
            .unwrap_or_else(|| m.imported.clone()),
        failed: metrics
            .register_once(MailboxMetrics::FAILED, MailboxMetrics::FAILED_HELP, || m.failed.clone())
            .unwrap_or_else(|| m.failed.clone()),
        last_success: metrics
            .register_once(MailboxMetrics::LAST_SUCCESS, MailboxMetrics::LAST_SUCCESS_HELP, || m.last_success.clone())
            .unwrap_or_else(|| m.last_success.clone()),
        pending: metrics
            .register_once(MailboxMetrics::PENDING, MailboxMetrics::PENDING_HELP, || m.pending.clone())
            .unwrap_or_else(|| m.pending.clone()),
    }
}

/// Completes when `stop` turns true (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

/// Puts the configured accounts into the store, then runs the puller (always: accounts may be added
/// through the API later) and the Maildir watcher. Returns the banner's lines.
pub async fn start(
    mail: &Mailboxes,
    email: &EmailConfig,
    engine: &Engine,
    postgres: Option<chamado_postgres::PgStore>,
    metrics: &Metrics,
    stop: &watch::Receiver<bool>,
    tasks: &mut JoinSet<()>,
) -> Result<Vec<String>, MailboxesError> {
    let admin = engine.admin(&Actor::System).await?;
    for account in &mail.accounts {
        admin
            .put_mail_account(account.clone())
            .await
            .map_err(|e| MailboxesError::Account { name: account.name.clone(), message: message(e) })?;
        info!(account = %account.name, protocol = account.protocol.as_str(), host = %account.host, "mail account from the configuration stored");
    }
    // Pulled mail has no SMTP client to verify: only the trusted `Authentication-Results` count (the
    // host's authserv-id, or the account's own).
    let intake = MailIntake::new(engine.clone(), email.queues.clone())
        .with_max_attachments(email.max_attachments)
        .with_auth(MailAuth { verifier: None, trusted_authserv_id: email.authserv_id.clone() });
    let mut lines = Vec::new();
    let stored = engine.mail_accounts().await?;
    for a in &stored {
        let folders = a.read_folders().join(",");
        lines.push(format!(
            "  mail account {}: {}://{}:{} {} (TLS {}) -> queue {}{}",
            a.name,
            a.protocol.as_str(),
            a.host,
            a.port,
            folders,
            a.tls.as_str(),
            a.queue,
            if a.valid { "" } else { " [off]" }
        ));
    }
    let mut puller = MailboxPuller::new(intake.clone(), mail.settings.clone()).with_metrics(register(metrics));
    if let Some(pg) = postgres {
        puller = puller.with_leases(Arc::new(PgLeases(pg)));
    }
    let s = stop.clone();
    tasks.spawn(async move {
        if let Err(e) = puller.run(stopped(s)).await {
            error!(error = %e, "mailbox pulling did not start");
        }
    });
    if let Some(dir) = &mail.maildir {
        let maildir = chamado_email::maildir::MaildirIntake::new(dir.clone(), intake);
        let s = stop.clone();
        tasks.spawn(async move { maildir.run(MAILDIR_EVERY, stopped(s)).await });
        info!(maildir = %dir.display(), "watching the maildir");
        lines.push(format!("  maildir: {} (new mail every {} s)", dir.display(), MAILDIR_EVERY.as_secs()));
    }
    Ok(lines)
}
