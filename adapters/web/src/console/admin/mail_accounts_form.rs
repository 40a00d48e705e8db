//! The mail account form: what it posts, and the account it makes of that. Secrets work as the agent
//! password does: an empty field on an edit keeps the stored one (the form never shows it back).

use chamado::{AfterImport, FirstSync, MailAccount, MailCredential, MailProtocol, MailTls};
use chamado_http::Problem;
use chamado_i18n::Message;
use serde::{Deserialize, Deserializer};

/// A checkbox: posted (whatever its value) means on; an unchecked box is not posted at all.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    String::deserialize(d).map(|_| true)
}

/// A mail account as the form posts it. Text fields are trimmed where they are used; secrets never are.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailAccountForm {
    /// The name; only the add form posts it (an account keeps its name: its checkpoints carry it).
    pub name: String,
    /// `imap` or `pop3`.
    pub protocol: String,
    /// The server's host.
    pub host: String,
    /// The server's port; empty for the protocol's standard one.
    pub port: String,
    /// `implicit`, `starttls` or `none`.
    pub tls: String,
    /// The user name to log in as.
    pub login: String,
    /// `password` or `xoauth2`.
    pub auth: String,
    /// A new password; empty keeps the stored one.
    pub password: String,
    /// A new OAuth2 refresh token; empty keeps the stored one.
    pub refresh_token: String,
    /// The OAuth2 client id.
    pub client_id: String,
    /// A new OAuth2 client secret; empty keeps the stored one.
    pub client_secret: String,
    /// Forget the stored client secret (a public client).
    #[serde(deserialize_with = "checkbox")]
    pub client_secret_clear: bool,
    /// The OAuth2 token endpoint.
    pub token_url: String,
    /// The OAuth2 scopes, space-separated.
    pub scope: String,
    /// The folders read, one per line.
    pub folders: String,
    /// The queue new tickets go to.
    pub queue: String,
    /// `keep`, `move` or `delete`.
    pub after_import: String,
    /// The folder taken mail moves to (with `move`).
    pub move_folder: String,
    /// `all` or `since`.
    pub first_sync: String,
    /// The first-sync date (with `since`), `YYYY-MM-DD`.
    pub since: String,
    /// Seconds between checks; empty for the default.
    pub poll_seconds: String,
    /// Wait with IMAP IDLE.
    #[serde(deserialize_with = "checkbox")]
    pub idle: bool,
    /// The `authserv-id` trusted in `Authentication-Results`.
    pub authserv_id: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// A value outside the form's choices (a hand-made request): translatable like the engine's refusals.
fn bad_choice(field: &str) -> Problem {
    Problem::validation(format!("unknown value for {field}"))
        .with_message(Message::new("admin-mail-account-choice").arg("field", field.to_string()))
}

/// The account the form describes: `stored` is the account being edited (its name and secrets stay
/// unless the form gives new ones), `None` for a new one. Always an account to show the form again
/// with, and the first problem with the form itself, if any; the engine's own checks
/// ([`MailAccount::validate`]) come when it is saved.
pub fn account_from(f: &MailAccountForm, stored: Option<&MailAccount>) -> (MailAccount, Option<Problem>) {
    let mut problem: Option<Problem> = None;
    let mut fail = |p: Problem| {
        problem.get_or_insert(p);
    };
    let protocol = match f.protocol.trim() {
        "" | "imap" => MailProtocol::Imap,
        "pop3" => MailProtocol::Pop3,
        _ => {
            fail(bad_choice("protocol"));
            MailProtocol::Imap
        }
    };
    let tls = match f.tls.trim() {
        "" | "implicit" => MailTls::Implicit,
        "starttls" => MailTls::Starttls,
        "none" => MailTls::None,
        _ => {
            fail(bad_choice("tls"));
            MailTls::Implicit
        }
    };
    let port = match f.port.trim() {
        "" => protocol.default_port(tls),
        typed => typed.parse::<u16>().unwrap_or_else(|_| {
            fail(Problem::validation("bad port").with_message(Message::new("error-mail-account-port")));
            0
        }),
    };
    let poll_seconds = match f.poll_seconds.trim() {
        "" => MailAccount::DEFAULT_POLL_SECONDS,
        typed => typed.parse::<u32>().unwrap_or_else(|_| {
            fail(
                Problem::validation("bad check interval").with_message(
                    Message::new("error-mail-account-poll")
                        .arg("min", i64::from(MailAccount::MIN_POLL_SECONDS))
                        .arg("max", i64::from(MailAccount::MAX_POLL_SECONDS)),
                ),
            );
            MailAccount::DEFAULT_POLL_SECONDS
        }),
    };
    let credential = match f.auth.trim() {
        "" | "password" => password(f, stored),
        "xoauth2" => xoauth2(f, stored),
        _ => {
            fail(bad_choice("auth"));
            password(f, stored)
        }
    };
    let mut folders: Vec<String> =
        f.folders.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if folders.is_empty() && protocol == MailProtocol::Pop3 {
        folders.push("INBOX".into());
    }
    let after_import = match f.after_import.trim() {
        "" | "keep" => AfterImport::Keep,
        "move" => AfterImport::Move { folder: f.move_folder.trim().to_string() },
        "delete" => AfterImport::Delete,
        _ => {
            fail(bad_choice("after_import"));
            AfterImport::Keep
        }
    };
    let first_sync = match f.first_sync.trim() {
        "" | "all" => FirstSync::All,
        "since" => FirstSync::Since { date: f.since.trim().to_string() },
        _ => {
            fail(bad_choice("first_sync"));
            FirstSync::All
        }
    };
    let account = MailAccount {
        name: stored.map_or_else(|| f.name.trim().to_string(), |s| s.name.clone()),
        protocol,
        host: f.host.trim().to_string(),
        port,
        tls,
        login: f.login.trim().to_string(),
        credential,
        folders,
        queue: f.queue.trim().to_string(),
        after_import,
        first_sync,
        poll_seconds,
        idle: f.idle,
        authserv_id: f.authserv_id.trim().to_string(),
        valid: f.valid,
        comment: f.comment.trim().to_string(),
    };
    (account, problem)
}

