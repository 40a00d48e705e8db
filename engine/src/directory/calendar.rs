use super::validate_name;
use crate::error::{Error, Result};
use chamado_i18n::{Message, key};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A business-hours calendar: the working hours of each weekday and the holidays, in one time zone.
/// SLA clocks count only the working minutes of their calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Calendar {
    /// Name, unique.
    pub name: String,
    /// IANA time zone the hours are read in, e.g. `America/Sao_Paulo`.
    pub time_zone: String,
    /// Working hours per weekday.
    pub hours: WeeklyHours,
    /// Days without working hours.
    pub holidays: Vec<Holiday>,
    /// Free text.
    pub comment: String,
    /// Invalid calendars cannot be chosen for new SLAs or queues (clocks already running keep theirs).
    pub valid: bool,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            name: String::new(),
            time_zone: "UTC".into(),
            hours: WeeklyHours::default(),
            holidays: Vec::new(),
            comment: String::new(),
            valid: true,
        }
    }
}

impl Calendar {
    /// Checks the name, the time zone, that the intervals are ordered and apart, and that some hour works.
    pub fn validate(&self) -> Result<()> {
        validate_name(key("error-field-calendar-name"), &self.name)?;
        if jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            return Err(Error::validation(
                Message::new("error-calendar-time-zone").arg("zone", format!("{:?}", self.time_zone)),
            ));
        }
        let mut any = false;
        for (day, intervals) in self.hours.days() {
            let mut end = 0;
            for (i, w) in intervals.iter().enumerate() {
                if w.start >= w.end || w.end > 1440 || (i > 0 && w.start < end) {
                    return Err(Error::validation(
                        Message::new("error-calendar-interval").arg("day", day).arg("interval", w.to_string()),
                    ));
                }
                end = w.end;
                any = true;
            }
        }
        if !any {
            return Err(Error::validation(Message::new("error-calendar-no-hours")));
        }
        if self.holidays.len() > 1000 {
            return Err(Error::validation(Message::new("error-calendar-too-many-holidays")));
        }
        Ok(())
    }
}

/// The working intervals of each weekday, Monday first. Each day's intervals are ordered and apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct WeeklyHours {
    /// Monday.
    pub mon: Vec<WorkInterval>,
    /// Tuesday.
    pub tue: Vec<WorkInterval>,
    /// Wednesday.
    pub wed: Vec<WorkInterval>,
    /// Thursday.
    pub thu: Vec<WorkInterval>,
    /// Friday.
    pub fri: Vec<WorkInterval>,
    /// Saturday.
    pub sat: Vec<WorkInterval>,
    /// Sunday.
    pub sun: Vec<WorkInterval>,
}

impl WeeklyHours {
    /// Monday to Friday, the same intervals each day.
    pub fn weekdays(intervals: &[WorkInterval]) -> Self {
        let v = intervals.to_vec();
        WeeklyHours { mon: v.clone(), tue: v.clone(), wed: v.clone(), thu: v.clone(), fri: v, ..Default::default() }
    }

    /// Every day, around the clock.
    pub fn always() -> Self {
        let v = vec![WorkInterval { start: 0, end: 1440 }];
        WeeklyHours {
            mon: v.clone(),
            tue: v.clone(),
            wed: v.clone(),
            thu: v.clone(),
            fri: v.clone(),
            sat: v.clone(),
            sun: v,
        }
    }

