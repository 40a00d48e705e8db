//! Changing what exists in the directory: renames that carry every reference along, and the priorities.
//!
//! Records are keyed by name. Groups and roles are named only by directory records (queues and grants),
//! so a rename rewrites those. Tickets carry the names of their queue, state and service, so those keep
//! their names (an admin adds a new one and invalidates the old, as OTRS admins do when a name must
//! change meaning). Priorities are kept on tickets by level, so their names change freely.

use super::admin_texts as texts;
use super::{Admin, Engine};
use crate::directory::{
    ADMIN_GROUP, Grant, GrantSubject, GrantTarget, Group, PriorityDef, Record, RecordKey, RecordKind, Role,
    validate_name,
};
use crate::error::{Error, Result};
use crate::priority::Priority;

impl Admin<'_> {
    /// Renames a group, with the queues in it and every grant on it. Group `admin` keeps its name.
    pub async fn rename_group(&self, old: &str, new: &str) -> Result<()> {
        let Some(Record::Group(group)) = self.fresh_name(RecordKind::Group, old, new).await? else {
            return Err(Error::not_found(texts::missing(RecordKind::Group, old)));
        };
        if old == ADMIN_GROUP {
            return Err(Error::rejected(texts::admin_group_fixed(old)));
        }
        let result = self.move_group(group, new).await;
        self.engine.invalidate_directory();
        result
    }

    async fn move_group(&self, group: Group, new: &str) -> Result<()> {
        let store = self.engine.store();
        let old = group.name.clone();
        // New name first and old name last: a rename cut short leaves both, and running it again
        // finishes it.
        store.put_record(Record::Group(Group { name: new.to_string(), ..group })).await?;
        for r in self.engine.all_records(RecordKind::Queue, "").await? {
            if let Record::Queue(mut q) = r
                && q.group == old
            {
                q.group = new.to_string();
                store.put_record(Record::Queue(q)).await?;
            }
        }
        self.rewrite_grants(|g| match &g.target {
            GrantTarget::Group(n) if *n == old => {
                Some(Grant { target: GrantTarget::Group(new.to_string()), ..g.clone() })
            }
            _ => None,
        })
        .await?;
        store.delete_record(&RecordKey::new(RecordKind::Group, &old)).await?;
        Ok(())
    }

    /// Renames a role, with its group permissions and its agents' memberships.
    pub async fn rename_role(&self, old: &str, new: &str) -> Result<()> {
        let Some(Record::Role(role)) = self.fresh_name(RecordKind::Role, old, new).await? else {
            return Err(Error::not_found(texts::missing(RecordKind::Role, old)));
        };
        let result = self.move_role(role, new).await;
        self.engine.invalidate_directory();
        result
    }

    async fn move_role(&self, role: Role, new: &str) -> Result<()> {
        let store = self.engine.store();
        let old = role.name.clone();
        store.put_record(Record::Role(Role { name: new.to_string(), ..role })).await?;
        self.rewrite_grants(|g| {
            let subject = match &g.subject {
                GrantSubject::Role(n) if *n == old => GrantSubject::Role(new.to_string()),
                other => other.clone(),
            };
            let target = match &g.target {
                GrantTarget::Role(n) if *n == old => GrantTarget::Role(new.to_string()),
                other => other.clone(),
            };
            (subject != g.subject || target != g.target).then(|| Grant { subject, target, ..g.clone() })
        })
        .await?;
        store.delete_record(&RecordKey::new(RecordKind::Role, &old)).await?;
        Ok(())
    }

    /// The record named `old`, after checking that `new` is a free, well-formed name of the same kind.
    async fn fresh_name(&self, kind: RecordKind, old: &str, new: &str) -> Result<Option<Record>> {
        validate_name(texts::name_field(kind), new)?;
        if old == new {
            return Err(Error::rejected(texts::same_name(kind, old)));
        }
        if self.get(kind, new).await?.is_some() {
            return Err(Error::conflict(texts::taken(kind, new)));
        }
        self.get(kind, old).await
    }

    /// Replaces every grant `change` answers for with its answer (a grant's key holds its names, so the
    /// new one is written and the old one deleted).
    async fn rewrite_grants(&self, change: impl Fn(&Grant) -> Option<Grant>) -> Result<()> {
        let store = self.engine.store();
        for r in self.engine.all_records(RecordKind::Grant, "").await? {
            let Record::Grant(g) = r else { continue };
            if let Some(moved) = change(&g) {
                store.put_record(Record::Grant(moved)).await?;
                store.delete_record(&RecordKey::new(RecordKind::Grant, g.key())).await?;
            }
        }
        Ok(())
    }

    /// Sets a priority's name, comment and validity. Names stay unique among the five levels, and the
    /// level new tickets get by default stays valid.
    pub async fn put_priority(&self, p: PriorityDef) -> Result<()> {
        p.validate()?;
        if p.level == Priority::default() && !p.valid {
            return Err(Error::rejected(texts::default_priority_fixed(&p.name)));
        }
        for other in self.engine.priorities().await? {
            if other.level != p.level && other.name.eq_ignore_ascii_case(&p.name) {
                return Err(Error::conflict(texts::priority_name_taken(&p.name, other.level.level())));
            }
        }
        self.put(Record::Priority(p)).await
    }
}

impl Engine {
    /// The five priorities, lowest first, with the names and validity an admin gave them.
    pub async fn priorities(&self) -> Result<Vec<PriorityDef>> {
        Ok(self.directory().await?.priorities.clone())
    }

    /// The name a priority is shown with.
    pub async fn priority_name(&self, p: Priority) -> Result<String> {
        let all = self.directory().await?;
        Ok(all.priorities.iter().find(|d| d.level == p).map_or_else(|| p.name().to_string(), |d| d.name.clone()))
    }

    /// The priority `text` names: a level (`3`) or a priority's current name, case-insensitive.
    pub async fn priority_named(&self, text: &str) -> Result<Priority> {
        let text = text.trim();
        if let Ok(level) = text.parse::<u8>() {
            return Priority::new(level);
        }
        let all = self.directory().await?;
        all.priorities
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(text))
            .map(|d| d.level)
            .ok_or_else(|| Error::not_found(texts::priority_unknown(text)))
    }

    /// Refuses a priority an admin made invalid, when a ticket is to get it.
    pub(super) async fn check_priority_settable(&self, p: Priority) -> Result<()> {
        let all = self.directory().await?;
        match all.priorities.iter().find(|d| d.level == p) {
            Some(d) if !d.valid => Err(Error::rejected(texts::priority_invalid(&d.name))),
            _ => Ok(()),
        }
    }
}
