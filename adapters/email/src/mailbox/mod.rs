//! Mail pulled from mailboxes: IMAP (with IDLE where offered) and POP3 (with UIDL) accounts, each on its
//! own task, exactly once across crashes and other clients.
//!
//! Exactly once rests on the engine: every message is handed to [`crate::MailIntake::deliver_pulled`]
//! with the account's checkpoint after it (IMAP: `UIDVALIDITY:UID` per folder; POP3: the message's
//! UIDL), which the engine commits together with the ticket or article the message becomes. A crash
//! before that commit reads the message again; after it, the checkpoint is past it. `\Seen` flags are
//! never read nor set. Moving or deleting on the server happens only after the commit.
//!
//! A host fills [`MailboxSettings`] (or one account from a URL, [`parse_account_url`]), puts the
//! accounts into the store, and runs a [`MailboxPuller`]; on several nodes it adds [`AccountLeases`]
//! so one node at a time pulls each account.

mod account_task;
mod account_url;
mod imap;
mod imap_client;
mod imap_parse;
mod imap_wire;
mod metrics;
mod oauth;
mod pop3;
mod pop3_client;
mod pop3_connect;
mod puller;
mod run_session;
mod session;
mod settings;
mod tls;
mod xoauth2;

pub use account_url::{AccountUrlError, parse_account_url};
pub use imap::run_imap;
pub use metrics::{AccountLabels, MailboxMetrics};
pub use oauth::{OAuthError, TokenClient};
pub use pop3::run_pop3;
pub use puller::{AccountLease, AccountLeases, MailboxPuller, PullerError};
pub use session::{MailboxError, Progress, Secret, SessionContext, SessionLimits};
pub use settings::{AccountSettings, AccountSettingsError, MailboxSettings};
pub use tls::{TlsConfigError, client_config, client_config_with_pem};
