//! Groups, services, roles, queues, states and priorities: the named entries an admin sets up, the
//! changes an admin makes to them, and the per-service view.

use crate::customers::set;
use crate::slas::QueueEscalationBody;
use chamado::{
    Admin, AutoResponseKind, FollowUpPolicy, Group, Priority, PriorityDef, Queue, QueueAutoResponses, RecordKind, Role,
    Service, ServiceHolders, StateDef, StateType,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A named directory entry: a group, a service (`Parent::Child`) or a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

/// A service to add: a [`NamedBody`] whose name is `Parent::Child` with no blank part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBody {
    /// Name, unique; `Parent::Child` under an existing parent.
    #[schema(schema_with = crate::rules::service_name)]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

impl From<ServiceBody> for NamedBody {
    fn from(s: ServiceBody) -> Self {
        NamedBody { name: s.name, comment: s.comment, valid: s.valid }
    }
}

/// Named entries found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NamedList {
    /// In name order.
    pub items: Vec<NamedBody>,
}

macro_rules! named_conversions {
    ($($ty:ident),*) => {$(
        impl From<$ty> for NamedBody {
            fn from(x: $ty) -> Self {
                NamedBody { name: x.name, comment: x.comment, valid: x.valid }
            }
        }

        impl From<NamedBody> for $ty {
            fn from(b: NamedBody) -> Self {
                $ty { name: b.name, comment: b.comment, valid: b.valid }
            }
        }
    )*};
}

named_conversions!(Group, Role, Service);

/// Changes to a group or a role; unset fields stay. A new `name` renames it, and every queue and grant
/// follows (group `admin` keeps its name and stays valid).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenamablePatch {
    /// The new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub name: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not: an invalid group or role grants nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

/// Changes to a service; unset fields stay. Tickets carry a service's name, so it keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicePatch {
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not: an invalid service, and every service below it, cannot be chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl RenamablePatch {
    /// Applies comment and validity to `b`; the rename is the engine's (it moves references).
    pub fn apply(&self, b: &mut NamedBody) {
        set(&mut b.comment, &self.comment);
        if let Some(v) = self.valid {
            b.valid = v;
        }
    }
}

/// Changes a group or a role (`kind`) through the engine: the rename first, so queues and grants
/// follow, then comment and validity. Answers the changed entry.
pub async fn patch_renamable(
    admin: &Admin<'_>,
    kind: RecordKind,
    mut current: NamedBody,
    p: &RenamablePatch,
) -> chamado::Result<NamedBody> {
    if let Some(new) = p.name.as_deref().filter(|n| *n != current.name) {
        match kind {
            RecordKind::Group => admin.rename_group(&current.name, new).await?,
            _ => admin.rename_role(&current.name, new).await?,
        }
        current.name = new.to_string();
    }
    p.apply(&mut current);
    match kind {
        RecordKind::Group => admin.put_group(Group::from(current.clone())).await?,
        _ => admin.put_role(Role::from(current.clone())).await?,
    }
    Ok(current)
}

impl ServicePatch {
    /// Applies the set fields to `b`.
    pub fn apply(&self, b: &mut NamedBody) {
        set(&mut b.comment, &self.comment);
        if let Some(v) = self.valid {
            b.valid = v;
        }
    }
}

/// What happens when a customer writes to a closed ticket of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// The ticket is reopened.
    #[default]
    Possible,
    /// The follow-up is refused.
    Reject,
    /// A new ticket is opened and linked to the closed one.
    NewTicket,
}

impl From<FollowUp> for FollowUpPolicy {
    fn from(f: FollowUp) -> Self {
        match f {
            FollowUp::Possible => FollowUpPolicy::Possible,
            FollowUp::Reject => FollowUpPolicy::Reject,
            FollowUp::NewTicket => FollowUpPolicy::NewTicket,
        }
    }
}

