//! Time promises: business-hours calendars, SLAs and a queue's fallback targets, the shapes of
//! `/api/v1/calendars`, `/api/v1/slas` and a queue's `escalation`.
//!
//! Times of day, holidays and time zones travel as strings and are read by the engine's own parsers,
//! so a wrong one is a 422 with the engine's (translated) message. The schemas say every rule of a
//! single value exactly; what they cannot say (a day's intervals in order and apart, some working
//! hour in the week, a date that exists, an existing calendar or service) the engine refuses with 422
//! or 404.

use chamado::directory::{EscalationTargets, Holiday, QueueEscalation, WeeklyHours, WorkInterval};
use chamado::{Calendar, Error, Sla, StateType};
use chamado_i18n::{Message, TimeZoneName};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

/// The longest target the engine takes, in working minutes (about ten years; the engine refuses
/// longer ones as typos).
pub const TARGET_MAX: u32 = 5_256_000;
/// The most holidays a calendar holds (the engine's limit).
pub const HOLIDAYS_MAX: usize = 1000;
/// A time of day as `WorkInterval::parse` reads it: `H:MM` or `HH:MM`, `00:00` to `24:00`.
pub const TIME_OF_DAY_PATTERN: &str = "^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$";
/// A holiday as `Holiday::parse` reads it: `MM-DD` (every year) or `YYYY-MM-DD` (once).
pub const HOLIDAY_PATTERN: &str = "^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$";

/// The working hours of each weekday: a list of `["09:00", "17:00"]` intervals per day, in order and
/// apart; a day left out (or empty) does not work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursBody {
    /// Monday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub mon: Vec<(String, String)>,
    /// Tuesday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub tue: Vec<(String, String)>,
    /// Wednesday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub wed: Vec<(String, String)>,
    /// Thursday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub thu: Vec<(String, String)>,
    /// Friday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub fri: Vec<(String, String)>,
    /// Saturday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub sat: Vec<(String, String)>,
    /// Sunday.
    #[serde(default)]
    #[schema(schema_with = intervals)]
    pub sun: Vec<(String, String)>,
}

impl HoursBody {
    /// The engine's hours; a time that is not one is the engine's 422.
    pub fn into_hours(self) -> Result<WeeklyHours, Error> {
        let day = |v: Vec<(String, String)>| -> Result<Vec<WorkInterval>, Error> {
            v.iter().map(|(a, b)| WorkInterval::parse(a, b)).collect()
        };
        Ok(WeeklyHours {
            mon: day(self.mon)?,
            tue: day(self.tue)?,
            wed: day(self.wed)?,
            thu: day(self.thu)?,
            fri: day(self.fri)?,
            sat: day(self.sat)?,
            sun: day(self.sun)?,
        })
    }
}

impl From<WeeklyHours> for HoursBody {
    fn from(h: WeeklyHours) -> Self {
        let day = |v: Vec<WorkInterval>| v.into_iter().map(interval_strings).collect();
        HoursBody {
            mon: day(h.mon),
            tue: day(h.tue),
            wed: day(h.wed),
            thu: day(h.thu),
            fri: day(h.fri),
            sat: day(h.sat),
            sun: day(h.sun),
        }
    }
}

fn interval_strings(w: WorkInterval) -> (String, String) {
    let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    (hhmm(w.start), hhmm(w.end))
}

/// A business-hours calendar: working hours per weekday and holidays, in one IANA time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// The IANA time zone the hours are read in, e.g. `America/Sao_Paulo` (default `UTC`).
    #[serde(default = "utc")]
    #[schema(schema_with = time_zone)]
    pub time_zone: String,
    /// Working hours per weekday.
    #[serde(default, deserialize_with = "crate::object::one")]
    pub hours: HoursBody,
    /// Days off: `MM-DD` every year (`01-01`), `YYYY-MM-DD` once (`2026-12-24`).
    #[serde(default)]
    #[schema(schema_with = holidays)]
    pub holidays: Vec<String>,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Invalid calendars are not offered for new SLAs and queues; clocks already counting keep theirs.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

/// A calendar's new content (`PUT`): everything but its name, replaced whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarChanges {
    /// The IANA time zone (default `UTC`).
    #[serde(default = "utc")]
    #[schema(schema_with = time_zone)]
    pub time_zone: String,
    /// Working hours per weekday.
    #[serde(default, deserialize_with = "crate::object::one")]
    pub hours: HoursBody,
    /// Days off (`MM-DD` or `YYYY-MM-DD`).
    #[serde(default)]
    #[schema(schema_with = holidays)]
    pub holidays: Vec<String>,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

