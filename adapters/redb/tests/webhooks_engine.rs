//! Webhooks and the event feed through the engine on a redb file: a ticket's events in the feed and one
//! fan-out entry per commit, split into one delivery per subscription, sent in order; a failed delivery
//! holds back the ticket's later ones until its retry; everything (feed, deliveries, pending ones) as it
//! was after the file is reopened.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{
    Actor, Customer, CustomerUser, Engine, EventType, FixedClock, NewTicket, OutboxStatus, Store, TicketUpdate,
    Timestamp, WebhookChain, WebhookOutcome, WebhookResult, WebhookSubscription,
};
use chamado_redb::RedbStore;
use common::TempDir;
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn engine(store: &RedbStore, clock: &Arc<FixedClock>) -> Engine {
    Engine::builder(store.clone()).clock(Arc::clone(clock) as Arc<dyn chamado::Clock>).build().unwrap()
}

fn types(chain: &WebhookChain) -> Vec<EventType> {
    chain.jobs.iter().map(|j| j.delivery.event().unwrap().event_type).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_and_the_feed_through_the_engine_survive_a_reopen() {
    let dir = TempDir::new("webhooks-engine");
    let path = dir.file("w.redb");
    let clock = Arc::new(FixedClock::new(Timestamp(1_764_000_000_000)));
    let store = RedbStore::open(&path).unwrap();
    let e = engine(&store, &clock);
    e.seed_defaults("admin").await.unwrap();
    let admin = e.admin(&Actor::agent("admin")).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let all = WebhookSubscription::new("", "https://hooks.example/all", EventType::ALL.to_vec(), SECRET);
    let all = admin.put_webhook(all).await.unwrap();
    let created = WebhookSubscription::new("", "https://hooks.example/new", vec![EventType::TicketCreated], SECRET);
    let created = admin.put_webhook(created).await.unwrap();
    let from = e.latest_event_cursor().await.unwrap();

    let alice = Actor::customer("alice");
    let one = e.create_ticket(&alice, NewTicket::new("Printer", "It jams.", "Raw")).await.unwrap().ticket;
    let two = e.create_ticket(&alice, NewTicket::new("Scanner", "It hums.", "Raw")).await.unwrap().ticket;
    e.update_ticket(&Actor::agent("admin"), &one.number, TicketUpdate::state("open")).await.unwrap();
    let page = e.events(&Actor::System, from, 100).await.unwrap();
    assert!(page.events.windows(2).all(|w| w[0].seq + 1 == w[1].seq), "consecutive seqs");
    let created_events = page.events.iter().filter(|ev| ev.event_type == EventType::TicketCreated).count();
    assert_eq!(created_events, 2);
    assert!(page.events.iter().any(|ev| ev.event_type == EventType::StateChanged && ev.ticket_id == Some(one.id)));
    assert_eq!(store.webhooks_pending().await.unwrap(), 0, "the commits log events; the loop makes deliveries");

    // The first claim splits the fan-out entries; ticket one's state change waits for its creation.
    let chains = e.claim_webhook_chains(64).await.unwrap();
    let to_all: Vec<&WebhookChain> = chains.iter().filter(|c| c.subscription == all.id).collect();
    assert!(!to_all.is_empty());
    let mut sent = 0;
    let mut failed_one = false;
    for chain in &chains {
        for (i, job) in chain.jobs.iter().enumerate() {
            // Ticket one's first delivery to `all` fails: the chain stops there.
            let fail = chain.subscription == all.id && job.delivery.ticket_id == Some(one.id) && !failed_one;
            if fail {
                failed_one = true;
                let outcome = WebhookOutcome::Failed {
                    status: Some(503),
                    error: "busy".into(),
                    latency_ms: 5,
                    retry_after: None,
                };
                assert!(matches!(e.finish_webhook(job, outcome).await.unwrap(), WebhookResult::Retry(_)));
                e.release_webhooks(&chain.jobs[i + 1..], chamado::Clock::now(clock.as_ref())).await.unwrap();
                break;
            }
            assert_eq!(
                e.finish_webhook(job, WebhookOutcome::Delivered { status: 204, latency_ms: 3 }).await.unwrap(),
                WebhookResult::Delivered
            );
            sent += 1;
        }
    }
    assert!(failed_one && sent > 0);
    let to_new = admin.webhook_deliveries(&created.id, None, 50).await.unwrap();
    assert_eq!(to_new.len(), 2, "one ticket.created each");
    assert!(to_new.iter().all(|d| d.status == OutboxStatus::Sent));
    assert!(e.claim_webhook_chains(64).await.unwrap().is_empty(), "nothing due before the retry");
    let waiting = store.pending_webhooks_for_ticket(one.id).await.unwrap();
    assert!(!waiting.is_empty(), "ticket one's deliveries to `all` wait for the retry");
    assert!(waiting.iter().all(|d| d.subscription == all.id));
    let pending = store.webhooks_pending().await.unwrap();
    drop(e);
    store.close().unwrap();
    drop(store);

    // Reopened: the same feed, the same waiting deliveries, sent in order once due.
    let store = RedbStore::open(&path).unwrap();
    let e = engine(&store, &clock);
    assert_eq!(e.events(&Actor::System, from, 100).await.unwrap(), page);
    assert_eq!(store.webhooks_pending().await.unwrap(), pending);
    assert_eq!(store.pending_webhooks_for_ticket(one.id).await.unwrap(), waiting);
    clock.advance(Duration::from_secs(3_600));
    let chains = e.claim_webhook_chains(64).await.unwrap();
    let retry: Vec<&WebhookChain> = chains.iter().filter(|c| c.subscription == all.id).collect();
    assert_eq!(retry.len(), 1);
    let kinds = types(retry[0]);
    assert_eq!(kinds.first(), Some(&EventType::TicketCreated), "the failed one first: {kinds:?}");
    assert!(kinds.contains(&EventType::StateChanged), "then the later ones: {kinds:?}");
    for chain in &chains {
        for job in &chain.jobs {
            let r = e.finish_webhook(job, WebhookOutcome::Delivered { status: 200, latency_ms: 1 }).await.unwrap();
            assert_eq!(r, WebhookResult::Delivered);
        }
    }
    assert_eq!(e.webhooks_pending().await.unwrap(), 0);
    assert!(store.pending_webhooks_for_ticket(one.id).await.unwrap().is_empty());
    assert!(store.pending_webhooks_for_ticket(two.id).await.unwrap().is_empty());
    let to_all = admin_deliveries(&e, &all.id).await;
    assert!(to_all.iter().all(|d| d.status == OutboxStatus::Sent && !d.recent_attempts.is_empty()));
}

async fn admin_deliveries(e: &Engine, id: &str) -> Vec<chamado::WebhookDelivery> {
    e.admin(&Actor::agent("admin")).await.unwrap().webhook_deliveries(id, None, 500).await.unwrap()
}
