//! Znuny's small id-to-name tables, read once: tickets, articles and grants refer to them by id.

use crate::db::Db;
use crate::error::Result;
use crate::schema::Schema;
use chamado::{Priority, StateType};
use std::collections::HashMap;

/// One id-to-name table.
pub(crate) type Names = HashMap<i64, String>;

/// The lookups.
pub(crate) struct Lookups {
    /// `valid` ids that mean valid (the row named `valid`; the others are invalid or invalid-temporarily).
    valid_ids: Vec<i64>,
    /// Agents' logins.
    pub(crate) users: Names,
    pub(crate) groups: Names,
    pub(crate) roles: Names,
    pub(crate) queues: Names,
    pub(crate) states: Names,
    pub(crate) state_types: Names,
    pub(crate) priorities: Names,
    pub(crate) services: Names,
    pub(crate) slas: Names,
    pub(crate) lock_types: Names,
    pub(crate) sender_types: Names,
    pub(crate) channels: Names,
    pub(crate) history_types: Names,
    pub(crate) follow_ups: Names,
}

impl Lookups {
    pub(crate) async fn load(db: &Db, schema: &Schema) -> Result<Lookups> {
        let names = |table: &str, column: &str| format!("SELECT id, {column} FROM {table}");
        let valid = db.rows("valid", &names("valid", "name")).await?;
        let mut valid_ids = Vec::new();
        for r in &valid {
            if r.text(1) == "valid" {
                valid_ids.push(r.int(0)?);
            }
        }
        if valid_ids.is_empty() {
            valid_ids.push(1);
        }
        Ok(Lookups {
            valid_ids,
            users: map(db, "users", &names("users", "login")).await?,
            groups: map(db, "groups", &names(&schema.groups, "name")).await?,
            roles: map(db, "roles", &names("roles", "name")).await?,
            queues: map(db, "queue", &names("queue", "name")).await?,
            states: map(db, "ticket_state", &names("ticket_state", "name")).await?,
            state_types: map(db, "ticket_state_type", &names("ticket_state_type", "name")).await?,
            priorities: map(db, "ticket_priority", &names("ticket_priority", "name")).await?,
            services: map(db, "service", &names("service", "name")).await?,
            slas: map(db, "sla", &names("sla", "name")).await?,
            lock_types: map(db, "ticket_lock_type", &names("ticket_lock_type", "name")).await?,
            sender_types: map(db, "article_sender_type", &names("article_sender_type", "name")).await?,
            channels: map(db, "communication_channel", &names("communication_channel", "name")).await?,
            history_types: map(db, "ticket_history_type", &names("ticket_history_type", "name")).await?,
            follow_ups: map(db, "follow_up_possible", &names("follow_up_possible", "name")).await?,
        })
    }

    /// Whether a `valid_id` means valid.
    pub(crate) fn is_valid(&self, valid_id: i64) -> bool {
        self.valid_ids.contains(&valid_id)
    }

    /// A user id as the login chamado knows the agent by.
    pub(crate) fn login(&self, user_id: i64) -> Option<&str> {
        self.users.get(&user_id).map(String::as_str)
    }
}

async fn map(db: &Db, what: &'static str, sql: &str) -> Result<Names> {
    let mut out = Names::new();
    for r in db.rows(what, sql).await? {
        out.insert(r.int(0)?, r.text(1));
    }
    Ok(out)
}

/// A Znuny state type by name (`ticket_state_type.name`).
pub(crate) fn state_type(name: &str) -> Option<StateType> {
    match name.trim().to_ascii_lowercase().as_str() {
        "new" => Some(StateType::New),
        "open" => Some(StateType::Open),
        "closed" => Some(StateType::Closed),
        "pending reminder" => Some(StateType::PendingReminder),
        "pending auto" => Some(StateType::PendingAuto),
        "removed" => Some(StateType::Removed),
        "merged" => Some(StateType::Merged),
        _ => None,
    }
}

/// The level of a Znuny priority: the digit its name starts with (`3 normal`), else its id when 1..=5
/// (Znuny orders priorities by id).
pub(crate) fn priority_level(id: i64, name: &str) -> Option<Priority> {
    let digit = name.trim().chars().next().and_then(|c| c.to_digit(10));
    let by_name = digit.filter(|d| (1..=5).contains(d)).and_then(|d| u8::try_from(d).ok());
    let by_id = u8::try_from(id).ok().filter(|i| (1..=5).contains(i));
    by_name.or(by_id).and_then(|l| Priority::new(l).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_by_the_digit_of_their_name_else_their_id() {
        assert_eq!(priority_level(9, "4 high").map(Priority::level), Some(4));
        assert_eq!(priority_level(2, "low").map(Priority::level), Some(2));
        assert_eq!(priority_level(7, "urgent"), None);
        assert_eq!(priority_level(7, "9 beyond"), None);
    }

    #[test]
    fn every_znuny_state_type_has_ours() {
        for n in ["new", "open", "closed", "pending reminder", "pending auto", "removed", "merged"] {
            assert!(state_type(n).is_some(), "{n}");
        }
        assert_eq!(state_type("pending auto"), Some(StateType::PendingAuto));
        assert_eq!(state_type("waiting for godot"), None);
    }
}
