//! The sentences the directory-editing rules answer with, in one place so they can be translated.

use crate::directory::RecordKind;

/// What a record kind is called in a sentence.
pub(super) fn noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Customer => "customer",
        RecordKind::CustomerUser => "customer user",
        RecordKind::Agent => "agent",
        RecordKind::Role => "role",
        RecordKind::Group => "group",
        RecordKind::Queue => "queue",
        RecordKind::Service => "service",
        RecordKind::State => "state",
        RecordKind::Grant => "grant",
        RecordKind::Priority => "priority",
    }
}

pub(super) fn missing(kind: RecordKind, name: &str) -> String {
    format!("{} {name:?}", noun(kind))
}

pub(super) fn taken(kind: RecordKind, name: &str) -> String {
    format!("{} {name:?} already exists; choose another name", noun(kind))
}

pub(super) fn same_name(kind: RecordKind, name: &str) -> String {
    format!("{} {name:?} already has that name", noun(kind))
}

pub(super) fn admin_group_fixed(group: &str) -> String {
    format!("group {group:?} makes agents admins (rw on it); it cannot be renamed nor made invalid")
}

pub(super) fn state_type_fixed(state: &str, from: &str, to: &str) -> String {
    format!(
        "state {state:?} is of type {from}, and tickets keep that type for their indexes; it cannot become {to}: \
         add a state of type {to} and invalidate this one"
    )
}

pub(super) fn state_still_next(state: &str, of: &str) -> String {
    format!("state {state:?} is the next state of valid pending state {of:?}; change that one first")
}

pub(super) fn next_state_invalid(next: &str, of: &str) -> String {
    format!("next state {next:?} of {of:?} is invalid; a pending state must close into a valid state")
}

pub(super) fn default_priority_fixed(name: &str) -> String {
    format!("priority {name:?} is the one new tickets get when none is given; it stays valid")
}

pub(super) fn priority_name_taken(name: &str, level: u8) -> String {
    format!("priority name {name:?} is already level {level}'s")
}

pub(super) fn priority_invalid(name: &str) -> String {
    format!("priority {name:?} is invalid and cannot be set")
}

pub(super) fn priority_unknown(text: &str) -> String {
    format!("priority {text:?} is unknown; use 1..5 or a priority's name")
}
