//! A POP3 account's session: every `poll_seconds`, connect, log in, take every message not taken
//! before (by its `UIDL`), and `QUIT`.
//!
//! Exactly once: each message has its own cursor (`<account>/INBOX#<uidl>`, adapter `mail`), committed
//! by the engine with the ticket or article the message becomes (value `taken`), or set to `refused`
//! right after a refusal. A message without a cursor is taken; one with a cursor never again. (Account
//! names are at most 64 characters and UIDLs at most 70, so the names stay within the engine's
//! 200-character cursor names.)
//!
//! Deleting (`after_import` delete): POP3 applies `DELE` only at `QUIT`, and a connection that ends
//! without `QUIT` deletes nothing (RFC 1939 section 6). So `DELE` is sent right after the commit, and
//! whatever breaks the session before `QUIT` (a crash, the future dropped, the connection lost)
//! leaves taken messages on the server; the next pass deletes them first ("catch-up": a message whose
//! cursor is `taken` is still there). Refused messages are never deleted.
//!
//! The maildrop is locked while a session is logged in, so every pass ends with `QUIT` and the lock
//! is free between passes for the mailbox's other clients.
//!
//! First sync since a date: on the first complete pass, each message's headers are read with
//! `TOP n 0` and a message whose `Date:` is before that day (UTC) is marked `skipped` and never taken;
//! messages without a readable date, or when the server has no `TOP`, are taken. A marker cursor
//! (`<account>/INBOX!first-sync`) records that the first pass completed: later messages are all taken,
//! whatever their date. The cost is one `TOP` per message of the first pass only.
//!
//! Cancel safety: every await either reads or writes the connection (dropping it drops the
//! connection: no `QUIT`, nothing deleted) or is the engine's commit of one message (atomic). One
//! narrow window remains: a message the intake refuses gets its cursor (`taken`) with the refusal and
//! is marked `refused` right after; with `after_import` delete, a stop between the two would let the
//! next pass delete that refused message.

use super::pop3_client::{Body, Status};
use super::pop3_connect::{Connection, login, open};
use super::{MailboxError, SessionContext};
use crate::intake::{Disposition, Pulled};
use chamado::{AfterImport, Checkpoint, FirstSync, MailAccount};
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

/// POP3's one mailbox.
const FOLDER: &str = "INBOX";
/// The adapter name of every mailbox cursor.
const ADAPTER: &str = "mail";
const TAKEN: &str = "taken";
const REFUSED: &str = "refused";
const SKIPPED: &str = "skipped";

/// Runs the account's POP3 session until an error: a pass over the maildrop every
/// `account.poll_seconds` (at least [`MailAccount::MIN_POLL_SECONDS`]). Cancel-safe: the caller stops
/// it by dropping the future, at any point, without losing or duplicating mail.
pub async fn run_pop3(ctx: SessionContext) -> Result<Infallible, MailboxError> {
    let poll = Duration::from_secs(u64::from(ctx.account.poll_seconds.max(MailAccount::MIN_POLL_SECONDS)));
    loop {
        pass(&ctx).await?;
        tokio::time::sleep(poll).await;
    }
}

/// One message as the server listed it.
struct Listed {
    number: u32,
    uidl: String,
    size: u64,
}

/// One connection: log in, take what is new, `QUIT`.
async fn pass(ctx: &SessionContext) -> Result<(), MailboxError> {
    let mut client = open(ctx).await?;
    login(&mut client, ctx).await?;
    match take_new(&mut client, ctx).await {
        Ok(()) => {
            quit(&mut client, &ctx.account).await;
            Ok(())
        }
        // The connection is sound: QUIT applies the deletions of messages already committed.
        Err(e @ MailboxError::TryLater(_)) => {
            quit(&mut client, &ctx.account).await;
            Err(e)
        }
        // The connection may be broken (a QUIT would wait for its timeout): dropped without QUIT,
        // so this session's deletions are not applied; the next pass catches up.
        Err(e) => Err(e),
    }
}

