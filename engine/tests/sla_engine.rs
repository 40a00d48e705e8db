//! SLAs through the engine (issue 23): due times on tickets, warnings and breaches fired by the tick once
//! each (history, events, agent notifications, the escalated and at-risk listings), pauses, closing and
//! reopening, merging, SLA and calendar changes, queue fallback targets, the checks on changing a ticket's
//! customer, service and SLA, the SLA report, and two engines ticking one store at once.
//!
//! The desk's clock starts on Friday 2026-11-27 10:00 UTC. The calendar "office" works Monday to Friday
//! 09:00-17:00 UTC; SLA "Gold" (service IT) promises a first response in 60 working minutes, an update in
//! 120 and a solution in 480, warning at 80%.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chamado::directory::{EscalationTargets, Holiday, QueueEscalation, WeeklyHours, WorkInterval};
use chamado::sla::{ClockKind, EscalationEventKind};
use chamado::*;
use common::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

fn utc(s: &str) -> Timestamp {
    Timestamp(s.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn office(from: u16, to: u16) -> Calendar {
    Calendar {
        name: "office".into(),
        time_zone: "UTC".into(),
        hours: WeeklyHours::weekdays(&[WorkInterval { start: from * 60, end: to * 60 }]),
        holidays: vec![Holiday::parse("12-25").unwrap()],
        ..Default::default()
    }
}

fn targets(first_response: u32, update: u32, solution: u32) -> EscalationTargets {
    EscalationTargets {
        first_response_minutes: first_response,
        update_minutes: update,
        solution_minutes: solution,
        ..Default::default()
    }
}

fn sla(name: &str, t: EscalationTargets, services: &[&str]) -> Sla {
    Sla {
        name: name.into(),
        calendar: "office".into(),
        targets: t,
        services: services.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn agent(login: &str, my_queues: &[&str]) -> Agent {
    Agent {
        email: format!("{login}@desk.example"),
        my_queues: my_queues.iter().map(|q| q.to_string()).collect(),
        ..Agent::new(login)
    }
}

/// The common desk plus the calendar, SLAs Gold and Silver (IT) and Bronze (IT::Email), and agents ana
/// (ro on users, Raw in "My queues") and zed (Raw in "My queues", no permission).
fn sla_desk() -> Desk {
    let d = desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        a.put_calendar(office(9, 17)).await.unwrap();
        a.put_sla(sla("Gold", targets(60, 120, 480), &["IT"])).await.unwrap();
        a.put_sla(sla("Silver", targets(240, 480, 960), &["IT"])).await.unwrap();
        a.put_sla(sla("Bronze", targets(30, 30, 30), &["IT::Email"])).await.unwrap();
        a.put_agent(agent("ana", &["Raw"])).await.unwrap();
        a.grant(Grant::group(GrantSubject::Agent("ana".into()), "users", PermissionSet::of(&[Permission::Ro])))
            .await
            .unwrap();
        a.put_agent(agent("zed", &["Raw"])).await.unwrap();
    });
    d
}

fn open_with(d: &Desk, sla: Option<&str>, queue: &str) -> String {
    let mut new = NewTicket::new("Printer on fire", "It is on fire.", queue);
    new.service = Some("IT".into());
    new.sla = sla.map(str::to_string);
    block(d.engine.create_ticket(&alice(), new)).unwrap().ticket.number
}

fn open_gold(d: &Desk) -> String {
    open_with(d, Some("Gold"), "Raw")
}

fn ticket(d: &Desk, n: &str) -> Ticket {
    block(d.engine.ticket(&admin(), n)).unwrap().ticket
}

fn view(d: &Desk, n: &str) -> EscalationView {
    let t = ticket(d, n);
    block(d.engine.escalation_view(&t, d.engine.now())).unwrap()
}

fn clock(d: &Desk, n: &str, kind: ClockKind) -> ClockView {
    view(d, n).clock(kind).unwrap().clone()
}

fn due(d: &Desk, n: &str, kind: ClockKind) -> Option<Timestamp> {
    clock(d, n, kind).due
}

fn at(d: &Desk, s: &str) {
    d.clock.set(utc(s));
}

fn tick(d: &Desk) -> TickReport {
    block(d.engine.tick(d.engine.now())).unwrap()
}

fn reply(d: &Desk, n: &str) {
    block(d.engine.add_article(&admin(), n, NewArticle::reply("On it."))).unwrap();
}

fn set_state(d: &Desk, n: &str, state: &str, pending_until: Option<Timestamp>) {
    let u = TicketUpdate { state: Some(state.into()), pending_until, ..Default::default() };
    block(d.engine.update_ticket(&admin(), n, u)).unwrap();
}

fn listed(d: &Desk, filter: TicketFilter) -> Vec<String> {
    block(d.engine.list_tickets(&admin(), &filter, None, 100)).unwrap().items.into_iter().map(|t| t.number).collect()
}

fn escalated(d: &Desk) -> Vec<String> {
    listed(d, TicketFilter { escalated: true, ..Default::default() })
}

fn at_risk(d: &Desk) -> Vec<String> {
    listed(d, TicketFilter { at_risk: true, ..Default::default() })
}

/// The escalation events so far, as (ticket, clock, kind, due).
fn escalations(d: &Desk) -> Vec<(String, ClockKind, EscalationEventKind, Timestamp)> {
    d.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Escalation { number, clock, kind, due } => Some((number, clock, kind, due)),
            _ => None,
        })
        .collect()
}

