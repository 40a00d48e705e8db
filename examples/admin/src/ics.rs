//! Holidays from an iCalendar file (RFC 5545): its all-day events (`DTSTART;VALUE=DATE`). An event that
//! repeats every year (`RRULE:FREQ=YEARLY`) is a yearly holiday (`MM-DD`), any other one a dated one
//! (`YYYY-MM-DD`); a multi-day event gives each of its days (`DTEND` is the day after the last).
//! Parsing is the `icalendar` crate's; the engine takes the dates and knows nothing of the format.

use icalendar::{Component, DatePerhapsTime};

/// What a file holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IcsHolidays {
    /// `MM-DD` or `YYYY-MM-DD`, in the file's order, each once.
    pub holidays: Vec<String>,
    /// Events that are not all-day (they have a time), left out.
    pub skipped: usize,
}

/// The longest event taken, in days: a year-long "holiday" is a mistake in the file.
const MAX_DAYS: usize = 366;

/// The holidays of iCalendar text.
pub fn holidays(text: &str) -> Result<IcsHolidays, String> {
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err("it does not start with BEGIN:VCALENDAR".into());
    }
    let calendar: icalendar::Calendar = text.parse()?;
    let mut out = IcsHolidays::default();
    for event in calendar.components.iter().filter_map(|c| c.as_event()) {
        let Some(DatePerhapsTime::Date(start)) = event.get_start() else {
            out.skipped += 1;
            continue;
        };
        // The day after the last (exclusive, as RFC 5545 writes it); none or not after: one day.
        let end = match event.get_end() {
            Some(DatePerhapsTime::Date(end)) if end > start => Some(end),
            _ => None,
        };
        let yearly = event
            .property_value("RRULE")
            .is_some_and(|r| r.split(';').any(|part| part.trim().eq_ignore_ascii_case("FREQ=YEARLY")));
        let mut day = start;
        for _ in 0..MAX_DAYS {
            let text = if yearly { day.format("%m-%d").to_string() } else { day.format("%Y-%m-%d").to_string() };
            if !out.holidays.contains(&text) {
                out.holidays.push(text);
            }
            match (day.succ_opt(), end) {
                (Some(next), Some(end)) if next < end => day = next,
                _ => break,
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
        BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Natal\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260216\r\nDTEND;VALUE=DATE:20260218\r\nSUMMARY:Carnaval\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:3\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:4\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260421\r\nSUMMARY:Tiradentes\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";

    #[test]
    fn all_day_events_become_holidays_yearly_or_dated() {
        let h = holidays(FILE).unwrap_or_default();
        assert_eq!(h.holidays, ["12-25", "2026-02-16", "2026-02-17", "2026-04-21"]);
        assert_eq!(h.skipped, 1);
        assert!(holidays("not a calendar").is_err());
    }
}
