//! One account as a URL, for a quick start from a single environment variable:
//! `imap://USER:PASSWORD@HOST:PORT/INBOX?tls=none|starttls&queue=Raw` (`imaps://` for implicit TLS,
//! `pop3://` and `pop3s://` alike).
//!
//! User and password are percent-decoded (`%40` for `@`, though a bare `@` in the user also works: the
//! last `@` ends the user part). The path names the folder (IMAP). Query keys: `tls`, `queue`,
//! `folders` (comma-separated, instead of the path), `after` (`keep`, `delete`, `move:FOLDER`), `poll`
//! (seconds), `idle` (`true`/`false`), `since` (`YYYY-MM-DD`), `name` (default `mailbox`),
//! `authserv_id`. Errors say what is wrong and never repeat the password.

use super::settings::parse_tls;
use chamado::{AfterImport, FirstSync, MailAccount, MailCredential, MailProtocol, MailTls};
use percent_encoding::percent_decode_str;

/// What is wrong with an account URL. The password never appears in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mailbox URL: {0}")]
pub struct AccountUrlError(pub String);

fn bad(message: impl Into<String>) -> AccountUrlError {
    AccountUrlError(message.into())
}

/// Percent-decodes `s` into UTF-8; `what` names the part in the error (never its value).
fn decode(s: &str, what: &str) -> Result<String, AccountUrlError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| bad(format!("the {what} is not UTF-8 once percent-decoded")))
}

fn boolean(v: &str, key: &str) -> Result<bool, AccountUrlError> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(bad(format!("{key}={v:?}: expected true or false"))),
    }
}

