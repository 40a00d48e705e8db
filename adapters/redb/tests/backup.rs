//! Online backup and restore: a consistent JSON Lines export while writers keep committing, and a
//! restore into an empty store giving back the same tickets, articles, history, grants and counters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{
    Actor, Customer, CustomerUser, Engine, Grant, GrantSubject, NewArticle, NewTicket, Permission, PermissionSet,
    RecordKind, Store, TicketIndex, TicketUpdate,
};
use chamado_redb::{Error, RedbStore};
use common::TempDir;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

async fn populate(engine: &Engine) -> Vec<String> {
    engine.seed_defaults("admin").await.unwrap();
    let admin = engine.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    let mut alice = CustomerUser::new("alice", "alice@acme.example", "acme");
    alice.identities = vec!["telegram:42".into()];
    admin.put_customer_user(alice).await.unwrap();
    admin.put_customer_user(CustomerUser::new("bob", "bob@acme.example", "acme")).await.unwrap();
    admin
        .grant(Grant::group(GrantSubject::CustomerUser("bob".into()), "users", PermissionSet::of(&[Permission::Ro])))
        .await
        .unwrap();
    let agent = Actor::agent("admin");
    let mut numbers = Vec::new();
    for i in 0..30 {
        let who = Actor::customer(if i % 2 == 0 { "alice" } else { "bob" });
        let view =
            engine.create_ticket(&who, NewTicket::new(format!("t{i}"), format!("body {i}"), "Raw")).await.unwrap();
        let n = view.ticket.number.clone();
        if i % 3 == 0 {
            engine.add_article(&agent, &n, NewArticle::reply(format!("reply {i}"))).await.unwrap();
        }
        if i % 5 == 0 {
            engine.update_ticket(&agent, &n, TicketUpdate::state("closed successful")).await.unwrap();
        }
        numbers.push(n);
    }
    numbers
}

