//! `mail-accounts list|show|add|edit|remove`: the IMAP and POP3 mailboxes the helpdesk pulls mail
//! from. Secrets are read from a file or standard input, never from the command line (where `ps` and
//! shell history would show them), and are never printed.

use crate::direct::Direct;
use crate::error::{AdminError, Result};
use crate::http_client::encode;
use crate::model::Query;
use crate::output::{Output, fields, more, table, yes_no};
use crate::remote::Remote;
use chamado::{MailProtocol, MailTls, Record, RecordKind};
use chamado_api_types::mail_accounts::{
    AfterImportBody, FirstSyncBody, MailAccountIn, MailAccountList, MailAccountOut, MailAccountPatch, OAuth2In,
    OAuth2Patch,
};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The verbs on mail accounts.
#[derive(Debug, Subcommand)]
pub enum MailAccountsCmd {
    /// Lists the mail accounts with how their pulling goes.
    List(crate::cli::Page),
    /// One mail account, with its status (never its secrets).
    Show {
        /// The account's name.
        name: String,
    },
    /// Adds a mail account (IMAP by default). Give the password with --password-file or
    /// --password-stdin, or an OAuth2 client with --oauth2-client-id, --oauth2-token-url and
    /// --oauth2-refresh-token-file.
    Add {
        /// The account's name: letters, digits, `.`, `_`, `-`.
        name: String,
        /// Its fields.
        #[command(flatten)]
        fields: MailAccountFields,
        /// Its secrets.
        #[command(flatten)]
        secrets: SecretArgs,
    },
    /// Changes the given fields of a mail account; its secrets stay unless new ones are given.
    Edit {
        /// The account's name.
        name: String,
        /// The fields to change.
        #[command(flatten)]
        fields: MailAccountFields,
        /// New secrets.
        #[command(flatten)]
        secrets: SecretArgs,
    },
    /// Removes a mail account (its checkpoints stay: added again, it does not take its mail twice).
    Remove {
        /// The account's name.
        name: String,
    },
}

/// IMAP or POP3.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProtocolArg {
    /// IMAP.
    Imap,
    /// POP3.
    Pop3,
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TlsArg {
    /// TLS from the first byte.
    Implicit,
    /// STARTTLS (STLS) before logging in.
    Starttls,
    /// No TLS (only to a server on this machine).
    None,
}

/// What becomes of a taken message.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AfterImportArg {
    /// Left where it is.
    Keep,
    /// Deleted.
    Delete,
    /// Moved to --move-to (IMAP).
    Move,
}

/// The fields of a mail account (all optional on `edit`).
#[derive(Debug, Args, Default)]
pub struct MailAccountFields {
    /// imap (default) or pop3.
    #[arg(long, value_enum)]
    pub protocol: Option<ProtocolArg>,
    /// The server's host name or address.
    #[arg(long)]
    pub host: Option<String>,
    /// The server's port (default: the protocol's under --tls).
    #[arg(long)]
    pub port: Option<u16>,
    /// implicit (default), starttls, or none (only to this machine).
    #[arg(long, value_enum)]
    pub tls: Option<TlsArg>,
    /// The user name to log in as.
    #[arg(long)]
    pub login: Option<String>,
    /// A folder to read (repeat for more; default INBOX).
    #[arg(long = "folder", value_name = "FOLDER")]
    pub folders: Vec<String>,
    /// The queue new tickets go to.
    #[arg(long)]
    pub queue: Option<String>,
    /// keep (default), delete, or move (to --move-to).
    #[arg(long, value_enum)]
    pub after_import: Option<AfterImportArg>,
    /// The folder taken messages are moved to (with --after-import move).
    #[arg(long, value_name = "FOLDER")]
    pub move_to: Option<String>,
    /// Take only messages that arrived on or after this date on the first synchronisation (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "all_mail")]
    pub since: Option<String>,
    /// Take every message on the first synchronisation (the default; on `edit`, undoes --since).
    #[arg(long)]
    pub all_mail: bool,
    /// Seconds between checks (5 to 86400).
    #[arg(long)]
    pub poll_seconds: Option<u32>,
    /// Do not wait for new mail with IMAP IDLE.
    #[arg(long, conflicts_with = "idle")]
    pub no_idle: bool,
    /// Wait for new mail with IMAP IDLE (the default; on `edit`, undoes --no-idle).
    #[arg(long)]
    pub idle: bool,
    /// The authserv-id whose Authentication-Results say who sent mail here.
    #[arg(long)]
    pub authserv_id: Option<String>,
    /// Free text.
    #[arg(long)]
    pub comment: Option<String>,
    /// Mark the account invalid (not read).
    #[arg(long, conflicts_with = "valid")]
    pub invalid: bool,
    /// Mark the account valid again.
    #[arg(long)]
    pub valid: bool,
}

