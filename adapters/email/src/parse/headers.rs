//! Sender, recipients, subject, thread ids and the auto-generated flag.

use chamado::Sender;
use mail_parser::{Addr, Address, HeaderValue, Message};

/// Most thread ids kept from In-Reply-To and References (long threads carry hundreds).
const MAX_REFERENCES: usize = 64;

/// Local parts that are machines: their mail is auto-generated (bounces, postmaster notices).
const MACHINE_SENDERS: [&str; 2] = ["mailer-daemon", "postmaster"];

/// The decoded subject, on one line.
pub(super) fn subject(msg: &Message<'_>) -> String {
    msg.subject().map(unfold).unwrap_or_default()
}

/// Control characters (left-over line breaks, tabs) as spaces, the ends trimmed; inner spacing kept.
fn unfold(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// Who sent it: From (else Sender, Return-Path, the envelope), with Reply-To where answers go.
pub(super) fn sender(msg: &Message<'_>, envelope: Option<&str>) -> Option<Sender> {
    let (address, name) = first_mailbox(msg.from())
        .or_else(|| first_mailbox(msg.sender()))
        .or_else(|| msg.return_address().and_then(clean_address).map(|a| (a, None)))
        .or_else(|| envelope.and_then(clean_address).map(|a| (a, None)))?;
    let reply_to = first_mailbox(msg.reply_to()).map(|(a, _)| a).filter(|r| !r.eq_ignore_ascii_case(&address));
    Some(Sender::Email { address, name, reply_to })
}

/// To and Cc as shown: `Name <address>, ...`.
pub(super) fn recipients(msg: &Message<'_>) -> String {
    let mut out: Vec<String> = Vec::new();
    for list in msg.all_to().chain(msg.all_cc()) {
        for addr in list.iter() {
            if let Some(shown) = show(addr) {
                out.push(shown);
            }
        }
    }
    out.join(", ")
}

/// In-Reply-To, then every References id, in `<id>` form, without repeats.
pub(super) fn references(msg: &Message<'_>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for value in [msg.in_reply_to(), msg.references()] {
        for id in id_list(value) {
            if ids.len() < MAX_REFERENCES && !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// A message id in the `<id>` form the engine records (ours are generated that way too).
pub(crate) fn normalize_id(id: &str) -> Option<String> {
    let bare = id.trim().trim_start_matches('<').trim_end_matches('>').trim();
    if bare.is_empty() || bare.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some(format!("<{bare}>"))
}

/// RFC 3834 and common practice: `Auto-Submitted` other than `no`, `Precedence: bulk|junk|list`,
/// `X-Loop`, `List-Id`, `X-Autoreply`/`X-Autorespond`, a mailer-daemon or postmaster sender, a delivery
/// status report.
pub(super) fn is_auto_generated(msg: &Message<'_>) -> bool {
    let raw = |name: &str| msg.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    if raw("Auto-Submitted").is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim() != "no")) {
        return true;
    }
    if raw("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list")) {
        return true;
    }
    if ["X-Loop", "List-Id", "X-Autoreply", "X-Autorespond"].iter().any(|h| msg.header_raw(*h).is_some()) {
        return true;
    }
    let from_machine = first_mailbox(msg.from()).is_some_and(|(a, _)| {
        let local = a.split('@').next().unwrap_or_default().to_ascii_lowercase();
        MACHINE_SENDERS.contains(&local.as_str())
    });
    from_machine || super::is_report(msg)
}

/// The first mailbox of an address header that has an address, with its display name.
fn first_mailbox(list: Option<&Address<'_>>) -> Option<(String, Option<String>)> {
    list?.iter().find_map(|a| {
        let address = a.address().and_then(clean_address)?;
        let name = a.name().map(unfold).map(|n| n.trim_matches(['"', '\'', ' ']).to_string());
        let name = name.filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&address));
        Some((address, name))
    })
}

/// An address without angle brackets and surrounding space; `None` when nothing is left.
fn clean_address(a: &str) -> Option<String> {
    let a = a.trim().trim_start_matches('<').trim_end_matches('>').trim();
    (!a.is_empty() && !a.chars().any(char::is_control)).then(|| a.to_string())
}

/// `Name <address>` or the bare address.
fn show(addr: &Addr<'_>) -> Option<String> {
    let address = addr.address().and_then(clean_address);
    let name = addr.name().map(unfold).filter(|n| !n.is_empty());
    match (name, address) {
        (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
        (None, Some(a)) => Some(a),
        (Some(n), None) => Some(n),
        (None, None) => None,
    }
}

/// The ids of an In-Reply-To or References header.
fn id_list(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => split_ids(t),
        HeaderValue::TextList(list) => list.iter().flat_map(|t| split_ids(t)).collect(),
        _ => Vec::new(),
    }
}

/// One header text may still hold several ids (`<a> <b>`) when mail-parser kept it unstructured.
fn split_ids(text: &str) -> Vec<String> {
    if text.contains('<') {
        text.split('<').filter_map(|p| p.split('>').next()).filter_map(normalize_id).collect()
    } else {
        text.split_whitespace().filter_map(normalize_id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_normalized() {
        assert_eq!(normalize_id("abc@x"), Some("<abc@x>".into()));
        assert_eq!(normalize_id(" <abc@x> "), Some("<abc@x>".into()));
        assert_eq!(normalize_id("<>"), None);
        assert_eq!(split_ids("<a@x> <b@y>"), vec!["<a@x>".to_string(), "<b@y>".to_string()]);
    }
}
