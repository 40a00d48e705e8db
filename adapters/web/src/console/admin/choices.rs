//! The language and time zone fields of the admin's customer user and agent forms: the same choices
//! and checks as the people's own preferences pages ([`crate::preferences`]), plus the zone list.

pub use crate::preferences::{LanguageChoice, language, languages, time_zone};

/// Every time zone name, for the time zone field's suggestions.
pub fn time_zones() -> Vec<String> {
    chamado_i18n::TimeZoneName::all()
}