fn utc() -> String {
    "UTC".into()
}

impl CalendarChanges {
    /// The body of calendar `name` with these contents.
    pub fn named(self, name: &str) -> CalendarBody {
        CalendarBody {
            name: name.to_string(),
            time_zone: self.time_zone,
            hours: self.hours,
            holidays: self.holidays,
            comment: self.comment,
            valid: self.valid,
        }
    }
}

/// Reads a holiday exactly as [`HOLIDAY_PATTERN`] says (the engine's parser also forgives white space
/// around it).
pub fn parse_holiday(s: &str) -> Result<Holiday, Error> {
    if s.trim() != s {
        return Err(Error::validation(Message::new("error-calendar-holiday").arg("date", format!("{s:?}"))));
    }
    Holiday::parse(s)
}

/// Refuses a time zone that is not an IANA name spelled as the zone database spells it (what the
/// schema lists).
pub fn check_time_zone(name: &str) -> Result<(), Error> {
    if TimeZoneName::parse(name).is_some_and(|z| z.as_str() == name) {
        Ok(())
    } else {
        Err(Error::validation(Message::new("error-calendar-time-zone").arg("zone", format!("{name:?}"))))
    }
}

impl CalendarBody {
    /// The engine's calendar, after the API's own checks (the engine validates the rest when it is
    /// stored).
    pub fn into_record(self) -> Result<Calendar, Error> {
        check_time_zone(&self.time_zone)?;
        let holidays = self.holidays.iter().map(|h| parse_holiday(h)).collect::<Result<Vec<_>, _>>()?;
        Ok(Calendar {
            name: self.name,
            time_zone: self.time_zone,
            hours: self.hours.into_hours()?,
            holidays,
            comment: self.comment,
            valid: self.valid,
        })
    }
}

impl From<Calendar> for CalendarBody {
    fn from(c: Calendar) -> Self {
        CalendarBody {
            name: c.name,
            time_zone: c.time_zone,
            hours: c.hours.into(),
            holidays: c.holidays.iter().map(ToString::to_string).collect(),
            comment: c.comment,
            valid: c.valid,
        }
    }
}

/// Calendars.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarList {
    /// In name order.
    pub items: Vec<CalendarBody>,
}

fn percent_default() -> u8 {
    EscalationTargets::default().notify_before_percent
}

fn pause_default() -> Vec<StateType> {
    EscalationTargets::default().pause_in
}

/// A service level agreement: first-response, update and solution targets in working minutes of its
/// calendar (0: that clock does not run), for the tickets of its services that choose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// The calendar whose working time the clocks count (an existing one).
    #[schema(schema_with = crate::rules::name)]
    pub calendar: String,
    /// From creation to the first agent article the customer can see (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub first_response_minutes: u32,
    /// From the customer's oldest unanswered message, or the last agent contact, to the next agent
    /// article the customer can see (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub update_minutes: u32,
    /// From creation to a closed state (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub solution_minutes: u32,
    /// When to warn, in percent of a target (default 80; 100 warns at the breach).
    #[serde(default = "percent_default", deserialize_with = "crate::mail_accounts::whole::percent")]
    #[schema(schema_with = percent)]
    pub notify_before_percent: u8,
    /// The state types in which the clocks stand still (default: `pending_reminder`, `pending_auto`).
    #[serde(default = "pause_default")]
    #[schema(schema_with = pause_states)]
    pub pause_in: Vec<StateType>,
    /// The services whose tickets may choose it (existing ones, full names).
    #[serde(default)]
    #[schema(schema_with = names)]
    pub services: Vec<String>,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Invalid SLAs cannot be chosen for tickets; clocks already counting keep theirs.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

/// An SLA's new content (`PUT`): everything but its name, replaced whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaChanges {
    /// The calendar (an existing one).
    #[schema(schema_with = crate::rules::name)]
    pub calendar: String,
    /// First-response target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub first_response_minutes: u32,
    /// Update target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub update_minutes: u32,
    /// Solution target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub solution_minutes: u32,
    /// When to warn, in percent of a target (default 80).
    #[serde(default = "percent_default", deserialize_with = "crate::mail_accounts::whole::percent")]
    #[schema(schema_with = percent)]
    pub notify_before_percent: u8,
    /// The state types in which the clocks stand still (default: the pending ones).
    #[serde(default = "pause_default")]
    #[schema(schema_with = pause_states)]
    pub pause_in: Vec<StateType>,
    /// The services whose tickets may choose it.
    #[serde(default)]
    #[schema(schema_with = names)]
    pub services: Vec<String>,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

