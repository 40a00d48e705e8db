//! The fuzz target's seed corpus (`fuzz/corpus/email`, plus any crashes saved next to it in
//! `fuzz/artifacts/email`) replayed as a regular test, with the same checks as `fuzz_targets/email.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::{Disposition, Envelope, MailIntake, QueueMap, parse_message};
use std::path::Path;

#[tokio::test]
async fn fuzz_seeds_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus/email", "artifacts/email"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            files.extend(rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    assert!(files.len() >= 5, "the seed corpus fuzz/corpus/email is missing");
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let _ = parse_message(&data, None);
        let intake = MailIntake::new(common::engine().await, QueueMap::new());
        let env = Envelope::new(Some("fuzz@example.org".into()), vec!["support@localhost".into()]);
        match intake.deliver(&data, &env).await {
            Disposition::Accepted(_) => {}
            Disposition::Refused(reason) => assert!(!reason.is_empty(), "{}", f.display()),
            Disposition::TryLater(reason) => panic!("{}: try later on a memory store: {reason}", f.display()),
        }
    }
}