/// Where the secrets come from: files or standard input, never the command line.
#[derive(Debug, Args, Default)]
pub struct SecretArgs {
    /// Read the password from this file (its first line).
    #[arg(long, value_name = "FILE", conflicts_with = "password_stdin")]
    pub password_file: Option<PathBuf>,
    /// Read the password from standard input (one line).
    #[arg(long)]
    pub password_stdin: bool,
    /// OAuth2 (XOAUTH2) client id, instead of a password.
    #[arg(long, value_name = "ID")]
    pub oauth2_client_id: Option<String>,
    /// OAuth2 token endpoint (https://).
    #[arg(long, value_name = "URL")]
    pub oauth2_token_url: Option<String>,
    /// OAuth2 scopes, space-separated.
    #[arg(long, value_name = "SCOPES")]
    pub oauth2_scope: Option<String>,
    /// Read the OAuth2 refresh token from this file (its first line).
    #[arg(long, value_name = "FILE")]
    pub oauth2_refresh_token_file: Option<PathBuf>,
    /// Read the OAuth2 client secret from this file (its first line).
    #[arg(long, value_name = "FILE")]
    pub oauth2_client_secret_file: Option<PathBuf>,
}

/// The operations on mail accounts, on the store file and through the API.
pub(crate) trait MailAccounts {
    /// Adds an account; fails when it exists.
    async fn mail_account_add(&self, a: MailAccountIn) -> Result<MailAccountOut>;
    /// One account.
    async fn mail_account_get(&self, name: &str) -> Result<MailAccountOut>;
    /// Changes an account.
    async fn mail_account_patch(&self, name: &str, p: MailAccountPatch) -> Result<MailAccountOut>;
    /// Lists accounts.
    async fn mail_account_list(&self, q: &Query) -> Result<Vec<MailAccountOut>>;
    /// Removes an account.
    async fn mail_account_remove(&self, name: &str) -> Result<()>;
}

fn not_found(name: &str) -> AdminError {
    AdminError::NotFound { what: "mail account", key: name.to_string() }
}

impl MailAccounts for Direct {
    async fn mail_account_add(&self, a: MailAccountIn) -> Result<MailAccountOut> {
        let engine = self.engine();
        let account = a.into_account()?;
        if engine.mail_account(&account.name).await?.is_some() {
            return Err(AdminError::Exists {
                what: "mail account",
                key: account.name,
                hint: "; change it with `mail-accounts edit`",
            });
        }
        engine.admin(&chamado::Actor::System).await?.put_mail_account(account.clone()).await?;
        let status = engine.mail_account_status(&account.name).await?;
        Ok(MailAccountOut::new(account, status))
    }

    async fn mail_account_get(&self, name: &str) -> Result<MailAccountOut> {
        let engine = self.engine();
        let account = engine.mail_account(name).await?.ok_or_else(|| not_found(name))?;
        let status = engine.mail_account_status(name).await?;
        Ok(MailAccountOut::new(account, status))
    }

    async fn mail_account_patch(&self, name: &str, p: MailAccountPatch) -> Result<MailAccountOut> {
        let engine = self.engine();
        let mut account = engine.mail_account(name).await?.ok_or_else(|| not_found(name))?;
        p.apply(&mut account)?;
        engine.admin(&chamado::Actor::System).await?.put_mail_account(account.clone()).await?;
        let status = engine.mail_account_status(name).await?;
        Ok(MailAccountOut::new(account, status))
    }

