//! Files of articles in the console: the links the zoom shows (images as thumbnails) and
//! `GET /agent/tickets/{number}/articles/{article}/attachments/{index}`, one file for an agent who may
//! read the ticket (the engine decides; anything else is 404, like what does not exist).

use super::session::AgentUser;
use crate::url::path_segment;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chamado::{Article, ArticleId, AttachmentFile, AttachmentRef};
use chamado_http::AppState;

/// The content types shown as thumbnails: images every browser draws and none runs code in.
const THUMBNAIL_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// A file of an article as the zoom lists it.
pub struct FileLink {
    /// The file's name.
    pub name: String,
    /// Its download URL.
    pub href: String,
    /// Its size in bytes.
    pub size: u64,
    /// Shown as a thumbnail.
    pub image: bool,
}

/// The links to the files of `article` of ticket `number`.
pub fn links(number: &str, article: &Article) -> Vec<FileLink> {
    article
        .attachments
        .iter()
        .enumerate()
        .map(|(i, f)| FileLink {
            name: f.name.clone(),
            href: format!("/agent/tickets/{}/articles/{}/attachments/{i}", path_segment(number), article.id.0),
            size: f.size,
            image: THUMBNAIL_TYPES.contains(&f.content_type.as_str()),
        })
        .collect()
}

/// One file, downloaded.
pub async fn download(
    State(st): State<AppState>,
    user: AgentUser,
    Path((number, article, index)): Path<(String, u64, usize)>,
) -> Response {
    let which = AttachmentRef::Index(index);
    match st.engine.attachment(&user.actor(), &number, ArticleId(article), which).await {
        Ok(file) => serve(file),
        Err(e) => user.error(&e.into()),
    }
}

/// The file as a download: its stored content type, never sniffed, never run as a page of this site
/// (`sandbox`), saved under its name (RFC 6266, the exact name in `filename*`).
fn serve(file: AttachmentFile) -> Response {
    let AttachmentFile { meta, data } = file;
    let content_type = HeaderValue::from_str(&meta.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CONTENT_DISPOSITION, content_disposition(&meta.name));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `Content-Disposition: attachment` with the name for old clients (`filename`, ASCII, risky characters
/// replaced) and exactly (`filename*`, UTF-8 percent-encoded, RFC 6266 and 5987).
fn content_disposition(name: &str) -> HeaderValue {
    let fallback: String = name
        .chars()
        .map(|c| if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' { c } else { '_' })
        .collect();
    let value = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{}", path_segment(name));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_given_exactly_and_safely() {
        let h = content_disposition("Relatório \"final\".pdf");
        assert_eq!(
            h.to_str().unwrap_or_default(),
            "attachment; filename=\"Relat_rio _final_.pdf\"; filename*=UTF-8''Relat%C3%B3rio%20%22final%22.pdf"
        );
        assert_eq!(
            content_disposition("a\r\nb").to_str().unwrap_or_default(),
            "attachment; filename=\"a__b\"; filename*=UTF-8''a%0D%0Ab"
        );
    }
}
