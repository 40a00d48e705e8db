//! One SMTP or LMTP session.

use super::config::{Protocol, SmtpConfig};
use super::conn::{Conn, Data, DataLimits, Input, Stall};
use super::recipients::LocalRecipients;
use super::reply::{line, sanitize};
use super::spool::Spool;
use crate::intake::{Delivered, Disposition, Envelope, MailIntake};
use smtp_proto::{Error as ProtoError, Request};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

/// Where the session is.
struct State {
    greeted: bool,
    /// The client's address and `HELO` name, for sender verification (SMTP only: behind LMTP the MTA
    /// verified).
    client: Option<crate::intake::SmtpClient>,
    /// The client's address, as the connection reported it.
    peer_ip: std::net::IpAddr,
    mail_from: Option<String>,
    recipients: Vec<String>,
    errors: u32,
    /// The whole session ends here, whatever the client keeps sending.
    deadline: Instant,
}

impl State {
    /// The deadline of a wait of at most `wait`: never past the session's.
    fn wait_until(&self, wait: Duration) -> Instant {
        later(wait).min(self.deadline)
    }

    fn session_over(&self) -> bool {
        Instant::now() >= self.deadline
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.recipients.clear();
    }
}

/// `wait` from now; a wait too long for the clock (`Duration::MAX` as "no limit") is a year.
fn later(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait).or_else(|| now.checked_add(Duration::from_secs(365 * 86_400))).unwrap_or(now)
}

/// The last words to a client whose session hit its deadline.
const SESSION_OVER: &str = "421 4.4.2 Session time limit reached, closing\r\n";

/// Whether to go on after a command.
enum Next {
    Continue,
    Close,
}

/// Runs a session to its end. Every failure is reported to the client, never raised.
pub(super) async fn run(
    stream: TcpStream,
    peer: SocketAddr,
    intake: MailIntake,
    config: Arc<SmtpConfig>,
    ours: Arc<LocalRecipients>,
    spool: Arc<Spool>,
    mut stop: watch::Receiver<bool>,
) {
    let deadline = later(config.session_timeout);
    let _ = stream.set_nodelay(true);
    let mut conn = Conn::new(stream);
    let banner = match config.protocol {
        Protocol::Smtp => "ESMTP chamado ready",
        Protocol::Lmtp => "LMTP chamado ready",
    };
    if conn.send(&format!("220 {} {banner}\r\n", config.hostname)).await.is_err() {
        return;
    }
    let mut state = State {
        greeted: false,
        client: None,
        peer_ip: peer.ip(),
        mail_from: None,
        recipients: Vec::new(),
        errors: 0,
        deadline,
    };
    loop {
        let until = state.wait_until(config.command_timeout);
        let input = if conn.has_line() {
            conn.line(until).await
        } else {
            tokio::select! {
                input = conn.line(until) => input,
                () = stopped(&mut stop) => {
                    let _ = conn.send(&line("421 4.3.0", &format!("{} shutting down, try again later", config.hostname))).await;
                    break;
                }
            }
        };
        let next = match input {
            Input::Line(l) => command(&mut conn, &l, &mut state, &intake, &config, &ours, &spool).await,
            Input::TooLong => reply(&mut conn, &mut state, &config, "500 5.5.6 Line too long\r\n", true).await,
            Input::Closed => Next::Close,
            Input::TimedOut if state.session_over() => {
                tracing::info!(%peer, "session time limit reached; closing");
                let _ = conn.send(SESSION_OVER).await;
                Next::Close
            }
            Input::TimedOut => {
                let _ = conn.send("421 4.4.2 Timeout waiting for a command, closing\r\n").await;
                Next::Close
            }
        };
        if matches!(next, Next::Close) {
            break;
        }
    }
    conn.close().await;
}

/// Completes when the server shuts down (never, if the server is gone without saying so).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|s| *s).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Sends `text`; counts it as a client error when `error`, closing after too many.
async fn reply(conn: &mut Conn, state: &mut State, config: &SmtpConfig, text: &str, error: bool) -> Next {
    if conn.send(text).await.is_err() {
        return Next::Close;
    }
    if error {
        state.errors += 1;
        if state.errors >= config.max_errors {
            let _ = conn.send("421 4.7.0 Too many errors, closing\r\n").await;
            return Next::Close;
        }
    }
    Next::Continue
}

