//! How old a ticket is, in the units the queue view shows (the template words them).

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
}

#[cfg(test)]
mod tests {
    use super::Age;

    #[test]
    fn ages_split_into_units() {
        assert_eq!(Age::of(-5), Age { days: 0, hours: 0, minutes: 0 });
        assert_eq!(Age::of(7 * 60_000 + 59_999), Age { days: 0, hours: 0, minutes: 7 });
        assert_eq!(Age::of((2 * 60 + 5) * 60_000), Age { days: 0, hours: 2, minutes: 5 });
        assert_eq!(Age::of((3 * 1440 + 4 * 60) * 60_000), Age { days: 3, hours: 4, minutes: 0 });
    }
}
