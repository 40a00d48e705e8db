//! The smallest host: the engine on a store, the host kit's timers (no HTTP), a channel that prints what
//! it would send, one ticket from open to closed. `cargo run --release --example embed` (memory store)
//! or `-- --redb /tmp/desk.redb`.
use chamado::*;
use chamado_runtime::{Shutdown, TimerEvent, Timers, first_start, spawn_timers};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// A channel that prints outbound articles instead of mailing them, and says when it did.
struct Printer(Arc<Notify>);

#[async_trait::async_trait]
impl Channel for Printer {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> Result<Option<String>, DeliveryError> {
        println!("to {}: {}\n{}\n", d.recipient, d.subject, d.body);
        self.0.notify_one();
        Ok(None)
    }
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let store: Arc<dyn Store> = match args.iter().position(|a| a == "--redb") {
        Some(i) => Arc::new(chamado_redb::RedbStore::open(args.get(i + 1).ok_or("--redb needs a file")?)?),
        None => Arc::new(MemoryStore::new()),
    };
    let engine = Engine::builder_arc(store).build()?;
    first_start(&engine, "admin").await?;
    // The outbox is delivered by the kit's timer, as in any host; fast here so the example is quick.
    let printed = Arc::new(Notify::new());
    let channels = vec![Arc::new(Printer(printed.clone())) as Arc<dyn Channel>];
    let timers = Timers { deliver_every: Duration::from_millis(50), ..Timers::default() };
    let shutdown = Shutdown::new();
    let background = spawn_timers(engine.clone(), channels, timers, shutdown.subscribe(), |e| {
        if let TimerEvent::Failed(why) = e {
            eprintln!("background round failed: {why}");
        }
    });
    let admin = engine.admin(&Actor::System).await?;
    admin.put_customer(Customer::new("acme", "Acme Inc.")).await?;
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await?;

    // A customer opens a ticket, an agent answers and closes it.
    let alice = Actor::customer("alice");
    let agent = Actor::agent("admin");
    let opened = engine.create_ticket(&alice, NewTicket::new("Printer jams", "Tray 2 jams.", "Raw")).await?;
    let number = opened.ticket.number;
    println!("opened ticket {number}");
    engine.add_article(&agent, &number, NewArticle::reply("Replaced the roller.")).await?;
    tokio::time::timeout(Duration::from_secs(10), printed.notified()).await?;
    let closed = engine.update_ticket(&agent, &number, TicketUpdate::state("closed successful")).await?;
    println!("ticket {number} is {}", closed.state);
    // A real host calls `shutdown.stop_on_signal()`; the timers finish their round and return.
    shutdown.stop();
    background.await?;
    Ok(())
}
