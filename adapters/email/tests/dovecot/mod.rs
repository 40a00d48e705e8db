//! A real Dovecot 2.3 for IMAP/POP3 intake tests, run as an ordinary child process.
//!
//! Self-contained (std, `tempfile`, `rcgen`) so several test crates can include it with
//! `#[path = "../../adapters/email/tests/dovecot/mod.rs"] mod dovecot;`.
//!
//! Each [`Dovecot`] owns a temporary directory holding its configuration, sockets, state, log and the
//! users' Maildirs, listens on free 127.0.0.1 ports only, and never reads `/etc/dovecot`, so instances
//! run side by side in parallel tests. Dropping it stops the server.
//!
//! Run as root, mail belongs to the `dovecot` system user (Dovecot refuses mail access as uid 0);
//! run as anyone else, every Dovecot process runs as that user (Dovecot's "rootless" mode).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long [`Dovecot::start`] waits for the IMAP greeting (generous for loaded CI machines).
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts with fresh ports when another process grabbed one between our probe and Dovecot's bind.
const START_ATTEMPTS: usize = 5;

/// True when Dovecot can be used; false (with a notice naming `test`) when it is not installed and
/// the `CI` variable is unset, so the calling test returns early. With `CI` set, a missing Dovecot
/// is a failure: CI must not silently skip the intake tests.
#[allow(clippy::panic)]
pub fn available_or_skip(test: &str) -> bool {
    if find_binary("dovecot").is_some() && find_binary("doveadm").is_some() {
        return true;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{test}: dovecot/doveadm not installed but CI is set");
    }
    eprintln!("skipping {test}: dovecot/doveadm not installed (set CI to make this a failure)");
    false
}

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct DovecotOptions {
    /// (login, password) pairs, checked with PLAIN/LOGIN (and POP3 `USER`/`PASS`). Neither may contain
    /// `:`, `/` or a line break. Failed logins are answered at once (no Dovecot auth delay or penalty).
    pub users: Vec<(String, String)>,
    /// When set, XOAUTH2 and OAUTHBEARER are offered too, the token being checked by an RFC 7662
    /// introspection `POST` (`token=<token>&client_id=&client_secret=`) to this URL; the JSON answer
    /// must say `"active": true` and `"username": "<login>"` (the login the client claimed).
    pub oauth2_introspection_url: Option<String>,
    /// Self-signed certificate for `localhost`/127.0.0.1 (see [`Dovecot::cert_pem`]): IMAPS and POP3S
    /// listeners, and STARTTLS/STLS on the plain ports. Plain-text logins stay allowed either way.
    pub tls: bool,
}

/// Which messages [`Dovecot::set_seen`] marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every message in the folder.
    All,
    /// The message with this UID.
    Uid(u32),
}

/// A running Dovecot; stopped (and its files removed) on drop, which waits for Dovecot's clean
/// shutdown (about a second).
pub struct Dovecot {
    child: Child,
    imap_port: u16,
    pop3_port: u16,
    imaps_port: Option<u16>,
    pop3s_port: Option<u16>,
    conf: PathBuf,
    cert: Option<PathBuf>,
    mail_owner: Option<(u32, u32)>,
    doveadm: PathBuf,
    /// Removed when dropped, which happens after `Drop::drop` has stopped the child.
    dir: tempfile::TempDir,
}

/// Who owns the mail and who Dovecot's unprivileged processes run as.
struct Identity {
    mail_uid: u32,
    mail_gid: u32,
    /// `default_internal_user`, `default_login_user`, `default_internal_group` overrides (rootless).
    rootless: Option<(String, String)>,
    /// Set when we are root: files we create for the users must be handed to this uid/gid.
    chown_to: Option<(u32, u32)>,
}

