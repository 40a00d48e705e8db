//! Serving one stored file of an article, to whoever may see that article.

use super::{Actor, Engine};
use crate::attachment::AttachmentMeta;
use crate::content_hash::ContentHash;
use crate::error::{Error, Result, StoreError};
use crate::ids::ArticleId;

/// Which file of an article: its position in the article's list, or its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentRef {
    /// The position, from 0, in [`crate::Article::attachments`].
    Index(usize),
    /// The SHA-256 of its bytes ([`AttachmentMeta::sha256`]).
    Hash(ContentHash),
}

/// One file as served: what the article says of it, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    /// Name, content type, size and hash, as the article keeps them.
    pub meta: AttachmentMeta,
    /// The bytes.
    pub data: Vec<u8>,
}

impl Engine {
    /// One file of article `article` of ticket `number`. Agents need `ro` on the ticket's queue;
    /// customer users get files only of articles visible to customers, on tickets they may see.
    /// Everything the caller may not see is `NotFound`, exactly like what does not exist, so an
    /// internal note's file is not even confirmed to exist.
    ///
    /// ```
    /// use chamado::{Actor, Attachment, AttachmentRef, Engine, MemoryStore, NewArticle, NewTicket};
    /// # pollster::block_on(async {
    /// let engine = Engine::builder(MemoryStore::new()).build()?;
    /// engine.seed_defaults("admin").await?;
    /// let admin = Actor::agent("admin");
    /// let mut new = NewTicket::new("Printer", "See the photo.", "Raw");
    /// new.attachments.push(Attachment {
    ///     name: "jam.jpg".into(), content_type: "image/jpeg".into(), inline: false, data: b"JPEG".to_vec(),
    /// });
    /// let view = engine.create_ticket(&admin, new).await?;
    /// let article = view.articles[0].id;
    /// let file = engine.attachment(&admin, &view.ticket.number, article, AttachmentRef::Index(0)).await?;
    /// assert_eq!((file.meta.name.as_str(), file.data.as_slice()), ("jam.jpg", &b"JPEG"[..]));
    /// # Ok::<(), chamado::Error>(()) }).unwrap();
    /// ```
    pub async fn attachment(
        &self,
        actor: &Actor,
        number: &str,
        article: ArticleId,
        which: AttachmentRef,
    ) -> Result<AttachmentFile> {
        let view = self.ticket(actor, number).await?;
        let not_found = || {
            Error::not_found(
                chamado_i18n::Message::new("error-attachment-not-found")
                    .arg("article", article.0)
                    .arg("number", number),
            )
        };
        let article = view.articles.into_iter().find(|a| a.id == article).ok_or_else(not_found)?;
        let meta = match which {
            AttachmentRef::Index(i) => article.attachments.into_iter().nth(i),
            AttachmentRef::Hash(h) => article.attachments.into_iter().find(|m| m.sha256 == h),
        }
        .ok_or_else(not_found)?;
        let data = self.store().blob(&meta.sha256).await?.ok_or_else(|| {
            Error::Store(StoreError::Missing(format!("the file {} of article {}", meta.sha256, article.id)))
        })?;
        Ok(AttachmentFile { meta, data })
    }

    /// How many distinct files the store keeps (each hash once, however many articles carry it).
    pub async fn stored_file_count(&self) -> Result<u64> {
        Ok(self.store().blob_count().await?)
    }
}
