//! A client connection: framed lines for commands, dot-terminated data, replies.

use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// Longest command line (RFC 5321 allows 512; extensions need more).
pub(super) const MAX_LINE: usize = 4096;
const READ_CHUNK: usize = 64 * 1024;

/// What waiting for input produced.
pub(super) enum Input {
    /// A complete command line, CRLF included.
    Line(Vec<u8>),
    /// A line longer than [`MAX_LINE`] (discarded).
    TooLong,
    /// The client closed the connection.
    Closed,
    /// Nothing came in time.
    TimedOut,
}

/// What reading message data produced.
pub(super) enum Data {
    /// The message, dot-unstuffed, without the terminating `.`.
    Message(Vec<u8>),
    /// More than the limit was sent (read to the end and discarded).
    TooBig,
    /// The connection closed or timed out mid-message.
    Broken,
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
    discarding: bool,
}

impl Conn {
    pub(super) fn new(stream: TcpStream) -> Self {
        Conn { stream: Stream::Plain(stream), pending: Vec::with_capacity(1024), discarding: false }
    }

    /// Whether the connection runs over TLS.
    pub(super) fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Sends a reply.
    pub(super) async fn send(&mut self, reply: &str) -> std::io::Result<()> {
        match &mut self.stream {
            Stream::Plain(s) => {
                s.write_all(reply.as_bytes()).await?;
                s.flush().await
            }
            Stream::Tls(s) => {
                s.write_all(reply.as_bytes()).await?;
                s.flush().await
            }
            Stream::Gone => Err(gone()),
        }
    }

    /// Runs the server side of the TLS handshake (after the `220` to `STARTTLS` was sent), waiting up
    /// to `timeout`. Whatever the client sent after `STARTTLS` in plain text is thrown away first
    /// (RFC 3207 section 6): otherwise a man in the middle could append commands that would run
    /// inside the TLS session.
    pub(super) async fn start_tls(&mut self, acceptor: &TlsAcceptor, timeout: Duration) -> std::io::Result<()> {
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

    /// The next command line, waiting up to `timeout` for it.
    pub(super) async fn line(&mut self, timeout: Duration) -> Input {
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
            match self.fill(timeout).await {
                Ok(true) => {}
                Ok(false) => return Input::Closed,
                Err(()) => return Input::TimedOut,
            }
        }
    }

    /// Message data up to `<CRLF>.<CRLF>`, at most `max` bytes kept.
    pub(super) async fn data(&mut self, max: usize, timeout: Duration) -> Data {
        let mut receiver = DataReceiver::new();
        let mut message = Vec::with_capacity(8192);
        // The receiver recognises a dot line only after a line break: prime it with the one that ended
        // the DATA command, so that an empty message (`.` at once) ends the data too.
        let mut prime = [b'\r', b'\n'].iter();
        receiver.ingest(&mut prime, &mut message);
        message.clear();
        let mut discard: Option<DummyDataReceiver> = None;
        loop {
            let mut iter = self.pending.iter();
            let done = match discard.as_mut() {
                Some(d) => d.ingest(&mut iter),
                None => receiver.ingest(&mut iter, &mut message),
            };
            let consumed = self.pending.len() - iter.len();
            self.pending.drain(..consumed);
            if discard.is_none() && message.len() > max {
                if done {
                    return Data::TooBig;
                }
                discard = Some(DummyDataReceiver::new_data(&receiver));
                message = Vec::new();
            }
            if done {
                return if discard.is_some() { Data::TooBig } else { Data::Message(message) };
            }
            match self.fill(timeout).await {
                Ok(true) => {}
                Ok(false) | Err(()) => return Data::Broken,
            }
        }
    }

    /// Reads more into the buffer: `Ok(false)` at end of stream, `Err` on timeout or error.
    async fn fill(&mut self, timeout: Duration) -> Result<bool, ()> {
        self.pending.reserve(READ_CHUNK);
        let read = async {
            match &mut self.stream {
                Stream::Plain(s) => s.read_buf(&mut self.pending).await,
                Stream::Tls(s) => s.read_buf(&mut self.pending).await,
                Stream::Gone => Err(gone()),
            }
        };
        match tokio::time::timeout(timeout, read).await {
            Ok(Ok(0)) => Ok(false),
            Ok(Ok(_)) => Ok(true),
            Ok(Err(_)) => Ok(false),
            Err(_) => Err(()),
        }
    }

    /// Closes the write side.
    pub(super) async fn close(mut self) {
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
