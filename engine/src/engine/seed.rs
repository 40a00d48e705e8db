//! The directory a fresh help desk starts with, as OTRS ships it.

use super::Engine;
use crate::directory::{
    ADMIN_GROUP, Agent, FollowUpPolicy, Grant, GrantSubject, Group, Queue, Record, RecordKind, StateDef,
};
use crate::error::Result;
use crate::permissions::{Permission, PermissionSet};

impl Engine {
    /// Seeds an empty store: the OTRS states; groups `users` and `admin`; queues `Raw`, `Postmaster`,
    /// `Misc`, `Junk` (group `users`, follow-up `possible`); group `users` as a default `rw` group for
    /// customer users; and the agent `admin_login` with `rw` on `users` and `admin`. Returns false and
    /// changes nothing when the store already has states (it was seeded before).
    pub async fn seed_defaults(&self, admin_login: &str) -> Result<bool> {
        if !self.store().records(RecordKind::State, "", None, 1).await?.is_empty() {
            return Ok(false);
        }
        let rw = PermissionSet::of(&[Permission::Rw]);
        let mut records: Vec<Record> = Vec::new();
        records.push(Record::Group(Group::new("users")));
        records.push(Record::Group(Group::new(ADMIN_GROUP)));
        for q in ["Raw", "Postmaster", "Misc", "Junk"] {
            records.push(Record::Queue(Queue::new(q, "users", FollowUpPolicy::Possible)));
        }
        records.push(Record::Grant(Grant::group(GrantSubject::DefaultCustomerUsers, "users", rw)));
        let mut admin = Agent::new(admin_login);
        admin.first_name = "Admin".into();
        admin.last_name = "Agent".into();
        records.push(Record::Agent(admin));
        records.push(Record::Grant(Grant::group(GrantSubject::Agent(admin_login.into()), "users", rw)));
        records.push(Record::Grant(Grant::group(GrantSubject::Agent(admin_login.into()), ADMIN_GROUP, rw)));
        // States last: their presence marks the store as seeded.
        records.extend(StateDef::otrs_defaults().into_iter().map(Record::State));
        for r in records {
            r.validate()?;
            self.store().put_record(r).await?;
        }
        self.invalidate_directory();
        Ok(true)
    }
}
