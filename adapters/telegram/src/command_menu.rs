//! The command menu Telegram apps show when the user types `/`, registered with `setMyCommands` in
//! every language the bot speaks: the system's language as the default list, and one list per other
//! language under its two-letter code (Telegram picks the list by the user's app language).

use crate::bot::TelegramBot;
use crate::error::TelegramError;
use chamado_i18n::{Language, Tr};
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::BotCommand;

/// The menu in `tr`'s language, in the order the help lists the commands.
pub(crate) fn menu(tr: &Tr) -> Vec<BotCommand> {
    vec![
        BotCommand::new("new", tr.t("telegram-command-new")),
        BotCommand::new("tickets", tr.t("telegram-command-tickets")),
        BotCommand::new("ticket", tr.t("telegram-command-ticket")),
        BotCommand::new("close", tr.t("telegram-command-close")),
        BotCommand::new("link", tr.t("telegram-command-link")),
        BotCommand::new("language", tr.t("telegram-command-language")),
        BotCommand::new("help", tr.t("telegram-command-help")),
    ]
}

/// The menus to register: `None` for the default list (the system's language), then each other
/// language under its ISO 639-1 code (`pt` for pt-BR; Telegram knows no regions). Two languages
/// sharing a code get the first one's list.
pub(crate) fn menus(default: Language) -> Vec<(Option<String>, Vec<BotCommand>)> {
    let mut out = vec![(None, menu(&Tr::new(default)))];
    let mut codes = vec![default.identifier().language.as_str().to_string()];
    for language in Language::all() {
        let code = language.identifier().language.as_str().to_string();
        if language == default || codes.contains(&code) {
            continue;
        }
        codes.push(code.clone());
        out.push((Some(code), menu(&Tr::new(language))));
    }
    out
}

impl TelegramBot {
    /// Registers the command menu in every language (`setMyCommands` once per language).
    /// [`TelegramBot::run_polling`] and [`TelegramBot::register_webhook`] call it; a failure there is
    /// logged, not fatal (the commands work without the menu).
    pub async fn register_commands(&self) -> Result<(), TelegramError> {
        for (code, commands) in menus(self.inner.engine.default_language()) {
            let request = self.inner.bot.set_my_commands(commands);
            let sent = match &code {
                Some(c) => request.language_code(c.clone()).await,
                None => request.await,
            };
            sent.map_err(|e| self.api_error(e))?;
            tracing::debug!(language = code.as_deref().unwrap_or("default"), "telegram command menu registered");
        }
        Ok(())
    }

    /// [`TelegramBot::register_commands`], logging a failure.
    pub(crate) async fn register_commands_or_warn(&self) {
        if let Err(e) = self.register_commands().await {
            tracing::warn!(error = %e, "could not register the telegram command menu");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_menu_per_language_with_the_default_first() {
        let menus = menus(Language::english());
        let codes: Vec<_> = menus.iter().map(|(c, _)| c.as_deref()).collect();
        assert_eq!(codes, [None, Some("pt")]);
        assert_eq!(menus[0].1[0].description, "open a ticket");
        assert_eq!(menus[1].1[0].description, "abrir um chamado");
        for (_, commands) in &menus {
            for c in commands {
                assert!((3..=256).contains(&c.description.chars().count()), "{c:?}");
            }
        }
    }

    #[test]
    fn a_portuguese_system_lists_english_under_its_code() {
        let Some(pt) = Language::parse("pt-BR") else { return };
        let codes: Vec<_> = menus(pt).into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes, [None, Some("en".to_string())]);
    }
}
