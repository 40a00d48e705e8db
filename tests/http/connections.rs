//! The server under clients that hold connections open: headers that never finish are cut off by the
//! header-read timeout while others are served, and one address gets only so many connections.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado_http::ServerConfig;
use chamado_http::server::serve_with;
use common::Harness;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Starts the harness's router on a free port with `limits`; the server stops when the test ends.
async fn start(h: &Harness, limits: ServerConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = h.app.clone();
    tokio::spawn(async move { serve_with(listener, app, &limits, std::future::pending()).await });
    addr
}

/// A connection to `server` from the loopback address `from` (any of 127.0.0.0/8).
async fn connect_from(from: [u8; 4], server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    socket.connect(server).await.unwrap()
}

/// A whole `GET /healthz` on a new connection from `from`: the status line.
async fn health_from(from: [u8; 4], server: SocketAddr) -> String {
    let mut s = connect_from(from, server).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut answer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_string()
}

/// Waits up to `limit` for the server to close `s`; true when it did (end of stream or reset).
async fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar may come first; the close follows.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_unfinished_headers_are_cut_off_while_others_are_served() {
    let h = Harness::new().await;
    let limits = ServerConfig {
        header_read_timeout: Duration::from_secs(2),
        max_connections: 1000,
        max_connections_per_client: 1000,
        ..ServerConfig::default()
    };
    let server = start(&h, limits).await;
    let mut slow = Vec::new();
    for _ in 0..500 {
        let mut s = connect_from([127, 0, 0, 1], server).await;
        // A request line and one header, and never the blank line that ends the headers.
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n").await.unwrap();
        slow.push(s);
    }
    let opened = Instant::now();
    assert!(health_from([127, 0, 0, 1], server).await.starts_with("HTTP/1.1 200"), "served meanwhile");
    assert!(opened.elapsed() < Duration::from_secs(1), "without waiting for the slow ones");
    let mut cut = 0;
    for s in &mut slow {
        if closed_within(s, Duration::from_secs(6)).await {
            cut += 1;
        }
    }
    assert_eq!(cut, 500, "every unfinished request is closed by the header-read timeout");
    assert!(opened.elapsed() >= Duration::from_millis(1500), "not before the timeout");
    assert!(health_from([127, 0, 0, 1], server).await.starts_with("HTTP/1.1 200"), "and the server goes on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_gets_only_its_share_of_connections() {
    let h = Harness::new().await;
    let limits = ServerConfig { max_connections_per_client: 3, ..ServerConfig::default() };
    let server = start(&h, limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect_from([127, 0, 0, 2], server).await);
    }
    // Give the server time to take the three before the fourth arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = connect_from([127, 0, 0, 2], server).await;
    let started = Instant::now();
    assert!(closed_within(&mut fourth, Duration::from_secs(2)).await, "the 4th of one address is closed");
    assert!(started.elapsed() < Duration::from_secs(1), "at once, not by a timeout");
    assert!(health_from([127, 0, 0, 3], server).await.starts_with("HTTP/1.1 200"), "others are served");
    for s in &mut held {
        assert!(!closed_within(s, Duration::from_millis(50)).await, "the first three stay open");
    }
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(health_from([127, 0, 0, 2], server).await.starts_with("HTTP/1.1 200"), "places come back on close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_body_that_stops_arriving_is_cut_off() {
    let h = Harness::new().await;
    let limits = ServerConfig { idle_timeout: Duration::from_secs(1), ..ServerConfig::default() };
    let server = start(&h, limits).await;
    let mut s = connect_from([127, 0, 0, 1], server).await;
    let head = "POST /api/v1/sessions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"lo";
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "answered and closed, not left waiting");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    assert!(started.elapsed() >= Duration::from_millis(900), "after the idle timeout");
}
