//! Whose language a text is in: a person's own choice, else what their browser or chat app asks for,
//! else the system's. The one place that rule lives; adapters pass in what the request asked for.

use chamado_i18n::{Language, TimeZoneName, Tr};

use super::Engine;
use crate::directory::{Agent, CustomerUser};

impl Engine {
    /// The system's language (`i18n.default_language`); English when that names none chamado speaks.
    pub fn default_language(&self) -> Language {
        Language::parse(&self.config().i18n.default_language).unwrap_or_else(Language::english)
    }

    /// The system's time zone (`i18n.default_time_zone`); UTC when that names none.
    pub fn default_time_zone(&self) -> TimeZoneName {
        TimeZoneName::parse(&self.config().i18n.default_time_zone).unwrap_or_else(TimeZoneName::utc)
    }

    /// Texts for someone not signed in: the language `asked` for (an `Accept-Language` header or a chat
    /// app's language code) when chamado speaks it, else the system's; times in the system's zone.
    pub fn anonymous_tr(&self, asked: Option<&str>) -> Tr {
        let asked = asked.and_then(|a| Language::negotiate(a).or_else(|| Language::parse(a)));
        Tr::new(asked.unwrap_or_else(|| self.default_language())).with_time_zone(self.default_time_zone())
    }

    /// Texts for a customer user: their own language, else the one `asked` for, else the system's.
    /// Mail passes no `asked`: a mail goes out in the user's language or the system's.
    pub fn customer_user_tr(&self, user: &CustomerUser, asked: Option<&str>) -> Tr {
        match user.language.as_deref().and_then(Language::parse) {
            Some(own) => Tr::new(own).with_time_zone(self.default_time_zone()),
            None => self.anonymous_tr(asked),
        }
    }

    /// Texts for an agent: their own language and time zone, else what was `asked` for and the
    /// system's.
    pub fn agent_tr(&self, agent: &Agent, asked: Option<&str>) -> Tr {
        let base = match agent.language.as_deref().and_then(Language::parse) {
            Some(own) => Tr::new(own),
            None => self.anonymous_tr(asked),
        };
        let zone = agent.time_zone.as_deref().and_then(TimeZoneName::parse).unwrap_or_else(|| self.default_time_zone());
        base.with_time_zone(zone)
    }
}
