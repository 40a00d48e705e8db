//! The texts admins write (auto-responses, salutations, signatures, standard templates), what agent
//! notifications do, and what each agent chooses about being told: the shapes of `/api/v1/auto-responses`,
//! `/salutations`, `/signatures`, `/templates`, `/notifications` and `/preferences/notifications`.
//!
//! Every subject and body is a template ([`chamado::templating`]): the engine compiles it when it is
//! saved and refuses it, naming the line, when it does not work. That, and a language given twice,
//! are the only rules the schemas cannot say; the rest they say exactly (see [`crate::rules`]). Where
//! the engine counts a body's bytes the schema counts characters, a quarter of them, and
//! [`check_texts`] holds bodies to it.

use chamado::{
    AutoResponse, AutoResponseKind, Error, LocalizedText, NotificationChoice, NotificationDef, NotificationKind,
    NotificationSetting, NotificationSettings, Salutation, Signature, StandardTemplate, TemplateKind,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};

/// The longest subject, in characters (the engine's limit).
pub const SUBJECT_MAX: usize = 500;
/// The longest body, in characters: the engine's 64 KiB divided by four (no character is longer than
/// four bytes), so every body the schema allows fits.
pub const BODY_MAX: usize = 16 * 1024;

/// One language's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    /// The language (`en`, `pt-BR`): one the helpdesk speaks, each once.
    #[schema(schema_with = language)]
    pub language: String,
    /// The subject (a template); empty for none. Salutations and signatures use only the body.
    #[serde(default)]
    #[schema(schema_with = subject)]
    pub subject: String,
    /// The body (a template).
    #[schema(schema_with = body)]
    pub body: String,
}

/// One language's text of a message that needs a subject (auto-responses, notifications).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageText {
    /// The language (`en`, `pt-BR`): one the helpdesk speaks, each once.
    #[schema(schema_with = language)]
    pub language: String,
    /// The subject (a template), not blank.
    #[schema(schema_with = subject_not_blank)]
    pub subject: String,
    /// The body (a template).
    #[schema(schema_with = body)]
    pub body: String,
}

impl From<LocalizedText> for TextBody {
    fn from(t: LocalizedText) -> Self {
        TextBody { language: t.language, subject: t.subject, body: t.body }
    }
}

impl From<TextBody> for LocalizedText {
    fn from(t: TextBody) -> Self {
        LocalizedText { language: t.language, subject: t.subject, body: t.body }
    }
}

impl From<LocalizedText> for MessageText {
    fn from(t: LocalizedText) -> Self {
        MessageText { language: t.language, subject: t.subject, body: t.body }
    }
}

impl From<MessageText> for LocalizedText {
    fn from(t: MessageText) -> Self {
        LocalizedText { language: t.language, subject: t.subject, body: t.body }
    }
}

/// Holds texts to what the schema says that the engine would take otherwise: languages spelled
/// exactly as listed, bodies no longer than [`BODY_MAX`] characters. (Templates, sizes in bytes and
/// languages given twice are the engine's to refuse.)
pub fn check_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), Error> {
    for (language, body) in texts {
        crate::locale::check_language(Some(language))?;
        if body.chars().count() > BODY_MAX {
            return Err(Error::validation(format!(
                "the text in {language} is longer than {BODY_MAX} characters; shorten it"
            )));
        }
    }
    Ok(())
}

fn texts_of(texts: &[TextBody]) -> impl Iterator<Item = (&str, &str)> {
    texts.iter().map(|t| (t.language.as_str(), t.body.as_str()))
}

fn messages_of(texts: &[MessageText]) -> impl Iterator<Item = (&str, &str)> {
    texts.iter().map(|t| (t.language.as_str(), t.body.as_str()))
}

/// An auto-response: what a queue sends customers for one of OTRS's four occasions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoResponseBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// When it is sent: `reply` (a new ticket), `reject` (a refused follow-up), `follow_up` (a
    /// follow-up taken), `reply_new_ticket` (a follow-up that opened a new ticket). Fixed while a
    /// queue uses it for its kind.
    #[schema(schema_with = auto_response_kind)]
    pub kind: AutoResponseKind,
    /// Subject and body per language (templates); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = message_texts)]
    pub texts: Vec<MessageText>,
    /// Invalid auto-responses are not sent.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