    /// The days with their short names, Monday first.
    pub fn days(&self) -> [(&'static str, &[WorkInterval]); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    /// The intervals of a weekday, 0 = Monday.
    pub fn of(&self, monday_based: usize) -> &[WorkInterval] {
        self.days().get(monday_based).map_or(&[], |d| d.1)
    }
}

/// Working time within one day, in minutes since midnight: `[start, end)`, `end` up to 1440 (`24:00`).
/// Written `["09:00", "17:00"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkInterval {
    /// First working minute.
    pub start: u16,
    /// The minute after the last working one.
    pub end: u16,
}

impl WorkInterval {
    /// Parses `"09:00"` and `"17:00"`; `"24:00"` ends a day.
    pub fn parse(start: &str, end: &str) -> Result<Self> {
        let w = WorkInterval { start: parse_hhmm(start)?, end: parse_hhmm(end)? };
        if w.start >= w.end {
            return Err(Error::validation(
                Message::new("error-calendar-interval").arg("day", "").arg("interval", w.to_string()),
            ));
        }
        Ok(w)
    }
}

fn parse_hhmm(s: &str) -> Result<u16> {
    let bad = || Error::validation(Message::new("error-calendar-time").arg("time", format!("{s:?}")));
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    // Digits only: `u16::from_str` would also take a sign (`+9:00`).
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !digits(h) || !digits(m) {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

impl fmt::Display for WorkInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

impl Serialize for WorkInterval {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        (hhmm(self.start), hhmm(self.end)).serialize(s)
    }
}

impl<'de> Deserialize<'de> for WorkInterval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (a, b) = <(String, String)>::deserialize(d)?;
        WorkInterval::parse(&a, &b).map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// A day off: every year on a date (`"12-25"`) or once (`"2026-12-24"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holiday {
    /// Every year on this month and day.
    Yearly {
        /// 1..=12.
        month: u8,
        /// 1..=31.
        day: u8,
    },
    /// One date.
    Once {
        /// The year.
        year: i16,
        /// 1..=12.
        month: u8,
        /// 1..=31.
        day: u8,
    },
}

impl Holiday {
    /// Parses `MM-DD` (yearly) or `YYYY-MM-DD` (once).
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || Error::validation(Message::new("error-calendar-holiday").arg("date", format!("{s:?}")));
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        match parts.as_slice() {
            [m, d] => {
                let (month, day) = (num(m, 2)?, num(d, 2)?);
                // Checked against a leap year, so that 02-29 is a holiday in the years that have one.
                jiff::civil::Date::new(2024, month as i8, day as i8).map_err(|_| bad())?;
                Ok(Holiday::Yearly { month: month as u8, day: day as u8 })
            }
            [y, m, d] => {
                let (year, month, day) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
                jiff::civil::Date::new(year as i16, month as i8, day as i8).map_err(|_| bad())?;
                Ok(Holiday::Once { year: year as i16, month: month as u8, day: day as u8 })
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holiday::Yearly { month, day } => write!(f, "{month:02}-{day:02}"),
            Holiday::Once { year, month, day } => write!(f, "{year:04}-{month:02}-{day:02}"),
        }
    }
}

impl Serialize for Holiday {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_string().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Holiday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Holiday::parse(&s).map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_holidays_parse_and_print() {
        let w = WorkInterval::parse("09:00", "24:00").unwrap();
        assert_eq!((w.start, w.end), (540, 1440));
        assert_eq!(serde_json::to_string(&w).unwrap(), r#"["09:00","24:00"]"#);
        assert!(WorkInterval::parse("17:00", "09:00").is_err());
        assert!(WorkInterval::parse("9", "10:00").is_err());
        assert!(WorkInterval::parse("24:30", "25:00").is_err());
        assert!(WorkInterval::parse("+9:00", "10:00").is_err());
        assert!(WorkInterval::parse("09:00", "10:+5").is_err());
        assert_eq!(Holiday::parse("12-25").unwrap(), Holiday::Yearly { month: 12, day: 25 });
        assert_eq!(Holiday::parse("02-29").unwrap().to_string(), "02-29");
        assert_eq!(Holiday::parse("2026-12-24").unwrap().to_string(), "2026-12-24");
        assert!(Holiday::parse("2026-02-30").is_err());
        assert!(Holiday::parse("13-01").is_err());
        assert!(Holiday::parse("+12-01").is_err());
    }

    #[test]
    fn validation_refuses_overlaps_and_empty_weeks() {
        let mut c = Calendar { name: "c".into(), ..Default::default() };
        assert!(c.validate().is_err());
        c.hours.mon = vec![WorkInterval { start: 540, end: 720 }, WorkInterval { start: 700, end: 800 }];
        assert!(c.validate().is_err());
        c.hours.mon = vec![WorkInterval { start: 540, end: 720 }, WorkInterval { start: 780, end: 1080 }];
        assert!(c.validate().is_ok());
        c.time_zone = "Mars/Olympus".into();
        assert!(c.validate().is_err());
    }
}
