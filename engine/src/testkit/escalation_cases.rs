//! Conformance cases for a ticket's SLA and escalation clocks: kept exactly, listed by the escalated and
//! at-risk indexes while a running clock has breached or warned (and only then), and due to the tick at
//! each clock's next warning or breach ([`Ticket::pending_due`]).

use super::fixtures::ticket;
use crate::directory::StateType;
use crate::ids::TicketId;
use crate::sla::{ClockOutcome, Escalation, SlaClock};
use crate::store::{Commit, Cursor, Store, TicketIndex, TicketWrite};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use std::future::Future;
use std::pin::Pin;

type Case = fn(Box<dyn Store>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub(super) const ALL: &[(&str, Case)] = &[$((stringify!($name), |s| Box::pin($name(s)))),*];
    };
}

cases!(
    sla_and_escalation_clocks_round_trip,
    escalated_and_at_risk_indexes_follow_the_clocks,
    due_tickets_follow_escalation_events,
);

/// A clock running since 1 toward a 60-minute target, its warning (80%) at `warn_at` and its breach at
/// `due`; `warned` and `breached` say which of the two already fired.
pub(super) fn running(warn_at: i64, due: i64, warned: bool, breached: bool) -> SlaClock {
    SlaClock {
        active: true,
        spent_ms: 0,
        running_since: Some(Timestamp(1)),
        target_ms: 3_600_000,
        warn_ms: 2_880_000,
        due: Some(Timestamp(due)),
        warn_at: Some(Timestamp(warn_at)),
        warned,
        breached,
        last: None,
    }
}

/// The same clock paused (a pending state): counting, not running, nothing due.
fn paused(warned: bool, breached: bool) -> SlaClock {
    SlaClock { running_since: None, due: None, warn_at: None, spent_ms: 1_000, ..running(0, 0, warned, breached) }
}

/// A clock that stopped at 50, within its target or not.
fn stopped(met: bool) -> SlaClock {
    SlaClock { last: Some(ClockOutcome { met, at: Timestamp(50), working_ms: 49 }), ..Default::default() }
}

fn insert(t: &Ticket) -> TicketWrite {
    TicketWrite { ticket: t.clone(), expected_version: 0 }
}

/// Writes `t` over its stored version, bumping its version.
async fn rewrite(s: &dyn Store, t: &mut Ticket) {
    let expected = t.version;
    t.version += 1;
    let write = TicketWrite { ticket: t.clone(), expected_version: expected };
    s.commit(Commit { tickets: vec![write], ..Default::default() }).await.expect("update ticket");
}

