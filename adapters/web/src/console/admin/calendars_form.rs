//! The calendar form: what it posts, and the calendar it describes. Working hours are one text field per
//! weekday (`09:00-12:00, 13:00-18:00`; empty: no work that day) and holidays one per line (`12-25`
//! every year, `2026-12-24` once), so that a calendar is typed as people say it. What the text cannot
//! be read as is refused naming the day and the text; the rest (the time zone, intervals in order, some
//! working hour) is the engine's [`chamado::Calendar::validate`].

use super::forms::CalendarForm;
use chamado::Calendar;
use chamado::directory::{Holiday, WeeklyHours, WorkInterval};
use chamado_http::Problem;
use chamado_i18n::{Message, key};

/// One weekday's field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayHours {
    /// The day as the field names it (`mon`).
    pub day: &'static str,
    /// The message key of its name (`Monday`).
    pub label: &'static str,
    /// The intervals as typed (`09:00-12:00, 13:00-18:00`).
    pub text: String,
}

/// The message key of a weekday's name.
fn day_label(day: &str) -> &'static str {
    match day {
        "mon" => key("admin-sla-day-mon"),
        "tue" => key("admin-sla-day-tue"),
        "wed" => key("admin-sla-day-wed"),
        "thu" => key("admin-sla-day-thu"),
        "fri" => key("admin-sla-day-fri"),
        "sat" => key("admin-sla-day-sat"),
        _ => key("admin-sla-day-sun"),
    }
}

/// A calendar as the pages show it and the forms hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarView {
    /// Its name.
    pub name: String,
    /// The IANA time zone.
    pub time_zone: String,
    /// Monday to Sunday.
    pub days: Vec<DayHours>,
    /// Holidays, one per line.
    pub holidays: String,
    /// How many holidays (the list's column).
    pub holiday_count: usize,
    /// Working hours a week, whole (the list's column).
    pub weekly_hours: u32,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    pub valid: bool,
}

impl CalendarView {
    /// An empty calendar for the add form: UTC, Monday to Friday 09:00-17:00.
    pub fn blank() -> CalendarView {
        let nine_to_five = [WorkInterval { start: 540, end: 1020 }];
        CalendarView::of(Calendar { hours: WeeklyHours::weekdays(&nine_to_five), ..Calendar::default() })
    }

    /// What a stored calendar shows.
    pub fn of(c: Calendar) -> CalendarView {
        let days = c
            .hours
            .days()
            .into_iter()
            .map(|(day, intervals)| DayHours {
                day,
                label: day_label(day),
                text: intervals.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            })
            .collect();
        let minutes: u32 =
            c.hours.days().iter().flat_map(|(_, iv)| iv.iter()).map(|w| u32::from(w.end - w.start)).sum();
        CalendarView {
            days,
            holidays: c.holidays.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
            holiday_count: c.holidays.len(),
            weekly_hours: minutes / 60,
            name: c.name,
            time_zone: c.time_zone,
            comment: c.comment,
            valid: c.valid,
        }
    }

    /// What the form posted, named `name` (an edit keeps the name; an add names it in the form).
    pub fn posted(f: CalendarForm, name: Option<&str>) -> CalendarView {
        let typed = [
            ("mon", f.hours_mon),
            ("tue", f.hours_tue),
            ("wed", f.hours_wed),
            ("thu", f.hours_thu),
            ("fri", f.hours_fri),
            ("sat", f.hours_sat),
            ("sun", f.hours_sun),
        ];
        CalendarView {
            name: name.map_or_else(|| f.name.trim().to_string(), str::to_string),
            time_zone: f.time_zone.trim().to_string(),
            days: typed
                .into_iter()
                .map(|(day, text)| DayHours { day, label: day_label(day), text: text.trim().to_string() })
                .collect(),
            holiday_count: 0,
            weekly_hours: 0,
            holidays: f.holidays.replace("\r\n", "\n").trim().to_string(),
            comment: f.comment.trim().to_string(),
            valid: f.valid,
        }
    }

