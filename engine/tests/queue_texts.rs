//! The texts queues use: auto-responses of OTRS's four kinds (who gets which text, in which language,
//! under which loop rules), the salutation and signature around agents' replies, standard templates,
//! and the admin rules that keep the texts and the queues that name them consistent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::field_reassign_with_default)]

mod common;
use async_trait::async_trait;
use chamado::*;
use common::*;
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

fn texts(items: &[(&str, &str, &str)]) -> Vec<LocalizedText> {
    items.iter().map(|(lang, subject, body)| LocalizedText::new(*lang, *subject, *body)).collect()
}

fn put_auto(d: &Desk, name: &str, kind: AutoResponseKind, t: Vec<LocalizedText>) {
    let a = AutoResponse { name: name.into(), kind, texts: t, ..Default::default() };
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_auto_response(a).await.unwrap() });
}

fn edit_queue(d: &Desk, queue: &str, f: impl FnOnce(&mut Queue)) -> Result<()> {
    block(async {
        let mut q = d.engine.queue(queue).await.unwrap();
        f(&mut q);
        d.engine.admin(&Actor::System).await.unwrap().put_queue(q).await
    })
}

fn assign(d: &Desk, queue: &str, kind: AutoResponseKind, name: Option<&str>) {
    edit_queue(d, queue, |q| q.auto_responses.set(kind, name.map(str::to_string))).unwrap();
}

fn put_language(d: &Desk, login: &str, language: &str) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut u = d.engine.customer_user(login).await.unwrap().unwrap();
        u.language = Some(language.into());
        a.put_customer_user(u).await.unwrap();
    });
}

fn put_agent_language(d: &Desk, login: &str, language: &str) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut agent = d.engine.agent(login).await.unwrap().unwrap();
        agent.language = Some(language.into());
        a.put_agent(agent).await.unwrap();
    });
}

fn history_of(d: &Desk, t: &Ticket) -> String {
    block(d.store.history(t.id)).unwrap().iter().map(|h| h.message.clone()).collect::<Vec<_>>().join("\n")
}

fn system_articles(d: &Desk, t: &Ticket) -> Vec<Article> {
    block(d.store.articles(t.id)).unwrap().into_iter().filter(|a| a.sender == SenderType::System).collect()
}

/// The system articles (auto-responses) added since `since` events were seen.
fn auto_since(d: &Desk, since: usize) -> Vec<Article> {
    d.events()[since..]
        .iter()
        .filter_map(|e| match e {
            Event::ArticleAdded { article_id, sender: SenderType::System, .. } => {
                Some(block(d.store.article(*article_id)).unwrap().unwrap())
            }
            _ => None,
        })
        .collect()
}

fn mail_in(from: &str, subject: &str, id: &str, queue: &str) -> InboundMessage {
    let mut m = email(from, subject, "It does not print.", id);
    m.queue = Some(queue.into());
    m
}

