//! Files of articles in the console: the links the zoom shows (images as thumbnails) and
//! `GET /agent/tickets/{number}/articles/{article}/attachments/{index}`, one file for an agent who may
//! read the ticket (the engine decides; anything else is 404, like what does not exist), answered as the
//! API answers it ([`chamado_http::files::download`]).

use super::session::AgentUser;
use crate::url::path_segment;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Article, ArticleId, AttachmentRef};
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
        Ok(file) => chamado_http::files::download(file),
        Err(e) => user.error(&e.into()),
    }
}
