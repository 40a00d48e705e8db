//! The brute-force reference of the SLA property tests: whether a minute is working time, asked of jiff
//! for every minute on its own, and the random calendars and instants the tests draw.
//!
//! Every offset the three zones had from 2010 on is a whole number of minutes and every transition falls on
//! a whole minute, so a minute is either wholly working time or not at all: its first instant decides.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chamado::Calendar;
use chamado::directory::{Holiday, WeeklyHours, WorkInterval};
use proptest::prelude::*;
use std::collections::HashSet;

pub const MINUTE: i64 = 60_000;
pub const DAY: i64 = 86_400_000;

/// Sao Paulo had daylight-saving time until February 2019, changing at local midnight.
pub const ZONES: [&str; 3] = ["America/Sao_Paulo", "Europe/Lisbon", "UTC"];

/// 2010-01-01T00:00:00Z and 2021-01-01T00:00:00Z.
const FROM: i64 = 1_262_304_000_000;
const TO: i64 = 1_609_459_200_000;

/// A calendar as the reference reads it: jiff for every instant on its own.
pub struct Reference {
    zone: jiff::tz::TimeZone,
    week: [Vec<WorkInterval>; 7],
    yearly: HashSet<(i8, i8)>,
    once: HashSet<(i16, i8, i8)>,
    /// Whether the minute `first + i` works, filled as far as asked.
    first: i64,
    known: Vec<bool>,
}

impl Reference {
    pub fn new(c: &Calendar) -> Self {
        let mut yearly = HashSet::new();
        let mut once = HashSet::new();
        for h in &c.holidays {
            match *h {
                Holiday::Yearly { month, day } => {
                    yearly.insert((month as i8, day as i8));
                }
                Holiday::Once { year, month, day } => {
                    once.insert((year, month as i8, day as i8));
                }
            }
        }
        Reference {
            zone: jiff::tz::TimeZone::get(&c.time_zone).unwrap(),
            week: std::array::from_fn(|i| c.hours.of(i).to_vec()),
            yearly,
            once,
            first: i64::MAX,
            known: Vec::new(),
        }
    }

    /// Asks jiff: the wall-clock date and time of the instant, its weekday, the holidays and the hours.
    fn ask(&self, minute: i64) -> bool {
        let z = jiff::Timestamp::from_millisecond(minute * MINUTE).unwrap().to_zoned_datetime(self.zone.clone());
        let date = z.date();
        if self.yearly.contains(&(date.month(), date.day()))
            || self.once.contains(&(date.year(), date.month(), date.day()))
        {
            return false;
        }
        let wall = u16::try_from(i32::from(z.hour()) * 60 + i32::from(z.minute())).unwrap();
        let weekday = usize::try_from(z.weekday().to_monday_zero_offset()).unwrap();
        self.week[weekday].iter().any(|w| w.start <= wall && wall < w.end)
    }

    /// Whether the minute starting at `minute * MINUTE` (ms since the epoch) is working time.
    pub fn works(&mut self, minute: i64) -> bool {
        if self.known.is_empty() {
            self.first = minute;
        }
        if minute < self.first {
            // Asked before the known stretch: start it again from here (tests walk forward, so rarely).
            let before: Vec<bool> = (minute..self.first).map(|m| self.ask(m)).collect();
            self.known.splice(0..0, before);
            self.first = minute;
        }
        let i = usize::try_from(minute - self.first).unwrap();
        while self.known.len() <= i {
            let m = self.first + self.known.len() as i64;
            let w = self.ask(m);
            self.known.push(w);
        }
        self.known[i]
    }

    /// Working milliseconds in `[a, b)`, minute by minute (any ms instants).
    pub fn between(&mut self, a: i64, b: i64) -> i64 {
        let mut total = 0;
        let mut at = a;
        while at < b {
            let minute = at.div_euclid(MINUTE);
            let end = ((minute + 1) * MINUTE).min(b);
            if self.works(minute) {
                total += end - at;
            }
            at = end;
        }
        total
    }

    /// The end of the working millisecond that completes `amount` after `from` (`from` itself for 0), walking
    /// at most `limit_minutes` minutes; `None` when the walk ends first.
    pub fn add(&mut self, from: i64, amount: i64, limit_minutes: i64) -> Option<i64> {
        if amount <= 0 {
            return Some(from);
        }
        let mut left = amount;
        let mut at = from;
        let stop = from + limit_minutes * MINUTE;
        while at < stop {
            let minute = at.div_euclid(MINUTE);
            let end = (minute + 1) * MINUTE;
            if self.works(minute) {
                if end - at >= left {
                    return Some(at + left);
                }
                left -= end - at;
            }
            at = end;
        }
        None
    }
}