fn opened(o: IntakeOutcome) -> Ticket {
    match o {
        IntakeOutcome::NewTicket { ticket, .. } => ticket,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn close(d: &Desk, t: &Ticket) {
    block(d.engine.update_ticket(&admin(), &t.number, TicketUpdate::state("closed successful"))).unwrap();
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

fn deliver(d: &Desk) -> Vec<Delivery> {
    let ch = Arc::new(Recorder(Mutex::new(Vec::new())));
    block(d.engine.deliver_due(&[ch.clone() as Arc<dyn Channel>])).unwrap();
    ch.0.lock().unwrap().clone()
}

/// A text per kind, in English and Portuguese, naming the kind, the reader and the ticket.
fn kind_texts(kind: AutoResponseKind) -> Vec<LocalizedText> {
    let k = kind.as_str();
    texts(&[
        (
            "en",
            &format!("{k} about {{{{ ticket.title }}}}"),
            &format!(
                "EN {k} for {{{{ customer_user.first_name }}}} on {{{{ ticket.number }}}}: {{{{ article.subject }}}}"
            ),
        ),
        (
            "pt-BR",
            &format!("{k} sobre {{{{ ticket.title }}}}"),
            &format!(
                "PT {k} para {{{{ customer_user.first_name }}}} no {{{{ ticket.number }}}}: {{{{ article.subject }}}}"
            ),
        ),
    ])
}

/// Every kind assigned where it can happen: Raw replies and takes follow-ups, Closed refuses them,
/// Fresh opens new tickets for them.
fn assign_all(d: &Desk) {
    for kind in AutoResponseKind::ALL {
        put_auto(d, kind.as_str(), kind, kind_texts(kind));
    }
    assign(d, "Raw", AutoResponseKind::Reply, Some("reply"));
    assign(d, "Raw", AutoResponseKind::FollowUp, Some("follow_up"));
    assign(d, "Closed", AutoResponseKind::Reject, Some("reject"));
    assign(d, "Fresh", AutoResponseKind::ReplyNewTicket, Some("reply_new_ticket"));
}

/// What one event of `kind` did: the message that causes it is sent by `from` after the ticket it
/// needs was set up (opened by `opener`, in the queue of the kind, closed where the kind needs it);
/// `tweak` changes the causing message. Answers the outcome, the auto-responses the causing message
/// got, and the history of the tickets involved.
struct Triggered {
    outcome: IntakeOutcome,
    autos: Vec<Article>,
    /// The answered ticket's history lines written by the causing message.
    history: String,
    /// The ticket the event was about (the one answered): the new one for `Reply` and
    /// `ReplyNewTicket`, else the one followed up.
    ticket: Ticket,
}

fn trigger(
    d: &Desk,
    kind: AutoResponseKind,
    opener: &str,
    from: &str,
    tweak: impl FnOnce(&mut InboundMessage),
) -> Triggered {
    let n = d.events().len();
    let queue = match kind {
        AutoResponseKind::Reply | AutoResponseKind::FollowUp => "Raw",
        AutoResponseKind::Reject => "Closed",
        AutoResponseKind::ReplyNewTicket => "Fresh",
    };
    let uniq = format!("{}-{n}", kind.as_str());
    let (mut msg, first) = if kind == AutoResponseKind::Reply {
        // Spends what opening a ticket spends for the other kinds, so limits compare alike.
        block(d.engine.intake(mail_in(opener, "Warm-up", &format!("<w-{uniq}@ex>"), queue))).unwrap();
        (mail_in(from, "Printer", &format!("<m-{uniq}@ex>"), queue), None)
    } else {
        let first =
            opened(block(d.engine.intake(mail_in(opener, "Printer", &format!("<o-{uniq}@ex>"), queue))).unwrap());
        if kind != AutoResponseKind::FollowUp {
            close(d, &first);
        }
        let subject = format!("Re: [Ticket#{}] Printer", first.number);
        (email(from, &subject, "One more thing.", &format!("<f-{uniq}@ex>")), Some(first))
    };
    tweak(&mut msg);
    let since = d.events().len();
    let seen = first.as_ref().map_or(0, |t| block(d.store.history(t.id)).unwrap().len());
    let outcome = block(d.engine.intake(msg)).unwrap();
    let ticket = match &outcome {
        IntakeOutcome::NewTicket { ticket, .. } | IntakeOutcome::FollowUp { ticket, .. } => ticket.clone(),
        IntakeOutcome::Rejected { ticket_number: Some(n), .. } => block(d.store.ticket_by_number(n)).unwrap().unwrap(),
        other => panic!("unexpected {other:?}"),
    };
    let skip = if first.as_ref().is_some_and(|f| f.id == ticket.id) { seen } else { 0 };
    let history = block(d.store.history(ticket.id)).unwrap()[skip..]
        .iter()
        .map(|h| h.message.clone())
        .collect::<Vec<_>>()
        .join("\n");
    Triggered { autos: auto_since(d, since), history, outcome, ticket }
}

// ---------------------------------------------------------------------------------------------------
// Auto-responses
// ---------------------------------------------------------------------------------------------------

#[test]
fn without_assignments_only_new_tickets_get_the_shipped_answer() {
    let d = desk();
    let t = trigger(&d, AutoResponseKind::Reply, "alice@acme.example", "alice@acme.example", |_| {});
    assert_eq!(t.autos.len(), 1);
    assert!(t.autos[0].body.starts_with("Dear Alice,"), "{}", t.autos[0].body);
    assert!(t.autos[0].body.contains(&t.ticket.number));
    assert_eq!(t.autos[0].subject, format!("Re: [Ticket#{}] Printer", t.ticket.number));
    assert!(t.history.contains("auto-response queued to alice@acme.example"), "{}", t.history);

    let t = trigger(&d, AutoResponseKind::FollowUp, "alice@acme.example", "alice@acme.example", |_| {});
    assert!(matches!(t.outcome, IntakeOutcome::FollowUp { .. }));
    assert!(t.autos.is_empty(), "a follow-up taken is not answered: {:?}", t.autos);

    let t = trigger(&d, AutoResponseKind::Reject, "alice@acme.example", "alice@acme.example", |_| {});
    assert!(matches!(t.outcome, IntakeOutcome::Rejected { answered: false, .. }), "{:?}", t.outcome);
    assert!(t.autos.is_empty(), "a refused follow-up is only refused: {:?}", t.autos);
    assert!(t.history.contains("follow-up refused"), "{}", t.history);
    assert!(!t.history.contains("auto-response"), "{}", t.history);

    let t = trigger(&d, AutoResponseKind::ReplyNewTicket, "alice@acme.example", "alice@acme.example", |_| {});
    assert!(matches!(t.outcome, IntakeOutcome::NewTicket { .. }), "{:?}", t.outcome);
    assert!(t.autos.is_empty(), "the new ticket of a follow-up is not answered: {:?}", t.autos);
    assert!(system_articles(&d, &t.ticket).is_empty());
}

#[test]
fn each_kind_sends_its_queues_text_to_the_writer_in_their_language() {
    let d = desk();
    assign_all(&d);
    put_language(&d, "alice", "pt-BR");
    // (kind, who opened the ticket, who writes, the text they get, where it goes)
    let rows = [
        (AutoResponseKind::Reply, "alice", "alice", "PT reply para Alice", "alice@acme.example"),
        (AutoResponseKind::Reply, "bob", "bob", "EN reply for  on", "bob@acme.example"),
        (AutoResponseKind::FollowUp, "alice", "alice", "PT follow_up para Alice", "alice@acme.example"),
        // Bob writes on Alice's ticket (same company): he is answered, in his language; the text's
        // customer user is the ticket's.
        (AutoResponseKind::FollowUp, "alice", "bob", "EN follow_up for Alice", "bob@acme.example"),
        (AutoResponseKind::Reject, "alice", "alice", "PT reject para Alice", "alice@acme.example"),
        (AutoResponseKind::Reject, "bob", "bob", "EN reject for  on", "bob@acme.example"),
        (AutoResponseKind::ReplyNewTicket, "alice", "alice", "PT reply_new_ticket para Alice", "alice@acme.example"),
    ];
    for (kind, opener, writer, text, to) in rows {
        let t = trigger(&d, kind, &format!("{opener}@acme.example"), &format!("{writer}@acme.example"), |_| {});
        assert_eq!(t.autos.len(), 1, "{kind:?} by {writer}: {}", t.history);
        let a = &t.autos[0];
        assert!(a.body.starts_with(text), "{kind:?} by {writer}: {}", a.body);
        assert!(a.body.contains(&t.ticket.number), "{kind:?}: {}", a.body);
        assert_eq!(a.to, to, "{kind:?} by {writer}");
        assert!(a.subject.starts_with(&format!("[Ticket#{}] {}", t.ticket.number, kind.as_str())), "{}", a.subject);
        assert_eq!(a.ticket_id, t.ticket.id);
        let entry = format!("auto-response \"{}\" ({}) queued to {to}", kind.as_str(), kind.as_str());
        assert!(t.history.contains(&entry), "{kind:?}: {}", t.history);
        let outbox = block(d.store.outbox_for_ticket(t.ticket.id)).unwrap();
        assert!(outbox.iter().any(|e| e.article_id == a.id && e.recipient == to), "{kind:?} queued for sending");
        if kind == AutoResponseKind::Reject {
            // Answered: a mail adapter takes the message instead of bouncing it as well.
            assert!(matches!(t.outcome, IntakeOutcome::Rejected { answered: true, .. }), "{:?}", t.outcome);
        }
    }
}

#[test]
fn the_answer_threads_to_the_message_it_answers() {
    let d = desk();
    assign_all(&d);
    for kind in AutoResponseKind::ALL {
        let t = trigger(&d, kind, "alice@acme.example", "alice@acme.example", |m| {
            m.references = vec!["<earlier@acme>".into()];
        });
        let a = &t.autos[0];
        let own = a.references.last().unwrap();
        assert!(own.starts_with("<m-") || own.starts_with("<f-"), "{kind:?}: {:?}", a.references);
        assert_eq!(a.references[0], "<earlier@acme>", "{kind:?}");
        // The refused message itself was not stored; its subject is still the text's `article.subject`.
        assert!(a.body.ends_with("Printer"), "{kind:?}: {}", a.body);
    }
    let sent = deliver(&d);
    assert!(sent.iter().filter(|s| s.auto_response).count() >= 4);
}

#[test]
fn the_system_language_picks_for_customers_who_chose_none() {
    let mut cfg = EngineConfig::default();
    cfg.i18n.default_language = "pt-BR".into();
    let d = desk_with(cfg);
    assign_all(&d);
    put_language(&d, "alice", "en");
    let t = trigger(&d, AutoResponseKind::FollowUp, "bob@acme.example", "bob@acme.example", |_| {});
    assert!(t.autos[0].body.starts_with("PT follow_up"), "{}", t.autos[0].body);
    let t = trigger(&d, AutoResponseKind::FollowUp, "alice@acme.example", "alice@acme.example", |_| {});
    assert!(t.autos[0].body.starts_with("EN follow_up for Alice"), "{}", t.autos[0].body);
    // A text in one language only goes to everyone in it.
    put_auto(&d, "only-en", AutoResponseKind::Reply, texts(&[("en", "Hi", "Only English")]));
    assign(&d, "Raw", AutoResponseKind::Reply, Some("only-en"));
    let t = trigger(&d, AutoResponseKind::Reply, "bob@acme.example", "bob@acme.example", |_| {});
    assert_eq!(t.autos[0].body, "Only English");
}

#[test]
fn invalid_texts_are_not_sent() {
    let d = desk();
    assign_all(&d);
    for kind in AutoResponseKind::ALL {
        let mut a = block(d.engine.auto_response(kind.as_str())).unwrap().unwrap();
        a.valid = false;
        block(async { d.engine.admin(&Actor::System).await.unwrap().put_auto_response(a).await.unwrap() });
    }
    let t = trigger(&d, AutoResponseKind::Reply, "alice@acme.example", "alice@acme.example", |_| {});
    assert_eq!(t.autos.len(), 1, "a new ticket still gets the shipped answer");
    assert!(t.autos[0].body.starts_with("Dear Alice,"), "{}", t.autos[0].body);
    for kind in [AutoResponseKind::FollowUp, AutoResponseKind::Reject, AutoResponseKind::ReplyNewTicket] {
        let t = trigger(&d, kind, "alice@acme.example", "alice@acme.example", |_| {});
        assert!(t.autos.is_empty(), "{kind:?}: {:?}", t.autos);
    }
    // A record that no longer is of the kind its queue uses it for (written around the admin's rules)
    // is not sent either.
    let mut a = block(d.engine.auto_response("follow_up")).unwrap().unwrap();
    a.valid = true;
    a.kind = AutoResponseKind::Reply;
    block(d.store.put_record(Record::AutoResponse(a))).unwrap();
    let t = trigger(&d, AutoResponseKind::FollowUp, "alice@acme.example", "alice@acme.example", |_| {});
    assert!(t.autos.is_empty(), "{:?}", t.autos);
}

/// One loop or limit rule: what it changes, what the history says then (`None`: nothing).
struct Rule {
    name: &'static str,
    config: fn(&mut EngineConfig),
    from: &'static str,
    tweak: fn(&mut InboundMessage),
    history: Option<&'static str>,
}

#[test]
fn loop_limit_and_authentication_rules_hold_for_every_kind() {
    let rules = [
        Rule { name: "allowed", config: |_| {}, from: "alice@acme.example", tweak: |_| {}, history: None },
        Rule {
            name: "auto-generated",
            config: |_| {},
            from: "alice@acme.example",
            tweak: |m| m.auto_generated = true,
            history: None,
        },
        Rule {
            name: "machine address",
            config: |_| {},
            from: "noreply@acme.example",
            tweak: |_| {},
            history: Some("no auto-response to noreply@acme.example: a system or machine address"),
        },
        Rule {
            name: "own address",
            config: |c| c.system_addresses = vec!["help@acme.example".into()],
            from: "help@acme.example",
            tweak: |_| {},
            history: Some("no auto-response to help@acme.example: a system or machine address"),
        },
        Rule {
            name: "unauthenticated",
            config: |c| c.sender_auth = SenderAuthPolicy::Flag,
            from: "alice@acme.example",
            tweak: |m| m.sender_auth = None,
            history: Some("no auto-response to alice@acme.example: the sender is not authenticated"),
        },
        Rule {
            name: "daily limit",
            config: |c| c.auto_response.max_per_sender_per_day = 1,
            from: "alice@acme.example",
            tweak: |_| {},
            history: Some("no auto-response to alice@acme.example: daily limit of 1 reached"),
        },
        Rule {
            name: "hourly limit",
            config: |c| c.auto_response.max_per_hour = 1,
            from: "alice@acme.example",
            tweak: |_| {},
            history: Some("no auto-response to alice@acme.example: hourly limit of 1 reached"),
        },
        Rule {
            name: "channel without auto-responses",
            config: |c| c.auto_response.channels = vec![ChannelKind::Chat],
            from: "alice@acme.example",
            tweak: |_| {},
            history: None,
        },
    ];
    for kind in AutoResponseKind::ALL {
        for rule in &rules {
            let mut cfg = EngineConfig::default();
            (rule.config)(&mut cfg);
            let d = desk_with(cfg);
            assign_all(&d);
            let t = trigger(&d, kind, rule.from, rule.from, rule.tweak);
            let expected = usize::from(rule.name == "allowed");
            assert_eq!(t.autos.len(), expected, "{kind:?} / {}: {}", rule.name, t.history);
            match rule.history {
                Some(line) => assert!(t.history.contains(line), "{kind:?} / {}: {}", rule.name, t.history),
                None if expected == 0 => {
                    assert!(!t.history.contains("auto-response"), "{kind:?} / {}: {}", rule.name, t.history)
                }
                None => {}
            }
        }
    }
}

#[test]
fn a_sender_read_from_elsewhere_is_never_answered() {
    let d = desk();
    assign_all(&d);
    let mut m = mail_in("alice@acme.example", "Printer", "<fb@ex>", "Raw");
    m.sender_fallback =
        Some(chamado::SenderFallback { header: "garbage".into(), source: chamado::SenderSource::Envelope });
    let t = opened(block(d.engine.intake(m)).unwrap());
    assert!(system_articles(&d, &t).is_empty());
}

#[test]
fn a_text_that_fails_when_sent_never_loses_the_intake() {
    let d = desk();
    assign_all(&d);
    // Written around the admin's checks (as an older version or another node might have stored it).
    for kind in AutoResponseKind::ALL {
        let broken = AutoResponse {
            name: kind.as_str().into(),
            kind,
            texts: texts(&[("en", "Fine {{ ticket.number }}", "Hello\n{% if %}\n")]),
            ..Default::default()
        };
        block(d.store.put_record(Record::AutoResponse(broken))).unwrap();
    }
    let shipped = [
        (AutoResponseKind::Reply, "thank you for your message. Your request has been registered"),
        (AutoResponseKind::FollowUp, "It was added to ticket"),
        (AutoResponseKind::Reject, "was not accepted: the ticket is closed"),
        (AutoResponseKind::ReplyNewTicket, "it has been registered as the new ticket"),
    ];
    for (kind, text) in shipped {
        let t = trigger(&d, kind, "alice@acme.example", "alice@acme.example", |_| {});
        assert_eq!(t.autos.len(), 1, "{kind:?}: {}", t.history);
        assert!(t.autos[0].body.contains(text), "{kind:?}: the shipped text instead: {}", t.autos[0].body);
        assert!(t.autos[0].body.contains(&t.ticket.number));
        assert_eq!(t.autos[0].subject, format!("Re: [Ticket#{}] Printer", t.ticket.number));
        let line = format!("auto-response \"{}\" in en did not render (line 2)", kind.as_str());
        assert!(t.history.contains(&line), "{kind:?}: {}", t.history);
    }

    // A text that checks fine against the sample values but fails on this ticket's.
    let d = desk();
    put_auto(
        &d,
        "picky",
        AutoResponseKind::Reply,
        texts(&[("en", "Hi", "{{ 100 // (customer.name | length) }} percent")]),
    );
    assign(&d, "Raw", AutoResponseKind::Reply, Some("picky"));
    let t = opened(block(d.engine.intake(email("new.person@example.org", "Help", "x", "<np@ex>"))).unwrap());
    let autos = system_articles(&d, &t);
    assert_eq!(autos.len(), 1);
    assert!(autos[0].body.starts_with("Dear new.person@example.org"), "{}", autos[0].body);
    assert!(
        history_of(&d, &t).contains("auto-response \"picky\" in en did not render (line 1)"),
        "{}",
        history_of(&d, &t)
    );
    // And one that renders for a customer with a name.
    let t = opened(block(d.engine.intake(email("alice@acme.example", "Help", "x", "<al@ex>"))).unwrap());
    assert_eq!(system_articles(&d, &t)[0].body, "25 percent");
}

// ---------------------------------------------------------------------------------------------------
// Salutations and signatures
// ---------------------------------------------------------------------------------------------------

fn put_wrapping(d: &Desk) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        a.put_salutation(Salutation {
            name: "dear".into(),
            texts: texts(&[
                ("en", "", "Dear {{ customer_user.name }},\n"),
                ("pt-BR", "", "Prezado(a) {{ customer_user.name }},\n"),
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
        a.put_signature(Signature {
            name: "team".into(),
            texts: texts(&[
                ("en", "", "Regards,\n{{ agent.name }}\n{{ queue.name }} team"),
                ("pt-BR", "", "Atenciosamente,\n{{ agent.name }}\nEquipe {{ queue.name }}"),
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    });
    edit_queue(d, "Raw", |q| {
        q.salutation = Some("dear".into());
        q.signature = Some("team".into());
    })
    .unwrap();
}

#[test]
fn agent_replies_are_wrapped_in_the_queues_salutation_and_signature() {
    let d = desk();
    put_wrapping(&d);
    put_language(&d, "alice", "pt-BR");
    let t = opened(block(d.engine.intake(email("alice@acme.example", "Printer", "x", "<w1@ex>"))).unwrap());
    let reply = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply("Trocamos o toner."))).unwrap();
    assert_eq!(
        reply.article.body, "Prezado(a) Alice,\n\nTrocamos o toner.\n\nAtenciosamente,\nAdmin Agent\nEquipe Raw",
        "in the customer user's language, signed by the writing agent"
    );
    let sent = deliver(&d);
    let mail = sent.iter().find(|s| s.message_id == reply.article.external_id).expect("the reply went out");
    assert_eq!(mail.body, reply.article.body, "what is stored is what is sent");

    // Notes are not wrapped, nor replies whose body has them already, nor the customer's own words.
    let note = block(d.engine.add_article(&admin(), &t.number, NewArticle::note("internal"))).unwrap();
    assert_eq!(note.article.body, "internal");
    let mut raw = NewArticle::reply("Dear Alice, as written.");
    raw.raw = true;
    let raw = block(d.engine.add_article(&admin(), &t.number, raw)).unwrap();
    assert_eq!(raw.article.body, "Dear Alice, as written.");
    let own = block(d.engine.add_article(&alice(), &t.number, NewArticle::reply("thanks"))).unwrap();
    assert_eq!(own.article.body, "thanks");

    // Bob chose no language: English; another queue has none of them.
    let t = opened(block(d.engine.intake(email("bob@acme.example", "Scanner", "x", "<w2@ex>"))).unwrap());
    let reply = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply("Fixed."))).unwrap();
    assert_eq!(reply.article.body, "Dear bob,\n\nFixed.\n\nRegards,\nAdmin Agent\nRaw team");
    let misc = opened(block(d.engine.intake(mail_in("bob@acme.example", "Other", "<w3@ex>", "Misc"))).unwrap());
    let plain = block(d.engine.add_article(&admin(), &misc.number, NewArticle::reply("Fixed."))).unwrap();
    assert_eq!(plain.article.body, "Fixed.");
    // The system's own replies go out as written.
    let sys = block(d.engine.add_article(&Actor::System, &t.number, NewArticle::reply("Automated."))).unwrap();
    assert_eq!(sys.article.body, "Automated.");
}

#[test]
fn invalid_or_failing_parts_are_left_out_and_the_reply_still_goes() {
    let d = desk();
    put_wrapping(&d);
    let t = opened(block(d.engine.intake(email("alice@acme.example", "Printer", "x", "<x1@ex>"))).unwrap());
    let mut s = block(d.engine.salutation("dear")).unwrap().unwrap();
    s.valid = false;
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_salutation(s).await.unwrap() });
    let reply = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply("Done."))).unwrap();
    assert_eq!(reply.article.body, "Done.\n\nRegards,\nAdmin Agent\nRaw team", "an invalid salutation is skipped");

    // A signature that fails when the reply is written: dropped, logged; the reply is sent.
    let broken = Signature {
        name: "team".into(),
        texts: texts(&[("en", "", "Regards\n{{ agent.name }\n")]),
        ..Default::default()
    };
    block(d.store.put_record(Record::Signature(broken))).unwrap();
    let reply = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply("Again."))).unwrap();
    assert_eq!(reply.article.body, "Again.");
    let h = history_of(&d, &t);
    assert!(h.contains("the signature \"team\" in en did not render (line 2)"), "{h}");
    assert!(
        block(d.store.outbox_for_ticket(t.id)).unwrap().iter().any(|e| e.article_id == reply.article.id),
        "the reply is queued"
    );
}

