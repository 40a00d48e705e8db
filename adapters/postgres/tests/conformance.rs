//! The PostgreSQL store passes the engine's Store conformance suite, each case in a fresh schema.
//! Needs `CHAMADO_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`); skips with a notice
//! when it is unset.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_conforms() {
    let Some(url) = common::url() else { return };
    chamado::testkit::run_conformance_with(|| async { common::store(&url, &common::schema_name("conf")).await }).await;
    common::drop_schemas(&url, "conf").await;
}