    async fn mail_account_list(&self, q: &Query) -> Result<Vec<MailAccountOut>> {
        let engine = self.engine();
        let admin = engine.admin(&chamado::Actor::System).await?;
        let limit = q.limit.clamp(1, 1000);
        let records = match &q.search {
            Some(s) => admin.search(RecordKind::MailAccount, s, limit).await?,
            None => admin.list(RecordKind::MailAccount, q.after.as_deref(), limit).await?,
        };
        let mut out = Vec::new();
        for r in records {
            if let Record::MailAccount(m) = r {
                let status = engine.mail_account_status(&m.name).await?;
                out.push(MailAccountOut::new(m, status));
            }
        }
        Ok(out)
    }

    async fn mail_account_remove(&self, name: &str) -> Result<()> {
        let engine = self.engine();
        if engine.mail_account(name).await?.is_none() {
            return Err(not_found(name));
        }
        Ok(engine.admin(&chamado::Actor::System).await?.delete_mail_account(name).await?)
    }
}

impl MailAccounts for Remote {
    async fn mail_account_add(&self, a: MailAccountIn) -> Result<MailAccountOut> {
        self.http().post("/mail-accounts", &a).await
    }

    async fn mail_account_get(&self, name: &str) -> Result<MailAccountOut> {
        self.http().get(&format!("/mail-accounts/{}", encode(name))).await
    }

    async fn mail_account_patch(&self, name: &str, p: MailAccountPatch) -> Result<MailAccountOut> {
        self.http().patch(&format!("/mail-accounts/{}", encode(name)), &p).await
    }

    async fn mail_account_list(&self, q: &Query) -> Result<Vec<MailAccountOut>> {
        let mut path = format!("/mail-accounts?limit={}", q.limit.clamp(1, 1000));
        if let Some(s) = &q.search {
            path.push_str(&format!("&search={}", encode(s)));
        }
        if let Some(a) = &q.after {
            path.push_str(&format!("&after={}", encode(a)));
        }
        let list: MailAccountList = self.http().get(&path).await?;
        Ok(list.mail_accounts)
    }

    async fn mail_account_remove(&self, name: &str) -> Result<()> {
        self.http().delete(&format!("/mail-accounts/{}", encode(name))).await
    }
}

/// The first line of a secret file, or of standard input.
fn read_secret(source: Option<&PathBuf>, stdin: bool, what: &str) -> Result<Option<String>> {
    let text = if let Some(path) = source {
        std::fs::read_to_string(path).map_err(|source| AdminError::Io { path: path.clone(), source })?
    } else if stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|source| AdminError::Io { path: "standard input".into(), source })?;
        line
    } else {
        return Ok(None);
    };
    let line = text.lines().next().unwrap_or_default().trim_end_matches('\r').to_string();
    if line.is_empty() {
        return Err(AdminError::Usage(format!("the {what} read is empty")));
    }
    Ok(Some(line))
}

fn protocol(p: ProtocolArg) -> MailProtocol {
    match p {
        ProtocolArg::Imap => MailProtocol::Imap,
        ProtocolArg::Pop3 => MailProtocol::Pop3,
    }
}

fn tls(t: TlsArg) -> MailTls {
    match t {
        TlsArg::Implicit => MailTls::Implicit,
        TlsArg::Starttls => MailTls::Starttls,
        TlsArg::None => MailTls::None,
    }
}

fn after_import(f: &MailAccountFields) -> Result<Option<AfterImportBody>> {
    match (f.after_import, &f.move_to) {
        (Some(AfterImportArg::Move) | None, Some(folder)) => Ok(Some(AfterImportBody::Move(folder.clone()))),
        (Some(AfterImportArg::Move), None) => {
            Err(AdminError::Usage("--after-import move needs --move-to FOLDER".into()))
        }
        (Some(_), Some(_)) => Err(AdminError::Usage("--move-to goes with --after-import move".into())),
        (Some(AfterImportArg::Keep), None) => Ok(Some(AfterImportBody::Keep)),
        (Some(AfterImportArg::Delete), None) => Ok(Some(AfterImportBody::Delete)),
        (None, None) => Ok(None),
    }
}

