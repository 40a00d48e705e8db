//! The helpdesk as a child process: its settings, start, readiness, graceful stop, and its log shown
//! when a test fails.

use super::api::Api;
use super::poll::PATIENCE;
use std::fs::OpenOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use tokio::process::{Child, Command};
use tokio::time::Instant;

/// A loopback port nobody listens on right now (bound, read, released).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Everything a start needs; the same settings start it again after a stop.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The `helpdesk` binary.
    pub binary: PathBuf,
    /// The working directory: the data directory and the log go inside.
    pub work: PathBuf,
    /// REST API and portal.
    pub http: SocketAddr,
    /// SMTP intake.
    pub smtp: SocketAddr,
    /// The outbound relay (the test's sink).
    pub relay: SocketAddr,
    /// The system address.
    pub mail_from: String,
    /// The Bot API server (the stand-in) and the token it accepts.
    pub telegram: (String, String),
    /// More variables, set over the ones above.
    pub env: Vec<(String, String)>,
}

impl Settings {
    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.work.join("data")
    }

    /// Where the helpdesk's output goes (appended across restarts).
    pub fn log(&self) -> PathBuf {
        self.work.join("helpdesk.log")
    }
}

/// A running helpdesk. Dropping it kills the process.
pub struct Helpdesk {
    child: Child,
}

/// The helpdesk's command with `settings`.
fn command(settings: &Settings) -> Command {
    let mut command = Command::new(&settings.binary);
    // Only the variables below: nothing from the caller's environment (a CHAMADO_DATABASE_URL, a
    // real bot token) may change what is tested. Environment variables stay the helpdesk's
    // documented way to be configured.
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_BACKTRACE", "1")
        .env("CHAMADO_DATA_DIR", settings.data_dir())
        .env("CHAMADO_HTTP_ADDR", settings.http.to_string())
        .env("CHAMADO_SMTP_ADDR", settings.smtp.to_string())
        .env("CHAMADO_FULL_TEXT_SEARCH", "true")
        .env("CHAMADO_SMTP_RELAY", format!("smtp://{}", settings.relay))
        .env("CHAMADO_MAIL_FROM", &settings.mail_from)
        .env("TELEGRAM_API_URL", &settings.telegram.0)
        .env("TELEGRAM_BOT_TOKEN", &settings.telegram.1)
        .envs(settings.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&settings.work)
        .stdin(Stdio::null());
    command
}

/// Starts the helpdesk expecting it to refuse its settings: its exit status and what it wrote to
/// stderr.
pub async fn refused_start(settings: &Settings) -> (ExitStatus, String) {
    let mut command = command(settings);
    let run = command.stdout(Stdio::null()).stderr(Stdio::piped()).kill_on_drop(true).output();
    match tokio::time::timeout(PATIENCE, run).await {
        Ok(out) => {
            let out = out.unwrap();
            (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
        }
        Err(_) => panic!("the helpdesk did not stop within {PATIENCE:?} on bad settings"),
    }
}

impl Helpdesk {
    /// Starts the helpdesk and waits until its API answers `/healthz`.
    pub async fn start(settings: &Settings, api: &Api) -> Helpdesk {
        let log = OpenOptions::new().create(true).append(true).open(settings.log()).unwrap();
        let child = command(settings).stdout(log.try_clone().unwrap()).stderr(log).kill_on_drop(true).spawn().unwrap();
        let mut helpdesk = Helpdesk { child };
        let deadline = Instant::now() + PATIENCE;
        while !api.healthy().await {
            if let Some(status) = helpdesk.child.try_wait().unwrap() {
                panic!("the helpdesk exited during start-up ({status})");
            }
            assert!(Instant::now() < deadline, "the helpdesk did not answer /healthz within {PATIENCE:?}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        helpdesk
    }

    /// Stops the helpdesk the way a service manager does (SIGTERM) and returns how it exited.
    pub async fn stop(mut self) -> ExitStatus {
        let pid = self.child.id().unwrap();
        let sent = Command::new("kill").args(["-TERM", &pid.to_string()]).status().await.unwrap();
        assert!(sent.success(), "kill -TERM {pid} failed");
        match tokio::time::timeout(PATIENCE, self.child.wait()).await {
            Ok(status) => status.unwrap(),
            Err(_) => panic!("the helpdesk did not stop within {PATIENCE:?} of SIGTERM"),
        }
    }
}

/// Prints the end of the helpdesk's log when the test fails while this is alive (the harness shows it
/// with the failure).
pub struct LogOnFailure(pub PathBuf);

impl Drop for LogOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let text = std::fs::read_to_string(&self.0).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(80)..];
            eprintln!("--- helpdesk log ({}), last {} lines ---\n{}", self.0.display(), tail.len(), tail.join("\n"));
        }
    }
}

/// Whether this machine can send SIGTERM with `kill`; the error says why not.
pub async fn can_signal() -> Result<(), String> {
    match Command::new("kill").arg("-l").stdout(Stdio::null()).stderr(Stdio::null()).status().await {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`kill -l` failed ({s})")),
        Err(e) => Err(format!("no `kill` command to stop the helpdesk gracefully: {e}")),
    }
}