impl From<FollowUpPolicy> for FollowUp {
    fn from(f: FollowUpPolicy) -> Self {
        match f {
            FollowUpPolicy::Possible => FollowUp::Possible,
            FollowUpPolicy::Reject => FollowUp::Reject,
            FollowUpPolicy::NewTicket => FollowUp::NewTicket,
        }
    }
}

impl std::fmt::Display for FollowUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(FollowUpPolicy::from(*self).as_str())
    }
}

impl std::str::FromStr for FollowUp {
    type Err = chamado::Error;
    fn from_str(s: &str) -> chamado::Result<Self> {
        s.parse::<FollowUpPolicy>().map(FollowUp::from)
    }
}

/// The auto-response a queue sends for each of the four occasions: an auto-response's name (of that
/// kind), or `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueAutoResponsesBody {
    /// For a new ticket (`reply`); `null` sends the shipped, translated answer.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reply: Option<String>,
    /// For a refused follow-up (`reject`); `null` sends nothing.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reject: Option<String>,
    /// For a follow-up taken into its ticket (`follow_up`); `null` sends nothing.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub follow_up: Option<String>,
    /// For a follow-up that opened a new ticket (`reply_new_ticket`); `null` sends nothing.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reply_new_ticket: Option<String>,
}

impl From<QueueAutoResponses> for QueueAutoResponsesBody {
    fn from(a: QueueAutoResponses) -> Self {
        QueueAutoResponsesBody {
            reply: a.reply,
            reject: a.reject,
            follow_up: a.follow_up,
            reply_new_ticket: a.reply_new_ticket,
        }
    }
}

impl From<QueueAutoResponsesBody> for QueueAutoResponses {
    fn from(a: QueueAutoResponsesBody) -> Self {
        QueueAutoResponses {
            reply: a.reply,
            reject: a.reject,
            follow_up: a.follow_up,
            reply_new_ticket: a.reply_new_ticket,
        }
    }
}

/// Changes to a queue's auto-responses: a name sets one, `null` removes it, absent leaves it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueAutoResponsesPatch {
    /// For a new ticket (`null`: the shipped answer).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reply: Option<Option<String>>,
    /// For a refused follow-up (`null`: nothing).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reject: Option<Option<String>>,
    /// For a follow-up taken (`null`: nothing).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub follow_up: Option<Option<String>>,
    /// For a follow-up that opened a new ticket (`null`: nothing).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub reply_new_ticket: Option<Option<String>>,
}

impl QueueAutoResponsesPatch {
    /// Applies the given entries to `a`.
    pub fn apply(&self, a: &mut QueueAutoResponses) {
        let entries = [
            (AutoResponseKind::Reply, &self.reply),
            (AutoResponseKind::Reject, &self.reject),
            (AutoResponseKind::FollowUp, &self.follow_up),
            (AutoResponseKind::ReplyNewTicket, &self.reply_new_ticket),
        ];
        for (kind, entry) in entries {
            if let Some(name) = entry {
                a.set(kind, name.clone());
            }
        }
    }
}

/// A whole number of minutes (0 to 4294967295).
pub fn minutes() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::Integer)
        .minimum(Some(0))
        .maximum(Some(u32::MAX))
        .build()
}

/// [`minutes`], or `null` for "unchanged".
pub fn minutes_or_null() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::Integer,
            utoipa::openapi::Type::Null,
        ]))
        .minimum(Some(0))
        .maximum(Some(u32::MAX))
        .build()
}