impl Dovecot {
    /// Writes a configuration into a new temporary directory, starts `dovecot -F -c <conf>` and waits
    /// until the IMAP port greets.
    pub fn start(opts: DovecotOptions) -> io::Result<Dovecot> {
        let dovecot = find_binary("dovecot").ok_or_else(|| not_found("dovecot"))?;
        let doveadm = find_binary("doveadm").ok_or_else(|| not_found("doveadm"))?;
        for (login, password) in &opts.users {
            let bad = |s: &str| s.is_empty() || s.contains([':', '/', '\n', '\r', '\0']);
            if bad(login) || bad(password) {
                return Err(invalid(format!("unusable login or password for {login:?}")));
            }
        }
        let dir = tempfile::Builder::new().prefix("dovecot-").tempdir()?;
        let meta = std::fs::metadata(dir.path())?;
        let identity = identity(meta.uid(), meta.gid())?;
        // Dovecot's unprivileged processes (auth, imap as the mail user) must reach into it.
        set_mode(dir.path(), 0o755)?;
        for sub in ["run", "state", "home"] {
            std::fs::create_dir(dir.path().join(sub))?;
            set_mode(&dir.path().join(sub), 0o755)?;
        }
        let mut passwd = String::new();
        for (login, password) in &opts.users {
            let home = dir.path().join("home").join(login);
            std::fs::create_dir(&home)?;
            if let Some((uid, gid)) = identity.chown_to {
                std::os::unix::fs::chown(&home, Some(uid), Some(gid))?;
            }
            let _ = writeln!(
                passwd,
                "{login}:{{PLAIN}}{password}:{}:{}::{}::",
                identity.mail_uid,
                identity.mail_gid,
                home.display()
            );
        }
        std::fs::write(dir.path().join("passwd"), passwd)?;
        if let Some(url) = &opts.oauth2_introspection_url {
            std::fs::write(
                dir.path().join("oauth2.conf.ext"),
                format!(
                    "introspection_mode = post\nintrospection_url = {url}\nforce_introspection = yes\n\
                     username_attribute = username\nactive_attribute = active\nactive_value = true\n\
                     timeout_msecs = 10000\n"
                ),
            )?;
        }
        let cert = if opts.tls { Some(write_certificate(dir.path())?) } else { None };

        let conf = dir.path().join("dovecot.conf");
        let mut last_error = None;
        for _ in 0..START_ATTEMPTS {
            let ports = free_ports(if opts.tls { 4 } else { 2 })?;
            let (imap_port, pop3_port) = (ports[0], ports[1]);
            let (imaps_port, pop3s_port) = if opts.tls { (Some(ports[2]), Some(ports[3])) } else { (None, None) };
            std::fs::write(
                &conf,
                config(dir.path(), &opts, &identity, [imap_port, pop3_port], [imaps_port, pop3s_port]),
            )?;
            // A fresh log per attempt, so the retry test below reads only this attempt's errors.
            let _ = std::fs::remove_file(dir.path().join("run/master.pid"));
            let _ = std::fs::remove_file(dir.path().join("dovecot.log"));
            let stderr = std::fs::File::create(dir.path().join("stderr.log"))?;
            let mut child = Command::new(&dovecot)
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()?;
            match wait_ready(&mut child, imap_port) {
                Ok(()) => {
                    return Ok(Dovecot {
                        child,
                        imap_port,
                        pop3_port,
                        imaps_port,
                        pop3s_port,
                        conf,
                        cert,
                        mail_owner: identity.chown_to,
                        doveadm,
                        dir,
                    });
                }
                Err(e) => {
                    stop(&mut child);
                    let log = read_log(dir.path());
                    last_error = Some(io::Error::new(e.kind(), format!("{e}; dovecot log:\n{log}")));
                    // A port taken in the meantime is worth another try; anything else is not.
                    if !log.contains("Address already in use") {
                        break;
                    }
                }
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("dovecot did not start")))
    }

    /// Plain IMAP port on 127.0.0.1 (STARTTLS offered when started with `tls`).
    pub fn imap_port(&self) -> u16 {
        self.imap_port
    }

    /// Plain POP3 port on 127.0.0.1 (STLS offered when started with `tls`).
    pub fn pop3_port(&self) -> u16 {
        self.pop3_port
    }

    /// Implicit-TLS IMAP port, when started with `tls`.
    pub fn imaps_port(&self) -> Option<u16> {
        self.imaps_port
    }

    /// Implicit-TLS POP3 port, when started with `tls`.
    pub fn pop3s_port(&self) -> Option<u16> {
        self.pop3s_port
    }

