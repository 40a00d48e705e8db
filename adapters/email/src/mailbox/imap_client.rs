//! An IMAP connection as the session uses it: connect (TLS, STARTTLS or plain), log in (`LOGIN` or
//! `AUTHENTICATE XOAUTH2`), and run tagged commands whose untagged answers go to a callback, so
//! nothing the server sends accumulates beyond what the caller keeps.

use super::imap_parse::{self, Untagged};
use super::imap_wire::{Io, Kind, Wire, printable, protocol, within};
use super::{MailboxError, Secret, SessionContext, SessionLimits};
use chamado::MailTls;
use std::time::Duration;
use tokio::net::TcpStream;

/// How a command ended, when the server answered it.
pub(super) type Answer = Result<(), String>;

/// Sizes that bound one command's answer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    /// The largest literal accepted.
    pub literal: usize,
    /// The longest line accepted.
    pub line: usize,
}

/// A logged-in (or about to be) IMAP connection.
pub(super) struct Client<S = Box<dyn Io>> {
    wire: Wire<S>,
    /// The server's capabilities, upper-cased.
    pub caps: Vec<String>,
    limits: SessionLimits,
}

impl Client {
    /// Connects, protects the connection as the account says and reads the greeting, all within
    /// `limits.connect_timeout`.
    pub async fn connect(ctx: &SessionContext) -> Result<Client, MailboxError> {
        let a = &ctx.account;
        let fail = |reason: String| MailboxError::Connect { host: a.host.clone(), port: a.port, reason };
        let limit = ctx.limits.connect_timeout;
        let open = async {
            let tcp = TcpStream::connect((a.host.as_str(), a.port)).await.map_err(|e| fail(e.to_string()))?;
            let _ = tcp.set_nodelay(true);
            let max_line = ctx.limits.max_line_bytes;
            let mut client = match a.tls {
                MailTls::Implicit => {
                    let tls = handshake(ctx, tcp).await.map_err(fail)?;
                    Client::new(Wire::new(tls, max_line), ctx.limits.clone())
                }
                MailTls::None => Client::new(Wire::new(Box::new(tcp) as Box<dyn Io>, max_line), ctx.limits.clone()),
                MailTls::Starttls => {
                    let mut plain = Client::new(Wire::new(tcp, max_line), ctx.limits.clone());
                    match greeting(&mut plain.wire).await? {
                        Some(caps) => plain.caps = caps,
                        None => plain.refresh_caps().await?,
                    }
                    if !plain.has("STARTTLS") {
                        return Err(fail("the server does not offer STARTTLS".into()));
                    }
                    let b = plain.small();
                    if let Err(no) = plain.run("STARTTLS", b, |_| {}).await? {
                        return Err(fail(format!("STARTTLS refused: {no}")));
                    }
                    let tcp = plain.wire.into_inner()?;
                    let tls = handshake(ctx, tcp).await.map_err(fail)?;
                    let mut c = Client::new(Wire::new(tls, max_line), ctx.limits.clone());
                    // The greeting was before TLS: capabilities are asked again, protected.
                    c.refresh_caps().await?;
                    return Ok(c);
                }
            };
            if let Some(caps) = greeting(&mut client.wire).await? {
                client.caps = caps;
            }
            Ok(client)
        };
        match tokio::time::timeout(limit, open).await {
            Ok(r) => r,
            Err(_) => Err(fail(format!("no greeting within {}s", limit.as_secs()))),
        }
    }
}

impl<S: Io> Client<S> {
    fn new(wire: Wire<S>, limits: SessionLimits) -> Client<S> {
        Client { wire, caps: Vec::new(), limits }
    }

    /// True when the server has this capability.
    pub fn has(&self, cap: &str) -> bool {
        self.caps.iter().any(|c| c == cap)
    }

    /// The limits for an ordinary command's answer.
    pub fn small(&self) -> Bounds {
        Bounds { literal: self.wire.max_line(), line: self.wire.max_line() }
    }

    /// Asks for the capabilities again.
    pub async fn refresh_caps(&mut self) -> Result<(), MailboxError> {
        let mut caps = None;
        let b = self.small();
        self.run("CAPABILITY", b, |u| {
            if let Untagged::Capability(c) = u {
                caps = Some(c);
            }
        })
        .await?
        .map_err(|no| MailboxError::Protocol(format!("CAPABILITY refused: {no}")))?;
        self.caps = caps.unwrap_or_default();
        Ok(())
    }

