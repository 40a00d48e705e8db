//! Arbitrary bytes as a Telegram `Update` through the bot's update handling, on a fresh fixture each
//! time: no panic, no failure for good. The driver is `chamado_telegram::fuzzing` (feature `fuzzing`),
//! shared with `adapters/telegram/tests/fuzz_seeds.rs`, which replays the seeds in
//! `fuzz/corpus/telegram_update` as a regular test.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// One current-thread runtime for the whole run.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime"))
}

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = runtime().block_on(chamado_telegram::fuzzing::exercise(data)) {
        panic!("{finding}");
    }
});
