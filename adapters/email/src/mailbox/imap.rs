//! The IMAP session: connect, log in, read every folder from its checkpoint in UID order, then wait
//! for new mail (IDLE with one folder, polling otherwise) and read again, until an error.
//!
//! Exactly once: each message goes to [`crate::MailIntake::deliver_pulled`] with the checkpoint
//! `UIDVALIDITY:UID` after it, committed with the ticket. Dropping the session's future at any await
//! loses nothing: what was committed is past the checkpoint, the rest is read again. Messages are
//! read with `BODY.PEEK[]` (folders opened with `EXAMINE` when they are kept), so `\Seen` is never
//! set. Moving or deleting happens after the commit, and a crash between the two is caught up when
//! the folder is next opened.

use super::imap_client::{Bounds, Client};
use super::imap_parse::{Fetched, Untagged};
use super::{MailboxError, SessionContext};
use crate::intake::{Disposition, Pulled};
use base64::Engine as _;
use chamado::{AfterImport, Checkpoint, FirstSync};
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

/// The keyword marking a message the helpdesk refused, so the catch-up after a crash does not
/// move or delete it.
const REFUSED_KEYWORD: &str = "$ChamadoRefused";
/// Messages fetched per command.
const CHUNK_MESSAGES: usize = 50;
/// Bytes fetched per command (a single larger message goes alone).
const CHUNK_BYTES: u64 = 16 * 1024 * 1024;
/// The longest `SEARCH` answer line accepted: about a million UIDs.
const SEARCH_LINE_BYTES: usize = 8 * 1024 * 1024;
/// IDLE is renewed before servers' 30-minute inactivity limit (RFC 3501 §5.4).
const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);

/// Runs an IMAP session for `ctx.account` until an error; stop it by dropping the future.
pub async fn run_imap(ctx: SessionContext) -> Result<Infallible, MailboxError> {
    let mut client = Client::connect(&ctx).await?;
    client.login(&ctx.account.login, &ctx.secret).await?;
    let folders = ctx.account.read_folders();
    let poll = Duration::from_secs(u64::from(ctx.account.poll_seconds.max(1)));
    loop {
        for folder in &folders {
            sync_folder(&ctx, &mut client, folder).await?;
        }
        if ctx.account.idle && folders.len() == 1 && client.has("IDLE") {
            // The folder is still selected after its pass: IDLE reports what arrives in it.
            client.idle(IDLE_RENEW).await?;
        } else {
            tokio::time::sleep(poll).await;
            let b = client.small();
            client.must("NOOP", b, |_| {}).await?;
        }
    }
}

/// What `SELECT`/`EXAMINE` told about a folder.
struct Opened {
    uidvalidity: u32,
    keywords: bool,
    /// How many messages the folder held (`EXISTS`): no listing may name more.
    exists: u32,
}

/// One message to take: its UID and size.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    uid: u32,
    size: u64,
}

/// What one chunk's delivery left to do on the server.
#[derive(Default)]
struct Outcome {
    accepted: Vec<u32>,
    refused: Vec<u32>,
    /// Where in its chunk delivery stopped to mark a refused message before going on (see [`deliver`]).
    stopped: Option<usize>,
}

