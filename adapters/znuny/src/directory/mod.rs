//! The directory of a Znuny database as chamado records, in the order they can be written (what a
//! record names is written before it).

mod default_groups;
mod grants;
mod people;
mod setup;

pub(crate) use setup::CALENDAR;

use crate::Skipped;
use crate::db::Db;
use crate::error::Result;
use crate::lookups::Lookups;
use crate::schema::Schema;
use chamado::Record;

/// What [`crate::ZnunySource::directory`] read.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Records in write order: calendar, groups, roles, agents, customers, customer users, services,
    /// SLAs, states, priorities, queues, grants.
    pub records: Vec<Record>,
    /// What could not be mapped, or was mapped with a change, and why.
    pub skipped: Vec<Skipped>,
}

impl Directory {
    fn push(&mut self, r: Record) {
        self.records.push(r);
    }

    fn skip(&mut self, kind: &str, key: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped::new(kind, key, reason));
    }
}

pub(crate) async fn read(db: &Db, schema: &Schema, lookups: &Lookups) -> Result<Directory> {
    let mut d = Directory::default();
    let slas = setup::sla_rows(db, lookups).await?;
    let queues = setup::queue_rows(db, lookups, &mut d).await?;
    if slas.iter().any(|s| s.needs_calendar) || queues.iter().any(|q| !q.escalation.targets.is_empty()) {
        setup::calendar(&mut d);
    }
    setup::groups(db, schema, lookups, &mut d).await?;
    setup::roles(db, lookups, &mut d).await?;
    people::agents(db, lookups, &mut d).await?;
    people::customers(db, lookups, &mut d).await?;
    people::customer_users(db, schema, lookups, &mut d).await?;
    setup::services(db, lookups, &mut d).await?;
    for s in slas {
        d.push(Record::Sla(s.sla));
    }
    setup::states(db, lookups, &mut d).await?;
    setup::priorities(db, lookups, &mut d).await?;
    for q in queues {
        d.push(Record::Queue(q));
    }
    grants::read(db, schema, lookups, &mut d).await?;
    default_groups::read(db, lookups, &mut d).await?;
    Ok(d)
}
