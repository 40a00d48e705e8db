//! Two engines ("nodes") on one PostgreSQL database: unique numbers, one ticket per mail, each outbound
//! reply sent once, search filtered by permission.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_trait::async_trait;
use chamado::*;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

struct Counting(Mutex<Vec<OutboxId>>);

#[async_trait]
impl Channel for Counting {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> Result<Option<String>, DeliveryError> {
        tokio::task::yield_now().await;
        self.0.lock().unwrap().push(d.outbox_id);
        Ok(None)
    }
}

async fn node(url: &str, schema: &str) -> Engine {
    Engine::builder(common::store(url, schema).await).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_share_one_database() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("nodes");
    let a = node(&url, &schema).await;
    let b = node(&url, &schema).await;
    assert!(a.seed_defaults("admin").await.unwrap());
    assert!(!b.seed_defaults("admin").await.unwrap(), "seeded once");
    let adm = a.admin(&Actor::System).await.unwrap();
    adm.put_customer(Customer::new("acme", "Acme")).await.unwrap();
    adm.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();

    // Concurrent creation through both nodes.
    let mut tasks = Vec::new();
    for i in 0..120 {
        let e = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            e.create_ticket(&Actor::customer("alice"), NewTicket::new(format!("t{i}"), "printer on fire", "Raw")).await
        }));
    }
    let mut numbers = HashSet::new();
    for t in tasks {
        let v = t.await.unwrap().unwrap();
        assert!(numbers.insert(v.ticket.number.clone()), "number {} issued twice", v.ticket.number);
    }
    for n in &numbers {
        assert!(b.ticket(&Actor::System, n).await.is_ok(), "{n} is present on the other node");
    }

    // The same mail delivered to both nodes at once opens one ticket.
    let mut tasks = Vec::new();
    for i in 0..20 {
        for e in [a.clone(), b.clone()] {
            tasks.push(tokio::spawn(async move {
                let mut m = InboundMessage::new(
                    ChannelKind::Email,
                    Sender::Email { address: "alice@acme.example".into(), name: None, reply_to: None },
                    format!("mail {i}"),
                    "body",
                );
                m.external_id = Some(format!("<m{i}@acme.example>"));
                // Verified senders (DMARC pass): each mail gets its auto-response.
                m.sender_auth = Some(SenderAuth { dmarc: AuthResult::Pass, ..Default::default() });
                e.intake(m).await
            }));
        }
    }
    let (mut new, mut dup) = (0, 0);
    for t in tasks {
        match t.await.unwrap().unwrap() {
            IntakeOutcome::NewTicket { .. } => new += 1,
            IntakeOutcome::Duplicate { .. } => dup += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((new, dup), (20, 20), "one ticket per mail, the other delivery a duplicate");

    // Replies delivered by both nodes at once are each sent exactly once.
    for n in numbers.iter().take(30) {
        a.add_article(&Actor::agent("admin"), n, NewArticle::reply("on it")).await.unwrap();
    }
    let channel = Arc::new(Counting(Mutex::new(Vec::new())));
    let chans: Vec<Arc<dyn Channel>> = vec![channel.clone()];
    let (ra, rb) = tokio::join!(a.deliver_due(&chans), b.deliver_due(&chans));
    let sent = ra.unwrap().sent + rb.unwrap().sent;
    let ids = channel.0.lock().unwrap().clone();
    let unique: HashSet<_> = ids.iter().collect();
    // 30 replies plus the 20 auto-responses to the mails.
    assert_eq!((sent, ids.len(), unique.len()), (50, 50, 50));

    // Full-text search, permission-filtered.
    let hits = b.search_tickets(&Actor::customer("alice"), "printer fire", 500).await.unwrap();
    assert_eq!(hits.len(), 120);
    adm.put_customer_user(CustomerUser::new("mallory", "m@evil.example", "evil")).await.unwrap();
    assert!(a.search_tickets(&Actor::customer("mallory"), "printer", 50).await.unwrap().is_empty());
    common::drop_schemas(&url, "nodes").await;
}
