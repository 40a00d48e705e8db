//! Decoding text that did not say which charset it is in.

use encoding_rs::{Encoding, WINDOWS_1252};
use std::borrow::Cow;

/// Decodes `bytes`: UTF-8 when valid, else by [`choose`].
pub(super) fn decode_fallback(bytes: &[u8], hint: Option<&'static Encoding>) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    decode_with(choose(bytes, hint, None), bytes)
}

/// The charset of undeclared 8-bit text: the `hint` (a charset the message declares for its body) when
/// the bytes are valid in it, else what the detector (chardetng) finds most likely, helped by the
/// sender's top-level domain (`tld`: `jp`, `cn`, `ru`), else Windows-1252 (a superset of ISO-8859-1
/// that maps every byte, so nothing is lost).
pub(super) fn choose(bytes: &[u8], hint: Option<&'static Encoding>, tld: Option<&str>) -> &'static Encoding {
    if let Some(h) = hint.filter(|e| *e != encoding_rs::UTF_8)
        && h.decode_without_bom_handling_and_without_replacement(bytes).is_some()
    {
        return h;
    }
    let mut detector = chardetng::EncodingDetector::new();
    let _ = detector.feed(bytes, true);
    let tld = tld.filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase()));
    let guess = detector.guess(tld.map(str::as_bytes), false);
    // chardetng answers Windows-1252 when it sees nothing better, and a short Cyrillic subject is too
    // little for it to tell KOI8-R from Windows-1251: there the rule of whole words of high bytes decides.
    if (guess == WINDOWS_1252 || is_cyrillic(guess))
        && let Some(cyrillic) = guess_8bit(bytes)
    {
        return cyrillic;
    }
    if guess.decode_without_bom_handling_and_without_replacement(bytes).is_some() { guess } else { WINDOWS_1252 }
}

/// True for the Cyrillic single-byte charsets chardetng may answer.
fn is_cyrillic(e: &'static Encoding) -> bool {
    [
        encoding_rs::KOI8_R,
        encoding_rs::KOI8_U,
        encoding_rs::WINDOWS_1251,
        encoding_rs::ISO_8859_5,
        encoding_rs::IBM866,
        encoding_rs::X_MAC_CYRILLIC,
    ]
    .contains(&e)
}

