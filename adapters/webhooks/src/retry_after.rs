//! `Retry-After` (RFC 9110 §10.2.3): a number of seconds, or an HTTP-date.

use std::time::{Duration, SystemTime};

/// The longest wait taken from a receiver; the engine caps it further by `webhooks.max_backoff_secs`.
const MOST: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long the receiver asked to wait, judged at `now`: `None` for a missing or unreadable value; a
/// date in the past is no wait.
pub fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MOST));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default().min(MOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_all_three_date_forms_are_read() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_717); // Sun, 06 Nov 1994 08:48:37 GMT
        assert_eq!(parse("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 ", now), Some(Duration::ZERO));
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(parse(date, now), Some(Duration::from_secs(60)), "{date}");
        }
        assert_eq!(parse("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO), "a past date");
        assert_eq!(parse("99999999999999999999999", now), Some(MOST));
        for bad in ["", "-5", "1.5", "soon", "Sun, 06 Nov 1994"] {
            assert_eq!(parse(bad, now), None, "{bad}");
        }
    }
}