#[test]
fn a_wrapped_reply_that_would_be_too_long_goes_out_as_written() {
    let mut cfg = EngineConfig::default();
    cfg.max_body_bytes = 64;
    let d = desk_with(cfg);
    put_wrapping(&d);
    let t = opened(block(d.engine.intake(email("alice@acme.example", "Printer", "x", "<l1@ex>"))).unwrap());
    let body = "x".repeat(60);
    let reply = block(d.engine.add_article(&admin(), &t.number, NewArticle::reply(body.clone()))).unwrap();
    assert_eq!(reply.article.body, body);
    assert!(history_of(&d, &t).contains("would make the reply too long"));
}

// ---------------------------------------------------------------------------------------------------
// Standard templates
// ---------------------------------------------------------------------------------------------------

fn put_templates(d: &Desk) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let template = |name: &str, kind: TemplateKind, queues: &[&str], valid: bool| StandardTemplate {
            name: name.into(),
            kind,
            texts: texts(&[
                ("en", "About {{ ticket.title }}", "Hello {{ customer_user.first_name }}, ticket {{ ticket.number }}"),
                (
                    "pt-BR",
                    "Sobre {{ ticket.title }}",
                    "Olá {{ customer_user.first_name }}, chamado {{ ticket.number }}",
                ),
            ]),
            queues: queues.iter().map(|q| q.to_string()).collect(),
            valid,
            comment: String::new(),
        };
        a.put_template(template("printer", TemplateKind::Answer, &["Raw", "Misc"], true)).await.unwrap();
        a.put_template(template("sales-only", TemplateKind::Answer, &["Sales"], true)).await.unwrap();
        a.put_template(template("a-note", TemplateKind::Note, &["Raw"], true)).await.unwrap();
        a.put_template(template("phone", TemplateKind::Create, &["Raw"], true)).await.unwrap();
        a.put_template(template("retired", TemplateKind::Answer, &["Raw"], false)).await.unwrap();
    });
}

