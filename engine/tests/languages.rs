//! People's language and time zone: what they set themselves, how the directory stores them, and the
//! mail the system writes in the recipient's language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::field_reassign_with_default)]

mod common;
use async_trait::async_trait;
use chamado::*;
use common::*;
use std::sync::{Arc, Mutex};

fn put_language(d: &Desk, login: &str, language: &str) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut u = d.engine.customer_user(login).await.unwrap().unwrap();
        u.language = Some(language.into());
        a.put_customer_user(u).await.unwrap();
    });
}

#[test]
fn an_agent_sets_its_own_language_and_time_zone_and_keeps_password_and_tokens() {
    let d = desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut ana = Agent::new("ana");
        ana.password_hash = Some("$argon2id$stand-in".into());
        ana.token_hashes = vec!["t1".into()];
        a.put_agent(ana).await.unwrap();
    });
    let prefs = Preferences { language: Some("pt_br".into()), time_zone: Some("america/sao_paulo".into()) };
    block(d.engine.set_own_preferences(&Actor::agent("ana"), prefs)).unwrap();
    let ana = block(d.engine.agent("ana")).unwrap().unwrap();
    assert_eq!((ana.language.as_deref(), ana.time_zone.as_deref()), (Some("pt-BR"), Some("America/Sao_Paulo")));
    assert_eq!(ana.password_hash.as_deref(), Some("$argon2id$stand-in"), "the password stays");
    assert_eq!(ana.token_hashes, vec!["t1".to_string()], "the API tokens stay");
    let tr = d.engine.agent_tr(&ana, Some("en"));
    assert_eq!((tr.lang(), tr.time_zone().as_str()), ("pt-BR".to_string(), "America/Sao_Paulo"));

    let bad = Preferences { language: None, time_zone: Some("Mars/Base".into()) };
    assert!(matches!(block(d.engine.set_own_preferences(&Actor::agent("ana"), bad)), Err(Error::Validation(_))));
    let ana = block(d.engine.agent("ana")).unwrap().unwrap();
    assert_eq!(ana.time_zone.as_deref(), Some("America/Sao_Paulo"), "a refused change leaves what was there");

    block(d.engine.set_own_preferences(&Actor::agent("ana"), Preferences::default())).unwrap();
    let ana = block(d.engine.agent("ana")).unwrap().unwrap();
    assert_eq!((ana.language, ana.time_zone), (None, None), "none chosen: the system's again");
}

#[test]
fn a_customer_user_sets_its_language_only() {
    let d = desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut alice = d.engine.customer_user("alice").await.unwrap().unwrap();
        alice.password_hash = Some("$argon2id$stand-in".into());
        a.put_customer_user(alice).await.unwrap();
    });
    let zone = Preferences { language: Some("pt-BR".into()), time_zone: Some("America/Sao_Paulo".into()) };
    assert!(matches!(block(d.engine.set_own_preferences(&alice(), zone)), Err(Error::Validation(_))));
    assert_eq!(block(d.engine.customer_user("alice")).unwrap().unwrap().language, None, "nothing stored");

    block(d.engine.set_own_preferences(&alice(), Preferences { language: Some("PT".into()), time_zone: None }))
        .unwrap();
    let u = block(d.engine.customer_user("alice")).unwrap().unwrap();
    assert_eq!(u.language.as_deref(), Some("pt-BR"));
    assert_eq!(u.password_hash.as_deref(), Some("$argon2id$stand-in"), "the password stays");
    assert_eq!(u.first_name, "Alice", "the rest of the record stays");
    let unknown = Preferences { language: Some("klingon".into()), time_zone: None };
    assert!(matches!(block(d.engine.set_own_preferences(&alice(), unknown)), Err(Error::Validation(_))));
    assert!(block(d.engine.set_own_preferences(&Actor::System, Preferences::default())).is_err());
}

