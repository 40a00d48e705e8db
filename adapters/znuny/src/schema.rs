//! What differs between the Znuny and OTRS versions this crate reads, found from the catalog.

use crate::db::Db;
use crate::error::{Error, Result};
use std::collections::BTreeSet;

/// Tables every Znuny 6/7 and OTRS 6 database has.
const REQUIRED: [&str; 10] = [
    "users",
    "queue",
    "ticket",
    "ticket_state",
    "ticket_state_type",
    "ticket_priority",
    "article",
    "article_data_mime",
    "ticket_history",
    "customer_user",
];

/// The shape of the database at hand.
pub(crate) struct Schema {
    tables: BTreeSet<String>,
    /// The permission group table, quoted: `permission_groups` in Znuny 7, `groups` before.
    pub(crate) groups: String,
    /// Whether `group_user` has `permission_value` (OTRS 6, Znuny 6); Znuny 7 keeps only granted rows.
    pub(crate) group_user_value: bool,
}

impl Schema {
    pub(crate) async fn detect(db: &Db) -> Result<Schema> {
        let sql =
            format!("SELECT table_name FROM information_schema.tables WHERE table_schema = {}", db.current_schema());
        let tables: BTreeSet<String> =
            db.rows("the table list", &sql).await?.iter().map(|r| r.text(0).to_ascii_lowercase()).collect();
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|t| !tables.contains(*t)).collect();
        if !missing.is_empty() {
            return Err(Error::NotZnuny(format!("tables {} are missing", missing.join(", "))));
        }
        let groups = if tables.contains("permission_groups") {
            "permission_groups"
        } else if tables.contains("groups") {
            "groups"
        } else {
            return Err(Error::NotZnuny("neither permission_groups (Znuny 7) nor groups (before) exists".into()));
        };
        let sql = format!(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = {} \
             AND table_name = 'group_user' AND column_name = 'permission_value'",
            db.current_schema()
        );
        let group_user_value = !db.rows("the columns of group_user", &sql).await?.is_empty();
        Ok(Schema { groups: db.quote(groups), group_user_value, tables })
    }

    /// Whether a table exists.
    pub(crate) fn has(&self, table: &str) -> bool {
        self.tables.contains(table)
    }
}
