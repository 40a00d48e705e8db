//! Smoke tests of the Dovecot harness (`tests/dovecot/mod.rs`) that the IMAP/POP3 intake tests build
//! on: a real Dovecot answers IMAP, POP3, IMAPS and XOAUTH2, and the helpers that shape its
//! mailboxes (deliver, bulk deliver, seen flags, UIDVALIDITY changes) do what they say.
//! Skipped when Dovecot is not installed, unless `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "dovecot/mod.rs"]
mod dovecot;

use dovecot::{Dovecot, DovecotOptions, Which};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

const USER: &str = "alice@example.test";
const PASS: &str = "s3cret pass";

fn options() -> DovecotOptions {
    DovecotOptions {
        users: vec![(USER.to_string(), PASS.to_string()), ("bob".to_string(), "bobpw".to_string())],
        ..DovecotOptions::default()
    }
}

fn mail(n: usize) -> Vec<u8> {
    format!(
        "From: Sender <sender@example.test>\r\nTo: {USER}\r\nSubject: message {n}\r\n\
         Message-ID: <m{n}@example.test>\r\n\r\nBody of message {n}.\r\n"
    )
    .into_bytes()
}

/// A line-oriented text session (IMAP or POP3) with a read timeout.
struct Session<S: Read + Write> {
    r: BufReader<S>,
}

impl Session<TcpStream> {
    fn connect(port: u16) -> Self {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Session { r: BufReader::new(s) }
    }
}

impl<S: Read + Write> Session<S> {
    fn line(&mut self) -> String {
        let mut l = String::new();
        assert!(self.r.read_line(&mut l).unwrap() > 0, "connection closed");
        l
    }

    fn send(&mut self, text: &str) {
        self.r.get_mut().write_all(text.as_bytes()).unwrap();
    }

    /// Sends a tagged IMAP command; every line up to and including the tagged reply.
    fn imap(&mut self, tag: &str, command: &str) -> String {
        self.send(&format!("{tag} {command}\r\n"));
        let mut all = String::new();
        loop {
            let l = self.line();
            all.push_str(&l);
            if l.starts_with(&format!("{tag} ")) {
                return all;
            }
        }
    }

    /// Sends a POP3 command; its reply, with the body of a multi-line one up to ".".
    fn pop3(&mut self, command: &str, multiline: bool) -> String {
        self.send(&format!("{command}\r\n"));
        let mut all = self.line();
        if multiline && all.starts_with("+OK") {
            loop {
                let l = self.line();
                if l == ".\r\n" {
                    break;
                }
                all.push_str(&l);
            }
        }
        all
    }
}

#[test]
fn imap_and_pop3_see_delivered_mail_and_uidvalidity_changes() {
    if !dovecot::available_or_skip("imap_and_pop3_see_delivered_mail_and_uidvalidity_changes") {
        return;
    }
    let d = Dovecot::start(options()).unwrap();
    for n in 1..=3 {
        d.deliver(USER, "INBOX", &mail(n)).unwrap();
    }
    assert_eq!(d.count(USER, "INBOX").unwrap(), 3);
    assert_eq!(d.count("bob", "INBOX").unwrap(), 0, "users have their own mailboxes");

    let mut imap = Session::connect(d.imap_port());
    assert!(imap.line().starts_with("* OK"));
    let login = imap.imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
    assert!(login.contains("a OK"), "{login}\n{}", d.log());
    let caps = imap.imap("c", "CAPABILITY");
    assert!(caps.split_whitespace().any(|w| w == "IDLE"), "{caps}");
    let select = imap.imap("b", "SELECT INBOX");
    assert!(select.contains("* 3 EXISTS"), "{select}");
    let unseen = imap.imap("s", "SEARCH UNSEEN");
    assert!(unseen.contains("* SEARCH 1 2 3"), "{unseen}");
    imap.imap("z", "LOGOUT");

    let wrong = Session::connect(d.imap_port()).imap("a", &format!("LOGIN \"{USER}\" wrong"));
    assert!(wrong.contains("a NO"), "{wrong}");

    let mut pop = Session::connect(d.pop3_port());
    assert!(pop.line().starts_with("+OK"));
    assert!(pop.pop3(&format!("USER {USER}"), false).starts_with("+OK"));
    let pass = pop.pop3(&format!("PASS {PASS}"), false);
    assert!(pass.starts_with("+OK"), "{pass}\n{}", d.log());
    let uidl = pop.pop3("UIDL", true);
    assert_eq!(uidl.lines().skip(1).count(), 3, "{uidl}");
    pop.pop3("QUIT", false);

    d.set_seen(USER, "INBOX", Which::Uid(2)).unwrap();
    let mut imap = Session::connect(d.imap_port());
    imap.line();
    imap.imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
    imap.imap("b", "SELECT INBOX");
    let unseen = imap.imap("s", "SEARCH UNSEEN");
    assert!(unseen.contains("* SEARCH 1 3\r\n"), "{unseen}");
    imap.imap("z", "LOGOUT");
    d.set_seen(USER, "INBOX", Which::All).unwrap();

    // A folder deleted and created again, and INBOX emptied: both get a new UIDVALIDITY.
    d.create_folder(USER, "Support").unwrap();
    d.deliver(USER, "Support", &mail(9)).unwrap();
    let before = d.uidvalidity(USER, "Support").unwrap();
    let after = d.recreate_folder(USER, "Support").unwrap();
    assert_ne!(before, after);
    assert_eq!(d.uidvalidity(USER, "Support").unwrap(), after);
    assert_eq!(d.count(USER, "Support").unwrap(), 0);

    let before = d.uidvalidity(USER, "INBOX").unwrap();
    let after = d.recreate_folder(USER, "INBOX").unwrap();
    assert_ne!(before, after);
    assert_eq!(d.count(USER, "INBOX").unwrap(), 0);
    let mut imap = Session::connect(d.imap_port());
    imap.line();
    imap.imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
    let select = imap.imap("b", "SELECT INBOX");
    assert!(select.contains(&format!("[UIDVALIDITY {after}]")), "{select}");
    assert!(select.contains("* 0 EXISTS"), "{select}");

    assert!(d.deliver(USER, "NoSuchFolder", &mail(1)).is_err());

    // A login that would break the passwd file or escape the home directory is refused up front.
    for login in ["a:b", "../x", ""] {
        let opts = DovecotOptions { users: vec![(login.to_string(), "pw".to_string())], ..DovecotOptions::default() };
        assert_eq!(Dovecot::start(opts).err().map(|e| e.kind()), Some(std::io::ErrorKind::InvalidData), "{login:?}");
    }
}

