//! Test database access: a fresh schema per store, dropped at the end.
#![allow(dead_code, clippy::expect_used)]

use chamado_postgres::PgStore;
use std::sync::atomic::{AtomicU32, Ordering};

/// The test database URL, or `None` (with a printed notice) when tests should skip.
pub fn url() -> Option<String> {
    match std::env::var("CHAMADO_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!("skipped: set CHAMADO_TEST_DATABASE_URL to run the PostgreSQL store tests");
            None
        }
    }
}

static SCHEMA: AtomicU32 = AtomicU32::new(0);

/// A schema name unique to this process and call.
pub fn schema_name(tag: &str) -> String {
    let n = SCHEMA.fetch_add(1, Ordering::SeqCst);
    format!("chamado_{tag}_{}_{n}", std::process::id())
}

/// A store in `schema` (created when missing).
pub async fn store(url: &str, schema: &str) -> PgStore {
    PgStore::connect_with(url, Some(schema), 8).await.expect("connect to the test database")
}

/// Drops every schema this process created whose name starts with `chamado_<tag>_<pid>_`.
pub async fn drop_schemas(url: &str, tag: &str) {
    let Ok((client, conn)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await else { return };
    tokio::spawn(conn);
    let prefix = format!("chamado_{tag}_{}_", std::process::id());
    let rows = client
        .query("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", &[&prefix])
        .await
        .unwrap_or_default();
    for r in rows {
        let name: String = r.get(0);
        let _ = client.batch_execute(&format!("DROP SCHEMA {name} CASCADE")).await;
    }
}

/// Undoes migrations 9 (ticket counts) and 8 (event log, webhook deliveries), for tests that take a
/// database back to an older schema: later migrations run again after the one they test.
pub const UNDO_MIGRATION_8: &str =
    "DROP TRIGGER tickets_count_insert ON tickets; DROP TRIGGER tickets_count_update ON tickets;
     DROP TRIGGER tickets_count_delete ON tickets; DROP FUNCTION chamado_count_tickets();
     DROP FUNCTION chamado_count_keys(text, smallint, text, text, jsonb, smallint); DROP TABLE ticket_counts;
     DROP FUNCTION chamado_event_horizon(); DROP FUNCTION chamado_append_events(bigint[], jsonb[]);
     DROP FUNCTION chamado_event_lock(int); DROP TABLE events; DROP TABLE webhooks; DROP SEQUENCE event_seq;
     DELETE FROM schema_migrations WHERE version >= 8;";
