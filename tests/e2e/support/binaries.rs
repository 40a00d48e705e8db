//! The binaries under test, built by cargo from the test itself.
//!
//! `cargo test --workspace` builds the workspace's examples, but `cargo test -p chamado-tests` does
//! not; so the test runs `cargo build` for exactly what it needs. It names the target directory and
//! profile the test binary itself was built in, so the build lands (and is usually fresh) where
//! `cargo test` put everything else, whatever `CARGO_TARGET_DIR` or `--release` said. Cargo releases
//! its build lock before it runs test binaries, so this nested build does not wait on its parent.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// Paths of the built binaries.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// The `helpdesk` example server.
    pub helpdesk: PathBuf,
    /// The `chamado-admin` CLI.
    pub admin: PathBuf,
}

/// Where the running test binary was built: the target directory and the cargo profile.
fn target_of_this_test() -> Result<(PathBuf, String), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate the test binary: {e}"))?;
    // <target>/<profile dir>/deps/<test>-<hash>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected test binary location {}", exe.display()))?;
    let target = profile_dir.parent().ok_or_else(|| format!("unexpected test binary location {}", exe.display()))?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev".to_string(),
        Some(other) => other.to_string(),
        None => return Err(format!("unexpected test binary location {}", exe.display())),
    };
    Ok((target.to_path_buf(), profile))
}

/// Builds `helpdesk` and `chamado-admin` and returns their paths; the error says why not.
pub async fn build() -> Result<Binaries, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf();
    let (target, profile) = target_of_this_test()?;
    let out = tokio::process::Command::new(&cargo)
        .current_dir(&workspace)
        .arg("build")
        .args(["--message-format=json-render-diagnostics", "--profile", &profile, "--target-dir"])
        .arg(&target)
        .args(["-p", "chamado-examples", "--example", "helpdesk", "-p", "chamado-admin", "--bin", "chamado-admin"])
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| format!("cannot run {}: {e}", PathBuf::from(&cargo).display()))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo build` of helpdesk and chamado-admin failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let (mut helpdesk, mut admin) = (None, None);
    for line in out.stdout.split(|b| *b == b'\n') {
        let Ok(msg) = serde_json::from_slice::<Value>(line) else { continue };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let Some(exe) = msg["executable"].as_str() else { continue };
        let kinds = msg["target"]["kind"].as_array().cloned().unwrap_or_default();
        match (msg["target"]["name"].as_str(), kinds.first().and_then(Value::as_str)) {
            (Some("helpdesk"), Some("example")) => helpdesk = Some(PathBuf::from(exe)),
            (Some("chamado-admin"), Some("bin")) => admin = Some(PathBuf::from(exe)),
            _ => {}
        }
    }
    match (helpdesk, admin) {
        (Some(helpdesk), Some(admin)) => Ok(Binaries { helpdesk, admin }),
        _ => Err("`cargo build` did not report the helpdesk and chamado-admin executables".into()),
    }
}
