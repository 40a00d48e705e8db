//! Directory records an import sends: a tagged union of the admin bodies, agents and customer users
//! with the password hash the old system stored, and grants with named sides.

use super::{PASSWORD_HASH_MAX, closed};
use crate::customers::CustomerBody;
use crate::directory::{NamedBody, PriorityBody, QueueBody, ServiceBody, StateBody};
use crate::slas::{CalendarBody, SlaBody};
use chamado::{Agent, CustomerUser, Error, Grant, GrantSubject, GrantTarget, Permission, PermissionSet, Record};
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};

/// A password hash: no control characters.
const HASH_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]+$";

/// An agent as the old system had it, with the password hash it stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportAgent {
    /// Login, unique.
    #[schema(schema_with = crate::rules::name)]
    pub login: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// The password hash as the old system stored it (bcrypt, SHA-2, ...; login verifies those
    /// formats and stores the password again as Argon2id); `null`: none. A password set here since
    /// the last import stays until the old system's changes.
    #[serde(default)]
    #[schema(schema_with = password_hash_or_null)]
    pub password_hash: Option<String>,
    /// The agent's language (`pt-BR`), or `null`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<String>,
    /// The agent's time zone (`America/Sao_Paulo`), or `null`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::time_zone_or_null)]
    pub time_zone: Option<String>,
}

/// A customer user as the old system had it, with the password hash it stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportCustomerUser {
    /// Login, unique.
    #[schema(schema_with = crate::rules::name)]
    pub login: String,
    /// Email address.
    #[serde(default)]
    #[schema(schema_with = crate::rules::email)]
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
    /// The primary customer (CustomerID).
    #[serde(default)]
    pub customer_id: String,
    /// Further customers the user belongs to.
    #[serde(default)]
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// The password hash as the old system stored it; `null`: none.
    #[serde(default)]
    #[schema(schema_with = password_hash_or_null)]
    pub password_hash: Option<String>,
    /// The user's language (`pt-BR`), or `null`.
    #[serde(default)]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<String>,
}

/// One side of a grant: `{"type": "agent", "name": "maria"}`; every customer user is
/// `{"type": "default_customer_users"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantPartyBody {
    /// `customer_user`, `customer`, `default_customer_users`, `agent` or `role` for a subject;
    /// `group`, `service` or `role` for a target.
    #[serde(rename = "type")]
    pub kind: String,
    /// The subject's or target's name (none for `default_customer_users`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A grant: a subject's permissions on a group, a customer side's service, an agent's role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportGrant {
    /// Who holds it.
    #[schema(schema_with = grant_subject)]
    pub subject: GrantPartyBody,
    /// On what.
    #[schema(schema_with = grant_target)]
    pub target: GrantPartyBody,
    /// On a group: the permissions (customers hold `ro` and `rw` only; none revokes the grant).
    /// Services and roles take none.
    #[serde(default)]
    #[schema(schema_with = crate::rules::permissions)]
    pub permissions: Vec<String>,
}

/// One directory record, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportRecordIn {
    /// A customer (company).
    Customer(CustomerBody),
    /// A customer user.
    CustomerUser(ImportCustomerUser),
    /// An agent.
    Agent(ImportAgent),
    /// A role.
    Role(NamedBody),
    /// A group.
    Group(NamedBody),
    /// A queue.
    Queue(QueueBody),
    /// A service (`Parent::Child` under an existing parent).
    Service(ServiceBody),
    /// A ticket state.
    State(StateBody),
    /// A priority.
    Priority(PriorityBody),
    /// A business-hours calendar.
    Calendar(CalendarBody),
    /// An SLA.
    Sla(SlaBody),
    /// A grant.
    Grant(ImportGrant),
}