impl SlaChanges {
    /// The body of SLA `name` with these contents.
    pub fn named(self, name: &str) -> SlaBody {
        SlaBody {
            name: name.to_string(),
            calendar: self.calendar,
            first_response_minutes: self.first_response_minutes,
            update_minutes: self.update_minutes,
            solution_minutes: self.solution_minutes,
            notify_before_percent: self.notify_before_percent,
            pause_in: self.pause_in,
            services: self.services,
            comment: self.comment,
            valid: self.valid,
        }
    }
}

impl SlaBody {
    /// The engine's SLA (a service named twice counts once).
    pub fn into_record(self) -> Sla {
        Sla {
            name: self.name,
            calendar: self.calendar,
            targets: EscalationTargets {
                first_response_minutes: self.first_response_minutes,
                update_minutes: self.update_minutes,
                solution_minutes: self.solution_minutes,
                notify_before_percent: self.notify_before_percent,
                pause_in: self.pause_in,
            },
            services: once_each(self.services),
            comment: self.comment,
            valid: self.valid,
        }
    }
}

fn once_each(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

impl From<Sla> for SlaBody {
    fn from(s: Sla) -> Self {
        SlaBody {
            name: s.name,
            calendar: s.calendar,
            first_response_minutes: s.targets.first_response_minutes,
            update_minutes: s.targets.update_minutes,
            solution_minutes: s.targets.solution_minutes,
            notify_before_percent: s.targets.notify_before_percent,
            pause_in: s.targets.pause_in,
            services: s.services,
            comment: s.comment,
            valid: s.valid,
        }
    }
}

/// SLAs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SlaList {
    /// In name order.
    pub items: Vec<SlaBody>,
}

/// What a queue sets for its tickets without an SLA (OTRS's queue escalation times): a calendar and
/// fallback targets in its working minutes. All targets 0 (the default): no clock runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueEscalationBody {
    /// The calendar (an existing one); `null`: around the clock, in UTC.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub calendar: Option<String>,
    /// First-response target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub first_response_minutes: u32,
    /// Update target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub update_minutes: u32,
    /// Solution target in working minutes (0: none).
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = target_minutes)]
    pub solution_minutes: u32,
    /// When to warn, in percent of a target (default 80).
    #[serde(default = "percent_default", deserialize_with = "crate::mail_accounts::whole::percent")]
    #[schema(schema_with = percent)]
    pub notify_before_percent: u8,
    /// The state types in which the clocks stand still (default: the pending ones).
    #[serde(default = "pause_default")]
    #[schema(schema_with = pause_states)]
    pub pause_in: Vec<StateType>,
}

impl Default for QueueEscalationBody {
    fn default() -> Self {
        QueueEscalation::default().into()
    }
}

impl From<QueueEscalation> for QueueEscalationBody {
    fn from(e: QueueEscalation) -> Self {
        QueueEscalationBody {
            calendar: e.calendar,
            first_response_minutes: e.targets.first_response_minutes,
            update_minutes: e.targets.update_minutes,
            solution_minutes: e.targets.solution_minutes,
            notify_before_percent: e.targets.notify_before_percent,
            pause_in: e.targets.pause_in,
        }
    }
}

impl From<QueueEscalationBody> for QueueEscalation {
    fn from(b: QueueEscalationBody) -> Self {
        QueueEscalation {
            calendar: b.calendar,
            targets: EscalationTargets {
                first_response_minutes: b.first_response_minutes,
                update_minutes: b.update_minutes,
                solution_minutes: b.solution_minutes,
                notify_before_percent: b.notify_before_percent,
                pause_in: b.pause_in,
            },
        }
    }
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String))
}

/// An IANA time zone name as the zone database spells it.
pub fn time_zone() -> Object {
    string().max_length(Some(64)).enum_values(Some(TimeZoneName::all())).build()
}

/// A day's working intervals: `[["09:00", "12:00"], ["13:00", "17:00"]]`.
pub fn intervals() -> Array {
    let time = string().pattern(Some(TIME_OF_DAY_PATTERN)).build();
    let pair = ArrayBuilder::new().items(time).min_items(Some(2)).max_items(Some(2));
    ArrayBuilder::new().items(pair).build()
}

