//! Groups, roles, services, SLAs, states, priorities, queues, and the calendar SLAs count by.

use super::Directory;
use crate::db::Db;
use crate::error::Result;
use crate::lookups::{Lookups, priority_level, state_type};
use chamado::directory::{EscalationTargets, QueueEscalation, WeeklyHours, WorkInterval};
use chamado::{Calendar, FollowUpPolicy, Group, PriorityDef, Queue, Record, Role, Service, Sla, StateDef, StateType};
use std::collections::BTreeMap;

/// The calendar SLAs and queue targets count by. Znuny keeps working hours in SysConfig
/// (`TimeWorkingHours`, `TimeZone`, `TimeVacationDays*`), not in the database.
pub(crate) const CALENDAR: &str = "Znuny working hours";

/// Znuny's shipped working hours: Monday to Friday, 08:00 to 20:00.
pub(super) fn calendar(d: &mut Directory) {
    let c = Calendar {
        name: CALENDAR.into(),
        time_zone: "UTC".into(),
        hours: WeeklyHours::weekdays(&[WorkInterval { start: 8 * 60, end: 20 * 60 }]),
        comment: "Znuny's default working hours (imported); its SysConfig settings were not in the database".into(),
        ..Default::default()
    };
    d.push(Record::Calendar(c));
    d.skip(
        "calendar",
        CALENDAR,
        "working hours, holidays and time zone are SysConfig settings, not in the database: SLAs and queue \
         targets count by calendar \"Znuny working hours\" with Znuny's defaults (Monday to Friday 08:00-20:00 \
         UTC); set the real ones with `chamado-admin calendars`",
    );
}

pub(super) async fn groups(db: &Db, schema: &crate::schema::Schema, l: &Lookups, d: &mut Directory) -> Result<()> {
    let sql = format!("SELECT name, comments, valid_id FROM {} ORDER BY id", schema.groups);
    for r in db.rows("groups", &sql).await? {
        d.push(Record::Group(Group { name: r.text(0), comment: r.text(1), valid: l.is_valid(r.int(2)?) }));
    }
    Ok(())
}

pub(super) async fn roles(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    for r in db.rows("roles", "SELECT name, comments, valid_id FROM roles ORDER BY id").await? {
        d.push(Record::Role(Role { name: r.text(0), comment: r.text(1), valid: l.is_valid(r.int(2)?) }));
    }
    Ok(())
}

/// Services, parents before children (Znuny names them `Parent::Child` already).
pub(super) async fn services(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    let mut all = Vec::new();
    for r in db.rows("service", "SELECT name, comments, valid_id FROM service ORDER BY id").await? {
        all.push(Service { name: r.text(0), comment: r.text(1), valid: l.is_valid(r.int(2)?) });
    }
    all.sort_by(|a, b| a.name.matches("::").count().cmp(&b.name.matches("::").count()).then(a.name.cmp(&b.name)));
    for s in all {
        d.push(Record::Service(s));
    }
    Ok(())
}

/// An SLA and whether it needs the calendar.
pub(super) struct SlaRow {
    pub(super) sla: Sla,
    pub(super) needs_calendar: bool,
}

pub(super) async fn sla_rows(db: &Db, l: &Lookups) -> Result<Vec<SlaRow>> {
    let mut services: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in db.rows("service_sla", "SELECT sla_id, service_id FROM service_sla").await? {
        if let Some(s) = l.services.get(&r.int(1)?) {
            services.entry(r.int(0)?).or_default().push(s.clone());
        }
    }
    let sql = "SELECT id, name, first_response_time, first_response_notify, update_time, update_notify, \
               solution_time, solution_notify, valid_id, comments FROM sla ORDER BY id";
    let mut out = Vec::new();
    for r in db.rows("sla", sql).await? {
        let mut names = services.remove(&r.int(0)?).unwrap_or_default();
        names.sort();
        let targets =
            targets([r.opt_int(2)?, r.opt_int(4)?, r.opt_int(6)?], [r.opt_int(3)?, r.opt_int(5)?, r.opt_int(7)?]);
        let sla = Sla {
            name: r.text(1),
            calendar: CALENDAR.into(),
            targets,
            services: names,
            comment: r.text(9),
            valid: l.is_valid(r.int(8)?),
        };
        out.push(SlaRow { sla, needs_calendar: true });
    }
    Ok(out)
}

/// Znuny's three targets in minutes and their notify percentages (0: no warning); ours warn at one
/// share for all three, so the earliest of them is kept.
fn targets(minutes: [Option<i64>; 3], notify: [Option<i64>; 3]) -> EscalationTargets {
    let m = |v: Option<i64>| u32::try_from(v.unwrap_or(0).max(0)).unwrap_or(u32::MAX);
    let percent =
        notify.iter().filter_map(|n| n.filter(|n| (1..=100).contains(n))).min().and_then(|n| u8::try_from(n).ok());
    EscalationTargets {
        first_response_minutes: m(minutes[0]),
        update_minutes: m(minutes[1]),
        solution_minutes: m(minutes[2]),
        notify_before_percent: percent.unwrap_or(100),
        ..Default::default()
    }
}