impl ImportRecordIn {
    /// The record's kind as the body names it.
    pub fn kind(&self) -> &'static str {
        match self {
            ImportRecordIn::Customer(_) => "customer",
            ImportRecordIn::CustomerUser(_) => "customer_user",
            ImportRecordIn::Agent(_) => "agent",
            ImportRecordIn::Role(_) => "role",
            ImportRecordIn::Group(_) => "group",
            ImportRecordIn::Queue(_) => "queue",
            ImportRecordIn::Service(_) => "service",
            ImportRecordIn::State(_) => "state",
            ImportRecordIn::Priority(_) => "priority",
            ImportRecordIn::Calendar(_) => "calendar",
            ImportRecordIn::Sla(_) => "sla",
            ImportRecordIn::Grant(_) => "grant",
        }
    }

    /// The body of an engine record; `None` for kinds an import does not bring (mail accounts,
    /// texts, notifications, webhooks).
    pub fn from_record(record: Record) -> Option<Self> {
        Some(match record {
            Record::Customer(c) => ImportRecordIn::Customer(c.into()),
            Record::CustomerUser(u) => ImportRecordIn::CustomerUser(ImportCustomerUser {
                login: u.login,
                email: u.email,
                first_name: u.first_name,
                last_name: u.last_name,
                phone: u.phone,
                customer_id: u.customer_id,
                extra_customer_ids: u.extra_customer_ids,
                valid: u.valid,
                password_hash: u.password_hash,
                language: u.language,
            }),
            // Tokens, chat links, notification choices and "my queues" are chamado's own: the server
            // keeps what it has.
            Record::Agent(a) => ImportRecordIn::Agent(ImportAgent {
                login: a.login,
                first_name: a.first_name,
                last_name: a.last_name,
                email: a.email,
                valid: a.valid,
                password_hash: a.password_hash,
                language: a.language,
                time_zone: a.time_zone,
            }),
            Record::Role(r) => ImportRecordIn::Role(r.into()),
            Record::Group(g) => ImportRecordIn::Group(g.into()),
            Record::Queue(q) => ImportRecordIn::Queue(q.into()),
            Record::Service(s) => {
                ImportRecordIn::Service(ServiceBody { name: s.name, comment: s.comment, valid: s.valid })
            }
            Record::State(s) => ImportRecordIn::State(s.into()),
            Record::Priority(p) => ImportRecordIn::Priority(p.into()),
            Record::Calendar(c) => ImportRecordIn::Calendar(c.into()),
            Record::Sla(s) => ImportRecordIn::Sla(s.into()),
            Record::Grant(g) => ImportRecordIn::Grant(ImportGrant::from(g)),
            _ => return None,
        })
    }

    /// The engine's record, after the checks the admin endpoints make on the same bodies (exact
    /// language and time zone spellings, a calendar's zone, hours and holidays, a priority's level,
    /// a grant's sides and permission names); the engine checks the rest when it writes it.
    pub fn into_record(self) -> Result<Record, Error> {
        Ok(match self {
            ImportRecordIn::Customer(c) => Record::Customer(c.into()),
            ImportRecordIn::CustomerUser(b) => {
                crate::locale::check_language(b.language.as_deref())?;
                check_hash(b.password_hash.as_deref())?;
                let mut u = CustomerUser::new(b.login, b.email, b.customer_id);
                u.first_name = b.first_name;
                u.last_name = b.last_name;
                u.phone = b.phone;
                u.extra_customer_ids = b.extra_customer_ids;
                u.valid = b.valid;
                u.password_hash = b.password_hash;
                u.language = b.language;
                Record::CustomerUser(u)
            }
            ImportRecordIn::Agent(b) => {
                crate::locale::check_language(b.language.as_deref())?;
                crate::locale::check_time_zone(b.time_zone.as_deref())?;
                check_hash(b.password_hash.as_deref())?;
                let mut a = Agent::new(b.login);
                a.first_name = b.first_name;
                a.last_name = b.last_name;
                a.email = b.email;
                a.valid = b.valid;
                a.password_hash = b.password_hash;
                a.language = b.language;
                a.time_zone = b.time_zone;
                Record::Agent(a)
            }
            ImportRecordIn::Role(r) => Record::Role(r.into()),
            ImportRecordIn::Group(g) => Record::Group(g.into()),
            ImportRecordIn::Queue(q) => Record::Queue(q.into()),
            ImportRecordIn::Service(s) => Record::Service(NamedBody::from(s).into()),
            ImportRecordIn::State(s) => Record::State(s.into()),
            ImportRecordIn::Priority(p) => Record::Priority(p.try_into()?),
            ImportRecordIn::Calendar(c) => Record::Calendar(c.into_record()?),
            ImportRecordIn::Sla(s) => Record::Sla(s.into_record()),
            ImportRecordIn::Grant(g) => Record::Grant(g.into_grant()?),
        })
    }
}

impl From<Grant> for ImportGrant {
    fn from(g: Grant) -> Self {
        let party = |kind: &str, name: Option<String>| GrantPartyBody { kind: kind.to_string(), name };
        let subject = match g.subject {
            GrantSubject::CustomerUser(n) => party("customer_user", Some(n)),
            GrantSubject::Customer(n) => party("customer", Some(n)),
            GrantSubject::DefaultCustomerUsers => party("default_customer_users", None),
            GrantSubject::Agent(n) => party("agent", Some(n)),
            GrantSubject::Role(n) => party("role", Some(n)),
        };
        let target = match g.target {
            GrantTarget::Group(n) => party("group", Some(n)),
            GrantTarget::Service(n) => party("service", Some(n)),
            GrantTarget::Role(n) => party("role", Some(n)),
        };
        ImportGrant { subject, target, permissions: g.permissions.iter().map(|p| p.as_str().to_string()).collect() }
    }
}

