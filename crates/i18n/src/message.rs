//! A sentence decided in one place and shown in another: a key with its arguments, rendered in the
//! reader's language only when someone reads it (an engine refusal shown on a page, in a chat reply).

use crate::{Arg, Language, Tr};

/// A message key and its arguments, not yet in any language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
    /// Arguments that are themselves message keys (a noun picked at run time), rendered in the reader's
    /// language with the message.
    keyed: Vec<(&'static str, &'static str)>,
}

impl Message {
    /// The message `key` (found by the key-checking test as `Message::new("…")`).
    pub fn new(key: &'static str) -> Message {
        Message { key, args: Vec::new(), keyed: Vec::new() }
    }

    /// With the argument `name` set to `value`.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// With the argument `name` set to the message `key` in the reader's language, e.g. a noun picked at
    /// run time: `.arg_key("noun", key("error-noun-queue"))`.
    pub fn arg_key(mut self, name: &'static str, key: &'static str) -> Message {
        self.keyed.push((name, key));
        self
    }

    /// The key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The arguments given with [`Message::arg`], in order (to store the message and render it later).
    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The arguments given with [`Message::arg_key`]: each argument's name and the key it shows.
    pub fn keyed_args(&self) -> &[(&'static str, &'static str)] {
        &self.keyed
    }

    /// The message in `tr`'s language.
    pub fn render(&self, tr: &Tr) -> String {
        let mut args: Vec<(&str, Arg)> = self.args.iter().map(|(n, v)| (*n, v.clone())).collect();
        args.extend(self.keyed.iter().map(|(n, k)| (*n, Arg::Text(tr.t(k)))));
        tr.ta(self.key, &args)
    }

    /// The message in English: what logs and the REST API's `detail` say.
    pub fn english(&self) -> String {
        // Made once: a `Tr` looks up its date formats when made, which was two of the three lookups of
        // every history line the engine writes.
        static ENGLISH: std::sync::LazyLock<Tr> = std::sync::LazyLock::new(|| Tr::new(Language::english()));
        self.render(&ENGLISH)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_renders_in_each_readers_language() {
        let m = Message::new("common-tickets-count").arg("count", 2u32);
        assert_eq!(m.english(), "2 tickets");
        assert_eq!(m.to_string(), "2 tickets");
        let pt = Tr::new(Language::parse("pt-BR").unwrap());
        assert_eq!(m.render(&pt), "2 chamados");
        assert_eq!(m.key(), "common-tickets-count");
    }
}
