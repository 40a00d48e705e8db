//! Reading bounces: RFC 3464 delivery status notifications, and the plainer notices mail systems send
//! from `MAILER-DAEMON`. The adapter only reports what the message says (the ids of the message that
//! bounced, the status); what a bounce does is the engine's decision.

use super::headers::{first_mailbox_local_part, normalize_id};
use chamado::BounceReport;
use mail_parser::{Message, MimeHeaders};

/// Most ids of the bounced message kept (a report names one message; the rest is noise).
const MAX_IDS: usize = 8;
/// Longest diagnostic kept, in characters.
const MAX_DIAGNOSTIC_CHARS: usize = 500;

/// The bounce report of `msg`, or `None` when it is no bounce.
///
/// A bounce is a delivery status report (a `message/delivery-status` part), a message from
/// `MAILER-DAEMON`, or one with a null envelope sender (`<>`) whose From is a postmaster or unusable.
/// A null sender alone is not enough: RFC 3834 auto-replies and read receipts use it too, and those
/// must not mark a delivery failed.
pub(super) fn report(msg: &Message<'_>, null_sender: bool, sender_unusable: bool, body: &str) -> Option<BounceReport> {
    let status_part = msg.parts.iter().find(|p| {
        p.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status") || s.eq_ignore_ascii_case("global-delivery-status")
                })
        })
    });
    let from_local = first_mailbox_local_part(msg).or_else(|| raw_from_local_part(msg));
    let machine = from_local.as_deref() == Some("mailer-daemon");
    let postmaster = from_local.as_deref() == Some("postmaster");
    if status_part.is_none() && !machine && !(null_sender && (postmaster || sender_unusable)) {
        return None;
    }
    let mut report = BounceReport::default();
    if let Some(part) = status_part {
        read_status_fields(&String::from_utf8_lossy(part.contents()), &mut report);
    }
    for part in &msg.parts {
        if let Some(inner) = part.message() {
            push_id(&mut report, inner.message_id());
        } else if part.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("text")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("rfc822-headers"))
        }) {
            let text = String::from_utf8_lossy(part.contents());
            push_id(&mut report, header_in_text(&text, "message-id").as_deref());
        }
    }
    if report.original_ids.is_empty() {
        // A plain notice quotes the returned message's header in its text.
        push_id(&mut report, header_in_text(body, "message-id").as_deref());
    }
    Some(report)
}

/// The RFC 3464 fields of the first recipient (and `Original-Message-ID`, which some servers add).
fn read_status_fields(text: &str, report: &mut BounceReport) {
    for (name, value) in fields(text) {
        let set = |slot: &mut Option<String>, v: String| {
            if slot.is_none() && !v.is_empty() {
                *slot = Some(v);
            }
        };
        match name.as_str() {
            "action" => set(&mut report.action, value.to_ascii_lowercase()),
            "status" => set(&mut report.status, value.split_whitespace().next().unwrap_or_default().to_string()),
            "final-recipient" | "original-recipient" => set(&mut report.recipient, typed_address(&value)),
            "diagnostic-code" => set(&mut report.diagnostic, value.chars().take(MAX_DIAGNOSTIC_CHARS).collect()),
            "original-message-id" | "x-original-message-id" => push_id(report, Some(&value)),
            _ => {}
        }
    }
}

/// `rfc822; user@example.com` to `user@example.com`.
fn typed_address(value: &str) -> String {
    let bare = value.split_once(';').map_or(value, |(_, a)| a);
    bare.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

/// Header-style fields (`Name: value`, continuation lines folded in), names lower case, in order.
fn fields(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && !name.is_empty()
            && !name.contains(char::is_whitespace)
        {
            out.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    out
}

/// The value of the first line `name: value` in a text (a quoted header block), trimmed.
fn header_in_text(text: &str, name: &str) -> Option<String> {
    text.lines().map(str::trim_start).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

fn push_id(report: &mut BounceReport, id: Option<&str>) {
    if let Some(id) = id.and_then(normalize_id)
        && report.original_ids.len() < MAX_IDS
        && !report.original_ids.contains(&id)
    {
        report.original_ids.push(id);
    }
}

/// The local part of a From that is no address (`From: MAILER-DAEMON`), lower case.
fn raw_from_local_part(msg: &Message<'_>) -> Option<String> {
    let raw = msg.header_raw("From")?.trim();
    let word = raw.trim_matches(['<', '>', '"', ' ']).split(['@', ' ', '<']).next()?;
    (!word.is_empty()).then(|| word.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_of(raw: &str, null_sender: bool) -> Option<BounceReport> {
        let msg = mail_parser::MessageParser::default().parse(raw.as_bytes())?;
        let body = msg.body_text(0).map(|b| b.into_owned()).unwrap_or_default();
        report(&msg, null_sender, false, &body)
    }

    #[test]
    fn a_delivery_status_notification_is_read() {
        let raw = "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nSubject: Undelivered Mail\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nI'm sorry.\r\n\
            --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
            Final-Recipient: rfc822; bob@gone.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\
            Diagnostic-Code: smtp; 550 5.1.1 <bob@gone.example>:\r\n  user unknown\r\n\
            --b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@desk.example\r\n\
            Message-ID: <chamado.1.2@desk.example>\r\nSubject: Re: [Ticket#1] x\r\n--b--\r\n";
        let r = report_of(raw, true).unwrap_or_default();
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert_eq!(r.action.as_deref(), Some("failed"));
        assert_eq!(r.recipient.as_deref(), Some("bob@gone.example"));
        assert_eq!(r.diagnostic.as_deref(), Some("smtp; 550 5.1.1 <bob@gone.example>: user unknown"));
        assert_eq!(r.original_ids, vec!["<chamado.1.2@desk.example>".to_string()]);
    }

    #[test]
    fn plain_notices_and_null_senders() {
        let plain = "From: MAILER-DAEMON\r\nSubject: failure notice\r\n\r\nSorry.\r\n--- Below this line is a copy.\r\n\
            Message-ID: <chamado.9.9@desk.example>\r\n";
        let r = report_of(plain, false).unwrap_or_default();
        assert_eq!(r.original_ids, vec!["<chamado.9.9@desk.example>".to_string()]);
        assert!(r.is_failure());
        // An auto-reply with a null envelope sender is no bounce.
        let vacation = "From: alice@customer.example\r\nAuto-Submitted: auto-replied\r\nSubject: away\r\n\r\naway";
        assert!(report_of(vacation, true).is_none());
        assert!(report_of("From: postmaster@mx.example\r\n\r\nx", true).is_some());
        assert!(report_of("From: postmaster@mx.example\r\n\r\nx", false).is_none(), "a person may be postmaster");
    }
}
