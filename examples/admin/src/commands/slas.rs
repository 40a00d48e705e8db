//! `calendars list|show|add|set|invalidate|import-ics` and `slas list|show|add|set|invalidate`: the
//! business-hours calendars and service level agreements the escalation clocks count by. `add` takes
//! options or a JSON file with the API's body; `set` changes what its options name and keeps the rest;
//! `import-ics` takes the all-day events of an iCalendar file as holidays.

use crate::direct::Direct;
use crate::error::{AdminError, Result};
use crate::http_client::encode;
use crate::output::{Output, fields, table, yes_no};
use crate::remote::Remote;
use chamado::{Actor, StateType};
use chamado_api_types::slas::{CalendarBody, CalendarList, HoursBody, SlaBody, SlaList, parse_holiday};
use clap::{Args, Subcommand};
use serde_json::Value;
use std::path::PathBuf;

/// The verbs on calendars.
#[derive(Debug, Subcommand)]
pub enum CalendarsCmd {
    /// Lists them in name order.
    List,
    /// One calendar: its zone, hours and holidays.
    Show {
        /// The name.
        name: String,
    },
    /// Adds a calendar.
    Add(CalendarArgs),
    /// Changes a calendar: what the options name is replaced, the rest stays.
    Set(CalendarArgs),
    /// Marks a calendar invalid: it is not offered for new SLAs and queues; running clocks keep it.
    Invalidate {
        /// The name.
        name: String,
    },
    /// Adds the all-day events of an iCalendar (.ics) file as holidays: yearly ones (RRULE:FREQ=YEARLY)
    /// as MM-DD, the others as dates (each day of a multi-day event).
    #[command(name = "import-ics")]
    ImportIcs {
        /// The calendar.
        name: String,
        /// The iCalendar file.
        file: PathBuf,
        /// Replace the calendar's holidays instead of adding to them.
        #[arg(long)]
        replace: bool,
    },
}

/// What `add` and `set` take.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// The name.
    pub name: Option<String>,
    /// The IANA time zone, e.g. America/Sao_Paulo (default UTC).
    #[arg(long)]
    pub time_zone: Option<String>,
    /// Working hours of a day or days: `mon-fri=09:00-12:00,13:00-18:00`, `sat=09:00-13:00`, `sun=`
    /// (none); repeat for more days.
    #[arg(long = "hours", value_name = "DAYS=FROM-TO,...")]
    pub hours: Vec<String>,
    /// A holiday: MM-DD every year, YYYY-MM-DD once (repeat for more; on `set`, replaces them).
    #[arg(long = "holiday", value_name = "DATE")]
    pub holidays: Vec<String>,
    /// Free text.
    #[arg(long)]
    pub comment: Option<String>,
    /// The JSON body as the API takes it on POST (options given override it).
    #[arg(long, value_name = "FILE.json")]
    pub file: Option<PathBuf>,
}

/// The verbs on SLAs.
#[derive(Debug, Subcommand)]
pub enum SlasCmd {
    /// Lists them in name order.
    List,
    /// One SLA.
    Show {
        /// The name.
        name: String,
    },
    /// Adds an SLA.
    Add(SlaArgs),
    /// Changes an SLA: what the options name is replaced, the rest stays.
    Set(SlaArgs),
    /// Marks an SLA invalid: tickets can no longer choose it; running clocks keep it.
    Invalidate {
        /// The name.
        name: String,
    },
}

/// What `add` and `set` take.
#[derive(Debug, Args)]
pub struct SlaArgs {
    /// The name.
    pub name: Option<String>,
    /// The calendar whose working time the clocks count.
    #[arg(long)]
    pub calendar: Option<String>,
    /// First-response target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub first_response: Option<u32>,
    /// Update target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub update: Option<u32>,
    /// Solution target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub solution: Option<u32>,
    /// When to warn, in percent of a target (1 to 100; default 80).
    #[arg(long, value_name = "PERCENT")]
    pub notify_before: Option<u8>,
    /// A state type the clocks pause in: open, pending_reminder, pending_auto (repeat; default the
    /// pending ones; on `set`, replaces them).
    #[arg(long = "pause-in", value_name = "STATE_TYPE")]
    pub pause_in: Vec<String>,
    /// A service whose tickets may choose it (repeat; on `set`, replaces them).
    #[arg(long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,
    /// Free text.
    #[arg(long)]
    pub comment: Option<String>,
    /// The JSON body as the API takes it on POST (options given override it).
    #[arg(long, value_name = "FILE.json")]
    pub file: Option<PathBuf>,
}

