//! A seeded engine on a memory store with a clock the test moves, and a channel that records.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{
    Actor, Channel, ChannelKind, Customer, CustomerUser, Delivery, DeliveryError, Engine, FixedClock, MemoryStore,
    NewArticle, NewTicket, Timestamp,
};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The engine and its clock.
pub struct Desk {
    pub engine: Engine,
    pub clock: Arc<FixedClock>,
}

/// A seeded engine with customer user `alice` (who has a mail address, so replies go out).
pub async fn desk() -> Desk {
    let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(1_795_819_072)));
    let engine = Engine::builder(MemoryStore::new()).clock(clock.clone()).build().unwrap();
    assert!(chamado_runtime::first_start(&engine, "admin").await.unwrap(), "an empty store is seeded");
    assert!(!chamado_runtime::first_start(&engine, "admin").await.unwrap(), "and only once");
    let admin = engine.admin(&Actor::System).await.unwrap();
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    Desk { engine, clock }
}

impl Desk {
    /// A ticket alice opened and the agent answered: one mail waits in the outbox. Returns its number.
    pub async fn answered_ticket(&self) -> String {
        let opened = self
            .engine
            .create_ticket(&Actor::customer("alice"), NewTicket::new("Printer jams", "Tray 2 jams.", "Raw"))
            .await
            .unwrap();
        let number = opened.ticket.number;
        self.engine
            .add_article(&Actor::agent("admin"), &number, NewArticle::reply("Replaced the roller."))
            .await
            .unwrap();
        number
    }
}

/// A mail channel that records what it delivers; with a gate, each delivery first waits for a permit.
pub struct Recorder {
    pub sent: Mutex<Vec<String>>,
    pub gate: Option<Arc<Semaphore>>,
    pub entered: Arc<Semaphore>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder { sent: Mutex::default(), gate: None, entered: Arc::new(Semaphore::new(0)) }
    }
}

impl Recorder {
    /// A recorder whose deliveries wait for `gate` permits; each signals `entered` on arrival.
    pub fn gated(gate: Arc<Semaphore>) -> Self {
        Recorder { sent: Mutex::default(), gate: Some(gate), entered: Arc::new(Semaphore::new(0)) }
    }

    pub fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

#[async_trait::async_trait]
impl Channel for Recorder {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> Result<Option<String>, DeliveryError> {
        self.entered.add_permits(1);
        if let Some(gate) = &self.gate {
            gate.acquire().await.unwrap().forget();
        }
        self.sent.lock().unwrap().push(d.recipient.clone());
        Ok(None)
    }
}
