//! The languages chamado speaks: one per folder of `locales/`, found when the crate is built.

use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use fluent_templates::{LanguageIdentifier, Loader};

use crate::LOCALES;

/// One of the languages chamado has texts in. Obtain one with [`Language::parse`],
/// [`Language::negotiate`] or [`Language::all`]; it is a cheap copyable handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(&'static LanguageIdentifier);

impl Language {
    /// Every language there are texts for: English first, then by tag.
    pub fn all() -> Vec<Language> {
        let mut all: Vec<Language> = LOCALES.locales().map(Language).collect();
        all.sort_by_key(|l| (l.tag() != "en", l.tag()));
        all
    }

    /// English, the language every text exists in and the fallback of the others.
    pub fn english() -> Language {
        Language(LOCALES.fallback())
    }

    /// The language `tag` names, matched the way browsers' preferences are: `pt-BR`, `pt_BR` (as OTRS
    /// writes it) and `pt` all give Brazilian Portuguese, `en-US` English. `None` when there are no texts
    /// in that language (or `tag` is not a language tag at all).
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-");
        if tag.is_empty() || tag.len() > 35 {
            return None;
        }
        let wanted: LanguageIdentifier = tag.parse().ok()?;
        Self::best(&[wanted])
    }

    /// The language to answer an HTTP `Accept-Language` header with: the first of the caller's
    /// preferences chamado speaks, `None` when it speaks none of them.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        if accept_language.len() > 1024 {
            return None;
        }
        Self::best(&accepted_languages::parse(accept_language))
    }

    fn best(wanted: &[LanguageIdentifier]) -> Option<Language> {
        let available: Vec<&'static LanguageIdentifier> = LOCALES.locales().collect();
        let chosen = negotiate_languages(wanted, &available, None, NegotiationStrategy::Filtering);
        chosen.first().map(|l| Language(l))
    }

    /// The language's tag as stored and shown in `lang` attributes, e.g. `pt-BR`.
    pub fn tag(&self) -> String {
        self.0.to_string()
    }

    /// The identifier, for code that talks to other localisation libraries.
    pub fn identifier(&self) -> &'static LanguageIdentifier {
        self.0
    }

    /// The language's own name for itself, e.g. `Português (Brasil)`: what a language picker shows.
    pub fn name(&self) -> String {
        crate::Tr::new(*self).t("common-language-name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_matched_like_browser_preferences() {
        let pt = Language::parse("pt-BR").map(|l| l.tag());
        assert_eq!(pt.as_deref(), Some("pt-BR"));
        for tag in ["pt_BR", "pt", "PT-br", "pt-PT"] {
            assert_eq!(Language::parse(tag).map(|l| l.tag()), pt, "{tag}");
        }
        assert_eq!(Language::parse("en-US"), Some(Language::english()));
        for bad in ["", "zz", "no such tag", "de", &"x".repeat(100)] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn accept_language_picks_the_first_spoken_preference() {
        let pt = Language::parse("pt-BR");
        assert_eq!(Language::negotiate("pt-BR,pt;q=0.9,en;q=0.8"), pt);
        assert_eq!(Language::negotiate("de-DE, pt;q=0.5"), pt);
        assert_eq!(Language::negotiate("en-GB,pt-BR;q=0.5"), Some(Language::english()));
        assert_eq!(Language::negotiate("de, fr"), None);
        assert_eq!(Language::negotiate(""), None);
    }

    #[test]
    fn english_comes_first_and_every_language_names_itself() {
        let all = Language::all();
        assert_eq!(all.first(), Some(&Language::english()));
        assert!(all.len() >= 2);
        assert_eq!(Language::english().name(), "English");
        assert_eq!(Language::parse("pt-BR").map(|l| l.name()).as_deref(), Some("Português (Brasil)"));
    }
}