/// One pass over `folder`: from its checkpoint to its end.
async fn sync_folder(ctx: &SessionContext, client: &mut Client, folder: &str) -> Result<(), MailboxError> {
    let account = &ctx.account;
    let opened = open(ctx, client, folder).await?;
    let engine = ctx.intake.engine();
    let cursor_name = account.cursor_name(folder);
    let cursor: Option<(u32, u32, bool)> = engine
        .cursor("mail", &cursor_name)
        .await
        .map_err(|e| MailboxError::TryLater(e.to_string()))?
        .and_then(|v| parse_cursor(&v));
    let last = match cursor {
        Some((validity, uid, _)) if validity == opened.uidvalidity => Some(uid),
        _ => None,
    };
    if let Some(last) = last
        && last > 0
        && account.after_import != AfterImport::Keep
    {
        // The last message was refused and the session may have ended before marking it.
        if let Some((_, uid, true)) = cursor
            && opened.keywords
        {
            let b = client.small();
            client.must(&format!("UID STORE {uid} +FLAGS.SILENT ({REFUSED_KEYWORD})"), b, |_| {}).await?;
        }
        catch_up(ctx, client, folder, &opened, last).await?;
    }
    let candidates = candidates(ctx, client, &opened, last, cursor.is_none()).await?;
    let pending = candidates.len() as u64;
    // Too large ones are known now: marked before their checkpoint moves past them, so no crash
    // can leave one unmarked for the catch-up to move or delete.
    let max = ctx.limits.max_message_bytes as u64;
    let oversized: Vec<u32> = candidates.iter().filter(|c| c.size > max).map(|c| c.uid).collect();
    if !oversized.is_empty() && opened.keywords && account.after_import != AfterImport::Keep {
        let b = client.small();
        client.must(&format!("UID STORE {} +FLAGS.SILENT ({REFUSED_KEYWORD})", uid_set(&oversized)), b, |_| {}).await?;
    }
    let chunks = plan(&candidates, ctx.limits.max_message_bytes);
    let mut next = match chunks.first() {
        Some(c) => fetch(ctx, client, c).await?,
        None => HashMap::new(),
    };
    for (i, chunk) in chunks.iter().enumerate() {
        let current = std::mem::take(&mut next);
        let following = chunks.get(i + 1);
        // The next chunk comes over the wire while this one is committed.
        let (fetched, delivered) = tokio::join!(
            async {
                match following {
                    Some(c) => fetch(ctx, client, c).await,
                    None => Ok(HashMap::new()),
                }
            },
            deliver(ctx, folder, opened.uidvalidity, chunk, current)
        );
        let (mut outcome, mut rest) = delivered?;
        next = fetched?;
        after_import(ctx, client, &opened, &outcome).await?;
        while let Some(stopped) = outcome.stopped {
            let remaining = chunk.get(stopped..).unwrap_or_default();
            (outcome, rest) = deliver(ctx, folder, opened.uidvalidity, remaining, rest).await?;
            after_import(ctx, client, &opened, &outcome).await?;
        }
    }
    ctx.progress.pass_done(folder, pending);
    Ok(())
}

/// `SELECT` (or `EXAMINE` when messages are kept: nothing is changed then, not even `\Recent`).
async fn open(ctx: &SessionContext, client: &mut Client, folder: &str) -> Result<Opened, MailboxError> {
    let verb = if ctx.account.after_import == AfterImport::Keep { "EXAMINE" } else { "SELECT" };
    let name = quoted(folder).ok_or_else(|| MailboxError::Folder {
        folder: folder.into(),
        reason: "a folder name with control characters cannot be read".into(),
    })?;
    let (mut uidvalidity, mut keywords, mut exists) = (None, false, 0);
    let b = client.small();
    client
        .run(&format!("{verb} {name}"), b, |u| match u {
            Untagged::UidValidity(v) => uidvalidity = Some(v),
            Untagged::Exists(n) => exists = n,
            Untagged::PermanentFlags { keywords: k } => keywords = k,
            _ => {}
        })
        .await?
        .map_err(|reason| MailboxError::Folder { folder: folder.into(), reason })?;
    let uidvalidity = uidvalidity
        .ok_or_else(|| MailboxError::Protocol(format!("{verb} {folder:?}: the server named no UIDVALIDITY")))?;
    Ok(Opened { uidvalidity, keywords, exists })
}

/// The messages to take, in UID order: above `last`, or all (or since the first-sync date) when
/// the folder is read from its start.
async fn candidates(
    ctx: &SessionContext,
    client: &mut Client,
    opened: &Opened,
    last: Option<u32>,
    first_sync: bool,
) -> Result<Vec<Candidate>, MailboxError> {
    let from = last.unwrap_or(0);
    let mut bound = Bound::new(opened);
    let wanted: Option<Vec<u32>> = match (&ctx.account.first_sync, first_sync) {
        (FirstSync::Since { date }, true) => {
            let date = imap_date(date)
                .ok_or_else(|| MailboxError::Protocol(format!("first-sync date {date:?} is not YYYY-MM-DD")))?;
            Some(search(client, opened, &format!("SINCE {date}")).await?)
        }
        _ => None,
    };
    let Some(start) = from.checked_add(1) else { return Ok(Vec::new()) };
    let start = match &wanted {
        Some(w) => match w.first() {
            Some(first) => (*first).max(start),
            None => return Ok(Vec::new()),
        },
        None => start,
    };
    // One short line per message (not one SEARCH line for all): every line stays within the limit.
    let mut found = Vec::new();
    let b = client.small();
    client
        .must(&format!("UID FETCH {start}:* (UID RFC822.SIZE)"), b, |u| match u {
            Untagged::Fetch(Fetched { uid: Some(uid), size: Some(size), .. }) if uid > from => {
                bound.extend(&mut found, [Candidate { uid, size }]);
            }
            u => bound.see(&u),
        })
        .await?;
    bound.check()?;
    found.sort_unstable_by_key(|c| c.uid);
    found.dedup_by_key(|c| c.uid);
    if let Some(w) = wanted {
        found.retain(|c| w.binary_search(&c.uid).is_ok());
    }
    Ok(found)
}

