//! A minimal SMTP client: EHLO once, then transactions with MAIL, RCPT and DATA sent together (the
//! helpdesk advertises PIPELINING, as MTAs expect).

use std::io;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

/// One SMTP session.
pub struct SmtpClient {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    line: String,
}

/// A reply: the code and the text of its last line.
pub struct Reply {
    /// Three-digit code.
    pub code: u16,
    /// Text after the code.
    pub text: String,
}

impl SmtpClient {
    /// Connects, reads the greeting and says EHLO.
    pub async fn connect(addr: &str) -> io::Result<SmtpClient> {
        let stream = TcpStream::connect(addr).await?;
        let _ = stream.set_nodelay(true);
        let (r, w) = stream.into_split();
        let mut c = SmtpClient { reader: BufReader::new(r), writer: w, line: String::new() };
        c.expect(220, "greeting").await?;
        c.writer.write_all(b"EHLO load.example\r\n").await?;
        c.expect(250, "EHLO").await?;
        Ok(c)
    }

    /// Sends one message; the reply to the end of `DATA` (or the first refusal before it).
    pub async fn send(&mut self, from: &str, to: &str, message: &str) -> io::Result<Reply> {
        let envelope = format!("MAIL FROM:<{from}>\r\nRCPT TO:<{to}>\r\nDATA\r\n");
        self.writer.write_all(envelope.as_bytes()).await?;
        let mail = self.reply().await?;
        let rcpt = self.reply().await?;
        let data = self.reply().await?;
        if data.code != 354 {
            // The transaction is dead: report why and leave the session clean for the next one.
            self.writer.write_all(b"RSET\r\n").await?;
            let _ = self.reply().await?;
            return Ok([mail, rcpt, data]
                .into_iter()
                .find(|r| r.code >= 400)
                .unwrap_or(Reply { code: 0, text: "DATA was not accepted".into() }));
        }
        self.writer.write_all(dot_stuff(message).as_bytes()).await?;
        self.writer.write_all(b".\r\n").await?;
        self.reply().await
    }

    async fn expect(&mut self, code: u16, what: &str) -> io::Result<()> {
        let r = self.reply().await?;
        if r.code != code {
            return Err(io::Error::other(format!("{what}: expected {code}, got {} {}", r.code, r.text)));
        }
        Ok(())
    }

    /// Reads one (possibly multi-line) reply.
    async fn reply(&mut self) -> io::Result<Reply> {
        loop {
            self.line.clear();
            if self.reader.read_line(&mut self.line).await? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
            }
            let l = self.line.trim_end();
            let code = l
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("not an SMTP reply: {l:?}")))?;
            if l.as_bytes().get(3) == Some(&b'-') {
                continue;
            }
            return Ok(Reply { code, text: l.get(4..).unwrap_or_default().to_string() });
        }
    }
}

/// CRLF line ends, a leading dot doubled, and a final CRLF.
fn dot_stuff(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for line in message.lines() {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out
}

/// The ticket number in a `250 2.0.0 OK: ticket N` reply.
pub fn ticket_of(reply: &Reply) -> Option<&str> {
    reply.text.rsplit_once("ticket ").map(|(_, n)| n.trim()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{Reply, dot_stuff, ticket_of};

    #[test]
    fn dot_stuffing_doubles_leading_dots() {
        assert_eq!(dot_stuff("a\n.b\r\nc"), "a\r\n..b\r\nc\r\n");
    }

    #[test]
    fn ticket_number_comes_from_the_reply_text() {
        let r = Reply { code: 250, text: "2.0.0 OK: ticket 2025010110000017".into() };
        assert_eq!(ticket_of(&r), Some("2025010110000017"));
        assert_eq!(ticket_of(&Reply { code: 250, text: "2.0.0 OK".into() }), None);
    }
}
