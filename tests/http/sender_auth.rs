//! The article's sender verification in the API: agents see "DMARC pass" or a warning.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado::{AuthResult, ChannelKind, InboundMessage, IntakeOutcome, Sender, SenderAuth};
use common::{ADMIN_TOKEN, Harness};

fn mail(from: &str, id: &str, auth: Option<SenderAuth>) -> InboundMessage {
    let sender = Sender::Email { address: from.into(), name: None, reply_to: None };
    let mut m = InboundMessage::new(ChannelKind::Email, sender, "VPN down", "Since 9 am.");
    m.external_id = Some(id.into());
    m.sender_auth = auth;
    m
}

async fn first_article_auth(h: &Harness, msg: InboundMessage) -> serde_json::Value {
    let number = match h.engine.intake(msg).await.unwrap() {
        IntakeOutcome::NewTicket { ticket, .. } => ticket.number,
        other => panic!("{other:?}"),
    };
    let r = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(ADMIN_TOKEN), None).await;
    assert!(r.status.is_success(), "{}", r.text);
    let v: serde_json::Value = serde_json::from_str(&r.text).unwrap();
    v["articles"][0]["sender_auth"].clone()
}

#[tokio::test]
async fn articles_say_what_was_verified_about_their_sender() {
    let h = Harness::new().await;
    let pass = SenderAuth { dmarc: AuthResult::Pass, verified_by: "smtp".into(), ..Default::default() };
    assert_eq!(first_article_auth(&h, mail("carol@mail.example", "<v1@mail.example>", Some(pass))).await, "DMARC pass");
    let fail = SenderAuth { dmarc: AuthResult::Fail, verified_by: "smtp".into(), ..Default::default() };
    let warning = first_article_auth(&h, mail("dave@mail.example", "<v2@mail.example>", Some(fail))).await;
    assert!(warning.as_str().unwrap().starts_with("unauthenticated sender (DMARC fail"), "{warning}");
}