/// The escalation notifications queued for a ticket, as (kind, agent).
fn notified(d: &Desk, n: &str) -> Vec<(NotificationKind, String)> {
    let id = ticket(d, n).id;
    block(d.store.outbox_for_ticket(id))
        .unwrap()
        .into_iter()
        .filter_map(|e| e.notification)
        .filter(|r| matches!(r.kind, NotificationKind::EscalationWarning | NotificationKind::EscalationBreach))
        .map(|r| (r.kind, r.agent))
        .collect()
}

fn escalation_history(d: &Desk, n: &str) -> Vec<HistoryEntry> {
    block(d.engine.history(&admin(), n)).unwrap().into_iter().filter(|h| h.kind == HistoryKind::Escalation).collect()
}

#[test]
fn a_new_ticket_carries_due_times_by_the_calendar_and_a_reply_meets_its_first_response() {
    let d = sla_desk();
    let n = open_gold(&d);
    let v = view(&d, &n);
    assert_eq!((v.sla.as_deref(), v.calendar.as_deref()), (Some("Gold"), Some("office")));
    let fr = v.clock(ClockKind::FirstResponse).unwrap();
    assert!(fr.running && !fr.paused);
    assert_eq!((fr.due, fr.warn_at), (Some(utc("2026-11-27T11:00:00Z")), Some(utc("2026-11-27T10:48:00Z"))));
    assert_eq!((fr.left_minutes, fr.target_minutes), (Some(60), 60));
    let up = v.clock(ClockKind::Update).unwrap();
    assert_eq!((up.due, up.warn_at), (Some(utc("2026-11-27T12:00:00Z")), Some(utc("2026-11-27T11:36:00Z"))));
    // Seven working hours on Friday, the eighth on Monday morning; the warning after 384 minutes.
    let so = v.clock(ClockKind::Solution).unwrap();
    assert_eq!((so.due, so.warn_at), (Some(utc("2026-11-30T10:00:00Z")), Some(utc("2026-11-27T16:24:00Z"))));
    // The ticket itself holds them, and the tick will look at it at its first warning.
    assert_eq!(ticket(&d, &n).escalation.next_event(), Some(utc("2026-11-27T10:48:00Z")));

    // An internal note answers nobody.
    at(&d, "2026-11-27T10:20:00Z");
    block(d.engine.add_article(&admin(), &n, NewArticle::note("Looking."))).unwrap();
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-27T11:00:00Z")));

    at(&d, "2026-11-27T10:30:00Z");
    reply(&d, &n);
    let fr = clock(&d, &n, ClockKind::FirstResponse);
    assert!(!fr.running && fr.due.is_none());
    assert_eq!(
        (fr.met, fr.finished_minutes, fr.finished_at),
        (Some(true), Some(30), Some(utc("2026-11-27T10:30:00Z")))
    );
    // The reply starts the next update cycle.
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-27T12:30:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-11-30T10:00:00Z")));

    // A customer's message after the reply starts the cycle from itself; a second one does not move it.
    at(&d, "2026-11-27T11:00:00Z");
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("Still burning."))).unwrap();
    at(&d, "2026-11-27T11:10:00Z");
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("Hello?"))).unwrap();
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-27T13:00:00Z")));
}