/// The operations on calendars and SLAs, on the store file and through the API.
pub(crate) trait Slas {
    /// Every calendar, in name order.
    async fn calendars(&self) -> Result<Vec<CalendarBody>>;
    /// One calendar, or `None`.
    async fn calendar_get(&self, name: &str) -> Result<Option<CalendarBody>>;
    /// Adds (`exists` false) or replaces a calendar; answers it as stored.
    async fn calendar_put(&self, c: CalendarBody, exists: bool) -> Result<CalendarBody>;
    /// Every SLA, in name order.
    async fn slas(&self) -> Result<Vec<SlaBody>>;
    /// One SLA, or `None`.
    async fn sla_get(&self, name: &str) -> Result<Option<SlaBody>>;
    /// Adds (`exists` false) or replaces an SLA; answers it as stored.
    async fn sla_put(&self, s: SlaBody, exists: bool) -> Result<SlaBody>;
}

impl Slas for Direct {
    async fn calendars(&self) -> Result<Vec<CalendarBody>> {
        Ok(self.engine().calendars().await?.into_iter().map(CalendarBody::from).collect())
    }

    async fn calendar_get(&self, name: &str) -> Result<Option<CalendarBody>> {
        Ok(self.calendars().await?.into_iter().find(|c| c.name == name))
    }

    async fn calendar_put(&self, c: CalendarBody, exists: bool) -> Result<CalendarBody> {
        let name = c.name.clone();
        if !exists && self.calendar_get(&name).await?.is_some() {
            return Err(AdminError::Exists { what: "calendar", key: name, hint: "; change it with `calendars set`" });
        }
        self.engine().admin(&Actor::System).await?.put_calendar(c.into_record()?).await?;
        self.calendar_get(&name).await?.ok_or(AdminError::NotFound { what: "calendar", key: name })
    }

    async fn slas(&self) -> Result<Vec<SlaBody>> {
        Ok(self.engine().slas().await?.into_iter().map(SlaBody::from).collect())
    }

    async fn sla_get(&self, name: &str) -> Result<Option<SlaBody>> {
        Ok(self.slas().await?.into_iter().find(|s| s.name == name))
    }

    async fn sla_put(&self, s: SlaBody, exists: bool) -> Result<SlaBody> {
        let name = s.name.clone();
        if !exists && self.sla_get(&name).await?.is_some() {
            return Err(AdminError::Exists { what: "SLA", key: name, hint: "; change it with `slas set`" });
        }
        self.engine().admin(&Actor::System).await?.put_sla(s.into_record()).await?;
        self.sla_get(&name).await?.ok_or(AdminError::NotFound { what: "SLA", key: name })
    }
}

/// The body `PUT` takes: the body without its name.
fn changes(path: &str, body: &impl serde::Serialize) -> Result<Value> {
    let mut v = serde_json::to_value(body).map_err(|e| AdminError::BadResponse(format!("{path}: {e}")))?;
    if let Some(o) = v.as_object_mut() {
        o.remove("name");
    }
    Ok(v)
}

impl Slas for Remote {
    async fn calendars(&self) -> Result<Vec<CalendarBody>> {
        Ok(self.http().get::<CalendarList>("/calendars").await?.items)
    }

