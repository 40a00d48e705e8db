//! The IMAP wire: tagged commands out, bounded responses in.
//!
//! Hand-written rather than a general IMAP client library because every byte from the server is
//! hostile here: a line longer than the session's limit, a literal larger than the largest message
//! taken, or a response that never ends fails the session instead of growing a buffer. (The library
//! considered, async-imap 0.12, buffers up to 512 MiB per response and queues unsolicited responses
//! without bound.) Only what the session needs is understood; everything else is read, bounded,
//! and dropped.

use super::MailboxError;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// The byte that stands in a response's text where a literal was; the literal itself is in
/// [`Response::literals`]. NUL is never allowed in IMAP text, so it cannot be forged.
pub(super) const LITERAL_MARK: u8 = 0;
/// Literals one response may carry (a FETCH of `BODY[]` has one).
const MAX_LITERALS: usize = 8;

/// Any byte stream the session talks over (TCP, TLS over TCP).
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One server response: its lines joined, literals taken out.
#[derive(Debug, Default)]
pub(super) struct Response {
    /// The text, with [`LITERAL_MARK`] where each literal was (CRLF removed).
    pub text: Vec<u8>,
    /// The literals, in order.
    pub literals: Vec<Vec<u8>>,
}

/// What kind of response it is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    /// `* ...`: the rest after `* `.
    Untagged(&'a [u8]),
    /// `+ ...`: the rest after `+`.
    Continue(&'a [u8]),
    /// `<tag> OK|NO|BAD ...`.
    Tagged {
        /// The tag.
        tag: &'a [u8],
        /// Whether it is `OK`.
        ok: bool,
        /// The text after the status word.
        rest: &'a [u8],
    },
}

impl Response {
    /// Classifies it.
    pub fn kind(&self) -> Result<Kind<'_>, MailboxError> {
        let t = self.text.as_slice();
        if let Some(rest) = t.strip_prefix(b"* ") {
            return Ok(Kind::Untagged(rest));
        }
        if let Some(rest) = t.strip_prefix(b"+") {
            return Ok(Kind::Continue(rest.strip_prefix(b" ").unwrap_or(rest)));
        }
        let mut parts = t.splitn(3, |b| *b == b' ');
        let (Some(tag), Some(status)) = (parts.next(), parts.next()) else {
            return Err(protocol("a response without a tag", t));
        };
        let rest = parts.next().unwrap_or_default();
        let ok = status.eq_ignore_ascii_case(b"OK");
        if !ok && !status.eq_ignore_ascii_case(b"NO") && !status.eq_ignore_ascii_case(b"BAD") {
            return Err(protocol("an unknown status", t));
        }
        Ok(Kind::Tagged { tag, ok, rest })
    }
}

/// A connection to an IMAP server: buffered reads with limits, tagged commands.
pub(super) struct Wire<S> {
    io: BufReader<S>,
    next_tag: u32,
    max_line: usize,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Wire<S> {
    /// Wraps a fresh stream; no line longer than `max_line` bytes is read.
    pub fn new(io: S, max_line: usize) -> Self {
        Wire { io: BufReader::with_capacity(16 * 1024, io), next_tag: 1, max_line }
    }

    /// The stream back, for the TLS handshake after `STARTTLS`. Anything the server sent after its
    /// `OK` would be plain text injected before the handshake (CVE-2011-0411's kind): refused.
    pub fn into_inner(self) -> Result<S, MailboxError> {
        if !self.io.buffer().is_empty() {
            return Err(MailboxError::Protocol("data after the STARTTLS answer".into()));
        }
        Ok(self.io.into_inner())
    }

    /// A new tag (`A1`, `A2`, …).
    pub fn tag(&mut self) -> String {
        let t = format!("A{}", self.next_tag);
        self.next_tag = self.next_tag.wrapping_add(1);
        t
    }

    /// Writes raw bytes and flushes.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), MailboxError> {
        let s = self.io.get_mut();
        s.write_all(bytes).await.map_err(io_err)?;
        s.flush().await.map_err(io_err)
    }

    /// Reads one whole response; literals larger than `max_literal` bytes and lines longer than
    /// `max_line` fail the session. `max_line` overrides the connection's line limit (for `SEARCH`).
    pub async fn read_with(&mut self, max_literal: usize, max_line: usize) -> Result<Response, MailboxError> {
        let mut resp = Response::default();
        loop {
            let start = resp.text.len();
            read_line(&mut self.io, &mut resp.text, max_line).await?;
            match literal_size(&resp.text[start..]) {
                Some((size, at)) => {
                    if resp.literals.len() >= MAX_LITERALS {
                        return Err(MailboxError::Protocol("too many literals in one response".into()));
                    }
                    let size = usize::try_from(size).unwrap_or(usize::MAX);
                    if size > max_literal {
                        return Err(MailboxError::Protocol(format!(
                            "the server sent {size} bytes where at most {max_literal} were expected"
                        )));
                    }
                    let mut lit = vec![0; size];
                    self.io.read_exact(&mut lit).await.map_err(io_err)?;
                    resp.text.truncate(start + at);
                    resp.text.push(LITERAL_MARK);
                    resp.literals.push(lit);
                }
                None => return Ok(resp),
            }
        }
    }

