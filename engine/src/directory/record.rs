use super::{
    Agent, AutoResponse, Calendar, Customer, CustomerUser, Grant, Group, MailAccount, NotificationDef, PriorityDef,
    Queue, Role, Salutation, Service, Signature, Sla, StandardTemplate, StateDef,
};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The kinds of directory record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// [`Customer`]
    Customer,
    /// [`CustomerUser`]
    CustomerUser,
    /// [`Agent`]
    Agent,
    /// [`Role`]
    Role,
    /// [`Group`]
    Group,
    /// [`Queue`]
    Queue,
    /// [`Service`]
    Service,
    /// [`StateDef`]
    State,
    /// [`Grant`]
    Grant,
    /// [`PriorityDef`]
    Priority,
    /// [`MailAccount`]
    MailAccount,
    /// [`AutoResponse`]
    AutoResponse,
    /// [`Salutation`]
    Salutation,
    /// [`Signature`]
    Signature,
    /// [`StandardTemplate`]
    Template,
    /// [`NotificationDef`]
    Notification,
    /// [`Calendar`]
    Calendar,
    /// [`Sla`]
    Sla,
    /// [`crate::WebhookSubscription`]
    Webhook,
}

impl RecordKind {
    /// All kinds, in a stable order (stores derive codes from it: new kinds go last).
    pub const ALL: [RecordKind; 19] = [
        RecordKind::Customer,
        RecordKind::CustomerUser,
        RecordKind::Agent,
        RecordKind::Role,
        RecordKind::Group,
        RecordKind::Queue,
        RecordKind::Service,
        RecordKind::State,
        RecordKind::Grant,
        RecordKind::Priority,
        RecordKind::MailAccount,
        RecordKind::AutoResponse,
        RecordKind::Salutation,
        RecordKind::Signature,
        RecordKind::Template,
        RecordKind::Notification,
        RecordKind::Calendar,
        RecordKind::Sla,
        RecordKind::Webhook,
    ];

    /// A short stable name, usable as a table or key prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Customer => "customer",
            RecordKind::CustomerUser => "customer_user",
            RecordKind::Agent => "agent",
            RecordKind::Role => "role",
            RecordKind::Group => "group",
            RecordKind::Queue => "queue",
            RecordKind::Service => "service",
            RecordKind::State => "state",
            RecordKind::Grant => "grant",
            RecordKind::Priority => "priority",
            RecordKind::MailAccount => "mail_account",
            RecordKind::AutoResponse => "auto_response",
            RecordKind::Salutation => "salutation",
            RecordKind::Signature => "signature",
            RecordKind::Template => "template",
            RecordKind::Notification => "notification",
            RecordKind::Calendar => "calendar",
            RecordKind::Sla => "sla",
            RecordKind::Webhook => "webhook",
        }
    }
}

/// The key of a directory record: its kind and its unique name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordKey {
    /// The kind.
    pub kind: RecordKind,
    /// The unique name within the kind (login, id, name, or [`Grant::key`]).
    pub key: String,
}

impl RecordKey {
    /// A key.
    pub fn new(kind: RecordKind, key: impl Into<String>) -> Self {
        RecordKey { kind, key: key.into() }
    }
}

/// One directory record, as stores keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Record {
    /// A customer.
    Customer(Customer),
    /// A customer user.
    CustomerUser(CustomerUser),
    /// An agent.
    Agent(Agent),
    /// A role.
    Role(Role),
    /// A group.
    Group(Group),
    /// A queue.
    Queue(Queue),
    /// A service.
    Service(Service),
    /// A ticket state.
    State(StateDef),
    /// A grant.
    Grant(Grant),
    /// What an admin set for a priority level.
    Priority(PriorityDef),
    /// A mailbox the helpdesk pulls mail from.
    MailAccount(MailAccount),
    /// An auto-response text.
    AutoResponse(AutoResponse),
    /// A salutation.
    Salutation(Salutation),
    /// A signature.
    Signature(Signature),
    /// A standard template.
    Template(StandardTemplate),
    /// What an admin set for a notification kind.
    Notification(NotificationDef),
    /// A business-hours calendar.
    Calendar(Calendar),
    /// A service level agreement.
    Sla(Sla),
    /// A webhook subscription.
    Webhook(crate::webhooks::WebhookSubscription),
}

impl Record {
    /// The record's key.
    pub fn key(&self) -> RecordKey {
        match self {
            Record::Customer(c) => RecordKey::new(RecordKind::Customer, &c.id),
            Record::CustomerUser(u) => RecordKey::new(RecordKind::CustomerUser, &u.login),
            Record::Agent(a) => RecordKey::new(RecordKind::Agent, &a.login),
            Record::Role(r) => RecordKey::new(RecordKind::Role, &r.name),
            Record::Group(g) => RecordKey::new(RecordKind::Group, &g.name),
            Record::Queue(q) => RecordKey::new(RecordKind::Queue, &q.name),
            Record::Service(s) => RecordKey::new(RecordKind::Service, &s.name),
            Record::State(s) => RecordKey::new(RecordKind::State, &s.name),
            Record::Grant(g) => RecordKey::new(RecordKind::Grant, g.key()),
            Record::Priority(p) => RecordKey::new(RecordKind::Priority, PriorityDef::key_of(p.level)),
            Record::MailAccount(m) => RecordKey::new(RecordKind::MailAccount, &m.name),
            Record::AutoResponse(a) => RecordKey::new(RecordKind::AutoResponse, &a.name),
            Record::Salutation(s) => RecordKey::new(RecordKind::Salutation, &s.name),
            Record::Signature(s) => RecordKey::new(RecordKind::Signature, &s.name),
            Record::Template(t) => RecordKey::new(RecordKind::Template, &t.name),
            Record::Notification(n) => RecordKey::new(RecordKind::Notification, NotificationDef::key_of(n.kind)),
            Record::Calendar(c) => RecordKey::new(RecordKind::Calendar, &c.name),
            Record::Sla(s) => RecordKey::new(RecordKind::Sla, &s.name),
            Record::Webhook(w) => RecordKey::new(RecordKind::Webhook, &w.id),
        }
    }

    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        self.key().kind
    }

    /// Keys a store must index for [`crate::Store::customer_user_by_lookup`] (customer users only).
    pub fn lookup_keys(&self) -> Vec<String> {
        match self {
            Record::CustomerUser(u) => u.lookup_keys(),
            _ => Vec::new(),
        }
    }

    /// Checks the record's fields.
    pub fn validate(&self) -> Result<()> {
        match self {
            Record::Customer(c) => c.validate(),
            Record::CustomerUser(u) => u.validate(),
            Record::Agent(a) => a.validate(),
            Record::Role(r) => r.validate(),
            Record::Group(g) => g.validate(),
            Record::Queue(q) => q.validate(),
            Record::Service(s) => s.validate(),
            Record::State(s) => s.validate(),
            Record::Grant(g) => g.validate(),
            Record::Priority(p) => p.validate(),
            Record::MailAccount(m) => m.validate(),
            Record::AutoResponse(a) => a.validate(),
            Record::Salutation(s) => s.validate(),
            Record::Signature(s) => s.validate(),
            Record::Template(t) => t.validate(),
            Record::Notification(n) => n.validate(),
            Record::Calendar(c) => c.validate(),
            Record::Sla(s) => s.validate(),
            Record::Webhook(w) => w.validate(),
        }
    }
}