fn offered(d: &Desk, who: &Actor, queue: &str, kind: TemplateKind) -> Result<Vec<String>> {
    block(d.engine.templates_for_queue(who, queue, kind)).map(|ts| ts.into_iter().map(|t| t.name).collect())
}

#[test]
fn templates_are_offered_by_queue_kind_validity_and_permission() {
    let d = desk();
    put_templates(&d);
    assert_eq!(offered(&d, &admin(), "Raw", TemplateKind::Answer).unwrap(), vec!["printer"]);
    assert_eq!(offered(&d, &admin(), "Raw", TemplateKind::Note).unwrap(), vec!["a-note"]);
    assert_eq!(offered(&d, &admin(), "Misc", TemplateKind::Answer).unwrap(), vec!["printer"]);
    assert!(offered(&d, &admin(), "Junk", TemplateKind::Answer).unwrap().is_empty());
    assert_eq!(offered(&d, &Actor::agent("ro_agent"), "Raw", TemplateKind::Answer).unwrap(), vec!["printer"]);
    // Phone-ticket texts need `create`.
    assert_eq!(offered(&d, &admin(), "Raw", TemplateKind::Create).unwrap(), vec!["phone"]);
    assert!(matches!(offered(&d, &Actor::agent("ro_agent"), "Raw", TemplateKind::Create), Err(Error::NotFound(_))));
    // Without `ro` on the queue's group an agent sees none, told as for a queue that does not exist.
    let hidden = offered(&d, &Actor::agent("mover"), "Raw", TemplateKind::Answer).unwrap_err();
    let missing = offered(&d, &admin(), "Nope", TemplateKind::Answer).unwrap_err();
    assert!(matches!(hidden, Error::NotFound(_)), "{hidden:?}");
    assert_eq!(hidden.to_string().replace("Raw", "Nope"), missing.to_string());
    assert!(matches!(offered(&d, &alice(), "Raw", TemplateKind::Answer), Err(Error::PermissionDenied(_))));
}