    /// [`Wire::read_with`] with the connection's line limit and no literal larger than a line.
    pub async fn read(&mut self) -> Result<Response, MailboxError> {
        let max = self.max_line;
        self.read_with(max, max).await
    }

    /// The line limit.
    pub fn max_line(&self) -> usize {
        self.max_line
    }
}

/// Reads up to and including LF, appending the line without its CRLF to `out`; fails past `max`
/// bytes or on a NUL (which would forge a literal mark).
async fn read_line<R: AsyncBufReadExt + Unpin>(r: &mut R, out: &mut Vec<u8>, max: usize) -> Result<(), MailboxError> {
    let mut taken = 0usize;
    loop {
        let buf = r.fill_buf().await.map_err(io_err)?;
        if buf.is_empty() {
            return Err(MailboxError::Protocol("the server closed the connection".into()));
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        taken += chunk.len();
        if taken > max {
            return Err(MailboxError::Protocol(format!("a server line longer than {max} bytes")));
        }
        if memchr::memchr(0, chunk).is_some() {
            return Err(MailboxError::Protocol("a NUL byte in a server line".into()));
        }
        out.extend_from_slice(chunk);
        let n = chunk.len();
        r.consume(n);
        if done {
            out.pop();
            if out.last() == Some(&b'\r') {
                out.pop();
            }
            return Ok(());
        }
    }
}

/// `{123}` or `{123+}` at the end of a line: the literal's size and where the `{` is.
fn literal_size(line: &[u8]) -> Option<(u64, usize)> {
    let body = line.strip_suffix(b"}")?;
    let open = memchr::memrchr(b'{', body)?;
    let digits = &body[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok().map(|n| (n, open))
}

/// An I/O error as the session's error.
pub(super) fn io_err(e: std::io::Error) -> MailboxError {
    MailboxError::Protocol(format!("connection: {e}"))
}

/// A protocol error quoting (a bounded, printable part of) what the server said.
pub(super) fn protocol(what: &str, said: &[u8]) -> MailboxError {
    MailboxError::Protocol(format!("{what}: {}", printable(said)))
}

/// At most 200 printable characters of server text, for errors and logs.
pub(super) fn printable(said: &[u8]) -> String {
    String::from_utf8_lossy(said).chars().map(|c| if c.is_control() { ' ' } else { c }).take(200).collect()
}

/// `fut` within `limit`, else a protocol error naming `what`.
pub(super) async fn within<T>(
    limit: Duration,
    what: &str,
    fut: impl Future<Output = Result<T, MailboxError>>,
) -> Result<T, MailboxError> {
    match tokio::time::timeout(limit, fut).await {
        Ok(r) => r,
        Err(_) => Err(MailboxError::Protocol(format!("{what}: no answer within {}s", limit.as_secs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_sizes() {
        assert_eq!(literal_size(b"* 1 FETCH (BODY[] {12}"), Some((12, 18)));
        assert_eq!(literal_size(b"A1 LOGIN {3+}"), Some((3, 9)));
        assert_eq!(literal_size(b"* OK {x}"), None);
        assert_eq!(literal_size(b"* OK }"), None);
    }

    #[tokio::test]
    async fn reads_literals_and_refuses_long_lines() {
        let data: &[u8] = b"* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\nA1 OK done\r\n";
        let mut w = Wire::new(tokio_test_io(data), 100);
        let r = w.read_with(10, 100).await.unwrap();
        assert_eq!(r.text, b"* 1 FETCH (UID 7 BODY[] \0)");
        assert_eq!(r.literals, vec![b"hello".to_vec()]);
        assert!(matches!(r.kind().unwrap(), Kind::Untagged(_)));
        let r = w.read().await.unwrap();
        assert!(matches!(r.kind().unwrap(), Kind::Tagged { ok: true, .. }));

        let mut w = Wire::new(tokio_test_io(b"* 1 FETCH (BODY[] {50}\r\n"), 100);
        assert!(w.read_with(10, 100).await.is_err());
        let long = vec![b'a'; 500];
        let mut w = Wire::new(tokio_test_io(&long), 100);
        assert!(w.read().await.is_err());
    }

    /// A duplex stream whose far side has written `data` and closed.
    fn tokio_test_io(data: &[u8]) -> tokio::io::DuplexStream {
        let (a, mut b) = tokio::io::duplex(data.len() + 16);
        let data = data.to_vec();
        tokio::spawn(async move {
            let _ = b.write_all(&data).await;
            // Keep the write side open until the reader has what it needs.
            tokio::time::sleep(Duration::from_millis(200)).await;
        });
        a
    }
}
