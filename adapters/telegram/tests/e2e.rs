//! End to end against the Bot API stand-in, with the in-memory store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chamado::{
    Actor, AttachmentRef, ChannelKind, Clock, ContentHash, CustomerUser, DeliveryError, Engine, FixedClock,
    FollowUpPolicy, MemoryStore, NewArticle, Queue, Store, SystemClock, TicketUpdate,
};
use chamado_telegram::standin::{self, StandIn, TOKEN, ticket_number};
use chamado_telegram::{TelegramBot, TelegramConfig, TelegramError};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;

struct Harness {
    api: StandIn,
    engine: Engine,
    /// The engine's store, for checks on what it holds.
    store: Arc<MemoryStore>,
    bot: TelegramBot,
    clock: Arc<FixedClock>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), TelegramError>>>,
}

impl Harness {
    async fn start() -> Harness {
        let api = StandIn::start().await.unwrap();
        let clock = Arc::new(FixedClock::new(SystemClock.now()));
        let store = Arc::new(MemoryStore::new());
        let engine = Engine::builder_arc(store.clone()).clock(clock.clone()).build().unwrap();
        engine.seed_defaults("admin").await.unwrap();
        let mut config = TelegramConfig::new(TOKEN).with_api_url(&api.url);
        config.poll_timeout = Duration::from_secs(1);
        let bot = TelegramBot::new(engine.clone(), config).unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let runner = bot.clone();
        let task = tokio::spawn(async move {
            runner
                .run_polling(async {
                    let _ = rx.await;
                })
                .await
        });
        Harness { api, engine, store, bot, clock, stop: Some(tx), task: Some(task) }
    }