/// An auto-response's new content (`PUT`): everything but its name, replaced whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoResponseChanges {
    /// When it is sent (see [`AutoResponseBody::kind`]).
    #[schema(schema_with = auto_response_kind)]
    pub kind: AutoResponseKind,
    /// Subject and body per language (templates); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = message_texts)]
    pub texts: Vec<MessageText>,
    /// Invalid auto-responses are not sent.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

impl AutoResponseBody {
    /// The engine's record, after the API's own checks.
    pub fn into_record(self) -> Result<AutoResponse, Error> {
        check_texts(messages_of(&self.texts))?;
        Ok(AutoResponse {
            name: self.name,
            kind: self.kind,
            texts: self.texts.into_iter().map(LocalizedText::from).collect(),
            valid: self.valid,
            comment: self.comment,
        })
    }
}

impl AutoResponseChanges {
    /// The body of auto-response `name` with these contents.
    pub fn named(self, name: &str) -> AutoResponseBody {
        AutoResponseBody {
            name: name.to_string(),
            kind: self.kind,
            texts: self.texts,
            valid: self.valid,
            comment: self.comment,
        }
    }
}

impl From<AutoResponse> for AutoResponseBody {
    fn from(a: AutoResponse) -> Self {
        AutoResponseBody {
            name: a.name,
            kind: a.kind,
            texts: a.texts.into_iter().map(MessageText::from).collect(),
            valid: a.valid,
            comment: a.comment,
        }
    }
}

/// Auto-responses.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AutoResponseList {
    /// In name order.
    pub items: Vec<AutoResponseBody>,
}

/// A salutation (put above agent replies) or a signature (put below them): a body per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnippetBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// The text per language (templates; only the body is used); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = plain_texts)]
    pub texts: Vec<TextBody>,
    /// Invalid ones are not used.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

/// A salutation's or signature's new content (`PUT`): everything but its name, replaced whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnippetChanges {
    /// The text per language (templates; only the body is used); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = plain_texts)]
    pub texts: Vec<TextBody>,
    /// Invalid ones are not used.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

impl SnippetChanges {
    /// The body of `name` with these contents.
    pub fn named(self, name: &str) -> SnippetBody {
        SnippetBody { name: name.to_string(), texts: self.texts, valid: self.valid, comment: self.comment }
    }
}

impl SnippetBody {
    fn parts(self) -> Result<(String, Vec<LocalizedText>, bool, String), Error> {
        check_texts(texts_of(&self.texts))?;
        Ok((self.name, self.texts.into_iter().map(LocalizedText::from).collect(), self.valid, self.comment))
    }

    /// The engine's salutation, after the API's own checks.
    pub fn into_salutation(self) -> Result<Salutation, Error> {
        let (name, texts, valid, comment) = self.parts()?;
        Ok(Salutation { name, texts, valid, comment })
    }

    /// The engine's signature, after the API's own checks.
    pub fn into_signature(self) -> Result<Signature, Error> {
        let (name, texts, valid, comment) = self.parts()?;
        Ok(Signature { name, texts, valid, comment })
    }
}

impl From<Salutation> for SnippetBody {
    fn from(s: Salutation) -> Self {
        SnippetBody {
            name: s.name,
            texts: s.texts.into_iter().map(TextBody::from).collect(),
            valid: s.valid,
            comment: s.comment,
        }
    }
}

impl From<Signature> for SnippetBody {
    fn from(s: Signature) -> Self {
        SnippetBody {
            name: s.name,
            texts: s.texts.into_iter().map(TextBody::from).collect(),
            valid: s.valid,
            comment: s.comment,
        }
    }
}

/// Salutations or signatures.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SnippetList {
    /// In name order.
    pub items: Vec<SnippetBody>,
}

/// A standard template agents start from, offered in the queues it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// Where it is offered: `answer` (replies), `note` (internal notes), `create` (tickets agents open).
    #[schema(schema_with = template_kind)]
    pub kind: TemplateKind,
    /// Subject (may be empty) and body per language (templates); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = plain_texts)]
    pub texts: Vec<TextBody>,
    /// The queues it is offered in (existing queues).
    #[serde(default)]
    #[schema(schema_with = queue_names)]
    pub queues: Vec<String>,
    /// Invalid templates are not offered.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

