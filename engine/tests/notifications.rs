//! Agent notifications (issue 22): for each event, exactly who is told on which channel; delivery
//! through the outbox exactly once when the relay comes back; a text that fails to render never loses
//! an intake nor a notification.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use async_trait::async_trait;
use chamado::*;
use common::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A channel that records what it delivers and fails the first `fail_first` attempts (the relay down).
struct Relay {
    kind: ChannelKind,
    fail_first: Mutex<usize>,
    delivered: Mutex<Vec<Delivery>>,
}

impl Relay {
    fn new(kind: ChannelKind, fail_first: usize) -> Arc<Relay> {
        Arc::new(Relay { kind, fail_first: Mutex::new(fail_first), delivered: Mutex::new(Vec::new()) })
    }

    fn delivered(&self) -> Vec<Delivery> {
        self.delivered.lock().unwrap().clone()
    }
}

#[async_trait]
impl Channel for Relay {
    fn kind(&self) -> ChannelKind {
        self.kind
    }
    async fn deliver(&self, d: &Delivery) -> std::result::Result<Option<String>, DeliveryError> {
        let mut down = self.fail_first.lock().unwrap();
        if *down > 0 {
            *down -= 1;
            return Err(DeliveryError::Temporary { message: "relay down".into(), retry_after: None });
        }
        self.delivered.lock().unwrap().push(d.clone());
        Ok(None)
    }
}

fn channels(relays: &[&Arc<Relay>]) -> Vec<Arc<dyn Channel>> {
    relays.iter().map(|r| (*r).clone() as Arc<dyn Channel>).collect()
}

fn ro() -> PermissionSet {
    PermissionSet::of(&[Permission::Ro])
}

fn agent(login: &str, my_queues: &[&str]) -> Agent {
    Agent {
        email: format!("{login}@desk.example"),
        first_name: login[..1].to_uppercase() + &login[1..],
        my_queues: my_queues.iter().map(|q| q.to_string()).collect(),
        ..Agent::new(login)
    }
}

/// The people of every row, on the common desk:
/// - admin (rw on users, "My queues" Raw), ana (ro+owner on users, Raw), ben (ro on users, Raw, a linked
///   Telegram chat), fay (ro on users, Misc), eve (ro on users, no queues);
/// - cid has Raw in "My queues" but no permission on its group; dan is invalid.
fn people(d: &Desk) {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut admin = agent("admin", &["Raw"]);
        admin.first_name = "Admin".into();
        a.put_agent(admin).await.unwrap();
        a.put_agent(agent("ana", &["Raw"])).await.unwrap();
        a.grant(Grant::group(
            GrantSubject::Agent("ana".into()),
            "users",
            PermissionSet::of(&[Permission::Ro, Permission::Owner]),
        ))
        .await
        .unwrap();
        a.put_agent(Agent { telegram_chat: Some("1001".into()), ..agent("ben", &["Raw"]) }).await.unwrap();
        a.put_agent(agent("fay", &["Misc"])).await.unwrap();
        a.put_agent(agent("eve", &[])).await.unwrap();
        for login in ["ben", "fay", "eve"] {
            a.grant(Grant::group(GrantSubject::Agent(login.into()), "users", ro())).await.unwrap();
        }
        a.put_agent(agent("cid", &["Raw"])).await.unwrap();
        a.put_agent(Agent { valid: false, ..agent("dan", &["Raw"]) }).await.unwrap();
        a.grant(Grant::group(GrantSubject::Agent("dan".into()), "users", ro())).await.unwrap();
    });
}

fn put_def(d: &Desk, def: NotificationDef) {
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_notification(def).await.unwrap() });
}

fn choose(d: &Desk, login: &str, kind: NotificationKind, email: bool, telegram: bool) {
    let me = Actor::agent(login);
    let queues = block(d.engine.notification_settings(&me)).unwrap().my_queues;
    let choice = NotificationChoice { kind, email, telegram };
    block(d.engine.set_notification_settings(&me, queues, Some(vec![choice]))).unwrap();
}

fn update(d: &Desk, who: &Actor, n: &str, u: TicketUpdate) -> Ticket {
    block(d.engine.update_ticket(who, n, u)).unwrap()
}

fn set_owner(d: &Desk, n: &str, owner: &str) {
    update(d, &admin(), n, TicketUpdate { owner: Some(owner.into()), ..Default::default() });
}

fn lock(d: &Desk, who: &Actor, n: &str) -> Ticket {
    update(d, who, n, TicketUpdate { lock: Some(Lock::Lock), ..Default::default() })
}

fn ticket_id(d: &Desk, n: &str) -> TicketId {
    block(d.store.ticket_by_number(n)).unwrap().unwrap().id
}

