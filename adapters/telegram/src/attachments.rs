//! Photos and documents sent to the bot become article attachments (getFile, then the file download).

use crate::error::TelegramError;
use crate::redact::redact;
use chamado::Attachment;
use teloxide::net::Download;
use teloxide::requests::Requester;
use teloxide::types::{FileMeta, Message};
use teloxide::{Bot, DownloadError, RequestError};

/// A file a message carries, before download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFile {
    /// The Bot API file id.
    pub file_id: String,
    /// The name to store it under.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size as Telegram reported it (0 when unknown).
    pub size: u64,
}

/// The file of a photo (its largest size) or document message, if it has one.
pub fn incoming_file(msg: &Message) -> Option<IncomingFile> {
    if let Some(sizes) = msg.photo() {
        let best = sizes.iter().max_by_key(|p| (u64::from(p.width) * u64::from(p.height), p.file.size))?;
        return Some(from_meta(&best.file, format!("photo-{}.jpg", msg.id.0), "image/jpeg".into()));
    }
    if let Some(doc) = msg.document() {
        let name =
            doc.file_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("file-{}", msg.id.0));
        let content_type =
            doc.mime_type.as_ref().map(|m| m.to_string()).unwrap_or_else(|| "application/octet-stream".into());
        return Some(from_meta(&doc.file, name, content_type));
    }
    None
}

fn from_meta(meta: &FileMeta, name: String, content_type: String) -> IncomingFile {
    IncomingFile { file_id: meta.id.0.clone(), name, content_type, size: u64::from(meta.size) }
}

/// Why a file could not be taken.
#[derive(Debug)]
pub enum FetchError {
    /// Larger than allowed; the user is told.
    TooLarge(u64),
    /// Telegram refused the file (expired or invalid id, HTTP 4xx); the user is told.
    Unavailable(String),
    /// The Bot API could not be reached; retry the update later.
    Failed(TelegramError),
}

/// Sorts a Bot API failure: Telegram's own refusals are final, transport failures are retried.
fn request_failure(e: RequestError, token: &str) -> FetchError {
    let text = redact(&e.to_string(), token);
    match e {
        RequestError::Api(_) | RequestError::MigrateToChatId(_) => FetchError::Unavailable(text),
        RequestError::RetryAfter(_)
        | RequestError::Network(_)
        | RequestError::InvalidJson { .. }
        | RequestError::Io(_) => FetchError::Failed(TelegramError::Api(text)),
    }
}

/// Downloads `file` through `getFile` and the file endpoint, refusing files over `max_bytes`.
pub async fn fetch(bot: &Bot, file: &IncomingFile, max_bytes: u64) -> Result<Attachment, FetchError> {
    if file.size > max_bytes {
        return Err(FetchError::TooLarge(file.size));
    }
    let meta = bot
        .get_file(teloxide::types::FileId(file.file_id.clone()))
        .await
        .map_err(|e| request_failure(e, bot.token()))?;
    if u64::from(meta.meta.size) > max_bytes {
        return Err(FetchError::TooLarge(u64::from(meta.meta.size)));
    }
    let mut data: Vec<u8> = Vec::new();
    bot.download_file(&meta.path, &mut data).await.map_err(|e| match e {
        DownloadError::Network(n) if n.status().is_some_and(|s| s.is_client_error()) => {
            FetchError::Unavailable(redact(&n.to_string(), bot.token()))
        }
        DownloadError::Network(n) => FetchError::Failed(TelegramError::Download(redact(&n.to_string(), bot.token()))),
        DownloadError::Io(io) => FetchError::Failed(TelegramError::Download(io.to_string())),
    })?;
    if data.len() as u64 > max_bytes {
        return Err(FetchError::TooLarge(data.len() as u64));
    }
    Ok(Attachment { name: file.name.clone(), content_type: file.content_type.clone(), inline: false, data })
}
