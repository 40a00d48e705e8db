//! Pipe intake: one message on stdin, the answer as a sysexits exit code.
//!
//! Two ways to take it:
//! - [`deliver`] hands the message to an engine in this process (tests, hosts with their own store).
//! - [`relay`] hands it to the running server over LMTP or SMTP. This is what the
//!   `chamado-mail-pipe` binary does: a redb store is opened by one process at a time, so a pipe
//!   process started by the MTA must not open it; it talks to the server that holds it, and exits 75
//!   (the MTA keeps the message and retries) when that server is unreachable.

use crate::intake::{Disposition, Envelope, MailIntake};
use crate::smtp::Protocol;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Success.
pub const EX_OK: u8 = 0;
/// Bad command-line usage.
pub const EX_USAGE: u8 = 64;
/// The message was refused (unparseable, no sender, refused by the help desk).
pub const EX_DATAERR: u8 = 65;
/// Try again later: nothing was committed.
pub const EX_TEMPFAIL: u8 = 75;

/// The result of piping one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipeOutcome {
    /// Committed or already there.
    Delivered(String),
    /// Refused for good, with the reason.
    Refused(String),
    /// Not committed; retry later.
    TryLater(String),
}

impl PipeOutcome {
    /// The sysexits code: 0, 65 or 75.
    pub fn exit_code(&self) -> u8 {
        match self {
            PipeOutcome::Delivered(_) => EX_OK,
            PipeOutcome::Refused(_) => EX_DATAERR,
            PipeOutcome::TryLater(_) => EX_TEMPFAIL,
        }
    }

    /// What happened, for the log.
    pub fn message(&self) -> &str {
        match self {
            PipeOutcome::Delivered(m) | PipeOutcome::Refused(m) | PipeOutcome::TryLater(m) => m,
        }
    }
}

impl From<Disposition> for PipeOutcome {
    fn from(d: Disposition) -> Self {
        match &d {
            Disposition::Accepted(_) => PipeOutcome::Delivered(match d.ticket_number() {
                Some(n) => format!("delivered to ticket {n}"),
                None => "delivered".into(),
            }),
            Disposition::Refused(r) => PipeOutcome::Refused(r.clone()),
            Disposition::TryLater(r) => PipeOutcome::TryLater(r.clone()),
        }
    }
}

/// Takes one message into the engine behind `intake`.
pub async fn deliver(intake: &MailIntake, raw: &[u8], envelope: &Envelope) -> PipeOutcome {
    intake.deliver(raw, envelope).await.into()
}

/// Hands one message to a server over LMTP or SMTP at `addr`. Unreachable, timed out or `4xx`: try
/// later; `5xx`: refused; `2xx` for every recipient: delivered. At least one recipient is needed.
pub async fn relay(addr: &str, protocol: Protocol, raw: &[u8], envelope: &Envelope, timeout: Duration) -> PipeOutcome {
    if envelope.recipients.is_empty() {
        return PipeOutcome::Refused("no recipient given".into());
    }
    match tokio::time::timeout(timeout, exchange(addr, protocol, raw, envelope)).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => PipeOutcome::TryLater(format!("cannot deliver to {addr}: {e}")),
        Err(_) => PipeOutcome::TryLater(format!("no answer from {addr} within {} s", timeout.as_secs())),
    }
}

/// One client session. I/O errors are `Err` (try later); protocol answers become outcomes.
async fn exchange(addr: &str, protocol: Protocol, raw: &[u8], envelope: &Envelope) -> std::io::Result<PipeOutcome> {
    let stream = TcpStream::connect(addr).await?;
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    let hello = match protocol {
        Protocol::Lmtp => "LHLO localhost\r\n",
        Protocol::Smtp => "EHLO localhost\r\n",
    };
    let from = envelope.mail_from.clone().unwrap_or_default();
    let mut commands =
        vec![None, Some(hello.to_string()), Some(format!("MAIL FROM:<{}>\r\n", from.trim_matches(['<', '>'])))];
    commands.extend(envelope.recipients.iter().map(|r| Some(format!("RCPT TO:<{}>\r\n", r.trim_matches(['<', '>'])))));
    commands.push(Some("DATA\r\n".into()));
    for cmd in commands {
        if let Some(c) = cmd {
            wr.write_all(c.as_bytes()).await?;
            wr.flush().await?;
        }
        let (code, text) = read_reply(&mut rd).await?;
        if !(200..400).contains(&code) {
            return Ok(verdict(code, &text));
        }
    }
    wr.write_all(&dot_stuff(raw)).await?;
    wr.flush().await?;
    let answers = match protocol {
        Protocol::Lmtp => envelope.recipients.len(),
        Protocol::Smtp => 1,
    };
    let mut verdicts = Vec::with_capacity(answers);
    for _ in 0..answers {
        let (code, text) = read_reply(&mut rd).await?;
        verdicts.push(verdict(code, &text));
    }
    let _ = wr.write_all(b"QUIT\r\n").await;
    // Any recipient not delivered decides: the MTA then retries or bounces the whole message.
    let failed = verdicts.iter().position(|v| !matches!(v, PipeOutcome::Delivered(_)));
    Ok(match failed {
        Some(i) => verdicts.swap_remove(i),
        None => verdicts.pop().unwrap_or_else(|| PipeOutcome::Delivered(String::new())),
    })
}

fn verdict(code: u16, text: &str) -> PipeOutcome {
    match code {
        200..=399 => PipeOutcome::Delivered(text.to_string()),
        500..=599 => PipeOutcome::Refused(format!("{code} {text}")),
        _ => PipeOutcome::TryLater(format!("{code} {text}")),
    }
}

/// A (possibly multi-line) reply: its code and text.
async fn read_reply<R: tokio::io::AsyncBufRead + Unpin>(rd: &mut R) -> std::io::Result<(u16, String)> {
    let mut text = Vec::new();
    loop {
        let mut line = String::new();
        if rd.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the server closed the connection"));
        }
        let code = line.get(..3).and_then(|c| c.parse::<u16>().ok()).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not an SMTP reply: {line:?}"))
        })?;
        text.push(line.get(4..).unwrap_or_default().trim_end().to_string());
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok((code, text.join(" ")));
        }
    }
}

/// The message as DATA: CRLF line ends, leading dots doubled, terminated by `.`.
pub fn dot_stuff(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 50 + 5);
    let mut at_line_start = true;
    let mut prev = 0u8;
    for &b in raw {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
        prev = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_stuffed_and_lines_end_in_crlf() {
        assert_eq!(dot_stuff(b"a\n.b\n..\nc"), b"a\r\n..b\r\n...\r\nc\r\n.\r\n".to_vec());
        assert_eq!(dot_stuff(b""), b"\r\n.\r\n".to_vec());
    }

    #[test]
    fn exit_codes() {
        assert_eq!(PipeOutcome::Delivered(String::new()).exit_code(), 0);
        assert_eq!(PipeOutcome::Refused(String::new()).exit_code(), 65);
        assert_eq!(PipeOutcome::TryLater(String::new()).exit_code(), 75);
    }
}