async fn command(
    conn: &mut Conn,
    raw: &[u8],
    state: &mut State,
    intake: &MailIntake,
    config: &SmtpConfig,
    ours: &LocalRecipients,
    spool: &Arc<Spool>,
) -> Next {
    let parsed = Request::parse(&mut raw.iter());
    let lmtp = config.protocol == Protocol::Lmtp;
    let host = &config.hostname;
    let request = match parsed {
        Ok(r) => r,
        Err(e) => return reply(conn, state, config, &protocol_error(&e), true).await,
    };
    match request {
        Request::Ehlo { .. } | Request::Helo { .. } if lmtp => {
            reply(conn, state, config, "500 5.5.1 This is an LMTP server: use LHLO\r\n", true).await
        }
        Request::Lhlo { .. } if !lmtp => {
            reply(conn, state, config, "500 5.5.1 This is an SMTP server: use EHLO\r\n", true).await
        }
        Request::Ehlo { host } | Request::Lhlo { host } => {
            state.greeted = true;
            state.client = (!lmtp).then(|| crate::intake::SmtpClient { ip: state.peer_ip, helo: host.to_string() });
            state.reset();
            let starttls = if config.tls.is_some() && !conn.is_tls() { "250-STARTTLS\r\n" } else { "" };
            let text = format!(
                "250-{host}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n{starttls}250 SIZE {}\r\n",
                config.max_message_bytes
            );
            reply(conn, state, config, &text, false).await
        }
        Request::Helo { host } => {
            state.greeted = true;
            state.client = (!lmtp).then(|| crate::intake::SmtpClient { ip: state.peer_ip, helo: host.to_string() });
            state.reset();
            reply(conn, state, config, &format!("250 {host}\r\n"), false).await
        }
        Request::Mail { from } => {
            if !state.greeted {
                return reply(conn, state, config, "503 5.5.1 Say hello first\r\n", true).await;
            }
            if state.mail_from.is_some() {
                return reply(conn, state, config, "503 5.5.1 Sender already given\r\n", true).await;
            }
            if config.require_tls && !conn.is_tls() {
                return reply(conn, state, config, "530 5.7.0 Must issue a STARTTLS command first\r\n", true).await;
            }
            if from.size > config.max_message_bytes {
                let text =
                    format!("552 5.3.4 Message size exceeds the limit of {} bytes\r\n", config.max_message_bytes);
                return reply(conn, state, config, &text, false).await;
            }
            state.mail_from = Some(from.address.into_owned());
            reply(conn, state, config, "250 2.1.0 Sender OK\r\n", false).await
        }
        Request::Rcpt { to } => {
            if state.mail_from.is_none() {
                return reply(conn, state, config, "503 5.5.1 Need MAIL first\r\n", true).await;
            }
            if state.recipients.len() >= config.max_recipients {
                return reply(conn, state, config, "452 4.5.3 Too many recipients\r\n", false).await;
            }
            if to.address.trim().is_empty() {
                return reply(conn, state, config, "501 5.1.3 Empty recipient address\r\n", true).await;
            }
            if !ours.accepts(&to.address) {
                // Counted as an error: guessing addresses one after another ends the session.
                return reply(conn, state, config, "550 5.1.1 No such recipient here\r\n", true).await;
            }
            state.recipients.push(to.address.into_owned());
            reply(conn, state, config, "250 2.1.5 Recipient OK\r\n", false).await
        }
        Request::Data => {
            if state.mail_from.is_none() || state.recipients.is_empty() {
                return reply(conn, state, config, "503 5.5.1 Need MAIL and RCPT first\r\n", true).await;
            }
            if conn.send("354 End data with <CR><LF>.<CR><LF>\r\n").await.is_err() {
                return Next::Close;
            }
            let limits = DataLimits {
                idle: config.data_timeout,
                session_deadline: state.deadline,
                min_rate: config.min_data_rate,
                grace: config.min_rate_grace,
            };
            let text = match conn.data(config.max_message_bytes, limits, spool.message()).await {
                Data::Broken => return Next::Close,
                Data::TimedOut(stall) => {
                    let text = match stall {
                        Stall::Idle => "421 4.4.2 Timeout waiting for message data, closing\r\n",
                        Stall::TooSlow => "421 4.4.2 Message data too slow, closing\r\n",
                        Stall::SessionOver => SESSION_OVER,
                    };
                    tracing::info!(?stall, "message data stalled; closing");
                    let _ = conn.send(text).await;
                    return Next::Close;
                }
                Data::TooBig => {
                    format!("552 5.3.4 Message exceeds the size limit of {} bytes\r\n", config.max_message_bytes)
                }
                Data::NoRoom => "452 4.3.1 Insufficient system storage, try again later\r\n".to_string(),
                Data::Message(incoming) => match incoming.finish().await {
                    Ok((bytes, held)) => {
                        let mut envelope = Envelope::new(state.mail_from.clone(), state.recipients.clone());
                        envelope.client = state.client.clone();
                        let d = intake.deliver_checked(&bytes, &envelope).await;
                        // The message's share of the memory budget lasts until it is parsed and taken.
                        drop((bytes, held));
                        disposition_reply(&d)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read message data back from disk; 451");
                        "451 4.3.0 Temporary failure, try again later\r\n".to_string()
                    }
                },
            };
            let replies = if lmtp { state.recipients.len() } else { 1 };
            state.reset();
            reply(conn, state, config, &text.repeat(replies), false).await
        }
        Request::Rset => {
            state.reset();
            reply(conn, state, config, "250 2.0.0 OK\r\n", false).await
        }
        Request::Noop { .. } => reply(conn, state, config, "250 2.0.0 OK\r\n", false).await,
        Request::Quit => {
            let _ = conn.send(&format!("221 2.0.0 {host} closing connection\r\n")).await;
            Next::Close
        }
        Request::Vrfy { .. } => reply(conn, state, config, "252 2.5.0 Cannot verify, but will accept\r\n", false).await,
        Request::Help { .. } => reply(conn, state, config, "214 2.0.0 See RFC 5321\r\n", false).await,
        Request::StartTls => start_tls(conn, state, config).await,
        Request::Bdat { .. } => {
            // CHUNKING is not advertised; the chunk that follows cannot be told apart from commands.
            let _ = conn.send("502 5.5.1 BDAT not supported\r\n").await;
            Next::Close
        }
        other => {
            let text = format!("502 5.5.1 {} not implemented\r\n", other.name());
            reply(conn, state, config, &text, true).await
        }
    }
}