    /// Stops polling and starts it again on the same bot and engine, as a restarted process would.
    async fn restart(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task).await.unwrap().unwrap().unwrap();
        }
        let (tx, rx) = oneshot::channel::<()>();
        let runner = self.bot.clone();
        self.task = Some(tokio::spawn(async move {
            runner
                .run_polling(async {
                    let _ = rx.await;
                })
                .await
        }));
        self.stop = Some(tx);
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task).await.unwrap().unwrap().unwrap();
        }
    }

    async fn deliver(&self) -> chamado::DeliveryReport {
        self.engine.deliver_due(&[self.bot.channel()]).await.unwrap()
    }

    /// Opens a ticket as `user` with a plain message; returns its number.
    async fn open_ticket(&self, user: u64, text: &str) -> String {
        let before = self.api.sent_to(user).len();
        self.api.send_text(user, text);
        let texts = self.api.wait_count(user, before + 1).await.unwrap();
        let ack = &texts[before];
        assert!(ack.contains("opened"), "unexpected answer {ack:?}");
        ticket_number(ack).unwrap()
    }

    async fn articles(&self, login: &str, number: &str) -> Vec<chamado::Article> {
        self.engine.ticket(&Actor::customer(login), number).await.unwrap().articles
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_follow_up_agent_reply_list_and_redelivery() {
    let h = Harness::start().await;
    let user = 1001;

    h.api.send_text(user, "/start");
    let hello = h.api.wait_for(user, |t| t.contains("Hello")).await.unwrap();
    assert!(hello.contains("/tickets"));
    let login = "tg:1001";
    assert!(h.engine.customer_user_by_identity(login).await.unwrap().is_some());

    let number = h.open_ticket(user, "Printer broken\nIt jams on page 2").await;
    let follow = h.api.send_text(user, "Also the toner is empty");
    h.api.wait_for(user, |t| t.starts_with("Added to")).await.unwrap();
    let articles = h.articles(login, &number).await;
    assert_eq!(articles.len(), 2);
    let view = h.engine.ticket(&Actor::agent("admin"), &number).await.unwrap();
    assert_eq!(view.ticket.title, "Printer broken");
    assert_eq!(view.ticket.queue, "Raw");
    assert_eq!(view.ticket.channel, ChannelKind::Chat);
    assert_eq!(view.ticket.customer_user.as_deref(), Some(login));

    // The agent answers through the engine; the outbox sends it to the chat.
    h.engine.add_article(&Actor::agent("admin"), &number, NewArticle::reply("Please reseat the tray.")).await.unwrap();
    let report = h.deliver().await;
    assert_eq!(report.sent, 1, "{report:?}");
    let reply = h.api.wait_for(user, |t| t.contains("reseat")).await.unwrap();
    assert!(reply.starts_with(&format!("[Ticket#{number}]")), "{reply:?}");
    assert!(h.deliver().await.sent == 0, "never sent twice");

    // /tickets lists it.
    h.api.send_text(user, "/tickets");
    let list = h.api.wait_for(user, |t| t.starts_with("Your open tickets")).await.unwrap();
    assert!(list.contains(&number) && list.contains("Printer broken"), "{list}");

    // Telegram delivers the follow-up again: nothing is added.
    let n = h.api.sent_to(user).len();
    h.api.redeliver(&follow);
    h.api.send_text(user, "/help");
    h.api.wait_for(user, |t| t.starts_with("Write your question")).await.unwrap();
    assert_eq!(h.articles(login, &number).await.len(), 3, "two customer articles and the reply");
    // No acknowledgement for the duplicate.
    assert_eq!(h.api.sent_to(user).len(), n + 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_ticket_is_not_found() {
    let h = Harness::start().await;
    let number = h.open_ticket(2001, "My VPN is down").await;
    h.api.send_text(2002, &format!("/ticket {number}"));
    let answer = h.api.wait_for(2002, |_| true).await.unwrap();
    assert_eq!(answer, format!("Ticket {number} not found."));
    // The owner sees it.
    h.api.send_text(2001, &format!("/ticket {number}"));
    let shown = h.api.wait_for(2001, |t| t.contains("State:")).await.unwrap();
    assert!(shown.contains("My VPN is down"));
    // And /close closes it.
    h.api.send_text(2001, "/close");
    h.api.wait_for(2001, |t| t.contains("is closed")).await.unwrap();
    let t = h.engine.ticket(&Actor::agent("admin"), &number).await.unwrap().ticket;
    assert_eq!(t.state, "closed successful");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_command_and_reply_to_a_bot_message() {
    let h = Harness::start().await;
    let user = 3001;
    let first = h.open_ticket(user, "Laptop fan noise").await;
    let first_ack = h.api.sent().into_iter().find(|m| m["text"].as_str().unwrap().contains("opened")).unwrap();

    // /new <subject> waits for the body.
    h.api.send_text(user, "/new Email quota");
    h.api.wait_for(user, |t| t.contains("now send the description")).await.unwrap();
    h.api.send_text(user, "My mailbox is full");
    let ack = h.api.wait_for(user, |t| t.contains("opened") && !t.contains(&first)).await.unwrap();
    let second = ticket_number(&ack).unwrap();
    assert_ne!(first, second);
    let t2 = h.engine.ticket(&Actor::agent("admin"), &second).await.unwrap();
    assert_eq!(t2.ticket.title, "Email quota");
    assert_eq!(t2.articles[0].body, "My mailbox is full");

    // A reply to the bot's message about the first ticket goes there, not to the active second one.
    let mut reply = h.api.message(user, "It is getting louder");
    reply["reply_to_message"] = json!({
        "message_id": 1, "date": 1_764_000_000,
        "chat": {"id": user, "type": "private", "first_name": "U"},
        "from": {"id": standin::BOT_ID, "is_bot": true, "first_name": "Helpdesk", "username": standin::BOT_USERNAME},
        "text": first_ack["text"],
    });
    h.api.push("message", reply);
    h.api.wait_for(user, |t| t.starts_with("Added to") && t.contains(&first)).await.unwrap();
    assert_eq!(h.articles("tg:3001", &first).await.len(), 2);
    assert_eq!(h.articles("tg:3001", &second).await.len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_is_honoured_and_long_replies_are_split_without_repeats() {
    let h = Harness::start().await;
    let user = 4001;
    let number = h.open_ticket(user, "Need the manual").await;
    let before = h.api.sent_to(user).len();

    // 429 on the first attempt: retried no earlier than retry_after.
    h.api.script_send(vec![Some((
        429,
        json!({"description": "Too Many Requests: retry after 120", "parameters": {"retry_after": 120}}),
    ))]);
    h.engine.add_article(&Actor::agent("admin"), &number, NewArticle::reply("Short answer")).await.unwrap();
    let r = h.deliver().await;
    assert_eq!((r.sent, r.retried), (0, 1), "{r:?}");
    let t = h.store.ticket_by_number(&number).await.unwrap().unwrap();
    let entry = h.store.outbox_for_ticket(t.id).await.unwrap().pop().unwrap();
    assert!(entry.next_attempt_at.0 >= h.clock.now().0 + 120_000, "retry_after honoured");
    h.clock.advance(Duration::from_secs(60));
    assert_eq!(h.deliver().await.sent, 0, "not before retry_after");
    h.clock.advance(Duration::from_secs(61));
    assert_eq!(h.deliver().await.sent, 1);
    assert_eq!(h.api.sent_to(user).len(), before + 1);

    // A 10 000-character reply goes out in parts, each tagged and within the limit; a 429 on the
    // second part makes the retry send only the parts not yet sent.
    let long: String = (0..1000).map(|i| format!("line {i:04}\n")).collect();
    h.api.script_send(vec![
        None,
        Some((429, json!({"description": "Too Many Requests: retry after 5", "parameters": {"retry_after": 5}}))),
    ]);
    h.engine.add_article(&Actor::agent("admin"), &number, NewArticle::reply(long.clone())).await.unwrap();
    let r = h.deliver().await;
    assert_eq!(r.retried, 1, "{r:?}");
    h.clock.advance(Duration::from_secs(3600));
    assert_eq!(h.deliver().await.sent, 1);
    let parts: Vec<String> = h.api.sent_to(user).split_off(before + 1);
    assert!(parts.len() >= 3, "{} parts", parts.len());
    for (i, p) in parts.iter().enumerate() {
        assert!(p.encode_utf16().count() <= 4096);
        assert!(p.starts_with(&format!("[Ticket#{number}] ({}/{})", i + 1, parts.len())), "{p:.40}");
    }
    for i in [0, 500, 999] {
        let line = format!("line {i:04}");
        assert_eq!(parts.iter().filter(|p| p.contains(&line)).count(), 1, "{line} exactly once");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_maps_bot_api_errors() {
    let h = Harness::start().await;
    let number = h.open_ticket(5001, "Hello").await;
    let t = h.store.ticket_by_number(&number).await.unwrap().unwrap();
    let delivery = chamado::Delivery {
        outbox_id: chamado::OutboxId(77),
        channel: ChannelKind::Chat,
        recipient: "5001".into(),
        recipient_name: String::new(),
        ticket_number: t.number.clone(),
        subject: String::new(),
        body: "hi".into(),
        attachments: Vec::new(),
        from: String::new(),
        from_name: "Agent".into(),
        message_id: None,
        in_reply_to: None,
        references: Vec::new(),
        auto_response: false,
        notification: None,
        attempt: 0,
    };
    let ch = h.bot.channel();
    h.api.script_send(vec![Some((
        429,
        json!({"description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}}),
    ))]);
    match ch.deliver(&delivery).await {
        Err(DeliveryError::Temporary { retry_after, .. }) => assert_eq!(retry_after, Some(Duration::from_secs(7))),
        other => panic!("{other:?}"),
    }
    h.api.script_send(vec![Some((403, json!({"description": "Forbidden: bot was blocked by the user"})))]);
    assert!(matches!(ch.deliver(&delivery).await, Err(DeliveryError::Permanent(_))));
    let bad = chamado::Delivery { recipient: "not-a-chat".into(), ..delivery.clone() };
    assert!(matches!(ch.deliver(&bad).await, Err(DeliveryError::Permanent(_))));
    assert!(ch.deliver(&delivery).await.unwrap().is_some(), "receipt is the message id");
    h.stop().await;

    // Network down: temporary, and the token does not leak into the error.
    let config = TelegramConfig::new(TOKEN).with_api_url("http://127.0.0.1:9");
    let offline = TelegramBot::new(h_engine().await, config).unwrap();
    match offline.channel().deliver(&delivery).await {
        Err(DeliveryError::Temporary { message, .. }) => assert!(!message.contains(TOKEN), "{message}"),
        other => panic!("{other:?}"),
    }
}

async fn h_engine() -> Engine {
    let engine = Engine::builder(MemoryStore::new()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    engine
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_fails_at_start() {
    let api = StandIn::start().await.unwrap();
    let bot = TelegramBot::new(h_engine().await, TelegramConfig::new("123:WRONG").with_api_url(&api.url)).unwrap();
    let err = bot.run_polling(std::future::pending::<()>()).await.unwrap_err();
    assert!(matches!(err, TelegramError::InvalidToken), "{err:?}");
    assert!(err.to_string().contains("bot token"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_and_document_become_attachments() {
    let h = Harness::start().await;
    let user = 6001;
    h.api.add_file("photo-big", "photos/file_1.jpg", b"\xFF\xD8\xFFjpeg-bytes");
    h.api.add_file("doc-1", "documents/file_2.pdf", b"%PDF-1.4 test");
    let mut photo = h.api.message(user, "");
    photo.as_object_mut().unwrap().remove("text");
    photo["caption"] = json!("Screen shows error 42");
    photo["photo"] = json!([
        {"file_id": "photo-small", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 100},
        {"file_id": "photo-big", "file_unique_id": "b", "width": 1280, "height": 960, "file_size": 13},
    ]);
    h.api.push("message", photo);
    let ack = h.api.wait_for(user, |t| t.contains("opened")).await.unwrap();
    let number = ticket_number(&ack).unwrap();
    let mut doc = h.api.message(user, "");
    doc.as_object_mut().unwrap().remove("text");
    doc["document"] = json!({"file_id": "doc-1", "file_unique_id": "d", "file_name": "report.pdf", "mime_type": "application/pdf", "file_size": 13});
    h.api.push("message", doc);
    h.api.wait_for(user, |t| t.starts_with("Added to")).await.unwrap();

    let articles = h.articles("tg:6001", &number).await;
    assert_eq!(articles[0].body, "Screen shows error 42");
    assert_eq!(h.engine.ticket(&Actor::agent("admin"), &number).await.unwrap().ticket.title, "Screen shows error 42");
    assert_eq!(articles[0].attachments.len(), 1);
    let admin = Actor::agent("admin");
    let file = |article: usize| {
        let (engine, number, id, admin) = (h.engine.clone(), number.clone(), articles[article].id, admin.clone());
        async move { engine.attachment(&admin, &number, id, AttachmentRef::Index(0)).await.unwrap().data }
    };
    assert_eq!(file(0).await, b"\xFF\xD8\xFFjpeg-bytes");
    assert_eq!(articles[0].attachments[0].content_type, "image/jpeg");
    assert_eq!(articles[1].body, "(report.pdf)");
    assert_eq!(articles[1].attachments[0].name, "report.pdf");
    assert_eq!(articles[1].attachments[0].content_type, "application/pdf");
    assert_eq!(file(1).await, b"%PDF-1.4 test");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_stickers_and_unknown_commands() {
    let h = Harness::start().await;
    let user = 7001;
    let edited = h.api.message(user, "edited text");
    h.api.push("edited_message", edited);
    let mut sticker = h.api.message(user, "");
    sticker.as_object_mut().unwrap().remove("text");
    sticker["sticker"] = json!({"file_id": "st", "file_unique_id": "stu", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false});
    h.api.push("message", sticker);
    h.api.send_text(user, "/frobnicate");
    let answer = h.api.wait_for(user, |_| true).await.unwrap();
    assert!(answer.starts_with("I don't know the command /frobnicate"), "{answer}");
    assert!(answer.contains("/tickets"));
    assert_eq!(h.api.sent_to(user).len(), 1, "edits and stickers get no answer");
    assert!(h.engine.customer_user_by_identity("tg:7001").await.unwrap().is_none(), "nothing reached the engine");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_follow_up_is_explained() {
    let h = Harness::start().await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    admin.put_queue(Queue::new("Raw", "users", FollowUpPolicy::Reject)).await.unwrap();
    let user = 8001;
    let number = h.open_ticket(user, "Old problem").await;
    h.engine.update_ticket(&Actor::agent("admin"), &number, TicketUpdate::state("closed successful")).await.unwrap();
    h.api.send_text(user, "It is back");
    let answer = h.api.wait_for(user, |t| t.starts_with("Your message was not added")).await.unwrap();
    assert!(answer.contains(&number), "{answer}");
    // The next message opens a new ticket.
    h.api.send_text(user, "It is back, really");
    let ack = h.api.wait_for(user, |t| t.contains("opened") && !t.contains(&number)).await.unwrap();
    assert_ne!(ticket_number(&ack).unwrap(), number);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_code_binds_an_existing_customer_user() {
    let h = Harness::start().await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    admin.put_customer(chamado::Customer::new("acme", "Acme")).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let user = 9001;
    // Alice first talked to the bot before linking: an auto-created user holds the identity.
    h.api.send_text(user, "/start");
    h.api.wait_for(user, |t| t.contains("Hello")).await.unwrap();
    let code = h.bot.issue_link_code("alice").await.unwrap();
    h.api.send_text(user, &format!("/link {}", code.code.to_lowercase()));
    h.api.wait_for(user, |t| t.starts_with("Linked")).await.unwrap();
    let bound = h.engine.customer_user_by_identity("tg:9001").await.unwrap().unwrap();
    assert_eq!(bound.login, "alice");
    let number = h.open_ticket(user, "Invoice question").await;
    let t = h.engine.ticket(&Actor::customer("alice"), &number).await.unwrap().ticket;
    assert_eq!(t.customer_id.as_deref(), Some("acme"));
    // The code is single use.
    h.api.send_text(9002, &format!("/start {}", code.code));
    h.api.wait_for(9002, |t| t.contains("unknown, used or expired")).await.unwrap();
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_api_failures_are_retried_without_losing_updates() {
    let h = Harness::start().await;
    let user = 10_001;
    let limited = json!({"description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}});
    h.api.script("getupdates", vec![Some((429, limited.clone()))]);
    h.api.script("getfile", vec![Some((429, limited))]);
    h.api.add_file("p1", "photos/p1.jpg", b"jpeg");
    let mut photo = h.api.message(user, "");
    photo.as_object_mut().unwrap().remove("text");
    photo["caption"] = json!("Broken screen");
    photo["photo"] = json!([{"file_id": "p1", "file_unique_id": "p1u", "width": 10, "height": 10, "file_size": 4}]);
    h.api.push("message", photo);
    let ack = h.api.wait_for(user, |t| t.contains("opened")).await.unwrap();
    let number = ticket_number(&ack).unwrap();
    let articles = h.articles("tg:10001", &number).await;
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].attachments[0].sha256, ContentHash::of(b"jpeg"), "the update was retried, not dropped");
    assert!(h.api.calls().iter().filter(|c| *c == "getfile").count() >= 2);

    // A file Telegram refuses is reported; the text is still taken.
    let mut doc = h.api.message(user, "");
    doc.as_object_mut().unwrap().remove("text");
    doc["caption"] = json!("Here is the log");
    doc["document"] = json!({"file_id": "gone", "file_unique_id": "g", "file_name": "log.txt", "file_size": 3});
    h.api.push("message", doc);
    h.api.wait_for(user, |t| t.contains("could not be fetched")).await.unwrap();
    h.api.wait_for(user, |t| t.starts_with("Added to")).await.unwrap();
    let articles = h.articles("tg:10001", &number).await;
    assert_eq!(articles[1].body, "Here is the log");
    assert!(articles[1].attachments.is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_attachments_go_out_as_documents() {
    let h = Harness::start().await;
    let number = h.open_ticket(11_001, "Need the manual").await;
    let mut reply = NewArticle::reply("Here it is.");
    reply.attachments.push(chamado::Attachment {
        name: "manual.pdf".into(),
        content_type: "application/pdf".into(),
        inline: false,
        data: b"%PDF-manual".to_vec(),
    });
    h.engine.add_article(&Actor::agent("admin"), &number, reply).await.unwrap();
    assert_eq!(h.deliver().await.sent, 1);
    h.api.wait_for(11_001, |t| t.contains("Here it is.")).await.unwrap();
    let docs = h.api.documents();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].contains("manual.pdf") && docs[0].contains("%PDF-manual"));
    assert!(docs[0].contains(&format!("[Ticket#{number}]")), "the caption names the ticket");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_codes_expire() {
    let h = Harness::start().await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    admin.put_customer_user(CustomerUser::new("bob", "bob@example.com", "")).await.unwrap();
    let code = h.bot.issue_link_code("bob").await.unwrap();
    assert!(h.bot.issue_link_code("nobody").await.is_err());
    h.clock.advance(Duration::from_secs(16 * 60));
    h.api.send_text(12_001, &format!("/start {}", code.code));
    h.api.wait_for(12_001, |t| t.contains("unknown, used or expired")).await.unwrap();
    assert!(h.engine.customer_user_by_identity("tg:12001").await.unwrap().is_none());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_handled_before_a_restart_are_not_handled_again() {
    let mut h = Harness::start().await;
    let user = 13001;
    let help = h.api.send_text(user, "/help");
    h.api.wait_for(user, |t| t.starts_with("Write your question")).await.unwrap();
    h.restart().await;
    // Telegram sends the handled update again (as after a stop before it was confirmed), then a new one.
    h.api.redeliver(&help);
    h.api.send_text(user, "/help");
    h.api.wait_count(user, 2).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answers = h.api.sent_to(user);
    assert_eq!(answers.len(), 2, "the redelivered update is not answered again: {answers:?}");
    h.stop().await;
}

/// Waits until the bot registered at least `n` command menus.
async fn wait_for_menus(api: &StandIn, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..200 {
        let menus = api.my_commands();
        if menus.len() >= n {
            return menus;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} setMyCommands calls: {:?}", api.my_commands());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_menu_is_registered_in_every_language() {
    let h = Harness::start().await;
    let menus = wait_for_menus(&h.api, 2).await;
    assert_eq!(menus.len(), 2, "once per language: {menus:?}");
    // The default list, for apps in languages without one of their own, is in English.
    assert!(menus[0].get("language_code").is_none(), "{:?}", menus[0]);
    let names = |m: &serde_json::Value| -> Vec<String> {
        m["commands"].as_array().unwrap().iter().map(|c| c["command"].as_str().unwrap().to_string()).collect()
    };
    let description = |m: &serde_json::Value, name: &str| -> String {
        let c = m["commands"].as_array().unwrap().iter().find(|c| c["command"] == name).unwrap();
        c["description"].as_str().unwrap().to_string()
    };
    assert_eq!(names(&menus[0]), ["new", "tickets", "ticket", "close", "link", "language", "help"]);
    assert_eq!(description(&menus[0], "new"), "open a ticket");
    assert_eq!(description(&menus[0], "close"), "close the active ticket");
    // Telegram apps set to Portuguese get Portuguese descriptions, under the two-letter code.
    assert_eq!(menus[1]["language_code"], "pt");
    assert_eq!(names(&menus[1]), names(&menus[0]));
    assert_eq!(description(&menus[1], "new"), "abrir um chamado");
    assert_eq!(description(&menus[1], "tickets"), "seus chamados abertos");
    assert_eq!(description(&menus[1], "help"), "ajuda");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portuguese_telegram_app_gets_portuguese_answers() {
    let h = Harness::start().await;
    let user = 13001;
    h.api.send_text_in(user, "/start", "pt-br");
    let hello = h.api.wait_for(user, |t| t.starts_with("Olá")).await.unwrap();
    assert!(hello.contains("/new <assunto> - abrir um novo chamado"), "{hello}");
    h.api.send_text_in(user, "Impressora quebrada\nTrava na página 2", "pt-br");
    let ack = h.api.wait_for(user, |t| t.contains("aberto:")).await.unwrap();
    assert!(ack.contains("Suas próximas mensagens aqui vão para este chamado."), "{ack}");
    let number = ticket_number(&ack).unwrap();
    h.api.send_text_in(user, "/tickets", "pt");
    let list = h.api.wait_for(user, |t| t.starts_with("Seus chamados abertos:")).await.unwrap();
    assert!(list.contains(&number) && list.contains("Impressora quebrada") && list.contains("(ativo)"), "{list}");
    h.api.send_text_in(user, "/close", "pt-br");
    let closed = h.api.wait_for(user, |t| t.contains("foi fechado")).await.unwrap();
    assert!(closed.contains("(fechado com êxito)"), "the state is named in Portuguese too: {closed}");
    h.api.send_text_in(user, "/frobnicate", "pt-br");
    h.api.wait_for(user, |t| t.starts_with("Não conheço o comando /frobnicate")).await.unwrap();
    // A language the bot does not speak falls back to the system's (English).
    h.api.send_text_in(13002, "/help", "de");
    h.api.wait_for(13002, |t| t.starts_with("Write your question")).await.unwrap();
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_users_own_language_wins_over_the_app() {
    let h = Harness::start().await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    admin.put_customer(chamado::Customer::new("acme", "Acme")).await.unwrap();
    let mut bob = CustomerUser::new("bob", "bob@acme.example", "acme");
    bob.language = Some("en".into());
    admin.put_customer_user(bob).await.unwrap();
    let user = 14001;
    // Before linking, the app's language.
    h.api.send_text_in(user, "/link NOPE", "pt-br");
    h.api.wait_for(user, |t| t.starts_with("Este código de vinculação é desconhecido")).await.unwrap();
    // Linked to Bob, whose own language is English: the confirmation is already in English.
    let code = h.bot.issue_link_code("bob").await.unwrap();
    h.api.send_text_in(user, &format!("/link {}", code.code), "pt-br");
    h.api.wait_for(user, |t| t.starts_with("Linked: you now write as")).await.unwrap();
    h.api.send_text_in(user, "/help", "pt-br");
    h.api.wait_for(user, |t| t.starts_with("Write your question")).await.unwrap();

    // Bob chooses Portuguese with /language; his Telegram app says English.
    h.api.send_text_in(user, "/language klingon", "en");
    h.api.wait_for(user, |t| t.starts_with("I don't speak \"klingon\"")).await.unwrap();
    h.api.send_text_in(user, "/language pt_BR", "en");
    let done = h.api.wait_for(user, |t| t.starts_with("Pronto:")).await.unwrap();
    assert!(done.contains("Português (Brasil)"), "{done}");
    let stored = h.engine.customer_user("bob").await.unwrap().unwrap();
    assert_eq!(stored.language.as_deref(), Some("pt-BR"));
    h.api.send_text_in(user, "/help", "en");
    h.api.wait_for(user, |t| t.starts_with("Escreva sua dúvida")).await.unwrap();
    // `auto` follows the app again.
    h.api.send_text_in(user, "/language auto", "en");
    h.api.wait_for(user, |t| t.starts_with("Done: I answer you in the language of your Telegram app")).await.unwrap();
    assert_eq!(h.engine.customer_user("bob").await.unwrap().unwrap().language, None);
    h.api.send_text_in(user, "/language", "en");
    h.api.wait_for(user, |t| t.starts_with("I answer you in English.")).await.unwrap();
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_file_is_explained_in_the_users_language() {
    let h = Harness::start().await;
    let user = 15001;
    let too_large = h.bot.config().max_attachment_bytes + 1;
    let mut doc = h.api.message(user, "");
    doc.as_object_mut().unwrap().remove("text");
    doc["from"]["language_code"] = json!("pt-br");
    doc["document"] =
        json!({"file_id": "huge", "file_unique_id": "h", "file_name": "dump.bin", "file_size": too_large});
    h.api.push("message", doc);
    let answer = h.api.wait_for(user, |t| t.starts_with("O arquivo dump.bin é grande demais")).await.unwrap();
    assert!(answer.contains(&format!("({too_large} bytes;")), "{answer}");
    // Without text, nothing else happens: no ticket was opened for the refused file alone.
    h.api.send_text_in(user, "/tickets", "pt-br");
    h.api.wait_for(user, |t| t.starts_with("Você ainda não tem chamados")).await.unwrap();
    assert_eq!(h.api.sent_to(user).len(), 2, "{:?}", h.api.sent_to(user));
    h.stop().await;
}

/// An agent with a name and a language of their own.
async fn put_agent(h: &Harness, login: &str, language: Option<&str>) {
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    let mut agent = chamado::Agent::new(login);
    agent.first_name = "Ana".into();
    agent.last_name = "Souza".into();
    agent.language = language.map(str::to_string);
    admin.put_agent(agent).await.unwrap();
}

/// A notification as the engine's outbox hands it to the channel, for the chat `chat`.
fn notification(chat: &str, number: &str, body: &str) -> chamado::Delivery {
    chamado::Delivery {
        outbox_id: chamado::OutboxId(501),
        channel: ChannelKind::Chat,
        recipient: chat.into(),
        recipient_name: "Ana Souza".into(),
        ticket_number: number.into(),
        subject: format!("[Ticket#{number}] New reply: Printer broken"),
        body: body.into(),
        attachments: Vec::new(),
        from: "support@example.com".into(),
        from_name: "Support".into(),
        message_id: None,
        in_reply_to: None,
        references: Vec::new(),
        auto_response: false,
        notification: Some(chamado::NotificationKind::FollowUp),
        attempt: 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_code_links_the_chat_where_notifications_then_arrive() {
    let h = Harness::start().await;
    put_agent(&h, "ana", Some("pt-BR")).await;
    let chat = 16_001;
    let code = h.bot.issue_agent_link_code("ana").await.unwrap();
    // Typed in small letters, from a Telegram app in English: the answer is in Ana's own language.
    h.api.send_text_in(chat, &format!("/link {}", code.code.to_lowercase()), "en");
    let answer = h.api.wait_for(chat, |_| true).await.unwrap();
    assert!(answer.starts_with("Vinculado: este chat agora recebe as notificações de Ana Souza (ana)."), "{answer}");
    let ana = h.engine.agent("ana").await.unwrap().unwrap();
    assert_eq!(ana.telegram_chat.as_deref(), Some("16001"));
    assert!(
        h.engine.customer_user_by_identity("tg:16001").await.unwrap().is_none(),
        "an agent's code binds no customer user"
    );
    // The code is used up: once more, it is no one's.
    h.api.send_text(16_002, &format!("/link {}", code.code));
    h.api.wait_for(16_002, |t| t.contains("unknown, used or expired")).await.unwrap();
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat.as_deref(), Some("16001"));

    // A notification for Ana goes to that chat: its subject line, then its text; nothing else.
    let ch = h.bot.channel();
    let number = "2026120610000017";
    let d = notification(ana.telegram_chat.as_deref().unwrap(), number, "Alice wrote:\nIt jams again.");
    let receipt = ch.deliver(&d).await.unwrap();
    assert!(receipt.is_some(), "the message id is the receipt");
    let sent = h.api.wait_count(chat, 2).await.unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1], format!("[Ticket#{number}] New reply: Printer broken\n\nAlice wrote:\nIt jams again."));

    // A long one is split: counted parts within the limit, each after the first tagged, nothing lost
    // or repeated.
    let long: String = (0..1000).map(|i| format!("line {i:04}\n")).collect();
    let d = chamado::Delivery { outbox_id: chamado::OutboxId(502), ..notification("16001", number, &long) };
    ch.deliver(&d).await.unwrap();
    let parts: Vec<String> = h.api.sent_to(chat).split_off(2);
    assert!(parts.len() >= 3, "{} parts", parts.len());
    assert!(parts[0].starts_with(&format!("(1/{}) [Ticket#{number}] New reply", parts.len())), "{:.60}", parts[0]);
    for (i, p) in parts.iter().enumerate().skip(1) {
        assert!(p.starts_with(&format!("[Ticket#{number}] ({}/{})", i + 1, parts.len())), "{p:.40}");
    }
    for p in &parts {
        assert!(p.encode_utf16().count() <= 4096);
    }
    for i in [0, 500, 999] {
        let line = format!("line {i:04}");
        assert_eq!(parts.iter().filter(|p| p.contains(&line)).count(), 1, "{line} exactly once");
    }

    // What Ana writes in that chat is not a customer's message: no ticket, no customer user, an answer
    // pointing to the console (in her language).
    let before = h.api.sent_to(chat).len();
    h.api.send_text_in(chat, "Vou verificar a impressora", "en");
    let answer = h.api.wait_count(chat, before + 1).await.unwrap().pop().unwrap();
    assert!(answer.starts_with("Este chat recebe as suas notificações de atendente"), "{answer}");
    assert!(h.engine.customer_user_by_identity("tg:16001").await.unwrap().is_none(), "no customer user made");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_codes_still_link_customers_and_agent_codes_need_a_private_chat() {
    let h = Harness::start().await;
    put_agent(&h, "ana", None).await;
    let admin = h.engine.admin(&Actor::System).await.unwrap();
    admin.put_customer_user(CustomerUser::new("carol", "carol@example.com", "")).await.unwrap();

    // A customer user's code, tried as an agent's first, still links the customer user.
    let code = h.bot.issue_link_code("carol").await.unwrap();
    h.api.send_text(17_001, &format!("/link {}", code.code));
    h.api.wait_for(17_001, |t| t.starts_with("Linked: you now write as")).await.unwrap();
    assert_eq!(h.engine.customer_user_by_identity("tg:17001").await.unwrap().unwrap().login, "carol");
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat, None);

    // An agent's code in a group chat links nothing: notifications never go to a group.
    let agent_code = h.bot.issue_agent_link_code("ana").await.unwrap();
    let group: i64 = -100_200;
    let mut in_group = h.api.message(17_002, &format!("/link {}", agent_code.code));
    in_group["chat"] = json!({"id": group, "type": "group", "title": "Support team"});
    h.api.push("message", in_group);
    let to_group = |api: &StandIn| -> Vec<String> {
        api.sent()
            .into_iter()
            .filter(|m| m["chat_id"].as_i64() == Some(group))
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // Updates are handled one at a time, in order: once the next one is answered, so is this one.
    h.api.send_text(17_002, "/help");
    h.api.wait_for(17_002, |t| t.starts_with("Write your question")).await.unwrap();
    let answer = to_group(&h.api).pop().expect("an answer in the group");
    assert!(answer.contains("unknown, used or expired"), "{answer}");
    assert!(answer.contains("only in a private chat"), "{answer}");
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat, None);
    // The code was not used up: in a private chat it links.
    h.api.send_text(17_002, &format!("/start {}", agent_code.code));
    h.api
        .wait_for(17_002, |t| t.starts_with("Linked: this chat now receives the notifications of Ana Souza"))
        .await
        .unwrap();
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat.as_deref(), Some("17002"));

    // Codes of another maker, with small letters, link as typed.
    h.engine.issue_agent_link_code("telegram", "ana", "abc123XYZ", Duration::from_secs(900)).await.unwrap();
    h.api.send_text(17_003, "/link abc123XYZ");
    h.api.wait_for(17_003, |t| t.starts_with("Linked: this chat")).await.unwrap();
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat.as_deref(), Some("17003"));

    // An agent who became invalid after the code was issued: refused, nothing linked.
    let code = h.bot.issue_agent_link_code("ana").await.unwrap();
    let mut ana = h.engine.agent("ana").await.unwrap().unwrap();
    ana.valid = false;
    admin.put_agent(ana).await.unwrap();
    h.api.send_text(17_004, &format!("/link {}", code.code));
    h.api.wait_for(17_004, |t| t.starts_with("The account this code belongs to cannot be used")).await.unwrap();
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat.as_deref(), Some("17003"));
    h.stop().await;
}