#[test]
fn the_tick_warns_once_and_breaches_once() {
    let d = sla_desk();
    let n = open_gold(&d);
    at(&d, "2026-11-27T10:47:00Z");
    assert_eq!(tick(&d).escalations, 0);
    assert!(at_risk(&d).is_empty());

    at(&d, "2026-11-27T10:48:00Z");
    assert_eq!(tick(&d).escalations, 1);
    let warning = (n.clone(), ClockKind::FirstResponse, EscalationEventKind::Warning, utc("2026-11-27T11:00:00Z"));
    assert_eq!(escalations(&d), vec![warning.clone()]);
    assert_eq!(escalation_history(&d, &n).len(), 1);
    // The queue's agents who may read the ticket are told; zed may not read it, admin does not have the
    // queue.
    assert_eq!(notified(&d, &n), vec![(NotificationKind::EscalationWarning, "ana".to_string())]);
    assert_eq!(at_risk(&d), vec![n.clone()]);
    assert!(escalated(&d).is_empty());
    assert!(view(&d, &n).at_risk);

    // Again, and a little later: nothing new.
    assert_eq!(tick(&d).escalations, 0);
    at(&d, "2026-11-27T10:59:00Z");
    assert_eq!(tick(&d).escalations, 0);
    assert_eq!(escalations(&d).len(), 1);

    at(&d, "2026-11-27T11:00:00Z");
    assert_eq!(tick(&d).escalations, 1);
    let breach = (n.clone(), ClockKind::FirstResponse, EscalationEventKind::Breach, utc("2026-11-27T11:00:00Z"));
    assert_eq!(escalations(&d), vec![warning.clone(), breach.clone()]);
    assert_eq!(tick(&d).escalations, 0);
    assert_eq!(escalation_history(&d, &n).len(), 2);
    assert_eq!(
        notified(&d, &n),
        vec![
            (NotificationKind::EscalationWarning, "ana".to_string()),
            (NotificationKind::EscalationBreach, "ana".to_string())
        ]
    );
    assert_eq!(escalated(&d), vec![n.clone()]);
    assert!(at_risk(&d).is_empty());
    let v = view(&d, &n);
    assert!(v.escalated && !v.at_risk);
    let fr = v.clock(ClockKind::FirstResponse).unwrap();
    assert!(fr.breached && fr.warned);
    assert_eq!(fr.left_minutes, Some(0));

    // A late tick fires what passed meanwhile, and reports the due time, not its own: the update clock
    // warned at 11:36 and breached at 12:00; a tick at 12:30 fires only the breach.
    at(&d, "2026-11-27T12:30:00Z");
    assert_eq!(tick(&d).escalations, 1);
    let update = (n.clone(), ClockKind::Update, EscalationEventKind::Breach, utc("2026-11-27T12:00:00Z"));
    assert_eq!(escalations(&d), vec![warning, breach, update]);
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-27T12:00:00Z")));
    assert_eq!(clock(&d, &n, ClockKind::Update).left_minutes, Some(-30));
    assert_eq!(tick(&d).escalations, 0);

    // The reply ends the breach of first response and update; the ticket is no longer escalated.
    reply(&d, &n);
    let fr = clock(&d, &n, ClockKind::FirstResponse);
    assert_eq!((fr.met, fr.finished_minutes), (Some(false), Some(150)));
    assert!(escalated(&d).is_empty());
}