/// The civil date of an instant in a zone, as (year, month, day).
pub fn civil_date(zone: &str, ms: i64) -> (i16, i8, i8) {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let d = jiff::Timestamp::from_millisecond(ms).unwrap().to_zoned_datetime(tz).date();
    (d.year(), d.month(), d.day())
}

/// The offset changes of a zone from 2010 to 2020 (none for UTC).
pub fn transitions(zone: &str) -> Vec<i64> {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    tz.following(jiff::Timestamp::from_millisecond(FROM).unwrap())
        .map(|t| t.timestamp().as_millisecond())
        .take_while(|t| *t < TO)
        .collect()
}

/// A whole-minute instant from 2010 to 2020: half of them within `-days_before..days_after` days of one of
/// the zone's offset changes, so that walks cross them.
pub fn instant(zone: &'static str, days_before: i64, days_after: i64) -> impl Strategy<Value = i64> {
    let changes = transitions(zone);
    let uniform = (FROM / MINUTE..TO / MINUTE).prop_map(|m| m * MINUTE);
    if changes.is_empty() {
        return uniform.boxed();
    }
    let near = (0..changes.len(), -days_before * 1440..days_after * 1440)
        .prop_map(move |(i, off)| changes[i] + off * MINUTE)
        .prop_map(|ms| ms.div_euclid(MINUTE) * MINUTE);
    prop_oneof![1 => uniform, 1 => near].boxed()
}

/// Boundaries of a day's intervals: often midnight at either end and the hours around the zones' changes.
fn boundary() -> impl Strategy<Value = u16> {
    prop_oneof![
        2 => Just(0u16),
        2 => Just(1440u16),
        1 => Just(60u16),
        1 => Just(120u16),
        1 => Just(23 * 60u16),
        6 => 0u16..=1440,
    ]
}

/// Several intervals, ordered and apart (they may touch), or none, or the whole day.
pub fn day_hours() -> impl Strategy<Value = Vec<WorkInterval>> {
    prop_oneof![
        1 => Just(Vec::new()),
        1 => Just(vec![WorkInterval { start: 0, end: 1440 }]),
        5 => proptest::collection::vec(boundary(), 2..=7).prop_map(|mut cuts| {
            cuts.sort_unstable();
            cuts.chunks_exact(2)
                .filter(|p| p[0] < p[1])
                .map(|p| WorkInterval { start: p[0], end: p[1] })
                .collect()
        }),
    ]
}

pub fn week() -> impl Strategy<Value = WeeklyHours> {
    proptest::collection::vec(day_hours(), 7).prop_map(|d| WeeklyHours {
        mon: d[0].clone(),
        tue: d[1].clone(),
        wed: d[2].clone(),
        thu: d[3].clone(),
        fri: d[4].clone(),
        sat: d[5].clone(),
        sun: d[6].clone(),
    })
}

/// A holiday drawn relative to the start of a test: `days` after it, kept yearly or once; or any yearly
/// date (29 February included).
#[derive(Debug, Clone, Copy)]
pub enum HolidaySpec {
    Near { days: i64, yearly: bool },
    Yearly { month: u8, day: u8 },
}

pub fn holidays(max_days: i64) -> impl Strategy<Value = Vec<HolidaySpec>> {
    let one = prop_oneof![
        4 => (-2..max_days, any::<bool>()).prop_map(|(days, yearly)| HolidaySpec::Near { days, yearly }),
        1 => (1u8..=12, 1u8..=31).prop_map(|(month, day)| HolidaySpec::Yearly { month, day }),
        1 => Just(HolidaySpec::Yearly { month: 2, day: 29 }),
    ];
    proptest::collection::vec(one, 0..6)
}

/// The holidays of `specs` for a test starting at `start` in `zone`.
pub fn resolve_holidays(zone: &str, start: i64, specs: &[HolidaySpec]) -> Vec<Holiday> {
    specs
        .iter()
        .filter_map(|s| match *s {
            HolidaySpec::Near { days, yearly } => {
                let (y, m, d) = civil_date(zone, start + days * DAY);
                let text = if yearly { format!("{m:02}-{d:02}") } else { format!("{y:04}-{m:02}-{d:02}") };
                Holiday::parse(&text).ok()
            }
            HolidaySpec::Yearly { month, day } => Holiday::parse(&format!("{month:02}-{day:02}")).ok(),
        })
        .collect()
}

pub fn calendar(zone: &str, hours: WeeklyHours, holidays: Vec<Holiday>) -> Calendar {
    Calendar { name: "cal".into(), time_zone: zone.into(), hours, holidays, ..Default::default() }
}
