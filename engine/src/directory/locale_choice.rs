//! A person's own language and time zone: kept in one spelling (`pt-BR`, `America/Sao_Paulo`) whatever
//! the admin, the API or the person typed, and only ones chamado has texts or zone data for.

use chamado_i18n::{Language, Message, TimeZoneName};

use crate::error::{Error, Result};

/// `language` in its stored spelling; empty means none chosen. Unknown languages are refused.
pub fn normalize_language(language: &mut Option<String>) -> Result<()> {
    let Some(tag) = language.as_deref().map(str::trim) else { return Ok(()) };
    if tag.is_empty() {
        *language = None;
        return Ok(());
    }
    match Language::parse(tag) {
        Some(l) => {
            *language = Some(l.tag());
            Ok(())
        }
        None => Err(Error::validation(
            Message::new("error-language-unknown")
                .arg("language", format!("{tag:?}"))
                .arg("choices", Language::all().iter().map(|l| l.tag()).collect::<Vec<_>>().join(", ")),
        )),
    }
}

/// `time_zone` in its IANA spelling; empty means none chosen. Unknown zones are refused.
pub fn normalize_time_zone(time_zone: &mut Option<String>) -> Result<()> {
    let Some(name) = time_zone.as_deref().map(str::trim) else { return Ok(()) };
    if name.is_empty() {
        *time_zone = None;
        return Ok(());
    }
    match TimeZoneName::parse(name) {
        Some(z) => {
            *time_zone = Some(z.as_str().to_string());
            Ok(())
        }
        None => Err(Error::validation(Message::new("error-time-zone-unknown").arg("zone", format!("{name:?}")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_stored_in_one_spelling() {
        let mut l = Some("pt_br".to_string());
        normalize_language(&mut l).unwrap();
        assert_eq!(l.as_deref(), Some("pt-BR"));
        let mut none = Some("  ".to_string());
        normalize_language(&mut none).unwrap();
        assert_eq!(none, None);
        let mut z = Some("america/sao_paulo".to_string());
        normalize_time_zone(&mut z).unwrap();
        assert_eq!(z.as_deref(), Some("America/Sao_Paulo"));
    }

    #[test]
    fn unknown_choices_are_refused() {
        assert!(matches!(normalize_language(&mut Some("klingon".into())), Err(Error::Validation(_))));
        assert!(matches!(normalize_time_zone(&mut Some("Mars/Base".into())), Err(Error::Validation(_))));
    }
}
