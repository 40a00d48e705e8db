//! Sender, recipients, subject, thread ids and the auto-generated flag.

use chamado::{Sender, SenderFallback, SenderSource};
use mail_parser::{Addr, Address, HeaderValue, Message};

/// Most thread ids kept from In-Reply-To and References (long threads carry hundreds).
const MAX_REFERENCES: usize = 64;

/// Local parts that are machines: their mail is auto-generated (bounces, postmaster notices).
const MACHINE_SENDERS: [&str; 2] = ["mailer-daemon", "postmaster"];
/// Longest address taken as one, in characters (the engine's customer user logins hold 200).
const MAX_ADDRESS_CHARS: usize = 200;
/// Longest sender header kept for agents when it is no address, in characters.
const MAX_SHOWN_HEADER_CHARS: usize = 300;
/// The reserved top-level domain (RFC 2606) of addresses made up for senders without one: never
/// delivered to, so a made-up address can never reach a third party.
const PLACEHOLDER_TLD: &str = "invalid";

/// The decoded subject, on one line.
pub(super) fn subject(msg: &Message<'_>) -> String {
    msg.subject().map(unfold).unwrap_or_default()
}

/// Control characters (left-over line breaks, tabs) as spaces, the ends trimmed; inner spacing kept.
fn unfold(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// Who sent it: the From address, with Reply-To where answers go. A message is never refused for its
/// From: when it is missing or no address (`MAILER-DAEMON`, `Name name@example.com`, `@example.com`),
/// the sender is the envelope sender, else the `Sender:` or `Return-Path:` header, else an address
/// made from the header ([`sanitised`]), and the fallback says so.
pub(super) fn sender(msg: &Message<'_>, envelope: Option<&str>) -> (Sender, Option<SenderFallback>) {
    let (address, name, fallback) = match first_mailbox(msg.from()) {
        Some((address, name)) => (address, name, None),
        None => {
            let header = msg.header_raw("From").map(shown_header).unwrap_or_default();
            let (address, source) = envelope
                .and_then(clean_address)
                .map(|a| (a, SenderSource::Envelope))
                .or_else(|| first_mailbox(msg.sender()).map(|(a, _)| (a, SenderSource::OtherHeader)))
                .or_else(|| return_path(msg).map(|a| (a, SenderSource::OtherHeader)))
                .unwrap_or_else(|| (sanitised(&header), SenderSource::Sanitised));
            (address, None, Some(SenderFallback { header, source }))
        }
    };
    let reply_to = first_mailbox(msg.reply_to()).map(|(a, _)| a).filter(|r| !r.eq_ignore_ascii_case(&address));
    (Sender::Email { address, name, reply_to }, fallback)
}

/// The sender of a message with no usable structure at all: the envelope sender, else a placeholder.
pub(super) fn sender_without_header(envelope: Option<&str>) -> (Sender, SenderFallback) {
    let (address, source) = match envelope.and_then(clean_address) {
        Some(a) => (a, SenderSource::Envelope),
        None => (sanitised(""), SenderSource::Sanitised),
    };
    (Sender::Email { address, name: None, reply_to: None }, SenderFallback { header: String::new(), source })
}

/// The Return-Path address, when the header holds one (mail-parser falls back to From otherwise).
fn return_path(msg: &Message<'_>) -> Option<String> {
    msg.header_raw("Return-Path")?;
    msg.return_address().and_then(clean_address)
}

/// A header as agents are shown it: one line, trimmed, cut.
fn shown_header(raw: &str) -> String {
    unfold(raw).chars().take(MAX_SHOWN_HEADER_CHARS).collect()
}

/// An address made from a sender header that is none: the first address inside it
/// (`Name name@example.com`), else its words in the reserved `.invalid` domain (`MAILER-DAEMON` to
/// `mailer-daemon@unknown.invalid`, `@example.com` to `unknown@example.com.invalid`).
pub(super) fn sanitised(header: &str) -> String {
    let separators =
        |c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '(' | ')' | '"' | '\'' | '[' | ']');
    if let Some(found) = header.split(separators).find(|t| is_address(t)) {
        return found.to_string();
    }
    let (local, domain) = header.rsplit_once('@').unwrap_or((header, ""));
    let keep = |s: &str, max: usize| -> String {
        let kept: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
            .map(|c| c.to_ascii_lowercase())
            .take(max)
            .collect();
        let kept = kept.trim_matches('.').to_string();
        if kept.is_empty() || kept.contains("..") { "unknown".to_string() } else { kept }
    };
    format!("{}@{}.{PLACEHOLDER_TLD}", keep(local, 64), keep(domain, 100))
}

/// True for something usable as a mailbox address: `local@domain`, nothing either side, no white
/// space, control or structure characters, a domain of letters, digits, `-` and inner dots, at most
/// [`MAX_ADDRESS_CHARS`] long. Quoted local parts with spaces and domain literals do not pass; their
/// mail falls back like any other unusable sender.
pub(super) fn is_address(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else { return false };
    let structure = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | ':' | '[' | ']' | '\\' | '"')
    };
    // Counted lower case: that is the login the engine makes of it, and lowering may add characters.
    a.chars().flat_map(char::to_lowercase).count() <= MAX_ADDRESS_CHARS
        && !local.is_empty()
        && !local.contains('@')
        && !local.chars().any(structure)
        && !domain.is_empty()
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '.'))
}

/// The local part of the From address, lower case, when From holds one.
pub(super) fn first_mailbox_local_part(msg: &Message<'_>) -> Option<String> {
    let (address, _) = first_mailbox(msg.from())?;
    address.rsplit_once('@').map(|(l, _)| l.to_ascii_lowercase())
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

/// An address without angle brackets and surrounding space; `None` when what is left is no address.
fn clean_address(a: &str) -> Option<String> {
    let a = a.trim().trim_start_matches('<').trim_end_matches('>').trim();
    is_address(a).then(|| a.to_string())
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

    #[test]
    fn addresses_and_what_is_made_of_non_addresses() {
        for ok in ["a@b", "jane.doe+x@mail.example.com", "MAILER-DAEMON@mx.example", "ü@bücher.example"] {
            assert!(is_address(ok), "{ok}");
        }
        for bad in ["MAILER-DAEMON", "@example.com", "a@", "Name name@example.com", "a@b@c", "a@.x", "a@x..y", "<>", ""]
        {
            assert!(!is_address(bad), "{bad}");
        }
        assert!(!is_address(&format!("{}@x.example", "a".repeat(200))), "longer than a login may be");
        assert_eq!(sanitised("Name name@example.com"), "name@example.com");
        assert_eq!(sanitised("MAILER-DAEMON"), "mailer-daemon@unknown.invalid");
        assert_eq!(sanitised("@example.com"), "unknown@example.com.invalid");
        assert_eq!(sanitised(""), "unknown@unknown.invalid");
        for odd in ["\"Ünïcode Bob\" <bob at example dot com>", "..@..", "@", "a@b@c d"] {
            let made = sanitised(odd);
            assert!(is_address(&made) && made.ends_with(".invalid"), "{odd:?} -> {made:?}");
        }
    }
}