/// `STARTTLS`: the handshake, then a fresh session (RFC 3207: the client greets again and nothing said
/// before counts).
async fn start_tls(conn: &mut Conn, state: &mut State, config: &SmtpConfig) -> Next {
    let Some(tls) = &config.tls else {
        return reply(conn, state, config, "454 4.7.0 TLS not available\r\n", true).await;
    };
    if conn.is_tls() {
        return reply(conn, state, config, "503 5.5.1 TLS already active\r\n", true).await;
    }
    if conn.send("220 2.0.0 Ready to start TLS\r\n").await.is_err() {
        return Next::Close;
    }
    let wait = state.wait_until(config.command_timeout).saturating_duration_since(Instant::now());
    match conn.start_tls(tls.acceptor(), wait).await {
        Ok(()) => {
            state.greeted = false;
            state.reset();
            Next::Continue
        }
        Err(e) => {
            // The stream is in an unknown state mid-handshake: nothing more can be said on it.
            tracing::info!(error = %e, "STARTTLS handshake failed; closing");
            Next::Close
        }
    }
}

/// The reply to a finished `DATA`. The ticket is named only to an authenticated sender: anyone else
/// could be probing guessed numbers with a forged `From`.
fn disposition_reply(delivered: &Delivered) -> String {
    let d = &delivered.disposition;
    match d {
        Disposition::Accepted(_) => match d.ticket_number().filter(|_| delivered.sender_authenticated) {
            Some(n) => format!("250 2.0.0 OK: ticket {}\r\n", sanitize(n)),
            None => "250 2.0.0 OK\r\n".to_string(),
        },
        Disposition::Refused(reason) => line("550 5.7.1", &format!("Message refused: {reason}")),
        Disposition::TryLater(reason) => line("451 4.3.0", &format!("Temporary failure, try again later: {reason}")),
    }
}

fn protocol_error(e: &ProtoError) -> String {
    match e {
        ProtoError::UnknownCommand => "500 5.5.2 Unknown command\r\n".into(),
        ProtoError::InvalidSenderAddress => "501 5.1.7 Invalid sender address\r\n".into(),
        ProtoError::InvalidRecipientAddress => "501 5.1.3 Invalid recipient address\r\n".into(),
        ProtoError::SyntaxError { syntax } => line("501 5.5.4", &format!("Syntax: {syntax}")),
        ProtoError::InvalidParameter { param } => line("501 5.5.4", &format!("Invalid parameter {param}")),
        ProtoError::UnsupportedParameter { param } => line("504 5.5.4", &format!("Unsupported parameter {param}")),
        ProtoError::ResponseTooLong => "500 5.5.6 Line too long\r\n".into(),
        ProtoError::NeedsMoreData { .. } => "501 5.5.4 Incomplete command\r\n".into(),
        ProtoError::InvalidResponse { .. } => "501 5.5.4 Syntax error\r\n".into(),
    }
}
