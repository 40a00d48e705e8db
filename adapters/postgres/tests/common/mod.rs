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
