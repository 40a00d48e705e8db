//! `auto-responses`, `salutations`, `signatures` and `templates` (`list|show|put|delete`): the texts
//! admins write, each a template per language; and `notifications list|set|reset`: what each agent
//! notification does. `put` adds or replaces, from options (`--text LANG:SUBJECT:BODY`) or from a JSON
//! file with the API's body.

use crate::direct::Direct;
use crate::error::{AdminError, Result};
use crate::http_client::encode;
use crate::output::{Output, fields, table, yes_no};
use crate::remote::Remote;
use chamado::{Actor, NotificationDef, NotificationKind, RecordKind};
use chamado_api_types::texts::{
    AutoResponseBody, MessageText, NotificationIn, NotificationList, NotificationOut, SnippetBody, TemplateBody,
};
use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// The verbs on one kind of text.
#[derive(Debug, Subcommand)]
pub enum TextsCmd {
    /// Lists them in name order.
    List,
    /// One of them, with its texts.
    Show {
        /// The name.
        name: String,
    },
    /// Adds one, or replaces the one of that name (every field: what is not given takes its default).
    Put(PutArgs),
    /// Removes one (one a queue uses is kept).
    Delete {
        /// The name.
        name: String,
    },
}

/// What `put` takes: options, or a JSON file with the API's body (options given override it).
#[derive(Debug, Args)]
pub struct PutArgs {
    /// The name.
    #[arg(long)]
    pub name: Option<String>,
    /// Auto-responses: reply, reject, follow_up or reply_new_ticket. Templates: answer, note or create.
    #[arg(long)]
    pub kind: Option<String>,
    /// A language's text as LANG:SUBJECT:BODY (`en:Re {{ ticket.title }}:We got it.`; the subject
    /// holds no colon, the body may); repeat for more languages. Salutations and signatures take
    /// LANG:BODY. Multi-line texts are easier with --file.
    #[arg(long = "text", value_name = "LANG:SUBJECT:BODY")]
    pub texts: Vec<String>,
    /// Templates: a queue it is offered in (repeat for more).
    #[arg(long = "queue", value_name = "QUEUE")]
    pub queues: Vec<String>,
    /// Free text.
    #[arg(long)]
    pub comment: Option<String>,
    /// Mark it invalid (not used).
    #[arg(long)]
    pub invalid: bool,
    /// The JSON body as the API takes it on POST (`{"name": ..., "texts": [...]}`).
    #[arg(long, value_name = "FILE.json", conflicts_with = "texts")]
    pub file: Option<PathBuf>,
}

/// The verbs on notifications.
#[derive(Debug, Subcommand)]
pub enum NotificationsCmd {
    /// The ten notification kinds and what each does.
    List,
    /// Changes what one kind does; what is not given stays.
    Set {
        /// The kind, e.g. new_ticket, follow_up, owner_set.
        kind: String,
        /// Sent by mail by default.
        #[arg(long, value_enum)]
        email: Option<OnOff>,
        /// Sent by Telegram by default (to agents who linked a chat).
        #[arg(long, value_enum)]
        telegram: Option<OnOff>,
        /// Agents may change the channels for themselves.
        #[arg(long, value_enum)]
        agent_may_choose: Option<OnOff>,
        /// Sent at all.
        #[arg(long, value_enum)]
        valid: Option<OnOff>,
        /// Its text in a language, as LANG:SUBJECT:BODY (the subject holds no colon; repeat for more
        /// languages; replaces the texts).
        #[arg(long = "text", value_name = "LANG:SUBJECT:BODY")]
        texts: Vec<String>,
        /// Go back to the shipped, translated text.
        #[arg(long, conflicts_with = "texts")]
        shipped_text: bool,
    },
    /// Restores the shipped settings of one kind.
    Reset {
        /// The kind.
        kind: String,
    },
}

/// A switch.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

impl OnOff {
    fn on(self) -> bool {
        matches!(self, OnOff::On)
    }
}

