//! Whose language the bot answers in: the linked customer user's own choice, else the language of
//! their Telegram app (`language_code` of the update's sender, e.g. `pt-br`), else the system's; and
//! `/language`, with which a customer user chooses.

use crate::bot::TelegramBot;
use crate::conversation::Turn;
use crate::error::TelegramError;
use crate::identity::{bound_user, identity};
use crate::texts;
use chamado::{Actor, Preferences};
use chamado_i18n::{Language, Tr};
use teloxide::types::User;

/// What `/language` takes to stop choosing and follow the Telegram app again.
const AUTO: &str = "auto";

impl TelegramBot {
    /// The texts for Telegram user `user`. Looking up the customer user is best effort: when the store
    /// cannot say, the answer goes out in the app's language rather than not at all.
    pub(crate) async fn tr_of(&self, user: &User) -> Tr {
        let engine = &self.inner.engine;
        let asked = user.language_code.as_deref();
        match bound_user(engine, &identity(&self.inner.config.network, user.id.0)).await {
            Ok(Some(customer)) => engine.customer_user_tr(&customer, asked),
            Ok(None) => engine.anonymous_tr(asked),
            Err(e) => {
                tracing::warn!(error = %e, "cannot look up the telegram user's language; using the app's");
                engine.anonymous_tr(asked)
            }
        }
    }

    /// `/language`: shows the language answers are in; `/language <tag>` makes it the user's own,
    /// `/language auto` follows the Telegram app again.
    pub(crate) async fn language(&self, turn: &Turn, asked: Option<&str>) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty()) else {
            let text = turn.tr.t2(
                "telegram-language-current",
                "language",
                turn.tr.language().name(),
                "languages",
                texts::language_tags(),
            );
            self.say(turn.chat_id, &text).await;
            return Ok(());
        };
        let chosen = if asked.eq_ignore_ascii_case(AUTO) {
            None
        } else {
            match Language::parse(asked) {
                Some(l) => Some(l),
                None => {
                    let text =
                        turn.tr.t2("telegram-language-unknown", "asked", asked, "languages", texts::language_tags());
                    self.say(turn.chat_id, &text).await;
                    return Ok(());
                }
            }
        };
        let Some(user) = bound_user(engine, &identity(&self.inner.config.network, turn.user_id())).await? else {
            self.say(turn.chat_id, &turn.tr.t("telegram-language-no-account")).await;
            return Ok(());
        };
        let prefs = Preferences { language: chosen.map(|l| l.tag()), time_zone: None };
        match engine.set_own_preferences(&Actor::customer(user.login), prefs).await {
            Ok(()) => {}
            Err(e) if e.is_transient() => return Err(e.into()),
            Err(e) => {
                let reason = texts::engine_reason(&turn.tr, &e);
                self.say(turn.chat_id, &turn.tr.t1("telegram-language-refused", "reason", reason)).await;
                return Ok(());
            }
        }
        // The confirmation is already in the new language.
        let tr = self.tr_of(&turn.user).await;
        let text = match chosen {
            Some(l) => tr.t1("telegram-language-set", "language", l.name()),
            None => tr.t("telegram-language-auto"),
        };
        self.say(turn.chat_id, &text).await;
        Ok(())
    }
}