/// The stored credential, when it is of the kind the form chose.
fn stored_password(stored: Option<&MailAccount>) -> Option<&str> {
    match stored.map(|s| &s.credential) {
        Some(MailCredential::Password { password }) => Some(password),
        _ => None,
    }
}

/// A password login: the typed password, else the stored one.
fn password(f: &MailAccountForm, stored: Option<&MailAccount>) -> MailCredential {
    let password = if f.password.is_empty() {
        stored_password(stored).unwrap_or_default().to_string()
    } else {
        f.password.clone()
    };
    MailCredential::Password { password }
}

/// An XOAUTH2 login: typed secrets, else the stored ones (unless the client secret is to go).
fn xoauth2(f: &MailAccountForm, stored: Option<&MailAccount>) -> MailCredential {
    let (old_refresh, old_secret) = match stored.map(|s| &s.credential) {
        Some(MailCredential::Xoauth2 { refresh_token, client_secret, .. }) => {
            (refresh_token.as_str(), client_secret.as_str())
        }
        _ => ("", ""),
    };
    let refresh_token = match f.refresh_token.trim() {
        "" => old_refresh.to_string(),
        typed => typed.to_string(),
    };
    let client_secret = match (f.client_secret_clear, f.client_secret.trim()) {
        (true, _) => String::new(),
        (false, "") => old_secret.to_string(),
        (false, typed) => typed.to_string(),
    };
    MailCredential::Xoauth2 {
        refresh_token,
        client_id: f.client_id.trim().to_string(),
        client_secret,
        token_url: f.token_url.trim().to_string(),
        scope: f.scope.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &str) -> MailAccountForm {
        serde_urlencoded::from_str(body).unwrap_or_default()
    }

    fn stored() -> MailAccount {
        MailAccount {
            name: "support".into(),
            host: "imap.example.com".into(),
            port: 993,
            login: "support@example.com".into(),
            credential: MailCredential::Password { password: "old-secret".into() },
            queue: "Raw".into(),
            ..MailAccount::default()
        }
    }

    #[test]
    fn an_empty_password_keeps_the_stored_one() {
        let f = form("name=other&host=h&login=l&password=&folders=INBOX%0D%0AArchive%0D%0A&queue=Raw&valid=1");
        let (a, p) = account_from(&f, Some(&stored()));
        assert!(p.is_none());
        assert_eq!(a.name, "support", "an edit keeps the name");
        assert_eq!(a.credential, MailCredential::Password { password: "old-secret".into() });
        assert_eq!(a.folders, vec!["INBOX".to_string(), "Archive".to_string()]);
        assert_eq!(a.port, 993, "empty: the standard port");
        let (a, _) = account_from(&form("password=+new+"), Some(&stored()));
        assert_eq!(a.credential, MailCredential::Password { password: " new ".into() }, "never trimmed");
        let (a, _) = account_from(&form("password="), None);
        assert_eq!(a.credential, MailCredential::Password { password: String::new() }, "nothing to keep");
    }

    #[test]
    fn oauth_secrets_are_kept_replaced_or_cleared() {
        let mut old = stored();
        old.credential = MailCredential::Xoauth2 {
            refresh_token: "rt".into(),
            client_id: "cid".into(),
            client_secret: "cs".into(),
            token_url: "https://t".into(),
            scope: String::new(),
        };
        let (a, _) = account_from(&form("auth=xoauth2&client_id=new&token_url=https://u"), Some(&old));
        assert!(
            matches!(a.credential, MailCredential::Xoauth2 { ref refresh_token, ref client_secret, ref client_id, .. }
            if refresh_token == "rt" && client_secret == "cs" && client_id == "new")
        );
        let (a, _) = account_from(&form("auth=xoauth2&client_secret=x&client_secret_clear=1"), Some(&old));
        assert!(matches!(a.credential, MailCredential::Xoauth2 { ref client_secret, .. } if client_secret.is_empty()));
        // A password account switched to XOAUTH2 keeps no password as a token.
        let (a, _) = account_from(&form("auth=xoauth2"), Some(&stored()));
        assert!(matches!(a.credential, MailCredential::Xoauth2 { ref refresh_token, .. } if refresh_token.is_empty()));
    }

    #[test]
    fn choices_and_numbers_outside_the_form_are_refused() {
        for body in ["protocol=smtp", "tls=ssl", "auth=kerberos", "after_import=archive", "first_sync=never"] {
            assert!(account_from(&form(body), None).1.is_some(), "{body}");
        }
        for body in ["port=99999", "port=x", "poll_seconds=-1"] {
            assert!(account_from(&form(body), None).1.is_some(), "{body}");
        }
        let (a, p) = account_from(
            &form("protocol=pop3&tls=starttls&after_import=delete&first_sync=since&since=2026-01-02&poll_seconds=30"),
            None,
        );
        assert!(p.is_none());
        assert_eq!((a.protocol, a.tls, a.port, a.poll_seconds), (MailProtocol::Pop3, MailTls::Starttls, 110, 30));
        assert_eq!(a.folders, vec!["INBOX".to_string()]);
        assert_eq!(a.after_import, AfterImport::Delete);
        assert_eq!(a.first_sync, FirstSync::Since { date: "2026-01-02".into() });
    }
}
