//! The POP3 wire protocol (RFC 1939, RFC 2449 `CAPA`, RFC 5034 `AUTH`): commands, status lines and
//! multi-line answers, every read bounded in size and time.
//!
//! Why our own client and not `async-pop2` (1.1.1, the maintained fork of `async-pop`): its reader
//! keeps the whole answer in one buffer capped at a fixed 20 MiB (not our limits), re-parses that
//! buffer from its start after every read (quadratic on a large `RETR`), has no timeouts, and panics
//! (`unreachable!()`) when the server closes the connection in the middle of an answer; it also pulls
//! `nom`, `futures`, `log` and a second `base64`. What a puller needs of POP3 is small: the few
//! hundred lines here, with the line limit, the message size limit and the per-command timeout of
//! [`SessionLimits`] on every read.

use super::{MailboxError, SessionLimits};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

/// Most entries a `UIDL`/`LIST` listing may have: far beyond any real maildrop, it caps the memory a
/// hostile server can make us spend on listings (about 100 bytes each).
pub(super) const MAX_LISTING: usize = 1_000_000;

/// A status line's verdict.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// `+OK text`.
    Ok(String),
    /// `-ERR text`.
    Err(String),
    /// `+ text`: a SASL challenge (only during `AUTH`).
    Challenge(String),
}

/// What a `RETR`/`TOP` answer was.
#[derive(Debug)]
pub(super) enum Body {
    /// The message (dot-unstuffed, lines as sent).
    Data(Vec<u8>),
    /// The server refused the command.
    Refused(String),
    /// The message grew past the limit while read; the connection is in the middle of it and must be
    /// dropped.
    TooLarge,
}

/// Why a bounded line read stopped short.
enum LineError {
    Io(std::io::Error),
    Closed,
    TooLong,
}

/// One POP3 connection over `S` (TCP, or TLS over TCP).
pub(super) struct Pop3Client<S> {
    io: BufReader<S>,
    limits: SessionLimits,
    /// For error messages.
    peer: String,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Pop3Client<S> {
    /// A client over `io`; nothing is read yet.
    pub(super) fn new(io: S, limits: SessionLimits, peer: String) -> Self {
        Pop3Client { io: BufReader::new(io), limits, peer }
    }

    /// The connection, for the TLS upgrade after `STLS`. Refused when the server sent anything after
    /// its `+OK`: bytes read before the handshake must not be taken as if they came over TLS (the
    /// STARTTLS command-injection attack).
    pub(super) fn into_inner(self) -> Result<S, MailboxError> {
        if !self.io.buffer().is_empty() {
            return Err(self.protocol("data after the STLS answer, before the TLS handshake"));
        }
        Ok(self.io.into_inner())
    }

    /// The greeting (`+OK`, else an error). Not timed here: it is part of connecting, which the
    /// caller bounds with the connect timeout.
    pub(super) async fn greeting(&mut self) -> Result<String, MailboxError> {
        match self.status().await? {
            Status::Ok(text) => Ok(text),
            Status::Err(text) | Status::Challenge(text) => Err(self.protocol(&format!("greeting: {text}"))),
        }
    }

    /// Sends `line` (without CRLF) and reads the status line. `line` may carry a secret: it is
    /// never logged nor put in an error.
    pub(super) async fn command(&mut self, line: &str) -> Result<Status, MailboxError> {
        self.timed(async |c: &mut Self| {
            c.send(line).await?;
            c.status().await
        })
        .await
    }

    /// Sends `line`; on `+OK` reads the multi-line answer as text lines (`CAPA`, `UIDL`, `LIST`),
    /// each at most `max_line_bytes`, at most [`MAX_LISTING`] of them.
    pub(super) async fn listing(&mut self, line: &str) -> Result<Result<Vec<String>, String>, MailboxError> {
        self.timed(async |c: &mut Self| {
            c.send(line).await?;
            match c.status().await? {
                Status::Ok(_) => {}
                Status::Err(text) => return Ok(Err(text)),
                Status::Challenge(_) => return Err(c.protocol("a challenge outside AUTH")),
            }
            let mut lines = Vec::new();
            let mut buf = Vec::new();
            loop {
                buf.clear();
                let max = c.limits.max_line_bytes;
                c.line(&mut buf, max).await.map_err(|e| c.line_error(e, "listing line"))?;
                let text = trim_eol(&buf);
                if text == b"." {
                    return Ok(Ok(lines));
                }
                if lines.len() >= MAX_LISTING {
                    return Err(c.protocol("listing too long"));
                }
                let text = text.strip_prefix(b".").unwrap_or(text);
                lines.push(String::from_utf8_lossy(text).into_owned());
            }
        })
        .await
    }

    /// Sends `line` (`RETR n`, `TOP n 0`); on `+OK` reads the message, dot-unstuffed, keeping at most
    /// `max_message_bytes`.
    pub(super) async fn message(&mut self, line: &str) -> Result<Body, MailboxError> {
        self.timed(async |c: &mut Self| {
            c.send(line).await?;
            match c.status().await? {
                Status::Ok(_) => {}
                Status::Err(text) => return Ok(Body::Refused(text)),
                Status::Challenge(_) => return Err(c.protocol("a challenge outside AUTH")),
            }
            let max = c.limits.max_message_bytes;
            let mut data = Vec::new();
            let mut buf = Vec::new();
            loop {
                buf.clear();
                // Room for what is left of the budget plus a terminating ".\r\n".
                let room = max.saturating_sub(data.len()) + 3;
                match c.line(&mut buf, room).await {
                    Ok(()) => {}
                    Err(LineError::TooLong) => return Ok(Body::TooLarge),
                    Err(e) => return Err(c.line_error(e, "message")),
                }
                if trim_eol(&buf) == b"." {
                    return Ok(Body::Data(data));
                }
                let line = buf.strip_prefix(b".").unwrap_or(&buf);
                if data.len() + line.len() > max {
                    return Ok(Body::TooLarge);
                }
                data.extend_from_slice(line);
            }
        })
        .await
    }

    /// `QUIT`, politely: the answer says whether the deletions were applied.
    pub(super) async fn quit(&mut self) -> Result<Status, MailboxError> {
        self.command("QUIT").await
    }

    /// Runs `f` within the command timeout.
    async fn timed<T>(&mut self, f: impl AsyncFnOnce(&mut Self) -> Result<T, MailboxError>) -> Result<T, MailboxError> {
        let limit = self.limits.command_timeout;
        let peer = self.peer.clone();
        match tokio::time::timeout(limit, f(self)).await {
            Ok(r) => r,
            Err(_) => Err(MailboxError::Protocol(format!("{peer}: no complete answer within {limit:?}"))),
        }
    }

    async fn send(&mut self, line: &str) -> Result<(), MailboxError> {
        // A line break inside would be a second command (our own data, but an admin typed it).
        if line.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(MailboxError::Protocol("a command would contain a line break".into()));
        }
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        let w = self.io.get_mut();
        let sent = async {
            w.write_all(&bytes).await?;
            w.flush().await
        };
        sent.await.map_err(|e| self.broken(&e))
    }