async fn quit(client: &mut Connection, account: &MailAccount) {
    match client.quit().await {
        Ok(Status::Ok(_)) => {}
        Ok(Status::Err(text) | Status::Challenge(text)) => {
            tracing::warn!(account = %account.name, answer = %text, "POP3 QUIT failed; deletions are retried on the next pass");
        }
        Err(e) => {
            tracing::warn!(account = %account.name, error = %e, "POP3 QUIT failed; deletions are retried on the next pass");
        }
    }
}

async fn take_new(client: &mut Connection, ctx: &SessionContext) -> Result<(), MailboxError> {
    let account = &ctx.account;
    let messages = list(client).await?;
    let base = account.cursor_name(FOLDER);
    let delete = account.after_import == AfterImport::Delete;
    let first_sync_marker = format!("{base}!first-sync");
    let since = match &account.first_sync {
        FirstSync::Since { date } if cursor(ctx, &first_sync_marker).await?.is_none() => since_timestamp(date),
        _ => None,
    };

    let mut new = Vec::new();
    let mut committed = Vec::new();
    for m in messages {
        match cursor(ctx, &format!("{base}#{}", m.uidl)).await?.as_deref() {
            None => new.push(m),
            Some(TAKEN) if delete => committed.push(m.number),
            Some(_) => {}
        }
    }
    // Committed before a stop that came before QUIT: their deletion is due.
    for number in committed {
        dele(client, account, number).await?;
    }

    let pending = new.len() as u64;
    for m in new {
        let name = format!("{base}#{}", m.uidl);
        if let Some(since) = since
            && dated_before(client, m.number, since).await?
        {
            set_cursor(ctx, &name, SKIPPED).await?;
            continue;
        }
        if m.size > ctx.limits.max_message_bytes as u64 {
            let reason = format!("message of {} bytes, over the limit of {}", m.size, ctx.limits.max_message_bytes);
            refuse(ctx, &name, &reason).await?;
            continue;
        }
        let raw = match client.message(&format!("RETR {}", m.number)).await? {
            Body::Data(raw) => raw,
            // Deleted by another client since the listing (it cannot be, while we hold the lock, but a
            // server may say so): nothing to take.
            Body::Refused(text) => {
                tracing::info!(account = %account.name, number = m.number, answer = %text, "POP3 RETR refused; passed over");
                continue;
            }
            Body::TooLarge => {
                let reason =
                    format!("message larger than its listed size and the limit of {}", ctx.limits.max_message_bytes);
                refuse(ctx, &name, &reason).await?;
                // The rest of the message is still on the wire.
                return Err(MailboxError::Protocol(format!(
                    "message {} longer than announced; connection dropped",
                    m.number
                )));
            }
        };
        let pulled = Pulled {
            queue: account.queue.clone(),
            checkpoint: Checkpoint {
                adapter: ADAPTER.into(),
                name: name.clone(),
                value: TAKEN.into(),
                refused: Some(REFUSED.into()),
            },
        };
        match ctx.intake.deliver_pulled(&raw, pulled).await.disposition {
            Disposition::Accepted(_) => {
                ctx.progress.imported(FOLDER);
                if delete {
                    dele(client, account, m.number).await?;
                }
            }
            Disposition::Refused(reason) => refuse(ctx, &name, &reason).await?,
            Disposition::TryLater(reason) => return Err(MailboxError::TryLater(reason)),
        }
    }
    if since.is_some() {
        set_cursor(ctx, &first_sync_marker, "done").await?;
    }
    ctx.progress.pass_done(FOLDER, pending);
    Ok(())
}

/// `UIDL` and `LIST`, joined, in message-number order.
async fn list(client: &mut Connection) -> Result<Vec<Listed>, MailboxError> {
    let uidl = match client.listing("UIDL").await? {
        Ok(lines) => lines,
        Err(text) => {
            return Err(MailboxError::Protocol(format!(
                "the server refused UIDL ({text}); without it messages cannot be taken exactly once"
            )));
        }
    };
    let sizes = match client.listing("LIST").await? {
        Ok(lines) => lines,
        Err(text) => return Err(MailboxError::Protocol(format!("the server refused LIST: {text}"))),
    };
    let mut size_of = HashMap::with_capacity(sizes.len());
    for line in &sizes {
        let (number, size) = pair(line).ok_or_else(|| bad_line("LIST", line))?;
        let size: u64 = size.parse().map_err(|_| bad_line("LIST", line))?;
        size_of.insert(number, size);
    }
    let mut out = Vec::with_capacity(uidl.len());
    for line in &uidl {
        let (number, id) = pair(line).ok_or_else(|| bad_line("UIDL", line))?;
        // RFC 1939: 1 to 70 characters from 0x21 to 0x7E; they name cursors, so nothing else passes.
        if id.is_empty() || id.len() > 70 || !id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad_line("UIDL", line));
        }
        let size = *size_of.get(&number).ok_or_else(|| bad_line("UIDL (not in LIST)", line))?;
        out.push(Listed { number, uidl: id.to_string(), size });
    }
    out.sort_by_key(|m| m.number);
    if out.windows(2).any(|w| w[0].number == w[1].number) {
        return Err(MailboxError::Protocol("UIDL lists a message number twice".into()));
    }
    Ok(out)
}

