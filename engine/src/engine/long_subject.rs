//! A subject longer than a ticket title may be: the title and the article's subject take its first
//! 255 characters, and nothing of it is lost, because the whole subject heads the text (or, when the
//! text has no room left under the body limit, is attached as `subject.txt`).

use crate::attachment::Attachment;
use crate::inbound::InboundMessage;

/// The longest subject kept as a subject (and so as a title), in characters.
pub(super) const MAX_SUBJECT_CHARS: usize = 255;

/// Cuts `msg.subject` to [`MAX_SUBJECT_CHARS`], keeping the whole of it in the body when that stays
/// within `max_body` bytes, else as an attachment. A message is never refused for its subject.
pub(super) fn fit_subject(msg: &mut InboundMessage, max_body: usize) {
    let Some((cut, _)) = msg.subject.char_indices().nth(MAX_SUBJECT_CHARS) else { return };
    let full = std::mem::take(&mut msg.subject);
    msg.subject = full[..cut].trim_end().to_string();
    let separator = if msg.body.is_empty() { "" } else { "\n\n" };
    if full.len() + separator.len() + msg.body.len() <= max_body {
        msg.body = format!("{full}{separator}{}", msg.body);
    } else {
        msg.attachments.push(Attachment {
            name: "subject.txt".into(),
            content_type: "text/plain; charset=utf-8".into(),
            inline: false,
            data: full.into_bytes(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel_kind::ChannelKind;
    use crate::inbound::Sender;

    fn message(subject: &str, body: &str) -> InboundMessage {
        let sender = Sender::Email { address: "a@b.example".into(), name: None, reply_to: None };
        InboundMessage::new(ChannelKind::Email, sender, subject, body)
    }

    #[test]
    fn short_subjects_stay_as_they_are() {
        let mut m = message(&"ä".repeat(255), "text");
        fit_subject(&mut m, 1 << 20);
        assert_eq!((m.subject.chars().count(), m.body.as_str()), (255, "text"));
    }

    #[test]
    fn long_subjects_are_cut_by_characters_and_kept_in_the_body() {
        let long = format!("{}{}", "ä".repeat(300), " the end");
        let mut m = message(&long, "text");
        fit_subject(&mut m, 1 << 20);
        assert_eq!(m.subject, "ä".repeat(255));
        assert_eq!(m.body, format!("{long}\n\ntext"));
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn no_room_in_the_body_puts_the_subject_in_an_attachment() {
        let long = "s".repeat(1000);
        let mut m = message(&long, &"b".repeat(100));
        fit_subject(&mut m, 500);
        assert_eq!(m.subject.len(), 255);
        assert_eq!(m.body.len(), 100, "the body is left alone");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].data, long.as_bytes());
    }
}
