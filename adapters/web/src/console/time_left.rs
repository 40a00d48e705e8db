//! Working time as the console shows it on the escalation clocks: "2 h 15 min" left, overdue by some
//! time, or paused, worded in the reader's language.

use chamado::{ClockView, EscalationView};
use chamado_i18n::Tr;

/// Working minutes as hours and minutes (`2 h 15 min`, `40 min`): working time has no days, since how
/// long a working day is depends on the calendar.
pub fn duration(tr: &Tr, minutes: i64) -> String {
    let minutes = minutes.max(0);
    if minutes >= 60 {
        tr.t2("console-sla-hours-minutes", "hours", minutes / 60, "minutes", minutes % 60)
    } else {
        tr.t1("console-sla-minutes", "minutes", minutes)
    }
}

/// What is left on a clock that counts: working minutes (negative when overdue), and whether it stands
/// still in a pausing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeLeft {
    /// Working minutes left; negative past the due time.
    pub minutes: i64,
    /// The clock stands still (the ticket is in a pausing state).
    pub paused: bool,
}

impl TimeLeft {
    /// What is left on `clock`, when it counts.
    pub fn of(clock: &ClockView) -> Option<TimeLeft> {
        clock.left_minutes.map(|minutes| TimeLeft { minutes, paused: clock.paused })
    }

    /// What is left on the clock of `view` closest to its due time (the engine's
    /// [`EscalationView::least_left_minutes`]); `None` when no clock counts.
    pub fn least(view: &EscalationView) -> Option<TimeLeft> {
        let minutes = view.least_left_minutes()?;
        let paused = view.clocks.iter().any(|c| c.left_minutes == Some(minutes) && c.paused);
        Some(TimeLeft { minutes, paused })
    }

    /// Past its due time.
    pub fn overdue(&self) -> bool {
        self.minutes < 0
    }

    /// The time left (`2 h 15 min`), or how long it is overdue; a paused clock says so.
    pub fn words(&self, tr: &Tr) -> String {
        let time = if self.overdue() {
            tr.t1("console-sla-overdue", "time", duration(tr, -self.minutes))
        } else {
            tr.t1("console-sla-left", "time", duration(tr, self.minutes))
        };
        if self.paused { tr.t1("console-sla-paused-with", "time", time) } else { time }
    }

    /// The queue view's short form: the time left or overdue, or only "paused" for a clock standing still.
    pub fn short(&self, tr: &Tr) -> String {
        if self.paused {
            tr.t("console-sla-paused")
        } else if self.overdue() {
            tr.t1("console-sla-overdue", "time", duration(tr, -self.minutes))
        } else {
            duration(tr, self.minutes)
        }
    }

    /// The class the stylesheet marks it with: `overdue` past due, `paused` standing still, else none.
    pub fn class(&self) -> &'static str {
        if self.paused {
            "paused"
        } else if self.overdue() {
            "overdue"
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_i18n::Language;

    #[test]
    fn working_time_reads_as_hours_and_minutes() {
        let en = Tr::new(Language::english());
        let pt = Tr::new(Language::parse("pt-BR").unwrap_or_else(Language::english));
        assert_eq!(duration(&en, 135), "2 h 15 min");
        assert_eq!(duration(&en, 40), "40 min");
        assert_eq!(duration(&en, 2400), "40 h 0 min");
        let left = TimeLeft { minutes: 135, paused: false };
        assert_eq!((left.short(&en), left.class()), ("2 h 15 min".to_string(), ""));
        let late = TimeLeft { minutes: -65, paused: false };
        assert_eq!((late.short(&en), late.class()), ("overdue by 1 h 5 min".to_string(), "overdue"));
        assert!(late.short(&pt).contains("1 h 5 min") && late.short(&pt) != late.short(&en));
        let still = TimeLeft { minutes: 30, paused: true };
        assert_eq!((still.short(&en), still.class()), ("paused".to_string(), "paused"));
        assert!(still.words(&en).contains("30 min left"), "{}", still.words(&en));
    }
}