/// The kinds of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Auto-responses.
    AutoResponses,
    /// Salutations.
    Salutations,
    /// Signatures.
    Signatures,
    /// Standard templates.
    Templates,
}

impl TextKind {
    fn noun(self) -> &'static str {
        match self {
            TextKind::AutoResponses => "auto-response",
            TextKind::Salutations => "salutation",
            TextKind::Signatures => "signature",
            TextKind::Templates => "template",
        }
    }

    fn path(self) -> &'static str {
        match self {
            TextKind::AutoResponses => "/auto-responses",
            TextKind::Salutations => "/salutations",
            TextKind::Signatures => "/signatures",
            TextKind::Templates => "/templates",
        }
    }

    fn record_kind(self) -> RecordKind {
        match self {
            TextKind::AutoResponses => RecordKind::AutoResponse,
            TextKind::Salutations => RecordKind::Salutation,
            TextKind::Signatures => RecordKind::Signature,
            TextKind::Templates => RecordKind::Template,
        }
    }
}

/// A text as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnyText {
    /// An auto-response.
    AutoResponse(AutoResponseBody),
    /// A salutation or signature.
    Snippet(SnippetBody),
    /// A standard template.
    Template(TemplateBody),
}

impl AnyText {
    /// Reads a body of `kind` from JSON.
    fn parse(kind: TextKind, v: Value) -> std::result::Result<AnyText, serde_json::Error> {
        Ok(match kind {
            TextKind::AutoResponses => AnyText::AutoResponse(serde_json::from_value(v)?),
            TextKind::Salutations | TextKind::Signatures => AnyText::Snippet(serde_json::from_value(v)?),
            TextKind::Templates => AnyText::Template(serde_json::from_value(v)?),
        })
    }

    fn name(&self) -> &str {
        match self {
            AnyText::AutoResponse(a) => &a.name,
            AnyText::Snippet(s) => &s.name,
            AnyText::Template(t) => &t.name,
        }
    }

    fn valid(&self) -> bool {
        match self {
            AnyText::AutoResponse(a) => a.valid,
            AnyText::Snippet(s) => s.valid,
            AnyText::Template(t) => t.valid,
        }
    }

    fn comment(&self) -> &str {
        match self {
            AnyText::AutoResponse(a) => &a.comment,
            AnyText::Snippet(s) => &s.comment,
            AnyText::Template(t) => &t.comment,
        }
    }

    fn kind(&self) -> String {
        match self {
            AnyText::AutoResponse(a) => a.kind.as_str().to_string(),
            AnyText::Snippet(_) => String::new(),
            AnyText::Template(t) => t.kind.as_str().to_string(),
        }
    }

    /// Language, subject, body of each text.
    fn texts(&self) -> Vec<(String, String, String)> {
        match self {
            AnyText::AutoResponse(a) => {
                a.texts.iter().map(|t| (t.language.clone(), t.subject.clone(), t.body.clone())).collect()
            }
            AnyText::Snippet(s) => {
                s.texts.iter().map(|t| (t.language.clone(), t.subject.clone(), t.body.clone())).collect()
            }
            AnyText::Template(t) => {
                t.texts.iter().map(|t| (t.language.clone(), t.subject.clone(), t.body.clone())).collect()
            }
        }
    }
}

/// The operations on texts and notifications, on the store file and through the API.
pub(crate) trait Texts {
    /// Every text of a kind, in name order.
    async fn texts(&self, kind: TextKind) -> Result<Vec<AnyText>>;
    /// One text, or `None`.
    async fn text_get(&self, kind: TextKind, name: &str) -> Result<Option<AnyText>>;
    /// Adds (`exists` false) or replaces a text; answers it as stored.
    async fn text_put(&self, kind: TextKind, text: AnyText, exists: bool) -> Result<AnyText>;
    /// Removes a text.
    async fn text_delete(&self, kind: TextKind, name: &str) -> Result<()>;
    /// What every notification kind does.
    async fn notifications(&self) -> Result<Vec<NotificationOut>>;
    /// Sets what a notification kind does.
    async fn notification_set(&self, kind: NotificationKind, n: NotificationIn) -> Result<NotificationOut>;
    /// Restores a notification kind's shipped settings.
    async fn notification_reset(&self, kind: NotificationKind) -> Result<NotificationOut>;
}