/// States, those a pending state closes into first.
pub(super) async fn states(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    let mut later = Vec::new();
    let names: Vec<&String> = l.states.values().collect();
    for r in db.rows("ticket_state", "SELECT name, type_id, valid_id FROM ticket_state ORDER BY id").await? {
        let name = r.text(0);
        let type_name = l.state_types.get(&r.int(1)?).cloned().unwrap_or_default();
        let Some(st) = state_type(&type_name) else {
            d.skip("state", &name, format!("state type {type_name:?} has no chamado equivalent"));
            continue;
        };
        let mut s = StateDef::new(&name, st);
        s.valid = l.is_valid(r.int(2)?);
        if st == StateType::PendingAuto {
            // Znuny's `Ticket::StateAfterPending` (SysConfig) maps the shipped pending states so.
            let next = match name.as_str() {
                "pending auto close+" => Some("closed successful"),
                "pending auto close-" => Some("closed unsuccessful"),
                _ => None,
            };
            s.next_state = next.filter(|n| names.iter().any(|x| x == n)).map(str::to_string);
            if s.next_state.is_none() {
                d.skip(
                    "state",
                    &name,
                    "the state a pending auto state closes into is a SysConfig setting \
                     (Ticket::StateAfterPending): it closes into chamado's auto-close state",
                );
            }
            later.push(s);
        } else {
            d.push(Record::State(s));
        }
    }
    for s in later {
        d.push(Record::State(s));
    }
    Ok(())
}

pub(super) async fn priorities(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    let mut seen = Vec::new();
    for r in db.rows("ticket_priority", "SELECT id, name, valid_id FROM ticket_priority ORDER BY id").await? {
        let (id, name) = (r.int(0)?, r.text(1));
        match priority_level(id, &name) {
            Some(level) if !seen.contains(&level) => {
                seen.push(level);
                d.push(Record::Priority(PriorityDef {
                    level,
                    name,
                    comment: String::new(),
                    valid: l.is_valid(r.int(2)?),
                }));
            }
            Some(level) => d.skip(
                "priority",
                &name,
                format!("level {} is taken by another priority; its tickets keep that level", level.level()),
            ),
            None => d.skip("priority", &name, "no level 1 to 5 in its name or id; its tickets get 3 normal"),
        }
    }
    Ok(())
}

pub(super) async fn queue_rows(db: &Db, l: &Lookups, d: &mut Directory) -> Result<Vec<Queue>> {
    let sql = "SELECT name, group_id, follow_up_id, unlock_timeout, first_response_time, first_response_notify, \
               update_time, update_notify, solution_time, solution_notify, comments, valid_id FROM queue ORDER BY id";
    let mut out = Vec::new();
    for r in db.rows("queue", sql).await? {
        let name = r.text(0);
        let Some(group) = l.groups.get(&r.int(1)?) else {
            d.skip("queue", &name, format!("its group (id {}) does not exist", r.text(1)));
            continue;
        };
        let follow_up = l.follow_ups.get(&r.int(2)?).map(String::as_str).unwrap_or_default();
        let follow_up = match follow_up {
            "possible" => FollowUpPolicy::Possible,
            "reject" => FollowUpPolicy::Reject,
            "new ticket" => FollowUpPolicy::NewTicket,
            other => {
                d.skip("queue", &name, format!("follow-up option {other:?} is unknown: follow-ups are possible"));
                FollowUpPolicy::Possible
            }
        };
        let targets =
            targets([r.opt_int(4)?, r.opt_int(6)?, r.opt_int(8)?], [r.opt_int(5)?, r.opt_int(7)?, r.opt_int(9)?]);
        let calendar = if targets.is_empty() { None } else { Some(CALENDAR.to_string()) };
        let mut q = Queue::new(name, group.clone(), follow_up);
        q.comment = r.text(10);
        q.valid = l.is_valid(r.int(11)?);
        q.unlock_timeout_minutes = u32::try_from(r.opt_int(3)?.unwrap_or(0).max(0)).unwrap_or(0);
        q.escalation = QueueEscalation { calendar, targets };
        out.push(q);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_warning_is_kept_and_none_warns_at_the_breach() {
        let t = targets([Some(60), None, Some(480)], [Some(80), Some(0), Some(50)]);
        assert_eq!((t.first_response_minutes, t.update_minutes, t.solution_minutes), (60, 0, 480));
        assert_eq!(t.notify_before_percent, 50);
        assert_eq!(targets([None; 3], [None; 3]).notify_before_percent, 100);
        assert!(t.validate().is_ok());
    }
}