/// Splits candidates into fetches: at most [`CHUNK_MESSAGES`] messages and [`CHUNK_BYTES`] each
/// (one larger message alone). Oversized messages ride along without being fetched.
fn plan(candidates: &[Candidate], max_message: usize) -> Vec<Vec<Candidate>> {
    let mut chunks: Vec<Vec<Candidate>> = Vec::new();
    let mut bytes = 0u64;
    for c in candidates {
        let counted = if c.size > max_message as u64 { 0 } else { c.size };
        let start_new = match chunks.last() {
            None => true,
            Some(last) => last.len() >= CHUNK_MESSAGES || (bytes + counted > CHUNK_BYTES && !last.is_empty()),
        };
        if start_new {
            chunks.push(Vec::new());
            bytes = 0;
        }
        bytes += counted;
        if let Some(last) = chunks.last_mut() {
            last.push(*c);
        }
    }
    chunks
}

/// Fetches the bodies of the chunk's messages that are not too large.
async fn fetch(
    ctx: &SessionContext,
    client: &mut Client,
    chunk: &[Candidate],
) -> Result<HashMap<u32, Vec<u8>>, MailboxError> {
    let max = ctx.limits.max_message_bytes;
    let uids: Vec<u32> = chunk.iter().filter(|c| c.size <= max as u64).map(|c| c.uid).collect();
    let mut bodies = HashMap::with_capacity(uids.len());
    if uids.is_empty() {
        return Ok(bodies);
    }
    // What the server announced, with room for a size it got slightly wrong: a server sending
    // more (bodies larger than announced, the same body again and again) keeps no more than this.
    let announced: u64 = chunk.iter().filter(|c| c.size <= max as u64).map(|c| c.size).sum();
    let budget = announced.saturating_mul(2).saturating_add(1024 * 1024);
    let (mut held, mut overflow) = (0u64, false);
    let b = Bounds { literal: max, line: client.small().line };
    client
        .must(&format!("UID FETCH {} (UID RFC822.SIZE BODY.PEEK[])", uid_set(&uids)), b, |u| {
            if let Untagged::Fetch(Fetched { uid: Some(uid), body: Some(body), .. }) = u
                && uids.binary_search(&uid).is_ok()
            {
                held += body.len() as u64;
                if held > budget {
                    overflow = true;
                } else {
                    bodies.insert(uid, body);
                }
            }
        })
        .await?;
    if overflow {
        return Err(MailboxError::Protocol(format!(
            "the server sent more than {budget} bytes for messages it said were {announced} bytes"
        )));
    }
    Ok(bodies)
}

/// Hands the chunk's messages to the intake in UID order, each with the checkpoint after it.
async fn deliver(
    ctx: &SessionContext,
    folder: &str,
    uidvalidity: u32,
    chunk: &[Candidate],
    mut bodies: HashMap<u32, Vec<u8>>,
) -> Result<(Outcome, HashMap<u32, Vec<u8>>), MailboxError> {
    let mut out = Outcome::default();
    // Moving or deleting: a refused message is marked before the next one's commit moves the cursor
    // past it, so delivery stops after a refusal and goes on once it is marked.
    let stop_on_refusal = ctx.account.after_import != AfterImport::Keep;
    let cursor_name = ctx.account.cursor_name(folder);
    let max = ctx.limits.max_message_bytes;
    for (i, c) in chunk.iter().enumerate() {
        let value = format!("{uidvalidity}:{}", c.uid);
        if c.size > max as u64 {
            let reason = format!("message of {} bytes exceeds the limit of {max} bytes", c.size);
            tracing::warn!(folder, uid = c.uid, size = c.size, "mailbox message too large, passed over");
            ctx.intake
                .engine()
                .set_cursor("mail", &cursor_name, Some(&value))
                .await
                .map_err(|e| MailboxError::TryLater(e.to_string()))?;
            ctx.progress.failed(folder, &reason);
            out.refused.push(c.uid);
            continue;
        }
        // Gone since it was listed (expunged by another client): nothing to take.
        let Some(raw) = bodies.remove(&c.uid) else { continue };
        let refused = Some(format!("{value}:{REFUSED_MARK}"));
        let checkpoint = Checkpoint { adapter: "mail".into(), name: cursor_name.clone(), value, refused };
        let delivered = ctx.intake.deliver_pulled(&raw, Pulled { queue: ctx.account.queue.clone(), checkpoint }).await;
        match delivered.disposition {
            Disposition::Accepted(_) => {
                ctx.progress.imported(folder);
                out.accepted.push(c.uid);
            }
            Disposition::Refused(reason) => {
                ctx.progress.failed(folder, &reason);
                out.refused.push(c.uid);
                if stop_on_refusal && i + 1 < chunk.len() {
                    out.stopped = Some(i + 1);
                    return Ok((out, bodies));
                }
            }
            Disposition::TryLater(reason) => return Err(MailboxError::TryLater(reason)),
        }
    }
    Ok((out, bodies))
}

