//! What each command does.

use crate::bot::TelegramBot;
use crate::chat_state;
use crate::commands::Command;
use crate::conversation::Turn;
use crate::error::TelegramError;
use crate::identity::{bound_user, ensure_user, identity};
use crate::linking::{redeem_agent_link_code, redeem_link_code};
use crate::texts::{self, state_name};
use chamado::{Actor, ChatState, CustomerUser, Error, LinkRefusal, StateType, TicketFilter, TicketUpdate};
use chamado_i18n::key;

/// Tickets `/tickets` shows at most.
const LIST_LIMIT: usize = 20;
/// Articles `/ticket` shows.
const SHOWN_ARTICLES: usize = 3;
/// Characters of an article `/ticket` shows.
const ARTICLE_PREVIEW: usize = 400;

/// The state name customers close tickets with.
const CLOSED: &str = "closed successful";

fn is_open(t: StateType) -> bool {
    !matches!(t, StateType::Closed | StateType::Merged | StateType::Removed)
}

fn preview(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= ARTICLE_PREVIEW {
        return text.to_string();
    }
    let mut s: String = text.chars().take(ARTICLE_PREVIEW).collect();
    s.push('…');
    s
}

impl TelegramBot {
    fn identity_of(&self, turn: &Turn) -> String {
        identity(&self.inner.config.network, turn.user_id())
    }

    pub(crate) async fn on_command(&self, turn: &Turn, cmd: Command) -> Result<(), TelegramError> {
        tracing::debug!(chat_id = turn.chat_id, command = cmd.name(), "telegram command");
        match cmd {
            Command::Start(Some(code)) | Command::Link(Some(code)) => self.link(turn, &code).await,
            Command::Start(None) => self.start(turn).await,
            Command::Link(None) => {
                self.say(turn.chat_id, &turn.tr.t("telegram-link-usage")).await;
                Ok(())
            }
            Command::New { subject, body } => self.new_ticket(turn, subject, body).await,
            Command::Tickets => self.list(turn).await,
            Command::Ticket(Some(number)) => self.show(turn, &number).await,
            Command::Ticket(None) => {
                let state = chat_state::load(&self.inner.engine, turn.chat_id, turn.user_id()).await?;
                match state.active {
                    Some(n) => self.show(turn, &n).await,
                    None => {
                        self.say(turn.chat_id, &turn.tr.t("telegram-ticket-usage")).await;
                        Ok(())
                    }
                }
            }
            Command::Close => self.close(turn).await,
            Command::Language(asked) => self.language(turn, asked.as_deref()).await,
            Command::Help => {
                self.say(turn.chat_id, &texts::help(&turn.tr)).await;
                Ok(())
            }
            Command::Unknown(name) => {
                self.say(turn.chat_id, &texts::unknown_command(&turn.tr, &name)).await;
                Ok(())
            }
        }
    }

    async fn start(&self, turn: &Turn) -> Result<(), TelegramError> {
        let name = turn.user.full_name();
        match ensure_user(&self.inner.engine, &self.identity_of(turn), &name).await? {
            Some(user) => {
                let mut text = texts::greeting(&turn.tr, &user.display_name());
                if user.login != self.identity_of(turn) {
                    text.push_str("\n\n");
                    text.push_str(&turn.tr.t1("telegram-linked-account-note", "login", user.login.as_str()));
                }
                self.say(turn.chat_id, &text).await;
            }
            None => {
                self.say(turn.chat_id, &turn.tr.t("telegram-registered-only")).await;
            }
        }
        Ok(())
    }

