//! Sending one mail to the helpdesk's SMTP intake, as an MTA or `swaks` would.

use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Reads one (possibly multi-line) reply; returns its code and text.
async fn reply(r: &mut BufReader<TcpStream>) -> (u16, String) {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).await.unwrap();
        assert!(n > 0, "the SMTP server closed the connection; so far: {text:?}");
        text.push_str(&line);
        // `250-more` continues, `250 last` ends.
        if line.as_bytes().get(3) != Some(&b'-') {
            let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            return (code, text);
        }
    }
}

/// Sends `line`, expects `code` back.
async fn command(r: &mut BufReader<TcpStream>, line: &str, code: u16) {
    r.get_mut().write_all(format!("{line}\r\n").as_bytes()).await.unwrap();
    let (got, text) = reply(r).await;
    assert_eq!(got, code, "SMTP {line:?} answered {text:?}");
}

/// Delivers `message` (headers and body, `\n` or `\r\n` line ends) from `from` to `to`; fails the
/// test unless the server accepts it.
pub async fn send(server: SocketAddr, from: &str, to: &str, message: &str) {
    let mut r = BufReader::new(TcpStream::connect(server).await.unwrap());
    let (code, text) = reply(&mut r).await;
    assert_eq!(code, 220, "SMTP greeting {text:?}");
    command(&mut r, "EHLO client.e2e.test", 250).await;
    command(&mut r, &format!("MAIL FROM:<{from}>"), 250).await;
    command(&mut r, &format!("RCPT TO:<{to}>"), 250).await;
    command(&mut r, "DATA", 354).await;
    let mut data = String::new();
    for line in message.lines() {
        // Dot-stuffing (RFC 5321 4.5.2).
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    data.push('.');
    command(&mut r, &data, 250).await;
    command(&mut r, "QUIT", 221).await;
}
