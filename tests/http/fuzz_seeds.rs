//! The `http_json` fuzz target's seed corpus (`fuzz/corpus/http_json`, plus any crashes saved in
//! `fuzz/artifacts/http_json`) replayed as a regular test through the same driver,
//! `chamado_api::fuzzing::exercise`: no server error, every API error problem+json. Seeds named
//! `ok-*` are valid requests and must succeed, so the fixture really reaches the handlers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chamado_api::fuzzing::{self, ROUTES};
use std::collections::BTreeSet;
use std::path::Path;

#[tokio::test]
async fn fuzz_seeds_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus/http_json", "artifacts/http_json"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            files.extend(rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    let mut ok_routes = BTreeSet::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let done = fuzzing::exercise(&data).await.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        if name.starts_with("ok-") {
            let done = done.unwrap_or_else(|| panic!("{name} is empty"));
            assert!(done.status.is_success(), "{name}: {:?} answered {}", ROUTES[done.route], done.status);
            ok_routes.insert(done.route);
        }
    }
    let missing: Vec<_> = (0..ROUTES.len()).filter(|i| !ok_routes.contains(i)).map(|i| ROUTES[i]).collect();
    assert!(missing.is_empty(), "routes without a valid seed in fuzz/corpus/http_json: {missing:?}");
}

/// The fixture's ticket numbers are fixed (the merge seed names one).
#[tokio::test]
async fn fixture_ticket_numbers_are_stable() {
    let a = fuzzing::Fixture::new().await.unwrap();
    let b = fuzzing::Fixture::new().await.unwrap();
    assert_eq!((&a.ticket, &a.other), (&b.ticket, &b.other));
    println!("fixture tickets: {} {}", a.ticket, a.other);
}
