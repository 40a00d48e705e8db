//! What the portal's and the console's preferences pages share: the language choices, and checking
//! what the person typed before the engine does, so a mistake is told in the page's language.

use chamado_http::Problem;
use chamado_i18n::{Language, Message, TimeZoneName};

/// A language the picker offers: its tag (the option's value) and its own name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageChoice {
    /// The tag stored, e.g. `pt-BR`.
    pub tag: String,
    /// The language's name for itself, e.g. `Português (Brasil)`.
    pub name: String,
}

/// Every language chamado speaks, English first.
pub fn languages() -> Vec<LanguageChoice> {
    Language::all().into_iter().map(|l| LanguageChoice { tag: l.tag(), name: l.name() }).collect()
}

/// The chosen language: `None` for the system default (empty), a refusal for one chamado does not speak.
pub fn language(typed: &str) -> Result<Option<String>, Problem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match Language::parse(typed) {
        Some(l) => Ok(Some(l.tag())),
        None => Err(Problem::validation(format!("language {typed:?} is not one chamado speaks"))
            .with_message(Message::new("page-preferences-bad-language").arg("language", typed))),
    }
}

/// The chosen time zone: `None` for the system's (empty), a refusal for a name that is no IANA zone.
pub fn time_zone(typed: &str) -> Result<Option<String>, Problem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match TimeZoneName::parse(typed) {
        Some(z) => Ok(Some(z.as_str().to_string())),
        None => Err(Problem::validation(format!("time zone {typed:?} is not an IANA time zone name"))
            .with_message(Message::new("console-preferences-bad-time-zone").arg("zone", typed))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_checked_and_spelled_as_stored() {
        assert_eq!(language("").ok(), Some(None));
        assert_eq!(language("pt_BR").ok(), Some(Some("pt-BR".to_string())));
        assert!(language("klingon").is_err_and(|p| p.message().is_some()));
        assert_eq!(time_zone(" ").ok(), Some(None));
        assert_eq!(time_zone("america/sao_paulo").ok(), Some(Some("America/Sao_Paulo".to_string())));
        assert!(time_zone("Mars/Olympus").is_err());
        let all = languages();
        assert_eq!(all.first().map(|l| l.tag.as_str()), Some("en"));
        assert!(all.iter().any(|l| l.name == "Português (Brasil)"));
    }
}
