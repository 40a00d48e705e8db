//! The engine's Store conformance suite, unchanged, on fresh redb files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado_redb::RedbStore;
use common::TempDir;

fn factory(dir: &TempDir) -> impl FnMut() -> RedbStore + '_ {
    let mut n = 0;
    move || {
        n += 1;
        RedbStore::open(dir.file(&format!("case-{n}.redb"))).expect("open a fresh store")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_on_tokio() {
    let dir = TempDir::new("conformance");
    chamado::testkit::run_conformance(factory(&dir)).await;
}

#[tokio::test(flavor = "current_thread")]
async fn conformance_on_a_current_thread_runtime() {
    let dir = TempDir::new("conformance-ct");
    chamado::testkit::run_conformance(factory(&dir)).await;
}

#[test]
fn conformance_outside_tokio() {
    let dir = TempDir::new("conformance-pollster");
    pollster::block_on(chamado::testkit::run_conformance(factory(&dir)));
}

#[test]
fn conformance_with_batches_of_one() {
    let dir = TempDir::new("conformance-b1");
    let mut n = 0;
    pollster::block_on(chamado::testkit::run_conformance(|| {
        n += 1;
        RedbStore::options().max_batch(1).open(dir.file(&format!("b1-{n}.redb"))).expect("open")
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_with_inline_reads() {
    let dir = TempDir::new("conformance-inline");
    let mut n = 0;
    chamado::testkit::run_conformance(|| {
        n += 1;
        RedbStore::options().inline_reads(true).open(dir.file(&format!("i-{n}.redb"))).expect("open")
    })
    .await;
}
