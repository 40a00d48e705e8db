//! One result row as text (or bytes), read by column position.

use crate::error::{Error, Result};
use chamado::Timestamp;

/// A row: each value as the server printed it, `None` for SQL NULL.
pub(crate) struct Row {
    what: &'static str,
    values: Vec<Option<Vec<u8>>>,
}

impl Row {
    pub(crate) fn new(what: &'static str, values: Vec<Option<Vec<u8>>>) -> Row {
        Row { what, values }
    }

    fn raw(&self, i: usize) -> Option<&[u8]> {
        self.values.get(i).and_then(|v| v.as_deref())
    }

    fn error(&self, i: usize, message: impl Into<String>) -> Error {
        Error::Value { what: self.what, message: format!("column {}: {}", i + 1, message.into()) }
    }

    /// An integer column that is never NULL.
    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        self.opt_int(i)?.ok_or_else(|| self.error(i, "NULL where a number was expected"))
    }

    /// An integer column.
    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.raw(i) {
            None => Ok(None),
            Some(b) => {
                let s = std::str::from_utf8(b).map_err(|_| self.error(i, "not a number"))?.trim();
                // Aggregates (MAX of an empty set aside) may print as `12.0` on some servers.
                let s = s.strip_suffix(".0").unwrap_or(s);
                s.parse().map(Some).map_err(|_| self.error(i, format!("{s:?} is not a number")))
            }
        }
    }

    /// A text column; NULL reads as empty. Bytes that are not UTF-8 (a latin1 table) are kept as
    /// near as they go.
    pub(crate) fn text(&self, i: usize) -> String {
        self.raw(i).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
    }

    /// A text column, `None` when NULL or blank.
    pub(crate) fn opt_text(&self, i: usize) -> Option<String> {
        let t = self.text(i);
        if t.trim().is_empty() { None } else { Some(t) }
    }

    /// A column's bytes.
    pub(crate) fn bytes(&self, i: usize) -> Option<&[u8]> {
        self.raw(i)
    }

    /// A `timestamp`/`DATETIME` column. Znuny writes the server's local time without a zone; it is
    /// taken as UTC.
    pub(crate) fn time(&self, i: usize) -> Result<Timestamp> {
        let t = self.text(i);
        parse_db_time(&t).ok_or_else(|| self.error(i, format!("{t:?} is not a time")))
    }
}

/// `2021-01-27 10:12:34` (an optional fraction ignored) as UTC. MySQL's zero date reads as the epoch.
pub(crate) fn parse_db_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.starts_with("0000-00-00") {
        return Some(Timestamp::EPOCH);
    }
    let s = s.split_once('.').map_or(s, |(whole, _)| whole);
    let (date, time) = s.split_once([' ', 'T']).unwrap_or((s, "00:00:00"));
    let mut d = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, mo, dd) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut t = time.splitn(3, ':').map(str::parse::<i64>);
    let (h, mi, se) = (t.next()?.ok()?, t.next()?.ok()?, t.next().unwrap_or(Ok(0)).ok()?);
    let civil = jiff::civil::DateTime::new(
        i16::try_from(y).ok()?,
        i8::try_from(mo).ok()?,
        i8::try_from(dd).ok()?,
        i8::try_from(h).ok()?,
        i8::try_from(mi).ok()?,
        i8::try_from(se).ok()?,
        0,
    )
    .ok()?;
    let ts = jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()?;
    Some(Timestamp(ts.as_millisecond()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_times_read_as_utc() {
        assert_eq!(parse_db_time("1970-01-02 00:00:01"), Some(Timestamp(86_401_000)));
        assert_eq!(parse_db_time("2021-01-27 10:12:34.5"), parse_db_time("2021-01-27 10:12:34"));
        assert_eq!(parse_db_time("0000-00-00 00:00:00"), Some(Timestamp::EPOCH));
        assert_eq!(parse_db_time("yesterday"), None);
        assert_eq!(parse_db_time("2021-02-30 10:00:00"), None);
    }

    #[test]
    fn numbers_and_nulls() {
        let row = Row::new("t", vec![Some(b"42".to_vec()), None, Some(b"x".to_vec())]);
        assert_eq!(row.int(0).ok(), Some(42));
        assert!(row.int(1).is_err());
        assert_eq!(row.opt_int(1).ok(), Some(None));
        assert!(row.int(2).is_err());
        assert!(row.int(9).is_err());
        assert_eq!(row.text(1), "");
        assert_eq!(row.opt_text(2).as_deref(), Some("x"));
    }
}