    /// The self-signed certificate (PEM; names `localhost` and 127.0.0.1) clients should trust, when
    /// started with `tls`.
    pub fn cert_pem(&self) -> Option<PathBuf> {
        self.cert.clone()
    }

    /// The generated `dovecot.conf` (for running other `doveadm` commands by hand).
    pub fn config_path(&self) -> &Path {
        &self.conf
    }

    /// Dovecot's log so far (its log file, then whatever the master printed on stderr), for assertion
    /// messages.
    pub fn log(&self) -> String {
        read_log(self.dir.path())
    }

    /// Runs `doveadm -c <conf> <args>` with `stdin`; its stdout, or an error carrying its stderr.
    pub fn doveadm(&self, args: &[&str], stdin: Option<&[u8]>) -> io::Result<String> {
        let mut child = Command::new(&self.doveadm)
            .arg("-c")
            .arg(&self.conf)
            .args(args)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(bytes)?;
        }
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "doveadm {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Saves one message (raw RFC 5322 bytes) into `folder` of `user` with `doveadm save`. The folder
    /// must exist (INBOX always does; see [`Dovecot::create_folder`]).
    pub fn deliver(&self, user: &str, folder: &str, raw: &[u8]) -> io::Result<()> {
        self.doveadm(&["save", "-u", user, "-m", folder], Some(raw)).map(drop)
    }

    /// Many messages at once, in order (UIDs ascend with the slice): written straight into the
    /// folder's Maildir `new/` (through `tmp/`, so a client watching the folder never sees half a
    /// file). Dovecot indexes them on the next access. The folder must exist.
    pub fn deliver_many(&self, user: &str, folder: &str, mails: &[Vec<u8>]) -> io::Result<()> {
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        // Also makes Dovecot create INBOX's Maildir, and fails for a missing folder.
        self.count(user, folder)?;
        let base = PathBuf::from(self.doveadm(&["mailbox", "path", "-u", user, "-t", "dir", folder], None)?.trim());
        let (tmp, new) = (base.join("tmp"), base.join("new"));
        for d in [&tmp, &new] {
            if !d.is_dir() {
                std::fs::create_dir_all(d)?;
                self.hand_over(d)?;
            }
        }
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let pid = std::process::id();
        for mail in mails {
            // Dovecot gives new files UIDs in the order of the time in their names (seconds, then the
            // `M` microseconds field), so a growing sequence there keeps the slice's order.
            let seq = SEQUENCE.fetch_add(1, Ordering::Relaxed);
            let name = format!("{secs}.M{seq}P{pid}.chamado-test,S={}", mail.len());
            let staged = tmp.join(&name);
            // Root-owned files are fine: Dovecot only reads them (mode 0644) and renames or unlinks
            // them in directories the mail user owns.
            std::fs::write(&staged, mail)?;
            std::fs::rename(&staged, new.join(&name))?;
        }
        Ok(())
    }

    /// Adds `\Seen` to one message or all of `folder`.
    pub fn set_seen(&self, user: &str, folder: &str, which: Which) -> io::Result<()> {
        let uid = match which {
            Which::All => None,
            Which::Uid(uid) => Some(uid.to_string()),
        };
        let mut args = vec!["flags", "add", "-u", user, "\\Seen", "mailbox", folder];
        match &uid {
            None => args.push("all"),
            Some(uid) => args.extend(["uid", uid.as_str()]),
        }
        self.doveadm(&args, None).map(drop)
    }

    /// Creates `name` (hierarchy separator `.`, Maildir++).
    pub fn create_folder(&self, user: &str, name: &str) -> io::Result<()> {
        self.doveadm(&["mailbox", "create", "-u", user, name], None).map(drop)
    }