/// Puts agents on a ticket's watch list directly (the engine lets only agents who may read it watch).
fn force_watchers(d: &Desk, n: &str, watchers: &[&str]) {
    let mut t = block(d.store.ticket_by_number(n)).unwrap().unwrap();
    let expected = t.version;
    t.version += 1;
    t.watchers = watchers.iter().map(|w| w.to_string()).collect();
    let commit = Commit { tickets: vec![TicketWrite { ticket: t, expected_version: expected }], ..Default::default() };
    block(d.store.commit(commit)).unwrap();
}

fn pending_reminder(d: &Desk, n: &str) {
    let due = d.engine.now().plus(Duration::from_secs(3600));
    update(
        d,
        &admin(),
        n,
        TicketUpdate { state: Some("pending reminder".into()), pending_until: Some(due), ..Default::default() },
    );
}

fn bounce_of(id: &str) -> InboundMessage {
    let mut m = email("MAILER-DAEMON@mx.acme.example", "Undelivered Mail Returned to Sender", "gone", "<dsn@mx>");
    m.auto_generated = true;
    m.bounce = Some(BounceReport {
        original_ids: vec![id.to_string()],
        status: Some("5.1.1".into()),
        action: Some("failed".into()),
        recipient: None,
        diagnostic: None,
    });
    m
}

/// Delivers whatever is due by mail (notifications included), so a bounce can name a sent reply.
fn send_mail(d: &Desk) {
    block(d.engine.deliver_due(&channels(&[&Relay::new(ChannelKind::Email, 0)]))).unwrap();
}

fn portal_ticket(d: &Desk) -> String {
    d.open(&alice(), "Printer", "Raw").ticket.number
}

fn intake(d: &Desk, m: InboundMessage) -> String {
    match block(d.engine.intake(m)).unwrap() {
        IntakeOutcome::NewTicket { ticket, .. } | IntakeOutcome::FollowUp { ticket, .. } => ticket.number,
        IntakeOutcome::Bounce { ticket_number, .. } => ticket_number,
        other => panic!("unexpected intake outcome {other:?}"),
    }
}

/// One row of the table: what is set up, the event (on a ticket `prepare` opened, if any), and who is
/// told of it on which channel.
struct Row {
    name: &'static str,
    setup: fn(&Desk),
    prepare: fn(&Desk) -> String,
    event: fn(&Desk, &str) -> String,
    kind: NotificationKind,
    told: &'static [(&'static str, &'static str)],
}

fn nothing(_: &Desk) {}
fn no_ticket(_: &Desk) -> String {
    String::new()
}