#[test]
fn a_template_renders_for_the_ticket_in_the_agents_language() {
    let d = desk();
    put_templates(&d);
    let t = opened(block(d.engine.intake(email("alice@acme.example", "Printer", "x", "<t1@ex>"))).unwrap());
    let en = block(d.engine.render_template_for(&admin(), &t.number, "printer", TemplateKind::Answer)).unwrap();
    assert_eq!(en.subject, "About Printer");
    assert_eq!(en.body, format!("Hello Alice, ticket {}", t.number));
    put_agent_language(&d, "admin", "pt-BR");
    let pt = block(d.engine.render_template_for(&admin(), &t.number, "printer", TemplateKind::Answer)).unwrap();
    assert_eq!(pt.body, format!("Olá Alice, chamado {}", t.number));
    let ro = block(d.engine.render_template_for(&Actor::agent("ro_agent"), &t.number, "printer", TemplateKind::Answer));
    assert_eq!(ro.unwrap().body, en.body);

    for (name, kind) in [
        ("sales-only", TemplateKind::Answer),
        ("retired", TemplateKind::Answer),
        ("a-note", TemplateKind::Answer),
        ("nope", TemplateKind::Answer),
    ] {
        let e = block(d.engine.render_template_for(&admin(), &t.number, name, kind)).unwrap_err();
        assert!(matches!(e, Error::NotFound(_)), "{name}: {e:?}");
    }
    let e = block(d.engine.render_template_for(&Actor::agent("mover"), &t.number, "printer", TemplateKind::Answer));
    assert!(matches!(e, Err(Error::NotFound(_))), "{e:?}");
    let e = block(d.engine.render_template_for(&alice(), &t.number, "printer", TemplateKind::Answer));
    assert!(e.is_err());

    // A template broken around the admin's checks names its part and line.
    let broken = StandardTemplate {
        name: "printer".into(),
        texts: texts(&[("en", "{{ ticket.title", "fine")]),
        queues: vec!["Raw".into()],
        ..Default::default()
    };
    block(d.store.put_record(Record::Template(broken))).unwrap();
    put_agent_language(&d, "admin", "en");
    let e = block(d.engine.render_template_for(&admin(), &t.number, "printer", TemplateKind::Answer)).unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert!(e.to_string().contains("The subject in en does not work as a template (line 1)"), "{e}");
}