    /// Logs in with `secret`; a refusal is [`MailboxError::Login`] with the server's words.
    pub async fn login(&mut self, login: &str, secret: &Secret) -> Result<(), MailboxError> {
        let timeout = self.limits.command_timeout;
        let answer = within(timeout, "login", async {
            match secret {
                Secret::Password(password) => {
                    let tag = self.wire.tag();
                    let mut line = format!("{tag} LOGIN ").into_bytes();
                    self.send_string(&mut line, login).await?;
                    line.push(b' ');
                    self.send_string(&mut line, password).await?;
                    line.extend_from_slice(b"\r\n");
                    self.wire.send(&line).await?;
                    self.finish(&tag, self.small(), |_| {}).await
                }
                Secret::AccessToken(token) => {
                    let sasl = super::xoauth2::initial_response(login, token);
                    let tag = self.wire.tag();
                    if self.has("SASL-IR") {
                        self.wire.send(format!("{tag} AUTHENTICATE XOAUTH2 {sasl}\r\n").as_bytes()).await?;
                    } else {
                        self.wire.send(format!("{tag} AUTHENTICATE XOAUTH2\r\n").as_bytes()).await?;
                    }
                    let mut sent = self.has("SASL-IR");
                    loop {
                        let mut r = self.wire.read().await?;
                        match r.kind()? {
                            Kind::Continue(_) if !sent => {
                                sent = true;
                                self.wire.send(format!("{sasl}\r\n").as_bytes()).await?;
                            }
                            // The server's error report (JSON): answered with an empty line, after
                            // which it sends its tagged NO.
                            Kind::Continue(_) => self.wire.send(b"\r\n").await?,
                            Kind::Tagged { tag: t, ok, rest } if t == tag.as_bytes() => {
                                return Ok(if ok { Ok(()) } else { Err(printable(rest)) });
                            }
                            Kind::Tagged { .. } => return Err(protocol("an unexpected tag", &r.text)),
                            Kind::Untagged(rest) => {
                                let rest = rest.to_vec();
                                if let Untagged::Bye(b) = imap_parse::untagged(&rest, &mut r) {
                                    return Err(MailboxError::Login(printable(&b)));
                                }
                            }
                        }
                    }
                }
            }
        })
        .await?;
        answer.map_err(MailboxError::Login)?;
        // Capabilities may change once logged in (MOVE, IDLE, UIDPLUS).
        self.refresh_caps().await
    }

