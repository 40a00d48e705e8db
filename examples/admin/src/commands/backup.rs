//! `init`, `export` and `import`: the commands that work on the store file itself.

use crate::direct::Direct;
use crate::error::{AdminError, Result};
use crate::output::Output;
use chamado_redb::BackupStats;
use serde_json::json;
use std::io::{BufReader, Write};
use std::path::Path;

/// Creates (when missing) and seeds the store of `data_dir`.
pub async fn init(data_dir: &Path, admin_login: &str) -> Result<Output> {
    let direct = Direct::create(data_dir)?;
    let seeded = direct.seed(admin_login).await;
    let path = direct.path().display().to_string();
    direct.close();
    let text = if seeded? {
        format!(
            "created the help desk store {path}: groups users and admin, queues Raw, Postmaster, Misc and Junk, \
             the OTRS states, group users as a default rw group, and agent {admin_login:?}"
        )
    } else {
        format!("the help desk store {path} was set up before; nothing changed")
    };
    Ok(Output::done(text, json!({ "store": path })))
}

fn stats_json(s: &BackupStats) -> serde_json::Value {
    json!({ "lines": s.lines, "tickets": s.tickets, "articles": s.articles, "history": s.history, "records": s.records })
}

fn summary(s: &BackupStats) -> String {
    format!(
        "{} lines: {} tickets, {} articles, {} history entries, {} directory records",
        s.lines, s.tickets, s.articles, s.history, s.records
    )
}

/// Writes the store of `data_dir` to `file` (`-`: standard output), through a temporary file so a
/// failed export never leaves half a backup under the final name.
pub fn export(data_dir: &Path, file: &Path) -> Result<Output> {
    let direct = Direct::open(data_dir)?;
    if file == Path::new("-") {
        let stats = direct.export(std::io::stdout().lock());
        direct.close();
        let stats = stats?;
        // The backup is on standard output; the summary goes to standard error.
        eprintln!("exported {}", summary(&stats));
        return Ok(Output::silent());
    }
    let tmp = file.with_extension("partial");
    let io = |source| AdminError::Io { path: file.to_path_buf(), source };
    let out = std::fs::File::create(&tmp).map_err(io)?;
    let result = direct.export(&out).and_then(|s| out.sync_all().map(|()| s).map_err(io));
    direct.close();
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, file).map_err(io)?;
    let text = format!("exported to {}: {}", file.display(), summary(&stats));
    let mut j = stats_json(&stats);
    if let Some(o) = j.as_object_mut() {
        o.insert("file".into(), json!(file.display().to_string()));
    }
    Ok(Output::done(text, j))
}

/// Restores `file` into a new store in `data_dir`; on failure the new store file is removed again.
pub async fn import(data_dir: &Path, file: &Path) -> Result<Output> {
    let input = std::fs::File::open(file).map_err(|source| AdminError::Io { path: file.to_path_buf(), source })?;
    let store_path = Direct::store_path(data_dir);
    let existed = store_path.exists();
    let direct = Direct::create(data_dir)?;
    let result = direct.import(BufReader::new(input)).await;
    direct.close();
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            if !existed {
                let _ = std::fs::remove_file(&store_path);
            }
            return Err(e);
        }
    };
    let _ = std::io::stdout().flush();
    let text = format!("imported {} into {}: {}", file.display(), store_path.display(), summary(&stats));
    let mut j = stats_json(&stats);
    if let Some(o) = j.as_object_mut() {
        o.insert("store".into(), json!(store_path.display().to_string()));
    }
    Ok(Output::done(text, j))
}
