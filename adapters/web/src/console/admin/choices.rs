//! The language and time zone fields of the customer user and agent forms: what they offer, and the
//! refusal of a value chamado does not know, in the admin's language. The engine normalises and checks
//! again when it stores the record; checking here first only makes the refusal translatable.

use chamado_http::Problem;
use chamado_i18n::{Language, Message, TimeZoneName};

/// One choice of the language select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageChoice {
    /// What the form posts and the record stores (`pt-BR`).
    pub tag: String,
    /// The language's name in itself (`Português (Brasil)`).
    pub name: String,
}

/// Every language chamado speaks, for the select (after "system default").
pub fn languages() -> Vec<LanguageChoice> {
    Language::all().into_iter().map(|l| LanguageChoice { tag: l.tag(), name: l.name() }).collect()
}

/// Every time zone name, for the time zone field's suggestions.
pub fn time_zones() -> Vec<String> {
    TimeZoneName::all()
}

/// The posted language: `None` for "system default" (empty), else the value, refused with a
/// translatable 422 when chamado does not speak it.
pub fn language(posted: &str) -> Result<Option<String>, Problem> {
    let posted = posted.trim();
    if posted.is_empty() {
        return Ok(None);
    }
    match Language::parse(posted) {
        Some(l) => Ok(Some(l.tag())),
        None => Err(Problem::validation(String::new())
            .with_message(Message::new("admin-error-language").arg("language", posted.to_string()))),
    }
}

/// The posted time zone: `None` for the system's (empty), else the IANA name, refused with a
/// translatable 422 when it names no zone.
pub fn time_zone(posted: &str) -> Result<Option<String>, Problem> {
    let posted = posted.trim();
    if posted.is_empty() {
        return Ok(None);
    }
    match TimeZoneName::parse(posted) {
        Some(z) => Ok(Some(z.as_str().to_string())),
        None => Err(Problem::validation(String::new())
            .with_message(Message::new("admin-error-time-zone").arg("zone", posted.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_normalised_or_refused() {
        assert_eq!(language("").ok(), Some(None));
        assert_eq!(language(" pt_BR ").ok(), Some(Some("pt-BR".to_string())));
        let refused = language("tlh").err().map(|p| p.detail().to_string()).unwrap_or_default();
        assert!(refused.contains("tlh"), "{refused}");
        assert_eq!(time_zone("").ok(), Some(None));
        assert_eq!(time_zone("America/Sao_Paulo").ok(), Some(Some("America/Sao_Paulo".to_string())));
        let refused = time_zone("Mars/Olympus").err();
        assert!(refused.is_some_and(|p| p.message().is_some() && p.detail().contains("Mars/Olympus")));
    }

    #[test]
    fn every_language_is_offered_by_its_tag() {
        let all = languages();
        assert!(all.iter().any(|l| l.tag == "en") && all.iter().any(|l| l.tag == "pt-BR"), "{all:?}");
    }
}
