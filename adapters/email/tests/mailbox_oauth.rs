//! OAuth2 access tokens for XOAUTH2 mailboxes against a token endpoint the test serves on loopback:
//! a rotated refresh token is saved before use and used after a restart, an admin's new refresh token
//! wins over the kept one, the access token is reused while valid, and endpoint errors are typed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{Engine, MailAccount, MailCredential, MailToken, Timestamp};
use chamado_email::mailbox::{OAuthError, TokenClient};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A token endpoint answering from a script, recording each request's form body.
struct Endpoint {
    url: String,
    script: Arc<Mutex<VecDeque<(u16, String)>>>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    async fn start() -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/token", listener.local_addr().unwrap());
        let script: Arc<Mutex<VecDeque<(u16, String)>>> = Arc::default();
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let (s, r) = (script.clone(), seen.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut conn, _)) = listener.accept().await else { return };
                let (s, r) = (s.clone(), r.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let body_start = loop {
                        let n = conn.read(&mut chunk).await.unwrap();
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..body_start]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap_or(0);
                    while buf.len() < body_start + len {
                        let n = conn.read(&mut chunk).await.unwrap();
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    r.lock().unwrap().push(String::from_utf8_lossy(&buf[body_start..]).into_owned());
                    let (status, body) = s.lock().unwrap().pop_front().unwrap_or((500, "{}".into()));
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = conn.write_all(reply.as_bytes()).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        Endpoint { url, script, seen }
    }

    fn answer(&self, status: u16, body: &str) {
        self.script.lock().unwrap().push_back((status, body.to_string()));
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn account(url: &str, refresh: &str) -> MailAccount {
    MailAccount {
        name: "gmail".into(),
        host: "imap.example.com".into(),
        port: 993,
        login: "support@example.com".into(),
        credential: MailCredential::Xoauth2 {
            refresh_token: refresh.into(),
            client_id: "client-1".into(),
            client_secret: "shh".into(),
            token_url: url.into(),
            scope: "https://mail.google.com/".into(),
        },
        queue: "Raw".into(),
        ..MailAccount::default()
    }
}

fn client() -> TokenClient {
    TokenClient::new(Duration::from_secs(10)).unwrap()
}

async fn kept(engine: &Engine) -> MailToken {
    engine.mail_account_token("gmail").await.unwrap().expect("tokens kept")
}

#[tokio::test]
async fn a_rotated_refresh_token_is_saved_and_used_after_a_restart() {
    let ep = Endpoint::start().await;
    let engine = common::engine().await;
    let acc = account(&ep.url, "rt-configured");
    engine.admin(&chamado::Actor::System).await.unwrap().put_mail_account(acc.clone()).await.unwrap();

    ep.answer(200, r#"{"access_token":"at-1","expires_in":3600,"refresh_token":"rt-2","token_type":"Bearer"}"#);
    assert_eq!(client().access_token(&engine, &acc).await.unwrap(), "at-1");
    let first = &ep.requests()[0];
    assert!(first.contains("grant_type=refresh_token") && first.contains("refresh_token=rt-configured"), "{first}");
    assert!(first.contains("client_id=client-1") && first.contains("client_secret=shh"), "{first}");
    let t = kept(&engine).await;
    assert_eq!((t.refresh_token.as_str(), t.configured.as_str()), ("rt-2", "rt-configured"));
    assert_eq!(t.access_token.as_deref(), Some("at-1"));

    // Still valid: reused, the endpoint is not asked.
    assert_eq!(client().access_token(&engine, &acc).await.unwrap(), "at-1");
    assert_eq!(ep.requests().len(), 1);

    // "Restart": a new client, and the access token about to expire (within the minute's margin).
    let mut t = kept(&engine).await;
    t.expires_at = Some(Timestamp(engine.now().0 + 30_000));
    engine.set_mail_account_token("gmail", Some(&t)).await.unwrap();
    ep.answer(200, r#"{"access_token":"at-2","expires_in":"3600"}"#);
    assert_eq!(client().access_token(&engine, &acc).await.unwrap(), "at-2");
    let second = &ep.requests()[1];
    assert!(second.contains("refresh_token=rt-2"), "the saved refresh token is used: {second}");
    // No new refresh token handed out: the kept one stays.
    assert_eq!(kept(&engine).await.refresh_token, "rt-2");
}

#[tokio::test]
async fn an_admins_new_refresh_token_wins_over_the_kept_one() {
    let ep = Endpoint::start().await;
    let engine = common::engine().await;
    let acc = account(&ep.url, "rt-old");
    ep.answer(200, r#"{"access_token":"at-1","expires_in":3600,"refresh_token":"rt-rotated"}"#);
    client().access_token(&engine, &acc).await.unwrap();

    let acc = account(&ep.url, "rt-new-consent");
    ep.answer(200, r#"{"access_token":"at-new","expires_in":3600}"#);
    assert_eq!(client().access_token(&engine, &acc).await.unwrap(), "at-new", "the kept access token is not reused");
    assert!(ep.requests()[1].contains("refresh_token=rt-new-consent"), "{:?}", ep.requests());
    let t = kept(&engine).await;
    assert_eq!((t.refresh_token.as_str(), t.configured.as_str()), ("rt-new-consent", "rt-new-consent"));
}

#[tokio::test]
async fn endpoint_errors_are_typed_and_nothing_is_kept() {
    let ep = Endpoint::start().await;
    let engine = common::engine().await;
    let acc = account(&ep.url, "rt-revoked");

    ep.answer(400, r#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#);
    match client().access_token(&engine, &acc).await {
        Err(OAuthError::Refused { status: 400, error, description }) => {
            assert_eq!(error, "invalid_grant");
            assert_eq!(description.as_deref(), Some("Token has been expired or revoked."));
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    ep.answer(200, "<html>login</html>");
    assert!(matches!(client().access_token(&engine, &acc).await, Err(OAuthError::BadResponse(_))));
    ep.answer(200, r#"{"token_type":"Bearer"}"#);
    assert!(matches!(client().access_token(&engine, &acc).await, Err(OAuthError::BadResponse(_))));
    // Larger than any token response: not read to its end.
    ep.answer(200, &format!(r#"{{"access_token":"{}"}}"#, "a".repeat(100_000)));
    assert!(matches!(client().access_token(&engine, &acc).await, Err(OAuthError::BadResponse(_))));
    assert!(engine.mail_account_token("gmail").await.unwrap().is_none());

    // Nobody listening.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", closed.local_addr().unwrap());
    drop(closed);
    assert!(matches!(client().access_token(&engine, &account(&url, "rt")).await, Err(OAuthError::Transport(_))));

    let password = MailAccount { credential: MailCredential::Password { password: "pw".into() }, ..acc };
    assert!(matches!(client().access_token(&engine, &password).await, Err(OAuthError::NotOAuth)));
}