/// A queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// The group whose permissions govern it.
    #[schema(schema_with = crate::rules::name)]
    pub group: String,
    /// Follow-ups on closed tickets.
    #[serde(default)]
    pub follow_up: FollowUp,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Valid or not: an invalid queue takes no new tickets; its tickets stay.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// The auto-responses it sends (existing ones, each of its kind); absent is none assigned.
    #[serde(default, deserialize_with = "crate::object::one")]
    pub auto_responses: QueueAutoResponsesBody,
    /// The salutation put above agent replies (an existing one), or `null`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub salutation: Option<String>,
    /// The signature put below agent replies (an existing one), or `null`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub signature: Option<String>,
    /// Minutes after which a locked ticket whose owner has not answered is unlocked; 0 (the default)
    /// never.
    #[serde(default, deserialize_with = "crate::mail_accounts::whole::count")]
    #[schema(schema_with = minutes)]
    pub unlock_timeout_minutes: u32,
    /// The calendar and fallback targets of its tickets without an SLA; absent: no clock runs.
    #[serde(default, deserialize_with = "crate::object::one")]
    pub escalation: QueueEscalationBody,
}

impl From<Queue> for QueueBody {
    fn from(q: Queue) -> Self {
        QueueBody {
            name: q.name,
            group: q.group,
            follow_up: q.follow_up.into(),
            comment: q.comment,
            valid: q.valid,
            auto_responses: q.auto_responses.into(),
            salutation: q.salutation,
            signature: q.signature,
            unlock_timeout_minutes: q.unlock_timeout_minutes,
            escalation: q.escalation.into(),
        }
    }
}

impl From<QueueBody> for Queue {
    fn from(b: QueueBody) -> Self {
        Queue {
            name: b.name,
            group: b.group,
            follow_up: b.follow_up.into(),
            comment: b.comment,
            valid: b.valid,
            auto_responses: b.auto_responses.into(),
            salutation: b.salutation,
            signature: b.signature,
            unlock_timeout_minutes: b.unlock_timeout_minutes,
            escalation: b.escalation.into(),
        }
    }
}

/// Changes to a queue; unset fields stay. Tickets carry a queue's name, so it keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueuePatch {
    /// The group whose permissions govern it (an existing group).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub group: Option<String>,
    /// Follow-ups on closed tickets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// The auto-responses it sends: each entry given is set (`null` removes it), the others stay.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::object::optional")]
    pub auto_responses: Option<QueueAutoResponsesPatch>,
    /// The salutation (an existing one); `null` removes it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub salutation: Option<Option<String>>,
    /// The signature (an existing one); `null` removes it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub signature: Option<Option<String>>,
    /// Minutes after which a locked ticket whose owner has not answered is unlocked; 0 never.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::mail_accounts::whole::count_or_null"
    )]
    #[schema(schema_with = minutes_or_null)]
    pub unlock_timeout_minutes: Option<u32>,
    /// The calendar and fallback targets of its tickets without an SLA, replaced whole (fields left
    /// out take their defaults).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::object::optional")]
    pub escalation: Option<QueueEscalationBody>,
}

impl QueuePatch {
    /// Applies the set fields to `q`.
    pub fn apply(&self, q: &mut Queue) {
        set(&mut q.group, &self.group);
        set(&mut q.comment, &self.comment);
        if let Some(f) = self.follow_up {
            q.follow_up = f.into();
        }
        if let Some(v) = self.valid {
            q.valid = v;
        }
        if let Some(a) = &self.auto_responses {
            a.apply(&mut q.auto_responses);
        }
        if let Some(s) = &self.salutation {
            q.salutation.clone_from(s);
        }
        if let Some(s) = &self.signature {
            q.signature.clone_from(s);
        }
        if let Some(m) = self.unlock_timeout_minutes {
            q.unlock_timeout_minutes = m;
        }
        if let Some(e) = &self.escalation {
            q.escalation = e.clone().into();
        }
    }
}

/// Queues found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueList {
    /// In name order.
    pub items: Vec<QueueBody>,
}

/// The type of a ticket state: the rules work on types, admins name the states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    /// Not yet worked on.
    New,
    /// Being worked on.
    Open,
    /// Waiting; a reminder fires when due.
    PendingReminder,
    /// Waiting; closes by itself when due (needs `next_state`).
    PendingAuto,
    /// Done.
    Closed,
    /// Merged into another ticket.
    Merged,
    /// Removed.
    Removed,
}

