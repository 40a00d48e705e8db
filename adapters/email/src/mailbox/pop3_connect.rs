//! Reaching a POP3 server and logging in: TCP, implicit TLS or `STLS` (RFC 2595), then `USER`/`PASS`
//! or SASL `XOAUTH2` through `AUTH` (RFC 5034).

use super::pop3_client::{Pop3Client, Status};
use super::{MailboxError, Secret, SessionContext};
use chamado::{MailAccount, MailTls};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Any byte stream a session runs over (TCP or TLS over TCP).
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A connection ready for commands.
pub(super) type Connection = Pop3Client<Box<dyn Io>>;

/// Connects and reads the greeting (upgrading with `STLS` first when the account says so), all
/// within the connect timeout.
pub(super) async fn open(ctx: &SessionContext) -> Result<Connection, MailboxError> {
    let account = &ctx.account;
    let host = account.host.trim_start_matches('[').trim_end_matches(']').to_string();
    let fail = |reason: String| MailboxError::Connect { host: account.host.clone(), port: account.port, reason };
    if account.tls == MailTls::None && !MailAccount::is_loopback_host(&account.host) {
        return Err(fail("a connection without TLS is only allowed to this machine".into()));
    }
    let peer = format!("{}:{}", account.host, account.port);
    let limit = ctx.limits.connect_timeout;
    let connecting = async {
        let tcp = TcpStream::connect((host.as_str(), account.port)).await.map_err(|e| fail(e.to_string()))?;
        let _ = tcp.set_nodelay(true);
        let mut client: Connection = match account.tls {
            MailTls::None => Pop3Client::new(Box::new(tcp), ctx.limits.clone(), peer),
            MailTls::Implicit => {
                let tls = handshake(ctx.tls.clone(), &host, tcp).await.map_err(fail)?;
                Pop3Client::new(Box::new(tls), ctx.limits.clone(), peer)
            }
            MailTls::Starttls => {
                let mut plain = Pop3Client::new(tcp, ctx.limits.clone(), peer.clone());
                plain.greeting().await?;
                if capabilities(&mut plain).await?.is_some_and(|caps| !offers(&caps, "STLS", None)) {
                    return Err(fail("the server does not offer STLS".into()));
                }
                match plain.command("STLS").await? {
                    Status::Ok(_) => {}
                    Status::Err(text) | Status::Challenge(text) => {
                        return Err(fail(format!("the server refused STLS: {text}")));
                    }
                }
                let tcp = plain.into_inner()?;
                let tls = handshake(ctx.tls.clone(), &host, tcp).await.map_err(fail)?;
                // No second greeting after STLS (RFC 2595 section 4).
                return Ok(Pop3Client::new(Box::new(tls) as Box<dyn Io>, ctx.limits.clone(), peer));
            }
        };
        client.greeting().await?;
        Ok(client)
    };
    match tokio::time::timeout(limit, connecting).await {
        Ok(r) => r,
        Err(_) => Err(fail(format!("no greeting within {limit:?}"))),
    }
}

async fn handshake(
    config: Arc<rustls::ClientConfig>,
    host: &str,
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| format!("{host:?} is not a usable TLS server name: {e}"))?;
    tokio_rustls::TlsConnector::from(config).connect(name, tcp).await.map_err(|e| format!("TLS: {e}"))
}

/// The server's `CAPA` list (RFC 2449), or `None` when it has no `CAPA` (plain RFC 1939): then
/// everything is simply tried.
async fn capabilities<S: AsyncRead + AsyncWrite + Unpin>(
    client: &mut Pop3Client<S>,
) -> Result<Option<Vec<String>>, MailboxError> {
    Ok(client.listing("CAPA").await?.ok())
}

/// Whether `caps` has `name` (with `argument` among its arguments, when given).
fn offers(caps: &[String], name: &str, argument: Option<&str>) -> bool {
    caps.iter().any(|line| {
        let mut words = line.split_ascii_whitespace();
        words.next().is_some_and(|w| w.eq_ignore_ascii_case(name))
            && argument.is_none_or(|a| words.any(|w| w.eq_ignore_ascii_case(a)))
    })
}

/// Logs in with the session's secret; a refusal is [`MailboxError::Login`].
pub(super) async fn login(client: &mut Connection, ctx: &SessionContext) -> Result<(), MailboxError> {
    let login = &ctx.account.login;
    let unusable = |s: &str| s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0);
    match &ctx.secret {
        Secret::Password(password) => {
            if unusable(login) || unusable(password) {
                return Err(MailboxError::Login("the login or password contains a line break".into()));
            }
            for line in [format!("USER {login}"), format!("PASS {password}")] {
                match client.command(&line).await? {
                    Status::Ok(_) => {}
                    Status::Err(text) => return Err(MailboxError::Login(text)),
                    Status::Challenge(_) => return Err(MailboxError::Protocol("a challenge after USER/PASS".into())),
                }
            }
            Ok(())
        }
        Secret::AccessToken(token) => {
            if unusable(login) || unusable(token) || login.contains('\x01') || token.contains('\x01') {
                return Err(MailboxError::Login("the login or token contains a control character".into()));
            }
            // Asked after STLS: capabilities from before the handshake are not to be trusted.
            if capabilities(client).await?.is_some_and(|caps| !offers(&caps, "SASL", Some("XOAUTH2"))) {
                return Err(MailboxError::Login("the server does not offer SASL XOAUTH2".into()));
            }
            let response = super::xoauth2::initial_response(login, token);
            match client.command(&format!("AUTH XOAUTH2 {response}")).await? {
                Status::Ok(_) => Ok(()),
                Status::Err(text) => Err(MailboxError::Login(text)),
                // A refused token comes as a challenge carrying the error (base64 JSON); the empty
                // response ends the exchange with the `-ERR`.
                Status::Challenge(_) => match client.command("").await? {
                    Status::Err(text) => Err(MailboxError::Login(format!("XOAUTH2 refused: {text}"))),
                    _ => Err(MailboxError::Protocol("XOAUTH2 went on after its error challenge".into())),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::offers;

    #[test]
    fn capabilities_are_matched_by_word() {
        let caps: Vec<String> = ["TOP", "UIDL", "SASL PLAIN XOAUTH2", "STLS"].map(String::from).to_vec();
        assert!(offers(&caps, "stls", None));
        assert!(offers(&caps, "SASL", Some("xoauth2")));
        assert!(!offers(&caps, "SASL", Some("OAUTHBEARER")));
        assert!(!offers(&caps, "USER", None));
        assert!(!offers(&["SASL-IR XOAUTH2".to_string()], "SASL", Some("XOAUTH2")));
    }
}
