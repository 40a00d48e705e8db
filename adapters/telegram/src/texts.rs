//! What the bot says that more than one handler says: the command help, greetings, state names.

use chamado_i18n::{Language, Tr, key};

/// The language tags `/language` accepts, e.g. `en, pt-BR`.
pub(crate) fn language_tags() -> String {
    Language::all().iter().map(Language::tag).collect::<Vec<_>>().join(", ")
}

/// The command overview, shown by `/start`, `/help` and for unknown commands.
pub(crate) fn help(tr: &Tr) -> String {
    tr.t1("telegram-help", "languages", language_tags())
}

/// The greeting of `/start`, followed by the help.
pub(crate) fn greeting(tr: &Tr, name: &str) -> String {
    format!("{}\n\n{}", tr.t1("telegram-greeting", "name", name), help(tr))
}

/// The answer to an unknown command, followed by the help.
pub(crate) fn unknown_command(tr: &Tr, name: &str) -> String {
    format!("{}\n\n{}", tr.t1("telegram-unknown-command", "command", name), help(tr))
}

/// Why the engine refused something, to put inside a translated sentence: its own message in the
/// reader's language when the engine wrote one, else its English text.
pub(crate) fn engine_reason(tr: &Tr, e: &chamado::Error) -> String {
    e.message().map(|m| m.render(tr)).unwrap_or_else(|| e.to_string())
}

/// A refusal's own words in the reader's language (no error kind prefix).
pub(crate) fn reason_text(tr: &Tr, r: &chamado::Reason) -> String {
    r.message().map(|m| m.render(tr)).unwrap_or_else(|| r.to_string())
}

/// A ticket state's name in the reader's language. States are configuration: one the system added
/// under another name has no translation and is shown as named.
pub(crate) fn state_name(tr: &Tr, state: &str) -> String {
    let k = match state {
        "new" => key("telegram-state-new"),
        "open" => key("telegram-state-open"),
        "closed successful" => key("telegram-state-closed-successful"),
        "closed unsuccessful" => key("telegram-state-closed-unsuccessful"),
        "pending reminder" => key("telegram-state-pending-reminder"),
        "pending auto close+" => key("telegram-state-pending-auto-close-plus"),
        "pending auto close-" => key("telegram-state-pending-auto-close-minus"),
        "merged" => key("telegram-state-merged"),
        "removed" => key("telegram-state-removed"),
        other => return other.to_string(),
    };
    tr.t(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt() -> Tr {
        Tr::new(Language::parse("pt-BR").unwrap_or_else(Language::english))
    }

    #[test]
    fn help_lists_the_commands_in_each_language() {
        let en = help(&Tr::new(Language::english()));
        assert!(en.starts_with("Write your question"), "{en}");
        assert!(en.contains("\n\n/new <subject> - open a new ticket\n"), "blank lines are kept: {en}");
        assert!(en.contains("(en, pt-BR, or \"auto\")"), "{en}");
        let pt = help(&pt());
        assert!(pt.contains("/new <assunto> - abrir um novo chamado"), "{pt}");
        assert!(pt.contains("Fotos e documentos são anexados ao chamado."), "{pt}");
    }

    #[test]
    fn known_states_are_translated_and_others_shown_as_named() {
        assert_eq!(state_name(&pt(), "closed successful"), "fechado com êxito");
        assert_eq!(state_name(&Tr::new(Language::english()), "open"), "open");
        assert_eq!(state_name(&pt(), "waiting for parts"), "waiting for parts");
    }
}