impl From<StateKind> for StateType {
    fn from(k: StateKind) -> Self {
        match k {
            StateKind::New => StateType::New,
            StateKind::Open => StateType::Open,
            StateKind::PendingReminder => StateType::PendingReminder,
            StateKind::PendingAuto => StateType::PendingAuto,
            StateKind::Closed => StateType::Closed,
            StateKind::Merged => StateType::Merged,
            StateKind::Removed => StateType::Removed,
        }
    }
}

impl From<StateType> for StateKind {
    fn from(t: StateType) -> Self {
        match t {
            StateType::New => StateKind::New,
            StateType::Open => StateKind::Open,
            StateType::PendingReminder => StateKind::PendingReminder,
            StateType::PendingAuto => StateKind::PendingAuto,
            StateType::Closed => StateKind::Closed,
            StateType::Merged => StateKind::Merged,
            StateType::Removed => StateKind::Removed,
        }
    }
}

impl std::fmt::Display for StateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(StateType::from(*self).as_str())
    }
}

impl std::str::FromStr for StateKind {
    type Err = chamado::Error;
    fn from_str(s: &str) -> chamado::Result<Self> {
        s.parse::<StateType>().map(StateKind::from)
    }
}

/// A ticket state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// Name, unique.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// Its type; fixed once the state exists (tickets keep it).
    pub state_type: StateKind,
    /// For `pending_auto` states: the valid state the ticket goes to when due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub next_state: Option<String>,
    /// Valid or not: an invalid state cannot be set. The states the engine sets on its own, and those
    /// a valid pending state closes into, stay valid.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

impl From<StateDef> for StateBody {
    fn from(s: StateDef) -> Self {
        StateBody { name: s.name, state_type: s.state_type.into(), next_state: s.next_state, valid: s.valid }
    }
}

impl From<StateBody> for StateDef {
    fn from(b: StateBody) -> Self {
        StateDef { name: b.name, state_type: b.state_type.into(), next_state: b.next_state, valid: b.valid }
    }
}

/// Changes to a state; unset fields stay. Its name and type stay: tickets carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatePatch {
    /// For `pending_auto` states: the valid state the ticket goes to when due.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub next_state: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl StatePatch {
    /// Applies the set fields to `s`.
    pub fn apply(&self, s: &mut StateDef) {
        if let Some(n) = &self.next_state {
            s.next_state = Some(n.clone());
        }
        if let Some(v) = self.valid {
            s.valid = v;
        }
    }
}

/// States found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StateList {
    /// In name order.
    pub items: Vec<StateBody>,
}

/// A priority: tickets keep its level, and show its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriorityBody {
    /// 1 (lowest) to 5 (highest).
    #[serde(deserialize_with = "crate::mail_accounts::whole::percent")]
    #[schema(minimum = 1, maximum = 5)]
    pub level: u8,
    /// Name, unique among priorities.
    #[schema(schema_with = crate::rules::priority_name)]
    pub name: String,
    /// Free text.
    pub comment: String,
    /// Valid or not: an invalid priority cannot be set on a ticket (level 3, the default, stays valid).
    pub valid: bool,
}

impl From<PriorityDef> for PriorityBody {
    fn from(p: PriorityDef) -> Self {
        PriorityBody { level: p.level.level(), name: p.name, comment: p.comment, valid: p.valid }
    }
}

impl TryFrom<PriorityBody> for PriorityDef {
    type Error = chamado::Error;
    fn try_from(b: PriorityBody) -> chamado::Result<Self> {
        Ok(PriorityDef { level: Priority::new(b.level)?, name: b.name, comment: b.comment, valid: b.valid })
    }
}

/// Changes to a priority; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityPatch {
    /// The new name (not another level's number).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::priority_name_or_null)]
    pub name: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl PriorityPatch {
    /// Applies the set fields to `p`.
    pub fn apply(&self, p: &mut PriorityDef) {
        set(&mut p.name, &self.name);
        set(&mut p.comment, &self.comment);
        if let Some(v) = self.valid {
            p.valid = v;
        }
    }
}