impl Texts for Direct {
    async fn texts(&self, kind: TextKind) -> Result<Vec<AnyText>> {
        let e = self.engine();
        Ok(match kind {
            TextKind::AutoResponses => {
                e.auto_responses().await?.into_iter().map(|a| AnyText::AutoResponse(a.into())).collect()
            }
            TextKind::Salutations => e.salutations().await?.into_iter().map(|s| AnyText::Snippet(s.into())).collect(),
            TextKind::Signatures => e.signatures().await?.into_iter().map(|s| AnyText::Snippet(s.into())).collect(),
            TextKind::Templates => e.templates().await?.into_iter().map(|t| AnyText::Template(t.into())).collect(),
        })
    }

    async fn text_get(&self, kind: TextKind, name: &str) -> Result<Option<AnyText>> {
        let e = self.engine();
        Ok(match kind {
            TextKind::AutoResponses => e.auto_response(name).await?.map(|a| AnyText::AutoResponse(a.into())),
            TextKind::Salutations => e.salutation(name).await?.map(|s| AnyText::Snippet(s.into())),
            TextKind::Signatures => e.signature(name).await?.map(|s| AnyText::Snippet(s.into())),
            TextKind::Templates => e.template(name).await?.map(|t| AnyText::Template(t.into())),
        })
    }

    async fn text_put(&self, kind: TextKind, text: AnyText, exists: bool) -> Result<AnyText> {
        let admin = self.engine().admin(&Actor::System).await?;
        let name = text.name().to_string();
        if !exists && self.text_get(kind, &name).await?.is_some() {
            return Err(AdminError::Exists { what: kind.noun(), key: name, hint: "" });
        }
        match (kind, text) {
            (TextKind::AutoResponses, AnyText::AutoResponse(a)) => admin.put_auto_response(a.into_record()?).await?,
            (TextKind::Salutations, AnyText::Snippet(s)) => admin.put_salutation(s.into_salutation()?).await?,
            (TextKind::Signatures, AnyText::Snippet(s)) => admin.put_signature(s.into_signature()?).await?,
            (TextKind::Templates, AnyText::Template(t)) => admin.put_template(t.into_record()?).await?,
            _ => return Err(AdminError::Usage(format!("not a {}", kind.noun()))),
        }
        self.text_get(kind, &name).await?.ok_or(AdminError::NotFound { what: kind.noun(), key: name })
    }

    async fn text_delete(&self, kind: TextKind, name: &str) -> Result<()> {
        if self.text_get(kind, name).await?.is_none() {
            return Err(AdminError::NotFound { what: kind.noun(), key: name.to_string() });
        }
        Ok(self.engine().admin(&Actor::System).await?.delete_text(kind.record_kind(), name).await?)
    }

    async fn notifications(&self) -> Result<Vec<NotificationOut>> {
        Ok(self.engine().notification_defs().await?.into_iter().map(NotificationOut::from).collect())
    }

    async fn notification_set(&self, kind: NotificationKind, n: NotificationIn) -> Result<NotificationOut> {
        let def = n.into_def(kind)?;
        self.engine().admin(&Actor::System).await?.put_notification(def).await?;
        Ok(self.engine().notification_def(kind).await?.into())
    }