/// A template's new content (`PUT`): everything but its name, replaced whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateChanges {
    /// Where it is offered (see [`TemplateBody::kind`]).
    #[schema(schema_with = template_kind)]
    pub kind: TemplateKind,
    /// Subject (may be empty) and body per language (templates); at least one.
    #[serde(deserialize_with = "crate::object::list")]
    #[schema(schema_with = plain_texts)]
    pub texts: Vec<TextBody>,
    /// The queues it is offered in (existing queues).
    #[serde(default)]
    #[schema(schema_with = queue_names)]
    pub queues: Vec<String>,
    /// Invalid templates are not offered.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

impl TemplateChanges {
    /// The body of template `name` with these contents.
    pub fn named(self, name: &str) -> TemplateBody {
        TemplateBody {
            name: name.to_string(),
            kind: self.kind,
            texts: self.texts,
            queues: self.queues,
            valid: self.valid,
            comment: self.comment,
        }
    }
}

impl TemplateBody {
    /// The engine's record, after the API's own checks; a queue named twice counts once.
    pub fn into_record(self) -> Result<StandardTemplate, Error> {
        check_texts(texts_of(&self.texts))?;
        let mut queues: Vec<String> = Vec::with_capacity(self.queues.len());
        for q in self.queues {
            if !queues.contains(&q) {
                queues.push(q);
            }
        }
        Ok(StandardTemplate {
            name: self.name,
            kind: self.kind,
            texts: self.texts.into_iter().map(LocalizedText::from).collect(),
            queues,
            valid: self.valid,
            comment: self.comment,
        })
    }
}

impl From<StandardTemplate> for TemplateBody {
    fn from(t: StandardTemplate) -> Self {
        TemplateBody {
            name: t.name,
            kind: t.kind,
            texts: t.texts.into_iter().map(TextBody::from).collect(),
            queues: t.queues,
            valid: t.valid,
            comment: t.comment,
        }
    }
}

/// Standard templates.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateList {
    /// In name order.
    pub items: Vec<TemplateBody>,
}

/// What a notification kind does, as admins set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationOut {
    /// The kind.
    #[schema(schema_with = notification_kind)]
    pub kind: NotificationKind,
    /// Disabled notifications are sent to nobody.
    pub valid: bool,
    /// Sent by mail unless the agent chose otherwise.
    pub email: bool,
    /// Sent by Telegram (to agents who linked a chat) unless the agent chose otherwise.
    pub telegram: bool,
    /// Whether agents may change the channels for themselves; when not, these bind.
    pub agent_may_choose: bool,
    /// Subject and body per language (templates); empty for the shipped, translated text.
    pub texts: Vec<MessageText>,
    /// True while these are the shipped settings (none stored, or stored as shipped).
    pub shipped: bool,
}

impl From<NotificationDef> for NotificationOut {
    fn from(n: NotificationDef) -> Self {
        let shipped = n == NotificationDef::shipped(n.kind);
        NotificationOut {
            kind: n.kind,
            valid: n.valid,
            email: n.email,
            telegram: n.telegram,
            agent_may_choose: n.agent_may_choose,
            texts: n.texts.into_iter().map(MessageText::from).collect(),
            shipped,
        }
    }
}

/// What a notification kind is to do (`PUT /api/v1/notifications/{kind}`); absent fields take the
/// shipped values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationIn {
    /// Disabled notifications are sent to nobody (default on).
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// By mail unless the agent chose otherwise (default on).
    #[serde(default = "crate::yes")]
    pub email: bool,
    /// By Telegram unless the agent chose otherwise (default off).
    #[serde(default)]
    pub telegram: bool,
    /// Whether agents may change the channels for themselves (default yes).
    #[serde(default = "crate::yes")]
    pub agent_may_choose: bool,
    /// Subject and body per language (templates); empty (the default) for the shipped text.
    #[serde(default, deserialize_with = "crate::object::list")]
    #[schema(schema_with = message_texts_or_none)]
    pub texts: Vec<MessageText>,
}