/// The five priorities.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PriorityList {
    /// Lowest first.
    pub items: Vec<PriorityBody>,
}

/// Who has a service: the per-service view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ServiceHoldersBody {
    /// The service.
    pub service: NamedBody,
    /// The service and all its parents are valid, so the grants count.
    pub usable: bool,
    /// A default service: every customer user has it.
    pub default: bool,
    /// The customer users granted it directly, by login.
    pub customer_users: Vec<String>,
    /// The customers (CustomerIDs) some of whose users are granted it directly.
    pub customers: Vec<String>,
}

impl From<ServiceHolders> for ServiceHoldersBody {
    fn from(h: ServiceHolders) -> Self {
        ServiceHoldersBody {
            service: h.service.into(),
            usable: h.usable,
            default: h.default,
            customer_users: h.customer_users,
            customers: h.customers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_patch_changes_only_what_it_names() {
        let mut q = Queue::new("Raw", "users", FollowUpPolicy::Possible);
        q.comment = "inbox".into();
        QueuePatch { follow_up: Some(FollowUp::NewTicket), valid: Some(false), ..Default::default() }.apply(&mut q);
        assert_eq!(q.follow_up, FollowUpPolicy::NewTicket);
        assert!(!q.valid);
        assert_eq!((q.group.as_str(), q.comment.as_str()), ("users", "inbox"));
    }

    #[test]
    fn a_queue_keeps_its_texts_through_the_body_and_a_patch_changes_only_what_it_names() {
        let mut q = Queue::new("Raw", "users", FollowUpPolicy::Possible);
        q.auto_responses.reject = Some("refused".into());
        q.salutation = Some("dear".into());
        q.signature = Some("team".into());
        q.unlock_timeout_minutes = 30;
        q.escalation.calendar = Some("BR".into());
        q.escalation.targets.solution_minutes = 480;
        assert_eq!(Queue::from(QueueBody::from(q.clone())), q, "nothing is lost on the way through the API");

        let p: QueuePatch = serde_json::from_str(
            r#"{"auto_responses":{"reply":"hello"},"signature":null,"unlock_timeout_minutes":5.0}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        p.apply(&mut q);
        assert_eq!(
            (q.auto_responses.reply.as_deref(), q.auto_responses.reject.as_deref()),
            (Some("hello"), Some("refused"))
        );
        assert_eq!(
            (q.salutation.as_deref(), q.signature.as_deref(), q.unlock_timeout_minutes),
            (Some("dear"), None, 5)
        );

        for bad in [
            r#"{"auto_responses":[null,null]}"#,
            r#"{"unlock_timeout_minutes":-1}"#,
            r#"{"unlock_timeout_minutes":1.5}"#,
        ] {
            assert!(serde_json::from_str::<QueuePatch>(bad).is_err(), "{bad}");
        }
        let body = r#"{"name":"Raw","group":"users","auto_responses":["a","b","c","d"]}"#;
        assert!(serde_json::from_str::<QueueBody>(body).is_err());
    }

    #[test]
    fn policies_and_state_types_read_as_the_engine_spells_them() {
        let q: QueueBody = serde_json::from_str(r#"{"name":"Raw","group":"users","follow_up":"new_ticket"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.follow_up, FollowUp::NewTicket);
        assert!(serde_json::from_str::<QueueBody>(r#"{"name":"Raw","group":"users","follow_up":""}"#).is_err());
        for t in StateType::ALL {
            assert_eq!(StateKind::from(t).to_string(), t.as_str());
            let json = serde_json::to_string(&StateKind::from(t)).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn a_priority_body_out_of_range_is_refused() {
        let b = PriorityBody { level: 6, name: "x".into(), comment: String::new(), valid: true };
        assert!(PriorityDef::try_from(b).is_err());
    }
}