    /// The calendar this describes; text that is no time range or holiday is refused.
    pub fn record(&self) -> Result<Calendar, Problem> {
        let mut hours = WeeklyHours::default();
        for d in &self.days {
            let intervals = d
                .text
                .split([',', ';'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| interval(d, t))
                .collect::<Result<Vec<_>, _>>()?;
            match d.day {
                "mon" => hours.mon = intervals,
                "tue" => hours.tue = intervals,
                "wed" => hours.wed = intervals,
                "thu" => hours.thu = intervals,
                "fri" => hours.fri = intervals,
                "sat" => hours.sat = intervals,
                _ => hours.sun = intervals,
            }
        }
        let holidays = self
            .holidays
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Holiday::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Calendar {
            name: self.name.clone(),
            time_zone: self.time_zone.clone(),
            hours,
            holidays,
            comment: self.comment.clone(),
            valid: self.valid,
        })
    }
}

/// One `HH:MM-HH:MM` of day `d`.
fn interval(d: &DayHours, text: &str) -> Result<WorkInterval, Problem> {
    let malformed = || {
        Problem::validation(format!("{text:?} on {} is not a time range", d.day))
            .with_message(Message::new("admin-sla-interval-malformed").arg_key("day", d.label).arg("text", text))
    };
    let (start, end) = text.split_once('-').ok_or_else(malformed)?;
    let (start, end) = (start.trim(), end.trim());
    // Each end is read alone (a start before 24:00, an end after 00:00), so that hours that end before
    // they start reach the calendar's own check, which names the day; a time that is no time keeps the
    // engine's reason.
    match (WorkInterval::parse(start, "24:00"), WorkInterval::parse("00:00", end)) {
        (Ok(s), Ok(e)) => Ok(WorkInterval { start: s.start, end: e.end }),
        _ => Err(WorkInterval::parse(start, end).err().map_or_else(malformed, Problem::from)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(mon: &str, holidays: &str) -> CalendarForm {
        CalendarForm {
            name: " Office ".into(),
            time_zone: "America/Sao_Paulo".into(),
            hours_mon: mon.into(),
            holidays: holidays.into(),
            valid: true,
            ..CalendarForm::default()
        }
    }

    #[test]
    fn hours_and_holidays_are_read_as_typed() {
        let v = CalendarView::posted(form(" 09:00-12:00, 13:00 - 18:00 ", "12-25\r\n\r\n2026-12-24\r\n"), None);
        let c = v.record().unwrap();
        assert_eq!(c.name, "Office");
        assert_eq!(c.hours.mon, vec![WorkInterval { start: 540, end: 720 }, WorkInterval { start: 780, end: 1080 }]);
        assert!(c.hours.tue.is_empty());
        assert_eq!(c.holidays, vec![Holiday::Yearly { month: 12, day: 25 }, Holiday::parse("2026-12-24").unwrap()]);
        let shown = CalendarView::of(c);
        assert_eq!(shown.days[0].text, "09:00-12:00, 13:00-18:00");
        assert_eq!((shown.holidays.as_str(), shown.holiday_count, shown.weekly_hours), ("12-25\n2026-12-24", 2, 8));
        assert_eq!(CalendarView::blank().weekly_hours, 40);
    }

    #[test]
    fn what_is_no_time_range_is_refused() {
        assert!(CalendarView::posted(form("9 to 5", ""), None).record().is_err());
        assert!(CalendarView::posted(form("09:00-25:00", ""), None).record().is_err());
        assert!(CalendarView::posted(form("09:00-17:00", "christmas"), None).record().is_err());
        // Backwards hours pass here: the engine's check names the day.
        let c = CalendarView::posted(form("17:00-09:00", ""), None).record().unwrap();
        assert!(c.validate().is_err());
    }
}
