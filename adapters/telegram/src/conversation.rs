//! Updates in, engine intake out: the conversation with one user in one chat.

use crate::attachments::{self, FetchError, IncomingFile};
use crate::bot::TelegramBot;
use crate::chat_state;
use crate::commands;
use crate::error::TelegramError;
use crate::texts::state_name;
use chamado::{ChannelKind, ChatState, InboundMessage, IntakeOutcome, Sender};
use chamado_i18n::Tr;
use teloxide::types::{Message, MessageKind, Update, UpdateKind, User};

/// One incoming message, with who sent it where.
pub(crate) struct Turn {
    /// The chat to answer in.
    pub(crate) chat_id: i64,
    /// The Telegram user.
    pub(crate) user: User,
    /// The message.
    pub(crate) message: Message,
    /// The texts to answer in: the user's language (see [`TelegramBot::tr_of`]).
    pub(crate) tr: Tr,
}

impl Turn {
    pub(crate) fn user_id(&self) -> u64 {
        self.user.id.0
    }

    /// The message's id for idempotency and threading: `tg:<chat id>:<message id>`.
    pub(crate) fn external_id(&self) -> String {
        message_ref(self.chat_id, self.message.id.0)
    }
}

/// The external id of a chat message.
fn message_ref(chat_id: i64, message_id: i32) -> String {
    format!("tg:{chat_id}:{message_id}")
}

/// A short name of an update kind, for logs.
fn kind_name(kind: &UpdateKind) -> &'static str {
    match kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::ChannelPost(_) => "channel_post",
        UpdateKind::EditedChannelPost(_) => "edited_channel_post",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::InlineQuery(_) => "inline_query",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        UpdateKind::ChatMember(_) => "chat_member",
        UpdateKind::MessageReaction(_) => "message_reaction",
        UpdateKind::Error(_) => "unparsed",
        _ => "other",
    }
}

impl TelegramBot {
    /// Handles one update: messages and commands go to the engine; everything else is logged and
    /// ignored. `Err` only for failures worth handling the same update again (see
    /// [`TelegramError::is_transient`]); the polling loop and the webhook retry those.
    pub async fn handle_update(&self, update: Update) -> Result<(), TelegramError> {
        let _one_at_a_time = self.inner.serial.lock().await;
        let id = update.id.0;
        match update.kind {
            UpdateKind::Message(m) => self.on_message(m).await,
            other => {
                tracing::info!(update_id = id, kind = kind_name(&other), "ignoring telegram update");
                Ok(())
            }
        }
    }

    async fn on_message(&self, message: Message) -> Result<(), TelegramError> {
        let chat_id = message.chat.id.0;
        let Some(user) = message.from.clone() else {
            tracing::info!(chat_id, "ignoring message without a sender");
            return Ok(());
        };
        if user.is_bot {
            tracing::info!(chat_id, "ignoring message from a bot");
            return Ok(());
        }
        if !matches!(message.kind, MessageKind::Common(_)) {
            tracing::info!(chat_id, "ignoring service message");
            return Ok(());
        }
        let tr = self.tr_of(&user).await;
        let turn = Turn { chat_id, user, message, tr };
        let result = self.on_turn(&turn).await;
        if let Err(e) = &result
            && !e.is_transient()
        {
            tracing::error!(chat_id, error = %e, "telegram message failed");
            self.say(chat_id, &turn.tr.t("telegram-something-went-wrong")).await;
        }
        result
    }

    async fn on_turn(&self, turn: &Turn) -> Result<(), TelegramError> {
        let chat_id = turn.chat_id;
        let text = turn.message.text().map(str::to_string);
        if let Some(text) = text.as_deref().filter(|t| t.trim_start().starts_with('/')) {
            let username = self.info().map(|i| i.username).unwrap_or_default();
            return match commands::parse(text, &username) {
                Some(cmd) => self.on_command(turn, cmd).await,
                None => {
                    tracing::info!(chat_id, "ignoring a command addressed to another bot");
                    Ok(())
                }
            };
        }
        let file = attachments::incoming_file(&turn.message);
        let text = text.or_else(|| turn.message.caption().map(str::to_string)).unwrap_or_default();
        if file.is_none() && text.trim().is_empty() {
            tracing::info!(chat_id, "ignoring message without text or file (sticker, location, ...)");
            return Ok(());
        }
        self.on_plain(turn, text.trim().to_string(), file).await
    }