/// Moves or deletes what was taken; marks what was refused so the catch-up leaves it alone.
async fn after_import(
    ctx: &SessionContext,
    client: &mut Client,
    opened: &Opened,
    out: &Outcome,
) -> Result<(), MailboxError> {
    if ctx.account.after_import == AfterImport::Keep {
        return Ok(());
    }
    if !out.refused.is_empty() && opened.keywords {
        let b = client.small();
        client
            .must(&format!("UID STORE {} +FLAGS.SILENT ({REFUSED_KEYWORD})", uid_set(&out.refused)), b, |_| {})
            .await?;
    }
    apply(ctx, client, &out.accepted).await
}

/// The account's after-import action on `uids`.
async fn apply(ctx: &SessionContext, client: &mut Client, uids: &[u32]) -> Result<(), MailboxError> {
    if uids.is_empty() {
        return Ok(());
    }
    let set = uid_set(uids);
    let b = client.small();
    match &ctx.account.after_import {
        AfterImport::Keep => return Ok(()),
        AfterImport::Move { folder } => {
            let target = quoted(folder).ok_or_else(|| MailboxError::Folder {
                folder: folder.clone(),
                reason: "a folder name with control characters cannot be used".into(),
            })?;
            if client.has("MOVE") {
                return client.must(&format!("UID MOVE {set} {target}"), b, |_| {}).await;
            }
            client
                .run(&format!("UID COPY {set} {target}"), b, |_| {})
                .await?
                .map_err(|reason| MailboxError::Folder { folder: folder.clone(), reason })?;
        }
        AfterImport::Delete => {}
    }
    client.must(&format!("UID STORE {set} +FLAGS.SILENT (\\Deleted)"), b, |_| {}).await?;
    if client.has("UIDPLUS") {
        client.must(&format!("UID EXPUNGE {set}"), b, |_| {}).await
    } else {
        client.must("EXPUNGE", b, |_| {}).await
    }
}

/// Messages at or below the checkpoint still in the folder were committed but not yet moved or
/// deleted (a crash in between, or an account switched from keeping mail): the action is applied to
/// them now, refused ones excepted (marked, or too large). A message the intake refused in the
/// instant before a crash, before it was marked, is the one case this cannot tell apart.
async fn catch_up(
    ctx: &SessionContext,
    client: &mut Client,
    folder: &str,
    opened: &Opened,
    last: u32,
) -> Result<(), MailboxError> {
    if !opened.keywords {
        tracing::warn!(folder, "the server keeps no keywords: taken messages left by a crash are not moved");
        return Ok(());
    }
    // Too large ones were refused even when nothing could mark them (read while kept).
    let max = ctx.limits.max_message_bytes;
    let mut uids =
        search(client, opened, &format!("UID 1:{last} NOT KEYWORD {REFUSED_KEYWORD} NOT LARGER {max}")).await?;
    uids.retain(|u| *u <= last);
    if !uids.is_empty() {
        tracing::info!(folder, count = uids.len(), "applying the after-import action left undone before a restart");
    }
    for part in uids.chunks(500) {
        apply(ctx, client, part).await?;
    }
    Ok(())
}

/// `UID SEARCH <criteria>`: the UIDs found, sorted and without repeats, no more than the folder holds.
async fn search(client: &mut Client, opened: &Opened, criteria: &str) -> Result<Vec<u32>, MailboxError> {
    let mut uids = Vec::new();
    let mut bound = Bound::new(opened);
    let b = Bounds { literal: client.small().literal, line: SEARCH_LINE_BYTES.max(client.small().line) };
    client
        .must(&format!("UID SEARCH {criteria}"), b, |u| {
            if let Untagged::Search(found) = u {
                bound.extend(&mut uids, found);
            } else {
                bound.see(&u);
            }
        })
        .await?;
    bound.check()?;
    uids.sort_unstable();
    uids.dedup();
    Ok(uids)
}

