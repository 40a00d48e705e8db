//! The text body: text/plain preferred, HTML turned into text when there is no plain part.

use super::charset::{declared_charset, decode_fallback};
use super::html::html_to_text;
use encoding_rs::Encoding as Charset;
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

/// The message's text: its text body parts joined (HTML ones converted), line ends normalized.
pub(super) fn text(msg: &Message<'_>, raw: &[u8]) -> String {
    // The charset declared elsewhere in the message, for undeclared 8-bit text: looked up only if needed.
    let cell = std::cell::OnceCell::new();
    let hint = || *cell.get_or_init(|| declared_charset(raw));
    let mut pieces: Vec<String> = Vec::new();
    for id in &msg.text_body {
        let Some(part) = msg.parts.get(*id as usize) else { continue };
        let piece = match &part.body {
            PartType::Text(t) => repaired(msg, part, t, &hint),
            PartType::Html(h) => html_to_text(&repaired(msg, part, h, &hint)),
            _ => continue,
        };
        if !piece.trim().is_empty() {
            pieces.push(piece);
        }
    }
    if pieces.is_empty() {
        let html = msg.html_body.iter().filter_map(|id| msg.parts.get(*id as usize)).find_map(|p| match &p.body {
            PartType::Html(h) => Some(html_to_text(&repaired(msg, p, h, &hint))),
            _ => None,
        });
        pieces.extend(html);
    }
    clean(&pieces.join("\n"))
}

/// A text part mail-parser decoded as UTF-8 for lack of a charset, decoded again from its raw bytes
/// with the fallback when that produced replacement characters.
fn repaired(
    msg: &Message<'_>,
    part: &MessagePart<'_>,
    text: &str,
    hint: &dyn Fn() -> Option<&'static Charset>,
) -> String {
    // A declared charset is trusted, except UTF-8 that is not: that one falls back like no charset.
    let charset = part.content_type().and_then(|ct| ct.attribute("charset")).map(str::to_ascii_lowercase);
    let trusted = charset.as_deref().is_some_and(|c| !matches!(c, "us-ascii" | "utf-8" | "utf8"));
    if trusted || !text.contains('\u{FFFD}') {
        return text.to_string();
    }
    let raw = msg.raw_message();
    let (start, end) = (part.offset_body as usize, part.offset_end as usize);
    let Some(bytes) = raw.get(start..end.min(raw.len())) else { return text.to_string() };
    let decoded = match part.encoding {
        Encoding::None => Some(bytes.to_vec()),
        Encoding::QuotedPrintable => quoted_printable_decode(bytes),
        Encoding::Base64 => base64_decode(bytes),
    };
    match decoded {
        Some(b) => decode_fallback(&b, hint()),
        None => text.to_string(),
    }
}

/// CRLF to LF, NUL bytes removed, trailing blank space trimmed.
fn clean(text: &str) -> String {
    let s = text.replace("\r\n", "\n").replace('\0', "");
    s.trim_end().to_string()
}