    /// `/link <code>`, `/start <code>`: an agent's code links this private chat to the agent (their
    /// notifications come here); any other code is a customer user's.
    async fn link(&self, turn: &Turn, code: &str) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        // Only a private chat is one person's: notifications never go to a group.
        let private = turn.message.chat.is_private();
        if private {
            match redeem_agent_link_code(engine, code, turn.chat_id).await? {
                Ok(login) => return self.agent_linked(turn, &login).await,
                Err(LinkRefusal::UserUnavailable) => {
                    self.say(turn.chat_id, &turn.tr.t("telegram-link-user-unavailable")).await;
                    return Ok(());
                }
                Err(LinkRefusal::InvalidCode) => {}
            }
        }
        match redeem_link_code(engine, code, &self.identity_of(turn)).await? {
            Ok(login) => {
                // Tickets of the former identity are no longer this user's to follow here.
                chat_state::save(engine, &ChatState::default(), turn.chat_id, turn.user_id()).await?;
                let shown = engine.customer_user(&login).await?.map_or(login.clone(), |u| u.display_name());
                // The account just linked may have a language of its own: answer in it.
                let tr = self.tr_of(&turn.user).await;
                self.say(turn.chat_id, &tr.t2("telegram-linked", "name", shown, "login", login)).await;
            }
            Err(LinkRefusal::InvalidCode) => {
                let mut text = turn.tr.t("telegram-link-code-invalid");
                if !private {
                    text.push('\n');
                    text.push_str(&turn.tr.t("telegram-agent-link-private-only"));
                }
                self.say(turn.chat_id, &text).await;
            }
            Err(LinkRefusal::UserUnavailable) => {
                self.say(turn.chat_id, &turn.tr.t("telegram-link-user-unavailable")).await;
            }
        }
        Ok(())
    }

    /// Tells agent `login`, in the agent's language, that this chat now receives their notifications.
    async fn agent_linked(&self, turn: &Turn, login: &str) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let text = match engine.agent(login).await? {
            Some(agent) => {
                let tr = engine.agent_tr(&agent, turn.user.language_code.as_deref());
                let name = format!("{} {}", agent.first_name.trim(), agent.last_name.trim());
                let name = if name.trim().is_empty() { login.to_string() } else { name.trim().to_string() };
                tr.t2("telegram-agent-linked", "name", name, "login", login)
            }
            None => turn.tr.t2("telegram-agent-linked", "name", login, "login", login),
        };
        tracing::info!(chat_id = turn.chat_id, agent = login, "telegram chat linked to an agent");
        self.say(turn.chat_id, &text).await;
        Ok(())
    }

    async fn new_ticket(&self, turn: &Turn, subject: String, body: String) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let mut state = chat_state::load(engine, turn.chat_id, turn.user_id()).await?;
        if body.is_empty() {
            let prompt = if subject.is_empty() {
                turn.tr.t("telegram-new-ask-subject")
            } else {
                turn.tr.t1("telegram-new-ask-description", "subject", subject.as_str())
            };
            state.pending_new = Some(subject);
            chat_state::save(engine, &state, turn.chat_id, turn.user_id()).await?;
            self.say(turn.chat_id, &prompt).await;
            return Ok(());
        }
        state.pending_new = None;
        let mut msg = self.inbound(turn, subject, body);
        msg.force_new = true;
        self.intake_and_answer(turn, &mut state, msg).await
    }

    /// The customer user the turn's Telegram user acts as, if bound.
    async fn user_of(&self, turn: &Turn) -> Result<Option<CustomerUser>, TelegramError> {
        bound_user(&self.inner.engine, &self.identity_of(turn)).await
    }

    async fn list(&self, turn: &Turn) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let Some(user) = self.user_of(turn).await? else {
            self.say(turn.chat_id, &turn.tr.t("telegram-no-tickets-yet")).await;
            return Ok(());
        };
        let state = chat_state::load(engine, turn.chat_id, turn.user_id()).await?;
        let actor = Actor::customer(user.login);
        let mut lines = Vec::new();
        let mut after = None;
        loop {
            let page = engine.list_tickets(&actor, &TicketFilter::default(), after, 100).await?;
            for t in page.items.iter().filter(|t| is_open(t.state_type)) {
                let line = if state.active.as_deref() == Some(t.number.as_str()) {
                    key("telegram-ticket-line-active")
                } else {
                    key("telegram-ticket-line")
                };
                let args = [
                    ("ticket", self.tag(&t.number).into()),
                    ("title", t.title.as_str().into()),
                    ("state", state_name(&turn.tr, &t.state).into()),
                ];
                lines.push(turn.tr.ta(line, &args));
            }
            after = page.next;
            if after.is_none() || lines.len() >= LIST_LIMIT {
                break;
            }
        }
        let text = if lines.is_empty() {
            turn.tr.t("telegram-no-open-tickets")
        } else {
            let more = lines.len() > LIST_LIMIT;
            lines.truncate(LIST_LIMIT);
            let mut text = format!("{}\n{}", turn.tr.t("telegram-open-tickets"), lines.join("\n"));
            if more {
                text.push('\n');
                text.push_str(&turn.tr.t("telegram-more-in-portal"));
            }
            text.push_str("\n\n");
            text.push_str(&turn.tr.t("telegram-tickets-hint"));
            text
        };
        self.say(turn.chat_id, &text).await;
        Ok(())
    }

    async fn show(&self, turn: &Turn, number: &str) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let number = number.trim();
        let not_found = turn.tr.t1("telegram-ticket-not-found", "number", number);
        let Some(user) = self.user_of(turn).await? else {
            self.say(turn.chat_id, &not_found).await;
            return Ok(());
        };
        let view = match engine.ticket(&Actor::customer(user.login), number).await {
            Ok(v) => v,
            Err(e) if e.is_transient() => return Err(e.into()),
            Err(e) => {
                tracing::info!(chat_id = turn.chat_id, number, error = %e, "ticket lookup refused");
                self.say(turn.chat_id, &not_found).await;
                return Ok(());
            }
        };
        let t = &view.ticket;
        let mut state = chat_state::load(engine, turn.chat_id, turn.user_id()).await?;
        state.active = Some(t.number.clone());
        chat_state::save(engine, &state, turn.chat_id, turn.user_id()).await?;
        let state_line = turn.tr.t1("telegram-ticket-state", "state", state_name(&turn.tr, &t.state));
        let mut text = format!("{} {}\n{state_line}\n", self.tag(&t.number), t.title);
        let skip = view.articles.len().saturating_sub(SHOWN_ARTICLES);
        for a in view.articles.iter().skip(skip) {
            text.push_str(&format!("\n{}:\n{}\n", a.from, preview(&a.body)));
        }
        text.push('\n');
        text.push_str(&turn.tr.t("telegram-ticket-now-active"));
        self.say(turn.chat_id, &text).await;
        Ok(())
    }

    async fn close(&self, turn: &Turn) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let mut state = chat_state::load(engine, turn.chat_id, turn.user_id()).await?;
        let Some(number) = state.active.clone() else {
            self.say(turn.chat_id, &turn.tr.t("telegram-close-no-active")).await;
            return Ok(());
        };
        let Some(user) = self.user_of(turn).await? else {
            self.say(turn.chat_id, &turn.tr.t1("telegram-ticket-not-found", "number", number.as_str())).await;
            return Ok(());
        };
        let answer = match engine
            .update_ticket(&Actor::customer(user.login), &number, TicketUpdate::state(CLOSED))
            .await
        {
            Ok(t) => {
                state.active = None;
                turn.tr.t2("telegram-closed", "ticket", self.tag(&t.number), "state", state_name(&turn.tr, &t.state))
            }
            Err(e) if e.is_transient() => return Err(e.into()),
            Err(Error::NotFound(_)) => {
                state.active = None;
                turn.tr.t1("telegram-ticket-not-found", "number", number.as_str())
            }
            // The refusal's own words, without the error kind's English prefix.
            Err(Error::PermissionDenied(reason)) => {
                let reason = texts::reason_text(&turn.tr, &reason);
                turn.tr.t2("telegram-close-denied", "ticket", self.tag(&number), "reason", reason)
            }
            Err(e) => {
                let reason = texts::engine_reason(&turn.tr, &e);
                turn.tr.t2("telegram-close-failed", "ticket", self.tag(&number), "reason", reason)
            }
        };
        chat_state::save(engine, &state, turn.chat_id, turn.user_id()).await?;
        self.say(turn.chat_id, &answer).await;
        Ok(())
    }
}
