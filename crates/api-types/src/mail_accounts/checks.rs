//! The API's own checks: what the schema says beyond the engine (character limits, the one spelling
//! of a loopback host or a date), and how a body or a patch becomes the engine's record.

use super::*;

fn refuse(k: &'static str) -> Error {
    Error::validation(Message::new(k))
}

fn chars_max(s: &str, max: usize) -> bool {
    s.chars().count() <= max
}

fn check_login(s: &str) -> Result<(), Error> {
    if chars_max(s, LOGIN_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-login"))) }
}

fn check_password(s: &str) -> Result<(), Error> {
    if chars_max(s, PASSWORD_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-password"))) }
}

fn check_authserv_id(s: &str) -> Result<(), Error> {
    if chars_max(s, AUTHSERV_ID_MAX) { Ok(()) } else { Err(refuse(key("error-mail-account-authserv-id"))) }
}

fn check_folders(folders: &[String]) -> Result<(), Error> {
    // The schema's rules hold whatever the protocol (POP3 reads only INBOX, but what is stored is
    // still a list of folders).
    let ok = !folders.is_empty()
        && folders.len() <= MailAccount::MAX_FOLDERS
        && folders.iter().all(|f| chars_max(f, FOLDER_MAX))
        && (1..folders.len()).all(|i| !folders[..i].contains(&folders[i]));
    if ok { Ok(()) } else { Err(refuse(key("error-mail-account-folders"))) }
}

fn check_after_import(a: &AfterImportBody) -> Result<(), Error> {
    match a {
        AfterImportBody::Move(folder) if !chars_max(folder, FOLDER_MAX) => {
            Err(refuse(key("error-mail-account-move-folder")))
        }
        _ => Ok(()),
    }
}

fn check_first_sync(f: &FirstSyncBody) -> Result<(), Error> {
    match f {
        // jiff also reads other spellings (`20260131`); the API takes the one the schema names.
        FirstSyncBody::Since(date) if !date_shape_ok(date) => Err(refuse(key("error-mail-account-since"))),
        _ => Ok(()),
    }
}

/// `YYYY-MM-DD` with digits where the pattern has them (the calendar is jiff's to check).
fn date_shape_ok(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn check_oauth(o: &MailCredential) -> Result<(), Error> {
    if let MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } = o {
        if ![refresh_token, client_id, client_secret, scope].iter().all(|s| chars_max(s, OAUTH_MAX)) {
            return Err(refuse(key("error-mail-account-oauth")));
        }
        if !chars_max(token_url, TOKEN_URL_MAX) || !token_url_shape_ok(token_url) {
            return Err(refuse(key("error-mail-account-token-url")));
        }
    }
    Ok(())
}

/// A loopback host spelled as the schema lists it (the engine also takes other spellings of `::1`).
fn loopback_spelling_ok(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "::1" || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// The token endpoint as the schema's pattern takes it: `https://` and more, or `http://` to a
/// loopback host with an optional port and path.
fn token_url_shape_ok(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let (authority, _) = rest.split_once('/').unwrap_or((rest, ""));
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && h != ":" && !h.is_empty() => h,
        _ => authority,
    };
    host != "::1" && loopback_spelling_ok(host)
}

fn check_host_for_tls(host: &str, tls: MailTls) -> Result<(), Error> {
    if tls == MailTls::None && !loopback_spelling_ok(host) {
        return Err(refuse(key("error-mail-account-tls-none")));
    }
    Ok(())
}

fn check_account(a: &MailAccount) -> Result<(), Error> {
    check_login(&a.login)?;
    if let MailCredential::Password { password } = &a.credential {
        check_password(password)?;
    }
    check_oauth(&a.credential)?;
    check_folders(&a.folders)?;
    check_after_import(&a.after_import.clone().into())?;
    check_first_sync(&a.first_sync.clone().into())?;
    check_authserv_id(&a.authserv_id)?;
    check_host_for_tls(&a.host, a.tls)
}

impl MailAccountIn {
    /// The account to store, after the API's own checks (the engine checks the rest when it is put).
    pub fn into_account(self) -> Result<MailAccount, Error> {
        let credential = match (self.password, self.oauth2) {
            (Some(password), None) => MailCredential::Password { password },
            (None, Some(o)) => MailCredential::Xoauth2 {
                refresh_token: o.refresh_token,
                client_id: o.client_id,
                client_secret: o.client_secret,
                token_url: o.token_url,
                scope: o.scope,
            },
            _ => return Err(refuse(key("error-mail-account-one-credential"))),
        };
        let account = MailAccount {
            port: self.port.unwrap_or_else(|| self.protocol.default_port(self.tls)),
            name: self.name,
            protocol: self.protocol,
            host: self.host,
            tls: self.tls,
            login: self.login,
            credential,
            folders: self.folders,
            queue: self.queue,
            after_import: self.after_import.into(),
            first_sync: self.first_sync.into(),
            poll_seconds: self.poll_seconds,
            idle: self.idle,
            authserv_id: self.authserv_id,
            valid: self.valid,
            comment: self.comment,
        };
        check_account(&account)?;
        Ok(account)
    }
}

impl MailAccountPatch {
    /// Checks the patch on its own: each field's rules, and the rules joining fields that are all in
    /// the patch (what its schema says). A patch that passes can still clash with the account's other
    /// settings; [`MailAccountPatch::apply`] then says so.
    pub fn check_alone(&self) -> Result<(), Error> {
        // A neutral valid account that each given field replaces: what fails is the patch itself.
        let oauth = self.oauth2.is_some();
        let move_folder = match &self.after_import {
            Some(AfterImportBody::Move(f)) => Some(f.as_str()),
            _ => None,
        };
        let folder = if move_folder == Some("INBOX") { "Other" } else { "INBOX" };
        let mut neutral = MailAccount {
            name: "patch".into(),
            host: "localhost".into(),
            port: 993,
            login: "patch".into(),
            credential: if oauth {
                MailCredential::Xoauth2 {
                    refresh_token: "patch".into(),
                    client_id: "patch".into(),
                    client_secret: String::new(),
                    token_url: "https://patch".into(),
                    scope: String::new(),
                }
            } else {
                MailCredential::Password { password: "patch".into() }
            },
            folders: vec![folder.into()],
            queue: "patch".into(),
            ..MailAccount::default()
        };
        self.apply(&mut neutral)?;
        neutral.validate()
    }

    /// Applies the given fields to `a`, keeping its secrets unless new ones are given, and runs the
    /// API's own checks (the engine checks the rest when it is put).
    pub fn apply(&self, a: &mut MailAccount) -> Result<(), Error> {
        if self.password.is_some() && self.oauth2.is_some() {
            return Err(refuse(key("error-mail-account-one-credential")));
        }
        let old_default = a.protocol.default_port(a.tls);
        if let Some(p) = self.protocol {
            a.protocol = p;
        }
        if let Some(t) = self.tls {
            a.tls = t;
        }
        match self.port {
            Some(port) => a.port = port,
            // The standard port follows a change of protocol or TLS; a port an admin chose stays.
            None if a.port == old_default => a.port = a.protocol.default_port(a.tls),
            None => {}
        }
        if let Some(h) = &self.host {
            a.host.clone_from(h);
        }
        if let Some(l) = &self.login {
            a.login.clone_from(l);
        }
        if let Some(p) = &self.password {
            a.credential = MailCredential::Password { password: p.clone() };
        }
        if let Some(o) = &self.oauth2 {
            let (mut refresh_token, mut client_id, mut client_secret, mut token_url, mut scope) =
                match std::mem::take(&mut a.credential) {
                    MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope } => {
                        (refresh_token, client_id, client_secret, token_url, scope)
                    }
                    MailCredential::Password { .. } => Default::default(),
                };
            for (field, v) in [
                (&mut refresh_token, &o.refresh_token),
                (&mut client_id, &o.client_id),
                (&mut client_secret, &o.client_secret),
                (&mut token_url, &o.token_url),
                (&mut scope, &o.scope),
            ] {
                if let Some(v) = v {
                    field.clone_from(v);
                }
            }
            a.credential = MailCredential::Xoauth2 { refresh_token, client_id, client_secret, token_url, scope };
        }
        if let Some(f) = &self.folders {
            a.folders.clone_from(f);
        }
        if let Some(q) = &self.queue {
            a.queue.clone_from(q);
        }
        if let Some(x) = &self.after_import {
            a.after_import = x.clone().into();
        }
        if let Some(x) = &self.first_sync {
            a.first_sync = x.clone().into();
        }
        if let Some(x) = self.poll_seconds {
            a.poll_seconds = x;
        }
        if let Some(x) = self.idle {
            a.idle = x;
        }
        if let Some(x) = &self.authserv_id {
            a.authserv_id.clone_from(x);
        }
        if let Some(x) = self.valid {
            a.valid = x;
        }
        if let Some(x) = &self.comment {
            a.comment.clone_from(x);
        }
        check_account(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_spellings_and_token_urls() {
        for h in ["localhost", "LocalHost", "127.0.0.1", "127.255.0.10", "::1", "[::1]"] {
            assert!(loopback_spelling_ok(h), "{h}");
            assert!(MailAccount::is_loopback_host(h), "{h}");
        }
        for h in ["127.0.0.01", "127.0.0", "10.0.0.1", "0::1", "[[::1]]", "example.com"] {
            assert!(!loopback_spelling_ok(h), "{h}");
        }
        for u in ["https://x", "http://127.0.0.1:8080/token", "http://localhost", "http://[::1]:1/"] {
            assert!(token_url_shape_ok(u), "{u}");
        }
        for u in ["http://example.com/", "http://::1/", "ftp://x", "https://"] {
            assert!(!token_url_shape_ok(u), "{u}");
        }
    }
}
