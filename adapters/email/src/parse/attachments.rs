//! Attachments: decoded name, content type, inline flag, bytes.

use chamado::Attachment;
use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 255;

/// Every attachment of the message (inline images included, the text bodies not).
pub(super) fn collect(msg: &Message<'_>) -> Vec<Attachment> {
    msg.attachments().enumerate().map(|(i, part)| attachment(part, i + 1)).collect()
}

fn attachment(part: &MessagePart<'_>, n: usize) -> Attachment {
    let (ctype, subtype) = match part.content_type() {
        Some(ct) => (ct.ctype().to_ascii_lowercase(), ct.subtype().map(str::to_ascii_lowercase)),
        None => ("application".to_string(), Some("octet-stream".to_string())),
    };
    let mut content_type = match &subtype {
        Some(s) => format!("{ctype}/{s}"),
        None => ctype.clone(),
    };
    // Text parts come out of mail-parser decoded to UTF-8: say so.
    if matches!(part.body, PartType::Text(_) | PartType::Html(_)) {
        content_type.push_str("; charset=utf-8");
    }
    let inline = match part.content_disposition() {
        Some(cd) => cd.is_inline(),
        None => part.content_id().is_some(),
    };
    let name = part
        .attachment_name()
        .map(clean_name)
        .filter(|n| !n.is_empty())
        .or_else(|| part.message().and_then(|m| m.subject()).map(|s| clean_name(&format!("{s}.eml"))))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("attachment-{n}.{}", extension(&ctype, subtype.as_deref())));
    Attachment { name, content_type, inline, data: part.contents().to_vec() }
}

/// A file name safe to show and store: no line breaks or other controls, no directories.
fn clean_name(name: &str) -> String {
    let flat: String = name.chars().filter(|c| !c.is_control()).collect();
    let base = flat.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    base.chars().take(MAX_NAME_CHARS).collect()
}

/// A file name extension for a nameless part.
fn extension(ctype: &str, subtype: Option<&str>) -> String {
    match (ctype, subtype) {
        ("message", Some("rfc822")) => "eml".into(),
        ("text", Some("plain")) => "txt".into(),
        ("text", Some("html")) => "html".into(),
        (_, Some(s)) if s.chars().all(|c| c.is_ascii_alphanumeric()) && s.len() <= 8 => s.into(),
        _ => "bin".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_controls_and_directories() {
        assert_eq!(clean_name("a\r\n b.txt"), "a b.txt");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\x\\y.doc"), "y.doc");
    }
}
