//! The optional TOML configuration file (`--config FILE` or `CHAMADO_CONFIG`): the same settings as
//! the environment variables, one key each (see `helpdesk.toml` beside this file), checked strictly so a
//! typo is an error at start rather than a silently ignored setting.

use crate::sections::Sections;
use std::path::{Path, PathBuf};

/// Why the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Missing or unreadable.
    #[error("{path}: cannot read the configuration file: {source}")]
    Read {
        /// The file as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("{path}: {at}{message}")]
    Invalid {
        /// The file as given.
        path: String,
        /// `key (line N): `, as far as it is known.
        at: String,
        /// What the TOML reader said.
        message: String,
    },
}

/// The file's values: checked against the settings' shape, kept as TOML for layering under the
/// environment.
#[derive(Debug, Default)]
pub struct FileSettings {
    table: toml::Table,
}

impl FileSettings {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Self, FileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| FileError::Read { path: path.display().to_string(), source })?;
        Self::parse(path, &text)
    }

    /// Checks `text` as the content of `path`: syntax, keys and value types, each error located at its
    /// key and line.
    pub fn parse(path: &Path, text: &str) -> Result<Self, FileError> {
        let invalid = |e: toml::de::Error| FileError::Invalid {
            path: path.display().to_string(),
            at: e.span().map(|s| locate(text, s.start)).unwrap_or_default(),
            message: e.message().trim().to_string(),
        };
        toml::from_str::<Sections>(text).map_err(invalid)?;
        let table = toml::from_str::<toml::Table>(text).map_err(invalid)?;
        Ok(FileSettings { table })
    }

    /// The value of the dotted `key` (`smtp.addr`), if the file sets it.
    pub fn value(&self, key: &str) -> Option<&toml::Value> {
        let (section, name) = key.split_once('.')?;
        self.table.get(section)?.as_table()?.get(name)
    }

    /// The keys of [`crate::source::KEYS`] the file sets, in that order.
    #[cfg(test)]
    pub fn keys(&self) -> Vec<&'static str> {
        crate::source::KEYS.iter().map(|(key, _)| *key).filter(|key| self.value(key).is_some()).collect()
    }
}

/// `section.key (line N): ` for the byte offset `at`: the TOML reader names only the last part of a
/// key, so the section comes from the nearest `[header]` above.
fn locate(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or_default();
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..).and_then(|l| l.lines().next()).unwrap_or_default().trim();
    let header = |l: &str| l.strip_prefix('[').and_then(|l| l.split(']').next()).map(|s| s.trim().to_string());
    let section = before.get(..line_start).unwrap_or_default().lines().rev().map(str::trim).find_map(header);
    let key = match (header(line), line.split_once('=')) {
        (Some(h), _) => Some(h),
        (None, Some((k, _))) => Some(match section {
            Some(s) => format!("{s}.{}", k.trim()),
            None => k.trim().to_string(),
        }),
        (None, None) => None,
    };
    match key {
        Some(k) => format!("{k} (line {line_no}): "),
        None => format!("line {line_no}: "),
    }
}

/// The configuration file named by `--config FILE` (or `--config=FILE`), else by `CHAMADO_CONFIG`.
pub fn path_from(args: &[String], env: Option<String>) -> Result<Option<PathBuf>, String> {
    let mut path = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--config" || arg == "-c" {
            path = Some(it.next().ok_or_else(|| format!("{arg} needs a file name"))?.clone());
        } else if let Some(p) = arg.strip_prefix("--config=") {
            path = Some(p.to_string());
        } else {
            return Err(format!("unknown argument {arg:?}; usage: helpdesk [--config FILE]"));
        }
    }
    Ok(path.or(env).filter(|p| !p.trim().is_empty()).map(PathBuf::from))
}