    async fn calendar_get(&self, name: &str) -> Result<Option<CalendarBody>> {
        match self.http().get(&format!("/calendars/{}", encode(name))).await {
            Ok(c) => Ok(Some(c)),
            Err(AdminError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn calendar_put(&self, c: CalendarBody, exists: bool) -> Result<CalendarBody> {
        if exists {
            let path = format!("/calendars/{}", encode(&c.name));
            self.http().put_json(&path, &changes(&path, &c)?).await
        } else {
            self.http().post("/calendars", &c).await
        }
    }

    async fn slas(&self) -> Result<Vec<SlaBody>> {
        Ok(self.http().get::<SlaList>("/slas").await?.items)
    }

    async fn sla_get(&self, name: &str) -> Result<Option<SlaBody>> {
        match self.http().get(&format!("/slas/{}", encode(name))).await {
            Ok(s) => Ok(Some(s)),
            Err(AdminError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn sla_put(&self, s: SlaBody, exists: bool) -> Result<SlaBody> {
        if exists {
            let path = format!("/slas/{}", encode(&s.name));
            self.http().put_json(&path, &changes(&path, &s)?).await
        } else {
            self.http().post("/slas", &s).await
        }
    }
}

/// A JSON object from `--file`, or an empty one.
fn file_object(file: &Option<PathBuf>) -> Result<serde_json::Map<String, Value>> {
    let Some(path) = file else { return Ok(serde_json::Map::new()) };
    let text = std::fs::read_to_string(path).map_err(|source| AdminError::Io { path: path.clone(), source })?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(AdminError::Usage(format!("{}: the file must hold a JSON object", path.display()))),
        Err(e) => Err(AdminError::Usage(format!("{}: not JSON: {e}", path.display()))),
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A day's working intervals, `("09:00", "12:00")`.
type Intervals = Vec<(String, String)>;

/// `mon-fri=09:00-12:00,13:00-18:00` as the days it names and their intervals.
fn hours_option(s: &str) -> Result<(Vec<&'static str>, Intervals)> {
    let bad = |why: &str| AdminError::Usage(format!("--hours {s:?}: {why}; give e.g. mon-fri=09:00-12:00,13:00-18:00"));
    let (days, intervals) = s.split_once('=').ok_or_else(|| bad("no ="))?;
    let index = |d: &str| DAYS.iter().position(|x| x.eq_ignore_ascii_case(d.trim()));
    let named: Vec<&'static str> = match days.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (index(a).ok_or_else(|| bad("unknown day"))?, index(b).ok_or_else(|| bad("unknown day"))?);
            if a > b {
                return Err(bad("the days run backwards"));
            }
            DAYS[a..=b].to_vec()
        }
        None => vec![DAYS[index(days).ok_or_else(|| bad("unknown day"))?]],
    };
    let mut list = Vec::new();
    for part in intervals.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = part.split_once('-').ok_or_else(|| bad("an interval is FROM-TO"))?;
        list.push((from.trim().to_string(), to.trim().to_string()));
    }
    Ok((named, list))
}

fn day_mut<'a>(h: &'a mut HoursBody, day: &str) -> Option<&'a mut Intervals> {
    Some(match day {
        "mon" => &mut h.mon,
        "tue" => &mut h.tue,
        "wed" => &mut h.wed,
        "thu" => &mut h.thu,
        "fri" => &mut h.fri,
        "sat" => &mut h.sat,
        "sun" => &mut h.sun,
        _ => return None,
    })
}

/// The calendar `add` or `set` stores: `base` (the current one, on `set`), the file, then the options.
fn calendar_body(a: CalendarArgs, base: Option<CalendarBody>) -> Result<CalendarBody> {
    let mut o = match &base {
        Some(b) => match serde_json::to_value(b) {
            Ok(Value::Object(o)) => o,
            _ => serde_json::Map::new(),
        },
        None => serde_json::Map::new(),
    };
    o.extend(file_object(&a.file)?);
    if let Some(n) = a.name {
        o.insert("name".into(), Value::String(n));
    }
    if !o.contains_key("name") {
        return Err(AdminError::Usage("add needs a NAME (or a \"name\" in --file)".into()));
    }
    if let Some(z) = a.time_zone {
        o.insert("time_zone".into(), Value::String(z));
    }
    if !a.holidays.is_empty() {
        o.insert("holidays".into(), serde_json::json!(a.holidays));
    }
    if let Some(c) = a.comment {
        o.insert("comment".into(), Value::String(c));
    }
    let mut body: CalendarBody = serde_json::from_value(Value::Object(o))
        .map_err(|e| AdminError::Usage(format!("the calendar does not fit: {e}")))?;
    for h in &a.hours {
        let (days, intervals) = hours_option(h)?;
        for d in days {
            if let Some(v) = day_mut(&mut body.hours, d) {
                v.clone_from(&intervals);
            }
        }
    }
    Ok(body)
}

fn pause_types(v: &[String]) -> Result<Vec<StateType>> {
    v.iter()
        .map(|s| {
            s.trim().parse::<StateType>().map_err(|_| {
                AdminError::Usage(format!("--pause-in {s:?}: give open, pending_reminder or pending_auto"))
            })
        })
        .collect()
}

/// The SLA `add` or `set` stores: `base` (the current one, on `set`), the file, then the options.
fn sla_body(a: SlaArgs, base: Option<SlaBody>) -> Result<SlaBody> {
    let mut o = match &base {
        Some(b) => match serde_json::to_value(b) {
            Ok(Value::Object(o)) => o,
            _ => serde_json::Map::new(),
        },
        None => serde_json::Map::new(),
    };
    o.extend(file_object(&a.file)?);
    if let Some(n) = a.name {
        o.insert("name".into(), Value::String(n));
    }
    if let Some(c) = a.calendar {
        o.insert("calendar".into(), Value::String(c));
    }
    if !o.contains_key("name") {
        return Err(AdminError::Usage("add needs a NAME (or a \"name\" in --file)".into()));
    }
    if !o.contains_key("calendar") {
        return Err(AdminError::Usage("add needs --calendar (or a \"calendar\" in --file)".into()));
    }
    for (key, v) in
        [("first_response_minutes", a.first_response), ("update_minutes", a.update), ("solution_minutes", a.solution)]
    {
        if let Some(m) = v {
            o.insert(key.into(), Value::from(m));
        }
    }
    if let Some(p) = a.notify_before {
        o.insert("notify_before_percent".into(), Value::from(p));
    }
    if !a.pause_in.is_empty() {
        let types: Vec<&str> = pause_types(&a.pause_in)?.into_iter().map(StateType::as_str).collect();
        o.insert("pause_in".into(), serde_json::json!(types));
    }
    if !a.services.is_empty() {
        o.insert("services".into(), serde_json::json!(a.services));
    }
    if let Some(c) = a.comment {
        o.insert("comment".into(), Value::String(c));
    }
    serde_json::from_value(Value::Object(o)).map_err(|e| AdminError::Usage(format!("the SLA does not fit: {e}")))
}

fn intervals(v: &[(String, String)]) -> String {
    if v.is_empty() {
        return "-".into();
    }
    v.iter().map(|(a, b)| format!("{a}-{b}")).collect::<Vec<_>>().join(", ")
}

fn one_calendar(c: &CalendarBody) -> String {
    let h = &c.hours;
    fields(&[
        ("name", c.name.clone()),
        ("time zone", c.time_zone.clone()),
        ("mon", intervals(&h.mon)),
        ("tue", intervals(&h.tue)),
        ("wed", intervals(&h.wed)),
        ("thu", intervals(&h.thu)),
        ("fri", intervals(&h.fri)),
        ("sat", intervals(&h.sat)),
        ("sun", intervals(&h.sun)),
        ("holidays", if c.holidays.is_empty() { "-".into() } else { c.holidays.join(", ") }),
        ("valid", yes_no(c.valid)),
        ("comment", c.comment.clone()),
    ])
}

fn minutes(m: u32) -> String {
    if m == 0 { "-".into() } else { format!("{m} min") }
}

fn one_sla(s: &SlaBody) -> String {
    let pause: Vec<&str> = s.pause_in.iter().map(|t| t.as_str()).collect();
    fields(&[
        ("name", s.name.clone()),
        ("calendar", s.calendar.clone()),
        ("first response", minutes(s.first_response_minutes)),
        ("update", minutes(s.update_minutes)),
        ("solution", minutes(s.solution_minutes)),
        ("notify before", format!("{}%", s.notify_before_percent)),
        ("pauses in", if pause.is_empty() { "-".into() } else { pause.join(", ") }),
        ("services", if s.services.is_empty() { "-".into() } else { s.services.join(", ") }),
        ("valid", yes_no(s.valid)),
        ("comment", s.comment.clone()),
    ])
}

/// Runs a `calendars` command.
pub(crate) async fn calendars<B: Slas>(b: &B, cmd: CalendarsCmd) -> Result<Output> {
    let missing = |name: &str| AdminError::NotFound { what: "calendar", key: name.to_string() };
    match cmd {
        CalendarsCmd::List => {
            let found = b.calendars().await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|c| {
                    let days: Vec<&str> = DAYS
                        .iter()
                        .zip([
                            &c.hours.mon,
                            &c.hours.tue,
                            &c.hours.wed,
                            &c.hours.thu,
                            &c.hours.fri,
                            &c.hours.sat,
                            &c.hours.sun,
                        ])
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(d, _)| *d)
                        .collect();
                    vec![
                        c.name.clone(),
                        c.time_zone.clone(),
                        days.join(","),
                        c.holidays.len().to_string(),
                        yes_no(c.valid),
                        c.comment.clone(),
                    ]
                })
                .collect();
            let text = table(&["NAME", "TIME ZONE", "WORKING DAYS", "HOLIDAYS", "VALID", "COMMENT"], &rows);
            Ok(Output::new(text, &found))
        }
        CalendarsCmd::Show { name } => {
            let c = b.calendar_get(&name).await?.ok_or_else(|| missing(&name))?;
            Ok(Output::new(one_calendar(&c), &c))
        }
        CalendarsCmd::Add(args) => {
            let body = calendar_body(args, None)?;
            let stored = b.calendar_put(body, false).await?;
            Ok(Output::new(format!("calendar {:?} added\n{}", stored.name, one_calendar(&stored)), &stored))
        }
        CalendarsCmd::Set(args) => {
            let name = args.name.clone().ok_or_else(|| AdminError::Usage("set needs a NAME".into()))?;
            let current = b.calendar_get(&name).await?.ok_or_else(|| missing(&name))?;
            let stored = b.calendar_put(calendar_body(args, Some(current))?, true).await?;
            Ok(Output::new(format!("calendar {name:?} changed\n{}", one_calendar(&stored)), &stored))
        }
        CalendarsCmd::Invalidate { name } => {
            let mut c = b.calendar_get(&name).await?.ok_or_else(|| missing(&name))?;
            c.valid = false;
            let stored = b.calendar_put(c, true).await?;
            Ok(Output::new(format!("calendar {name:?} is now invalid"), &stored))
        }
        CalendarsCmd::ImportIcs { name, file, replace } => {
            let text =
                std::fs::read_to_string(&file).map_err(|source| AdminError::Io { path: file.clone(), source })?;
            let found = crate::ics::holidays(&text)
                .map_err(|e| AdminError::Usage(format!("{}: not an iCalendar file: {e}", file.display())))?;
            let mut c = b.calendar_get(&name).await?.ok_or_else(|| missing(&name))?;
            let before = if replace { Vec::new() } else { std::mem::take(&mut c.holidays) };
            let mut holidays = before.clone();
            for h in &found.holidays {
                // Spelled as the engine prints it, so that a holiday already there is not added twice.
                let h = parse_holiday(h)?.to_string();
                if !holidays.contains(&h) {
                    holidays.push(h);
                }
            }
            let added = holidays.len() - before.len();
            c.holidays = holidays;
            let stored = b.calendar_put(c, true).await?;
            let mut text = format!(
                "calendar {name:?}: {added} holidays added from {} ({} now)",
                file.display(),
                stored.holidays.len()
            );
            if found.skipped > 0 {
                text.push_str(&format!("; {} events skipped (not all-day)", found.skipped));
            }
            Ok(Output::new(text, &stored))
        }
    }
}