fn export(store: &RedbStore) -> String {
    let mut out = Vec::new();
    store.export_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_while_serving_and_restore_round_trip() {
    let dir = TempDir::new("backup");
    let source = RedbStore::open(dir.file("source.redb")).unwrap();
    let engine = Engine::builder(source.clone()).build().unwrap();
    let numbers = populate(&engine).await;

    // Writers keep going while we export: the export is one snapshot, internally consistent.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (engine, stop) = (engine.clone(), Arc::clone(&stop));
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let new = NewTicket::new(format!("live {w}/{i}"), "during backup", "Raw");
                engine.create_ticket(&Actor::customer("alice"), new).await.unwrap();
                i += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let snapshot = {
        let s = source.clone();
        tokio::task::spawn_blocking(move || export(&s)).await.unwrap()
    };
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let tickets = snapshot.lines().filter(|l| l.starts_with(r#"{"t":"ticket""#)).count();
    let articles = snapshot.lines().filter(|l| l.starts_with(r#"{"t":"article""#)).count();
    assert!(tickets >= 30 && articles >= tickets, "a consistent snapshot: {tickets} tickets, {articles} articles");

    // Restore the mid-flight snapshot: it re-exports identically.
    let restored = RedbStore::open(dir.file("restored-live.redb")).unwrap();
    let stats = restored.import_jsonl(snapshot.as_bytes()).await.unwrap();
    assert_eq!(stats.tickets as usize, tickets);
    assert_eq!(export(&restored), snapshot);

    // Restore a quiet export and compare what the engine and store see.
    let full = export(&source);
    let restored = RedbStore::open(dir.file("restored.redb")).unwrap();
    restored.import_jsonl(full.as_bytes()).await.unwrap();
    assert_eq!(export(&restored), full);
    for n in &numbers {
        let a = source.ticket_by_number(n).await.unwrap().unwrap();
        let b = restored.ticket_by_number(n).await.unwrap().unwrap();
        assert_eq!(a, b);
        assert_eq!(source.articles(a.id).await.unwrap(), restored.articles(b.id).await.unwrap());
        assert_eq!(source.history(a.id).await.unwrap(), restored.history(b.id).await.unwrap());
    }
    for index in [
        TicketIndex::CustomerUser("alice".into()),
        TicketIndex::CustomerUser("bob".into()),
        TicketIndex::Customer("acme".into()),
        TicketIndex::Queue { queue: "Raw".into(), state_type: Some(chamado::StateType::New) },
        TicketIndex::StateType(chamado::StateType::Closed),
    ] {
        let (mut after, mut pages) = (None, 0);
        loop {
            let a = source.list_tickets(&index, after, 7).await.unwrap();
            assert_eq!(a, restored.list_tickets(&index, after, 7).await.unwrap(), "{index:?}");
            pages += 1;
            match a.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert!(pages > 0);
        let count = source.count_tickets(&index).await.unwrap();
        assert_eq!(count, restored.count_tickets(&index).await.unwrap(), "restored count of {index:?}");
    }
    for kind in RecordKind::ALL {
        assert_eq!(
            source.records(kind, "", None, 1000).await.unwrap(),
            restored.records(kind, "", None, 1000).await.unwrap()
        );
    }
    let grants = restored.records(RecordKind::Grant, "", None, 1000).await.unwrap();
    assert!(!grants.is_empty());
    assert_eq!(
        source.customer_user_by_lookup("telegram:42").await.unwrap(),
        restored.customer_user_by_lookup("telegram:42").await.unwrap()
    );
    assert!(restored.customer_user_by_lookup("telegram:42").await.unwrap().is_some());
    // Counters continue where the source's are.
    for scope in ["ticket", "article", "x"] {
        assert_eq!(source.allocate(scope, 1).await.unwrap(), restored.allocate(scope, 1).await.unwrap());
    }
    // The engine works on the restored store, with fresh numbers.
    let engine2 = Engine::builder(restored.clone()).build().unwrap();
    let view =
        engine2.create_ticket(&Actor::customer("alice"), NewTicket::new("after", "restore", "Raw")).await.unwrap();
    assert!(
        source.ticket_by_number(&view.ticket.number).await.unwrap().is_none() || !numbers.contains(&view.ticket.number)
    );

    // A restore needs an empty store.
    let err = restored.import_jsonl(full.as_bytes()).await.unwrap_err();
    assert!(matches!(err, Error::NotEmpty(_)), "{err:?}");
    // A damaged line is reported with its number.
    let fresh = RedbStore::open(dir.file("damaged.redb")).unwrap();
    let damaged = full.replacen(r#"{"t":"ticket""#, r#"{"t":"tickt""#, 1);
    let err = fresh.import_jsonl(damaged.as_bytes()).await.unwrap_err();
    assert!(matches!(err, Error::Backup { line, .. } if line > 1), "{err:?}");
}

/// Files are backed up once each and restored under their hashes; a backup of schema 4 (files inline in
/// its articles) restores with its files moved into the file table; bytes that do not match their hash
/// are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_survive_backup_and_older_backups_move_them_out_of_articles() {
    let dir = TempDir::new("backup-files");
    let source = RedbStore::open(dir.file("source.redb")).unwrap();
    let engine = Engine::builder(source.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let logo = chamado::Attachment {
        name: "logo.png".into(),
        content_type: "image/png".into(),
        inline: true,
        data: vec![0x89, b'P', b'N', b'G', 0, 255],
    };
    let mut numbers = Vec::new();
    for i in 0..3 {
        let mut new = NewTicket::new(format!("t{i}"), "with the logo", "Raw");
        new.attachments.push(logo.clone());
        numbers.push(engine.create_ticket(&Actor::agent("admin"), new).await.unwrap().ticket.number);
    }
    let full = export(&source);
    assert_eq!(full.lines().filter(|l| l.starts_with(r#"{"t":"blob""#)).count(), 1, "one file, once");
    let restored = RedbStore::open(dir.file("restored.redb")).unwrap();
    restored.import_jsonl(full.as_bytes()).await.unwrap();
    assert_eq!(export(&restored), full);
    assert_eq!(restored.blob(&logo.meta().sha256).await.unwrap(), Some(logo.data.clone()));

    // The same backup as schema 4 wrote it: no file lines, each article with its files' bytes.
    let v4: String = full
        .lines()
        .filter(|l| !l.starts_with(r#"{"t":"blob""#))
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["t"] == "header" {
                v["v"]["schema"] = 4.into();
            }
            if v["t"] == "article" {
                for a in v["v"]["attachments"].as_array_mut().unwrap() {
                    let o = a.as_object_mut().unwrap();
                    o.remove("size");
                    o.remove("sha256");
                    o.insert("data".into(), serde_json::to_value(&logo.data).unwrap());
                }
            }
            format!("{v}\n")
        })
        .collect();
    let old = RedbStore::open(dir.file("from-v4.redb")).unwrap();
    old.import_jsonl(v4.as_bytes()).await.unwrap();
    assert_eq!(old.blob_count().await.unwrap(), 1);
    for n in &numbers {
        let (_, articles) = old.ticket_with_articles(n).await.unwrap().unwrap();
        assert_eq!(articles[0].attachments, vec![logo.meta()]);
    }
    assert_eq!(export(&old), full, "as if it had been backed up by this version");

    // A file whose bytes do not match its hash would make articles name the wrong file.
    let forged = full.replace(r#""data":[137,80,78,71,0,255]"#, r#""data":[1,2,3]"#);
    assert_ne!(forged, full);
    let err = RedbStore::open(dir.file("forged.redb")).unwrap().import_jsonl(forged.as_bytes()).await.unwrap_err();
    assert!(err.to_string().contains("does not have that hash"), "{err}");
}

/// A ticket's watchers and lock expiry and an outbox entry's notification survive a backup, the lock's
/// expiry back in the due index; a backup of schema 6 (lines without those fields) restores with none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_lock_expiry_and_notifications_survive_backup() {
    use chamado::{
        ArticleId, Commit, Lock, NotificationKind, NotificationRef, OutboxId, TicketId, TicketWrite, Timestamp,
    };
    let dir = TempDir::new("backup-watchers");
    let source = RedbStore::open(dir.file("source.redb")).unwrap();
    let mut watched = common::ticket(1, "T1");
    watched.lock = Lock::Lock;
    watched.owner = Some("ana".into());
    watched.watchers = vec!["ben".into(), "carla".into()];
    watched.unlock_at = Some(Timestamp(300));
    let plain = common::ticket(2, "T2");
    let mut notice = chamado::testkit::outbox_entry(1, 1, 0, 40);
    notice.article_id = ArticleId(0);
    notice.notification = Some(NotificationRef {
        kind: NotificationKind::OwnerSet,
        agent: "ana".into(),
        actor: Some("ben".into()),
        fan_out: Vec::new(),
    });
    let article_entry = chamado::testkit::outbox_entry(2, 2, 1, 50);
    source
        .commit(Commit {
            tickets: [&watched, &plain]
                .into_iter()
                .map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 })
                .collect(),
            outbox: vec![notice.clone(), article_entry.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    let full = export(&source);
    let restored = RedbStore::open(dir.file("restored.redb")).unwrap();
    restored.import_jsonl(full.as_bytes()).await.unwrap();
    assert_eq!(export(&restored), full);
    assert_eq!(restored.ticket(TicketId(1)).await.unwrap(), Some(watched.clone()));
    let due: Vec<TicketId> = restored.due_tickets(Timestamp(300), 10).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(due, vec![TicketId(1)], "the lock's expiry is indexed again");
    assert_eq!(restored.outbox_for_ticket(TicketId(1)).await.unwrap(), vec![notice.clone()]);
    let claimed = restored.claim_outbox(Timestamp(100), Timestamp(200), 10).await.unwrap();
    assert_eq!(claimed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![OutboxId(1), OutboxId(2)]);
    assert_eq!(claimed[0].notification, notice.notification);

    // The same backup as schema 6 wrote it: no watchers, lock expiry or notification.
    let v6: String = full
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            match v["t"].as_str() {
                Some("header") => v["v"]["schema"] = 6.into(),
                Some("ticket") => {
                    let o = v["v"].as_object_mut().unwrap();
                    assert!(o.remove("watchers").is_some() && o.remove("unlock_at").is_some());
                }
                Some("outbox") => {
                    assert!(v["v"].as_object_mut().unwrap().remove("notification").is_some());
                }
                _ => {}
            }
            format!("{v}\n")
        })
        .collect();
    let old = RedbStore::open(dir.file("from-v6.redb")).unwrap();
    old.import_jsonl(v6.as_bytes()).await.unwrap();
    let t = old.ticket(TicketId(1)).await.unwrap().unwrap();
    assert!(t.watchers.is_empty() && t.unlock_at.is_none());
    assert_eq!(t, chamado::Ticket { watchers: Vec::new(), unlock_at: None, ..watched });
    assert!(old.due_tickets(Timestamp(1000), 10).await.unwrap().is_empty(), "no lock expiry, nothing due");
    let entries = old.outbox_for_ticket(TicketId(1)).await.unwrap();
    assert_eq!(entries, vec![chamado::OutboxEntry { notification: None, ..notice }]);
}

/// A ticket's SLA and escalation clocks survive a backup, the escalated and at-risk indexes and the due
/// index rebuilt from them; a backup of schema 7 (ticket lines without those fields) restores with no SLA
/// and idle clocks, in neither index.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sla_and_escalation_clocks_survive_backup() {
    use chamado::sla::{ClockOutcome, SlaClock};
    use chamado::{Commit, TicketId, TicketWrite, Timestamp};
    let clock = |warn_at: i64, due: i64, warned: bool, breached: bool| SlaClock {
        active: true,
        spent_ms: 5,
        running_since: Some(Timestamp(10)),
        target_ms: 600_000,
        warn_ms: 480_000,
        due: Some(Timestamp(due)),
        warn_at: Some(Timestamp(warn_at)),
        warned,
        breached,
        last: Some(ClockOutcome { met: false, at: Timestamp(9), working_ms: 700_000 }),
    };
    let dir = TempDir::new("backup-sla");
    let source = RedbStore::open(dir.file("source.redb")).unwrap();
    let mut breached = common::ticket(1, "T1");
    breached.sla = Some("Gold".into());
    breached.escalation.first_response = clock(100, 200, true, true);
    breached.escalation.solution = clock(800, 900, false, false);
    breached.escalation.awaiting_agent = true;
    let mut warned = common::ticket(2, "T2");
    warned.sla = Some("Silver".into());
    warned.escalation.update = clock(300, 400, true, false);
    warned.escalation.responded = true;
    let plain = common::ticket(3, "T3");
    source
        .commit(Commit {
            tickets: [&breached, &warned, &plain]
                .into_iter()
                .map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 })
                .collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    let full = export(&source);
    let restored = RedbStore::open(dir.file("restored.redb")).unwrap();
    restored.import_jsonl(full.as_bytes()).await.unwrap();
    assert_eq!(export(&restored), full);
    for t in [&breached, &warned, &plain] {
        assert_eq!(restored.ticket(t.id).await.unwrap().as_ref(), Some(t), "ticket {} restored exactly", t.id);
    }
    let listed = |s: RedbStore, index: TicketIndex| async move {
        let ids: Vec<u64> = s.list_tickets(&index, None, 10).await.unwrap().items.iter().map(|t| t.id.0).collect();
        assert_eq!(s.count_tickets(&index).await.unwrap(), ids.len() as u64, "count of {index:?}");
        ids
    };
    assert_eq!(listed(restored.clone(), TicketIndex::Escalated).await, vec![1]);
    assert_eq!(listed(restored.clone(), TicketIndex::AtRisk).await, vec![2]);
    let due = |s: RedbStore, now: i64| async move {
        s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>()
    };
    assert_eq!(due(restored.clone(), 399).await, Vec::<u64>::new());
    assert_eq!(due(restored.clone(), 400).await, vec![2], "the at-risk clock's breach is due");
    assert_eq!(due(restored.clone(), 800).await, vec![2, 1], "the solution clock's warning is due");

    // The same backup as schema 7 wrote it: no SLA, no clocks.
    let v7: String = full
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            match v["t"].as_str() {
                Some("header") => v["v"]["schema"] = 7.into(),
                Some("ticket") => {
                    let o = v["v"].as_object_mut().unwrap();
                    assert!(o.remove("sla").is_some() && o.remove("escalation").is_some());
                }
                _ => {}
            }
            format!("{v}\n")
        })
        .collect();
    let old = RedbStore::open(dir.file("from-v7.redb")).unwrap();
    old.import_jsonl(v7.as_bytes()).await.unwrap();
    let t = old.ticket(TicketId(1)).await.unwrap().unwrap();
    assert!(t.sla.is_none() && t.escalation.is_idle());
    assert_eq!(t, chamado::Ticket { sla: None, escalation: Default::default(), ..breached });
    assert_eq!(old.ticket(TicketId(3)).await.unwrap(), Some(plain));
    assert_eq!(listed(old.clone(), TicketIndex::Escalated).await, Vec::<u64>::new());
    assert_eq!(listed(old.clone(), TicketIndex::AtRisk).await, Vec::<u64>::new());
    assert!(due(old.clone(), 10_000).await.is_empty(), "no clocks, nothing due");
}

/// The event log and the webhook deliveries survive a backup: the feed resumes where it was (the last
/// `seq` too, even when pruning emptied the log), pending deliveries are due and claimable again, and
/// every delivery index answers as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_log_and_webhook_deliveries_survive_backup() {
    use chamado::{Commit, EventRecord, EventType, OutboxStatus, TicketId, Timestamp, WebhookDelivery};
    let event = |tag: &str, at: i64| EventRecord {
        seq: 0,
        id: format!("evt_{tag}"),
        event_type: EventType::TicketCreated,
        at: Timestamp(at),
        ticket_id: Some(TicketId(1)),
        queue: Some("Raw".into()),
        order: 256,
        data: format!(r#"{{"version":1,"tag":"{tag}"}}"#),
    };
    let delivery = |id: u64, sub: &str, status: OutboxStatus, due: i64| WebhookDelivery {
        id,
        subscription: sub.into(),
        fan_out: if sub.is_empty() { vec!["wh_1".into(), "wh_2".into()] } else { Vec::new() },
        events: vec![event(&format!("d{id}"), 10)],
        ticket_id: Some(TicketId(1)),
        order: 256 + id,
        status,
        attempts: 0,
        next_attempt_at: Timestamp(due),
        created_at: Timestamp(10),
        retry_since: Timestamp(10),
        recent_attempts: Vec::new(),
        replays: 0,
    };
    let dir = TempDir::new("backup-webhooks");
    let source = RedbStore::open(dir.file("source.redb")).unwrap();
    source.commit(Commit { events: vec![event("a", 10), event("b", 20)], ..Default::default() }).await.unwrap();
    let deliveries = vec![
        delivery(1, "", OutboxStatus::Pending, 30),
        delivery(2, "wh_1", OutboxStatus::Pending, 40),
        delivery(3, "wh_1", OutboxStatus::Sent, 0),
        delivery(4, "wh_2", OutboxStatus::Failed, 0),
    ];
    source
        .commit(Commit { events: vec![event("c", 30)], webhooks: deliveries.clone(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(source.prune_events(Timestamp(15), 10).await.unwrap(), 1);
    let full = export(&source);
    let restored = RedbStore::open(dir.file("restored.redb")).unwrap();
    restored.import_jsonl(full.as_bytes()).await.unwrap();
    assert_eq!(export(&restored), full, "the restore holds exactly what was backed up");
    assert_eq!(restored.events_after(0, 10).await.unwrap(), source.events_after(0, 10).await.unwrap());
    let seqs: Vec<u64> = restored.events_after(0, 10).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![2, 3], "the feed, pruned as it was");
    assert_eq!(restored.last_event_seq().await.unwrap(), 3);
    for d in &deliveries {
        assert_eq!(restored.webhook_delivery(d.id).await.unwrap().as_ref(), Some(d));
    }
    assert_eq!(restored.webhooks_pending().await.unwrap(), 2);
    let pending: Vec<u64> =
        restored.pending_webhooks_for_ticket(TicketId(1)).await.unwrap().iter().map(|w| w.id).collect();
    assert_eq!(pending, vec![1, 2], "the pending deliveries, fan-out entry included");
    let listed: Vec<u64> = restored.webhook_deliveries("wh_1", None, 10).await.unwrap().iter().map(|w| w.id).collect();
    assert_eq!(listed, vec![3, 2]);
    let claimed: Vec<u64> =
        restored.claim_webhooks(Timestamp(100), Timestamp(200), 10).await.unwrap().iter().map(|w| w.id).collect();
    assert_eq!(claimed, vec![1, 2], "due again, earliest first");
    assert_eq!(restored.prune_webhooks(Timestamp(11), 10).await.unwrap(), 2, "finished ones prune as before");
    restored.commit(Commit { events: vec![event("d", 40)], ..Default::default() }).await.unwrap();
    assert_eq!(restored.last_event_seq().await.unwrap(), 4, "new events go on after the restored ones");

    // A log pruned empty still restores its last seq: a feed at 3 must not see a new event as seq 1.
    assert_eq!(source.prune_events(Timestamp(1_000), 10).await.unwrap(), 2);
    let emptied = export(&source);
    let again = RedbStore::open(dir.file("restored-empty.redb")).unwrap();
    again.import_jsonl(emptied.as_bytes()).await.unwrap();
    assert!(again.events_after(0, 10).await.unwrap().is_empty());
    assert_eq!(again.last_event_seq().await.unwrap(), 3);
    again.commit(Commit { events: vec![event("e", 50)], ..Default::default() }).await.unwrap();
    let next: Vec<u64> = again.events_after(3, 10).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(next, vec![4]);
    let busy = restored.import_jsonl(full.as_bytes()).await;
    assert!(matches!(busy, Err(Error::NotEmpty(_))), "a restore needs an empty store");
}