/// Holidays: `MM-DD` or `YYYY-MM-DD`, at most [`HOLIDAYS_MAX`].
pub fn holidays() -> Array {
    let day = string().pattern(Some(HOLIDAY_PATTERN)).build();
    ArrayBuilder::new().items(day).max_items(Some(HOLIDAYS_MAX)).build()
}

/// A target in working minutes, 0 to [`TARGET_MAX`].
pub fn target_minutes() -> Object {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).maximum(Some(TARGET_MAX)).build()
}

/// A share of a target in percent, 1 to 100.
pub fn percent() -> Object {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(100)).build()
}

/// The state types a clock may pause in: the open and pending ones.
pub fn pause_states() -> Array {
    let types = [StateType::Open, StateType::PendingReminder, StateType::PendingAuto].map(StateType::as_str);
    ArrayBuilder::new().items(string().enum_values(Some(types)).build()).build()
}

/// Directory names (services).
pub fn names() -> Array {
    ArrayBuilder::new().items(crate::rules::name()).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(json: &str) -> Result<Calendar, String> {
        let b: CalendarBody = serde_json::from_str(json).map_err(|e| e.to_string())?;
        b.into_record().map_err(|e| e.to_string())
    }

    #[test]
    fn a_calendar_reads_as_the_issue_writes_it_and_prints_the_same() {
        let c = calendar(
            r#"{"name":"BR","time_zone":"America/Sao_Paulo","hours":{"mon":[["9:00","12:00"],["13:00","17:00"]]},
                "holidays":["2026-12-25","01-01"]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.hours.mon.len(), 2);
        assert_eq!(
            c.holidays,
            [Holiday::Once { year: 2026, month: 12, day: 25 }, Holiday::Yearly { month: 1, day: 1 }]
        );
        assert!(c.valid);
        let back = CalendarBody::from(c);
        assert_eq!(back.hours.mon[0], ("09:00".to_string(), "12:00".to_string()));
        assert_eq!(back.holidays, ["2026-12-25", "01-01"]);
    }

    #[test]
    fn wrong_values_are_the_engines_validation_errors() {
        for bad in [
            r#"{"name":"c","time_zone":"america/sao_paulo"}"#,
            r#"{"name":"c","holidays":[" 12-25"]}"#,
            r#"{"name":"c","holidays":["02-30"]}"#,
            r#"{"name":"c","hours":{"mon":[["+9:00","10:00"]]}}"#,
        ] {
            assert!(calendar(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<CalendarBody>(r#"{"name":"c","hours":{"mon":[["09:00"]]}}"#).is_err());
        assert!(serde_json::from_str::<CalendarBody>(r#"{"name":"c","hours":{"xyz":[]}}"#).is_err());
    }

    #[test]
    fn an_sla_takes_the_defaults_and_whole_numbers() {
        let s: SlaBody = serde_json::from_str(r#"{"name":"Gold","calendar":"BR","first_response_minutes":60.0}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let rec = s.into_record();
        assert_eq!(rec.targets.first_response_minutes, 60);
        assert_eq!(rec.targets, EscalationTargets { first_response_minutes: 60, ..Default::default() });
        for bad in [
            r#"{"name":"G","calendar":"BR","notify_before_percent":300}"#,
            r#"{"name":"G","calendar":"BR","update_minutes":-1}"#,
            r#"{"name":"G","calendar":"BR","pause_in":["later"]}"#,
        ] {
            assert!(serde_json::from_str::<SlaBody>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_schema_limits_are_the_engines() {
        let at = |m: u32| EscalationTargets { solution_minutes: m, ..Default::default() }.validate();
        assert!(at(TARGET_MAX).is_ok());
        assert!(at(TARGET_MAX + 1).is_err());
        for st in StateType::ALL {
            let t = EscalationTargets { pause_in: vec![st], ..Default::default() };
            let listed = [StateType::Open, StateType::PendingReminder, StateType::PendingAuto].contains(&st);
            assert_eq!(t.validate().is_ok(), listed, "{st:?}");
        }
        let mut c = Calendar { name: "c".into(), hours: WeeklyHours::always(), ..Default::default() };
        c.holidays = vec![Holiday::Yearly { month: 1, day: 1 }; HOLIDAYS_MAX];
        assert!(c.validate().is_ok());
        c.holidays.push(Holiday::Yearly { month: 1, day: 2 });
        assert!(c.validate().is_err());
    }
}
