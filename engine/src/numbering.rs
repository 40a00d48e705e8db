//! Unique ticket numbers: the OTRS formats, with counters the Store allocates atomically.
//!
//! A generator only formats and checks numbers. Uniqueness comes from the Store's counter, which never
//! hands out a value twice (not to concurrent creators, not after a crash, not after a failed insert).

use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Formats and recognises ticket numbers.
pub trait TicketNumberGenerator: Send + Sync {
    /// The counter scope for a ticket created at `now`; numbers of one scope share a counter (the date
    /// formats reset it daily by using a scope per day).
    fn counter_scope(&self, now: Timestamp) -> String;
    /// The number for counter value `counter` (starting at 1) at `now`.
    fn format(&self, now: Timestamp, counter: u64) -> String;
    /// True when `digits` is a number this generator could have issued (SystemID, shape, check digit).
    fn is_valid(&self, digits: &str) -> bool;
    /// The counter scope and value that would make this generator issue `digits`, when it could: an
    /// import moves counters past the numbers it brings in. `None` (the default) for numbers this
    /// generator never issues, and for generators that cannot tell.
    fn counter_of(&self, digits: &str) -> Option<(String, u64)> {
        let _ = digits;
        None
    }
}

/// The built-in OTRS formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    /// SystemID + counter padded to at least 5 digits.
    AutoIncrement,
    /// YYYYMMDD + SystemID + counter padded to 5, reset daily.
    Date,
    /// YYYYMMDD + SystemID + counter padded to 5 + check digit, reset daily (the default).
    #[default]
    DateChecksum,
}

/// The built-in generator for a [`NumberFormat`] and SystemID.
///
/// ```
/// use chamado::{NumberFormat, StandardNumbers, TicketNumberGenerator, Timestamp};
/// let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
/// let n = g.format(Timestamp::from_unix_seconds(1_795_819_072), 1);
/// assert_eq!(&n[..15], "202611271000001");
/// assert!(g.is_valid(&n));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardNumbers {
    format: NumberFormat,
    system_id: String,
}

/// The counter is padded to at least this many digits.
const MIN_COUNTER_DIGITS: usize = 5;

impl StandardNumbers {
    /// A generator; `system_id` must be 1 to 10 digits.
    pub fn new(format: NumberFormat, system_id: &str) -> Result<Self> {
        if system_id.is_empty() || system_id.len() > 10 || !system_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::validation(format!("SystemID {system_id:?} must be 1 to 10 digits")));
        }
        Ok(StandardNumbers { format, system_id: system_id.to_string() })
    }

    /// The format.
    pub fn format_kind(&self) -> NumberFormat {
        self.format
    }

    /// The SystemID.
    pub fn system_id(&self) -> &str {
        &self.system_id
    }

    /// True when `rest` is SystemID followed by at least 5 counter digits.
    fn system_and_counter_ok(&self, rest: &str) -> bool {
        rest.strip_prefix(self.system_id.as_str()).is_some_and(|c| c.len() >= MIN_COUNTER_DIGITS)
    }
}

/// The OTRS DateChecksum check digit: weights 1,2,1,2,... from the first digit, c = 10 - (sum mod 10),
/// and 10 becomes 1. Returns `None` when `digits` holds anything but ASCII digits.
pub fn check_digit(digits: &str) -> Option<u8> {
    let mut sum: u64 = 0;
    for (i, b) in digits.bytes().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let weight = if i % 2 == 0 { 1 } else { 2 };
        sum += weight * u64::from(b - b'0');
    }
    let c = 10 - (sum % 10) as u8;
    Some(if c == 10 { 1 } else { c })
}

fn plausible_date(d: &str) -> bool {
    let (Ok(y), Ok(m), Ok(day)) = (d[..4].parse::<u32>(), d[4..6].parse::<u32>(), d[6..8].parse::<u32>()) else {
        return false;
    };
    (1970..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&day)
}

impl TicketNumberGenerator for StandardNumbers {
    fn counter_scope(&self, now: Timestamp) -> String {
        match self.format {
            NumberFormat::AutoIncrement => "ticket_number".to_string(),
            NumberFormat::Date | NumberFormat::DateChecksum => {
                format!("ticket_number:{}", now.date().yyyymmdd())
            }
        }
    }

    fn format(&self, now: Timestamp, counter: u64) -> String {
        let counter = format!("{counter:0MIN_COUNTER_DIGITS$}");
        match self.format {
            NumberFormat::AutoIncrement => format!("{}{counter}", self.system_id),
            NumberFormat::Date => format!("{}{}{counter}", now.date().yyyymmdd(), self.system_id),
            NumberFormat::DateChecksum => {
                let body = format!("{}{}{counter}", now.date().yyyymmdd(), self.system_id);
                // The body is all digits, so a check digit always exists.
                let c = check_digit(&body).unwrap_or(1);
                format!("{body}{c}")
            }
        }
    }