/// Every ticket of `index`, walking pages of `page_size`.
async fn list_all(s: &dyn Store, index: &TicketIndex, page_size: usize) -> Vec<Ticket> {
    let mut out = Vec::new();
    let mut after: Option<Cursor> = None;
    for _ in 0..100 {
        let page = s.list_tickets(index, after, page_size).await.unwrap();
        assert!(page.items.len() <= page_size);
        out.extend(page.items);
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    out
}

async fn sla_and_escalation_clocks_round_trip(s: Box<dyn Store>) {
    let s = s.as_ref();
    // First response met, update running and warned, solution paused with time spent; an SLA name
    // beyond ASCII and a count past 2^53 (exact in every store, JSON ones included).
    let mut t = ticket(1, 10);
    t.sla = Some("Ouro — 24×7".into());
    t.escalation = Escalation {
        first_response: stopped(true),
        update: SlaClock { spent_ms: 9_007_199_254_740_993, ..running(70, 90, true, false) },
        solution: paused(false, false),
        responded: true,
        awaiting_agent: false,
    };
    s.commit(Commit { tickets: vec![insert(&t)], ..Default::default() }).await.unwrap();
    assert_eq!(s.ticket(TicketId(1)).await.unwrap().as_ref(), Some(&t), "read by id");
    assert_eq!(s.ticket_by_number(&t.number).await.unwrap().as_ref(), Some(&t), "read by number");
    let raw = TicketIndex::Queue { queue: "Raw".into(), state_type: None };
    assert_eq!(s.list_tickets(&raw, None, 10).await.unwrap().items, vec![t.clone()], "listings return the clocks");
    assert_eq!(s.due_tickets(Timestamp(90), 10).await.unwrap(), vec![t.clone()], "and so does the due index");

    // The update clock breaches, the solution clock resumes, the SLA changes: all kept.
    t.sla = Some("Silver".into());
    t.escalation.update.breached = true;
    t.escalation.solution = running(400, 500, false, false);
    t.escalation.awaiting_agent = true;
    rewrite(s, &mut t).await;
    assert_eq!(s.ticket(TicketId(1)).await.unwrap().as_ref(), Some(&t));
    assert_eq!(list_all(s, &TicketIndex::Escalated, 10).await, vec![t.clone()]);

    // Cleared: no SLA and idle clocks read back as such, nothing of the old clocks left.
    t.sla = None;
    t.escalation = Escalation::default();
    rewrite(s, &mut t).await;
    let read = s.ticket(TicketId(1)).await.unwrap().unwrap();
    assert_eq!(read, t);
    assert!(read.escalation.is_idle());
    assert!(s.due_tickets(Timestamp(i64::MAX), 10).await.unwrap().is_empty(), "nothing due any more");
}

/// The escalated and at-risk listings (in every page size) and counts are exactly the tickets
/// [`TicketIndex::keys_of`] puts there, and equal `escalated` and `at_risk` (ids, newest change first).
async fn assert_escalation_indexes(s: &dyn Store, tickets: &[Ticket], escalated: &[u64], at_risk: &[u64], when: &str) {
    for (index, expected) in [(TicketIndex::Escalated, escalated), (TicketIndex::AtRisk, at_risk)] {
        let by_keys: Vec<u64> = {
            let mut v: Vec<&Ticket> = tickets.iter().filter(|t| TicketIndex::keys_of(t).contains(&index)).collect();
            v.sort_by_key(|t| std::cmp::Reverse((t.changed_at, t.id)));
            v.iter().map(|t| t.id.0).collect()
        };
        assert_eq!(by_keys, expected, "{when}: the model puts these in {index:?}");
        for page_size in [1usize, 2, 10] {
            let got: Vec<u64> = list_all(s, &index, page_size).await.iter().map(|t| t.id.0).collect();
            assert_eq!(got, expected, "{when}: listing {index:?} in pages of {page_size}");
        }
        assert_eq!(s.count_tickets(&index).await.unwrap(), expected.len() as u64, "{when}: count of {index:?}");
    }
}

async fn escalated_and_at_risk_indexes_follow_the_clocks(s: Box<dyn Store>) {
    let s = s.as_ref();
    let mut tickets: Vec<Ticket> = (1..=7u64).map(|i| ticket(i, i as i64 * 10)).collect();
    // 1: a running clock breached. 2: one warned, none breached. 3: one breached and another warned.
    // 4: breached but paused. 5: idle. 6: warned but paused. 7: a breach that stopped (answered late).
    tickets[0].escalation.first_response = running(5, 8, true, true);
    tickets[1].escalation.solution = running(20, 900, true, false);
    tickets[2].escalation.update = running(5, 8, true, true);
    tickets[2].escalation.solution = running(20, 900, true, false);
    tickets[3].escalation.solution = paused(true, true);
    tickets[5].escalation.update = paused(true, false);
    tickets[6].escalation.first_response = stopped(false);
    for t in &mut tickets {
        t.sla = Some("Gold".into());
    }
    s.commit(Commit { tickets: tickets.iter().map(insert).collect(), ..Default::default() }).await.unwrap();
    assert_escalation_indexes(s, &tickets, &[3, 1], &[2], "after inserts").await;

    // 1 is answered (its clock stops), 2 breaches, 4 resumes, 6 closes (its clocks cleared), each a
    // later change.
    tickets[0].escalation.first_response = stopped(false);
    tickets[1].escalation.solution.breached = true;
    tickets[3].escalation.solution = running(20, 30, true, true);
    tickets[5].state = "closed successful".into();
    tickets[5].state_type = StateType::Closed;
    tickets[5].escalation = Escalation::default();
    for i in [0usize, 1, 3, 5] {
        tickets[i].changed_at = Timestamp(100 + i as i64);
        rewrite(s, &mut tickets[i]).await;
    }
    assert_escalation_indexes(s, &tickets, &[4, 2, 3], &[], "after the clocks moved").await;

    // 3's breached clock stops while its warned one runs on: from escalated to at risk. 2's SLA is
    // dropped: out of both.
    tickets[2].escalation.update = stopped(false);
    tickets[2].changed_at = Timestamp(200);
    rewrite(s, &mut tickets[2]).await;
    tickets[1].sla = None;
    tickets[1].escalation = Escalation::default();
    tickets[1].changed_at = Timestamp(201);
    rewrite(s, &mut tickets[1]).await;
    assert_escalation_indexes(s, &tickets, &[4], &[3], "after a stop and a dropped SLA").await;

    // A refused commit moves nothing.
    let mut stale = tickets[4].clone();
    stale.escalation.update = running(1, 2, true, true);
    let refused = TicketWrite { ticket: stale, expected_version: 99 };
    assert!(s.commit(Commit { tickets: vec![refused], ..Default::default() }).await.is_err());
    assert_escalation_indexes(s, &tickets, &[4], &[3], "after a refused commit").await;
}

async fn due_tickets_follow_escalation_events(s: Box<dyn Store>) {
    let s = s.as_ref();
    let due = |now: i64| async move {
        s.due_tickets(Timestamp(now), 10).await.unwrap().iter().map(|t| t.id.0).collect::<Vec<_>>()
    };
    // 1: first response warns at 80, breaches at 100. 2: a pending reminder at 50 and a solution clock
    // warning at 200. 3: paused, nothing due. 4: breached, nothing left to fire.
    let mut first = ticket(1, 1);
    first.escalation.first_response = running(80, 100, false, false);
    let mut reminder = ticket(2, 1);
    reminder.state = "pending reminder".into();
    reminder.state_type = StateType::PendingReminder;
    reminder.pending_until = Some(Timestamp(50));
    reminder.escalation.solution = running(200, 250, false, false);
    let mut held = ticket(3, 1);
    held.escalation.solution = paused(false, false);
    let mut late = ticket(4, 1);
    late.escalation.update = running(10, 20, true, true);
    let all = [&first, &reminder, &held, &late];
    assert_eq!(all.map(|t| t.pending_due()), [Some(80), Some(50), None, None].map(|d| d.map(Timestamp)));
    s.commit(Commit { tickets: all.map(insert).to_vec(), ..Default::default() }).await.unwrap();
    assert_eq!(due(49).await, Vec::<u64>::new());
    assert_eq!(due(79).await, vec![2]);
    assert_eq!(due(80).await, vec![2, 1], "due at the warning time, not before");
    assert_eq!(due(i64::MAX).await, vec![2, 1], "a paused or fully fired clock is never due");

    // The warning fires: due again at the breach.
    first.escalation.first_response.warned = true;
    rewrite(s, &mut first).await;
    assert_eq!(due(99).await, vec![2]);
    assert_eq!(due(100).await, vec![2, 1]);
    // The breach fires and the reminder is done: only the solution clock's warning is left.
    first.escalation.first_response.breached = true;
    rewrite(s, &mut first).await;
    reminder.reminded_for = Some(Timestamp(50));
    rewrite(s, &mut reminder).await;
    assert_eq!(due(199).await, Vec::<u64>::new());
    assert_eq!(due(200).await, vec![2]);
    // Re-timed (another SLA): a new warning at 500, due again then; the paused clock resumes.
    first.escalation.first_response = running(500, 600, false, false);
    rewrite(s, &mut first).await;
    held.escalation.solution = running(300, 400, false, false);
    rewrite(s, &mut held).await;
    assert_eq!(due(299).await, vec![2]);
    assert_eq!(due(300).await, vec![2, 3]);
    assert_eq!(due(500).await, vec![2, 3, 1]);
    assert_eq!(s.due_tickets(Timestamp(500), 2).await.unwrap().len(), 2, "the limit holds");
    for now in [0, 200, 299, 300, 499, 500, 10_000] {
        let mut expected: Vec<(Timestamp, u64)> = [&first, &reminder, &held, &late]
            .iter()
            .filter_map(|t| t.pending_due().map(|d| (d, t.id.0)))
            .filter(|(d, _)| d.0 <= now)
            .collect();
        expected.sort();
        assert_eq!(due(now).await, expected.into_iter().map(|(_, id)| id).collect::<Vec<_>>(), "at {now}");
    }
}
