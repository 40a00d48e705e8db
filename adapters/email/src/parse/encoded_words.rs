//! Repair of RFC 2047 encoded words that split a multi-byte character across two words.
//!
//! Mailers fold long encoded headers into several words and some cut a UTF-8 (or other multi-byte)
//! character in half: `=?UTF-8?B?0JXQstCz0LXQvdC40Lkg0J3Qvg==?= =?UTF-8?B?0LI=?=`. Decoded word by
//! word, that gives replacement characters. Adjacent words of the same charset whose pieces are not
//! valid alone are merged into one word here, before mail-parser reads the message.

use encoding_rs::Encoding;
use mail_parser::decoders::base64::base64_decode;

/// One encoded word found in the text.
struct Word {
    start: usize,
    end: usize,
    charset: String,
    bytes: Vec<u8>,
}

/// The message with split encoded words merged, or `None` when nothing needed merging.
pub(super) fn merge_split_words(raw: &[u8]) -> Option<Vec<u8>> {
    let words = find_words(raw);
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < words.len() {
        let mut j = i + 1;
        while j < words.len()
            && words[j].charset.eq_ignore_ascii_case(&words[i].charset)
            && raw[words[j - 1].end..words[j].start].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            j += 1;
        }
        let run = &words[i..j];
        if run.len() > 1
            && let Some(enc) = Encoding::for_label(run[0].charset.as_bytes())
        {
            let split = run.iter().any(|w| enc.decode_without_bom_handling_and_without_replacement(&w.bytes).is_none());
            let joined: Vec<u8> = run.iter().flat_map(|w| w.bytes.iter().copied()).collect();
            if split && enc.decode_without_bom_handling_and_without_replacement(&joined).is_some() {
                let buf = out.get_or_insert_with(|| Vec::with_capacity(raw.len()));
                buf.extend_from_slice(&raw[copied..run[0].start]);
                buf.extend_from_slice(format!("=?{}?B?{}?=", run[0].charset, base64(&joined)).as_bytes());
                copied = run[run.len() - 1].end;
            }
        }
        i = j;
    }
    let mut buf = out?;
    buf.extend_from_slice(&raw[copied..]);
    Some(buf)
}

/// Every well-formed encoded word, in order.
fn find_words(raw: &[u8]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut pos = 0;
    while let Some(off) = memchr::memmem::find(&raw[pos..], b"=?") {
        let start = pos + off;
        match parse_word(raw, start) {
            Some(w) => {
                pos = w.end;
                words.push(w);
            }
            None => pos = start + 2,
        }
    }
    words
}

/// `=?charset?E?text?=` at `start`.
fn parse_word(raw: &[u8], start: usize) -> Option<Word> {
    let rest = raw.get(start + 2..)?;
    let q1 = rest.iter().take(64).position(|b| *b == b'?')?;
    let charset = std::str::from_utf8(&rest[..q1]).ok()?;
    // RFC 2231 language suffix: `utf-8*en`.
    let charset = charset.split('*').next().unwrap_or(charset);
    if charset.is_empty()
        || !charset.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return None;
    }
    let enc = *rest.get(q1 + 1)?;
    if rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = q1 + 3;
    let len = rest[text_start..].iter().take(1024).position(|b| *b == b'?' || b.is_ascii_whitespace())?;
    if rest.get(text_start + len..text_start + len + 2) != Some(b"?=") {
        return None;
    }
    let text = &rest[text_start..text_start + len];
    let bytes = match enc {
        b'B' | b'b' => base64_decode(text)?,
        b'Q' | b'q' => q_decode(text),
        _ => return None,
    };
    Some(Word { start, end: start + 2 + text_start + len + 2, charset: charset.to_string(), bytes })
}

