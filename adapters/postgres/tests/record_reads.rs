//! Grouped record reads: many reads by key at once (present, absent, a row that does not decode, the
//! same key many times) get the answers they get one by one; readers that give up do not strand the
//! others; and a statement that fails fails every read it carried, promptly.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::*;
use chamado_postgres::PgStore;
use std::time::Duration;

/// No read may take anywhere near this long: past it, a read is taken to hang.
const PATIENCE: Duration = Duration::from_secs(30);

/// A plain connection whose statements see `schema`'s tables.
async fn raw(url: &str, schema: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    client
}

/// Records of several kinds, and a customer-user row that does not decode.
async fn fill(s: &PgStore, url: &str, schema: &str) {
    for i in 0..20 {
        s.put_record(Record::CustomerUser(CustomerUser::new(format!("u{i}"), format!("u{i}@example.com"), "acme")))
            .await
            .unwrap();
    }
    for i in 0..10 {
        s.put_record(Record::Agent(Agent::new(format!("a{i}")))).await.unwrap();
    }
    s.put_record(Record::Group(Group::new("users"))).await.unwrap();
    s.put_record(Record::Customer(Customer::new("acme", "Acme"))).await.unwrap();
    raw(url, schema)
        .await
        .batch_execute(r#"INSERT INTO records (kind, key, data) VALUES ('customer_user', 'broken', '{"bogus": 1}')"#)
        .await
        .unwrap();
}

/// Keys present, absent (unknown names; a known name under another kind) and the row that does not decode.
fn keys() -> Vec<RecordKey> {
    let mut keys = Vec::new();
    for i in 0..24 {
        keys.push(RecordKey::new(RecordKind::CustomerUser, format!("u{i}")));
    }
    for i in 0..12 {
        keys.push(RecordKey::new(RecordKind::Agent, format!("a{i}")));
    }
    keys.push(RecordKey::new(RecordKind::Agent, "u1"));
    keys.push(RecordKey::new(RecordKind::Group, "users"));
    keys.push(RecordKey::new(RecordKind::Group, "admin"));
    keys.push(RecordKey::new(RecordKind::Customer, "acme"));
    keys.push(RecordKey::new(RecordKind::CustomerUser, "broken"));
    keys.push(RecordKey::new(RecordKind::CustomerUser, ""));
    keys
}

/// A read's answer, comparable: the record, or that it failed and how.
fn outcome(r: StoreResult<Option<Record>>) -> Result<Option<Record>, String> {
    r.map_err(|e| format!("{e:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouped_reads_answer_as_one_by_one() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("rreads");
    let s = common::store(&url, &schema).await;
    fill(&s, &url, &schema).await;
    let keys = keys();
    // One by one, nothing else reading: each read goes alone.
    let mut alone = Vec::new();
    for k in &keys {
        alone.push(outcome(s.record(k).await));
    }
    assert!(matches!(&alone[0], Ok(Some(Record::CustomerUser(u))) if u.login == "u0"));
    assert_eq!(alone[20], Ok(None), "u20 was never written");
    assert!(alone.iter().any(|a| a.is_err()), "the row that does not decode fails its read");
    assert_eq!(alone.iter().filter(|a| a.is_err()).count(), 1, "and only its read");

    // 64 readers at once, each going over every key from its own starting point several times, so
    // statements carry many keys, the same key for several readers, and the failing key beside others.
    let mut tasks = Vec::new();
    for t in 0..64 {
        let (s, keys) = (s.clone(), keys.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for pass in 0..3 {
                for j in 0..keys.len() {
                    let i = (t * 7 + pass + j) % keys.len();
                    got.push((i, outcome(s.record(&keys[i]).await)));
                }
            }
            got
        }));
    }
    for task in tasks {
        let got = tokio::time::timeout(PATIENCE, task).await.expect("grouped reads finish").unwrap();
        for (i, answer) in got {
            assert_eq!(answer, alone[i], "key {:?} read among others", keys[i]);
        }
    }

    // A read sees every write that finished before it began, however reads are grouped.
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for v in 0..50 {
                let mut u = CustomerUser::new("u0", format!("v{v}@example.com"), "acme");
                u.first_name = format!("v{v}");
                s.put_record(Record::CustomerUser(u)).await.unwrap();
                match s.record(&RecordKey::new(RecordKind::CustomerUser, "u0")).await.unwrap() {
                    Some(Record::CustomerUser(got)) => assert_eq!(got.email, format!("v{v}@example.com")),
                    other => panic!("u0 after write {v}: {other:?}"),
                }
            }
        })
    };
    let mut readers = Vec::new();
    for _ in 0..32 {
        let (s, keys) = (s.clone(), keys.clone());
        readers.push(tokio::spawn(async move {
            for k in keys.iter().take(20).cycle().take(200) {
                let _ = s.record(k).await;
            }
        }));
    }
    tokio::time::timeout(PATIENCE, writer).await.expect("the writer finishes").unwrap();
    for r in readers {
        tokio::time::timeout(PATIENCE, r).await.expect("readers finish").unwrap();
    }
    common::drop_schemas(&url, "rreads").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_that_give_up_strand_nobody() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("rgiveup");
    let s = common::store(&url, &schema).await;
    fill(&s, &url, &schema).await;
    let keys = keys();
    for round in 0..20 {
        let mut tasks = Vec::new();
        for t in 0..64 {
            let (s, key) = (s.clone(), keys[t % 20].clone());
            tasks.push(tokio::spawn(async move { s.record(&key).await }));
        }
        // Some readers (leaders among them, whichever they are) are dropped while they wait or lead.
        tokio::task::yield_now().await;
        for (t, task) in tasks.iter().enumerate() {
            if (t + round) % 3 == 0 {
                task.abort();
            }
        }
        for (t, task) in tasks.into_iter().enumerate() {
            match tokio::time::timeout(PATIENCE, task).await.expect("no reader is stranded") {
                Ok(r) => assert!(
                    matches!(r, Ok(Some(Record::CustomerUser(u))) if u.login == format!("u{}", t % 20)),
                    "round {round}, reader {t}"
                ),
                Err(e) => assert!(e.is_cancelled(), "round {round}, reader {t}: {e}"),
            }
        }
    }
    // Afterwards a read alone still goes through (no place was lost).
    let one = tokio::time::timeout(PATIENCE, s.record(&keys[3])).await.expect("a read after");
    assert!(matches!(one, Ok(Some(Record::CustomerUser(u))) if u.login == "u3"));
    common::drop_schemas(&url, "rgiveup").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_statement_fails_every_read_it_carried() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("rfail");
    let s = common::store(&url, &schema).await;
    fill(&s, &url, &schema).await;
    let keys = keys();
    // Warm: both statements prepared on pooled connections, as on a running node.
    let mut warm = Vec::new();
    for t in 0..64 {
        let (s, key) = (s.clone(), keys[t % keys.len()].clone());
        warm.push(tokio::spawn(async move { s.record(&key).await }));
    }
    for w in warm {
        let _ = w.await.unwrap();
    }
    raw(&url, &schema).await.batch_execute("DROP TABLE records CASCADE").await.unwrap();
    let mut tasks = Vec::new();
    for t in 0..64 {
        let (s, key) = (s.clone(), keys[t % keys.len()].clone());
        tasks.push(tokio::spawn(async move { s.record(&key).await }));
    }
    for (t, task) in tasks.into_iter().enumerate() {
        let r = tokio::time::timeout(PATIENCE, task).await.expect("a failed read is answered, not left waiting");
        assert!(matches!(r.unwrap(), Err(StoreError::Unavailable(_))), "reader {t} fails");
    }
    common::drop_schemas(&url, "rfail").await;
}
