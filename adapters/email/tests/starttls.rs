//! STARTTLS on the listener: real clients (lettre, Python's smtplib, swaks) over TLS with a certificate made
//! for the test, `require_tls`, and plain-text commands pipelined after `STARTTLS` thrown away.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::{EmailConfig, SmtpConfig, SmtpTls, TlsError};
use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rustls::pki_types::CertificateDer;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A self-signed certificate for `localhost`: (certificate PEM, key PEM, certificate DER).
fn certificate() -> (String, String, CertificateDer<'static>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    (cert.pem(), signing_key.serialize_pem(), cert.der().clone())
}

fn tls_config(cert: &str, key: &str, require_tls: bool) -> SmtpConfig {
    let tls = SmtpTls::from_pem(cert.as_bytes(), key.as_bytes()).unwrap();
    SmtpConfig { tls: Some(tls), require_tls, ..SmtpConfig::default() }
}

/// Reads one (possibly multi-line) reply; returns all its lines joined.
async fn read_reply<S: AsyncRead + Unpin>(r: &mut BufReader<S>) -> String {
    let mut all = String::new();
    loop {
        let mut line = String::new();
        assert!(r.read_line(&mut line).await.unwrap() > 0, "connection closed; got so far: {all:?}");
        all.push_str(&line);
        if line.as_bytes().get(3) != Some(&b'-') {
            return all;
        }
    }
}

async fn command<S: AsyncRead + AsyncWrite + Unpin>(r: &mut BufReader<S>, line: &str) -> String {
    r.get_mut().write_all(line.as_bytes()).await.unwrap();
    read_reply(r).await
}

/// Connects, reads the greeting, says `EHLO`: the connection and the `EHLO` reply.
async fn greeted(addr: std::net::SocketAddr) -> (BufReader<TcpStream>, String) {
    let mut c = BufReader::new(TcpStream::connect(addr).await.unwrap());
    assert!(read_reply(&mut c).await.starts_with("220 "));
    let ehlo = command(&mut c, "EHLO client.example\r\n").await;
    (c, ehlo)
}

#[tokio::test]
async fn lettre_sends_over_starttls_when_tls_is_required() {
    let (cert, key, _) = certificate();
    let engine = common::engine().await;
    let auth = common::customer_example_auth();
    let server = common::listen_with_auth(engine.clone(), tls_config(&cert, &key, true), auth).await;
    let tls = TlsParameters::builder("localhost".into())
        .add_root_certificate(Certificate::from_pem(cert.as_bytes()).unwrap())
        .build_rustls()
        .unwrap();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("localhost")
        .port(server.addr.port())
        .tls(Tls::Required(tls))
        .build();
    let mail = Message::builder()
        .from("Ana Lima <ana@customer.example>".parse::<Mailbox>().unwrap())
        .to("support@localhost".parse::<Mailbox>().unwrap())
        .subject("sent over TLS")
        .body("The printer is on fire.".to_string())
        .unwrap();
    let response = transport.send(mail).await.unwrap();
    assert!(response.is_positive());
    let text = response.message().collect::<Vec<_>>().join(" ");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert!(text.contains(&tickets[0].ticket.number), "{text}");
    assert_eq!(tickets[0].articles[0].subject, "sent over TLS");
    server.shutdown().await;
}

const SEND_STARTTLS: &str = r#"
import smtplib, ssl, sys
host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = smtplib.SMTP(host, port, timeout=20)
s.ehlo("client.example")
assert s.has_extn("starttls"), s.esmtp_features
s.starttls(context=ssl.create_default_context(cafile=cafile))
s.ehlo("client.example")
assert not s.has_extn("starttls"), "STARTTLS offered again inside TLS"
msg = b"From: zoe@customer.example\r\nTo: support@localhost\r\nSubject: smtplib over TLS\r\n\r\nHello.\r\n"
s.sendmail("zoe@customer.example", ["support@localhost"], msg)
print(s.sock.version())
s.quit()
"#;