    /// One status line: `+OK`, `-ERR` or `+ ` (SASL), at most `max_line_bytes`.
    async fn status(&mut self) -> Result<Status, MailboxError> {
        let mut buf = Vec::new();
        let max = self.limits.max_line_bytes;
        self.line(&mut buf, max).await.map_err(|e| self.line_error(e, "status line"))?;
        let text = String::from_utf8_lossy(trim_eol(&buf)).into_owned();
        let rest = |prefix: &str| text[prefix.len()..].trim_start().to_string();
        if text.starts_with("+OK") {
            Ok(Status::Ok(rest("+OK")))
        } else if text.starts_with("-ERR") {
            Ok(Status::Err(rest("-ERR")))
        } else if text == "+" || text.starts_with("+ ") {
            Ok(Status::Challenge(rest("+")))
        } else {
            let shown: String = text.chars().take(80).collect();
            Err(self.protocol(&format!("not a POP3 status line: {shown:?}")))
        }
    }

    /// Appends one line (through its LF) to `out`, failing once it would pass `max` bytes.
    async fn line(&mut self, out: &mut Vec<u8>, max: usize) -> Result<(), LineError> {
        loop {
            let available = self.io.fill_buf().await.map_err(LineError::Io)?;
            if available.is_empty() {
                return Err(LineError::Closed);
            }
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if out.len() + take > max {
                return Err(LineError::TooLong);
            }
            out.extend_from_slice(&available[..take]);
            self.io.consume(take);
            if done {
                return Ok(());
            }
        }
    }

    fn line_error(&self, e: LineError, what: &str) -> MailboxError {
        match e {
            LineError::Io(e) => self.broken(&e),
            LineError::Closed => self.protocol(&format!("connection closed in the middle of a {what}")),
            LineError::TooLong => self.protocol(&format!("{what} longer than {} bytes", self.limits.max_line_bytes)),
        }
    }

    fn broken(&self, e: &std::io::Error) -> MailboxError {
        MailboxError::Protocol(format!("{}: connection broke: {e}", self.peer))
    }

    fn protocol(&self, what: &str) -> MailboxError {
        MailboxError::Protocol(format!("{}: {what}", self.peer))
    }
}

/// The line without its CRLF (or bare LF).
fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multi_line_answers_end_at_the_dot_and_are_unstuffed() {
        let (ours, mut theirs) = tokio::io::duplex(4096);
        let mut c = Pop3Client::new(ours, SessionLimits::default(), "test".into());
        theirs.write_all(b"+OK 2 lines\r\nSubject: x\r\n\r\n..dot\r\n.\r\n").await.unwrap();
        let Body::Data(data) = c.message("RETR 1").await.unwrap() else { panic!("no data") };
        assert_eq!(data, b"Subject: x\r\n\r\n.dot\r\n");
    }

    #[tokio::test]
    async fn a_message_past_the_limit_stops_reading() {
        let (ours, mut theirs) = tokio::io::duplex(1 << 16);
        let limits = SessionLimits { max_message_bytes: 10, ..SessionLimits::default() };
        let mut c = Pop3Client::new(ours, limits, "test".into());
        theirs.write_all(b"+OK\r\n0123456789\r\n.\r\n").await.unwrap();
        assert!(matches!(c.message("RETR 1").await.unwrap(), Body::TooLarge));
    }
}
