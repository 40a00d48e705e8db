//! Maildir intake: take every message in `new/`, move the committed ones to `cur/`.
//!
//! A message is moved only after the engine's commit returned. A refused one goes to the Maildir++
//! folder `.failed` (its `cur/`), with the reason in `.failed/<name>.reason.txt`. One the engine could
//! not take now stays in `new/` and is tried again on the next pass. Nothing is ever deleted.

use crate::intake::{Disposition, Envelope, MailIntake};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaildirReport {
    /// Committed (or already there) and moved to `cur/`.
    pub accepted: usize,
    /// Refused and moved to `.failed`.
    pub refused: usize,
    /// Left in `new/` for the next pass.
    pub deferred: usize,
}

/// A Maildir watched for new mail.
pub struct MaildirIntake {
    root: PathBuf,
    intake: MailIntake,
}

impl MaildirIntake {
    /// Intake from the Maildir at `root` (with `new/`, `cur/`, `tmp/`).
    pub fn new(root: impl Into<PathBuf>, intake: MailIntake) -> Self {
        MaildirIntake { root: root.into(), intake }
    }

    /// Processes every message now in `new/`, oldest name first. Errors are about the folder itself
    /// (missing, unreadable); a message that cannot be read or moved is left where it is.
    pub async fn process_new(&self) -> std::io::Result<MaildirReport> {
        let new = self.root.join("new");
        let cur = self.root.join("cur");
        tokio::fs::create_dir_all(&cur).await?;
        let mut names = Vec::new();
        let mut dir = tokio::fs::read_dir(&new).await?;
        while let Some(entry) = dir.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') && entry.file_type().await.is_ok_and(|t| t.is_file()) {
                names.push(name);
            }
        }
        names.sort();
        let mut report = MaildirReport::default();
        for name in names {
            let path = new.join(&name);
            let Ok(raw) = tokio::fs::read(&path).await else {
                report.deferred += 1;
                continue;
            };
            match self.intake.deliver(&raw, &Envelope::default()).await {
                Disposition::Accepted(_) => match tokio::fs::rename(&path, cur.join(cur_name(&name))).await {
                    Ok(()) => report.accepted += 1,
                    // Committed but not moved: the next pass finds a duplicate and moves it then.
                    Err(_) => report.deferred += 1,
                },
                Disposition::Refused(reason) => match self.fail(&path, &name, &reason).await {
                    Ok(()) => report.refused += 1,
                    Err(e) => {
                        tracing::warn!(file = %path.display(), error = %e, "cannot move a refused message to .failed");
                        report.deferred += 1;
                    }
                },
                Disposition::TryLater(_) => report.deferred += 1,
            }
        }
        Ok(report)
    }

    /// Runs passes every `interval` until `shutdown` completes (a pass in progress is finished).
    /// Folder errors are retried on the next pass.
    pub async fn run(&self, interval: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.process_new().await {
                tracing::warn!(maildir = %self.root.display(), error = %e, "maildir pass failed; retrying");
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(interval) => {}
            }
        }
    }

    async fn fail(&self, path: &Path, name: &str, reason: &str) -> std::io::Result<()> {
        let failed = self.root.join(".failed");
        for sub in ["cur", "new", "tmp"] {
            tokio::fs::create_dir_all(failed.join(sub)).await?;
        }
        tokio::fs::write(failed.join(format!("{name}.reason.txt")), format!("{reason}\n")).await?;
        tokio::fs::rename(path, failed.join("cur").join(cur_name(name))).await
    }
}

/// The name in `cur/`: the unique part with an empty `:2,` info (seen by nobody yet).
fn cur_name(name: &str) -> String {
    let base = name.split(':').next().unwrap_or(name);
    format!("{base}:2,")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cur_names_carry_info() {
        assert_eq!(super::cur_name("123.abc.host"), "123.abc.host:2,");
        assert_eq!(super::cur_name("123.abc.host:2,S"), "123.abc.host:2,");
    }
}
