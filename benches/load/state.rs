//! The state file: the customer users `--setup` created and the tickets `--preload` opened, so later
//! runs (and reruns after a server restart) know them without asking the server.
//!
//! One record a line: `user LOGIN EMAIL`, `ticket LOGIN NUMBER` or `session LOGIN TOKEN` (the latest
//! session of a user wins; reusing sessions keeps Argon2 password checks out of later runs).

use crate::error::LoadError;
use crate::pool::User;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// Reads the state file into users with their tickets; a missing file is an empty state.
pub fn load(path: &Path) -> Result<Vec<User>, LoadError> {
    let p = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(LoadError::State { path: p, source }),
    };
    let mut users: Vec<User> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| LoadError::State { path: p.clone(), source })?;
        let bad = |detail: &str| LoadError::StateFormat { path: p.clone(), line: i + 1, detail: detail.into() };
        let mut parts = line.split(' ');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("user"), Some(login), Some(email), None) => {
                if !index.contains_key(login) {
                    index.insert(login.to_string(), users.len());
                    users.push(User::new(login.into(), email.into()));
                }
            }
            (Some("ticket"), Some(login), Some(number), None) => {
                let u = index.get(login).ok_or_else(|| bad("a ticket of a user not listed before it"))?;
                users[*u].add_ticket(number.into());
            }
            (Some("session"), Some(login), Some(token), None) => {
                let u = index.get(login).ok_or_else(|| bad("a session of a user not listed before it"))?;
                users[*u].session = token.into();
            }
            (Some(""), None, None, None) => {}
            _ => return Err(bad("expected `user LOGIN EMAIL`, `ticket LOGIN NUMBER` or `session LOGIN TOKEN`")),
        }
    }
    Ok(users)
}

/// Appends records to the state file.
pub struct Appender {
    out: BufWriter<File>,
    path: String,
}

impl Appender {
    /// Opens (creating) the file for appending.
    pub fn open(path: &Path) -> Result<Appender, LoadError> {
        let p = path.display().to_string();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| LoadError::State { path: p.clone(), source })?;
        Ok(Appender { out: BufWriter::new(file), path: p })
    }

    /// Records a user.
    pub fn user(&mut self, login: &str, email: &str) -> Result<(), LoadError> {
        writeln!(self.out, "user {login} {email}").map_err(|source| self.err(source))
    }

    /// Records a ticket of `login`.
    pub fn ticket(&mut self, login: &str, number: &str) -> Result<(), LoadError> {
        writeln!(self.out, "ticket {login} {number}").map_err(|source| self.err(source))
    }

    /// Records a session token of `login`.
    pub fn session(&mut self, login: &str, token: &str) -> Result<(), LoadError> {
        writeln!(self.out, "session {login} {token}").map_err(|source| self.err(source))
    }

    /// Writes what is buffered.
    pub fn flush(&mut self) -> Result<(), LoadError> {
        self.out.flush().map_err(|source| self.err(source))
    }

    fn err(&self, source: std::io::Error) -> LoadError {
        LoadError::State { path: self.path.clone(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::{Appender, load};

    #[test]
    fn appended_records_load_back() {
        let dir = std::env::temp_dir().join(format!("mixed-load-state-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        assert!(load(&dir).unwrap().is_empty());
        let mut a = Appender::open(&dir).unwrap();
        a.user("u1", "u1@x").unwrap();
        a.user("u2", "u2@x").unwrap();
        a.ticket("u2", "100").unwrap();
        a.ticket("u2", "101").unwrap();
        a.session("u1", "s-old").unwrap();
        a.session("u1", "s-new").unwrap();
        a.flush().unwrap();
        let users = load(&dir).unwrap();
        assert_eq!(users[0].session, "s-new");
        assert_eq!(users[1].session, "");
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].ticket_count(), 0);
        assert_eq!(users[1].ticket_count(), 2);
        std::fs::write(&dir, "ticket nobody 1\n").unwrap();
        assert!(load(&dir).is_err());
        let _ = std::fs::remove_file(&dir);
    }
}
