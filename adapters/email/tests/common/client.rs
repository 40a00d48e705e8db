//! A bare SMTP/LMTP client for protocol-level assertions.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

pub struct Client {
    rd: BufReader<OwnedReadHalf>,
    wr: OwnedWriteHalf,
}

impl Client {
    /// Connects and returns the client with the greeting.
    pub async fn connect(addr: std::net::SocketAddr) -> (Self, (u16, String)) {
        let s = TcpStream::connect(addr).await.expect("connect");
        Self::greeted(s).await
    }

    /// Connects from the local address `from` (e.g. 127.0.0.2, another client on loopback).
    pub async fn connect_from(from: std::net::IpAddr, addr: std::net::SocketAddr) -> (Self, (u16, String)) {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind(std::net::SocketAddr::new(from, 0)).expect("bind the client address");
        let s = socket.connect(addr).await.expect("connect");
        Self::greeted(s).await
    }

    async fn greeted(s: TcpStream) -> (Self, (u16, String)) {
        let (rd, wr) = s.into_split();
        let mut c = Client { rd: BufReader::new(rd), wr };
        let greeting = c.reply().await;
        (c, greeting)
    }

    pub async fn send(&mut self, data: &str) {
        self.wr.write_all(data.as_bytes()).await.expect("write");
    }

    /// Sends `data`; false when the server has closed the connection.
    pub async fn try_send_bytes(&mut self, data: &[u8]) -> bool {
        self.wr.write_all(data).await.is_ok()
    }

    pub async fn send_bytes(&mut self, data: &[u8]) {
        self.wr.write_all(data).await.expect("write");
    }

    /// Sends a command line and reads the reply.
    pub async fn cmd(&mut self, line: &str) -> (u16, String) {
        self.send(&format!("{line}\r\n")).await;
        self.reply().await
    }

    /// One (possibly multi-line) reply; code 0 when the connection closed.
    pub async fn reply(&mut self) -> (u16, String) {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            if self.rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                return (0, text);
            }
            text.push_str(&line);
            let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            if line.as_bytes().get(3) != Some(&b'-') {
                return (code, text);
            }
        }
    }
}
