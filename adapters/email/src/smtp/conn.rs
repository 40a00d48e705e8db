//! A client connection: framed lines for commands, dot-terminated data, replies.

use super::spool::Incoming;
use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// Longest command line (RFC 5321 allows 512; extensions need more).
pub(super) const MAX_LINE: usize = 4096;
const READ_CHUNK: usize = 64 * 1024;
/// Bytes of replies held back at most before they are written anyway (a client pipelining without end).
const MAX_HELD_REPLIES: usize = 16 * 1024;

/// What waiting for input produced.
pub(super) enum Input {
    /// A complete command line, CRLF included.
    Line(Vec<u8>),
    /// A line longer than [`MAX_LINE`] (discarded).
    TooLong,
    /// The client closed the connection.
    Closed,
    /// The line was not complete by its deadline.
    TimedOut,
}

/// What reading message data produced.
pub(super) enum Data {
    /// The message, dot-unstuffed, without the terminating `.`.
    Message(Incoming),
    /// More than the limit was sent (read to the end and discarded).
    TooBig,
    /// The message could not be kept (its overflow file could not be written; read to the end and
    /// discarded).
    NoRoom,
    /// The connection closed mid-message.
    Broken,
    /// A deadline passed mid-message.
    TimedOut(Stall),
}

/// Which deadline passed while waiting for message data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stall {
    /// Nothing came for the idle timeout.
    Idle,
    /// The data came slower than the minimum rate.
    TooSlow,
    /// The session's deadline passed.
    SessionOver,
}

/// How long message data may take.
#[derive(Debug, Clone, Copy)]
pub(super) struct DataLimits {
    /// The longest wait for the next bytes.
    pub(super) idle: Duration,
    /// The session's deadline.
    pub(super) session_deadline: Instant,
    /// Bytes per second the data must average once [`DataLimits::grace`] is over (0: no minimum).
    pub(super) min_rate: usize,
    /// How long the rate is not judged.
    pub(super) grace: Duration,
}

impl DataLimits {
    /// When the data, started at `start` with `received` bytes so far, falls below the minimum rate
    /// if nothing more comes: `grace + received / min_rate` after the start.
    pub(super) fn rate_deadline(&self, start: Instant, received: usize) -> Option<Instant> {
        if self.min_rate == 0 {
            return None;
        }
        let allowed = Duration::try_from_secs_f64(received as f64 / self.min_rate as f64).unwrap_or(Duration::MAX);
        start.checked_add(self.grace.saturating_add(allowed))
    }
}

/// The transport under a connection: plain TCP, or TLS after `STARTTLS`.
enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    /// Between the plain stream being handed to the handshake and the TLS stream coming back; a
    /// failed handshake leaves it here, and every use then fails.
    Gone,
}

fn gone() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::NotConnected, "the TLS handshake failed")
}

/// A connection with a read buffer.
pub(super) struct Conn {
    stream: Stream,
    pending: Vec<u8>,
    /// Replies held back while the client's next pipelined command is already here (RFC 2920): sent
    /// together, in one write, before the session waits for input again.
    out: Vec<u8>,
    discarding: bool,
}

impl Conn {
    pub(super) fn new(stream: TcpStream) -> Self {
        Conn { stream: Stream::Plain(stream), pending: Vec::with_capacity(1024), out: Vec::new(), discarding: false }
    }

    /// Whether the connection runs over TLS.
    pub(super) fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Sends a reply; held back (and sent with the next ones) while the client's next command is
    /// already buffered, so a pipelined `MAIL`, `RCPT`, `DATA` is answered in one write, not three.
    pub(super) async fn send(&mut self, reply: &str) -> std::io::Result<()> {
        self.out.extend_from_slice(reply.as_bytes());
        if self.has_line() && self.out.len() < MAX_HELD_REPLIES {
            return Ok(());
        }
        self.flush_replies().await
    }