    fn counter_of(&self, digits: &str) -> Option<(String, u64)> {
        if !self.is_valid(digits) {
            return None;
        }
        let (scope, rest) = match self.format {
            NumberFormat::AutoIncrement => ("ticket_number".to_string(), digits),
            NumberFormat::Date => (format!("ticket_number:{}", &digits[..8]), &digits[8..]),
            NumberFormat::DateChecksum => (format!("ticket_number:{}", &digits[..8]), &digits[8..digits.len() - 1]),
        };
        let counter = rest.strip_prefix(self.system_id.as_str())?.parse().ok()?;
        Some((scope, counter))
    }

    fn is_valid(&self, digits: &str) -> bool {
        if digits.is_empty() || digits.len() > 40 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        match self.format {
            NumberFormat::AutoIncrement => self.system_and_counter_ok(digits),
            NumberFormat::Date => {
                digits.len() > 8 && plausible_date(&digits[..8]) && self.system_and_counter_ok(&digits[8..])
            }
            NumberFormat::DateChecksum => {
                if digits.len() < 8 + self.system_id.len() + MIN_COUNTER_DIGITS + 1 {
                    return false;
                }
                let (body, check) = digits.split_at(digits.len() - 1);
                plausible_date(&body[..8])
                    && self.system_and_counter_ok(&body[8..])
                    && check_digit(body).map(|c| c.to_string()) == Some(check.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        Timestamp::from_unix_seconds(1_795_819_072) // 2026-11-27
    }

    #[test]
    fn auto_increment_format_and_validation() {
        let g = StandardNumbers::new(NumberFormat::AutoIncrement, "10").unwrap();
        assert_eq!(g.format(at(), 1), "1000001");
        assert_eq!(g.format(at(), 123_456), "10123456");
        assert_eq!(g.counter_scope(at()), g.counter_scope(Timestamp(0)));
        assert!(g.is_valid("1000001"));
        assert!(!g.is_valid("2000001"), "foreign SystemID");
        assert!(!g.is_valid("100001"), "counter too short");
    }

    #[test]
    fn date_format_resets_daily() {
        let g = StandardNumbers::new(NumberFormat::Date, "10").unwrap();
        assert_eq!(g.format(at(), 7), "202611271000007");
        assert_ne!(g.counter_scope(at()), g.counter_scope(at().plus(std::time::Duration::from_secs(86_400))));
        assert!(g.is_valid("202611271000007"));
        assert!(!g.is_valid("202613271000007"), "month 13");
        assert!(!g.is_valid("202611279900007"), "foreign SystemID");
    }

    #[test]
    fn counter_of_inverts_format() {
        let now = Timestamp::from_unix_seconds(1_795_819_072);
        for kind in [NumberFormat::AutoIncrement, NumberFormat::Date, NumberFormat::DateChecksum] {
            let g = StandardNumbers::new(kind, "10").unwrap();
            for counter in [1, 42, 99_999, 1_234_567] {
                let n = g.format(now, counter);
                assert_eq!(g.counter_of(&n), Some((g.counter_scope(now), counter)), "{kind:?} {n}");
            }
        }
        let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
        assert_eq!(g.counter_of("2021012710123456"), None, "Znuny's welcome ticket: another SystemID");
        assert_eq!(g.counter_of("2026112710000014"), None, "wrong check digit");
        assert_eq!(g.counter_of("abc"), None);
    }

    #[test]
    fn date_checksum_matches_otrs_algorithm() {
        let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
        // body 202611271000001: weights 1,2,1,2..: 2+0+0+4+1+2+2+14+1+0+0+0+0+0+1 = 27 -> 10-7 = 3
        assert_eq!(g.format(at(), 1), "2026112710000013");
        assert!(g.is_valid("2026112710000013"));
        for wrong in 0..10 {
            if wrong != 3 {
                assert!(!g.is_valid(&format!("202611271000001{wrong}")), "wrong check digit {wrong}");
            }
        }
        let other = StandardNumbers::new(NumberFormat::DateChecksum, "11").unwrap();
        assert!(!other.is_valid(&g.format(at(), 1)), "foreign SystemID");
    }

    #[test]
    fn check_digit_ten_becomes_one() {
        // sum mod 10 == 0 -> 10 -> 1: "0" has sum 0.
        assert_eq!(check_digit("0"), Some(1));
        assert_eq!(check_digit("12"), Some(5)); // 1 + 4 = 5 -> 5
        assert_eq!(check_digit("1a"), None);
    }

    #[test]
    fn system_id_must_be_digits() {
        assert!(StandardNumbers::new(NumberFormat::DateChecksum, "").is_err());
        assert!(StandardNumbers::new(NumberFormat::DateChecksum, "1x").is_err());
    }
}
