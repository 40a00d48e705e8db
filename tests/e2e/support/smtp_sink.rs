//! An SMTP relay that keeps every message it is given: the helpdesk's outbound mail lands here.
//! Just enough SMTP for lettre: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope's recipients.
    pub rcpt_to: Vec<String>,
    /// The message, with CRLF line ends and dot-stuffing undone.
    pub data: Vec<u8>,
}

/// A running sink; it serves until the runtime stops.
#[derive(Clone)]
pub struct SmtpSink {
    /// Where it listens.
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    /// Listens on a free loopback port.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink { addr: listener.local_addr().unwrap(), received: Arc::default() };
        let received = sink.received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, received.clone()));
            }
        });
        sink
    }

    /// Everything received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// One SMTP session. I/O errors end it: the client (lettre) then retries from the outbox.
async fn session(stream: TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let mut r = BufReader::new(stream);
    let _ = serve(&mut r, &received).await;
}

async fn serve(r: &mut BufReader<TcpStream>, received: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    r.get_mut().write_all(b"220 sink.e2e.test ESMTP\r\n").await?;
    let mut rcpt_to = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.e2e.test\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "MAIL" | "RSET" => {
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let to = line.trim().split_once(':').map(|(_, a)| a.trim().trim_matches(['<', '>'])).unwrap_or("");
                rcpt_to.push(to.to_string());
                b"250 OK\r\n"
            }
            "DATA" => {
                r.get_mut().write_all(b"354 end with .\r\n").await?;
                let data = read_data(r).await?;
                received
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Received { rcpt_to: std::mem::take(&mut rcpt_to), data });
                b"250 OK queued\r\n"
            }
            "QUIT" => {
                r.get_mut().write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        r.get_mut().write_all(answer).await?;
    }
}

/// The message up to the lone `.` line, unstuffed.
async fn read_data(r: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed in DATA"));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = if line.starts_with(b"..") { &line[1..] } else { &line[..] };
        data.extend_from_slice(unstuffed);
    }
}
