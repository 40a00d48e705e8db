//! What the end-to-end tests share: the binaries under test, the server process, the HTTP API and the
//! admin CLI, an SMTP client and an SMTP relay sink, and polling with deadlines.

pub mod admin_cli;
pub mod aiosmtpd;
pub mod api;
pub mod binaries;
pub mod poll;
pub mod server;
pub mod smtp_client;
pub mod smtp_sink;

/// True when `CHAMADO_E2E=1` (CI): a missing piece is then a failure, not a skip.
pub fn required() -> bool {
    std::env::var("CHAMADO_E2E").is_ok_and(|v| v.trim() == "1")
}

/// Skips the test (it passes, saying why) unless `CHAMADO_E2E=1`, where it fails.
pub fn skip(test: &str, why: &str) {
    if required() {
        panic!("{test}: {why} (CHAMADO_E2E=1: end-to-end tests must not skip)");
    }
    eprintln!("{test}: skipped: {why} (set CHAMADO_E2E=1 to make this a failure)");
}

/// Notes a step with the time since `start` (shown with a failure, or with `--nocapture`).
pub fn step(start: std::time::Instant, what: &str) {
    eprintln!("[{:>6.1}s] {what}", start.elapsed().as_secs_f64());
}
