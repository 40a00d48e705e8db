//! Working-time arithmetic on a [`Calendar`]: how much working time lies between two instants, and the
//! instant a given amount of working time after a start.
//!
//! An instant is working time when its wall-clock time in the calendar's zone falls in one of its weekday's
//! intervals on a day that is not a holiday. Between two offset changes of the zone, wall-clock time runs
//! evenly with the instant, so the work is done on wall-clock milliseconds segment by segment: a skipped hour
//! (spring forward) holds no working time, a repeated hour (fall back) holds it twice, as a clock on the wall
//! would say.

use crate::directory::{Calendar, Holiday, WorkInterval};
use crate::error::{Error, Result};
use crate::time::{CivilDate, Timestamp};
use chamado_i18n::Message;

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// How far ahead a due time is searched; a calendar with no working day in that span has no due times.
const HORIZON_DAYS: i64 = 3 * 366;

/// A calendar made ready for arithmetic.
#[derive(Debug, Clone)]
pub struct WorkingTime {
    zone: jiff::tz::TimeZone,
    /// Monday first, minutes since midnight.
    week: [Vec<WorkInterval>; 7],
    /// Yearly holidays: bit `day` of `yearly[month - 1]`. Every day of a due-time search asks whether it
    /// is a holiday; a mask answers without hashing (hashed sets made up most of a new ticket's clock cost).
    yearly: [u32; 12],
    /// One-off holidays, sorted.
    once: Vec<(i64, u32, u32)>,
}

impl WorkingTime {
    /// Compiles a calendar; fails on an unknown time zone.
    pub fn new(calendar: &Calendar) -> Result<Self> {
        let zone = jiff::tz::TimeZone::get(&calendar.time_zone).map_err(|_| {
            Error::validation(Message::new("error-calendar-time-zone").arg("zone", format!("{:?}", calendar.time_zone)))
        })?;
        let week = std::array::from_fn(|i| calendar.hours.of(i).to_vec());
        let mut yearly = [0u32; 12];
        let mut once = Vec::new();
        for h in &calendar.holidays {
            match *h {
                Holiday::Yearly { month, day } => {
                    // A date no year has (a month past 12, a day past 31) matches no day, as before.
                    if let Some(mask) = yearly.get_mut(usize::from(month).wrapping_sub(1))
                        && day <= 31
                    {
                        *mask |= 1 << day;
                    }
                }
                Holiday::Once { year, month, day } => once.push((i64::from(year), u32::from(month), u32::from(day))),
            }
        }
        once.sort_unstable();
        once.dedup();
        Ok(WorkingTime { zone, week, yearly, once })
    }

    /// Around the clock in UTC: what a queue without a calendar counts.
    pub fn always() -> Self {
        let all = vec![WorkInterval { start: 0, end: 1440 }];
        WorkingTime {
            zone: jiff::tz::TimeZone::UTC,
            week: std::array::from_fn(|_| all.clone()),
            yearly: [0; 12],
            once: Vec::new(),
        }
    }

