//! Times as a person reads them: in their time zone (IANA names, from the database bundled into the
//! binary so no host file is read) and in their language's format.

use jiff::tz::TimeZone;

/// A valid IANA time zone name, e.g. `America/Sao_Paulo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

impl TimeZoneName {
    /// The zone `name` names (exact IANA spelling, case-insensitive), `None` for anything else.
    pub fn parse(name: &str) -> Option<TimeZoneName> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        let zone = jiff::tz::db().get(name).ok()?;
        let name = zone.iana_name().unwrap_or(name).to_string();
        Some(TimeZoneName { name, zone })
    }

    /// Coordinated Universal Time, the zone of people who chose none.
    pub fn utc() -> TimeZoneName {
        TimeZoneName { name: "UTC".into(), zone: TimeZone::UTC }
    }

    /// The name as stored, e.g. `America/Sao_Paulo`.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Every zone name there is, sorted: what a time zone picker offers.
    pub fn all() -> Vec<String> {
        let mut all: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        all.sort();
        all
    }

    /// The moment (Unix seconds) a wall-clock time in this zone names: `2026-12-05T14:30` or
    /// `2026-12-05T14:30:00` as an HTML `datetime-local` field sends it. A time skipped by a daylight
    /// saving change counts as the time after the gap, a repeated one as its first occurrence.
    pub fn local_to_unix(&self, wall_clock: &str) -> Option<i64> {
        let wall_clock = wall_clock.trim();
        if wall_clock.len() > 32 {
            return None;
        }
        let civil: jiff::civil::DateTime = wall_clock.parse().ok()?;
        Some(civil.to_zoned_datetime(self.zone.clone()).ok()?.timestamp().as_second())
    }

    /// The date (`2026-12-05`) of a moment (Unix seconds) in this zone, as an HTML `date` field holds it;
    /// `None` out of range.
    pub fn local_date(&self, unix_seconds: i64) -> Option<String> {
        LocalTime(unix_seconds).format(self, "%Y-%m-%d")
    }

    pub(crate) fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

/// A moment to show: seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime(pub i64);

impl LocalTime {
    /// `self` in `zone`, formatted with `format` (strftime); `None` when out of range or the format is bad.
    pub(crate) fn format(self, zone: &TimeZoneName, format: &str) -> Option<String> {
        let at = jiff::Timestamp::from_second(self.0).ok()?.to_zoned_datetime(zone.zone().clone());
        jiff::fmt::strtime::format(format, &at).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_iana_names_only() {
        assert_eq!(
            TimeZoneName::parse("America/Sao_Paulo").map(|z| z.as_str().to_string()).as_deref(),
            Some("America/Sao_Paulo")
        );
        assert!(TimeZoneName::parse("Europe/Lisbon").is_some());
        assert!(TimeZoneName::parse("UTC").is_some());
        for bad in ["", "Mars/Olympus", "../../etc/passwd", "America/Sao Paulo", &"a".repeat(100)] {
            assert!(TimeZoneName::parse(bad).is_none(), "{bad}");
        }
        assert!(TimeZoneName::all().iter().any(|z| z == "America/Sao_Paulo"));
    }

    #[test]
    fn wall_clock_times_are_read_in_the_zone() {
        let sp = TimeZoneName::parse("America/Sao_Paulo").unwrap();
        assert_eq!(sp.local_to_unix("2026-12-05T09:00"), Some(1_796_472_000));
        assert_eq!(sp.local_to_unix("2026-12-05T09:00:00"), Some(1_796_472_000));
        assert_eq!(TimeZoneName::utc().local_to_unix("2026-12-05T12:00"), Some(1_796_472_000));
        // 01:00 UTC on the 5th is still the 4th in São Paulo.
        assert_eq!(sp.local_date(1_796_432_400).as_deref(), Some("2026-12-04"));
        assert_eq!(TimeZoneName::utc().local_date(1_796_432_400).as_deref(), Some("2026-12-05"));
        for bad in ["", "tomorrow", "2026-13-05T09:00", "2026-12-05T25:00", &"9".repeat(40)] {
            assert_eq!(sp.local_to_unix(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_moment_reads_in_the_zone() {
        // 2026-12-05T12:00:00Z is 09:00 in São Paulo (UTC-3, no daylight saving time since 2019).
        let noon = LocalTime(1_796_472_000);
        let sp = TimeZoneName::parse("America/Sao_Paulo").unwrap();
        assert_eq!(noon.format(&sp, "%Y-%m-%d %H:%M").as_deref(), Some("2026-12-05 09:00"));
        assert_eq!(noon.format(&TimeZoneName::utc(), "%d/%m/%Y %H:%M").as_deref(), Some("05/12/2026 12:00"));
    }
}
