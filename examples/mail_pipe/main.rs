//! `chamado-mail-pipe`: one message on stdin to the running chamado server, for an MTA's pipe
//! transport, procmail or `.forward`.
//!
//! ```text
//! chamado-mail-pipe [--lmtp HOST:PORT | --smtp HOST:PORT] [-f SENDER] [-r RECIPIENT]... [--timeout SECS]
//! ```
//!
//! Default: `--lmtp $CHAMADO_LMTP_ADDR`, else `--smtp $CHAMADO_SMTP_ADDR` (else `127.0.0.1:2525`), the
//! recipient `$CHAMADO_MAIL_FROM` (else `support@localhost`). Exit 0 when delivered, 75 (EX_TEMPFAIL)
//! when the server is unreachable or answers 4xx, 65 (EX_DATAERR) when it refused the message, 64 on
//! bad usage.
//!
//! A host program (it reads its environment and arguments); the email adapter's [`chamado_email::pipe`]
//! does the relaying.
#![forbid(unsafe_code)]

use chamado_email::Envelope;
use chamado_email::Protocol;
use chamado_email::pipe::{EX_TEMPFAIL, EX_USAGE, relay};
use std::process::ExitCode;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// Largest message read from stdin.
const MAX_INPUT: u64 = 64 << 20;

struct Args {
    addr: String,
    protocol: Protocol,
    sender: Option<String>,
    recipients: Vec<String>,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let (mut addr, mut protocol) = match (env("CHAMADO_LMTP_ADDR"), env("CHAMADO_SMTP_ADDR")) {
        (Some(a), _) => (a, Protocol::Lmtp),
        (None, Some(a)) => (a, Protocol::Smtp),
        (None, None) => ("127.0.0.1:2525".to_string(), Protocol::Smtp),
    };
    let mut args =
        Args { addr: String::new(), protocol, sender: None, recipients: Vec::new(), timeout: Duration::from_secs(120) };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--lmtp" => (addr, protocol) = (value("--lmtp")?, Protocol::Lmtp),
            "--smtp" => (addr, protocol) = (value("--smtp")?, Protocol::Smtp),
            "-f" | "--from" => args.sender = Some(value("-f")?),
            "-r" | "--recipient" => args.recipients.push(value("-r")?),
            "--timeout" => {
                let v = value("--timeout")?;
                args.timeout =
                    Duration::from_secs(v.parse().map_err(|_| format!("--timeout {v:?} is not a number of seconds"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.recipients.is_empty() {
        args.recipients.push(env("CHAMADO_MAIL_FROM").unwrap_or_else(|| "support@localhost".into()));
    }
    args.addr = addr;
    args.protocol = protocol;
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("chamado-mail-pipe: {e}");
            }
            eprintln!(
                "usage: chamado-mail-pipe [--lmtp HOST:PORT | --smtp HOST:PORT] [-f SENDER] [-r RECIPIENT]... [--timeout SECS]"
            );
            return ExitCode::from(EX_USAGE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chamado-mail-pipe: cannot start: {e}");
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    runtime.block_on(async {
        let mut raw = Vec::new();
        if let Err(e) = tokio::io::stdin().take(MAX_INPUT).read_to_end(&mut raw).await {
            eprintln!("chamado-mail-pipe: cannot read the message: {e}");
            return ExitCode::from(EX_TEMPFAIL);
        }
        let envelope = Envelope::new(args.sender.clone(), args.recipients.clone());
        let outcome = relay(&args.addr, args.protocol, &raw, &envelope, args.timeout).await;
        if outcome.exit_code() != 0 {
            eprintln!("chamado-mail-pipe: {}", outcome.message());
        }
        ExitCode::from(outcome.exit_code())
    })
}