    /// Appends `s` to `line` as a quoted string, or sends what is in `line` with `s` as a literal
    /// (after the server's go-ahead) when it is not plain ASCII.
    async fn send_string(&mut self, line: &mut Vec<u8>, s: &str) -> Result<(), MailboxError> {
        if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            line.push(b'"');
            for b in s.bytes() {
                if b == b'"' || b == b'\\' {
                    line.push(b'\\');
                }
                line.push(b);
            }
            line.push(b'"');
            return Ok(());
        }
        if s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(MailboxError::Login("the login or password has a line break".into()));
        }
        line.extend_from_slice(format!("{{{}}}\r\n", s.len()).as_bytes());
        self.wire.send(line).await?;
        line.clear();
        loop {
            let r = self.wire.read().await?;
            match r.kind()? {
                Kind::Continue(_) => break,
                Kind::Tagged { rest, .. } => return Err(MailboxError::Login(printable(rest))),
                Kind::Untagged(_) => {}
            }
        }
        line.extend_from_slice(s.as_bytes());
        Ok(())
    }

    /// Runs `cmd` (without tag and CRLF) within the command timeout; untagged answers go to
    /// `on_untagged`. The outer error ends the session; the inner one is the server's NO/BAD text.
    pub async fn run(
        &mut self,
        cmd: &str,
        bounds: Bounds,
        on_untagged: impl FnMut(Untagged),
    ) -> Result<Answer, MailboxError> {
        let timeout = self.limits.command_timeout;
        let verb = cmd.split(' ').take(2).collect::<Vec<_>>().join(" ");
        within(timeout, &verb, async {
            let tag = self.wire.tag();
            self.wire.send(format!("{tag} {cmd}\r\n").as_bytes()).await?;
            self.finish(&tag, bounds, on_untagged).await
        })
        .await
    }

    /// [`Client::run`] where a NO is an error too.
    pub async fn must(
        &mut self,
        cmd: &str,
        bounds: Bounds,
        on_untagged: impl FnMut(Untagged),
    ) -> Result<(), MailboxError> {
        self.run(cmd, bounds, on_untagged).await?.map_err(|no| {
            let verb: String = cmd.split(' ').take(2).collect::<Vec<_>>().join(" ");
            MailboxError::Protocol(format!("{verb} refused: {no}"))
        })
    }

    /// Reads answers until the tagged one for `tag`.
    async fn finish(
        &mut self,
        tag: &str,
        bounds: Bounds,
        mut on_untagged: impl FnMut(Untagged),
    ) -> Result<Answer, MailboxError> {
        loop {
            let mut r = self.wire.read_with(bounds.literal, bounds.line).await?;
            match r.kind()? {
                Kind::Tagged { tag: t, ok, rest } => {
                    if t != tag.as_bytes() {
                        return Err(protocol("an answer with an unknown tag", &r.text));
                    }
                    if ok {
                        if let Untagged::Capability(c) = imap_parse::code(rest) {
                            self.caps = c;
                        }
                        return Ok(Ok(()));
                    }
                    return Ok(Err(printable(rest)));
                }
                Kind::Continue(_) => return Err(protocol("an unexpected continuation", &r.text)),
                Kind::Untagged(rest) => {
                    let rest = rest.to_vec();
                    match imap_parse::untagged(&rest, &mut r) {
                        Untagged::Bye(b) => return Err(protocol("the server said BYE", &b)),
                        u => on_untagged(u),
                    }
                }
            }
        }
    }

    /// Waits in `IDLE` until the server reports new mail or `limit` passes, then ends the IDLE.
    /// True when new mail was reported.
    pub async fn idle(&mut self, limit: Duration) -> Result<bool, MailboxError> {
        let timeout = self.limits.command_timeout;
        let tag = self.wire.tag();
        within(timeout, "IDLE", async {
            self.wire.send(format!("{tag} IDLE\r\n").as_bytes()).await?;
            loop {
                let mut r = self.wire.read().await?;
                match r.kind()? {
                    Kind::Continue(_) => return Ok(()),
                    Kind::Tagged { rest, .. } => return Err(protocol("IDLE refused", rest)),
                    Kind::Untagged(rest) => {
                        let rest = rest.to_vec();
                        if let Untagged::Bye(b) = imap_parse::untagged(&rest, &mut r) {
                            return Err(protocol("the server said BYE", &b));
                        }
                    }
                }
            }
        })
        .await?;
        // Lines during IDLE are bounded one by one; the wait itself is bounded by `limit`.
        let wait = async {
            loop {
                let mut r = self.wire.read().await?;
                match r.kind()? {
                    Kind::Untagged(rest) => {
                        let rest = rest.to_vec();
                        match imap_parse::untagged(&rest, &mut r) {
                            Untagged::Exists(_) | Untagged::Recent => return Ok::<bool, MailboxError>(true),
                            Untagged::Bye(b) => return Err(protocol("the server said BYE", &b)),
                            _ => {}
                        }
                    }
                    _ => return Err(protocol("an unexpected answer during IDLE", &r.text)),
                }
            }
        };
        let news = match tokio::time::timeout(limit, wait).await {
            Ok(r) => r?,
            Err(_) => false,
        };
        let b = self.small();
        within(timeout, "IDLE", async {
            self.wire.send(b"DONE\r\n").await?;
            self.finish(&tag, b, |_| {}).await
        })
        .await?
        .map_err(|no| MailboxError::Protocol(format!("IDLE ended with: {no}")))?;
        Ok(news)
    }
}

/// Reads the greeting: `* OK` (with its capabilities, if it names them) or a refusal.
async fn greeting<S: Io>(wire: &mut Wire<S>) -> Result<Option<Vec<String>>, MailboxError> {
    let mut r = wire.read().await?;
    let Kind::Untagged(rest) = r.kind()? else { return Err(protocol("not an IMAP greeting", &r.text)) };
    let rest = rest.to_vec();
    if !rest.starts_with(b"OK") && !rest.starts_with(b"ok") {
        return Err(protocol("the server refused the connection", &rest));
    }
    Ok(match imap_parse::untagged(&rest, &mut r) {
        Untagged::Capability(c) => Some(c),
        _ => None,
    })
}

/// TLS over `tcp`, checking the certificate for the account's host.
async fn handshake(ctx: &SessionContext, tcp: TcpStream) -> Result<Box<dyn Io>, String> {
    let name = rustls::pki_types::ServerName::try_from(ctx.account.host.clone()).map_err(|e| e.to_string())?;
    let tls =
        tokio_rustls::TlsConnector::from(ctx.tls.clone()).connect(name, tcp).await.map_err(|e| format!("TLS: {e}"))?;
    Ok(Box::new(tls))
}

#[cfg(test)]
mod tests {}