#[test]
fn pending_pauses_and_resuming_shifts_due_times_by_the_paused_working_time() {
    let d = sla_desk();
    let n = open_gold(&d);
    at(&d, "2026-11-27T10:20:00Z");
    set_state(&d, &n, "pending reminder", Some(utc("2026-11-30T09:00:00Z")));
    for kind in ClockKind::ALL {
        let c = clock(&d, &n, kind);
        assert!(c.paused && !c.running, "{kind:?}");
        assert_eq!((c.due, c.warn_at), (None, None), "{kind:?}");
    }
    assert_eq!(clock(&d, &n, ClockKind::FirstResponse).left_minutes, Some(40));
    assert_eq!(ticket(&d, &n).escalation.next_event(), None);
    // Nothing fires while paused, however late.
    at(&d, "2026-11-27T16:00:00Z");
    tick(&d);
    assert!(escalations(&d).is_empty());

    // Back to open at 16:00: 20 minutes were spent, so 40 of first response are left (16:40), 100 of the
    // update (60 on Friday, 40 on Monday) and 460 of the solution.
    set_state(&d, &n, "open", None);
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-27T16:40:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-30T09:40:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-11-30T15:40:00Z")));

    // Pending again at 16:30 over the weekend: no working time passes paused, so 30 minutes later each
    // due time is 30 working minutes after Monday 09:00's resumption.
    at(&d, "2026-11-27T16:30:00Z");
    set_state(&d, &n, "pending reminder", Some(utc("2026-11-30T09:00:00Z")));
    at(&d, "2026-11-30T09:00:00Z");
    set_state(&d, &n, "open", None);
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-30T09:10:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-30T10:10:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-11-30T16:10:00Z")));
}

#[test]
fn closing_stops_the_solution_clock_and_a_follow_up_resumes_it() {
    let d = sla_desk();
    let n = open_gold(&d);
    at(&d, "2026-11-27T11:00:00Z");
    set_state(&d, &n, "closed successful", None);
    let v = view(&d, &n);
    let so = v.clock(ClockKind::Solution).unwrap();
    assert!(!so.running && !so.paused);
    assert_eq!(
        (so.met, so.finished_minutes, so.finished_at),
        (Some(true), Some(60), Some(utc("2026-11-27T11:00:00Z")))
    );
    let up = v.clock(ClockKind::Update).unwrap();
    assert!(!up.running && !up.paused && up.due.is_none());
    // First response stands still: nobody answered.
    let fr = v.clock(ClockKind::FirstResponse).unwrap();
    assert!(fr.paused && fr.due.is_none());
    assert_eq!(ticket(&d, &n).escalation.next_event(), None);

    // Monday 09:00: the customer writes again and the ticket opens. The solution clock goes on from 60
    // minutes (420 left: 16:00), the update cycle counts from the message, first response goes on.
    at(&d, "2026-11-30T09:00:00Z");
    let out = block(d.engine.add_article(&alice(), &n, NewArticle::reply("It burns again."))).unwrap();
    assert!(!out.opened_new_ticket);
    assert_eq!(ticket(&d, &n).state_type, StateType::Open);
    let so = clock(&d, &n, ClockKind::Solution);
    assert!(so.running);
    assert_eq!((so.due, so.left_minutes), (Some(utc("2026-11-30T16:00:00Z")), Some(420)));
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-30T11:00:00Z")));
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-30T09:00:00Z")));
}

#[test]
fn a_ticket_reopened_before_any_working_time_passed_is_not_warned_again() {
    let d = sla_desk();
    let n = open_gold(&d);
    at(&d, "2026-11-27T16:25:00Z");
    tick(&d);
    let solution = |d: &Desk| -> Vec<(EscalationEventKind, Timestamp)> {
        escalations(d).into_iter().filter(|e| e.1 == ClockKind::Solution).map(|e| (e.2, e.3)).collect()
    };
    let monday_ten = utc("2026-11-30T10:00:00Z");
    assert_eq!(solution(&d), vec![(EscalationEventKind::Warning, monday_ten)]);
    // Closed at the end of Friday's hours, reopened by a follow-up on Saturday: no working time passed,
    // the due time is the same, its warning fired.
    at(&d, "2026-11-27T17:00:00Z");
    set_state(&d, &n, "closed successful", None);
    at(&d, "2026-11-28T10:00:00Z");
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("Not fixed."))).unwrap();
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(monday_ten));
    assert!(clock(&d, &n, ClockKind::Solution).warned);
    at(&d, "2026-11-30T09:30:00Z");
    tick(&d);
    assert_eq!(solution(&d), vec![(EscalationEventKind::Warning, monday_ten)]);
    at(&d, "2026-11-30T10:00:00Z");
    tick(&d);
    assert_eq!(
        solution(&d),
        vec![(EscalationEventKind::Warning, monday_ten), (EscalationEventKind::Breach, monday_ten)]
    );
}