/// Keeps a listing within what the folder holds: a server naming more messages than its `EXISTS`
/// (plus what arrives meanwhile) would otherwise grow the list without end.
struct Bound {
    limit: usize,
    overflow: bool,
}

impl Bound {
    fn new(opened: &Opened) -> Bound {
        Bound { limit: opened.exists as usize + 1, overflow: false }
    }

    /// Follows `EXISTS` updates during the command.
    fn see(&mut self, u: &Untagged) {
        if let Untagged::Exists(n) = u {
            self.limit = self.limit.max(*n as usize + 1);
        }
    }

    /// Appends `items` to `list` as far as the bound allows.
    fn extend<T>(&mut self, list: &mut Vec<T>, items: impl IntoIterator<Item = T>) {
        for item in items {
            if list.len() >= self.limit {
                self.overflow = true;
                return;
            }
            list.push(item);
        }
    }

    fn check(&self) -> Result<(), MailboxError> {
        if self.overflow {
            return Err(MailboxError::Protocol(format!(
                "the server listed more than the {} messages the folder holds",
                self.limit
            )));
        }
        Ok(())
    }
}

/// The suffix of a checkpoint left by a refused message (`UIDVALIDITY:UID:refused`).
const REFUSED_MARK: &str = "refused";

/// `UIDVALIDITY:UID`, or `UIDVALIDITY:UID:refused` when that message was refused.
fn parse_cursor(v: &str) -> Option<(u32, u32, bool)> {
    let (a, rest) = v.split_once(':')?;
    let (b, refused) = match rest.split_once(':') {
        Some((b, mark)) if mark == REFUSED_MARK => (b, true),
        Some(_) => return None,
        None => (rest, false),
    };
    Some((a.parse().ok()?, b.parse().ok()?, refused))
}

/// A sorted UID list as a compact IMAP sequence set (`1:5,8,10:12`).
fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end.wrapping_add(1) {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if end == start {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// A folder name as an IMAP quoted string, in modified UTF-7 (RFC 3501 §5.1.3) so names in any
/// language work; `None` for names IMAP cannot carry in a quoted string (control characters).
fn quoted(name: &str) -> Option<String> {
    if name.is_empty() || name.chars().any(char::is_control) {
        return None;
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    let mut pending: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush_utf7(&mut out, &mut pending);
            match c {
                '&' => out.push_str("&-"),
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush_utf7(&mut out, &mut pending);
    out.push('"');
    Some(out)
}

/// Writes `units` as one `&...-` run of modified base64 (`,` for `/`, no padding).
fn flush_utf7(out: &mut String, units: &mut Vec<u16>) {
    if units.is_empty() {
        return;
    }
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
    out.push('&');
    out.push_str(&b64.replace('/', ","));
    out.push('-');
    units.clear();
}

/// `YYYY-MM-DD` as IMAP's `d-Mon-yyyy`.
fn imap_date(date: &str) -> Option<String> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (u32, usize, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=31).contains(&d) || !(1900..=9999).contains(&y) {
        return None;
    }
    Some(format!("{d}-{}-{y}", MONTHS.get(m.checked_sub(1)?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_dates_cursors() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[4]), "4");
        assert_eq!(imap_date("2026-03-07").as_deref(), Some("7-Mar-2026"));
        assert_eq!(imap_date("2026-13-07"), None);
        assert_eq!(parse_cursor("17:200"), Some((17, 200, false)));
        assert_eq!(parse_cursor("17:200:refused"), Some((17, 200, true)));
        assert_eq!(parse_cursor("17:200:x"), None);
        assert_eq!(parse_cursor("x"), None);
        assert_eq!(quoted("a\"b").as_deref(), Some("\"a\\\"b\""));
        // RFC 3501 §5.1.3's example, and a Portuguese name.
        assert_eq!(quoted("~peter/mail/台北/日本語").as_deref(), Some("\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\""));
        assert_eq!(quoted("Caixa de saída & co").as_deref(), Some("\"Caixa de sa&AO0-da &- co\""));
        assert_eq!(quoted("a\nb"), None);
    }

    #[test]
    fn plans_chunks_by_count_and_bytes() {
        let c: Vec<Candidate> = (1..=120).map(|uid| Candidate { uid, size: 1000 }).collect();
        let p = plan(&c, 10_000);
        assert_eq!(p.iter().map(Vec::len).collect::<Vec<_>>(), vec![50, 50, 20]);
        let big = [Candidate { uid: 1, size: 10 * 1024 * 1024 }, Candidate { uid: 2, size: 10 * 1024 * 1024 }];
        assert_eq!(plan(&big, 20 * 1024 * 1024).len(), 2);
    }
}
