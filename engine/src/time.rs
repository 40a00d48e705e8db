//! Points in time as the engine sees them: milliseconds since the Unix epoch, UTC.
//!
//! The engine never reads the system clock itself (see [`crate::Clock`]), so every rule that depends on
//! time is reproducible in tests.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// A point in time in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// A timestamp from whole seconds since the epoch.
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp(seconds.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch (rounded down).
    pub const fn as_unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This time plus a duration, saturating at the end of the range.
    pub fn plus(self, d: Duration) -> Self {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(ms))
    }

    /// The calendar date (UTC) this time falls on.
    pub fn date(self) -> CivilDate {
        CivilDate::from_days(self.0.div_euclid(86_400_000))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with second precision, e.g. `2026-11-27T22:37:52Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date();
        let secs = self.as_unix_seconds().rem_euclid(86_400);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            d.year,
            d.month,
            d.day,
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month 1..=12.
    pub month: u32,
    /// Day of month 1..=31.
    pub day: u32,
}

impl CivilDate {
    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate { year, month, day }
    }

    /// `YYYYMMDD`, as ticket numbers of the date formats start.
    pub fn yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_and_display() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00Z");
        // 2026-11-27T22:37:52Z
        let t = Timestamp::from_unix_seconds(1_795_819_072);
        assert_eq!(t.to_string(), "2026-11-27T22:37:52Z");
        assert_eq!(t.date().yyyymmdd(), "20261127");
        assert_eq!(Timestamp::from_unix_seconds(951_782_400).date().yyyymmdd(), "20000229");
        assert_eq!(Timestamp(-1).date().yyyymmdd(), "19691231");
    }
}