/// Parses an account URL into the directory record (not yet validated: [`MailAccount::validate`]
/// runs when it is stored).
pub fn parse_account_url(url: &str) -> Result<MailAccount, AccountUrlError> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("expected imap://, imaps://, pop3:// or pop3s://"))?;
    let (protocol, implicit) = match scheme.to_ascii_lowercase().as_str() {
        "imap" => (MailProtocol::Imap, false),
        "imaps" => (MailProtocol::Imap, true),
        "pop3" | "pop" => (MailProtocol::Pop3, false),
        "pop3s" | "pops" => (MailProtocol::Pop3, true),
        other => return Err(bad(format!("unknown scheme {other:?}: expected imap, imaps, pop3 or pop3s"))),
    };
    if rest.contains('#') {
        return Err(bad("a '#' must be written %23 (in a password too)"));
    }
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, q),
        None => (rest, ""),
    };
    // The last '@' ends the user part, so a login like `me@example.com` works without encoding; the
    // path starts at the first '/' after it.
    let (userinfo, host_and_path) = match before_query.rfind('@') {
        Some(at) => (Some(&before_query[..at]), &before_query[at + 1..]),
        None => (None, before_query),
    };
    let (authority, path) = match host_and_path.find('/') {
        Some(slash) => (&host_and_path[..slash], &host_and_path[slash + 1..]),
        None => (host_and_path, ""),
    };
    let (login, password) = match userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, pw)) => (decode(user, "user")?, decode(pw, "password")?),
            None => (decode(u, "user")?, String::new()),
        },
        None => return Err(bad("no user: write USER:PASSWORD@ before the host")),
    };
    if login.is_empty() {
        return Err(bad("the user is empty"));
    }
    if password.is_empty() {
        return Err(bad("no password: write USER:PASSWORD@ before the host"));
    }
    let (host, port) = split_host_port(authority)?;

    let mut tls = if implicit { MailTls::Implicit } else { MailTls::None };
    let mut account = MailAccount {
        name: "mailbox".into(),
        protocol,
        host,
        port: 0,
        tls,
        login,
        credential: MailCredential::Password { password },
        queue: "Raw".into(),
        ..MailAccount::default()
    };
    if !path.is_empty() {
        account.folders = vec![decode(path, "folder")?];
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = decode(&v.replace('+', " "), k)?;
        match k {
            "tls" => {
                let mode = parse_tls(&v).ok_or_else(|| bad(format!("tls={v:?}: expected none or starttls")))?;
                if implicit && mode != MailTls::Implicit {
                    return Err(bad(format!(
                        "{scheme}:// is TLS from the start: tls={v} belongs to {}://",
                        &scheme[..scheme.len() - 1]
                    )));
                }
                tls = mode;
            }
            "queue" => account.queue = v,
            "name" => account.name = v,
            "folders" => {
                account.folders = v.split(',').map(str::trim).filter(|f| !f.is_empty()).map(String::from).collect()
            }
            "after" => {
                account.after_import = match v.split_once(':') {
                    Some(("move", folder)) if !folder.is_empty() => AfterImport::Move { folder: folder.into() },
                    None if v == "keep" => AfterImport::Keep,
                    None if v == "delete" => AfterImport::Delete,
                    _ => return Err(bad(format!("after={v:?}: expected keep, delete or move:FOLDER"))),
                }
            }
            "poll" => {
                account.poll_seconds =
                    v.parse().map_err(|_| bad(format!("poll={v:?}: expected a number of seconds")))?
            }
            "idle" => account.idle = boolean(&v, "idle")?,
            "since" => account.first_sync = FirstSync::Since { date: v },
            "authserv_id" => account.authserv_id = v,
            other => {
                return Err(bad(format!(
                    "unknown key {other:?} (known: tls, queue, name, folders, after, poll, idle, since, authserv_id)"
                )));
            }
        }
    }
    // A plain scheme without `tls=` means no TLS, as the URL says; `imap://` to a remote host is then
    // refused by the account's validation (TLS `none` is for this machine only).
    account.tls = tls;
    account.port = port.unwrap_or_else(|| protocol.default_port(tls));
    if protocol == MailProtocol::Pop3 && account.folders.iter().any(|f| !f.eq_ignore_ascii_case("INBOX")) {
        return Err(bad("POP3 has only INBOX: leave the path empty"));
    }
    Ok(account)
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(authority: &str) -> Result<(String, Option<u16>), AccountUrlError> {
    let port = |p: &str| {
        p.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| bad(format!("port {p:?}: expected 1 to 65535")))
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(|| bad("an IPv6 host needs its closing ']'"))?;
        match after.strip_prefix(':') {
            Some(p) => (format!("[{h}]"), Some(port(p)?)),
            None if after.is_empty() => (format!("[{h}]"), None),
            None => return Err(bad("unexpected text after the IPv6 host")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(port(p)?)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_form() {
        let a = parse_account_url("imap://support:s3cret@127.0.0.1:1143/INBOX?tls=none&queue=Raw").unwrap();
        assert_eq!(a.protocol, MailProtocol::Imap);
        assert_eq!((a.host.as_str(), a.port, a.tls), ("127.0.0.1", 1143, MailTls::None));
        assert_eq!(a.login, "support");
        assert_eq!(a.credential, MailCredential::Password { password: "s3cret".into() });
        assert_eq!(a.folders, vec!["INBOX".to_string()]);
        assert_eq!((a.queue.as_str(), a.name.as_str()), ("Raw", "mailbox"));
        a.validate().unwrap();
    }

    #[test]
    fn schemes_ports_and_percent_decoding() {
        let a = parse_account_url("imaps://me%40example.com:p%3Aw%40rd@imap.example.com").unwrap();
        assert_eq!((a.port, a.tls), (993, MailTls::Implicit));
        assert_eq!(a.login, "me@example.com");
        assert_eq!(a.credential, MailCredential::Password { password: "p:w@rd".into() });
        let a = parse_account_url("imap://me@example.com:pw@imap.example.com?tls=starttls").unwrap();
        assert_eq!((a.login.as_str(), a.port, a.tls), ("me@example.com", 143, MailTls::Starttls));
        let a = parse_account_url("pop3s://u:p@pop.example.com").unwrap();
        assert_eq!((a.protocol, a.port), (MailProtocol::Pop3, 995));
        let a = parse_account_url("pop3://u:p@[::1]:1110?tls=none").unwrap();
        assert_eq!((a.host.as_str(), a.port), ("[::1]", 1110));
        a.validate().unwrap();
    }

    #[test]
    fn query_keys() {
        let a = parse_account_url(
            "imaps://u:p@h.example.com/?folders=INBOX,Support&after=move:Done&poll=30&idle=false&since=2026-01-01&name=help&queue=Postmaster",
        )
        .unwrap();
        assert_eq!(a.folders, vec!["INBOX".to_string(), "Support".into()]);
        assert_eq!(a.after_import, AfterImport::Move { folder: "Done".into() });
        assert_eq!((a.poll_seconds, a.idle), (30, false));
        assert_eq!(a.first_sync, FirstSync::Since { date: "2026-01-01".into() });
        assert_eq!((a.name.as_str(), a.queue.as_str()), ("help", "Postmaster"));
        a.validate().unwrap();
        let a = parse_account_url("imaps://u:p@h/Support%20Team?after=delete").unwrap();
        assert_eq!((a.folders[0].as_str(), &a.after_import), ("Support Team", &AfterImport::Delete));
    }

    #[test]
    fn errors_name_the_problem_and_never_the_password() {
        for (url, expect) in [
            ("http://u:hunter2@h", "unknown scheme"),
            ("imap://hunter2@h", "no password"),
            ("imap://h", "no user"),
            ("imap://u:hunter2@h:99999", "port"),
            ("imap://u:hunter2@h?tls=ssl", "tls="),
            ("imaps://u:hunter2@h?tls=none", "TLS from the start"),
            ("imap://u:hunter2@h?colour=red", "unknown key"),
            ("imap://u:hunter2@h?after=archive", "after="),
            ("imap://u:hunter2@h?poll=soon", "poll="),
            ("pop3://u:hunter2@h/Sent", "POP3"),
            ("imap://u:hun%FFter2@h", "password is not UTF-8"),
            ("imap://u:hunter2@", "no host"),
            ("imap://u:hunter2@[::1", "IPv6"),
        ] {
            let e = parse_account_url(url).unwrap_err().to_string();
            assert!(e.contains(expect), "{url}: {e}");
            assert!(!e.contains("hunter2") && !e.contains("hun"), "{url}: {e}");
        }
    }

    #[test]
    fn plain_imap_to_a_remote_host_fails_validation() {
        let a = parse_account_url("imap://u:p@imap.example.com").unwrap();
        assert_eq!(a.tls, MailTls::None);
        assert!(a.validate().is_err());
    }
}