fn rows() -> Vec<Row> {
    use NotificationKind::*;
    vec![
        Row {
            name: "a portal ticket: the queue's agents who may read it, by mail (the admins' default)",
            setup: nothing,
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a phone ticket: never the agent who typed it",
            setup: nothing,
            prepare: no_ticket,
            event: |d, _| {
                let new = chamado::NewTicket {
                    customer_user: Some("alice".into()),
                    ..chamado::NewTicket::new("Phone", "called", "Raw")
                };
                block(d.engine.create_ticket(&admin(), new)).unwrap().ticket.number
            },
            kind: NewTicket,
            told: &[("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a ticket by mail",
            setup: nothing,
            prepare: no_ticket,
            event: |d, _| intake(d, email("alice@acme.example", "Printer", "It jams.", "<m1@acme>")),
            kind: NewTicket,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a ticket in a queue nobody has in My queues",
            setup: nothing,
            prepare: no_ticket,
            event: |d, _| d.open(&alice(), "Printer", "Junk").ticket.number,
            kind: NewTicket,
            told: &[],
        },
        Row {
            name: "ben chose Telegram instead of mail",
            setup: |d| choose(d, "ben", NotificationKind::NewTicket, false, true),
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "telegram")],
        },
        Row {
            name: "ana chose Telegram only but linked no chat: nothing",
            setup: |d| choose(d, "ana", NotificationKind::NewTicket, false, true),
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[("admin", "email"), ("ben", "email")],
        },
        Row {
            name: "the admins turn Telegram on by default: only ben has a chat",
            setup: |d| {
                put_def(d, NotificationDef { telegram: true, ..NotificationDef::shipped(NotificationKind::NewTicket) })
            },
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email"), ("ben", "telegram")],
        },
        Row {
            name: "the admins disable the notification",
            setup: |d| {
                put_def(d, NotificationDef { valid: false, ..NotificationDef::shipped(NotificationKind::NewTicket) })
            },
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[],
        },
        Row {
            name: "agents may not choose: the admins' channels bind over ben's choice",
            setup: |d| {
                choose(d, "ben", NotificationKind::NewTicket, false, true);
                choose(d, "ana", NotificationKind::NewTicket, false, false);
                let def = NotificationDef {
                    agent_may_choose: false,
                    ..NotificationDef::shipped(NotificationKind::NewTicket)
                };
                put_def(d, def);
            },
            prepare: no_ticket,
            event: |d, _| portal_ticket(d),
            kind: NewTicket,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a follow-up on a ticket nobody owns: the queue's agents",
            setup: nothing,
            prepare: portal_ticket,
            event: |d, n| {
                block(d.engine.add_article(&alice(), n, NewArticle::reply("more"))).unwrap();
                n.to_string()
            },
            kind: FollowUp,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a follow-up by mail: owner, responsible and watchers once each; not a watcher without access",
            setup: nothing,
            prepare: |d| {
                let n = portal_ticket(d);
                set_owner(d, &n, "ana");
                update(d, &admin(), &n, TicketUpdate { responsible: Some("eve".into()), ..Default::default() });
                force_watchers(d, &n, &["ben", "eve", "ana", "cid", "dan"]);
                n
            },
            event: |d, n| {
                intake(d, email("alice@acme.example", &format!("Re: [Ticket#{n}] Printer"), "more", "<m2@acme>"))
            },
            kind: FollowUp,
            told: &[("ana", "email"), ("eve", "email"), ("ben", "email")],
        },
        Row {
            name: "the owner set by the admin: only the new owner",
            setup: nothing,
            prepare: portal_ticket,
            event: |d, n| {
                set_owner(d, n, "ana");
                n.to_string()
            },
            kind: OwnerSet,
            told: &[("ana", "email")],
        },
        Row {
            name: "an agent who locks a ticket becomes its owner: nobody is told",
            setup: nothing,
            prepare: portal_ticket,
            event: |d, n| {
                lock(d, &Actor::agent("ana"), n);
                n.to_string()
            },
            kind: OwnerSet,
            told: &[],
        },
        Row {
            name: "the responsible set: only the new responsible",
            setup: nothing,
            prepare: portal_ticket,
            event: |d, n| {
                update(d, &admin(), n, TicketUpdate { responsible: Some("eve".into()), ..Default::default() });
                n.to_string()
            },
            kind: ResponsibleSet,
            told: &[("eve", "email")],
        },
        Row {
            name: "moved into a queue: the agents with it in My queues",
            setup: nothing,
            prepare: portal_ticket,
            event: |d, n| {
                update(d, &admin(), n, TicketUpdate { queue: Some("Misc".into()), ..Default::default() });
                n.to_string()
            },
            kind: MovedIntoMyQueue,
            told: &[("fay", "email")],
        },
        Row {
            name: "a pending reminder due without an owner: the queue's agents",
            setup: nothing,
            prepare: |d| {
                let n = portal_ticket(d);
                pending_reminder(d, &n);
                n
            },
            event: |d, n| {
                d.clock.advance(Duration::from_secs(2 * 3600));
                assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().reminders, 1);
                n.to_string()
            },
            kind: ReminderDue,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
        Row {
            name: "a pending reminder due: the owner",
            setup: nothing,
            prepare: |d| {
                let n = portal_ticket(d);
                set_owner(d, &n, "ana");
                pending_reminder(d, &n);
                n
            },
            event: |d, n| {
                d.clock.advance(Duration::from_secs(2 * 3600));
                block(d.engine.tick(d.engine.now())).unwrap();
                n.to_string()
            },
            kind: ReminderDue,
            told: &[("ana", "email")],
        },
        Row {
            name: "a lock that times out: the owner, who is not the actor (nobody is)",
            setup: |d| {
                let q = Queue { unlock_timeout_minutes: 30, ..block(d.engine.queue("Raw")).unwrap() };
                block(async { d.engine.admin(&Actor::System).await.unwrap().put_queue(q).await.unwrap() });
            },
            prepare: |d| {
                let n = portal_ticket(d);
                lock(d, &Actor::agent("ana"), &n);
                n
            },
            event: |d, n| {
                d.clock.advance(Duration::from_secs(31 * 60));
                assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().unlocked, 1);
                n.to_string()
            },
            kind: LockTimeout,
            told: &[("ana", "email")],
        },
        Row {
            name: "a reply that bounced: its author",
            setup: nothing,
            prepare: |d| {
                let n = portal_ticket(d);
                set_owner(d, &n, "ana");
                block(d.engine.add_article(&admin(), &n, NewArticle::reply("answer"))).unwrap();
                send_mail(d);
                n
            },
            event: |d, n| {
                let articles = block(d.store.articles(ticket_id(d, n))).unwrap();
                let reply = articles.iter().find(|a| a.sender == SenderType::Agent).unwrap();
                intake(d, bounce_of(reply.external_id.as_deref().unwrap()))
            },
            kind: Bounced,
            told: &[("admin", "email")],
        },
        Row {
            name: "an auto-response that bounced (nobody wrote it, nobody owns the ticket): the queue's agents",
            setup: nothing,
            prepare: |d| {
                let n = intake(d, email("alice@acme.example", "Printer", "It jams.", "<m3@acme>"));
                send_mail(d);
                n
            },
            event: |d, n| {
                let articles = block(d.store.articles(ticket_id(d, n))).unwrap();
                let auto = articles.iter().find(|a| a.sender == SenderType::System).expect("an auto-response");
                intake(d, bounce_of(auto.external_id.as_deref().unwrap()))
            },
            kind: Bounced,
            told: &[("admin", "email"), ("ana", "email"), ("ben", "email")],
        },
    ]
}