#[tokio::test]
async fn python_smtplib_starttls() {
    if !common::need_python("smtplib", "python_smtplib_starttls") {
        return;
    }
    let (cert, key, _) = certificate();
    let dir = tempfile::tempdir().unwrap();
    let cafile = dir.path().join("ca.pem");
    std::fs::write(&cafile, &cert).unwrap();
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), tls_config(&cert, &key, true)).await;
    let (host, port, ca) =
        ("localhost".to_string(), server.addr.port().to_string(), cafile.to_string_lossy().into_owned());
    let out = tokio::task::spawn_blocking(move || common::python(SEND_STARTTLS, &[&host, &port, &ca])).await.unwrap();
    assert!(out.trim().starts_with("TLSv1."), "{out}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles[0].subject, "smtplib over TLS");
    server.shutdown().await;
}

#[tokio::test]
async fn swaks_tls_when_installed() {
    let run = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success())
    };
    if !run("swaks", &["--version"]) || !run("perl", &["-MNet::SSLeay", "-e1"]) {
        assert!(
            !common::e2e_required(),
            "swaks with Net::SSLeay is required with CHAMADO_E2E=1 (apt-get install swaks libnet-ssleay-perl)"
        );
        eprintln!("SKIP swaks_tls_when_installed: swaks or Net::SSLeay not installed");
        return;
    }
    let (cert, key, _) = certificate();
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), tls_config(&cert, &key, true)).await;
    let addr = server.addr.to_string();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("swaks")
            .args(["--server", &addr, "--tls", "--from", "bob@customer.example", "--to", "support@localhost"])
            .args(["--header", "Subject: swaks over TLS", "--body", "sent by swaks", "--silent", "2"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles[0].subject, "swaks over TLS");
    server.shutdown().await;
}

#[tokio::test]
async fn plain_text_mail_is_refused_when_tls_is_required() {
    let (cert, key, _) = certificate();
    let server = common::listen(common::engine().await, tls_config(&cert, &key, true)).await;
    let (mut c, ehlo) = greeted(server.addr).await;
    assert!(ehlo.contains("250-STARTTLS\r\n"), "{ehlo}");
    let mail = command(&mut c, "MAIL FROM:<zoe@customer.example>\r\n").await;
    assert!(mail.starts_with("530 5.7.0"), "{mail}");
    assert!(command(&mut c, "QUIT\r\n").await.starts_with("221 "));
    server.shutdown().await;
}

#[tokio::test]
async fn without_a_certificate_starttls_is_neither_offered_nor_accepted() {
    let server = common::listen(common::engine().await, SmtpConfig::default()).await;
    let (mut c, ehlo) = greeted(server.addr).await;
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(command(&mut c, "STARTTLS\r\n").await.starts_with("454 4.7.0"));
    server.shutdown().await;
}

/// RFC 3207 section 6: commands a man in the middle appends after `STARTTLS` in plain text must not
/// run inside the TLS session; and the session starts over (a new `EHLO` is needed).
#[tokio::test]
async fn commands_pipelined_after_starttls_are_thrown_away() {
    let (cert, key, der) = certificate();
    let engine = common::engine().await;
    let auth = common::customer_example_auth();
    let server = common::listen_with_auth(engine.clone(), tls_config(&cert, &key, false), auth).await;
    let (mut c, _) = greeted(server.addr).await;
    let injected = "STARTTLS\r\nMAIL FROM:<mallory@evil.example>\r\nRCPT TO:<support@localhost>\r\n";
    let ready = command(&mut c, injected).await;
    assert!(ready.starts_with("220 2.0.0"), "{ready}");

    let mut roots = rustls::RootCertStore::empty();
    roots.add(der).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, c.into_inner()).await.unwrap();
    let mut c = BufReader::new(tls);
    // Had the injected lines survived, their replies would come first.
    let noop = command(&mut c, "NOOP\r\n").await;
    assert!(noop.starts_with("250 2.0.0 OK"), "injected commands ran: {noop}");
    let mail = command(&mut c, "MAIL FROM:<zoe@customer.example>\r\n").await;
    assert!(mail.starts_with("503 5.5.1 Say hello first"), "the session did not start over: {mail}");
    let ehlo = command(&mut c, "EHLO client.example\r\n").await;
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(command(&mut c, "STARTTLS\r\n").await.starts_with("503 5.5.1 TLS already active"));
    assert!(command(&mut c, "MAIL FROM:<zoe@customer.example>\r\n").await.starts_with("250 "));
    assert!(command(&mut c, "RCPT TO:<support@localhost>\r\n").await.starts_with("250 "));
    assert!(command(&mut c, "DATA\r\n").await.starts_with("354 "));
    let done = command(&mut c, "Subject: inside TLS\r\n\r\nHello.\r\n.\r\n").await;
    assert!(done.starts_with("250 2.0.0 OK: ticket "), "{done}");
    let tickets = common::all_tickets(&engine).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].articles[0].from, "zoe@customer.example");
    server.shutdown().await;
}