    /// Empties `folder` and gives it a new UIDVALIDITY, as when a user deletes and re-creates it:
    /// other folders are deleted and created again; INBOX (which cannot be deleted) is expunged and its
    /// UIDVALIDITY raised. Checks the UIDVALIDITY did change; returns the new one.
    pub fn recreate_folder(&self, user: &str, folder: &str) -> io::Result<u32> {
        let before = self.uidvalidity(user, folder)?;
        if folder.eq_ignore_ascii_case("INBOX") {
            self.doveadm(&["expunge", "-u", user, "mailbox", folder, "all"], None)?;
            let next = before.wrapping_add(1).max(1).to_string();
            self.doveadm(&["mailbox", "update", "-u", user, "--uid-validity", &next, folder], None)?;
        } else {
            self.doveadm(&["mailbox", "delete", "-u", user, folder], None)?;
            self.create_folder(user, folder)?;
        }
        let after = self.uidvalidity(user, folder)?;
        if after == before {
            return Err(io::Error::other(format!("UIDVALIDITY of {folder} stayed {before}")));
        }
        Ok(after)
    }

    /// The folder's UIDVALIDITY.
    pub fn uidvalidity(&self, user: &str, folder: &str) -> io::Result<u32> {
        self.status(user, folder, "uidvalidity")?.parse().map_err(|e| invalid(format!("uidvalidity: {e}")))
    }

    /// How many messages the folder holds.
    pub fn count(&self, user: &str, folder: &str) -> io::Result<usize> {
        self.status(user, folder, "messages")?.parse().map_err(|e| invalid(format!("messages: {e}")))
    }

    /// One `doveadm mailbox status` field (output `<folder> field=value`).
    fn status(&self, user: &str, folder: &str, field: &str) -> io::Result<String> {
        let out = self.doveadm(&["mailbox", "status", "-u", user, field, folder], None)?;
        let prefix = format!("{field}=");
        out.split_whitespace()
            .find_map(|w| w.strip_prefix(prefix.as_str()))
            .map(str::to_string)
            .ok_or_else(|| invalid(format!("no {field} in doveadm output {out:?}")))
    }

    /// Gives a file we made to the mail user (when we run as root).
    fn hand_over(&self, path: &Path) -> io::Result<()> {
        match self.mail_owner {
            Some((uid, gid)) => std::os::unix::fs::chown(path, Some(uid), Some(gid)),
            None => Ok(()),
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Waits for a real IMAP greeting (not "Waiting for authentication process"), or the child's death.
fn wait_ready(child: &mut Child, imap_port: u16) -> io::Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, imap_port));
    loop {
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!("dovecot exited: {status}")));
        }
        if Instant::now() > deadline {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "dovecot did not greet on IMAP"));
        }
        if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            stream.set_read_timeout(Some(Duration::from_secs(5)))?;
            let mut reader = BufReader::new(stream.take(64 * 1024));
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if line.starts_with("* OK") && !line.contains("Waiting for authentication") {
                    return Ok(());
                }
                line.clear();
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Asks the master to shut down (it stops its children), then makes sure it is gone.
fn stop(child: &mut Child) {
    if matches!(child.try_wait(), Ok(None)) {
        // SIGTERM (std only has SIGKILL): the master then stops its children too.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// The log file, then whatever the master printed on stderr.
fn read_log(dir: &Path) -> String {
    let mut out = std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default();
    let stderr = std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
    if !stderr.is_empty() {
        out.push_str("--- stderr ---\n");
        out.push_str(&stderr);
    }
    out
}

/// `dovecot.conf`: everything under `dir`, listeners on 127.0.0.1 only.
fn config(dir: &Path, opts: &DovecotOptions, id: &Identity, plain: [u16; 2], tls: [Option<u16>; 2]) -> String {
    let d = dir.display();
    let mut c = format!(
        "# Written by the chamado test harness; nothing here reads /etc/dovecot.
instance_name = chamado-test-{name}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
disable_plaintext_auth = no
auth_verbose = yes
auth_failure_delay = 0
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:~/Maildir
mail_fsync = never
shutdown_clients = yes
",
        name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        uid = id.mail_uid.min(500),
        gid = id.mail_gid.min(1),
    );
    if let Some((user, group)) = &id.rootless {
        let _ = write!(
            c,
            "default_internal_user = {user}\ndefault_login_user = {user}\ndefault_internal_group = {group}\n"
        );
    }
    if opts.oauth2_introspection_url.is_some() {
        let _ = write!(
            c,
            "auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/oauth2.conf.ext
}}
"
        );
    } else {
        c.push_str("auth_mechanisms = plain login\n");
    }
    let _ = write!(
        c,
        "passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
  mechanisms = plain login
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
"
    );
    if tls[0].is_some() {
        let _ = write!(c, "ssl = yes\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\n");
    } else {
        c.push_str("ssl = no\n");
    }
    // Port 0 disables a listener. No chroots: they need root and gain nothing here. No auth
    // penalty: tests try wrong passwords, then right ones, from the same address.
    let _ = write!(
        c,
        "service imap-login {{
  chroot =
  inet_listener imap {{
    port = {}
  }}
  inet_listener imaps {{
    port = {}
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    port = {}
  }}
  inet_listener pop3s {{
    port = {}
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
",
        plain[0],
        tls[0].unwrap_or(0),
        plain[1],
        tls[1].unwrap_or(0),
    );
    c
}

/// Who runs what, from the owner of the directory we just made (our effective uid/gid).
fn identity(uid: u32, gid: u32) -> io::Result<Identity> {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let entry = |pred: &dyn Fn(&[&str]) -> bool| -> Option<(String, u32, u32)> {
        passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.len() > 3 && pred(f))
            .and_then(|f| Some((f[0].to_string(), f[2].parse().ok()?, f[3].parse().ok()?)))
    };
    if uid == 0 {
        // Dovecot refuses mail access as root; its own system user will do.
        let (_, du, dg) = entry(&|f| f[0] == "dovecot")
            .ok_or_else(|| io::Error::other("running as root but there is no `dovecot` system user"))?;
        return Ok(Identity { mail_uid: du, mail_gid: dg, rootless: None, chown_to: Some((du, dg)) });
    }
    let user = entry(&|f| f[2] == uid.to_string())
        .map(|e| e.0)
        .or_else(|| std::env::var("USER").ok())
        .ok_or_else(|| io::Error::other(format!("no user name for uid {uid}")))?;
    let group = std::fs::read_to_string("/etc/group")
        .unwrap_or_default()
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == gid.to_string())
        .map(|f| f[0].to_string())
        .unwrap_or_else(|| user.clone());
    Ok(Identity { mail_uid: uid, mail_gid: gid, rootless: Some((user, group)), chown_to: None })
}

