//! `chamado-admin` against the running helpdesk's API, as an administrator types it.

use std::path::PathBuf;

/// The CLI pointed at one helpdesk with the admin's token.
pub struct AdminCli {
    /// The binary.
    pub binary: PathBuf,
    /// `--url`.
    pub url: String,
    /// `--token`.
    pub token: String,
}

impl AdminCli {
    /// Runs `chamado-admin --url .. --token .. <args>`; fails the test unless it succeeds; returns its
    /// standard output.
    pub async fn run(&self, args: &[&str]) -> String {
        let out = tokio::process::Command::new(&self.binary)
            // Only the options given: no CHAMADO_DATA_DIR or CHAMADO_ADMIN_URL from the caller.
            .env_clear()
            .args(["--url", &self.url, "--token", &self.token])
            .args(args)
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "chamado-admin {args:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}
