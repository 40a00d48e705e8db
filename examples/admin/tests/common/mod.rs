//! Running the built `chamado-admin` binary in tests.
#![allow(dead_code)]

pub mod edits;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// What a run printed and how it ended.
pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            ok: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// The run succeeded; its stdout.
    #[track_caller]
    pub fn out(&self) -> &str {
        assert!(self.ok, "expected success, got {:?}\nstdout: {}\nstderr: {}", self.code, self.stdout, self.stderr);
        &self.stdout
    }

    /// The run failed with status 1 and a message; its stderr.
    #[track_caller]
    pub fn err(&self) -> &str {
        assert_eq!(self.code, Some(1), "expected exit 1\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(!self.stderr.trim().is_empty(), "no error message");
        assert!(!self.stderr.contains("panicked"), "panicked: {}", self.stderr);
        &self.stderr
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.out()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// A command for the binary with no `CHAMADO_*` settings from the environment.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chamado-admin"));
    for var in [
        "CHAMADO_DATA_DIR",
        "CHAMADO_ADMIN_URL",
        "CHAMADO_ADMIN_TOKEN",
        "CHAMADO_DATABASE_URL",
        "CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS",
    ] {
        c.env_remove(var);
    }
    c.stdin(Stdio::null());
    c
}

/// Runs the binary in direct mode on `dir`.
pub fn admin(dir: &Path, args: &[&str]) -> Run {
    let out = command().arg("--data-dir").arg(dir).args(args).output().expect("run chamado-admin");
    Run::from(out)
}

/// Runs the binary in direct mode on `dir`, feeding `input` on stdin.
pub fn admin_with_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = command()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chamado-admin");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    Run::from(child.wait_with_output().expect("wait"))
}

/// Runs the binary in HTTP mode.
pub fn admin_http(url: &str, token: &str, args: &[&str]) -> Run {
    let out = command().args(["--url", url, "--token", token]).args(args).output().expect("run chamado-admin");
    Run::from(out)
}