/// `"<number> <word>"`.
fn pair(line: &str) -> Option<(u32, &str)> {
    let mut words = line.split_ascii_whitespace();
    let number = words.next()?.parse::<u32>().ok().filter(|n| *n > 0)?;
    let word = words.next()?;
    Some((number, word))
}

fn bad_line(what: &str, line: &str) -> MailboxError {
    let shown: String = line.chars().take(80).collect();
    MailboxError::Protocol(format!("malformed {what} line {shown:?}"))
}

async fn dele(client: &mut Connection, account: &MailAccount, number: u32) -> Result<(), MailboxError> {
    match client.command(&format!("DELE {number}")).await? {
        Status::Ok(_) => {}
        Status::Err(text) | Status::Challenge(text) => {
            tracing::warn!(account = %account.name, number, answer = %text, "POP3 DELE refused; the message stays");
        }
    }
    Ok(())
}

/// Records a refusal: counted as failed, and never read (nor deleted) again.
async fn refuse(ctx: &SessionContext, name: &str, reason: &str) -> Result<(), MailboxError> {
    tracing::info!(account = %ctx.account.name, cursor = name, reason, "POP3 message refused");
    set_cursor(ctx, name, REFUSED).await?;
    ctx.progress.failed(FOLDER, reason);
    Ok(())
}

async fn cursor(ctx: &SessionContext, name: &str) -> Result<Option<String>, MailboxError> {
    ctx.intake.engine().cursor(ADAPTER, name).await.map_err(|e| MailboxError::TryLater(e.to_string()))
}

async fn set_cursor(ctx: &SessionContext, name: &str, value: &str) -> Result<(), MailboxError> {
    ctx.intake.engine().set_cursor(ADAPTER, name, Some(value)).await.map_err(|e| MailboxError::TryLater(e.to_string()))
}

/// The first second of `date` (`YYYY-MM-DD`, UTC); `None` when it does not parse (the account's
/// validation refuses such dates: then every message is taken).
fn since_timestamp(date: &str) -> Option<i64> {
    mail_parser::DateTime::parse_rfc3339(&format!("{date}T00:00:00Z")).map(|d| d.to_timestamp())
}

/// Whether message `number`'s `Date:` is before `since`, read with `TOP n 0`. No date, no `TOP`:
/// not before (the message is taken).
async fn dated_before(client: &mut Connection, number: u32, since: i64) -> Result<bool, MailboxError> {
    let headers = match client.message(&format!("TOP {number} 0")).await? {
        Body::Data(headers) => headers,
        Body::Refused(_) => return Ok(false),
        Body::TooLarge => {
            return Err(MailboxError::Protocol(format!("headers of message {number} over the size limit")));
        }
    };
    let date =
        mail_parser::MessageParser::new().parse_headers(&headers).and_then(|m| m.date().map(|d| d.to_timestamp()));
    Ok(date.is_some_and(|d| d < since))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_lines_parse_strictly() {
        assert_eq!(pair("3 abc"), Some((3, "abc")));
        assert_eq!(pair("0 abc"), None);
        assert_eq!(pair("x abc"), None);
        assert_eq!(pair("3"), None);
    }

    #[test]
    fn since_is_midnight_utc() {
        assert_eq!(since_timestamp("2024-01-02"), Some(1_704_153_600));
        assert_eq!(since_timestamp("yesterday"), None);
    }
}