#[test]
fn each_event_tells_exactly_these_agents_on_these_channels() {
    let mut failures = Vec::new();
    for row in rows() {
        let d = desk();
        people(&d);
        (row.setup)(&d);
        let prepared = (row.prepare)(&d);
        d.clock.advance(Duration::from_secs(60));
        let at = d.engine.now();
        let n = (row.event)(&d, &prepared);
        let entries: Vec<OutboxEntry> = block(d.store.outbox_for_ticket(ticket_id(&d, &n)))
            .unwrap()
            .into_iter()
            .filter(|e| e.notification.is_some() && e.created_at >= at)
            .collect();
        // One entry per agent and channel, or one for them all that the delivery loop fans out.
        let got: Vec<(String, String)> = entries
            .iter()
            .flat_map(|e| {
                let n = e.notification.as_ref().unwrap();
                if n.fan_out.is_empty() {
                    let channel = match e.channel {
                        ChannelKind::Chat => "telegram",
                        _ => "email",
                    };
                    vec![(n.agent.clone(), channel.to_string())]
                } else {
                    n.fan_out.iter().map(|f| (f.agent.clone(), f.channel.as_str().to_string())).collect()
                }
            })
            .collect();
        let want: BTreeSet<(String, String)> = row.told.iter().map(|(a, c)| (a.to_string(), c.to_string())).collect();
        let got_set: BTreeSet<(String, String)> = got.iter().cloned().collect();
        if got_set != want || got.len() != got_set.len() {
            failures.push(format!("{}: told {got:?}, expected {want:?}", row.name));
        }
        for e in &entries {
            let n = e.notification.as_ref().unwrap();
            if n.kind != row.kind {
                failures.push(format!("{}: a {:?} notification, expected {:?}", row.name, n.kind, row.kind));
            }
            let address = match e.channel {
                ChannelKind::Chat => "1001".to_string(),
                _ => format!("{}@desk.example", n.agent),
            };
            if e.recipient != address || e.status != OutboxStatus::Pending {
                failures.push(format!("{}: entry {e:?}", row.name));
            }
        }
        // One history line names the agents told.
        if !row.told.is_empty() {
            let history = block(d.engine.history(&Actor::System, &n)).unwrap();
            let lines: Vec<&HistoryEntry> =
                history.iter().filter(|h| h.kind == HistoryKind::Notification && h.at >= at).collect();
            let named = lines.len() == 1 && row.told.iter().all(|(a, _)| lines[0].message.contains(a));
            if !named {
                failures.push(format!("{}: history {lines:?}", row.name));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_lock_times_out_only_without_an_answer_from_its_owner() {
    let d = desk();
    people(&d);
    let q = Queue { unlock_timeout_minutes: 30, ..block(d.engine.queue("Raw")).unwrap() };
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_queue(q).await.unwrap() });
    let n = portal_ticket(&d);
    let t = lock(&d, &Actor::agent("ana"), &n);
    assert_eq!(t.owner.as_deref(), Some("ana"));
    assert_eq!(t.unlock_at, Some(d.engine.now().plus(Duration::from_secs(30 * 60))));

    // The owner answers the customer: the timeout stops.
    block(d.engine.add_article(&Actor::agent("ana"), &n, NewArticle::reply("on it"))).unwrap_or_else(|e| {
        // ana holds only ro and owner on users: she answers as owner (full rights on her ticket).
        panic!("{e}")
    });
    assert_eq!(block(d.store.ticket_by_number(&n)).unwrap().unwrap().unlock_at, None);
    d.clock.advance(Duration::from_secs(3600));
    assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().unlocked, 0);
    assert_eq!(block(d.store.ticket_by_number(&n)).unwrap().unwrap().lock, Lock::Lock);

    // Locking again restarts it; unlocking clears it.
    let t = lock(&d, &Actor::agent("ana"), &n);
    assert_eq!(t.unlock_at, Some(d.engine.now().plus(Duration::from_secs(30 * 60))));
    let t = update(&d, &Actor::agent("ana"), &n, TicketUpdate { lock: Some(Lock::Unlock), ..Default::default() });
    assert_eq!((t.lock, t.unlock_at), (Lock::Unlock, None));

    // Locked again and left alone: the tick unlocks it and tells the owner.
    lock(&d, &Actor::agent("ana"), &n);
    d.clock.advance(Duration::from_secs(29 * 60));
    assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().unlocked, 0, "not yet");
    d.clock.advance(Duration::from_secs(2 * 60));
    let report = block(d.engine.tick(d.engine.now())).unwrap();
    assert_eq!(report.unlocked, 1);
    let t = block(d.store.ticket_by_number(&n)).unwrap().unwrap();
    assert_eq!((t.lock, t.unlock_at, t.owner.as_deref()), (Lock::Unlock, None, Some("ana")));
    let history = block(d.engine.history(&Actor::System, &n)).unwrap();
    let unlock = history.iter().rev().find(|h| h.kind == HistoryKind::LockChanged).unwrap();
    assert_eq!((unlock.actor.as_str(), unlock.message.as_str()), ("system", "unlock: the lock timed out"));
    let told: Vec<OutboxEntry> = block(d.store.outbox_for_ticket(t.id))
        .unwrap()
        .into_iter()
        .filter(|e| e.notification.as_ref().is_some_and(|n| n.kind == NotificationKind::LockTimeout))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipient, "ana@desk.example");
    assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().unlocked, 0, "once");
}

