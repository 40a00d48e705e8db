//! The one place a session is started by protocol.

use super::{MailboxError, SessionContext, run_imap, run_pop3};
use chamado::MailProtocol;
use std::convert::Infallible;

/// Runs the account's protocol session until it fails (it never ends otherwise; dropping the future
/// stops it).
pub(crate) async fn run_session(ctx: SessionContext) -> Result<Infallible, MailboxError> {
    match ctx.account.protocol {
        MailProtocol::Imap => run_imap(ctx).await,
        MailProtocol::Pop3 => run_pop3(ctx).await,
    }
}
