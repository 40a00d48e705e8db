//! Files over HTTP, the same on every surface (the API's uploads and downloads, the portal's and the
//! console's forms): the name and content type an uploaded file is kept under, and the answer that
//! hands a stored file out as a download that never runs as this site.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use chamado::AttachmentFile;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The longest file name kept from an upload, in characters; longer ones are cut.
pub const MAX_NAME_CHARS: usize = 255;

/// An uploaded file's name: its last path segment (browsers on some systems send a whole path), without
/// control characters, cut at [`MAX_NAME_CHARS`]; `attachment` when nothing is left.
pub fn upload_name(sent: Option<&str>) -> String {
    let last = sent.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect();
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." { "attachment".into() } else { name.into() }
}

/// A content type as sent when it is a plain `type/subtype` (parameters dropped, lower case), else
/// `application/octet-stream`.
pub fn upload_content_type(sent: Option<&str>) -> String {
    let essence = sent.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty() && s.len() <= 127 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match essence.split_once('/') {
        Some((t, s)) if token(t) && token(s) => essence,
        _ => "application/octet-stream".into(),
    }
}

/// Characters kept as they are in an RFC 5987 `ext-value` (`attr-char`); all others are encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition: attachment` with the name for old clients (`filename`, ASCII, risky characters
/// replaced) and exactly (`filename*`, UTF-8 percent-encoded, RFC 6266 and 5987).
pub fn content_disposition(name: &str) -> HeaderValue {
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let value =
        format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{}", utf8_percent_encode(name, ATTR_CHAR));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A stored file (from [`chamado::Engine::attachment`], which checked who may have it) as the answer:
/// always a download (`Content-Disposition: attachment`), never rendered, with its stored content type,
/// `nosniff` and a sandbox policy, so a hostile file cannot run as this site.
pub fn download(file: AttachmentFile) -> Response {
    let content_type = HeaderValue::from_str(&upload_content_type(Some(&file.meta.content_type)))
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let mut res = Response::new(Body::from(file.data));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CONTENT_DISPOSITION, content_disposition(&file.meta.name));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_for_old_and_new_clients() {
        let v = content_disposition("Relatório \"final\"; 1.pdf");
        assert_eq!(
            v.to_str().unwrap_or_default(),
            "attachment; filename=\"Relat_rio _final_; 1.pdf\"; filename*=UTF-8''Relat%C3%B3rio%20%22final%22%3B%201.pdf"
        );
        let v = content_disposition("a\r\nSet-Cookie: x=1");
        assert!(!v.to_str().unwrap_or("\n").contains('\n'), "{v:?}");
    }

    #[test]
    fn uploaded_names_and_types_are_tamed() {
        assert_eq!(upload_name(Some("C:\\Users\\ana\\photo.jpg")), "photo.jpg");
        assert_eq!(upload_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(upload_name(Some("..")), "attachment");
        assert_eq!(upload_name(Some("a\u{0}b\nc")), "abc");
        assert_eq!(upload_name(None), "attachment");
        assert_eq!(upload_name(Some(&"x".repeat(300))).len(), 255);
        assert_eq!(upload_content_type(Some("Image/PNG; charset=x")), "image/png");
        assert_eq!(upload_content_type(Some("text/html\r\nX: y")), "application/octet-stream");
        assert_eq!(upload_content_type(Some("nonsense")), "application/octet-stream");
        assert_eq!(upload_content_type(None), "application/octet-stream");
    }
}