fn first_sync(f: &MailAccountFields) -> Option<FirstSyncBody> {
    match (&f.since, f.all_mail) {
        (Some(d), _) => Some(FirstSyncBody::Since(d.clone())),
        (None, true) => Some(FirstSyncBody::All),
        (None, false) => None,
    }
}

fn flag(on: bool, off: bool) -> Option<bool> {
    if on {
        Some(true)
    } else if off {
        Some(false)
    } else {
        None
    }
}

fn oauth2_patch(s: &SecretArgs) -> Result<Option<OAuth2Patch>> {
    let p = OAuth2Patch {
        refresh_token: read_secret(s.oauth2_refresh_token_file.as_ref(), false, "refresh token")?,
        client_id: s.oauth2_client_id.clone(),
        client_secret: match &s.oauth2_client_secret_file {
            Some(path) => read_secret(Some(path), false, "client secret")?,
            None => None,
        },
        token_url: s.oauth2_token_url.clone(),
        scope: s.oauth2_scope.clone(),
    };
    Ok((p != OAuth2Patch::default()).then_some(p))
}

fn new_account(name: String, f: MailAccountFields, s: &SecretArgs) -> Result<MailAccountIn> {
    let password = read_secret(s.password_file.as_ref(), s.password_stdin, "password")?;
    let oauth2 = oauth2_patch(s)?.map(|o| OAuth2In {
        refresh_token: o.refresh_token.unwrap_or_default(),
        client_id: o.client_id.unwrap_or_default(),
        client_secret: o.client_secret.unwrap_or_default(),
        token_url: o.token_url.unwrap_or_default(),
        scope: o.scope.unwrap_or_default(),
    });
    if password.is_some() == oauth2.is_some() {
        return Err(AdminError::Usage(
            "give either a password (--password-file or --password-stdin) or an OAuth2 client (--oauth2-client-id, --oauth2-token-url, --oauth2-refresh-token-file)".into(),
        ));
    }
    let need = |v: Option<String>, opt: &str| v.ok_or_else(|| AdminError::Usage(format!("add needs {opt}")));
    Ok(MailAccountIn {
        after_import: after_import(&f)?.unwrap_or_default(),
        first_sync: first_sync(&f).unwrap_or_default(),
        name,
        protocol: f.protocol.map(protocol).unwrap_or_default(),
        host: need(f.host, "--host")?,
        port: f.port,
        tls: f.tls.map(tls).unwrap_or_default(),
        login: need(f.login, "--login")?,
        password,
        oauth2,
        folders: if f.folders.is_empty() { vec!["INBOX".into()] } else { f.folders },
        queue: need(f.queue, "--queue")?,
        poll_seconds: f.poll_seconds.unwrap_or(chamado::MailAccount::DEFAULT_POLL_SECONDS),
        idle: !f.no_idle,
        authserv_id: f.authserv_id.unwrap_or_default(),
        valid: !f.invalid,
        comment: f.comment.unwrap_or_default(),
    })
}

fn patch(f: MailAccountFields, s: &SecretArgs) -> Result<MailAccountPatch> {
    let password = read_secret(s.password_file.as_ref(), s.password_stdin, "password")?;
    let oauth2 = oauth2_patch(s)?;
    if password.is_some() && oauth2.is_some() {
        return Err(AdminError::Usage("give a new password or OAuth2 client, not both".into()));
    }
    Ok(MailAccountPatch {
        after_import: after_import(&f)?,
        first_sync: first_sync(&f),
        protocol: f.protocol.map(protocol),
        host: f.host,
        port: f.port,
        tls: f.tls.map(tls),
        login: f.login,
        password,
        oauth2,
        folders: (!f.folders.is_empty()).then_some(f.folders),
        queue: f.queue,
        poll_seconds: f.poll_seconds,
        idle: flag(f.idle, f.no_idle),
        authserv_id: f.authserv_id,
        valid: flag(f.valid, f.invalid),
        comment: f.comment,
    })
}

