//! Webhooks and the feed through two engines ("nodes") on one PostgreSQL database: tickets created and
//! changed through both, both nodes sending deliveries at once. Every event reaches the subscriber exactly
//! once, each ticket's in order, and the feed read from either node holds every event, seqs consecutive.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::*;
use chamado_postgres::PgStore;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TICKETS: usize = 30;

async fn node(url: &str, schema: &str, clock: &Arc<FixedClock>) -> (Engine, PgStore) {
    let store = common::store(url, schema).await;
    let clock = Arc::clone(clock) as Arc<dyn Clock>;
    (Engine::builder(store.clone()).clock(clock).build().unwrap(), store)
}

/// What the subscriber got: (ticket, event order, webhook-id), in the order sent.
type Received = Arc<Mutex<Vec<(Option<TicketId>, u64, String)>>>;

/// Sends what `e` can claim until it can claim nothing more (the rest is leased by the other node, or waits
/// behind a ticket's earlier delivery until after that one's lease).
async fn send_claimable(e: Engine, received: Received) {
    loop {
        let chains = e.claim_webhook_chains(8).await.unwrap();
        if chains.is_empty() {
            return;
        }
        for chain in chains {
            for job in &chain.jobs {
                let d = &job.delivery;
                received.lock().unwrap().push((d.ticket_id, d.order, job.message_id.clone()));
                let done = WebhookOutcome::Delivered { status: 204, latency_ms: 1 };
                assert_eq!(e.finish_webhook(job, done).await.unwrap(), WebhookResult::Delivered);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_deliver_every_event_once_in_ticket_order() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("hooknodes");
    let clock = Arc::new(FixedClock::new(Timestamp(1_764_000_000_000)));
    let (a, _) = node(&url, &schema, &clock).await;
    a.seed_defaults("admin").await.unwrap();
    let admin = a.admin(&Actor::System).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let sub = WebhookSubscription::new("", "https://hooks.example/all", EventType::ALL.to_vec(), SECRET);
    let sub = admin.put_webhook(sub).await.unwrap();
    let (b, _b_store) = node(&url, &schema, &clock).await;
    let from = b.latest_event_cursor().await.unwrap();

    // Created through one node, changed through the other, all at once.
    let mut tasks = Vec::new();
    for i in 0..TICKETS {
        let (maker, changer) = if i % 2 == 0 { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
        tasks.push(tokio::spawn(async move {
            let t = maker
                .create_ticket(&Actor::customer("alice"), NewTicket::new(format!("t{i}"), "body", "Raw"))
                .await
                .unwrap()
                .ticket;
            changer.update_ticket(&Actor::agent("admin"), &t.number, TicketUpdate::state("open")).await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }

    // Two senders on each node until none can claim more; then time passes beyond the leases (the clock
    // stands still while they run, so no lease ends under a sender), and again until nothing is pending.
    let received: Received = Arc::default();
    for round in 0.. {
        assert!(round < 10, "deliveries finish");
        let senders: Vec<_> =
            [&a, &a, &b, &b].into_iter().map(|e| tokio::spawn(send_claimable(e.clone(), received.clone()))).collect();
        for s in senders {
            s.await.unwrap();
        }
        // The engine's count leaves out the event log's cursor row (always pending).
        if b.webhooks_pending().await.unwrap() == 0 {
            break;
        }
        clock.advance(Duration::from_secs(61));
    }

    let feed = b.events(&Actor::System, from, MAX_FEED_PAGE).await.unwrap().events;
    assert!(feed.windows(2).all(|w| w[0].seq + 1 == w[1].seq), "consecutive seqs");
    let created = feed.iter().filter(|e| e.event_type == EventType::TicketCreated).count();
    let changed = feed.iter().filter(|e| e.event_type == EventType::StateChanged).count();
    assert_eq!((created, changed), (TICKETS, TICKETS));
    assert_eq!(a.events(&Actor::System, from, MAX_FEED_PAGE).await.unwrap().events, feed, "the same on both nodes");

    let received = received.lock().unwrap().clone();
    let ids: HashSet<&str> = received.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(ids.len(), received.len(), "no event sent twice");
    let expected: HashSet<&str> = feed.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected, "every event of the feed sent");
    let mut last: HashMap<TicketId, u64> = HashMap::new();
    for (ticket, order, id) in &received {
        let ticket = ticket.expect("ticket events");
        let before = last.insert(ticket, *order).unwrap_or(0);
        assert!(*order > before, "{id} of ticket {ticket} sent after a later one");
    }
    let listed = admin.webhook_deliveries(&sub.id, None, 500).await.unwrap();
    assert_eq!(listed.len(), received.len());
    assert!(listed.iter().all(|d| d.status == OutboxStatus::Sent));
    assert_eq!(b.webhooks_pending().await.unwrap(), 0);
    common::drop_schemas(&url, "hooknodes").await;
}
