//! Imports from another help desk through the engine (issue 25): tickets keep their numbers, times,
//! articles and history; re-runs write only what changed; imported numbers of any shape thread, by
//! number and by Message-ID; new numbers never take an imported one; imported passwords give way to
//! the ones rehashed here until the old system's password changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chamado::import::{ImportOutcome, ImportedArticle, ImportedHistory, ImportedTicket};
use chamado::*;
use common::*;

/// Znuny's own welcome ticket: its check digit is not the DateChecksum one.
const WELCOME: &str = "2021012710123456";
const WELCOME_MID: &str = "<007@localhost>";

fn article(source: &str, body: &str, mid: Option<&str>, at: i64) -> ImportedArticle {
    ImportedArticle {
        source: source.into(),
        sender: SenderType::Customer,
        channel: ChannelKind::Email,
        visible_to_customer: true,
        from: "Alice <alice@acme.example>".into(),
        reply_to: Some("alice@acme.example".into()),
        to: "support@example.com".into(),
        subject: "Znuny says hi!".into(),
        body: body.into(),
        message_id: mid.map(str::to_string),
        references: Vec::new(),
        created_by: "customer:alice".into(),
        created_at: Timestamp(at),
        attachments: vec![Attachment {
            name: "hello.txt".into(),
            content_type: "text/plain".into(),
            inline: false,
            data: format!("file of {source}").into_bytes(),
        }],
    }
}

fn history(id: u64, at: i64) -> ImportedHistory {
    ImportedHistory {
        source_id: id,
        at: Timestamp(at),
        actor: "agent:admin".into(),
        kind: HistoryKind::Created,
        message: format!("NewTicket: entry {id}"),
    }
}

fn welcome(revision: &str) -> ImportedTicket {
    ImportedTicket {
        source: "znuny:ticket:1".into(),
        revision: revision.into(),
        number: WELCOME.into(),
        title: "Znuny says hi!".into(),
        queue: "Raw".into(),
        state: "open".into(),
        priority: Priority::new(3).unwrap(),
        lock: Lock::Unlock,
        owner: Some("admin".into()),
        responsible: None,
        customer_user: Some("alice".into()),
        customer_id: Some("acme".into()),
        service: None,
        sla: None,
        pending_until: None,
        channel: ChannelKind::Email,
        created_at: Timestamp(1_611_742_000_000),
        changed_at: Timestamp(1_611_742_100_000),
        articles: vec![article("znuny:article:1", "Welcome!", Some(WELCOME_MID), 1_611_742_000_000)],
        history: vec![history(1, 1_611_742_000_000)],
    }
}

fn import(d: &Desk, t: ImportedTicket) -> Result<ImportOutcome> {
    block(async { d.engine.admin(&Actor::System).await?.import_ticket(t).await })
}

#[test]
fn a_ticket_comes_over_with_its_number_times_articles_files_and_history() {
    let d = desk();
    assert_eq!(import(&d, welcome("r1")).unwrap(), ImportOutcome::Created);
    let t = block(d.store.ticket_by_number(WELCOME)).unwrap().unwrap();
    assert_eq!((t.title.as_str(), t.queue.as_str(), t.state.as_str()), ("Znuny says hi!", "Raw", "open"));
    assert_eq!(t.state_type, StateType::Open);
    assert_eq!(t.owner.as_deref(), Some("admin"));
    assert_eq!(t.created_at, Timestamp(1_611_742_000_000));
    let articles = block(d.store.articles(t.id)).unwrap();
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].body, "Welcome!");
    assert_eq!(articles[0].external_id.as_deref(), Some(WELCOME_MID));
    assert_eq!(articles[0].created_at, Timestamp(1_611_742_000_000));
    let file = block(d.store.blob(&articles[0].attachments[0].sha256)).unwrap().unwrap();
    assert_eq!(file, b"file of znuny:article:1");
    let h = block(d.store.history(t.id)).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].message, "NewTicket: entry 1");
}

#[test]
fn re_runs_skip_what_did_not_change_and_add_only_what_is_new() {
    let d = desk();
    import(&d, welcome("r1")).unwrap();
    assert_eq!(import(&d, welcome("r1")).unwrap(), ImportOutcome::Unchanged);
    let mut changed = welcome("r2");
    changed.state = "closed successful".into();
    changed.articles.push(article("znuny:article:2", "Thanks", Some("<008@localhost>"), 1_611_742_200_000));
    changed.history.push(history(2, 1_611_742_200_000));
    assert_eq!(import(&d, changed.clone()).unwrap(), ImportOutcome::Updated);
    let t = block(d.store.ticket_by_number(WELCOME)).unwrap().unwrap();
    assert_eq!(t.state_type, StateType::Closed);
    let bodies: Vec<String> = block(d.store.articles(t.id)).unwrap().into_iter().map(|a| a.body).collect();
    assert_eq!(bodies, ["Welcome!", "Thanks"]);
    assert_eq!(block(d.store.history(t.id)).unwrap().len(), 2);
    // The same revision again, and a new revision with nothing new: nothing doubles.
    assert_eq!(import(&d, changed.clone()).unwrap(), ImportOutcome::Unchanged);
    changed.revision = "r3".into();
    assert_eq!(import(&d, changed).unwrap(), ImportOutcome::Updated);
    assert_eq!(block(d.store.articles(t.id)).unwrap().len(), 2);
    assert_eq!(block(d.store.history(t.id)).unwrap().len(), 2);
}