/// Runs an `slas` command.
pub(crate) async fn slas<B: Slas>(b: &B, cmd: SlasCmd) -> Result<Output> {
    let missing = |name: &str| AdminError::NotFound { what: "SLA", key: name.to_string() };
    match cmd {
        SlasCmd::List => {
            let found = b.slas().await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.calendar.clone(),
                        minutes(s.first_response_minutes),
                        minutes(s.update_minutes),
                        minutes(s.solution_minutes),
                        s.services.join(","),
                        yes_no(s.valid),
                    ]
                })
                .collect();
            let text = table(&["NAME", "CALENDAR", "FIRST RESPONSE", "UPDATE", "SOLUTION", "SERVICES", "VALID"], &rows);
            Ok(Output::new(text, &found))
        }
        SlasCmd::Show { name } => {
            let s = b.sla_get(&name).await?.ok_or_else(|| missing(&name))?;
            Ok(Output::new(one_sla(&s), &s))
        }
        SlasCmd::Add(args) => {
            let stored = b.sla_put(sla_body(args, None)?, false).await?;
            Ok(Output::new(format!("SLA {:?} added\n{}", stored.name, one_sla(&stored)), &stored))
        }
        SlasCmd::Set(args) => {
            let name = args.name.clone().ok_or_else(|| AdminError::Usage("set needs a NAME".into()))?;
            let current = b.sla_get(&name).await?.ok_or_else(|| missing(&name))?;
            let stored = b.sla_put(sla_body(args, Some(current))?, true).await?;
            Ok(Output::new(format!("SLA {name:?} changed\n{}", one_sla(&stored)), &stored))
        }
        SlasCmd::Invalidate { name } => {
            let mut s = b.sla_get(&name).await?.ok_or_else(|| missing(&name))?;
            s.valid = false;
            let stored = b.sla_put(s, true).await?;
            Ok(Output::new(format!("SLA {name:?} is now invalid"), &stored))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_options_name_days_and_intervals() {
        let (days, iv) = hours_option("mon-fri=09:00-12:00, 13:00-18:00").unwrap_or_default();
        assert_eq!(days, ["mon", "tue", "wed", "thu", "fri"]);
        assert_eq!(iv, [("09:00".into(), "12:00".into()), ("13:00".into(), "18:00".into())]);
        let (days, iv) = hours_option("Sun=").unwrap_or_default();
        assert_eq!((days, iv.len()), (vec!["sun"], 0));
        assert!(hours_option("fri-mon=09:00-10:00").is_err());
        assert!(hours_option("mon 09:00-10:00").is_err());
        assert!(hours_option("xyz=09:00-10:00").is_err());
    }
}