#[test]
fn deliver_many_writes_ten_thousand_mails_in_order() {
    if !dovecot::available_or_skip("deliver_many_writes_ten_thousand_mails_in_order") {
        return;
    }
    let d = Dovecot::start(options()).unwrap();
    let mails: Vec<Vec<u8>> = (1..=10_000).map(mail).collect();
    let started = Instant::now();
    d.deliver_many(USER, "INBOX", &mails).unwrap();
    let written = started.elapsed();
    assert_eq!(d.count(USER, "INBOX").unwrap(), 10_000);
    eprintln!("deliver_many: 10000 mails written in {written:?}, indexed by Dovecot after {:?}", started.elapsed());

    let mut imap = Session::connect(d.imap_port());
    imap.line();
    imap.imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
    let select = imap.imap("b", "SELECT INBOX");
    assert!(select.contains("* 10000 EXISTS"), "{select}");
    for n in [1, 5000, 10_000] {
        let fetch = imap.imap("f", &format!("FETCH {n} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
        assert!(fetch.contains(&format!("Subject: message {n}\r\n")), "{fetch}");
    }

    // A second batch into another folder lands after nothing else and stays in order too.
    d.create_folder(USER, "Archive").unwrap();
    d.deliver_many(USER, "Archive", &mails[..3]).unwrap();
    let select = imap.imap("c", "SELECT Archive");
    assert!(select.contains("* 3 EXISTS"), "{select}");
    let fetch = imap.imap("g", "FETCH 3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    assert!(fetch.contains("Subject: message 3\r\n"), "{fetch}");
    assert!(d.deliver_many(USER, "Missing", &mails[..1]).is_err());
}

#[test]
fn tls_ports_complete_a_handshake_with_the_harness_certificate() {
    if !dovecot::available_or_skip("tls_ports_complete_a_handshake_with_the_harness_certificate") {
        return;
    }
    let d = Dovecot::start(DovecotOptions { tls: true, ..options() }).unwrap();
    let cert_path = d.cert_pem().unwrap();
    use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_file(&cert_path).unwrap()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = Arc::new(config);

    for (port, greeting) in [(d.imaps_port().unwrap(), "* OK"), (d.pop3s_port().unwrap(), "+OK")] {
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let conn = rustls::ClientConnection::new(config.clone(), ServerName::try_from("localhost").unwrap()).unwrap();
        let mut s = Session { r: BufReader::new(rustls::StreamOwned::new(conn, tcp)) };
        let first = s.line();
        assert!(first.starts_with(greeting), "{first}");
        if greeting == "* OK" {
            let login = s.imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
            assert!(login.contains("a OK"), "{login}");
        }
    }

    let mut plain = Session::connect(d.imap_port());
    plain.line();
    let caps = plain.imap("c", "CAPABILITY");
    assert!(caps.contains("STARTTLS"), "{caps}");
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn xoauth2_logs_in_with_an_active_token_only() {
    if !dovecot::available_or_skip("xoauth2_logs_in_with_an_active_token_only") {
        return;
    }
    let url = dovecot::introspection_server(USER, "good-token");
    let d = Dovecot::start(DovecotOptions { oauth2_introspection_url: Some(url), ..options() }).unwrap();
    let xoauth2 = |token: &str| base64(format!("user={USER}\x01auth=Bearer {token}\x01\x01").as_bytes());

    let mut imap = Session::connect(d.imap_port());
    let greeting = imap.line();
    assert!(greeting.contains("AUTH=XOAUTH2"), "{greeting}");
    let ok = imap.imap("a", &format!("AUTHENTICATE XOAUTH2 {}", xoauth2("good-token")));
    assert!(ok.contains("a OK"), "{ok}\n{}", d.log());
    assert!(imap.imap("b", "SELECT INBOX").contains("b OK"));

    let mut imap = Session::connect(d.imap_port());
    imap.line();
    imap.send(&format!("a AUTHENTICATE XOAUTH2 {}\r\n", xoauth2("bad-token")));
    // XOAUTH2 failures come as a `+` challenge carrying the error JSON; an empty reply ends it.
    let challenge = imap.line();
    assert!(challenge.starts_with("+ "), "{challenge}");
    imap.send("\r\n");
    let no = imap.line();
    assert!(no.starts_with("a NO"), "{no}");

    // Passwords still work next to OAuth.
    let plain = Session::connect(d.imap_port()).imap("a", &format!("LOGIN \"{USER}\" \"{PASS}\""));
    assert!(plain.contains("a OK"), "{plain}");
}