#[test]
fn replies_to_an_imported_ticket_thread_by_number_and_by_message_id() {
    let d = desk();
    import(&d, welcome("r1")).unwrap();
    let by_number = email("alice@acme.example", &format!("Re: [Ticket#{WELCOME}] Znuny says hi!"), "hi", "<a1@x>");
    match block(d.engine.intake(by_number)).unwrap() {
        IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, WELCOME),
        other => panic!("not threaded by number: {other:?}"),
    }
    let mut by_reference = email("alice@acme.example", "Re: hello again", "hi", "<a2@x>");
    by_reference.references = vec![WELCOME_MID.into()];
    match block(d.engine.intake(by_reference)).unwrap() {
        IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, WELCOME),
        other => panic!("not threaded by Message-ID: {other:?}"),
    }
    // A number nobody holds still opens a new ticket.
    let stranger = email("alice@acme.example", "Re: [Ticket#2021012710999999] old", "hi", "<a3@x>");
    assert!(matches!(block(d.engine.intake(stranger)).unwrap(), IntakeOutcome::NewTicket { .. }));
}

#[test]
fn new_tickets_never_take_an_imported_number() {
    let d = desk();
    // What our own generator would hand out next today: the first numbers of its daily counter.
    let probe = d.open(&alice(), "probe", "Raw").ticket.number;
    let body = &probe[..probe.len() - 1];
    let counter: u64 = body[10..].parse().unwrap();
    let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
    let now = Timestamp(T0);
    let taken: Vec<String> = (counter + 1..counter + 40).map(|c| g.format(now, c)).collect();
    for (i, n) in taken.iter().enumerate() {
        let mut t = welcome("r1");
        t.source = format!("znuny:ticket:{}", 100 + i);
        t.number = n.clone();
        t.articles.clear();
        assert_eq!(import(&d, t).unwrap(), ImportOutcome::Created);
    }
    // Without reserving, new numbers pass the imported ones over; after reserving, they start past them.
    let a = d.open(&alice(), "after import", "Raw").ticket.number;
    assert!(!taken.contains(&a), "{a} was imported");
    block(async {
        d.engine.admin(&Actor::System).await.unwrap().reserve_imported_numbers(taken.iter().map(String::as_str)).await
    })
    .unwrap();
    for _ in 0..5 {
        let n = d.open(&alice(), "after reserve", "Raw").ticket.number;
        assert!(!taken.contains(&n), "{n} was imported");
        assert!(n > *taken.last().unwrap(), "{n} is not past the reserved numbers");
    }
}

#[test]
fn an_import_never_overwrites_a_native_ticket_and_refuses_bad_numbers() {
    let d = desk();
    let native = d.open(&alice(), "native", "Raw").ticket.number;
    let mut t = welcome("r1");
    t.number = native;
    let err = import(&d, t).unwrap_err();
    assert!(matches!(&err, Error::Store(e) if e.is_duplicate(DuplicateKind::TicketNumber)), "{err}");
    for bad in ["", "12 34", "1234]", &"9".repeat(51)] {
        let mut t = welcome("r1");
        t.number = bad.into();
        assert!(matches!(import(&d, t), Err(Error::Validation(_))), "{bad:?} accepted");
    }
    let mut t = welcome("r1");
    t.queue = "Nowhere".into();
    assert!(matches!(import(&d, t), Err(Error::NotFound(_))));
}

#[test]
fn imported_passwords_give_way_to_rehashed_ones_until_the_old_system_changes_them() {
    let d = desk();
    let sha = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    let put = |a: Agent| block(async { d.engine.admin(&Actor::System).await?.import_record(Record::Agent(a)).await });
    let mut agent = Agent::new("jdoe");
    agent.password_hash = Some(sha.into());
    assert_eq!(put(agent.clone()).unwrap(), ImportOutcome::Created);
    assert_eq!(put(agent.clone()).unwrap(), ImportOutcome::Unchanged);
    // A login here rehashed it.
    block(async {
        let mut a = d.engine.agent("jdoe").await?.unwrap();
        a.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into());
        d.engine.admin(&Actor::System).await?.put_agent(a).await
    })
    .unwrap();
    assert_eq!(put(agent.clone()).unwrap(), ImportOutcome::Unchanged, "the rehashed password stays");
    assert!(block(d.engine.agent("jdoe")).unwrap().unwrap().password_hash.unwrap().starts_with("$argon2id$"));
    // The password changed in the old system: that one wins.
    agent.password_hash = Some("a".repeat(64));
    assert_eq!(put(agent).unwrap(), ImportOutcome::Updated);
    assert_eq!(block(d.engine.agent("jdoe")).unwrap().unwrap().password_hash, Some("a".repeat(64)));
}
