//! The forms of the text screens (auto-responses, salutations, signatures, templates, notifications):
//! what they post, and the texts per language they describe. Their field names hold language tags
//! (`subject:pt-BR`, `body:en`) and the template form posts one `queue` per selected queue, which no
//! derived form can express, so the form arrives as its raw pairs ([`crate::csrf::CsrfForm`] of
//! `Vec<(String, String)>`) and [`Posted::of`] reads them.

use crate::preferences::languages;
use chamado::LocalizedText;

/// One language's subject and body as a form shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangText {
    /// The language tag (`pt-BR`), the field names' suffix.
    pub tag: String,
    /// The language's own name, the fieldset's legend.
    pub name: String,
    /// The subject template.
    pub subject: String,
    /// The body template.
    pub body: String,
}

/// One subject and body per language the helpdesk speaks (English first), filled from `texts`.
pub fn lang_texts(texts: &[LocalizedText]) -> Vec<LangText> {
    languages()
        .into_iter()
        .map(|l| {
            let own = texts
                .iter()
                .find(|t| chamado_i18n::Language::parse(&t.language).is_some_and(|parsed| parsed.tag() == l.tag));
            LangText {
                subject: own.map(|t| t.subject.clone()).unwrap_or_default(),
                body: own.map(|t| t.body.clone()).unwrap_or_default(),
                tag: l.tag,
                name: l.name,
            }
        })
        .collect()
}

/// The texts the form's languages hold: the languages left empty (subject and body) are not stored.
pub fn localized(texts: &[LangText]) -> Vec<LocalizedText> {
    texts
        .iter()
        .filter(|l| !l.subject.trim().is_empty() || !l.body.trim().is_empty())
        .map(|l| LocalizedText::new(l.tag.clone(), l.subject.trim(), l.body.clone()))
        .collect()
}

/// The languages a record has texts in, for the lists (`en, pt-BR`).
pub fn language_list(texts: &[LocalizedText]) -> String {
    texts.iter().map(|t| t.language.as_str()).collect::<Vec<_>>().join(", ")
}

/// What a text form posted. Text fields are trimmed (bodies are not: they are templates, only their
/// line ends become `\n`); a checkbox counts when it is present, whatever its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posted {
    /// The name; only an add form posts it.
    pub name: String,
    /// The kind (`reply`, `answer`, ...), for auto-responses and templates.
    pub kind: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    pub valid: bool,
    /// Notifications: by mail by default.
    pub email: bool,
    /// Notifications: by Telegram by default.
    pub telegram: bool,
    /// Notifications: agents may choose the channels.
    pub agent_may_choose: bool,
    /// Templates: the queues selected, in the form's order.
    pub queues: Vec<String>,
    /// One subject and body per language the helpdesk speaks.
    pub texts: Vec<LangText>,
}

impl Posted {
    /// Reads the raw pairs of a text form; fields it does not know (the CSRF token, the button) are
    /// not its.
    pub fn of(pairs: &[(String, String)]) -> Posted {
        let mut p = Posted { texts: lang_texts(&[]), ..Posted::default() };
        for (key, value) in pairs {
            match key.as_str() {
                "name" => p.name = value.trim().to_string(),
                "kind" => p.kind = value.trim().to_string(),
                "comment" => p.comment = value.trim().to_string(),
                "valid" => p.valid = true,
                "email" => p.email = true,
                "telegram" => p.telegram = true,
                "agent_may_choose" => p.agent_may_choose = true,
                "queue" => {
                    let q = value.trim();
                    if !q.is_empty() && !p.queues.iter().any(|x| x == q) {
                        p.queues.push(q.to_string());
                    }
                }
                _ => {
                    if let Some(tag) = key.strip_prefix("subject:") {
                        if let Some(l) = p.texts.iter_mut().find(|l| l.tag == tag) {
                            l.subject = value.trim().to_string();
                        }
                    } else if let Some(tag) = key.strip_prefix("body:")
                        && let Some(l) = p.texts.iter_mut().find(|l| l.tag == tag)
                    {
                        l.body = value.replace("\r\n", "\n");
                    }
                }
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(body).unwrap_or_default()
    }

    #[test]
    fn a_form_reads_its_languages_queues_and_boxes() {
        let p = Posted::of(&pairs(
            "csrf=t&name=+Hello+&kind=answer&queue=Raw&queue=Misc&queue=Raw&queue=&valid=1\
             &subject%3Aen=+Hi+&body%3Aen=Line+1%0D%0ALine+2&subject%3Apt-BR=&body%3Apt-BR=Ol%C3%A1\
             &body%3Axx=ignored&email=on",
        ));
        assert_eq!((p.name.as_str(), p.kind.as_str()), ("Hello", "answer"));
        assert_eq!(p.queues, vec!["Raw".to_string(), "Misc".to_string()]);
        assert!(p.valid && p.email && !p.telegram && !p.agent_may_choose);
        assert_eq!(p.texts.len(), languages().len());
        let stored = localized(&p.texts);
        assert_eq!(
            stored,
            vec![LocalizedText::new("en", "Hi", "Line 1\nLine 2"), LocalizedText::new("pt-BR", "", "Olá")]
        );
        assert_eq!(language_list(&stored), "en, pt-BR");
    }

    #[test]
    fn empty_languages_are_not_stored_and_stored_ones_fill_the_form() {
        let p = Posted::of(&pairs("subject%3Aen=+&body%3Aen=+%0D%0A"));
        assert!(localized(&p.texts).is_empty());
        let shown = lang_texts(&[LocalizedText::new("pt-br", "Assunto", "Corpo")]);
        let pt = shown.iter().find(|l| l.tag == "pt-BR").map(|l| (l.subject.as_str(), l.body.as_str()));
        assert_eq!(pt, Some(("Assunto", "Corpo")));
        assert_eq!(shown.first().map(|l| l.tag.as_str()), Some("en"));
    }
}
