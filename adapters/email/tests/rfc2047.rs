//! Accented subjects and names (RFC 2047): what goes out is ASCII-only in its header lines, with the
//! accented text in encoded words; the customer's answer (`Re: ` and the encoded subject, as a mail
//! client writes it) comes back onto the same ticket and every text decodes to exactly what was written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use async_trait::async_trait;
use chamado::{Actor, Agent, Channel, ChannelKind, Delivery, DeliveryError, EngineConfig, IntakeOutcome, NewArticle};
use chamado_email::{Disposition, Envelope, MailAuth, MailIntake, QueueMap, build_message};
use mail_parser::{HeaderValue, MessageParser};
use std::sync::{Arc, Mutex};

const TITLE: &str = "Impressora não imprime — ação urgente";
const NAME: &str = "João Conceição";
const MTA: &str = "mx.test.example";

/// The bytes each delivery would put on the wire, built as the SMTP channel builds them.
struct Wire(Mutex<Vec<Vec<u8>>>);

#[async_trait]
impl Channel for Wire {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> Result<Option<String>, DeliveryError> {
        self.0.lock().unwrap().push(build_message(d)?.formatted());
        Ok(None)
    }
}

/// `text` as one RFC 2047 `Q` encoded word, as a mail client writes a header.
fn q_word(text: &str) -> String {
    let mut out = String::from("=?utf-8?q?");
    for b in text.bytes() {
        match b {
            b' ' => out.push('_'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(char::from(b)),
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out.push_str("?=");
    out
}

/// The header block of `raw` (up to the first empty line), one line per element.
fn header_lines(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    text.split("\r\n").take_while(|l| !l.is_empty()).map(str::to_string).collect()
}

fn raw_header(raw: &[u8], name: &str) -> String {
    MessageParser::default().parse(raw).unwrap().header_raw(name).unwrap().trim().to_string()
}

async fn take(intake: &MailIntake, raw: &[u8]) -> IntakeOutcome {
    match intake.deliver(raw, &Envelope::default()).await {
        Disposition::Accepted(o) => *o,
        other => panic!("not accepted: {other:?}"),
    }
}

#[tokio::test]
async fn accented_subjects_and_names_go_out_encoded_and_come_back_threaded() {
    let config = EngineConfig {
        system_addresses: vec!["suporte@example.com".into()],
        message_id_domain: "example.com".into(),
        ..EngineConfig::default()
    };
    let engine = common::engine_with(config).await;
    let admin = engine.admin(&Actor::System).await.unwrap();
    let mut ana = Agent::new("ana");
    ana.first_name = "Ana".into();
    ana.last_name = "Conceição".into();
    admin.put_agent(ana).await.unwrap();
    admin
        .grant(chamado::Grant::group(
            chamado::GrantSubject::Agent("ana".into()),
            "users",
            chamado::PermissionSet::of(&[chamado::Permission::Rw]),
        ))
        .await
        .unwrap();
    let intake = MailIntake::new(engine.clone(), QueueMap::new())
        .with_auth(MailAuth { verifier: None, trusted_authserv_id: Some(MTA.into()) });

    // João writes in, his name and subject encoded as his mail client encodes them.
    let first = format!(
        "Authentication-Results: {MTA}; dmarc=pass\r\nFrom: {} <joao@cliente.example>\r\nTo: suporte@example.com\r\n\
         Subject: {}\r\nMessage-ID: <j1@cliente.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nNão sai nada.\r\n",
        q_word(NAME),
        q_word(TITLE)
    );
    let IntakeOutcome::NewTicket { ticket, .. } = take(&intake, first.as_bytes()).await else {
        panic!("expected a new ticket");
    };
    assert_eq!(ticket.title, TITLE, "the subject decodes to exactly what was written");
    let user = engine.customer_user(ticket.customer_user.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!(user.display_name(), NAME);
    let mut user = user;
    user.language = Some("pt-BR".into());
    admin.put_customer_user(user).await.unwrap();

    // Ana answers; her accented name is the From display name.
    engine
        .add_article(&Actor::agent("ana"), &ticket.number, NewArticle::reply("Olá João, já verificamos."))
        .await
        .unwrap();
    let wire = Arc::new(Wire(Mutex::new(Vec::new())));
    engine.deliver_due(&[wire.clone() as Arc<dyn Channel>]).await.unwrap();
    let sent = wire.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 2, "the auto-response and Ana's answer");
    let expected_subject = format!("Re: [Ticket#{}] {TITLE}", ticket.number);
    for raw in &sent {
        for line in header_lines(raw) {
            assert!(line.is_ascii(), "header lines are ASCII-only: {line:?}");
        }
        let subject = raw_header(raw, "Subject");
        assert!(subject.to_ascii_lowercase().contains("=?utf-8?"), "the subject is encoded: {subject}");
        let parsed = MessageParser::default().parse(raw).unwrap();
        assert_eq!(parsed.subject(), Some(expected_subject.as_str()));
    }
    let answer = MessageParser::default().parse(&sent[1]).unwrap();
    let from = answer.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.name(), Some("Ana Conceição"), "the display name decodes exactly");
    assert!(raw_header(&sent[1], "From").to_ascii_lowercase().contains("=?utf-8?"));
    // João's own accented name goes out as the To display name, encoded, and decodes exactly.
    let to = answer.to().and_then(|a| a.first()).unwrap();
    assert_eq!((to.name(), to.address()), (Some(NAME), Some("joao@cliente.example")));
    assert!(raw_header(&sent[1], "To").to_ascii_lowercase().contains("=?utf-8?"));
    assert_eq!(answer.body_text(0).unwrap().trim_end(), "Olá João, já verificamos.", "the agent's text as written");
    let auto = MessageParser::default().parse(&sent[0]).unwrap();
    let auto_body = auto.body_text(0).unwrap();
    // Written when the ticket opened, before João chose a language: the system's (English).
    assert!(auto_body.starts_with(&format!("Dear {NAME},")), "{auto_body}");
    let auto_from = auto.from().and_then(|a| a.first()).unwrap();
    assert_eq!(auto_from.name(), Some("Suporte"), "the system's name in João's language, chosen since");

    // João answers Ana: "Re: " before the subject as it arrived, still encoded, and In-Reply-To.
    let subject_as_sent = raw_header(&sent[1], "Subject");
    let message_id = raw_header(&sent[1], "Message-ID");
    let reply = format!(
        "Authentication-Results: {MTA}; dmarc=pass\r\nFrom: {} <joao@cliente.example>\r\nTo: suporte@example.com\r\n\
         Subject: Re: {subject_as_sent}\r\nMessage-ID: <j2@cliente.example>\r\nIn-Reply-To: {message_id}\r\n\
         References: <j1@cliente.example> {message_id}\r\n\r\nObrigado!\r\n",
        q_word(NAME)
    );
    let parsed = MessageParser::default().parse(reply.as_bytes()).unwrap();
    assert_eq!(parsed.subject(), Some(format!("Re: {expected_subject}").as_str()));
    assert!(matches!(parsed.header("From"), Some(HeaderValue::Address(_))));
    match take(&intake, reply.as_bytes()).await {
        IntakeOutcome::FollowUp { ticket: t, article } => {
            assert_eq!(t.number, ticket.number, "threaded onto the same ticket");
            assert_eq!(t.title, TITLE, "the title stays exactly as written");
            assert_eq!(article.subject, format!("Re: {expected_subject}"), "the article's subject decodes exactly");
            assert!(article.from.starts_with(NAME), "the sender's name decodes exactly: {}", article.from);
        }
        other => panic!("expected a follow-up, got {other:?}"),
    }
}
