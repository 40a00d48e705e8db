//! A real SMTP server as the helpdesk's relay: Python's aiosmtpd with the repository's
//! `tests/support/sink_handler.py`, writing each message it receives to a folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running aiosmtpd; dropping it stops it.
pub struct Aiosmtpd {
    child: Child,
    /// Where it listens.
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Aiosmtpd {
    /// Starts it on a free loopback port; `Err` says why it could not (no python3, no aiosmtpd).
    pub async fn start() -> Result<Aiosmtpd, String> {
        let probe = Command::new("python3").args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
        if !probe.is_ok_and(|s| s.success()) {
            return Err("python3 with aiosmtpd is not installed (pip install aiosmtpd)".into());
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        let port = super::server::free_port();
        let handlers = Path::new(env!("CARGO_MANIFEST_DIR")).join("support");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "sink_handler.Sink"])
            .arg(dir.path().join("out"))
            .env("PYTHONPATH", handlers)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start aiosmtpd: {e}"))?;
        let server = Aiosmtpd { child, port, dir };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("aiosmtpd did not listen on port {port}"))
    }

    /// Every message received so far: (envelope recipients, raw message), in arrival order.
    pub fn received(&self) -> Vec<(Vec<String>, Vec<u8>)> {
        let out: PathBuf = self.dir.path().join("out");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| {
                let envelope = std::fs::read_to_string(eml.with_extension("env")).unwrap_or_default();
                let rcpt = envelope.lines().skip(1).map(str::to_string).collect();
                (rcpt, std::fs::read(&eml).unwrap())
            })
            .collect()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
