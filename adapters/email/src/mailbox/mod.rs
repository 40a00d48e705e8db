//! Mail pulled from mailboxes: IMAP (with IDLE where offered) and POP3 (with UIDL) accounts, each on its
//! own task, exactly once across crashes and other clients.
//!
//! Exactly once rests on the engine: every message is handed to [`crate::MailIntake::deliver_pulled`]
//! with the account's checkpoint after it (IMAP: `UIDVALIDITY:UID` per folder; POP3: the message's
//! UIDL), which the engine commits together with the ticket or article the message becomes. A crash
//! before that commit reads the message again; after it, the checkpoint is past it. `\Seen` flags are
//! never read nor set. Moving or deleting on the server happens only after the commit.

mod imap;
mod imap_client;
mod imap_parse;
mod imap_wire;
mod pop3;
mod pop3_client;
mod pop3_connect;
mod session;

pub use imap::run_imap;
pub use pop3::run_pop3;
pub use session::{MailboxError, Progress, Secret, SessionContext, SessionLimits};
