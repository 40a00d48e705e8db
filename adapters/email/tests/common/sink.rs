//! A real SMTP server for outbound tests: Python's aiosmtpd, writing each message it receives to a
//! folder. A file `reply` in that folder makes it answer every DATA with its content (e.g. `451 ...`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The folder holding `sink_handler.py`, shared with the repository's test scripts.
fn handler_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/support")
}

/// A running aiosmtpd.
pub struct Sink {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Sink {
    /// Starts `python3 -m aiosmtpd -n -l 127.0.0.1:<port> -c sink_handler.Sink <dir>` with the
    /// repository's `tests/support/sink_handler.py`.
    pub async fn start() -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "sink_handler.Sink"])
            .arg(&out)
            .env("PYTHONPATH", handler_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let sink = Sink { child, port, dir };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return sink;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Makes the server answer every DATA with `reply` (`None`: accept again).
    pub fn force_reply(&self, reply: Option<&str>) {
        let p = self.out().join("reply");
        match reply {
            Some(r) => std::fs::write(p, r).unwrap(),
            None => {
                let _ = std::fs::remove_file(p);
            }
        }
    }

    /// The messages received so far, in order: (envelope lines, raw message).
    pub fn received(&self) -> Vec<(Vec<String>, Vec<u8>)> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.out())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names.iter().map(|p| (envelope(&p.with_extension("env")), std::fs::read(p).unwrap())).collect()
    }
}

fn envelope(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p).unwrap_or_default().lines().map(str::to_string).collect()
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