#[test]
fn a_relay_down_and_back_delivers_every_notification_exactly_once() {
    let d = desk();
    people(&d);
    put_def(&d, NotificationDef { telegram: true, ..NotificationDef::shipped(NotificationKind::NewTicket) });
    let numbers: Vec<String> = (0..4).map(|_| portal_ticket(&d)).collect();
    // Down for longer than one pass: every entry fails at least once, several twice.
    let mail = Relay::new(ChannelKind::Email, 20);
    let chat = Relay::new(ChannelKind::Chat, 6);
    let all = channels(&[&mail, &chat]);
    let mut passes = 0;
    loop {
        let report = block(d.engine.deliver_due(&all)).unwrap();
        assert_eq!(report.failed, 0, "{report:?}");
        if block(d.engine.outbox_pending()).unwrap() == 0 {
            break;
        }
        passes += 1;
        assert!(passes < 20, "the outbox does not drain");
        d.clock.advance(Duration::from_secs(3600));
    }
    assert!(passes >= 2, "the relay was down for more than one pass");
    let mut per_entry: HashMap<OutboxId, usize> = HashMap::new();
    for delivery in mail.delivered().iter().chain(chat.delivered().iter()) {
        assert!(delivery.notification.is_some());
        *per_entry.entry(delivery.outbox_id).or_default() += 1;
    }
    let mut entries = Vec::new();
    for n in &numbers {
        entries.extend(block(d.store.outbox_for_ticket(ticket_id(&d, n))).unwrap());
    }
    // admin, ana and ben by mail, ben by Telegram, for each ticket.
    assert_eq!(entries.len(), 4 * numbers.len());
    for e in &entries {
        assert_eq!(e.status, OutboxStatus::Sent, "{e:?}");
        assert_eq!(per_entry.get(&e.id), Some(&1), "{e:?} delivered {:?} times", per_entry.get(&e.id));
    }
    assert_eq!(per_entry.len(), entries.len());
}

#[test]
fn many_agents_get_one_entry_fanned_out_by_the_delivery_loop_each_exactly_once() {
    let d = desk();
    people(&d);
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        for i in 0..8 {
            let login = format!("crew{i}");
            a.put_agent(agent(&login, &["Raw"])).await.unwrap();
            a.grant(Grant::group(GrantSubject::Agent(login), "users", ro())).await.unwrap();
        }
    });
    let n = portal_ticket(&d);
    let id = ticket_id(&d, &n);
    let queued = block(d.store.outbox_for_ticket(id)).unwrap();
    assert_eq!(queued.len(), 1, "one entry in the commit that opened the ticket: {queued:?}");
    // admin, ana, ben and the eight crew agents, by mail.
    assert_eq!(queued[0].notification.as_ref().unwrap().fan_out.len(), 11);
    // The relay is down for the first pass: the fan-out happens, the mails wait.
    let mail = Relay::new(ChannelKind::Email, 11);
    let all = channels(&[&mail]);
    let first = block(d.engine.deliver_due(&all)).unwrap();
    assert_eq!((first.fanned_out, first.sent, first.retried), (1, 0, 11), "{first:?}");
    let mut passes = 0;
    while block(d.engine.outbox_pending()).unwrap() > 0 {
        d.clock.advance(Duration::from_secs(3600));
        block(d.engine.deliver_due(&all)).unwrap();
        passes += 1;
        assert!(passes < 10, "the outbox does not drain");
    }
    let entries = block(d.store.outbox_for_ticket(id)).unwrap();
    assert_eq!(entries.len(), 12, "the fanned-out entry and one per agent");
    assert!(entries.iter().all(|e| e.status == OutboxStatus::Sent), "{entries:?}");
    let mut per_agent: HashMap<String, usize> = HashMap::new();
    for delivery in mail.delivered() {
        *per_agent.entry(delivery.recipient.clone()).or_default() += 1;
    }
    assert_eq!(per_agent.len(), 11, "{per_agent:?}");
    assert!(per_agent.values().all(|n| *n == 1), "each agent told once: {per_agent:?}");
    assert_eq!(block(d.engine.deliver_due(&all)).unwrap(), chamado::DeliveryReport::default(), "nothing left");
}

