//! The `telegram_update` fuzz target's seed corpus (`fuzz/corpus/telegram_update`, plus any crashes
//! saved in `fuzz/artifacts/telegram_update`) replayed as a regular test through the same driver,
//! `chamado_telegram::fuzzing::exercise`: no panic, no failure for good. Seeds named `ok-*` are
//! updates Telegram sends and must parse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chamado_telegram::fuzzing::{self, Exercised};
use std::path::Path;

#[tokio::test]
async fn fuzz_seeds_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus/telegram_update", "artifacts/telegram_update"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            files.extend(rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    assert!(files.len() >= 10, "the seed corpus fuzz/corpus/telegram_update is missing");
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let done = fuzzing::exercise(&data).await.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let name = f.file_name().unwrap().to_string_lossy();
        if name.starts_with("ok-") {
            assert_ne!(done, Exercised::NotAnUpdate, "{name} does not parse as an update");
        }
    }
}

/// The fixture's chat has its ticket open, and a follow-up goes to it (so the seeds that name the
/// ticket reach it).
#[tokio::test]
async fn fixture_follow_up_reaches_the_ticket() {
    let f = fuzzing::Fixture::new().await.unwrap();
    assert_eq!(f.ticket, "2026112710000013", "the seeds name this number");
    let update = fuzzing::text_update(2, 2, fuzzing::KNOWN_USER, "Still jamming.");
    f.bot.handle_update(serde_json::from_str(&update.to_string()).unwrap()).await.unwrap();
    let view = f.engine.ticket(&chamado::Actor::agent("admin"), &f.ticket).await.unwrap();
    assert_eq!(view.articles.len(), 2, "{:?}", view.articles);
}