impl ImportGrant {
    /// The engine's grant; a side or permission the engine has no name for is refused.
    pub fn into_grant(self) -> Result<Grant, Error> {
        let named = |p: &GrantPartyBody, key: &'static str| -> Result<String, Error> {
            p.name.clone().ok_or_else(|| Error::validation(Message::new(key).arg("type", &p.kind)))
        };
        let subject_name = |p: &GrantPartyBody| named(p, chamado_i18n::key("error-api-import-subject-name"));
        let subject = match self.subject.kind.as_str() {
            "customer_user" => GrantSubject::CustomerUser(subject_name(&self.subject)?),
            "customer" => GrantSubject::Customer(subject_name(&self.subject)?),
            "agent" => GrantSubject::Agent(subject_name(&self.subject)?),
            "role" => GrantSubject::Role(subject_name(&self.subject)?),
            "default_customer_users" if self.subject.name.is_none() => GrantSubject::DefaultCustomerUsers,
            "default_customer_users" => {
                return Err(Error::validation(Message::new("error-api-import-default-name")));
            }
            other => {
                let m = Message::new("error-api-import-subject").arg("type", format!("{other:?}"));
                return Err(Error::validation(m));
            }
        };
        let target_name = |p: &GrantPartyBody| named(p, chamado_i18n::key("error-api-import-target-name"));
        let target = match self.target.kind.as_str() {
            "group" => GrantTarget::Group(target_name(&self.target)?),
            "service" => GrantTarget::Service(target_name(&self.target)?),
            "role" => GrantTarget::Role(target_name(&self.target)?),
            other => {
                let m = Message::new("error-api-import-target").arg("type", format!("{other:?}"));
                return Err(Error::validation(m));
            }
        };
        let mut permissions = PermissionSet::EMPTY;
        for p in &self.permissions {
            permissions.insert(p.parse::<Permission>()?);
        }
        Ok(Grant { subject, target, permissions })
    }
}

/// Refuses a password hash the schema does not describe (empty, too long, control characters).
fn check_hash(hash: Option<&str>) -> Result<(), Error> {
    match hash {
        Some(h) if h.is_empty() || h.chars().count() > PASSWORD_HASH_MAX || h.chars().any(char::is_control) => {
            Err(Error::validation(Message::new("error-api-import-hash").arg("max", PASSWORD_HASH_MAX as u64)))
        }
        _ => Ok(()),
    }
}

fn password_hash_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .min_length(Some(1))
        .max_length(Some(PASSWORD_HASH_MAX))
        .pattern(Some(HASH_PATTERN))
        .build()
}

fn party(types: &[&'static str], name: Option<Object>) -> Object {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("type", closed(types))
        .required("type")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    o = match name {
        Some(n) => o.property("name", n).required("name"),
        None => o.property("name", ObjectBuilder::new().schema_type(Type::Null).build()),
    };
    o.build()
}

/// A grant's subject: a named customer user, customer, agent or role, or every customer user.
fn grant_subject() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(party(&["customer_user", "customer", "agent", "role"], Some(crate::rules::name())))
            .item(party(&["default_customer_users"], None))
            .build(),
    )
}

/// A grant's target: a named group, service or role.
fn grant_target() -> Object {
    party(&["group", "service", "role"], Some(crate::rules::name()))
}

/// The body of `PUT /import/records` as documented: one object per kind, each the admin body of that
/// kind with `kind` added.
impl PartialSchema for ImportRecordIn {
    fn schema() -> RefOr<Schema> {
        let variants: [(&str, RefOr<Schema>); 12] = [
            ("customer", <CustomerBody as PartialSchema>::schema()),
            ("customer_user", <ImportCustomerUser as PartialSchema>::schema()),
            ("agent", <ImportAgent as PartialSchema>::schema()),
            ("role", <NamedBody as PartialSchema>::schema()),
            ("group", <NamedBody as PartialSchema>::schema()),
            ("queue", <QueueBody as PartialSchema>::schema()),
            ("service", <ServiceBody as PartialSchema>::schema()),
            ("state", <StateBody as PartialSchema>::schema()),
            ("priority", <PriorityBody as PartialSchema>::schema()),
            ("calendar", <CalendarBody as PartialSchema>::schema()),
            ("sla", <SlaBody as PartialSchema>::schema()),
            ("grant", <ImportGrant as PartialSchema>::schema()),
        ];
        let mut one_of = OneOfBuilder::new().description(Some(
            "One directory record: `kind` and the fields of the admin body of that kind (agents and customer \
             users with `password_hash`)",
        ));
        for (kind, schema) in variants {
            one_of = one_of.item(tagged(kind, schema));
        }
        RefOr::T(Schema::OneOf(one_of.build()))
    }
}

