//! The smallest host: the engine on a store, a channel that prints what it would send, one ticket from
//! open to closed. `cargo run --release --example embed` (memory store) or `-- --redb /tmp/desk.redb`.
use chamado::*;
use std::sync::Arc;

/// A channel that prints outbound articles instead of mailing them.
struct Printer;

#[async_trait::async_trait]
impl Channel for Printer {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, d: &Delivery) -> Result<Option<String>, DeliveryError> {
        println!("to {}: {}\n{}\n", d.recipient, d.subject, d.body);
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
    engine.seed_defaults("admin").await?;
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
    engine.deliver_due(&[Arc::new(Printer) as Arc<dyn Channel>]).await?;
    let closed = engine.update_ticket(&agent, &number, TicketUpdate::state("closed successful")).await?;
    println!("ticket {number} is {}", closed.state);
    Ok(())
}
