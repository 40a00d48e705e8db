//! Looking texts up in one person's language, with their time zone for the times shown.

use std::collections::HashMap;

use fluent_templates::Loader;
use fluent_templates::fluent_bundle::FluentValue;

use crate::{Arg, LOCALES, Language, LocalTime, TimeZoneName};

/// Marks a string as a message key for code that picks keys at run time (a state's or a permission's
/// text): the key-checking test finds keys written as `key("…")`, `t("…")`, `t1("…")` … `ta("…")`.
pub const fn key(k: &'static str) -> &'static str {
    k
}

/// The texts of one language, and the time zone times are shown in. Templates call its methods:
/// `{{ tr.t("common-language-name") }}`, `{{ tr.t1("common-tickets-count", "count", tickets.len()) }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tr {
    language: Language,
    zone: TimeZoneName,
    // The language's strftime formats, looked up once: pages show dozens of times.
    datetime_format: String,
    date_format: String,
}

impl Tr {
    /// Texts in `language`, times in UTC.
    pub fn new(language: Language) -> Tr {
        let mut tr =
            Tr { language, zone: TimeZoneName::utc(), datetime_format: String::new(), date_format: String::new() };
        tr.datetime_format = tr.t(key("common-datetime-format"));
        tr.date_format = tr.t(key("common-date-format"));
        tr
    }

    /// The same texts, times in `zone`.
    pub fn with_time_zone(mut self, zone: TimeZoneName) -> Tr {
        self.zone = zone;
        self
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The language's tag, for `lang` attributes.
    pub fn lang(&self) -> String {
        self.language.tag()
    }

    /// The time zone times are shown in.
    pub fn time_zone(&self) -> &TimeZoneName {
        &self.zone
    }

    /// The message `key`; the key itself when no language has it (a test keeps that from happening).
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.ta(key, &[(name, value.into())])
    }

    /// The message `key` with two arguments.
    pub fn t2(&self, key: &str, n1: &str, v1: impl Into<Arg>, n2: &str, v2: impl Into<Arg>) -> String {
        self.ta(key, &[(n1, v1.into()), (n2, v2.into())])
    }

    /// The message `key` with three arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        key: &str,
        n1: &str,
        v1: impl Into<Arg>,
        n2: &str,
        v2: impl Into<Arg>,
        n3: &str,
        v3: impl Into<Arg>,
    ) -> String {
        self.ta(key, &[(n1, v1.into()), (n2, v2.into()), (n3, v3.into())])
    }

    /// The message `key` with any number of arguments.
    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let args: HashMap<&str, FluentValue<'static>> = args.iter().map(|(n, v)| (*n, v.fluent())).collect();
        self.lookup(key, Some(&args))
    }

    // Straight to the language's own bundle, then English: the language is always one there are texts
    // for, so the loader's per-lookup negotiation (which allocates) is not needed; pages make dozens of
    // lookups each.
    fn lookup(&self, key: &str, args: Option<&HashMap<&str, FluentValue<'static>>>) -> String {
        let own = self.language.identifier();
        LOCALES
            .lookup_single_language(own, key, args)
            .or_else(|e| {
                let english = Language::english().identifier();
                if own == english { Err(e) } else { LOCALES.lookup_single_language(english, key, args) }
            })
            .unwrap_or_else(|_| key.to_string())
    }

    /// True when some language has `key`.
    pub fn has(key: &str) -> bool {
        LOCALES.try_lookup(Language::english().identifier(), key).is_some()
    }

    /// A moment (Unix seconds) as date and time in the zone and the language's format.
    pub fn datetime(&self, unix_seconds: i64) -> String {
        self.moment(unix_seconds, &self.datetime_format)
    }

    /// A moment's date in the zone and the language's format.
    pub fn date(&self, unix_seconds: i64) -> String {
        self.moment(unix_seconds, &self.date_format)
    }

    fn moment(&self, unix_seconds: i64, format: &str) -> String {
        LocalTime(unix_seconds)
            .format(&self.zone, format)
            .or_else(|| LocalTime(unix_seconds).format(&self.zone, "%Y-%m-%d %H:%M"))
            .unwrap_or_else(|| unix_seconds.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt() -> Tr {
        Tr::new(Language::parse("pt-BR").unwrap())
    }

    #[test]
    fn plurals_follow_each_language() {
        let en = Tr::new(Language::english());
        assert_eq!(en.t1("common-tickets-count", "count", 0), "0 tickets");
        assert_eq!(en.t1("common-tickets-count", "count", 1), "1 ticket");
        // Portuguese says "none" for zero.
        assert_eq!(pt().t1("common-tickets-count", "count", 0), "nenhum chamado");
        assert_eq!(pt().t1("common-tickets-count", "count", 3), "3 chamados");
    }

    #[test]
    fn arguments_are_not_wrapped_in_isolation_marks() {
        let s = Tr::new(Language::english()).t1("common-tickets-count", "count", 5);
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
    }

    #[test]
    fn unknown_keys_come_back_as_themselves() {
        let missing = "no-such-key";
        assert_eq!(pt().t(missing), missing);
        assert!(!Tr::has(missing));
        assert!(Tr::has("common-language-name"));
    }

    #[test]
    fn times_follow_zone_and_language() {
        let at = 1_796_472_000; // 2026-12-05T12:00:00Z
        let sp = TimeZoneName::parse("America/Sao_Paulo").unwrap();
        assert_eq!(pt().with_time_zone(sp).datetime(at), "05/12/2026 09:00");
        assert_eq!(Tr::new(Language::english()).datetime(at), "2026-12-05 12:00");
        assert_eq!(pt().date(at), "05/12/2026");
    }
}