    /// Writes the replies held back.
    async fn flush_replies(&mut self) -> std::io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let out = std::mem::take(&mut self.out);
        let written = match &mut self.stream {
            Stream::Plain(s) => {
                async {
                    s.write_all(&out).await?;
                    s.flush().await
                }
                .await
            }
            Stream::Tls(s) => {
                async {
                    s.write_all(&out).await?;
                    s.flush().await
                }
                .await
            }
            Stream::Gone => Err(gone()),
        };
        // The buffer's room is kept for the next replies.
        self.out = out;
        self.out.clear();
        written
    }

    /// Runs the server side of the TLS handshake (after the `220` to `STARTTLS` was sent), waiting up
    /// to `timeout`. Whatever the client sent after `STARTTLS` in plain text is thrown away first
    /// (RFC 3207 section 6): otherwise a man in the middle could append commands that would run
    /// inside the TLS session.
    pub(super) async fn start_tls(&mut self, acceptor: &TlsAcceptor, timeout: Duration) -> std::io::Result<()> {
        self.flush_replies().await?;
        self.pending.clear();
        self.discarding = false;
        let plain = match std::mem::replace(&mut self.stream, Stream::Gone) {
            Stream::Plain(s) => s,
            other => {
                self.stream = other;
                return Err(std::io::Error::other("TLS is already active"));
            }
        };
        let tls = tokio::time::timeout(timeout, acceptor.accept(plain))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }

    /// True when a complete line is already buffered (pipelined commands).
    pub(super) fn has_line(&self) -> bool {
        self.pending.contains(&b'\n')
    }

    /// The next command line, complete by `until`: a deadline for the whole line, so a client cannot
    /// hold the session by sending a byte now and then.
    pub(super) async fn line(&mut self, until: Instant) -> Input {
        loop {
            if let Some(pos) = self.pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=pos).collect();
                if std::mem::take(&mut self.discarding) || line.len() > MAX_LINE {
                    return Input::TooLong;
                }
                return Input::Line(line);
            }
            if self.pending.len() > MAX_LINE {
                self.pending.clear();
                self.discarding = true;
            }
            match self.fill(until).await {
                Ok(true) => {}
                Ok(false) => return Input::Closed,
                Err(()) => return Input::TimedOut,
            }
        }
    }

    /// Message data up to `<CRLF>.<CRLF>` into `message`, at most `max` bytes kept, within `limits`:
    /// each wait is bounded by the idle timeout, the session's deadline and the minimum rate, whichever
    /// comes first.
    pub(super) async fn data(&mut self, max: usize, limits: DataLimits, mut message: Incoming) -> Data {
        let start = Instant::now();
        let mut received = self.pending.len();
        let mut receiver = DataReceiver::new();
        // The receiver recognises a dot line only after a line break: prime it with the one that ended
        // the DATA command, so that an empty message (`.` at once) ends the data too.
        let mut prime = [b'\r', b'\n'].iter();
        receiver.ingest(&mut prime, &mut Vec::new());
        let mut discard: Option<(DummyDataReceiver, Data)> = None;
        loop {
            let mut iter = self.pending.iter();
            let done = match discard.as_mut() {
                Some((d, _)) => d.ingest(&mut iter),
                None => receiver.ingest(&mut iter, message.buffer()),
            };
            let consumed = self.pending.len() - iter.len();
            self.pending.drain(..consumed);
            if discard.is_none() {
                let failed = if message.len() > max {
                    Some(Data::TooBig)
                } else if let Err(e) = message.settle().await {
                    tracing::warn!(error = %e, "cannot write message data to disk; 452");
                    Some(Data::NoRoom)
                } else {
                    None
                };
                if let Some(failed) = failed {
                    message.discard();
                    if done {
                        return failed;
                    }
                    discard = Some((DummyDataReceiver::new_data(&receiver), failed));
                }
            }
            if done {
                return match discard {
                    Some((_, failed)) => failed,
                    None => Data::Message(message),
                };
            }
            let mut until = Instant::now()
                .checked_add(limits.idle)
                .map_or(limits.session_deadline, |t| t.min(limits.session_deadline));
            if let Some(rate) = limits.rate_deadline(start, received) {
                until = until.min(rate);
            }
            let before = self.pending.len();
            match self.fill(until).await {
                Ok(true) => received += self.pending.len().saturating_sub(before),
                Ok(false) => return Data::Broken,
                Err(()) => {
                    let now = Instant::now();
                    return Data::TimedOut(if now >= limits.session_deadline {
                        Stall::SessionOver
                    } else if limits.rate_deadline(start, received).is_some_and(|r| now >= r) {
                        Stall::TooSlow
                    } else {
                        Stall::Idle
                    });
                }
            }
        }
    }

    /// Reads more into the buffer: `Ok(false)` at end of stream or on an error, `Err` when nothing
    /// came by `until`.
    async fn fill(&mut self, until: Instant) -> Result<bool, ()> {
        // The client may be waiting for them before it sends more.
        if self.flush_replies().await.is_err() {
            return Ok(false);
        }
        self.pending.reserve(READ_CHUNK);
        let read = async {
            match &mut self.stream {
                Stream::Plain(s) => s.read_buf(&mut self.pending).await,
                Stream::Tls(s) => s.read_buf(&mut self.pending).await,
                Stream::Gone => Err(gone()),
            }
        };
        match tokio::time::timeout_at(until, read).await {
            Ok(Ok(0)) => Ok(false),
            Ok(Ok(_)) => Ok(true),
            Ok(Err(_)) => Ok(false),
            Err(_) => Err(()),
        }
    }

    /// Closes the write side.
    pub(super) async fn close(mut self) {
        let _ = self.flush_replies().await;
        match &mut self.stream {
            Stream::Plain(s) => {
                let _ = s.shutdown().await;
            }
            Stream::Tls(s) => {
                let _ = s.shutdown().await;
            }
            Stream::Gone => {}
        }
    }
}
