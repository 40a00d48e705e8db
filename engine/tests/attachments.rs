//! Files of articles through the engine: stored once, served only to who may see the article, limited
//! per article, and sent out with replies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use async_trait::async_trait;
use chamado::*;
use common::*;
use std::sync::{Arc, Mutex};

fn file(name: &str, data: &[u8]) -> Attachment {
    Attachment { name: name.into(), content_type: "image/png".into(), inline: false, data: data.to_vec() }
}

fn with_files(mut new: NewArticle, files: &[(&str, &[u8])]) -> NewArticle {
    new.attachments = files.iter().map(|(n, d)| file(n, d)).collect();
    new
}

/// Alice's ticket with a screenshot, an agent's reply with a file and an internal note with one.
fn ticket_with_three_files(d: &Desk) -> (String, [ArticleId; 3]) {
    block(async {
        let mut new = NewTicket::new("Printer", "See the screenshot.", "Raw");
        new.attachments.push(file("screen.png", b"PNG screenshot"));
        let view = d.engine.create_ticket(&alice(), new).await.unwrap();
        let number = view.ticket.number.clone();
        let reply = with_files(NewArticle::reply("Try this driver."), &[("driver.zip", b"ZIP")]);
        let reply = d.engine.add_article(&admin(), &number, reply).await.unwrap().article.id;
        let note = with_files(NewArticle::note("Internal: vendor quote."), &[("quote.pdf", b"PDF secret")]);
        let note = d.engine.add_article(&admin(), &number, note).await.unwrap().article.id;
        (number, [view.articles[0].id, reply, note])
    })
}

#[test]
fn agents_with_ro_get_every_file_customers_only_those_they_may_see() {
    let d = desk();
    let (number, [first, reply, note]) = ticket_with_three_files(&d);
    let get = |who: &Actor, article, which| block(d.engine.attachment(who, &number, article, which));
    for agent in [admin(), Actor::agent("ro_agent")] {
        assert_eq!(get(&agent, note, AttachmentRef::Index(0)).unwrap().data, b"PDF secret");
    }
    let f = get(&alice(), first, AttachmentRef::Index(0)).unwrap();
    assert_eq!((f.meta.name.as_str(), f.meta.size, f.data.as_slice()), ("screen.png", 14, &b"PNG screenshot"[..]));
    let by_hash = get(&alice(), reply, AttachmentRef::Hash(ContentHash::of(b"ZIP"))).unwrap();
    assert_eq!(by_hash.meta.name, "driver.zip");
    // The internal note's file is not found for the customer, exactly like a file that does not exist.
    for which in [AttachmentRef::Index(0), AttachmentRef::Hash(ContentHash::of(b"PDF secret"))] {
        assert!(matches!(get(&alice(), note, which), Err(Error::NotFound(_))), "{which:?}");
    }
    // A colleague of the same company sees the ticket (company tickets); another company's user does not.
    assert!(get(&bob(), first, AttachmentRef::Index(0)).is_ok());
    assert!(matches!(get(&carol(), first, AttachmentRef::Index(0)), Err(Error::NotFound(_))));
    assert!(matches!(get(&Actor::agent("mover"), first, AttachmentRef::Index(0)), Err(Error::NotFound(_))));
    assert!(matches!(get(&admin(), first, AttachmentRef::Index(1)), Err(Error::NotFound(_))));
    assert!(matches!(get(&admin(), ArticleId(999_999), AttachmentRef::Index(0)), Err(Error::NotFound(_))));
    let other = AttachmentRef::Hash(ContentHash::of(b"ZIP"));
    assert!(matches!(get(&admin(), first, other), Err(Error::NotFound(_))), "a hash of another article");
}

#[test]
fn the_same_file_on_many_tickets_is_stored_once() {
    let d = desk();
    block(async {
        for n in 0..4 {
            let mut new = NewTicket::new(format!("Mail {n}"), "With the logo.", "Raw");
            new.attachments =
                vec![file("logo.png", b"the logo"), file(&format!("doc{n}.txt"), format!("{n}").as_bytes())];
            d.engine.create_ticket(&alice(), new).await.unwrap();
        }
        assert_eq!(d.engine.stored_file_count().await.unwrap(), 5, "one logo, four documents");
    });
}

#[test]
fn limits_refuse_by_size_and_count_before_anything_is_stored() {
    let limits = AttachmentLimits { max_file_bytes: 8, max_article_bytes: 12, max_count: 2 };
    let d = desk_with(EngineConfig { attachments: limits, ..EngineConfig::default() });
    let alice = alice();
    block(async {
        let open = |files: &[(&str, &[u8])]| {
            let mut new = NewTicket::new("Limits", "Body", "Raw");
            new.attachments = files.iter().map(|(n, b)| file(n, b)).collect();
            d.engine.create_ticket(&alice, new)
        };
        let e = open(&[("big", b"123456789")]).await.unwrap_err();
        assert!(matches!(&e, Error::Attachments(r @ AttachmentRefusal::FileTooLarge { .. }) if r.is_size()), "{e:?}");
        assert!(e.to_string().contains("\"big\"") && e.to_string().contains("8 bytes"), "{e}");
        let e = open(&[("a", b"1234567"), ("b", b"1234567")]).await.unwrap_err();
        assert!(matches!(e, Error::Attachments(AttachmentRefusal::ArticleTooLarge { size: 14, max: 12 })), "{e:?}");
        let e = open(&[("a", b"1"), ("b", b"2"), ("c", b"3")]).await.unwrap_err();
        assert!(matches!(&e, Error::Attachments(r @ AttachmentRefusal::TooMany { count: 3, max: 2 }) if !r.is_size()));
        assert_eq!(d.engine.stored_file_count().await.unwrap(), 0);
        let view = open(&[("a", b"12345678"), ("b", b"1234")]).await.unwrap();
        let reply = with_files(NewArticle::reply("x"), &[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let e = d.engine.add_article(&admin(), &view.ticket.number, reply).await.unwrap_err();
        assert!(matches!(e, Error::Attachments(AttachmentRefusal::TooMany { .. })), "replies too: {e:?}");
        assert_eq!(d.engine.stored_file_count().await.unwrap(), 2);
    });
}

/// Records every delivery.
struct Recording(Arc<Mutex<Vec<Delivery>>>);

#[async_trait]
impl Channel for Recording {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }
    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, DeliveryError> {
        self.0.lock().unwrap().push(delivery.clone());
        Ok(None)
    }
}

#[test]
fn a_reply_goes_out_with_the_bytes_of_its_files() {
    let d = desk();
    let (_, _) = ticket_with_three_files(&d);
    let sent = Arc::new(Mutex::new(Vec::new()));
    let chans: Vec<Arc<dyn Channel>> = vec![Arc::new(Recording(sent.clone()))];
    let report = block(d.engine.deliver_due(&chans)).unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let sent = sent.lock().unwrap();
    assert_eq!(sent[0].attachments, vec![file("driver.zip", b"ZIP")]);
}