/// A self-signed certificate for `localhost` and 127.0.0.1: `cert.pem`, `key.pem` in `dir`.
fn write_certificate(dir: &Path) -> io::Result<PathBuf> {
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(names).map_err(|e| io::Error::other(format!("rcgen: {e}")))?;
    let path = dir.join("cert.pem");
    std::fs::write(&path, cert.pem())?;
    std::fs::write(dir.join("key.pem"), signing_key.serialize_pem())?;
    Ok(path)
}

/// `count` distinct free ports on 127.0.0.1 (held together while probing, so they differ).
fn free_ports(count: usize) -> io::Result<Vec<u16>> {
    let listeners = (0..count).map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0))).collect::<io::Result<Vec<_>>>()?;
    listeners.iter().map(|l| l.local_addr().map(|a| a.port())).collect()
}

/// `name` in PATH or the usual sbin directories (often missing from a non-root PATH).
fn find_binary(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

fn not_found(name: &str) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, format!("`{name}` not found in PATH or sbin"))
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// An RFC 7662 introspection endpoint for Dovecot's `oauth2` passdb, served on loopback from a thread,
/// one request per connection: `{"active":true,"username":user}` for `token`, inactive for any other.
/// Returns its URL (for [`DovecotOptions::oauth2_introspection_url`]).
pub fn introspection_server(user: &str, token: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the introspection endpoint");
    let url = format!("http://{}/introspect", listener.local_addr().expect("its address"));
    let (user, token) = (user.to_string(), token.to_string());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut r = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" {
                    break;
                }
                if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length.min(4096)];
            if r.read_exact(&mut body).is_err() {
                continue;
            }
            let body = String::from_utf8_lossy(&body);
            let active = body.split('&').any(|kv| kv == format!("token={token}"));
            let json = if active {
                format!("{{\"active\":true,\"username\":\"{user}\"}}")
            } else {
                "{\"active\":false}".into()
            };
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            );
            let _ = r.get_mut().write_all(reply.as_bytes());
        }
    });
    url
}