#[test]
fn one_tickets_replies_go_out_in_order_while_tickets_go_out_together() {
    let d = desk();
    let (a, b) = (portal_ticket(&d), portal_ticket(&d));
    for i in 0..3 {
        for n in [&a, &b] {
            block(d.engine.add_article(
                &Actor::agent("admin"),
                n,
                chamado::NewArticle::reply(format!("{n} reply {i}")),
            ))
            .unwrap();
        }
    }
    let mail = Relay::new(ChannelKind::Email, 0);
    let report = block(d.engine.deliver_due(&channels(&[&mail]))).unwrap();
    assert_eq!(report.sent, mail.delivered().len());
    for n in [&a, &b] {
        let bodies: Vec<String> = mail
            .delivered()
            .iter()
            .filter(|m| &m.ticket_number == n && m.notification.is_none())
            .map(|m| m.body.clone())
            .collect();
        let order: Vec<usize> =
            (0..3).map(|i| bodies.iter().position(|b| b.contains(&format!("{n} reply {i}"))).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{n}: replies out of order: {bodies:?}");
    }
}

#[test]
fn a_notification_is_written_for_its_agent_in_the_agents_language() {
    let config = EngineConfig { public_url: "https://desk.example".into(), ..EngineConfig::default() };
    let d = desk_with(config);
    people(&d);
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let ana = Agent { language: Some("pt-BR".into()), ..d.engine.agent("ana").await.unwrap().unwrap() };
        a.put_agent(ana).await.unwrap();
    });
    let n = intake(&d, email("alice@acme.example", "Printer", "It jams.", "<m1@acme>"));
    let mail = Relay::new(ChannelKind::Email, 0);
    block(d.engine.deliver_due(&channels(&[&mail]))).unwrap();
    let to = |who: &str| {
        mail.delivered()
            .into_iter()
            .find(|x| x.recipient == format!("{who}@desk.example"))
            .unwrap_or_else(|| panic!("nothing to {who}"))
    };
    let admin_mail = to("admin");
    assert_eq!(admin_mail.subject, format!("[Ticket#{n}] New ticket: Printer"));
    assert!(admin_mail.body.contains(&n), "{}", admin_mail.body);
    assert!(admin_mail.body.contains("queue Raw"), "{}", admin_mail.body);
    assert!(admin_mail.body.contains("It jams."), "the customer's text: {}", admin_mail.body);
    assert!(admin_mail.body.contains(&format!("https://desk.example/agent/tickets/{n}")), "{}", admin_mail.body);
    assert_eq!(admin_mail.notification, Some(NotificationKind::NewTicket));
    assert_eq!((admin_mail.in_reply_to.clone(), admin_mail.references.clone()), (None, Vec::new()));
    assert_eq!(admin_mail.message_id, None);
    assert!(admin_mail.attachments.is_empty());
    assert!(!admin_mail.auto_response);
    assert_eq!(admin_mail.from, "support@localhost");
    assert_eq!(admin_mail.recipient_name, "Admin");
    assert_eq!(admin_mail.ticket_number, n);
    let ana_mail = to("ana");
    assert_eq!(ana_mail.subject, format!("[Ticket#{n}] Novo chamado: Printer"));
    assert!(ana_mail.body.contains("Abrir o chamado"), "{}", ana_mail.body);
    assert_eq!(ana_mail.from_name, "Suporte");
    let history = block(d.engine.history(&Actor::System, &n)).unwrap();
    let sent: Vec<&str> =
        history.iter().filter(|h| h.kind == HistoryKind::OutboundSent).map(|h| h.message.as_str()).collect();
    assert!(sent.contains(&"notification \"New ticket\" to ana sent by email"), "{sent:?}");

    // The admins' own text, per language, with the notification's variables.
    let def = NotificationDef {
        texts: vec![
            LocalizedText::new(
                "en",
                "{{ ticket.number }}: owner set by {{ notification.actor }}",
                "Hi {{ agent.first_name }}",
            ),
            LocalizedText::new(
                "pt-BR",
                "{{ ticket.number }}: {{ notification.kind }}",
                "Olá {{ agent.first_name }}, {{ ticket.title }}",
            ),
        ],
        ..NotificationDef::shipped(NotificationKind::OwnerSet)
    };
    put_def(&d, def);
    set_owner(&d, &n, "ana");
    block(d.engine.deliver_due(&channels(&[&mail]))).unwrap();
    let own = mail.delivered().into_iter().find(|x| x.notification == Some(NotificationKind::OwnerSet)).unwrap();
    assert_eq!(own.subject, format!("{n}: owner_set"));
    assert_eq!(own.body, "Olá Ana, Printer");
}