    async fn notification_reset(&self, kind: NotificationKind) -> Result<NotificationOut> {
        let admin = self.engine().admin(&Actor::System).await?;
        match admin.delete_text(RecordKind::Notification, NotificationDef::key_of(kind)).await {
            Ok(()) | Err(chamado::Error::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(self.engine().notification_def(kind).await?.into())
    }
}

#[derive(Deserialize)]
struct Items {
    items: Vec<Value>,
}

fn bad(path: &str, e: &serde_json::Error) -> AdminError {
    AdminError::BadResponse(format!("{path}: {e}"))
}

impl Texts for Remote {
    async fn texts(&self, kind: TextKind) -> Result<Vec<AnyText>> {
        let list: Items = self.http().get(kind.path()).await?;
        list.items.into_iter().map(|v| AnyText::parse(kind, v).map_err(|e| bad(kind.path(), &e))).collect()
    }

    async fn text_get(&self, kind: TextKind, name: &str) -> Result<Option<AnyText>> {
        let path = format!("{}/{}", kind.path(), encode(name));
        match self.http().get::<Value>(&path).await {
            Ok(v) => AnyText::parse(kind, v).map(Some).map_err(|e| bad(&path, &e)),
            Err(AdminError::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn text_put(&self, kind: TextKind, text: AnyText, exists: bool) -> Result<AnyText> {
        let v = if exists {
            let path = format!("{}/{}", kind.path(), encode(text.name()));
            let mut body = serde_json::to_value(&text).map_err(|e| bad(&path, &e))?;
            if let Some(o) = body.as_object_mut() {
                o.remove("name");
            }
            self.http().put_json::<Value>(&path, &body).await?
        } else {
            self.http().post::<Value>(kind.path(), &text).await?
        };
        AnyText::parse(kind, v).map_err(|e| bad(kind.path(), &e))
    }

    async fn text_delete(&self, kind: TextKind, name: &str) -> Result<()> {
        self.http().delete(&format!("{}/{}", kind.path(), encode(name))).await
    }

    async fn notifications(&self) -> Result<Vec<NotificationOut>> {
        Ok(self.http().get::<NotificationList>("/notifications").await?.items)
    }

    async fn notification_set(&self, kind: NotificationKind, n: NotificationIn) -> Result<NotificationOut> {
        self.http().put_json(&format!("/notifications/{}", kind.as_str()), &n).await
    }

    async fn notification_reset(&self, kind: NotificationKind) -> Result<NotificationOut> {
        self.http().delete_json(&format!("/notifications/{}", kind.as_str())).await
    }
}

/// `LANG:SUBJECT:BODY` (the body may hold colons), or `LANG:BODY` / `LANG::BODY` where `subject` is
/// false (salutations and signatures).
fn text_option(s: &str, subject: bool) -> Result<(String, String, String)> {
    let bad = || {
        AdminError::Usage(format!(
            "--text {s:?}: give {}",
            if subject { "LANG:SUBJECT:BODY" } else { "LANG:BODY (or LANG::BODY)" }
        ))
    };
    let (language, rest) = s.split_once(':').ok_or_else(bad)?;
    let (subj, body) =
        if subject { rest.split_once(':').ok_or_else(bad)? } else { ("", rest.strip_prefix(':').unwrap_or(rest)) };
    if language.trim().is_empty() || body.is_empty() {
        return Err(bad());
    }
    Ok((language.trim().to_string(), subj.to_string(), body.to_string()))
}

fn message_texts(texts: &[String]) -> Result<Vec<MessageText>> {
    texts
        .iter()
        .map(|t| text_option(t, true).map(|(language, subject, body)| MessageText { language, subject, body }))
        .collect()
}

/// The body `put` sends: the file's, with the options given laid over it.
fn put_body(kind: TextKind, a: PutArgs) -> Result<AnyText> {
    let mut v = match &a.file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| AdminError::Io { path: path.clone(), source })?;
            serde_json::from_str::<Value>(&text)
                .map_err(|e| AdminError::Usage(format!("{}: not JSON: {e}", path.display())))?
        }
        None => Value::Object(serde_json::Map::new()),
    };
    let Some(o) = v.as_object_mut() else {
        return Err(AdminError::Usage("the --file must hold a JSON object".into()));
    };
    if let Some(name) = a.name {
        o.insert("name".into(), Value::String(name));
    }
    if let Some(k) = a.kind {
        o.insert("kind".into(), Value::String(k));
    }
    if !a.texts.is_empty() {
        let subject = matches!(kind, TextKind::AutoResponses | TextKind::Templates);
        let texts: Vec<Value> = a
            .texts
            .iter()
            .map(|t| {
                text_option(t, subject).map(|(language, subject, body)| {
                    serde_json::json!({"language": language, "subject": subject, "body": body})
                })
            })
            .collect::<Result<_>>()?;
        o.insert("texts".into(), Value::Array(texts));
    }
    if !a.queues.is_empty() {
        o.insert("queues".into(), serde_json::json!(a.queues));
    }
    if let Some(c) = a.comment {
        o.insert("comment".into(), Value::String(c));
    }
    if a.invalid {
        o.insert("valid".into(), Value::Bool(false));
    }
    if !o.contains_key("name") {
        return Err(AdminError::Usage("put needs --name (or a \"name\" in --file)".into()));
    }
    if matches!(kind, TextKind::AutoResponses | TextKind::Templates) && !o.contains_key("kind") {
        return Err(AdminError::Usage("put needs --kind (or a \"kind\" in --file)".into()));
    }
    if !o.contains_key("texts") {
        return Err(AdminError::Usage("put needs --text LANG:SUBJECT:BODY (or \"texts\" in --file)".into()));
    }
    AnyText::parse(kind, v).map_err(|e| AdminError::Usage(format!("the {} does not fit: {e}", kind.noun())))
}

fn shown_texts(texts: &[(String, String, String)]) -> String {
    let mut out = String::new();
    for (language, subject, body) in texts {
        out.push_str(&format!("\n[{language}]"));
        if !subject.is_empty() {
            out.push_str(&format!("\nsubject: {subject}"));
        }
        out.push('\n');
        out.push_str(body);
    }
    out
}

fn one(t: &AnyText) -> String {
    let mut pairs = vec![("name", t.name().to_string())];
    if !t.kind().is_empty() {
        pairs.push(("kind", t.kind()));
    }
    if let AnyText::Template(x) = t {
        pairs.push(("queues", x.queues.join(", ")));
    }
    pairs.push(("valid", yes_no(t.valid())));
    pairs.push(("comment", t.comment().to_string()));
    let mut out = fields(&pairs);
    out.push_str(&shown_texts(&t.texts()));
    out
}

/// Runs a command on one kind of text.
pub(crate) async fn run<B: Texts>(b: &B, kind: TextKind, cmd: TextsCmd) -> Result<Output> {
    match cmd {
        TextsCmd::List => {
            let found = b.texts(kind).await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|t| {
                    let languages: Vec<String> = t.texts().into_iter().map(|(l, _, _)| l).collect();
                    let mut row = vec![t.name().to_string()];
                    if matches!(kind, TextKind::AutoResponses | TextKind::Templates) {
                        row.push(t.kind());
                    }
                    row.push(languages.join(","));
                    if let AnyText::Template(x) = t {
                        row.push(x.queues.join(","));
                    }
                    row.push(yes_no(t.valid()));
                    row.push(t.comment().to_string());
                    row
                })
                .collect();
            let headers: &[&str] = match kind {
                TextKind::AutoResponses => &["NAME", "KIND", "LANGUAGES", "VALID", "COMMENT"],
                TextKind::Templates => &["NAME", "KIND", "LANGUAGES", "QUEUES", "VALID", "COMMENT"],
                TextKind::Salutations | TextKind::Signatures => &["NAME", "LANGUAGES", "VALID", "COMMENT"],
            };
            Ok(Output::new(table(headers, &rows), &found))
        }
        TextsCmd::Show { name } => {
            let t = b
                .text_get(kind, &name)
                .await?
                .ok_or_else(|| AdminError::NotFound { what: kind.noun(), key: name.clone() })?;
            Ok(Output::new(one(&t), &t))
        }
        TextsCmd::Put(args) => {
            let text = put_body(kind, args)?;
            let exists = b.text_get(kind, text.name()).await?.is_some();
            let stored = b.text_put(kind, text, exists).await?;
            let verb = if exists { "replaced" } else { "added" };
            Ok(Output::new(format!("{} {:?} {verb}\n{}", kind.noun(), stored.name(), one(&stored)), &stored))
        }
        TextsCmd::Delete { name } => {
            b.text_delete(kind, &name).await?;
            Ok(Output::done(format!("{} {name:?} removed", kind.noun()), serde_json::json!({ "removed": name })))
        }
    }
}

fn notification_kind(kind: &str) -> Result<NotificationKind> {
    kind.parse::<NotificationKind>().map_err(|_| {
        let all: Vec<&str> = NotificationKind::ALL.iter().map(|k| k.as_str()).collect();
        AdminError::Usage(format!("{kind:?} is not a notification; choose one of {}", all.join(", ")))
    })
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

fn one_notification(n: &NotificationOut) -> String {
    let texts: Vec<(String, String, String)> =
        n.texts.iter().map(|t| (t.language.clone(), t.subject.clone(), t.body.clone())).collect();
    let mut out = fields(&[
        ("kind", n.kind.as_str().to_string()),
        ("valid", yes_no(n.valid)),
        ("email", on_off(n.email)),
        ("telegram", on_off(n.telegram)),
        ("agents may choose", yes_no(n.agent_may_choose)),
        ("text", if texts.is_empty() { "shipped".to_string() } else { "own".to_string() }),
    ]);
    out.push_str(&shown_texts(&texts));
    out
}

/// Runs a `notifications` command.
pub(crate) async fn notifications<B: Texts>(b: &B, cmd: NotificationsCmd) -> Result<Output> {
    match cmd {
        NotificationsCmd::List => {
            let found = b.notifications().await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|n| {
                    vec![
                        n.kind.as_str().to_string(),
                        yes_no(n.valid),
                        on_off(n.email),
                        on_off(n.telegram),
                        yes_no(n.agent_may_choose),
                        if n.texts.is_empty() { "shipped".into() } else { "own".into() },
                    ]
                })
                .collect();
            let text = table(&["KIND", "VALID", "EMAIL", "TELEGRAM", "AGENTS CHOOSE", "TEXT"], &rows);
            Ok(Output::new(text, &found))
        }
        NotificationsCmd::Set { kind, email, telegram, agent_may_choose, valid, texts, shipped_text } => {
            let kind = notification_kind(&kind)?;
            let current = b
                .notifications()
                .await?
                .into_iter()
                .find(|n| n.kind == kind)
                .ok_or_else(|| AdminError::NotFound { what: "notification", key: kind.as_str().to_string() })?;
            let texts = if shipped_text {
                Vec::new()
            } else if texts.is_empty() {
                current.texts
            } else {
                message_texts(&texts)?
            };
            let n = NotificationIn {
                valid: valid.map_or(current.valid, OnOff::on),
                email: email.map_or(current.email, OnOff::on),
                telegram: telegram.map_or(current.telegram, OnOff::on),
                agent_may_choose: agent_may_choose.map_or(current.agent_may_choose, OnOff::on),
                texts,
            };
            let stored = b.notification_set(kind, n).await?;
            Ok(Output::new(format!("notification {} changed\n{}", kind.as_str(), one_notification(&stored)), &stored))
        }
        NotificationsCmd::Reset { kind } => {
            let kind = notification_kind(&kind)?;
            let stored = b.notification_reset(kind).await?;
            let text =
                format!("notification {} has its shipped settings\n{}", kind.as_str(), one_notification(&stored));
            Ok(Output::new(text, &stored))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_options_split_on_the_first_colons() {
        let (l, s, b) = text_option("en:Re: {{ ticket.title }}:x", true).unwrap_or_default();
        assert_eq!((l.as_str(), s.as_str(), b.as_str()), ("en", "Re", " {{ ticket.title }}:x"));
        let (l, s, b) = text_option("pt-BR::Prezado(a):", false).unwrap_or_default();
        assert_eq!((l.as_str(), s.as_str(), b.as_str()), ("pt-BR", "", "Prezado(a):"));
        assert!(text_option("en", true).is_err());
        assert!(text_option("en:subject only", true).is_err());
    }
}
