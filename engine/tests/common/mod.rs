//! A seeded help desk on the memory store with a fixed clock, shared by the engine's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chamado::*;
use std::sync::{Arc, Mutex};

/// 2026-11-27T10:00:00Z
pub const T0: i64 = 1_795_773_600_000;

pub struct Desk {
    pub engine: Engine,
    /// The engine's store, for checks on what it holds.
    pub store: Arc<dyn Store>,
    pub clock: Arc<FixedClock>,
    pub events: Arc<Mutex<Vec<Event>>>,
}

pub fn block<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

pub fn alice() -> Actor {
    Actor::customer("alice")
}
pub fn bob() -> Actor {
    Actor::customer("bob")
}
pub fn carol() -> Actor {
    Actor::customer("carol")
}
pub fn admin() -> Actor {
    Actor::agent("admin")
}

pub fn desk() -> Desk {
    desk_with(EngineConfig::default())
}

/// Customers acme (alice, bob) and globex (carol); agents admin (rw users+admin), ro_agent (ro users),
/// noter (note users), mover (move_into on group sales); queue Sales (group sales), queue Closed (reject),
/// queue Fresh (new_ticket); services IT and IT::Email; default service IT.
pub fn desk_with(config: EngineConfig) -> Desk {
    let clock = Arc::new(FixedClock::new(Timestamp(T0)));
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let engine = Engine::builder_arc(store.clone()).clock(clock.clone()).config(config).build().unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    engine.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    block(async {
        assert!(engine.seed_defaults("admin").await.unwrap());
        let a = engine.admin(&Actor::System).await.unwrap();
        a.put_customer(Customer::new("acme", "Acme")).await.unwrap();
        a.put_customer(Customer::new("globex", "Globex")).await.unwrap();
        let mut alice = CustomerUser::new("alice", "alice@acme.example", "acme");
        alice.first_name = "Alice".into();
        a.put_customer_user(alice).await.unwrap();
        a.put_customer_user(CustomerUser::new("bob", "bob@acme.example", "acme")).await.unwrap();
        a.put_customer_user(CustomerUser::new("carol", "carol@globex.example", "globex")).await.unwrap();
        a.put_group(Group::new("sales")).await.unwrap();
        a.put_queue(Queue::new("Sales", "sales", FollowUpPolicy::Possible)).await.unwrap();
        a.put_queue(Queue::new("Closed", "users", FollowUpPolicy::Reject)).await.unwrap();
        a.put_queue(Queue::new("Fresh", "users", FollowUpPolicy::NewTicket)).await.unwrap();
        a.put_service(Service::new("IT")).await.unwrap();
        a.put_service(Service::new("IT::Email")).await.unwrap();
        a.grant(Grant::service(GrantSubject::DefaultCustomerUsers, "IT")).await.unwrap();
        for (login, group, perms) in [
            ("ro_agent", "users", vec![Permission::Ro]),
            ("noter", "users", vec![Permission::Ro, Permission::Note]),
            ("mover", "sales", vec![Permission::MoveInto]),
        ] {
            a.put_agent(Agent::new(login)).await.unwrap();
            a.grant(Grant::group(GrantSubject::Agent(login.into()), group, PermissionSet::of(&perms))).await.unwrap();
        }
    });
    Desk { engine, store, clock, events }
}

pub fn email(from: &str, subject: &str, body: &str, message_id: &str) -> InboundMessage {
    let mut m = InboundMessage::new(
        ChannelKind::Email,
        Sender::Email { address: from.into(), name: None, reply_to: None },
        subject,
        body,
    );
    m.external_id = Some(message_id.into());
    // Mail in these tests stands for mail whose sender the channel verified; tests of the
    // sender-authentication policy use `unverified_email`.
    m.sender_auth = Some(SenderAuth { dmarc: AuthResult::Pass, verified_by: "test".into(), ..Default::default() });
    m
}

/// A mail whose sender nothing verified (a forged `From` looks like this).
#[allow(dead_code)]
pub fn unverified_email(from: &str, subject: &str, body: &str, message_id: &str) -> InboundMessage {
    let mut m = email(from, subject, body, message_id);
    m.sender_auth = None;
    m
}

impl Desk {
    pub fn open(&self, who: &Actor, title: &str, queue: &str) -> TicketView {
        block(self.engine.create_ticket(who, NewTicket::new(title, "body text", queue))).unwrap()
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }
}
