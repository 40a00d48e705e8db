//! The admin-managed directory: customers, customer users, agents, roles, groups, queues, services, states
//! priorities and the grants between them; the texts (auto-responses, salutations, signatures, templates)
//! and notification settings. Everything here is stored as a [`Record`].

mod agent;
mod auto_response;
mod calendar;
mod customer;
mod customer_user;
mod grant;
mod group;
mod locale_choice;
mod localized_text;
mod mail_account;
mod notification;
mod priority_def;
mod queue;
mod record;
mod role;
mod salutation;
mod service;
mod signature;
mod sla;
mod standard_template;
mod state;
mod validate;

pub use agent::Agent;
pub use auto_response::{AutoResponse, AutoResponseKind, QueueAutoResponses};
pub use calendar::{Calendar, Holiday, WeeklyHours, WorkInterval};
pub use customer::Customer;
pub use customer_user::CustomerUser;
pub(crate) use customer_user::email_key as customer_user_email_key;
pub use grant::{Grant, GrantSubject, GrantTarget};
pub(crate) use group::ADMIN_GROUP;
pub use group::Group;
pub(crate) use locale_choice::{normalize_language, normalize_time_zone};
pub use localized_text::{LocalizedText, pick_text};
pub use mail_account::{AfterImport, FirstSync, MailAccount, MailCredential, MailProtocol, MailTls};
pub use notification::{NotificationChannel, NotificationChoice, NotificationDef, NotificationKind};
pub use priority_def::PriorityDef;
pub(crate) use priority_def::complete as complete_priorities;
pub use queue::{FollowUpPolicy, Queue};
pub use record::{Record, RecordKey, RecordKind};
pub use role::Role;
pub use salutation::Salutation;
pub use service::Service;
pub(crate) use service::parent_of as service_parent;
pub use signature::Signature;
pub use sla::{EscalationTargets, QueueEscalation, Sla};
pub use standard_template::{StandardTemplate, TemplateKind};
pub(crate) use state::seeded as seeded_states;
pub use state::{StateDef, StateType};
pub use validate::validate_name;
