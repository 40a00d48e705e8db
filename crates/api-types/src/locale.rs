//! People's language and time zone as the API takes them: exactly one of the spellings the OpenAPI
//! document lists (`pt-BR`, `America/Sao_Paulo`), or `null` for none. The engine would also take
//! `pt_br` or `america/sao_paulo` and store them in one spelling; the API refuses them so that the
//! schema, which lists the exact names, says precisely what is accepted.

use chamado::Error;
use chamado_i18n::{Language, TimeZoneName};

/// The language tags chamado speaks (`en`, `pt-BR`, ...), in the spelling the API takes.
pub fn language_tags() -> Vec<String> {
    Language::all().iter().map(Language::tag).collect()
}

/// Refuses a language that is not one of [`language_tags`], spelled exactly.
pub fn check_language(language: Option<&str>) -> Result<(), Error> {
    match language {
        None => Ok(()),
        Some(tag) if Language::parse(tag).is_some_and(|l| l.tag() == tag) => Ok(()),
        Some(tag) => Err(Error::validation(format!(
            "language {tag:?} is not one chamado speaks; choose one of {}",
            language_tags().join(", ")
        ))),
    }
}

/// Refuses a time zone that is not an IANA name spelled as the zone database spells it.
pub fn check_time_zone(time_zone: Option<&str>) -> Result<(), Error> {
    match time_zone {
        None => Ok(()),
        Some(name) if TimeZoneName::parse(name).is_some_and(|z| z.as_str() == name) => Ok(()),
        Some(name) => Err(Error::validation(format!(
            "time zone {name:?} is not an IANA time zone name such as America/Sao_Paulo"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_spellings_pass() {
        assert!(check_language(Some("pt-BR")).is_ok());
        assert!(check_language(None).is_ok());
        assert!(check_language(Some("pt_br")).is_err());
        assert!(check_language(Some("klingon")).is_err());
        assert!(check_time_zone(Some("America/Sao_Paulo")).is_ok());
        assert!(check_time_zone(Some("america/sao_paulo")).is_err());
        assert!(check_time_zone(Some("Mars/Base")).is_err());
    }
}