#[test]
fn a_reopened_ticket_without_a_solution_target_gets_an_update_cycle() {
    let d = sla_desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        a.put_sla(sla("Gold", targets(0, 120, 0), &["IT"])).await.unwrap();
    });
    let n = open_gold(&d);
    at(&d, "2026-11-27T11:00:00Z");
    set_state(&d, &n, "closed successful", None);
    assert!(!clock(&d, &n, ClockKind::Update).running);
    at(&d, "2026-11-27T12:00:00Z");
    set_state(&d, &n, "open", None);
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-27T14:00:00Z")));
}

#[test]
fn an_sla_given_to_a_ticket_opened_without_one_counts_from_its_opening_as_otrs_does() {
    let d = sla_desk();
    let n = open_with(&d, None, "Raw");
    assert!(ticket(&d, &n).escalation.is_idle());
    at(&d, "2026-11-27T10:30:00Z");
    let u = TicketUpdate { sla: Some("Gold".into()), ..Default::default() };
    block(d.engine.update_ticket(&admin(), &n, u.clone())).unwrap();
    // First response and solution count from the opening at 10:00, as OTRS computes them; the update
    // cycle starts now.
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-27T11:00:00Z")));
    assert_eq!(due(&d, &n, ClockKind::Update), Some(utc("2026-11-27T12:30:00Z")));
    // 420 minutes on Friday, 60 on Monday.
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-11-30T10:00:00Z")));
    assert!(ticket(&d, &n).escalation.awaiting_agent);

    // A ticket an agent already answered owes no first response.
    let m = open_with(&d, None, "Raw");
    at(&d, "2026-11-27T10:40:00Z");
    reply(&d, &m);
    at(&d, "2026-11-27T10:50:00Z");
    block(d.engine.update_ticket(&admin(), &m, u)).unwrap();
    let fr = clock(&d, &m, ClockKind::FirstResponse);
    assert!(!fr.running && !fr.paused && fr.met.is_none());
    assert_eq!(due(&d, &m, ClockKind::Update), Some(utc("2026-11-27T12:50:00Z")));
    assert!(!ticket(&d, &m).escalation.awaiting_agent);

    // Targets given to a queue start the clocks of the tickets already in it.
    let o = open_with(&d, None, "Misc");
    at(&d, "2026-11-27T11:00:00Z");
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut q = d.engine.queue("Misc").await.unwrap();
        q.escalation = QueueEscalation { calendar: Some("office".into()), targets: targets(30, 0, 0) };
        a.put_queue(q).await.unwrap();
    });
    // Opened at 10:50.
    assert_eq!(due(&d, &o, ClockKind::FirstResponse), Some(utc("2026-11-27T11:20:00Z")));
}

#[test]
fn merging_clears_the_clocks() {
    let d = sla_desk();
    let a = open_gold(&d);
    let b = open_gold(&d);
    at(&d, "2026-11-27T10:30:00Z");
    block(d.engine.merge(&admin(), &a, &b)).unwrap();
    let t = block(d.store.ticket_by_number(&a)).unwrap().unwrap();
    assert_eq!(t.state_type, StateType::Merged);
    assert_eq!(t.escalation.next_event(), None);
    let v = block(d.engine.escalation_view(&t, d.engine.now())).unwrap();
    assert!(v.clocks.iter().all(|c| !c.running && !c.paused && c.due.is_none() && c.met.is_none()));
    at(&d, "2026-11-27T11:00:00Z");
    tick(&d);
    let fired: Vec<String> = escalations(&d).into_iter().map(|e| e.0).collect();
    assert_eq!(fired, vec![b.clone()], "only the ticket merged into breaches");
    assert_eq!(escalated(&d), vec![b]);
}

#[test]
fn another_sla_recomputes_the_due_times_from_the_time_spent() {
    let d = sla_desk();
    let n = open_gold(&d);
    at(&d, "2026-11-27T10:30:00Z");
    let u = TicketUpdate { sla: Some("Silver".into()), ..Default::default() };
    let t = block(d.engine.update_ticket(&admin(), &n, u)).unwrap();
    assert_eq!(t.sla.as_deref(), Some("Silver"));
    // 30 of 240 minutes spent: 210 left.
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-27T14:00:00Z")));
    // 930 of 960 left: 390 on Friday, 480 on Monday, 60 on Tuesday.
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-12-01T10:00:00Z")));
    assert!(block(d.engine.history(&admin(), &n)).unwrap().iter().any(|h| h.kind == HistoryKind::SlaChanged));
    // Dropping the SLA stops the clocks (the queue sets no targets).
    let u = TicketUpdate { sla: Some(String::new()), ..Default::default() };
    block(d.engine.update_ticket(&admin(), &n, u)).unwrap();
    assert!(view(&d, &n).clocks.iter().all(|c| !c.running && c.due.is_none()));
    assert_eq!(ticket(&d, &n).escalation.next_event(), None);
}

