//! Migration 7 on a database of migration 6 whose rows already hold escalation clocks in their JSON (as a
//! build that kept clocks before the column existed wrote them): each row takes its escalation mark, so
//! the escalated and at-risk listings and counts answer at once; rows without clocks stay out.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::sla::SlaClock;
use chamado::testkit::ticket;
use chamado::{Commit, Store, Ticket, TicketId, TicketIndex, TicketWrite, Timestamp};

/// A running clock; `warned` and `breached` say which of its events fired.
fn running(warned: bool, breached: bool) -> SlaClock {
    SlaClock {
        active: true,
        running_since: Some(Timestamp(1)),
        target_ms: 60_000,
        warn_ms: 48_000,
        due: Some(Timestamp(10_000)),
        warn_at: Some(Timestamp(8_000)),
        warned,
        breached,
        ..Default::default()
    }
}

/// 1: breached. 2: warned. 3: breached on one clock and warned on another. 4: breached but paused.
/// 5: warned. 6: no clocks at all (its JSON will lack the field). 7: idle clocks.
fn tickets() -> Vec<Ticket> {
    let mut v: Vec<Ticket> = (1..=7u64).map(|i| ticket(i, i as i64 * 10)).collect();
    v[0].escalation.first_response = running(true, true);
    v[1].escalation.update = running(true, false);
    v[2].escalation.update = running(true, true);
    v[2].escalation.solution = running(true, false);
    v[3].escalation.solution = SlaClock { running_since: None, due: None, warn_at: None, ..running(true, true) };
    v[4].escalation.solution = running(true, false);
    v
}

async fn listed(store: &chamado_postgres::PgStore, index: &TicketIndex) -> Vec<u64> {
    let ids: Vec<u64> = store.list_tickets(index, None, 10).await.unwrap().items.iter().map(|t| t.id.0).collect();
    assert_eq!(store.count_tickets(index).await.unwrap(), ids.len() as u64, "count of {index:?}");
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_marks_are_backfilled_from_the_rows() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("mig7");
    let all = tickets();
    {
        let store = common::store(&url, &schema).await;
        let writes = all.iter().map(|t| TicketWrite { ticket: t.clone(), expected_version: 0 }).collect();
        store.commit(Commit { tickets: writes, ..Default::default() }).await.unwrap();
        assert_eq!(listed(&store, &TicketIndex::Escalated).await, vec![3, 1], "written with the mark");
        assert_eq!(listed(&store, &TicketIndex::AtRisk).await, vec![5, 2]);
    }
    // Back to what migration 6 left: no column, no indexes; ticket 6's JSON without clocks.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    client.batch_execute(common::UNDO_MIGRATION_8).await.unwrap();
    client
        .batch_execute(
            "DROP INDEX tickets_escalated; DROP INDEX tickets_at_risk;
             ALTER TABLE tickets DROP COLUMN escalation_mark;
             DELETE FROM schema_migrations WHERE version = 7;
             UPDATE tickets SET data = data - 'sla' - 'escalation' WHERE id = 6",
        )
        .await
        .unwrap();

    let store = common::store(&url, &schema).await;
    let marks: Vec<(i64, i16)> = client
        .query("SELECT id, escalation_mark FROM tickets ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(marks, vec![(1, 2), (2, 1), (3, 2), (4, 0), (5, 1), (6, 0), (7, 0)]);
    let indexes: Vec<String> = client
        .query(
            "SELECT indexname::text FROM pg_indexes \
             WHERE schemaname = $1 AND indexname IN ('tickets_escalated', 'tickets_at_risk') ORDER BY 1",
            &[&schema],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(indexes, ["tickets_at_risk", "tickets_escalated"]);
    assert_eq!(listed(&store, &TicketIndex::Escalated).await, vec![3, 1]);
    assert_eq!(listed(&store, &TicketIndex::AtRisk).await, vec![5, 2]);
    for t in &all {
        let read = store.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(&read, t, "ticket {} reads back unchanged", t.id);
    }

    // Later writes keep the mark: 1's clock stops, 2 breaches.
    let mut answered = all[0].clone();
    answered.escalation.first_response = SlaClock::default();
    answered.changed_at = Timestamp(100);
    answered.version = 2;
    let mut breached = all[1].clone();
    breached.escalation.update.breached = true;
    breached.changed_at = Timestamp(101);
    breached.version = 2;
    let writes = [answered, breached].map(|t| TicketWrite { ticket: t, expected_version: 1 });
    store.commit(Commit { tickets: writes.to_vec(), ..Default::default() }).await.unwrap();
    assert_eq!(listed(&store, &TicketIndex::Escalated).await, vec![2, 3]);
    assert_eq!(listed(&store, &TicketIndex::AtRisk).await, vec![5]);
    assert!(store.ticket(TicketId(1)).await.unwrap().unwrap().escalation.is_idle());
    common::drop_schemas(&url, "mig7").await;
}