impl NotificationIn {
    /// The engine's settings for `kind`, after the API's own checks.
    pub fn into_def(self, kind: NotificationKind) -> Result<NotificationDef, Error> {
        check_texts(messages_of(&self.texts))?;
        Ok(NotificationDef {
            kind,
            valid: self.valid,
            email: self.email,
            telegram: self.telegram,
            agent_may_choose: self.agent_may_choose,
            texts: self.texts.into_iter().map(LocalizedText::from).collect(),
        })
    }
}

/// Every notification kind with what it does.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// The ten kinds, in a stable order.
    pub items: Vec<NotificationOut>,
}

/// One notification kind for the calling agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationPrefOut {
    /// The kind.
    #[schema(schema_with = notification_kind)]
    pub kind: NotificationKind,
    /// By mail (the agent's choice, else the admins' default).
    pub email: bool,
    /// By Telegram (the agent's choice, else the admins' default; needs a linked chat).
    pub telegram: bool,
    /// Whether the agent may change these (read-only: the admins decide).
    pub agent_may_choose: bool,
    /// Whether the notification is sent at all (read-only: the admins decide).
    pub valid: bool,
}

impl From<NotificationSetting> for NotificationPrefOut {
    fn from(s: NotificationSetting) -> Self {
        NotificationPrefOut {
            kind: s.def.kind,
            email: s.email,
            telegram: s.telegram,
            agent_may_choose: s.def.agent_may_choose,
            valid: s.def.valid,
        }
    }
}

/// The calling agent's notification settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationPrefsOut {
    /// "My queues": new tickets and tickets moved in are told for these.
    pub my_queues: Vec<String>,
    /// One row per notification kind.
    pub notifications: Vec<NotificationPrefOut>,
    /// Whether the agent linked a Telegram chat (Telegram notifications go nowhere without one).
    pub telegram_linked: bool,
}

impl From<NotificationSettings> for NotificationPrefsOut {
    fn from(s: NotificationSettings) -> Self {
        NotificationPrefsOut {
            my_queues: s.my_queues,
            notifications: s.kinds.into_iter().map(NotificationPrefOut::from).collect(),
            telegram_linked: s.telegram_linked,
        }
    }
}

/// The calling agent's choice for one notification kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefIn {
    /// The kind.
    #[schema(schema_with = notification_kind)]
    pub kind: NotificationKind,
    /// By mail.
    pub email: bool,
    /// By Telegram.
    pub telegram: bool,
    /// Read-only: taken and ignored, so what `GET` answered can be sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_may_choose: Option<bool>,
    /// Read-only: taken and ignored, so what `GET` answered can be sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl From<&NotificationPrefIn> for NotificationChoice {
    fn from(c: &NotificationPrefIn) -> Self {
        NotificationChoice { kind: c.kind, email: c.email, telegram: c.telegram }
    }
}

/// What the calling agent changes (`PUT /api/v1/preferences/notifications`); absent fields stay. A
/// choice for a kind whose channels the admins set is refused (403) unless it is what they set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefsIn {
    /// "My queues": queues the agent may read (others are 404).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = queue_names_or_null)]
    pub my_queues: Option<Vec<String>>,
    /// Channels per notification kind; kinds left out follow the admins' defaults.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::object::list_or_null")]
    pub notifications: Option<Vec<NotificationPrefIn>>,
    /// Read-only: taken and ignored, so what `GET` answered can be sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telegram_linked: Option<bool>,
}

/// A one-time code that links a Telegram chat to the calling agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TelegramLinkCode {
    /// The code.
    pub code: String,
    /// What to send the bot: `/link CODE`.
    pub command: String,
    /// When the code stops working (RFC 3339).
    pub expires_at: String,
}

/// A template offered on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemplateOffer {
    /// Its name.
    pub name: String,
    /// Its kind.
    #[schema(schema_with = template_kind)]
    pub kind: TemplateKind,
}

/// The templates offered on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemplateOffers {
    /// In name order.
    pub items: Vec<TemplateOffer>,
}

/// A text rendered for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RenderedTextOut {
    /// The subject (empty when the text has none).
    pub subject: String,
    /// The body.
    pub body: String,
}

impl From<chamado::RenderedText> for RenderedTextOut {
    fn from(r: chamado::RenderedText) -> Self {
        RenderedTextOut { subject: r.subject, body: r.body }
    }
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String))
}