// ---------------------------------------------------------------------------------------------------
// Admin rules
// ---------------------------------------------------------------------------------------------------

#[test]
fn texts_that_do_not_work_as_templates_are_refused_with_their_line() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let bad = texts(&[("en", "Subject", "Hello\n{{ ticket.number }}\n{% if %}\n")]);
    let unknown = texts(&[("en", "Subject", "Dear {{ custmer.name }}")]);
    let bad_subject = texts(&[("en", "Re {{ ticket.number", "fine")]);
    for (t, line, part) in [(bad, 3, "text"), (unknown, 1, "text"), (bad_subject, 1, "subject")] {
        let results = block(async {
            vec![
                a.put_auto_response(AutoResponse { name: "x".into(), texts: t.clone(), ..Default::default() }).await,
                a.put_salutation(Salutation { name: "x".into(), texts: t.clone(), ..Default::default() }).await,
                a.put_signature(Signature { name: "x".into(), texts: t.clone(), ..Default::default() }).await,
                a.put_template(StandardTemplate { name: "x".into(), texts: t.clone(), ..Default::default() }).await,
                a.put_notification(NotificationDef { texts: t.clone(), ..Default::default() }).await,
            ]
        });
        for (i, r) in results.into_iter().enumerate() {
            let e = r.unwrap_err();
            assert!(matches!(e, Error::Validation(_)), "{i}: {e:?}");
            let want = format!("The {part} in en does not work as a template (line {line})");
            assert!(e.to_string().contains(&want), "{i}: {e}");
        }
    }
    for kind in [RecordKind::AutoResponse, RecordKind::Salutation, RecordKind::Signature, RecordKind::Template] {
        assert!(block(a.get(kind, "x")).unwrap().is_none(), "{kind:?}: nothing was stored");
    }
    // Good ones are kept.
    let good = texts(&[("en", "Re {{ ticket.number }}", "Dear {{ customer_user.name }}")]);
    block(a.put_salutation(Salutation { name: "x".into(), texts: good, ..Default::default() })).unwrap();
    assert!(block(d.engine.salutation("x")).unwrap().is_some());
}