#[test]
fn a_changed_calendar_retimes_running_clocks_without_any_ticket_action() {
    let d = sla_desk();
    let n = open_gold(&d);
    let before = ticket(&d, &n);
    let history_before = block(d.store.history(before.id)).unwrap().len();
    at(&d, "2026-11-27T10:30:00Z");
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_calendar(office(8, 18)).await.unwrap() });
    // 30 minutes spent; 450 left end at 18:00 on Friday now.
    assert_eq!(due(&d, &n, ClockKind::Solution), Some(utc("2026-11-27T18:00:00Z")));
    assert_eq!(due(&d, &n, ClockKind::FirstResponse), Some(utc("2026-11-27T11:00:00Z")));
    let after = ticket(&d, &n);
    assert_eq!(after.changed_at, before.changed_at, "nobody changed the ticket");
    assert_eq!(block(d.store.history(before.id)).unwrap().len(), history_before);
    // A closed ticket keeps its outcome.
    at(&d, "2026-11-27T11:00:00Z");
    set_state(&d, &n, "closed successful", None);
    block(async { d.engine.admin(&Actor::System).await.unwrap().put_calendar(office(9, 17)).await.unwrap() });
    assert_eq!(clock(&d, &n, ClockKind::Solution).finished_minutes, Some(60));
}

#[test]
fn queue_fallback_targets_apply_to_tickets_without_an_sla() {
    let d = sla_desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut q = Queue::new("Misc", "users", FollowUpPolicy::Possible);
        q.escalation = QueueEscalation { calendar: Some("office".into()), targets: targets(30, 0, 90) };
        a.put_queue(q).await.unwrap();
    });
    let misc = open_with(&d, None, "Misc");
    let v = view(&d, &misc);
    assert_eq!((v.sla, v.calendar.as_deref()), (None, Some("office")));
    assert_eq!(due(&d, &misc, ClockKind::FirstResponse), Some(utc("2026-11-27T10:30:00Z")));
    assert!(!clock(&d, &misc, ClockKind::Update).running);
    assert_eq!(due(&d, &misc, ClockKind::Solution), Some(utc("2026-11-27T11:30:00Z")));
    // An SLA wins over the queue's targets.
    let gold = open_with(&d, Some("Gold"), "Misc");
    assert_eq!(due(&d, &gold, ClockKind::FirstResponse), Some(utc("2026-11-27T11:00:00Z")));
    // A queue without targets: no clocks.
    let raw = open_with(&d, None, "Raw");
    assert!(ticket(&d, &raw).escalation.is_idle());
    assert!(view(&d, &raw).clocks.iter().all(|c| !c.running && c.due.is_none()));

    // Targets given to the queue later re-time its running tickets (a new run starts nothing).
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut q = d.engine.queue("Misc").await.unwrap();
        q.escalation.targets = targets(60, 0, 90);
        a.put_queue(q).await.unwrap();
    });
    assert_eq!(due(&d, &misc, ClockKind::FirstResponse), Some(utc("2026-11-27T11:00:00Z")));
}

