//! Raw bytes through the email adapter: parse, normalise, intake on the memory store. Nothing may
//! panic; a memory store never fails, so the result is accepted or refused with a reason.
//! Seeds: `fuzz/corpus/email` (replayed by `adapters/email/tests/fuzz_seeds.rs` as a regular test).
#![no_main]

use chamado::{Engine, MemoryStore};
use chamado_email::{Disposition, Envelope, MailIntake, QueueMap, parse_message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_message(data, None);
    pollster::block_on(async {
        let Ok(engine) = Engine::builder(MemoryStore::new()).build() else { return };
        if engine.seed_defaults("admin").await.is_err() {
            return;
        }
        let intake = MailIntake::new(engine, QueueMap::new());
        let env = Envelope::new(Some("fuzz@example.org".into()), vec!["support@localhost".into()]);
        match intake.deliver(data, &env).await {
            Disposition::Accepted(_) => {}
            Disposition::Refused(reason) => assert!(!reason.is_empty()),
            Disposition::TryLater(reason) => panic!("memory store said try later: {reason}"),
        }
    });
});