#[test]
fn queues_name_only_existing_texts_of_the_right_kind_and_used_texts_stay() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    put_auto(&d, "hello", AutoResponseKind::Reply, kind_texts(AutoResponseKind::Reply));
    put_auto(&d, "sorry", AutoResponseKind::Reject, kind_texts(AutoResponseKind::Reject));
    put_wrapping(&d);

    let e = edit_queue(&d, "Misc", |q| q.auto_responses.reply = Some("missing".into())).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = edit_queue(&d, "Misc", |q| q.auto_responses.reply = Some("sorry".into())).unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert!(e.to_string().contains("is not of kind reply"), "{e}");
    let e = edit_queue(&d, "Misc", |q| q.salutation = Some("missing".into())).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = edit_queue(&d, "Misc", |q| q.signature = Some("missing".into())).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert_eq!(block(d.engine.queue("Misc")).unwrap().auto_responses, QueueAutoResponses::default());
    edit_queue(&d, "Misc", |q| {
        q.auto_responses.reply = Some("hello".into());
        q.auto_responses.reject = Some("sorry".into());
    })
    .unwrap();

    // A text in use stays, and keeps its kind.
    let mut changed = block(d.engine.auto_response("hello")).unwrap().unwrap();
    changed.kind = AutoResponseKind::FollowUp;
    let e = block(a.put_auto_response(changed)).unwrap_err();
    assert!(matches!(e, Error::Rejected(_)), "{e:?}");
    for (kind, name, queue) in [
        (RecordKind::AutoResponse, "hello", "Misc"),
        (RecordKind::AutoResponse, "sorry", "Misc"),
        (RecordKind::Salutation, "dear", "Raw"),
        (RecordKind::Signature, "team", "Raw"),
    ] {
        let e = block(a.delete_text(kind, name)).unwrap_err();
        assert!(matches!(e, Error::Rejected(_)), "{kind:?} {name}: {e:?}");
        assert!(e.to_string().contains(&format!("used by queue \"{queue}\"")), "{e}");
        assert!(block(a.get(kind, name)).unwrap().is_some());
    }
    // Unused, it goes.
    edit_queue(&d, "Raw", |q| q.salutation = None).unwrap();
    block(a.delete_text(RecordKind::Salutation, "dear")).unwrap();
    assert!(block(d.engine.salutation("dear")).unwrap().is_none());
    assert!(matches!(block(a.delete_text(RecordKind::Salutation, "dear")), Err(Error::NotFound(_))));
    assert!(matches!(block(a.delete_text(RecordKind::Queue, "Raw")), Err(Error::Validation(_))));
    // Templates are not named by queues: they go.
    put_templates(&d);
    block(a.delete_text(RecordKind::Template, "printer")).unwrap();
    assert!(block(d.engine.template("printer")).unwrap().is_none());
}
