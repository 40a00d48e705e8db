//! Import from Znuny: tickets per second read from a Znuny 7 database on PostgreSQL and written into
//! a fresh redb store, as `chamado-admin import-znuny` does (directory first, then tickets in batches of
//! 100 written side by side, their numbers reserved per batch).
//!
//! ```text
//! cargo bench -p chamado-benches --bench znuny_import
//! ```
//!
//! Loads Znuny's own schema and initial data from `../shared/znuny-db` into a scratch database on
//! `CHAMADO_TEST_DATABASE_URL`'s server (default `postgres://postgres@127.0.0.1:5432/test`), fills it
//! with `CHAMADO_BENCH_TICKETS` tickets (default 5000) of 3 MIME articles and 2 history entries each
//! by bulk INSERTs, then imports it 3 times (`CHAMADO_BENCH_ROUNDS`), each into a fresh store, and
//! prints the median. The scratch database is dropped at the end.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chamado::{Actor, Engine};
use chamado_redb::RedbStore;
use chamado_znuny::ZnunySource;
use std::path::Path;
use std::time::Instant;

const BATCH: usize = 100;

fn main() {
    let files = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/znuny-db");
    if !files.join("schema.postgresql.sql").is_file() {
        eprintln!("skipped: {} is absent (Znuny's schema and initial data)", files.display());
        return;
    }
    let url = std::env::var("CHAMADO_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let tickets: u64 = std::env::var("CHAMADO_BENCH_TICKETS").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    let rounds: usize = std::env::var("CHAMADO_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(3);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let name = format!("znuny_bench_{}", std::process::id());
    let znuny_url = match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("CHAMADO_TEST_DATABASE_URL has no database name: {url}"),
    };
    rt.block_on(async {
        let admin = connect(&url).await;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let started = Instant::now();
        fill(&znuny_url, &files, tickets).await;
        println!("filled {tickets} tickets x 3 articles in {:.1} s", started.elapsed().as_secs_f64());
        let mut rates = Vec::new();
        for round in 0..rounds.max(1) {
            let rate = import(&znuny_url, tickets).await;
            println!("znuny import (PostgreSQL -> redb): round {round}: {rate:.0} tickets/s");
            rates.push(rate);
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "znuny import (PostgreSQL -> redb), {tickets} tickets x 3 articles: median {:.0} tickets/s",
            rates[rates.len() / 2]
        );
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    });
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// Znuny's files, then `n` tickets of 3 customer email articles and 2 history entries, set-wise.
async fn fill(url: &str, files: &Path, n: u64) {
    let db = connect(url).await;
    for f in ["schema", "initial_insert", "schema-post"] {
        let sql = std::fs::read_to_string(files.join(format!("{f}.postgresql.sql"))).unwrap();
        db.batch_execute(&sql).await.unwrap();
    }
    let stamp = "current_timestamp, 1, current_timestamp, 1";
    db.batch_execute(&format!(
        "INSERT INTO customer_company (customer_id, name, valid_id, create_time, create_by, change_time, change_by) \
           VALUES ('acme', 'Acme', 1, {stamp});
         INSERT INTO customer_user (login, email, customer_id, pw, first_name, last_name, valid_id, \
           create_time, create_by, change_time, change_by) \
           SELECT 'user' || g, 'user' || g || '@acme.example', 'acme', '', 'User', g::text, 1, {stamp} \
           FROM generate_series(1, 100) g;
         INSERT INTO ticket (tn, title, queue_id, ticket_lock_id, user_id, responsible_user_id, ticket_priority_id, \
           ticket_state_id, customer_user_id, customer_id, timeout, until_time, escalation_time, \
           escalation_update_time, escalation_response_time, escalation_solution_time, \
           create_time, create_by, change_time, change_by) \
           SELECT (3000000000 + g)::text, 'Bench ticket ' || g, 2, 1, 1, 1, 3, 4, 'user' || (g % 100 + 1), 'acme', \
           0, 0, 0, 0, 0, 0, {stamp} FROM generate_series(1, {n}) g;
         INSERT INTO article (ticket_id, article_sender_type_id, communication_channel_id, is_visible_for_customer, \
           insert_fingerprint, create_time, create_by, change_time, change_by) \
           SELECT t.id, 3, 1, 1, t.id || '-' || k, {stamp} FROM ticket t CROSS JOIN generate_series(1, 3) k \
           WHERE t.tn LIKE '3%';
         INSERT INTO article_data_mime (article_id, a_from, a_to, a_subject, a_body, a_message_id, incoming_time, \
           content_path, create_time, create_by, change_time, change_by) \
           SELECT a.id, 'User <user@acme.example>', 'support@example.com', 'Question ' || a.id, \
           repeat('The printer on the third floor does not print. ', 20), '<' || a.id || '@bench.example>', \
           1700000000 + a.id, '2026/01/10', {stamp} FROM article a WHERE a.insert_fingerprint IS NOT NULL;
         INSERT INTO ticket_history (name, history_type_id, ticket_id, type_id, queue_id, owner_id, priority_id, \
           state_id, create_time, create_by, change_time, change_by) \
           SELECT 'New Ticket created.', k, t.id, 1, 2, 1, 3, 4, {stamp} FROM ticket t \
           CROSS JOIN (VALUES (1), (2)) AS h(k) WHERE t.tn LIKE '3%';
         ANALYZE;"
    ))
    .await
    .unwrap();
}

/// One import into a fresh store: the directory, then every ticket. Tickets per second of the whole.
async fn import(url: &str, expected: u64) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let store = RedbStore::open(dir.path().join("chamado.redb")).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    let started = Instant::now();
    let source = ZnunySource::connect(url).await.unwrap();
    let admin = engine.admin(&Actor::System).await.unwrap();
    for r in source.directory().await.unwrap().records {
        admin.import_record(r).await.unwrap();
    }
    let (mut after, mut imported) = (0, 0u64);
    loop {
        let ids = source.ticket_ids(after, BATCH).await.unwrap();
        let Some(last) = ids.last() else { break };
        after = *last;
        let batch = source.tickets(&ids, None).await.unwrap();
        let numbers: Vec<String> = batch.tickets.iter().map(|t| t.number.clone()).collect();
        let writes = batch.tickets.into_iter().map(|t| admin.import_ticket(t));
        for outcome in futures_util::future::join_all(writes).await {
            outcome.unwrap();
            imported += 1;
        }
        admin.reserve_imported_numbers(numbers.iter().map(String::as_str)).await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    source.close().await;
    assert_eq!(imported, expected + 1, "every ticket and Znuny's welcome ticket");
    drop(engine);
    store.close().unwrap();
    imported as f64 / secs
}
