//! The memory store passes the Store conformance suite.

#[test]
fn memory_store_conforms() {
    pollster::block_on(chamado::testkit::run_conformance(chamado::MemoryStore::new));
}