#[tokio::test]
async fn a_failed_handshake_closes_only_that_session() {
    let (cert, key, _) = certificate();
    let engine = common::engine().await;
    let server = common::listen(engine.clone(), tls_config(&cert, &key, false)).await;
    let (mut c, _) = greeted(server.addr).await;
    assert!(command(&mut c, "STARTTLS\r\n").await.starts_with("220 "));
    // Not a TLS ClientHello: the server gives up on this connection.
    c.get_mut().write_all(b"EHLO plain.example\r\n").await.unwrap();
    let mut rest = String::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), c.read_line(&mut rest)).await.unwrap();
    assert!(!rest.starts_with("250"), "plain text answered after STARTTLS: {rest}");
    // The listener goes on serving others.
    let mut d = BufReader::new(TcpStream::connect(server.addr).await.unwrap());
    assert!(read_reply(&mut d).await.starts_with("220 "));
    server.shutdown().await;
}

#[test]
fn bad_files_name_what_is_wrong() {
    let (cert, key, _) = certificate();
    let dir = tempfile::tempdir().unwrap();
    let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_file, &cert).unwrap();
    std::fs::write(&key_file, &key).unwrap();
    assert!(SmtpTls::from_pem_files(&cert_file, &key_file).is_ok());

    let missing = dir.path().join("missing.pem");
    let e = SmtpTls::from_pem_files(&missing, &key_file).unwrap_err();
    assert!(matches!(e, TlsError::Certificate { .. }) && e.to_string().contains("missing.pem"), "{e}");
    let e = SmtpTls::from_pem_files(&cert_file, &cert_file).unwrap_err();
    assert!(matches!(e, TlsError::Key { .. }) && e.to_string().contains("cert.pem"), "{e}");
    let e = SmtpTls::from_pem_files(&key_file, &key_file).unwrap_err();
    assert!(matches!(e, TlsError::Certificate { .. }), "{e}");
    // A key that belongs to another certificate.
    let (_, other_key, _) = certificate();
    let other = dir.path().join("other.pem");
    std::fs::write(&other, &other_key).unwrap();
    let e = SmtpTls::from_pem_files(&cert_file, &other).unwrap_err();
    assert!(matches!(e, TlsError::Config(_)), "{e}");

    // The settings: both files or neither, and require_tls needs them.
    let files = |cert: Option<&std::path::Path>, key: Option<&std::path::Path>, require_tls: bool| EmailConfig {
        tls_cert: cert.map(Into::into),
        tls_key: key.map(Into::into),
        require_tls,
        ..EmailConfig::default()
    };
    let ok = files(Some(&cert_file), Some(&key_file), true);
    ok.validate().unwrap();
    assert!(
        ok.tls().unwrap().is_some()
            && ok.require_tls
            && ok.smtp().unwrap().require_tls
            && ok.lmtp().unwrap().tls.is_some()
    );
    let e = files(Some(&cert_file), None, false).validate().unwrap_err();
    assert_eq!(e.field, "tls_key");
    let e = files(None, None, true).validate().unwrap_err();
    assert_eq!(e.field, "require_tls");
    let e = files(Some(&cert_file), Some(&missing), false).validate().unwrap_err();
    assert_eq!(e.field, "tls_key");
    assert!(e.message.contains("missing.pem"), "{}", e.message);
}