    /// A message that is not a command: a follow-up, or a new ticket.
    async fn on_plain(&self, turn: &Turn, text: String, file: Option<IncomingFile>) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        // An agent's linked chat carries their notifications: what they write there is not a customer's
        // message, and answering a ticket happens in the console.
        if turn.message.chat.is_private()
            && let Some(agent) = engine.agent_by_chat(&turn.chat_id.to_string()).await?
        {
            let tr = engine.agent_tr(&agent, turn.user.language_code.as_deref());
            let console = engine.config().public_url.trim_end_matches('/').to_string();
            self.say(turn.chat_id, &tr.t1("telegram-agent-chat-not-a-ticket", "console", format!("{console}/agent")))
                .await;
            return Ok(());
        }
        let mut state = chat_state::load(engine, turn.chat_id, turn.user_id()).await?;
        let mut files = Vec::new();
        if let Some(f) = &file {
            match attachments::fetch(&self.inner.bot, f, self.inner.config.max_attachment_bytes).await {
                Ok(a) => files.push(a),
                Err(FetchError::TooLarge(size)) => {
                    let limit = self.inner.config.max_attachment_bytes;
                    let refusal =
                        turn.tr.t3("telegram-file-too-large", "name", f.name.as_str(), "size", size, "limit", limit);
                    self.say(turn.chat_id, &refusal).await;
                    if text.is_empty() {
                        return Ok(());
                    }
                }
                Err(FetchError::Unavailable(why)) => {
                    tracing::warn!(chat_id = turn.chat_id, file = %f.name, error = %why, "telegram refused the file");
                    self.say(turn.chat_id, &turn.tr.t1("telegram-file-unavailable", "name", f.name.as_str())).await;
                    if text.is_empty() {
                        return Ok(());
                    }
                }
                Err(FetchError::Failed(e)) => return Err(e),
            }
        }
        let body =
            if text.is_empty() { files.first().map(|a| format!("({})", a.name)).unwrap_or_default() } else { text };
        let replied_ticket = self.replied_ticket(&turn.message);
        let pending = state.pending_new.take();
        if pending.is_none() && replied_ticket.is_none() && state.active.is_none() && !self.inner.config.open_on_message
        {
            self.say(turn.chat_id, &turn.tr.t("telegram-no-active-ticket")).await;
            return Ok(());
        }
        let mut msg = self.inbound(turn, pending.clone().unwrap_or_default(), body);
        msg.attachments = files;
        msg.force_new = pending.is_some();
        msg.ticket_hint = replied_ticket.or_else(|| state.active.clone());
        if let Some(reply) = turn.message.reply_to_message() {
            msg.references.push(message_ref(turn.chat_id, reply.id.0));
        }
        self.intake_and_answer(turn, &mut state, msg).await
    }

    /// The ticket named in the bot message this one replies to, if any.
    fn replied_ticket(&self, message: &Message) -> Option<String> {
        let replied = message.reply_to_message()?;
        if !replied.from.as_ref().is_some_and(|u| u.is_bot) {
            return None;
        }
        let text = replied.text().or_else(|| replied.caption())?;
        let engine = &self.inner.engine;
        engine.config().hook.find_numbers(text, engine.numbers()).into_iter().next()
    }

    /// An inbound chat message from the turn's user, for the configured queue.
    pub(crate) fn inbound(&self, turn: &Turn, subject: String, body: String) -> InboundMessage {
        let sender = Sender::Chat {
            network: self.inner.config.network.clone(),
            user_id: turn.user_id().to_string(),
            chat_id: turn.chat_id.to_string(),
            name: Some(turn.user.full_name()).filter(|n| !n.trim().is_empty()),
        };
        let mut msg = InboundMessage::new(ChannelKind::Chat, sender, subject, body);
        msg.external_id = Some(turn.external_id());
        msg.queue = Some(self.inner.config.queue.clone());
        msg
    }

    /// `[Ticket#N]`.
    pub(crate) fn tag(&self, number: &str) -> String {
        self.inner.engine.config().hook.build_subject(number, "")
    }

    /// Gives the message to the engine, remembers the ticket it went to, and tells the user.
    pub(crate) async fn intake_and_answer(
        &self,
        turn: &Turn,
        state: &mut ChatState,
        msg: InboundMessage,
    ) -> Result<(), TelegramError> {
        let engine = &self.inner.engine;
        let outcome = match engine.intake(msg).await {
            Ok(o) => o,
            Err(e) if e.is_transient() => return Err(e.into()),
            Err(e) => {
                tracing::warn!(chat_id = turn.chat_id, error = %e, "intake refused a telegram message");
                let reason = crate::texts::engine_reason(&turn.tr, &e);
                self.say(turn.chat_id, &turn.tr.t1("telegram-intake-refused", "reason", reason)).await;
                return Ok(());
            }
        };
        let answer = match outcome {
            IntakeOutcome::NewTicket { ticket, .. } => {
                state.active = Some(ticket.number.clone());
                Some(turn.tr.t2(
                    "telegram-ticket-opened",
                    "ticket",
                    self.tag(&ticket.number),
                    "title",
                    ticket.title.as_str(),
                ))
            }
            IntakeOutcome::FollowUp { ticket, .. } => {
                state.active = Some(ticket.number.clone());
                Some(turn.tr.t2(
                    "telegram-added",
                    "ticket",
                    self.tag(&ticket.number),
                    "state",
                    state_name(&turn.tr, &ticket.state),
                ))
            }
            // Only mail is read as a bounce; nothing to tell a chat user.
            IntakeOutcome::Bounce { .. } => None,
            IntakeOutcome::Duplicate { ticket_number, .. } => {
                tracing::info!(chat_id = turn.chat_id, ticket = ?ticket_number, "message was taken before; nothing added");
                if ticket_number.is_some() {
                    state.active = ticket_number;
                }
                None
            }
            IntakeOutcome::Rejected { ticket_number, reason, .. } => {
                tracing::info!(chat_id = turn.chat_id, ticket = ?ticket_number, %reason, "message refused");
                match ticket_number {
                    Some(n) => {
                        if state.active.as_deref() == Some(n.as_str()) {
                            state.active = None;
                        }
                        let reason = crate::texts::reason_text(&turn.tr, &reason);
                        Some(turn.tr.t2("telegram-not-added", "ticket", self.tag(&n), "reason", reason))
                    }
                    None => Some(turn.tr.t1(
                        "telegram-not-accepted",
                        "reason",
                        crate::texts::reason_text(&turn.tr, &reason),
                    )),
                }
            }
        };
        chat_state::save(engine, state, turn.chat_id, turn.user_id()).await?;
        if let Some(a) = answer {
            self.say(turn.chat_id, &a).await;
        }
        Ok(())
    }
}