#[test]
fn a_text_that_fails_to_render_sends_the_plain_text_and_never_loses_the_intake() {
    let d = desk();
    people(&d);
    // Stored past the admin's checks (as an older version might have saved it): a syntax error.
    let broken = NotificationDef {
        texts: vec![LocalizedText::new("en", "New {% if %}", "x")],
        ..NotificationDef::shipped(NotificationKind::NewTicket)
    };
    block(d.store.put_record(Record::Notification(broken))).unwrap();
    d.engine.invalidate_directory();
    let n = intake(&d, email("alice@acme.example", "Printer", "It jams.", "<m1@acme>"));
    let mail = Relay::new(ChannelKind::Email, 0);
    let report = block(d.engine.deliver_due(&channels(&[&mail]))).unwrap();
    assert_eq!(report.failed, 0);
    let told: Vec<Delivery> = mail.delivered().into_iter().filter(|x| x.notification.is_some()).collect();
    assert_eq!(told.len(), 3, "{told:?}");
    for x in &told {
        assert_eq!(x.subject, format!("[Ticket#{n}] New ticket: Printer"));
    }
    let history = block(d.engine.history(&Actor::System, &n)).unwrap();
    let failed: Vec<&HistoryEntry> = history
        .iter()
        .filter(|h| h.kind == HistoryKind::Notification && h.message.contains("does not render"))
        .collect();
    assert_eq!(failed.len(), 3, "one per agent: {history:?}");
    assert!(failed[0].message.contains("(line 1)"), "{}", failed[0].message);

    // A text that passes the check on the sample ticket but fails on this one (a division by zero
    // for a five-letter title).
    let tricky = NotificationDef {
        texts: vec![LocalizedText::new("en", "{{ 10 // (ticket.title | length - 5) }}", "x")],
        ..NotificationDef::shipped(NotificationKind::NewTicket)
    };
    put_def(&d, tricky);
    let n = intake(&d, email("alice@acme.example", "Hello", "Again.", "<m2@acme>"));
    block(d.engine.deliver_due(&channels(&[&mail]))).unwrap();
    let subjects: Vec<String> = mail
        .delivered()
        .into_iter()
        .filter(|x| x.ticket_number == n && x.notification.is_some())
        .map(|x| x.subject)
        .collect();
    assert_eq!(subjects, vec![format!("[Ticket#{n}] New ticket: Hello"); 3]);
    let history = block(d.engine.history(&Actor::System, &n)).unwrap();
    assert!(
        history.iter().any(|h| h.kind == HistoryKind::Notification && h.message.contains("does not render")),
        "{history:?}"
    );
}

/// A memory store that counts the directory reads of agent records.
struct Counting {
    inner: MemoryStore,
    agent_reads: std::sync::atomic::AtomicUsize,
    agent_scans: std::sync::atomic::AtomicUsize,
}

impl Counting {
    fn reads(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::SeqCst;
        (self.agent_reads.load(SeqCst), self.agent_scans.load(SeqCst))
    }
}

