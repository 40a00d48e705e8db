//! The state changes the engine makes on its own follow the configured lifecycle states.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use chamado::*;
use common::*;
use std::time::Duration;

fn state_of(d: &Desk, number: &str) -> (String, StateType) {
    let t = block(d.engine.ticket(&admin(), number)).unwrap().ticket;
    (t.state, t.state_type)
}

fn history_has(d: &Desk, number: &str, text: &str) -> bool {
    block(d.engine.history(&admin(), number)).unwrap().iter().any(|h| h.message == text)
}

#[test]
fn configured_states_drive_every_automatic_change() {
    let lifecycle = LifecycleStates {
        initial: "received".into(),
        answered: "in progress".into(),
        reopened: "reopened".into(),
        merged: "joined".into(),
        ..Default::default()
    };
    let d = desk_with(EngineConfig { lifecycle, ..Default::default() });
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    for (name, ty) in [
        ("received", StateType::New),
        ("in progress", StateType::Open),
        ("reopened", StateType::Open),
        ("joined", StateType::Merged),
    ] {
        block(a.put_state(StateDef::new(name, ty))).unwrap();
    }

    let n = d.open(&alice(), "Printer", "Raw").ticket.number;
    assert_eq!(state_of(&d, &n), ("received".into(), StateType::New), "new tickets start in the initial state");

    block(d.engine.add_article(&admin(), &n, NewArticle::note("looking"))).unwrap();
    assert_eq!(state_of(&d, &n).0, "received", "a note answers no one");
    block(d.engine.add_article(&admin(), &n, NewArticle::reply("on it"))).unwrap();
    assert_eq!(state_of(&d, &n), ("in progress".into(), StateType::Open));
    assert!(history_has(&d, &n, "state received -> in progress"));
    assert!(d.events().iter().any(
        |e| matches!(e, Event::StateChanged { number, from, to } if *number == n && from == "received" && to == "in progress")
    ));

    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("closed successful"))).unwrap();
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("it jams again"))).unwrap();
    assert_eq!(state_of(&d, &n), ("reopened".into(), StateType::Open));
    assert!(history_has(&d, &n, "state closed successful -> reopened (customer follow-up)"));
    let before = block(d.engine.history(&admin(), &n)).unwrap().len();
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("still"))).unwrap();
    assert_eq!(state_of(&d, &n).0, "reopened");
    assert_eq!(
        block(d.engine.history(&admin(), &n)).unwrap().len(),
        before + 1,
        "no state change in the reopened state"
    );

    let other = d.open(&alice(), "Printer again", "Raw").ticket.number;
    block(d.engine.merge(&admin(), &other, &n)).unwrap();
    let joined = TicketFilter { state: Some("joined".into()), ..Default::default() };
    let merged = block(d.engine.list_tickets(&admin(), &joined, None, 10)).unwrap().items;
    assert_eq!(
        merged.iter().map(|t| (t.number.as_str(), t.state_type)).collect::<Vec<_>>(),
        [(other.as_str(), StateType::Merged)]
    );

    let due = d.engine.now().plus(Duration::from_secs(60));
    let up = TicketUpdate { state: Some("pending auto close-".into()), pending_until: Some(due), ..Default::default() };
    block(d.engine.update_ticket(&admin(), &n, up)).unwrap();
    d.clock.advance(Duration::from_secs(61));
    assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().auto_closed, 1);
    assert_eq!(state_of(&d, &n), ("closed unsuccessful".into(), StateType::Closed), "the pending state's next state");
    assert!(history_has(&d, &n, "state pending auto close- -> closed unsuccessful (pending time reached)"));
}

#[test]
fn a_configured_state_of_the_wrong_type_is_named_in_the_error() {
    let lifecycle = LifecycleStates { initial: "open".into(), ..Default::default() };
    let d = desk_with(EngineConfig { lifecycle, ..Default::default() });
    let err = block(d.engine.create_ticket(&alice(), NewTicket::new("x", "y", "Raw"))).unwrap_err();
    assert!(matches!(&err, Error::Rejected(m) if m.contains("lifecycle.initial") && m.contains("type open")), "{err}");

    let lifecycle = LifecycleStates { answered: "nowhere".into(), ..Default::default() };
    let d = desk_with(EngineConfig { lifecycle, ..Default::default() });
    let n = d.open(&alice(), "x", "Raw").ticket.number;
    let err = block(d.engine.add_article(&admin(), &n, NewArticle::reply("hi"))).unwrap_err();
    assert!(matches!(&err, Error::Rejected(m) if m.contains("lifecycle.answered")), "{err}");
    assert_eq!(state_of(&d, &n).0, "new", "nothing was written");
}

#[test]
fn admins_cannot_break_a_state_the_lifecycle_uses() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let invalid_open = StateDef { valid: false, ..StateDef::new("open", StateType::Open) };
    assert!(matches!(block(a.put_state(invalid_open)), Err(Error::Rejected(_))));
    assert!(matches!(block(a.put_state(StateDef::new("merged", StateType::Closed))), Err(Error::Rejected(_))));
    block(a.put_state(StateDef::new("open", StateType::Open))).unwrap();
    let invalid_other = StateDef { valid: false, ..StateDef::new("removed", StateType::Removed) };
    block(a.put_state(invalid_other)).unwrap();
    let n = d.open(&alice(), "x", "Raw").ticket.number;
    block(d.engine.add_article(&admin(), &n, NewArticle::reply("hi"))).unwrap();
    assert_eq!(state_of(&d, &n).0, "open");
}