/// `schema` (an object) with the property `kind` fixed to `kind`, required.
fn tagged(kind: &'static str, schema: RefOr<Schema>) -> RefOr<Schema> {
    let RefOr::T(Schema::Object(mut o)) = schema else { return schema };
    o.properties.insert("kind".to_string(), RefOr::T(Schema::Object(closed(&[kind]))));
    o.required.insert(0, "kind".to_string());
    o.title = Some(kind.to_string());
    RefOr::T(Schema::Object(o))
}

impl ToSchema for ImportRecordIn {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <CustomerBody as ToSchema>::schemas(schemas);
        <QueueBody as ToSchema>::schemas(schemas);
        <StateBody as ToSchema>::schemas(schemas);
        <PriorityBody as ToSchema>::schemas(schemas);
        <CalendarBody as ToSchema>::schemas(schemas);
        <SlaBody as ToSchema>::schemas(schemas);
        <ImportGrant as ToSchema>::schemas(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado::{Calendar, FollowUpPolicy, Queue, Service};
    fn round_trip(r: Record) {
        let body = ImportRecordIn::from_record(r.clone()).unwrap_or_else(|| panic!("{r:?} is importable"));
        let json = serde_json::to_string(&body).unwrap_or_else(|e| panic!("{e}"));
        let back: ImportRecordIn = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(back.into_record().unwrap_or_else(|e| panic!("{e}")), r, "{json}");
    }

    #[test]
    fn records_cross_the_api_unchanged() {
        let mut a = Agent::new("maria");
        a.password_hash = Some("$2a$12$abc".into());
        a.language = Some("pt-BR".into());
        a.email = "maria@example.com".into();
        round_trip(Record::Agent(a));
        let mut u = CustomerUser::new("alice", "alice@acme.example", "acme");
        u.password_hash = Some("2bb80d53".into());
        u.extra_customer_ids = vec!["globex".into()];
        round_trip(Record::CustomerUser(u));
        let mut q = Queue::new("Support", "support", FollowUpPolicy::Reject);
        q.unlock_timeout_minutes = 30;
        round_trip(Record::Queue(q));
        round_trip(Record::Service(Service { name: "IT::Email".into(), comment: String::new(), valid: true }));
        round_trip(Record::Calendar(Calendar { name: "Office".into(), ..Default::default() }));
        round_trip(Record::Grant(Grant::group(
            GrantSubject::Agent("maria".into()),
            "support",
            PermissionSet::of(&[Permission::Ro, Permission::Note]),
        )));
        round_trip(Record::Grant(Grant::service(GrantSubject::DefaultCustomerUsers, "IT")));
        round_trip(Record::Grant(Grant::role_membership("maria", "Helpdesk")));
    }

    #[test]
    fn the_kind_tags_the_body_and_unknown_fields_are_refused() {
        let r: ImportRecordIn =
            serde_json::from_str(r#"{"kind":"group","name":"support"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.kind(), "group");
        for bad in [
            r#"{"kind":"group","name":"support","extra":1}"#,
            r#"{"kind":"mail_account","name":"x"}"#,
            r#"{"name":"support"}"#,
        ] {
            assert!(serde_json::from_str::<ImportRecordIn>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn grant_sides_must_be_named_as_the_schema_says() {
        let g = |json: &str| {
            serde_json::from_str::<ImportGrant>(json)
                .map_err(|e| e.to_string())
                .and_then(|g| g.into_grant().map_err(|e| e.to_string()))
        };
        assert!(g(r#"{"subject":{"type":"agent"},"target":{"type":"group","name":"x"}}"#).is_err());
        assert!(
            g(r#"{"subject":{"type":"default_customer_users","name":"x"},"target":{"type":"group","name":"x"}}"#)
                .is_err()
        );
        assert!(g(r#"{"subject":{"type":"robot","name":"x"},"target":{"type":"group","name":"x"}}"#).is_err());
        assert!(
            g(r#"{"subject":{"type":"agent","name":"a"},"target":{"type":"group","name":"x"},"permissions":["fly"]}"#)
                .is_err()
        );
        assert!(
            g(r#"{"subject":{"type":"default_customer_users","name":null},"target":{"type":"service","name":"x"}}"#)
                .is_ok()
        );
    }

    #[test]
    fn the_record_schema_tags_each_admin_body() {
        let RefOr::T(Schema::OneOf(one_of)) = <ImportRecordIn as PartialSchema>::schema() else { panic!("a oneOf") };
        assert_eq!(one_of.items.len(), 12);
        for item in &one_of.items {
            let RefOr::T(Schema::Object(o)) = item else { panic!("each variant is an object") };
            assert_eq!(o.required.first().map(String::as_str), Some("kind"));
            assert!(o.properties.contains_key("kind"));
        }
    }
}