/// The `Q` encoding: `_` is a space, `=XX` a byte.
fn q_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'=');
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// RFC 2231 parameter continuations (`filename*0*=UTF-8''...; filename*1*=...`) merged into one
/// `filename*=UTF-8''...` parameter, so a character split across segments decodes whole; `None` when
/// the message has none.
pub(super) fn merge_rfc2231(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut pos = 0;
    while let Some(off) = memchr::memmem::find(&raw[pos..], b"*0*=") {
        let star = pos + off;
        pos = star + 4;
        let name_start = raw[..star]
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric() && *b != b'-' && *b != b'_')
            .map_or(0, |p| p + 1);
        let name = &raw[name_start..star];
        if name.is_empty() || name_start < copied {
            continue;
        }
        let Some((merged, end)) = continuation(raw, name_start, name) else { continue };
        let buf = out.get_or_insert_with(|| Vec::with_capacity(raw.len()));
        buf.extend_from_slice(&raw[copied..name_start]);
        buf.extend_from_slice(name);
        buf.extend_from_slice(b"*=");
        buf.extend_from_slice(&merged);
        copied = end;
        pos = end;
    }
    let mut buf = out?;
    buf.extend_from_slice(&raw[copied..]);
    Some(buf)
}

/// The merged value of the segments of parameter `name` starting at `start`, and where they end.
fn continuation(raw: &[u8], start: usize, name: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut merged = Vec::new();
    let mut pos = start;
    let mut end = start;
    for k in 0..64 {
        if k > 0 {
            // `;` and folding white space between segments.
            let mut p = end;
            while raw.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
                p += 1;
            }
            if raw.get(p) != Some(&b';') {
                break;
            }
            p += 1;
            while raw.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
                p += 1;
            }
            pos = p;
        }
        let head = format!("*{k}");
        let rest = raw.get(pos..)?;
        if rest.len() < name.len() + head.len() + 1
            || !rest[..name.len()].eq_ignore_ascii_case(name)
            || &rest[name.len()..name.len() + head.len()] != head.as_bytes()
        {
            break;
        }
        let mut p = pos + name.len() + head.len();
        let extended = raw.get(p) == Some(&b'*');
        if extended {
            p += 1;
        }
        if raw.get(p) != Some(&b'=') {
            break;
        }
        p += 1;
        let (value, value_end) = if raw.get(p) == Some(&b'"') {
            let close = raw[p + 1..].iter().position(|b| *b == b'"')?;
            (&raw[p + 1..p + 1 + close], p + close + 2)
        } else {
            let len = raw[p..].iter().position(|b| *b == b';' || b.is_ascii_whitespace()).unwrap_or(raw.len() - p);
            (&raw[p..p + len], p + len)
        };
        if k == 0 && (!extended || !value.windows(1).any(|w| w == b"'")) {
            return None;
        }
        if extended {
            merged.extend_from_slice(value);
        } else {
            for b in value {
                merged.extend_from_slice(format!("%{b:02X}").as_bytes());
            }
        }
        end = value_end;
    }
    (end > start).then_some((merged, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "Новоподзалупинский"] {
            assert_eq!(base64_decode(base64(s.as_bytes()).as_bytes()).unwrap_or_default(), s.as_bytes());
        }
    }

    #[test]
    fn split_utf8_words_are_merged() {
        // "Но" + "в" with the 2-byte "в" cut in half.
        let raw = b"Subject: =?UTF-8?Q?=D0=9D=D0=BE=D0?=\r\n =?UTF-8?Q?=B2?=\r\n\r\nbody";
        let merged = merge_split_words(raw).unwrap_or_default();
        let msg = mail_parser::MessageParser::default().parse(&merged[..]);
        assert_eq!(msg.as_ref().and_then(|m| m.subject()), Some("Нов"));
    }

    #[test]
    fn rfc2231_continuations_are_merged() {
        let raw = b"Content-Disposition: attachment;\r\n filename*0*=UTF-8''%C3;\r\n filename*1*=%A4.txt\r\n\r\nx";
        let merged = merge_rfc2231(raw).unwrap_or_default();
        assert_eq!(merged, b"Content-Disposition: attachment;\r\n filename*=UTF-8''%C3%A4.txt\r\n\r\nx".to_vec());
        assert!(merge_rfc2231(b"filename*0*=x; no").is_none());
    }

    #[test]
    fn whole_words_are_left_alone() {
        assert!(merge_split_words(b"Subject: =?UTF-8?Q?a?= =?UTF-8?Q?b?=\r\n\r\n").is_none());
        assert!(merge_split_words(b"=?x =?? =?a?Q?").is_none());
    }
}