#[test]
fn the_directory_stores_languages_and_zones_in_one_spelling_and_refuses_unknown_ones() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let mut u = CustomerUser::new("joao", "joao@acme.example", "acme");
    u.language = Some(" pt_BR ".into());
    block(a.put_customer_user(u.clone())).unwrap();
    assert_eq!(block(d.engine.customer_user("joao")).unwrap().unwrap().language.as_deref(), Some("pt-BR"));
    u.language = Some(String::new());
    block(a.put_customer_user(u.clone())).unwrap();
    assert_eq!(block(d.engine.customer_user("joao")).unwrap().unwrap().language, None, "empty means none");
    u.language = Some("xx-YY".into());
    assert!(matches!(block(a.put_customer_user(u)), Err(Error::Validation(_))));

    let mut ana = Agent::new("ana");
    ana.language = Some("en".into());
    ana.time_zone = Some("europe/lisbon".into());
    block(a.put_agent(ana.clone())).unwrap();
    let stored = block(d.engine.agent("ana")).unwrap().unwrap();
    assert_eq!((stored.language.as_deref(), stored.time_zone.as_deref()), (Some("en"), Some("Europe/Lisbon")));
    ana.time_zone = Some("Nowhere/City".into());
    assert!(matches!(block(a.put_agent(ana)), Err(Error::Validation(_))));
}

/// A channel that keeps what it is given.
struct Recorder(Mutex<Vec<Delivery>>);

#[async_trait]
impl Channel for Recorder {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> std::result::Result<Option<String>, DeliveryError> {
        self.0.lock().unwrap().push(d.clone());
        Ok(None)
    }
}

fn auto_response(d: &Desk, from: &str, subject: &str, id: &str) -> (Ticket, Article, Delivery) {
    let IntakeOutcome::NewTicket { ticket, .. } = block(d.engine.intake(email(from, subject, "body", id))).unwrap()
    else {
        panic!("expected a new ticket");
    };
    let articles = block(d.store.articles(ticket.id)).unwrap();
    let reply = articles.into_iter().find(|a| a.sender == SenderType::System).expect("an auto-response");
    let ch = Arc::new(Recorder(Mutex::new(Vec::new())));
    block(d.engine.deliver_due(&[ch.clone() as Arc<dyn Channel>])).unwrap();
    let sent = ch.0.lock().unwrap().pop().expect("delivered");
    (ticket, reply, sent)
}

#[test]
fn the_auto_response_is_in_the_customer_users_language() {
    let d = desk();
    put_language(&d, "alice", "pt-BR");
    let (t, reply, sent) = auto_response(&d, "alice@acme.example", "Impressora não imprime", "<pt@acme>");
    assert!(reply.body.starts_with("Prezado(a) Alice"), "{}", reply.body);
    assert!(reply.body.contains(&format!("chamado {} (\"Impressora não imprime\")", t.number)), "{}", reply.body);
    assert!(!reply.body.contains('{'), "every argument filled in: {}", reply.body);
    assert_eq!(sent.from_name, "Suporte", "the sender's name in the recipient's language");

    // Bob chose nothing: the system's language, English by default.
    let (_, reply, sent) = auto_response(&d, "bob@acme.example", "Printer", "<en@acme>");
    assert!(reply.body.starts_with("Dear "), "{}", reply.body);
    assert!(reply.body.contains("Your support team"));
    assert_eq!(sent.from_name, "Support");
}

#[test]
fn without_a_choice_the_auto_response_is_in_the_default_language_and_an_operator_text_wins() {
    let mut cfg = EngineConfig::default();
    cfg.i18n.default_language = "pt-BR".into();
    let d = desk_with(cfg);
    let (_, reply, sent) = auto_response(&d, "someone@else.example", "Ajuda", "<1@else>");
    assert!(reply.body.contains("Sua equipe de suporte"), "{}", reply.body);
    assert_eq!(sent.from_name, "Suporte");
    put_language(&d, "bob", "en");
    let (_, reply, _) = auto_response(&d, "bob@acme.example", "Help", "<2@acme>");
    assert!(reply.body.contains("Your support team"), "the user's own language wins: {}", reply.body);

    let mut cfg = EngineConfig::default();
    cfg.auto_response.text = Some("Hi {name}: {number} / {title}".into());
    let d = desk_with(cfg);
    put_language(&d, "alice", "pt-BR");
    let (t, reply, _) = auto_response(&d, "alice@acme.example", "Printer", "<3@acme>");
    assert_eq!(reply.body, format!("Hi Alice: {} / Printer", t.number), "the operator's text, as set");
}
