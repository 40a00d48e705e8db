//! How old a ticket is, in the units the queue view shows, worded in the reader's language.

use chamado_i18n::Tr;

/// A duration split into whole days, hours and minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    /// Whole days.
    pub days: i64,
    /// Hours beyond the days (0 to 23).
    pub hours: i64,
    /// Minutes beyond the hours (0 to 59).
    pub minutes: i64,
}

impl Age {
    /// The age of something `ms` milliseconds old; a negative age (a clock set back) is zero.
    pub fn of(ms: i64) -> Self {
        let m = ms.max(0) / 60_000;
        Age { days: m / 1440, hours: (m / 60) % 24, minutes: m % 60 }
    }

    /// The age in its two largest units (days and hours, hours and minutes, or minutes), with each
    /// language's plural forms.
    pub fn words(&self, tr: &Tr) -> String {
        if self.days > 0 {
            tr.t2("console-age-days-hours", "days", self.days, "hours", self.hours)
        } else if self.hours > 0 {
            tr.t2("console-age-hours-minutes", "hours", self.hours, "minutes", self.minutes)
        } else {
            tr.t1("console-age-minutes", "minutes", self.minutes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Age;
    use chamado_i18n::{Language, Tr};

    #[test]
    fn ages_split_into_units() {
        assert_eq!(Age::of(-5), Age { days: 0, hours: 0, minutes: 0 });
        assert_eq!(Age::of(7 * 60_000 + 59_999), Age { days: 0, hours: 0, minutes: 7 });
        assert_eq!(Age::of((2 * 60 + 5) * 60_000), Age { days: 0, hours: 2, minutes: 5 });
        assert_eq!(Age::of((3 * 1440 + 4 * 60) * 60_000), Age { days: 3, hours: 4, minutes: 0 });
    }

    #[test]
    fn ages_are_worded_with_plurals() {
        let en = Tr::new(Language::english());
        let pt = Tr::new(Language::parse("pt-BR").unwrap_or_else(Language::english));
        let one_day = Age { days: 1, hours: 1, minutes: 0 };
        assert_eq!(one_day.words(&en), "1 day 1 hour");
        assert_eq!(one_day.words(&pt), "1 dia 1 hora");
        let more = Age { days: 3, hours: 4, minutes: 0 };
        assert_eq!(more.words(&en), "3 days 4 hours");
        assert_eq!(more.words(&pt), "3 dias 4 horas");
        assert_eq!(Age { days: 0, hours: 2, minutes: 1 }.words(&pt), "2 horas 1 minuto");
        assert_eq!(Age { days: 0, hours: 0, minutes: 0 }.words(&en), "0 minutes");
        assert_eq!(Age { days: 0, hours: 0, minutes: 1 }.words(&en), "1 minute");
    }
}
