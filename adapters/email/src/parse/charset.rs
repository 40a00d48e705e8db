//! Decoding text that did not say which charset it is in.

use encoding_rs::{Encoding, WINDOWS_1252};
use std::borrow::Cow;

/// Decodes `bytes`: UTF-8 when valid, else the `hint` (a charset the message declares elsewhere), else
/// Windows-1252 (a superset of ISO-8859-1 that maps every byte, so nothing is lost).
pub(super) fn decode_fallback(bytes: &[u8], hint: Option<&'static Encoding>) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let encoding = hint.filter(|e| *e != encoding_rs::UTF_8).unwrap_or_else(|| guess_8bit(bytes));
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// A guess for undeclared 8-bit text: Cyrillic (KOI8-R or Windows-1251) when whole words are made of
/// high bytes, else Windows-1252. In Latin text high bytes are rare accents between ASCII letters; in
/// Cyrillic text they are the letters. KOI8-R puts lower-case letters at 0xC0-0xDF, Windows-1251 at
/// 0xE0-0xFF, and running text is mostly lower case.
fn guess_8bit(bytes: &[u8]) -> &'static Encoding {
    let ascii_letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let koi_lower = bytes.iter().filter(|b| (0xC0..=0xDF).contains(*b)).count();
    let cp1251_lower = bytes.iter().filter(|b| **b >= 0xE0).count();
    if koi_lower + cp1251_lower > ascii_letters.max(3) {
        if koi_lower > cp1251_lower { encoding_rs::KOI8_R } else { encoding_rs::WINDOWS_1251 }
    } else {
        WINDOWS_1252
    }
}

/// The first charset declared in a `charset=` parameter anywhere in the message that encoding_rs knows.
pub(super) fn declared_charset(raw: &[u8]) -> Option<&'static Encoding> {
    const NEEDLE: &[u8] = b"charset=";
    let mut rest = raw;
    while let Some(pos) = find_ci(rest, NEEDLE) {
        rest = &rest[pos + NEEDLE.len()..];
        let value: Vec<u8> = rest
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'')
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
            .collect();
        if let Some(e) = Encoding::for_label(&value) {
            return Some(e);
        }
    }
    None
}

/// The message with its header block re-encoded as UTF-8 when it holds undeclared 8-bit bytes, so
/// that header parsing sees readable text instead of replacement characters. The body is untouched.
pub(super) fn repair_header_block(raw: &[u8]) -> Cow<'_, [u8]> {
    let end = header_end(raw);
    let head = &raw[..end];
    if head.is_ascii() || std::str::from_utf8(head).is_ok() {
        return Cow::Borrowed(raw);
    }
    let hint = declared_charset(raw);
    let mut decoded = String::with_capacity(head.len() * 2);
    for line in head.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => decoded.push_str(s),
            Err(_) => {
                // Guess per line from the value alone: the field name is always ASCII.
                let colon = line.iter().position(|b| *b == b':').map_or(0, |p| p + 1);
                decoded.push_str(&String::from_utf8_lossy(&line[..colon]));
                decoded.push_str(&decode_fallback(&line[colon..], hint));
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len() + decoded.len() - head.len().min(decoded.len()));
    out.extend_from_slice(decoded.as_bytes());
    out.extend_from_slice(&raw[end..]);
    Cow::Owned(out)
}

/// Where the header block ends (the index of the blank line's first byte), or the end of the message.
fn header_end(raw: &[u8]) -> usize {
    let lf = memchr::memmem::find(raw, b"\n\n").map(|p| p + 1);
    let crlf = memchr::memmem::find(raw, b"\n\r\n").map(|p| p + 1);
    match (lf, crlf) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => raw.len(),
    }
}

/// The position of `needle` in `haystack`, ASCII case-insensitively.
fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_and_latin1_falls_back() {
        assert_eq!(decode_fallback("Grüße".as_bytes(), None), "Grüße");
        assert_eq!(decode_fallback(b"H\xe5vard", None), "Håvard");
        assert_eq!(decode_fallback(b"\xd4\xc5\xd3\xd4", Encoding::for_label(b"koi8-r")), "тест");
        assert_eq!(decode_fallback(b"\xd4\xc5\xd3\xd4 \xd4\xc5\xd3\xd4", None), "тест тест");
        assert_eq!(decode_fallback(b"\xf2\xe5\xf1\xf2 \xf2\xe5\xf1\xf2", None), "тест тест");
        assert_eq!(decode_fallback(b"pc va demasiado r\xe1pido", None), "pc va demasiado rápido");
    }

    #[test]
    fn declared_charset_is_found() {
        let raw = b"Subject: x\r\nContent-Type: text/plain; charset=\"ISO-8859-15\"\r\n\r\nx";
        assert_eq!(declared_charset(raw).map(|e| e.name()), Some("ISO-8859-15"));
        assert!(declared_charset(b"Subject: x\r\n\r\nno charset").is_none());
    }

    #[test]
    fn header_block_is_repaired_body_untouched() {
        let raw = b"Subject: caf\xe9\r\n\r\nbody \xff";
        let fixed = repair_header_block(raw);
        assert_eq!(fixed.as_ref(), &b"Subject: caf\xc3\xa9\r\n\r\nbody \xff"[..]);
    }
}
