//! Mail accounts: the directory record admins manage, and the checkpoint an inbound message carries
//! into the commit that takes it (the mailbox puller's exactly-once rests on it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chamado::*;
use common::*;

fn checkpointed(from: &str, subject: &str, id: &str, value: &str) -> InboundMessage {
    let mut m = email(from, subject, "body", id);
    m.checkpoint =
        Some(Checkpoint { adapter: "mail".into(), name: "support/INBOX".into(), value: value.into(), refused: None });
    m
}

fn cursor(d: &Desk) -> Option<String> {
    block(d.engine.cursor("mail", "support/INBOX")).unwrap()
}

#[test]
fn the_checkpoint_moves_with_every_message_taken_and_only_then() {
    let d = desk();
    assert_eq!(cursor(&d), None);
    let first = block(d.engine.intake(checkpointed("alice@acme.example", "Printer", "<1@x>", "9:1"))).unwrap();
    let IntakeOutcome::NewTicket { ticket, .. } = first else { panic!("{first:?}") };
    assert_eq!(cursor(&d).as_deref(), Some("9:1"), "the new ticket carried it");

    let reply = checkpointed("alice@acme.example", &format!("Re: [Ticket#{}] Printer", ticket.number), "<2@x>", "9:2");
    let second = block(d.engine.intake(reply)).unwrap();
    assert!(matches!(second, IntakeOutcome::FollowUp { .. }), "{second:?}");
    assert_eq!(cursor(&d).as_deref(), Some("9:2"), "the follow-up carried it");

    // The same message read again (a reset folder): nothing new, but the position moves on.
    let again = block(d.engine.intake(checkpointed("alice@acme.example", "Printer", "<1@x>", "10:1"))).unwrap();
    assert!(matches!(again, IntakeOutcome::Duplicate { .. }), "{again:?}");
    assert_eq!(cursor(&d).as_deref(), Some("10:1"));

    // A message the engine refuses is passed over too (it would be refused again).
    let mut nobody = checkpointed("", "x", "<3@x>", "10:2");
    nobody.sender = Sender::Email { address: " ".into(), name: None, reply_to: None };
    let refused = block(d.engine.intake(nobody.clone())).unwrap();
    assert!(matches!(refused, IntakeOutcome::Rejected { .. }), "{refused:?}");
    assert_eq!(cursor(&d).as_deref(), Some("10:2"));
    // With a value for refusals, that is what a refused message leaves (POP3 never deletes those).
    if let Some(c) = nobody.checkpoint.as_mut() {
        c.refused = Some("refused".into());
    }
    block(d.engine.intake(nobody)).unwrap();
    assert_eq!(cursor(&d).as_deref(), Some("refused"));
}

#[test]
fn a_failed_commit_leaves_the_checkpoint_where_it_was() {
    let (flaky, down) = testkit::FlakyStore::new();
    let engine = Engine::builder(flaky).build().unwrap();
    block(engine.seed_defaults("admin")).unwrap();
    block(engine.intake(checkpointed("dave@example.org", "one", "<a@x>", "1:1"))).unwrap();
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(block(engine.intake(checkpointed("dave@example.org", "two", "<b@x>", "1:2"))).is_err());
    down.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(block(engine.cursor("mail", "support/INBOX")).unwrap().as_deref(), Some("1:1"));
    let view = block(engine.intake(checkpointed("dave@example.org", "two", "<b@x>", "1:2"))).unwrap();
    assert!(matches!(view, IntakeOutcome::NewTicket { .. }), "the retry takes it: {view:?}");
    assert_eq!(block(engine.cursor("mail", "support/INBOX")).unwrap().as_deref(), Some("1:2"));
}

#[test]
fn a_checkpoint_with_an_unusable_name_refuses_the_message_before_anything_is_written() {
    let d = desk();
    let mut m = checkpointed("alice@acme.example", "Printer", "<1@x>", "9:1");
    m.checkpoint = Some(Checkpoint { adapter: "ma:il".into(), name: "x".into(), value: "1".into(), refused: None });
    assert!(matches!(block(d.engine.intake(m)), Err(Error::Validation(_))));
    assert_eq!(block(d.store.article_by_external_id("<1@x>")).unwrap(), None, "no article was written");
}

fn account(queue: &str) -> MailAccount {
    MailAccount {
        name: "support".into(),
        host: "imap.example.com".into(),
        port: 993,
        login: "support@example.com".into(),
        credential: MailCredential::Password { password: "s3cret".into() },
        queue: queue.into(),
        ..Default::default()
    }
}

#[test]
fn admins_manage_mail_accounts_and_what_is_kept_about_them_goes_with_them() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    assert!(matches!(block(a.put_mail_account(account("Nowhere"))), Err(Error::NotFound(_))));
    block(a.put_mail_account(account("Sales"))).unwrap();
    assert_eq!(block(d.engine.mail_accounts()).unwrap(), vec![account("Sales")]);
    assert!(matches!(block(d.engine.admin(&bob())), Err(Error::PermissionDenied(_))));

    let status = MailAccountStatus {
        imported: 3,
        failed: 1,
        last_success: Some(Timestamp(5)),
        last_error_at: Some(Timestamp(4)),
        last_error: Some("LOGIN failed: \"bad\"\npassword".into()),
        pending: Some(0),
    };
    block(d.engine.set_mail_account_status("support", Some(&status))).unwrap();
    assert_eq!(block(d.engine.mail_account_status("support")).unwrap(), Some(status));
    let token = MailToken {
        refresh_token: "r2".into(),
        configured: "r1".into(),
        access_token: Some("a".into()),
        expires_at: Some(Timestamp(99)),
    };
    block(d.engine.set_mail_account_token("support", Some(&token))).unwrap();
    assert_eq!(block(d.engine.mail_account_token("support")).unwrap(), Some(token));

    block(a.delete_mail_account("support")).unwrap();
    assert!(block(d.engine.mail_accounts()).unwrap().is_empty());
    assert_eq!(block(d.engine.mail_account_status("support")).unwrap(), None);
    assert_eq!(block(d.engine.mail_account_token("support")).unwrap(), None);
    assert!(matches!(block(a.delete_mail_account("support")), Err(Error::NotFound(_))));
}