/// Runs a `mail-accounts` command.
pub(crate) async fn run<B: MailAccounts>(b: &B, cmd: MailAccountsCmd) -> Result<Output> {
    match cmd {
        MailAccountsCmd::List(p) => {
            let q = Query { search: None, after: p.after.clone(), limit: usize::from(p.limit) };
            let found = b.mail_account_list(&q).await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.protocol.as_str().to_string(),
                        format!("{}:{}", a.host, a.port),
                        a.queue.clone(),
                        yes_no(a.valid),
                        a.status.imported.to_string(),
                        a.status.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            let mut text = table(&["NAME", "PROTOCOL", "SERVER", "QUEUE", "VALID", "IMPORTED", "LAST ERROR"], &rows);
            text.push_str(&more(found.len(), q.limit, found.last().map(|a| a.name.as_str())));
            Ok(Output::new(text, &found))
        }
        MailAccountsCmd::Show { name } => {
            let a = b.mail_account_get(&name).await?;
            Ok(Output::new(one(&a), &a))
        }
        MailAccountsCmd::Add { name, fields, secrets } => {
            let a = b.mail_account_add(new_account(name, fields, &secrets)?).await?;
            Ok(Output::new(format!("mail account {:?} added\n{}", a.name, one(&a)), &a))
        }
        MailAccountsCmd::Edit { name, fields, secrets } => {
            let p = patch(fields, &secrets)?;
            if p == MailAccountPatch::default() {
                return Err(AdminError::Usage("nothing to change: give at least one field or secret option".into()));
            }
            let a = b.mail_account_patch(&name, p).await?;
            Ok(Output::new(format!("mail account {:?} changed\n{}", a.name, one(&a)), &a))
        }
        MailAccountsCmd::Remove { name } => {
            b.mail_account_remove(&name).await?;
            Ok(Output::done(format!("mail account {name:?} removed"), serde_json::json!({ "removed": name })))
        }
    }
}

fn one(a: &MailAccountOut) -> String {
    let credential = match &a.oauth2 {
        Some(o) => format!(
            "OAuth2 client {} at {} (refresh token {}, client secret {})",
            o.client_id,
            o.token_url,
            if o.refresh_token_set { "set" } else { "missing" },
            if o.client_secret_set { "set" } else { "none" }
        ),
        None if a.password_set => "password (set)".into(),
        None => "password (missing)".into(),
    };
    let after = match &a.after_import {
        AfterImportBody::Keep => "keep".to_string(),
        AfterImportBody::Delete => "delete".to_string(),
        AfterImportBody::Move(f) => format!("move to {f}"),
    };
    let first = match &a.first_sync {
        FirstSyncBody::All => "all mail".to_string(),
        FirstSyncBody::Since(d) => format!("since {d}"),
    };
    let s = &a.status;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    fields(&[
        ("name", a.name.clone()),
        ("protocol", a.protocol.as_str().to_string()),
        ("server", format!("{}:{} (TLS {})", a.host, a.port, a.tls.as_str())),
        ("login", a.login.clone()),
        ("credential", credential),
        ("folders", a.folders.join(", ")),
        ("queue", a.queue.clone()),
        ("after import", after),
        ("first sync", first),
        ("poll seconds", a.poll_seconds.to_string()),
        ("idle", yes_no(a.idle)),
        ("authserv-id", a.authserv_id.clone()),
        ("valid", yes_no(a.valid)),
        ("comment", a.comment.clone()),
        ("imported", s.imported.to_string()),
        ("failed", s.failed.to_string()),
        ("pending", s.pending.map_or_else(|| "-".into(), |n| n.to_string())),
        ("last success", opt(&s.last_success)),
        ("last error", opt(&s.last_error)),
        ("last error at", opt(&s.last_error_at)),
    ])
}