/// `bytes` decoded by `encoding`, replacing what is not valid in it.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Cyrillic (KOI8-R or Windows-1251) when whole words are made of high bytes, else nothing. In Latin
/// text high bytes are rare accents between ASCII letters; in Cyrillic text they are the letters.
/// KOI8-R puts lower-case letters at 0xC0-0xDF, Windows-1251 at 0xE0-0xFF, and running text is mostly
/// lower case.
fn guess_8bit(bytes: &[u8]) -> Option<&'static Encoding> {
    let ascii_letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let koi_lower = bytes.iter().filter(|b| (0xC0..=0xDF).contains(*b)).count();
    let cp1251_lower = bytes.iter().filter(|b| **b >= 0xE0).count();
    if koi_lower + cp1251_lower > ascii_letters.max(3) {
        Some(if koi_lower > cp1251_lower { encoding_rs::KOI8_R } else { encoding_rs::WINDOWS_1251 })
    } else {
        None
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
        // `us-ascii` says nothing about 8-bit bytes (encoding_rs maps it to Windows-1252): not a hint.
        let ascii = value.len() >= 5 && find_ci(&value, b"ascii").is_some();
        if let Some(e) = Encoding::for_label(&value).filter(|_| !ascii) {
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
    // One charset for all undeclared header text, chosen from all of it at once: a detector needs
    // every byte it can get, and one mailer wrote the whole block.
    let value = |line: &[u8]| line.iter().position(|b| *b == b':').map_or(0, |p| p + 1);
    let mut undeclared = Vec::new();
    for line in head.split_inclusive(|b| *b == b'\n').filter(|l| std::str::from_utf8(l).is_err()) {
        undeclared.extend_from_slice(&line[value(line)..]);
    }
    let encoding = choose(&undeclared, declared_charset(raw), sender_tld(head).as_deref());
    let mut decoded = String::with_capacity(head.len() * 2);
    for line in head.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => decoded.push_str(s),
            Err(_) => {
                // The field name is always ASCII; only the value is decoded.
                let colon = value(line);
                decoded.push_str(&String::from_utf8_lossy(&line[..colon]));
                decoded.push_str(&decode_with(encoding, &line[colon..]));
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len() + decoded.len() - head.len().min(decoded.len()));
    out.extend_from_slice(decoded.as_bytes());
    out.extend_from_slice(&raw[end..]);
    Cow::Owned(out)
}

/// The top-level domain of the From address in a raw header block (`jp` for `x@mail.example.jp`),
/// lower case, for the detector.
fn sender_tld(head: &[u8]) -> Option<String> {
    let line = head.split(|b| *b == b'\n').find(|l| l.len() > 5 && l[..5].eq_ignore_ascii_case(b"from:"))?;
    let at = line.iter().rposition(|b| *b == b'@')?;
    let domain: Vec<u8> =
        line[at + 1..].iter().copied().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.')).collect();
    let tld = domain.rsplit(|b| *b == b'.').next()?;
    (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
        .then(|| String::from_utf8_lossy(tld).to_ascii_lowercase())
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

    /// Raw 8-bit CJK headers with no declared charset (issue 18): the detector, not Latin-1.
    #[test]
    fn undeclared_cjk_headers_are_detected() {
        let (gb, _, _) = encoding_rs::GBK.encode("关于订单的问题，请尽快回复");
        let (gb_name, _, _) = encoding_rs::GBK.encode("张伟");
        let mut raw = b"From: ".to_vec();
        raw.extend_from_slice(&gb_name);
        raw.extend_from_slice(b" <zhang@example.com>\r\nSubject: ");
        raw.extend_from_slice(&gb);
        raw.extend_from_slice(b"\r\n\r\nbody");
        let fixed = repair_header_block(&raw);
        let text = String::from_utf8_lossy(fixed.as_ref());
        assert!(text.contains("Subject: 关于订单的问题，请尽快回复\r\n"), "{text}");
        assert!(text.contains("From: 张伟 <zhang@example.com>"), "{text}");

        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("お問い合わせの件について");
        let (sjis_name, _, _) = encoding_rs::SHIFT_JIS.encode("山田太郎");
        let mut raw = b"From: ".to_vec();
        raw.extend_from_slice(&sjis_name);
        raw.extend_from_slice(b" <yamada@example.com>\r\nSubject: ");
        raw.extend_from_slice(&sjis);
        raw.extend_from_slice(b"\r\n\r\nbody");
        let text = String::from_utf8_lossy(repair_header_block(&raw).as_ref()).into_owned();
        assert!(text.contains("Subject: お問い合わせの件について\r\n"), "{text}");
        assert!(text.contains("From: 山田太郎 <yamada@example.com>"), "{text}");
    }

    /// The body's declared charset comes before the detector; `us-ascii` declares nothing.
    #[test]
    fn the_declared_body_charset_comes_first() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("テスト");
        let mut raw = b"Subject: ".to_vec();
        raw.extend_from_slice(&sjis);
        raw.extend_from_slice(b"\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\nx");
        let text = String::from_utf8_lossy(repair_header_block(&raw).as_ref()).into_owned();
        assert!(text.starts_with("Subject: テスト\r\n"), "{text}");
        assert!(declared_charset(b"Content-Type: text/plain; charset=us-ascii\r\n\r\nx").is_none());
        // Latin-1 text stays Latin-1 when nothing says otherwise.
        assert_eq!(decode_fallback(b"Caf\xe9 cr\xe8me br\xfbl\xe9e", None), "Café crème brûlée");
    }

    #[test]
    fn header_block_is_repaired_body_untouched() {
        let raw = b"Subject: caf\xe9\r\n\r\nbody \xff";
        let fixed = repair_header_block(raw);
        assert_eq!(fixed.as_ref(), &b"Subject: caf\xc3\xa9\r\n\r\nbody \xff"[..]);
    }
}