#[async_trait]
impl Store for Counting {
    async fn allocate(&self, scope: &str, count: u64) -> StoreResult<u64> {
        self.inner.allocate(scope, count).await
    }
    async fn commit(&self, commit: Commit) -> StoreResult<()> {
        self.inner.commit(commit).await
    }
    async fn counter(&self, scope: &str) -> StoreResult<u64> {
        self.inner.counter(scope).await
    }
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        self.inner.ticket(id).await
    }
    async fn ticket_by_number(&self, number: &str) -> StoreResult<Option<Ticket>> {
        self.inner.ticket_by_number(number).await
    }
    async fn articles(&self, ticket: TicketId) -> StoreResult<Vec<Article>> {
        self.inner.articles(ticket).await
    }
    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>> {
        self.inner.article(id).await
    }
    async fn history(&self, ticket: TicketId) -> StoreResult<Vec<HistoryEntry>> {
        self.inner.history(ticket).await
    }
    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>> {
        self.inner.article_by_external_id(external_id).await
    }
    async fn idempotency(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        self.inner.idempotency(key).await
    }
    async fn list_tickets(
        &self,
        index: &TicketIndex,
        after: Option<Cursor>,
        limit: usize,
    ) -> StoreResult<Page<Ticket>> {
        self.inner.list_tickets(index, after, limit).await
    }
    async fn count_tickets(&self, index: &TicketIndex) -> StoreResult<u64> {
        self.inner.count_tickets(index).await
    }
    async fn due_tickets(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<Ticket>> {
        self.inner.due_tickets(now, limit).await
    }
    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<OutboxEntry>> {
        self.inner.claim_outbox(now, lease_until, limit).await
    }
    async fn outbox_for_ticket(&self, ticket: TicketId) -> StoreResult<Vec<OutboxEntry>> {
        self.inner.outbox_for_ticket(ticket).await
    }
    async fn put_record(&self, record: Record) -> StoreResult<()> {
        self.inner.put_record(record).await
    }
    async fn delete_record(&self, key: &RecordKey) -> StoreResult<()> {
        self.inner.delete_record(key).await
    }
    async fn record(&self, key: &RecordKey) -> StoreResult<Option<Record>> {
        if key.kind == RecordKind::Agent {
            self.agent_reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        self.inner.record(key).await
    }
    async fn records(
        &self,
        kind: RecordKind,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Record>> {
        if kind == RecordKind::Agent {
            self.agent_scans.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        self.inner.records(kind, prefix, after, limit).await
    }
    async fn customer_user_by_lookup(&self, key: &str) -> StoreResult<Option<CustomerUser>> {
        self.inner.customer_user_by_lookup(key).await
    }
    async fn blob(&self, hash: &ContentHash) -> StoreResult<Option<Vec<u8>>> {
        self.inner.blob(hash).await
    }
    async fn blob_count(&self) -> StoreResult<u64> {
        self.inner.blob_count().await
    }
    async fn meta(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        self.inner.meta(key).await
    }
    async fn put_meta(&self, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
        self.inner.put_meta(key, value).await
    }
    async fn events_after(&self, after: u64, limit: usize) -> StoreResult<Vec<chamado::webhooks::EventRecord>> {
        self.inner.events_after(after, limit).await
    }
    async fn last_event_seq(&self) -> StoreResult<u64> {
        self.inner.last_event_seq().await
    }
    async fn prune_events(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        self.inner.prune_events(before, limit).await
    }
    async fn claim_webhooks(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<chamado::webhooks::WebhookDelivery>> {
        self.inner.claim_webhooks(now, lease_until, limit).await
    }
    async fn webhook_delivery(&self, id: u64) -> StoreResult<Option<chamado::webhooks::WebhookDelivery>> {
        self.inner.webhook_delivery(id).await
    }
    async fn webhook_deliveries(
        &self,
        subscription: &str,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<Vec<chamado::webhooks::WebhookDelivery>> {
        self.inner.webhook_deliveries(subscription, before, limit).await
    }
    async fn pending_webhooks_for_ticket(
        &self,
        ticket: TicketId,
    ) -> StoreResult<Vec<chamado::webhooks::WebhookDelivery>> {
        self.inner.pending_webhooks_for_ticket(ticket).await
    }
    async fn webhooks_pending(&self) -> StoreResult<u64> {
        self.inner.webhooks_pending().await
    }
    async fn prune_webhooks(&self, before: Timestamp, limit: usize) -> StoreResult<u64> {
        self.inner.prune_webhooks(before, limit).await
    }
}

#[test]
fn a_new_ticket_for_a_queue_of_200_agents_reads_no_agent_record() {
    let store = Arc::new(Counting {
        inner: MemoryStore::new(),
        agent_reads: Default::default(),
        agent_scans: Default::default(),
    });
    let clock = Arc::new(FixedClock::new(Timestamp(T0)));
    let engine = Engine::builder_arc(store.clone()).clock(clock.clone()).build().unwrap();
    block(async {
        engine.seed_defaults("admin").await.unwrap();
        let a = engine.admin(&Actor::System).await.unwrap();
        a.put_customer(Customer::new("acme", "Acme")).await.unwrap();
        a.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
        a.put_role(Role::new("desk")).await.unwrap();
        a.grant(Grant::group(GrantSubject::Role("desk".into()), "users", ro())).await.unwrap();
        for i in 0..200 {
            let login = format!("agent{i:03}");
            a.put_agent(agent(&login, &["Raw"])).await.unwrap();
            a.grant(Grant::role_membership(login, "desk")).await.unwrap();
        }
    });
    let open = || block(engine.create_ticket(&alice(), NewTicket::new("Printer", "It jams.", "Raw"))).unwrap();
    let before = store.reads();
    open();
    let first = store.reads();
    assert_eq!(first.0 - before.0, 0, "no agent read one by one");
    assert_eq!(first.1 - before.1, 1, "one scan of the agents");
    open();
    assert_eq!(store.reads(), first, "the next ticket reads nothing of the agents");
    // A changed agent is seen at once: the snapshot is rebuilt.
    let a = block(engine.admin(&Actor::System)).unwrap();
    block(a.put_agent(agent("agent000", &[]))).unwrap();
    let t = open();
    let told = block(store.outbox_for_ticket(t.ticket.id)).unwrap();
    assert_eq!(told.len(), 1, "one entry for the 199 agents, fanned out by the delivery loop");
    let fan_out = &told[0].notification.as_ref().unwrap().fan_out;
    assert_eq!(fan_out.len(), 199);
    assert!(fan_out.iter().all(|f| f.agent != "agent000"));
}