#[test]
fn an_sla_of_another_service_is_refused() {
    let d = sla_desk();
    let mut new = NewTicket::new("t", "b", "Raw");
    new.service = Some("IT".into());
    new.sla = Some("Bronze".into());
    assert!(matches!(block(d.engine.create_ticket(&alice(), new.clone())), Err(Error::Rejected(_))));
    new.service = None;
    new.sla = Some("Gold".into());
    assert!(matches!(block(d.engine.create_ticket(&alice(), new.clone())), Err(Error::Rejected(_))));
    new.sla = Some("Platinum".into());
    assert!(matches!(block(d.engine.create_ticket(&alice(), new)), Err(Error::NotFound(_))));

    let n = open_gold(&d);
    let u = TicketUpdate { sla: Some("Bronze".into()), ..Default::default() };
    assert!(matches!(block(d.engine.update_ticket(&admin(), &n, u)), Err(Error::Rejected(_))));
    assert_eq!(ticket(&d, &n).sla.as_deref(), Some("Gold"));
    // An invalid SLA cannot be chosen.
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        a.put_sla(Sla { valid: false, ..sla("Silver", targets(240, 480, 960), &["IT"]) }).await.unwrap();
    });
    let u = TicketUpdate { sla: Some("Silver".into()), ..Default::default() };
    assert!(matches!(block(d.engine.update_ticket(&admin(), &n, u)), Err(Error::Rejected(_))));
}

#[test]
fn changing_customer_service_and_sla_needs_rw() {
    let d = sla_desk();
    let n = open_gold(&d);
    let changes = [
        TicketUpdate { customer_user: Some("bob".into()), ..Default::default() },
        TicketUpdate { service: Some("IT".into()), ..Default::default() },
        TicketUpdate { sla: Some("Silver".into()), ..Default::default() },
    ];
    for u in &changes {
        for who in [Actor::agent("ro_agent"), Actor::agent("noter"), Actor::agent("ana")] {
            let r = block(d.engine.update_ticket(&who, &n, u.clone()));
            assert!(matches!(r, Err(Error::PermissionDenied(_))), "{who} {u:?}: {r:?}");
        }
        // A customer may not either.
        assert!(block(d.engine.update_ticket(&alice(), &n, u.clone())).is_err());
    }
    let t = ticket(&d, &n);
    assert_eq!((t.customer_user.as_deref(), t.sla.as_deref()), (Some("alice"), Some("Gold")));
    // The agent with rw may.
    let t = block(d.engine.update_ticket(&admin(), &n, changes[0].clone())).unwrap();
    assert_eq!((t.customer_user.as_deref(), t.customer_id.as_deref()), (Some("bob"), Some("acme")));
    let t = block(d.engine.update_ticket(&admin(), &n, changes[2].clone())).unwrap();
    assert_eq!(t.sla.as_deref(), Some("Silver"));
    // Clearing the service drops the SLA with it.
    let u = TicketUpdate { service: Some(String::new()), ..Default::default() };
    let t = block(d.engine.update_ticket(&admin(), &n, u)).unwrap();
    assert_eq!((t.service, t.sla), (None, None));
}

#[test]
fn the_sla_report_counts_targets_met_median_and_p90() {
    let d = sla_desk();
    let tickets: Vec<String> = (0..4).map(|_| open_gold(&d)).collect();
    // Another SLA's ticket, not in the Gold row.
    let silver = open_with(&d, Some("Silver"), "Raw");
    // First responses after 10, 20, 50 and 90 minutes (the last misses its 60).
    for (t, time) in tickets.iter().zip(["10:10", "10:20", "10:50", "11:30"]) {
        at(&d, &format!("2026-11-27T{time}:00Z"));
        reply(&d, t);
    }
    reply(&d, &silver);
    // Solutions after 120 and 300 minutes; the other two still run, not yet due.
    at(&d, "2026-11-27T12:00:00Z");
    set_state(&d, &tickets[0], "closed successful", None);
    at(&d, "2026-11-27T15:00:00Z");
    set_state(&d, &tickets[1], "closed successful", None);

    let query = SlaReportQuery {
        from: utc("2026-11-27T00:00:00Z"),
        to: utc("2026-11-28T00:00:00Z"),
        queue: None,
        sla: Some("Gold".into()),
    };
    let report = block(d.engine.sla_report(&admin(), query.clone())).unwrap();
    assert_eq!(report.rows.len(), 1);
    let row = &report.rows[0];
    assert_eq!((row.queue.as_str(), row.sla.as_deref(), row.tickets), ("Raw", Some("Gold"), 4));
    let fr = &row.first_response;
    assert_eq!((fr.measured, fr.met, fr.met_percent), (4, 3, Some(75.0)));
    assert_eq!((fr.median_minutes, fr.p90_minutes), (Some(20), Some(90)));
    let so = &row.solution;
    assert_eq!((so.measured, so.met, so.met_percent), (2, 2, Some(100.0)));
    assert_eq!((so.median_minutes, so.p90_minutes), (Some(120), Some(300)));

    // Past its due time, a solution clock still running counts as missed (Monday 10:00 is Gold's due).
    at(&d, "2026-11-30T10:00:00Z");
    tick(&d);
    let report = block(d.engine.sla_report(&admin(), query.clone())).unwrap();
    let so = &report.rows[0].solution;
    assert_eq!((so.measured, so.met, so.met_percent), (4, 2, Some(50.0)));

    // Without the SLA filter both rows; customers may not see the report.
    let all = block(d.engine.sla_report(&admin(), SlaReportQuery { sla: None, ..query.clone() })).unwrap();
    let rows: Vec<(String, Option<String>)> = all.rows.iter().map(|r| (r.queue.clone(), r.sla.clone())).collect();
    assert_eq!(rows, vec![("Raw".into(), Some("Gold".into())), ("Raw".into(), Some("Silver".into()))]);
    assert!(matches!(block(d.engine.sla_report(&alice(), query)), Err(Error::PermissionDenied(_))));
}

