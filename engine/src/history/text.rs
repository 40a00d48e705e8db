//! A history entry's sentence kept as a message key and its arguments, so that each agent reads it in
//! their own language; the English text is stored beside it for the API, logs and search.

use chamado_i18n::{Arg, Message, Tr};
use serde::{Deserialize, Serialize};

/// The translatable form of a history entry's text: a `history-…` key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryText {
    /// The message key.
    pub key: String,
    /// The arguments, by name.
    pub args: Vec<(String, HistoryArg)>,
}

/// One argument of a [`HistoryText`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryArg {
    /// Shown as is (a login, a queue, a ticket number).
    Text(String),
    /// A number: shown in the reader's digits and picks the plural form.
    Integer(i64),
    /// Another message key, shown in the reader's language (a reason decided by the engine).
    Key(String),
}

impl From<&Message> for HistoryText {
    fn from(m: &Message) -> Self {
        let plain = m.args().iter().map(|(name, value)| {
            let value = match value {
                Arg::Text(s) => HistoryArg::Text(s.clone()),
                Arg::Number(n) => HistoryArg::Integer(*n),
            };
            (name.to_string(), value)
        });
        let keyed = m.keyed_args().iter().map(|(name, key)| (name.to_string(), HistoryArg::Key(key.to_string())));
        HistoryText { key: m.key().to_string(), args: plain.chain(keyed).collect() }
    }
}

impl HistoryText {
    /// The sentence in `tr`'s language.
    pub fn render(&self, tr: &Tr) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    HistoryArg::Text(s) => Arg::Text(s.clone()),
                    HistoryArg::Integer(n) => Arg::Number(*n),
                    HistoryArg::Key(k) => Arg::Text(tr.t(k)),
                };
                (name.as_str(), value)
            })
            .collect();
        tr.ta(&self.key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_i18n::Language;

    #[test]
    fn a_stored_text_renders_like_its_message() {
        let m = Message::new("history-state-changed").arg("from", "new").arg("to", "open");
        let text = HistoryText::from(&m);
        let json = serde_json::to_string(&text).unwrap();
        let back: HistoryText = serde_json::from_str(&json).unwrap();
        assert_eq!(back, text);
        let en = Tr::new(Language::english());
        assert_eq!(back.render(&en), m.english());
        let pt = Tr::new(Language::parse("pt-BR").unwrap());
        assert_eq!(back.render(&pt), m.render(&pt));
        assert_ne!(back.render(&pt), m.english());
    }
}