fn names(values: impl IntoIterator<Item = &'static str>) -> Object {
    string().enum_values(Some(values)).build()
}

/// A language tag the helpdesk speaks.
pub fn language() -> Object {
    string().enum_values(Some(crate::locale::language_tags())).build()
}

/// A subject template: at most [`SUBJECT_MAX`] characters.
pub fn subject() -> Object {
    string().max_length(Some(SUBJECT_MAX)).build()
}

/// A subject template that is not blank.
pub fn subject_not_blank() -> Object {
    let mut o = crate::rules::not_blank();
    o.max_length = Some(SUBJECT_MAX);
    o
}

/// A body template: at most [`BODY_MAX`] characters.
pub fn body() -> Object {
    string().max_length(Some(BODY_MAX)).build()
}

fn texts_array<T: PartialSchema>(min: usize) -> Array {
    let languages = crate::locale::language_tags().len();
    ArrayBuilder::new().items(T::schema()).min_items(Some(min)).max_items(Some(languages)).build()
}

/// Texts of a message: one to one per language.
pub fn message_texts() -> Array {
    texts_array::<MessageText>(1)
}

/// Texts of a message, or none for the shipped text.
pub fn message_texts_or_none() -> Array {
    texts_array::<MessageText>(0)
}

/// Texts: one to one per language.
pub fn plain_texts() -> Array {
    texts_array::<TextBody>(1)
}

/// Queue names.
pub fn queue_names() -> Array {
    ArrayBuilder::new().items(crate::rules::name()).build()
}

/// Queue names, or `null` for "unchanged".
pub fn queue_names_or_null() -> Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(crate::rules::name())
        .build()
}

/// An auto-response kind.
pub fn auto_response_kind() -> Object {
    names(AutoResponseKind::ALL.map(AutoResponseKind::as_str))
}

/// A template kind.
pub fn template_kind() -> Object {
    names(TemplateKind::ALL.map(TemplateKind::as_str))
}

/// A notification kind.
pub fn notification_kind() -> Object {
    names(NotificationKind::ALL.map(NotificationKind::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_the_engine_spells_them() {
        let a: AutoResponseBody = serde_json::from_str(
            r#"{"name":"r","kind":"reply_new_ticket","texts":[{"language":"en","subject":"s","body":"b"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.kind, AutoResponseKind::ReplyNewTicket);
        assert!(a.valid);
        assert!(serde_json::from_str::<TemplateBody>(r#"{"name":"t","kind":"x","texts":[]}"#).is_err());
        for k in NotificationKind::ALL {
            assert_eq!(serde_json::to_string(&k).unwrap_or_default(), format!("\"{}\"", k.as_str()));
        }
    }

    #[test]
    fn objects_are_read_only_from_objects() {
        let as_array = r#"{"name":"s","texts":[["en","","b"]]}"#;
        assert!(serde_json::from_str::<SnippetBody>(as_array).is_err(), "a text written as an array");
        let ok = r#"{"name":"s","texts":[{"language":"en","body":"b"}]}"#;
        assert!(serde_json::from_str::<SnippetBody>(ok).is_ok());
        let prefs = r#"{"notifications":[["new_ticket",true,false]]}"#;
        assert!(serde_json::from_str::<NotificationPrefsIn>(prefs).is_err());
        let prefs = r#"{"notifications":null}"#;
        assert_eq!(serde_json::from_str::<NotificationPrefsIn>(prefs).ok(), Some(NotificationPrefsIn::default()));
    }

    #[test]
    fn the_api_holds_languages_and_body_lengths_to_the_schema() {
        assert!(check_texts([("pt-BR", "Olá")]).is_ok());
        assert!(check_texts([("pt_br", "Olá")]).is_err());
        let long = "é".repeat(BODY_MAX + 1);
        assert!(check_texts([("en", long.as_str())]).is_err());
        let fits = "é".repeat(BODY_MAX);
        assert!(check_texts([("en", fits.as_str())]).is_ok());
    }

    #[test]
    fn a_notification_body_defaults_to_the_shipped_settings() {
        let n: NotificationIn = serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
        let def = n.into_def(NotificationKind::OwnerSet).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(def, NotificationDef::shipped(NotificationKind::OwnerSet));
        assert!(NotificationOut::from(def).shipped);
    }
}