#[test]
fn two_engines_ticking_one_store_fire_each_event_once() {
    let d = sla_desk();
    let numbers: Vec<String> = (0..12).map(|_| open_gold(&d)).collect();
    let second = Engine::builder_arc(d.store.clone()).clock(d.clock.clone()).build().unwrap();
    let seen: Arc<Mutex<Vec<Event>>> = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    second.subscribe(move |e| sink.lock().unwrap().push(e.clone()));
    // Ticks through Friday and into Monday: every clock warns and breaches.
    let mut instants = Vec::new();
    let mut t = utc("2026-11-27T10:00:00Z");
    while t < utc("2026-11-30T11:00:00Z") {
        instants.push(t);
        t = Timestamp(t.0 + 7 * 60_000);
    }
    for now in instants {
        d.clock.set(now);
        std::thread::scope(|s| {
            let one = s.spawn(|| block(d.engine.tick(now)).unwrap());
            let two = s.spawn(|| block(second.tick(now)).unwrap());
            one.join().unwrap();
            two.join().unwrap();
        });
    }
    // A last pass of each, for tickets skipped on a conflict.
    block(d.engine.tick(d.engine.now())).unwrap();
    block(second.tick(d.engine.now())).unwrap();

    let mut all = escalations(&d);
    all.extend(seen.lock().unwrap().iter().filter_map(|e| match e {
        Event::Escalation { number, clock, kind, due } => Some((number.clone(), *clock, *kind, *due)),
        _ => None,
    }));
    let mut per: HashMap<(String, ClockKind, EscalationEventKind, Timestamp), usize> = HashMap::new();
    for e in all {
        *per.entry(e).or_default() += 1;
    }
    assert!(per.values().all(|n| *n == 1), "fired more than once: {per:?}");
    let expected = [
        (ClockKind::FirstResponse, EscalationEventKind::Warning, "2026-11-27T11:00:00Z"),
        (ClockKind::FirstResponse, EscalationEventKind::Breach, "2026-11-27T11:00:00Z"),
        (ClockKind::Update, EscalationEventKind::Warning, "2026-11-27T12:00:00Z"),
        (ClockKind::Update, EscalationEventKind::Breach, "2026-11-27T12:00:00Z"),
        (ClockKind::Solution, EscalationEventKind::Warning, "2026-11-30T10:00:00Z"),
        (ClockKind::Solution, EscalationEventKind::Breach, "2026-11-30T10:00:00Z"),
    ];
    for n in &numbers {
        let mut mine: Vec<(ClockKind, EscalationEventKind, Timestamp)> =
            per.keys().filter(|k| &k.0 == n).map(|k| (k.1, k.2, k.3)).collect();
        mine.sort_by_key(|(c, k, due)| (*c, *k == EscalationEventKind::Breach, *due));
        let want: Vec<(ClockKind, EscalationEventKind, Timestamp)> =
            expected.iter().map(|(c, k, due)| (*c, *k, utc(due))).collect();
        assert_eq!(mine, want, "{n}");
        assert_eq!(escalation_history(&d, n).len(), 6, "{n}");
        assert_eq!(notified(&d, n).len(), 6, "{n}: one notification to ana per event");
    }
}
