//! The names of the default ticket states and priorities in the reader's language, as OTRS shows its
//! shipped ones translated. The stored names stay what forms send and the API returns; a state or
//! priority an admin added or renamed is shown as stored, since no translation can know it.

use chamado::{AuthResult, ChannelKind, SenderAuth, SenderType, StateType};
use chamado_i18n::{Tr, key};

/// The key of a default state's name, `None` for any other state.
fn state_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "new" => key("page-state-new"),
        "open" => key("page-state-open"),
        "closed successful" => key("page-state-closed-successful"),
        "closed unsuccessful" => key("page-state-closed-unsuccessful"),
        "pending reminder" => key("page-state-pending-reminder"),
        "pending auto close+" => key("page-state-pending-auto-close-plus"),
        "pending auto close-" => key("page-state-pending-auto-close-minus"),
        "merged" => key("page-state-merged"),
        "removed" => key("page-state-removed"),
        _ => return None,
    })
}

/// The key of a default priority's name, `None` for any other.
fn priority_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "1 very low" => key("page-priority-very-low"),
        "2 low" => key("page-priority-low"),
        "3 normal" => key("page-priority-normal"),
        "4 high" => key("page-priority-high"),
        "5 very high" => key("page-priority-very-high"),
        _ => return None,
    })
}

/// State `name` as `tr`'s reader reads it: a default state translated, any other as stored.
pub fn state(tr: &Tr, name: &str) -> String {
    state_key(name).map(|k| tr.t(k)).unwrap_or_else(|| name.to_string())
}

/// Priority `name` as `tr`'s reader reads it: a default priority translated, any other as stored.
pub fn priority(tr: &Tr, name: &str) -> String {
    priority_key(name).map(|k| tr.t(k)).unwrap_or_else(|| name.to_string())
}

/// A state type (what rules work on) in `tr`'s language.
pub fn state_type(tr: &Tr, t: &StateType) -> String {
    tr.t(match t {
        StateType::New => key("page-state-type-new"),
        StateType::Open => key("page-state-type-open"),
        StateType::PendingReminder => key("page-state-type-pending-reminder"),
        StateType::PendingAuto => key("page-state-type-pending-auto"),
        StateType::Closed => key("page-state-type-closed"),
        StateType::Merged => key("page-state-type-merged"),
        StateType::Removed => key("page-state-type-removed"),
    })
}

/// Who wrote an article (customer, agent, system) in `tr`'s language.
pub fn sender(tr: &Tr, s: &SenderType) -> String {
    tr.t(match s {
        SenderType::Customer => key("page-sender-customer"),
        SenderType::Agent => key("page-sender-agent"),
        SenderType::System => key("page-sender-system"),
    })
}

/// A channel (email, web, phone, chat, internal) in `tr`'s language.
pub fn channel(tr: &Tr, c: &ChannelKind) -> String {
    tr.t(match c {
        ChannelKind::Email => key("page-channel-email"),
        ChannelKind::Web => key("page-channel-web"),
        ChannelKind::Phone => key("page-channel-phone"),
        ChannelKind::Chat => key("page-channel-chat"),
        ChannelKind::Internal => key("page-channel-internal"),
    })
}

/// What the channel verified about a mail's sender, as [`SenderAuth::summary`] says it in English:
/// the protocol names and results (`DMARC pass`, `SPF none`) are the standards' own words, the
/// sentence around them is translated.
pub fn sender_auth(tr: &Tr, v: &SenderAuth) -> String {
    let mut detail = format!("DMARC {}, SPF {}, DKIM {}", v.dmarc.as_str(), v.spf.as_str(), v.dkim.as_str());
    if v.arc != AuthResult::None {
        detail.push_str(&format!(", ARC {}", v.arc.as_str()));
    }
    match (v.authenticated(), v.dmarc) {
        (true, AuthResult::Pass) => "DMARC pass".to_string(),
        (true, _) => tr.t1("page-sender-authenticated", "detail", detail),
        (false, _) => tr.t1("page-sender-unauthenticated", "detail", detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_i18n::Language;

    #[test]
    fn default_names_are_translated_and_others_shown_as_stored() {
        let pt = Tr::new(Language::parse("pt-BR").unwrap_or_else(Language::english));
        let en = Tr::new(Language::english());
        assert_eq!(state(&pt, "closed successful"), "fechado com êxito");
        assert_eq!(state(&en, "closed successful"), "closed successful");
        assert_eq!(state(&pt, "waiting for parts"), "waiting for parts");
        assert_eq!(priority(&pt, "5 very high"), "5 muito alto");
        assert_eq!(priority(&en, "3 normal"), "3 normal");
        assert_eq!(priority(&pt, "9 custom"), "9 custom");
        assert_eq!(state_type(&pt, &StateType::PendingAuto), "pendente automático");
    }
}
