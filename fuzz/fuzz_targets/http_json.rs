//! Arbitrary bytes as the JSON body of the router's JSON routes (the first byte picks the route), on a
//! fresh seeded fixture each time: no server error, no panic, API errors as problem+json. The driver is
//! `chamado_api::fuzzing` (feature `fuzzing`), shared with `tests/http/fuzz_seeds.rs`, which
//! replays the seeds in `fuzz/corpus/http_json` as a regular test.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// One current-thread runtime for the whole run.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime"))
}

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = runtime().block_on(chamado_api::fuzzing::exercise(data)) {
        panic!("{finding}");
    }
});