    /// Working milliseconds in `[from, to)`; 0 when `to <= from`.
    pub fn between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let mut total = 0;
        let mut at = from.0;
        while at < to.0 {
            let (offset, next) = self.segment(at);
            let end = next.map_or(to.0, |n| n.min(to.0));
            total += self.civil_between(at + offset, end + offset);
            at = end;
        }
        total
    }

    /// The instant at which `amount` milliseconds of working time after `from` have passed: the end of the
    /// working millisecond that completes it (for `amount == 0`, `from`). `None` when the calendar has no
    /// such time within three years.
    pub fn add(&self, from: Timestamp, amount: i64) -> Option<Timestamp> {
        if amount <= 0 {
            return Some(from);
        }
        let mut left = amount;
        let mut at = from.0;
        let limit = from.0.saturating_add(HORIZON_DAYS * DAY);
        while at < limit {
            let (offset, next) = self.segment(at);
            let end = next.map_or(limit, |n| n.min(limit));
            match self.civil_add(at + offset, left, end + offset) {
                Ok(civil_end) => return Some(Timestamp(civil_end - offset)),
                Err(used) => left -= used,
            }
            at = end;
        }
        None
    }

    /// The zone's offset at `at` (ms) and the next instant it changes, if any.
    fn segment(&self, at: i64) -> (i64, Option<i64>) {
        let Ok(ts) = jiff::Timestamp::from_millisecond(at) else {
            return (0, None);
        };
        let offset = i64::from(self.zone.to_offset(ts).seconds()) * 1000;
        let next = self.zone.following(ts).next().map(|t| t.timestamp().as_millisecond());
        (offset, next.filter(|n| *n > at))
    }

    fn is_holiday(&self, day: i64) -> bool {
        if self.once.is_empty() && self.yearly == [0; 12] {
            return false;
        }
        let CivilDate { year, month, day } = CivilDate::from_days(day);
        let yearly = self.yearly.get(month as usize - 1).is_some_and(|mask| mask & (1 << day) != 0);
        yearly || self.once.binary_search(&(year, month, day)).is_ok()
    }

    /// The working intervals of a civil day (days since 1970-01-01), as civil millisecond ranges.
    fn day_intervals(&self, day: i64) -> impl Iterator<Item = (i64, i64)> + '_ {
        // 1970-01-01 was a Thursday (Monday-based index 3).
        let weekday = (day + 3).rem_euclid(7) as usize;
        let intervals: &[WorkInterval] = if self.is_holiday(day) { &[] } else { &self.week[weekday] };
        let base = day * DAY;
        intervals.iter().map(move |w| (base + i64::from(w.start) * MINUTE, base + i64::from(w.end) * MINUTE))
    }

    /// Working milliseconds in the civil range `[x, y)`.
    fn civil_between(&self, x: i64, y: i64) -> i64 {
        let mut total = 0;
        let mut day = x.div_euclid(DAY);
        while day * DAY < y {
            for (s, e) in self.day_intervals(day) {
                let (a, b) = (s.max(x), e.min(y));
                if a < b {
                    total += b - a;
                }
            }
            day += 1;
        }
        total
    }

    /// From civil `x`, where `amount` working milliseconds end, if before `limit`; else how many lie in
    /// `[x, limit)`.
    fn civil_add(&self, x: i64, amount: i64, limit: i64) -> std::result::Result<i64, i64> {
        let mut left = amount;
        let mut day = x.div_euclid(DAY);
        while day * DAY < limit {
            for (s, e) in self.day_intervals(day) {
                let (a, b) = (s.max(x), e.min(limit));
                if a < b {
                    if b - a >= left {
                        return Ok(a + left);
                    }
                    left -= b - a;
                }
            }
            day += 1;
        }
        Err(amount - left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::WeeklyHours;

    fn at(s: &str) -> Timestamp {
        Timestamp(s.parse::<jiff::Timestamp>().unwrap().as_millisecond())
    }

    fn office(zone: &str) -> WorkingTime {
        let c = Calendar {
            name: "office".into(),
            time_zone: zone.into(),
            hours: WeeklyHours::weekdays(&[WorkInterval { start: 9 * 60, end: 17 * 60 }]),
            holidays: vec![Holiday::Yearly { month: 12, day: 25 }],
            ..Default::default()
        };
        WorkingTime::new(&c).unwrap()
    }

    #[test]
    fn friday_afternoon_runs_into_monday() {
        let w = office("America/Sao_Paulo");
        // Friday 2026-12-04 16:00 -03 = 19:00Z; two working hours end Monday 10:00 -03.
        let due = w.add(at("2026-12-04T19:00:00Z"), 120 * MINUTE).unwrap();
        assert_eq!(due, at("2026-12-07T13:00:00Z"));
        assert_eq!(w.between(at("2026-12-04T19:00:00Z"), due), 120 * MINUTE);
    }

    #[test]
    fn holidays_are_skipped() {
        let w = office("UTC");
        // Thursday 2025-12-25 is a holiday: Wednesday 16:00 + 2 h ends Friday 10:00.
        let due = w.add(at("2025-12-24T16:00:00Z"), 120 * MINUTE).unwrap();
        assert_eq!(due, at("2025-12-26T10:00:00Z"));
    }

    #[test]
    fn a_skipped_hour_holds_no_work() {
        // Lisbon springs forward on 2026-03-29 at 01:00 UTC (01:00 -> 02:00 local): a Sunday.
        let c = Calendar {
            name: "c".into(),
            time_zone: "Europe/Lisbon".into(),
            hours: WeeklyHours::always(),
            ..Default::default()
        };
        let w = WorkingTime::new(&c).unwrap();
        let day = w.between(at("2026-03-29T00:00:00Z"), at("2026-03-29T23:00:00Z"));
        assert_eq!(day, 23 * 60 * MINUTE);
        // Falls back on 2026-10-25 at 01:00 UTC: the repeated hour counts twice on the wall.
        assert_eq!(w.between(at("2026-10-24T23:00:00Z"), at("2026-10-26T00:00:00Z")), 25 * 60 * MINUTE);
    }

    #[test]
    fn a_calendar_without_hours_in_reach_has_no_due_time() {
        let c = Calendar {
            name: "c".into(),
            hours: WeeklyHours { mon: vec![WorkInterval { start: 0, end: 60 }], ..Default::default() },
            holidays: (1..=12)
                .flat_map(|m| (1..=31).map(move |d| (m, d)))
                .filter_map(|(m, d)| Holiday::parse(&format!("{m:02}-{d:02}")).ok())
                .collect(),
            ..Default::default()
        };
        let w = WorkingTime::new(&c).unwrap();
        assert_eq!(w.add(at("2026-01-01T00:00:00Z"), MINUTE), None);
    }
}
