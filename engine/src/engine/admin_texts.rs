//! The sentences the directory-editing rules answer with, in one place, as translatable messages.

use chamado_i18n::{Message, key};

use crate::directory::RecordKind;

/// The message key of what a record kind is called in a sentence.
pub(super) fn noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Customer => key("error-noun-customer"),
        RecordKind::CustomerUser => key("error-noun-customer-user"),
        RecordKind::Agent => key("error-noun-agent"),
        RecordKind::Role => key("error-noun-role"),
        RecordKind::Group => key("error-noun-group"),
        RecordKind::Queue => key("error-noun-queue"),
        RecordKind::Service => key("error-noun-service"),
        RecordKind::State => key("error-noun-state"),
        RecordKind::Grant => key("error-noun-grant"),
        RecordKind::Priority => key("error-noun-priority"),
        RecordKind::MailAccount => key("error-noun-mail-account"),
        RecordKind::AutoResponse => key("error-noun-auto-response"),
        RecordKind::Salutation => key("error-noun-salutation"),
        RecordKind::Signature => key("error-noun-signature"),
        RecordKind::Template => key("error-noun-template"),
        RecordKind::Notification => key("error-noun-notification"),
        RecordKind::Calendar => key("error-noun-calendar"),
        RecordKind::Sla => key("error-noun-sla"),
        RecordKind::Webhook => key("error-noun-webhook"),
    }
}

/// The message key of a record kind's name as a field ([`crate::directory::validate_name`]).
pub(super) fn name_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Customer => key("error-field-customer-name"),
        RecordKind::CustomerUser => key("error-field-customer-user-name"),
        RecordKind::Agent => key("error-field-agent-name"),
        RecordKind::Role => key("error-field-role-name"),
        RecordKind::Group => key("error-field-group-name"),
        RecordKind::Queue => key("error-field-queue-name"),
        RecordKind::Service => key("error-field-service-name"),
        RecordKind::State => key("error-field-state-name"),
        RecordKind::Grant => key("error-field-grant-name"),
        RecordKind::Priority => key("error-field-priority-name"),
        RecordKind::MailAccount => key("error-field-mail-account-name"),
        RecordKind::AutoResponse => key("error-field-auto-response-name"),
        RecordKind::Salutation => key("error-field-salutation-name"),
        RecordKind::Signature => key("error-field-signature-name"),
        RecordKind::Template => key("error-field-template-name"),
        RecordKind::Notification => key("error-field-notification-name"),
        RecordKind::Calendar => key("error-field-calendar-name"),
        RecordKind::Sla => key("error-field-sla-name"),
        RecordKind::Webhook => key("error-field-webhook-name"),
    }
}

/// Names are quoted as Rust debug strings, as the English texts always were.
fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// A [`crate::Error::NotFound`]'s complete sentence: `queue "x" not found`.
pub(super) fn missing(kind: RecordKind, name: &str) -> Message {
    Message::new("error-record-not-found").arg_key("noun", noun(kind)).arg("name", quoted(name))
}

pub(super) fn taken(kind: RecordKind, name: &str) -> Message {
    Message::new("error-record-taken").arg_key("noun", noun(kind)).arg("name", quoted(name))
}

pub(super) fn same_name(kind: RecordKind, name: &str) -> Message {
    Message::new("error-record-same-name").arg_key("noun", noun(kind)).arg("name", quoted(name))
}

pub(super) fn admin_group_fixed(group: &str) -> Message {
    Message::new("error-admin-group-fixed").arg("group", quoted(group))
}

pub(super) fn state_type_fixed(state: &str, from: &str, to: &str) -> Message {
    Message::new("error-state-type-fixed").arg("state", quoted(state)).arg("from", from).arg("to", to)
}

pub(super) fn state_still_next(state: &str, of: &str) -> Message {
    Message::new("error-state-still-next").arg("state", quoted(state)).arg("of", quoted(of))
}

pub(super) fn next_state_invalid(next: &str, of: &str) -> Message {
    Message::new("error-next-state-invalid").arg("next", quoted(next)).arg("of", quoted(of))
}

pub(super) fn default_priority_fixed(name: &str) -> Message {
    Message::new("error-default-priority-fixed").arg("name", quoted(name))
}

pub(super) fn priority_name_taken(name: &str, level: u8) -> Message {
    Message::new("error-priority-name-taken").arg("name", quoted(name)).arg("level", level)
}

pub(super) fn priority_invalid(name: &str) -> Message {
    Message::new("error-priority-invalid").arg("name", quoted(name))
}

/// A [`crate::Error::NotFound`]'s complete sentence.
pub(super) fn priority_unknown(text: &str) -> Message {
    Message::new("error-priority-unknown").arg("text", quoted(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_i18n::{Language, Tr};

    fn pt() -> Tr {
        Tr::new(Language::parse("pt-BR").unwrap())
    }

    #[test]
    fn the_english_is_what_the_api_always_said() {
        assert_eq!(missing(RecordKind::CustomerUser, "bob").english(), "customer user \"bob\" not found");
        assert_eq!(taken(RecordKind::Queue, "Sales").english(), "queue \"Sales\" already exists; choose another name");
        assert_eq!(same_name(RecordKind::Role, "x").english(), "role \"x\" already has that name");
        assert_eq!(
            admin_group_fixed("admin").english(),
            "group \"admin\" makes agents admins (rw on it); it cannot be renamed nor made invalid"
        );
        assert_eq!(
            state_type_fixed("done", "closed", "open").english(),
            "state \"done\" is of type closed, and tickets keep that type for their indexes; it cannot become open: \
             add a state of type open and invalidate this one"
        );
        assert_eq!(priority_name_taken("urgent", 5).english(), "priority name \"urgent\" is already level 5's");
    }

    #[test]
    fn the_noun_follows_the_readers_language() {
        assert_eq!(taken(RecordKind::Queue, "Vendas").render(&pt()), "Já existe fila \"Vendas\"; escolha outro nome");
        assert_eq!(missing(RecordKind::CustomerUser, "bob").render(&pt()), "Não existe usuário cliente \"bob\"");
    }
}
