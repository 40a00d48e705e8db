//! Files of articles: the bytes that come in and go out ([`Attachment`]), what an article keeps of
//! them ([`AttachmentMeta`]), and the bytes a store keeps once per distinct file ([`Blob`]).

use crate::content_hash::ContentHash;
use serde::{Deserialize, Serialize};

/// A file with its bytes, as a channel brings it in ([`crate::InboundMessage`], [`crate::NewTicket`],
/// [`crate::NewArticle`]) or takes it out ([`crate::Delivery`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The decoded file name.
    pub name: String,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// True when shown inline (e.g. an image in an HTML mail) rather than attached.
    #[serde(default)]
    pub inline: bool,
    /// The bytes.
    pub data: Vec<u8>,
}

impl Attachment {
    /// Size in bytes.
    pub fn size(&self) -> usize {
        self.data.len()
    }

    /// What an article keeps of this file.
    pub fn meta(&self) -> AttachmentMeta {
        AttachmentMeta {
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            inline: self.inline,
            size: self.data.len() as u64,
            sha256: ContentHash::of(&self.data),
        }
    }

    /// The file as stored: its description for the article and its bytes for the store.
    pub fn split(self) -> (AttachmentMeta, Blob) {
        let meta = self.meta();
        let blob = Blob { hash: meta.sha256, data: self.data };
        (meta, blob)
    }

    /// The file again, from what an article keeps and the stored bytes.
    pub fn join(meta: AttachmentMeta, data: Vec<u8>) -> Self {
        Attachment { name: meta.name, content_type: meta.content_type, inline: meta.inline, data }
    }
}

/// What an article keeps of a file: its description and the hash of its bytes. The bytes are in the
/// store once per distinct file ([`crate::Store::blob`]), so reading articles never reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    /// The decoded file name.
    pub name: String,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// True when shown inline (e.g. an image in an HTML mail) rather than attached.
    pub inline: bool,
    /// Size in bytes.
    pub size: u64,
    /// The SHA-256 of the bytes: the key of the stored file.
    pub sha256: ContentHash,
}

/// The bytes of one distinct file, keyed by their hash: a [`crate::Commit`] carries the files of its new
/// articles, and the store keeps each hash once (a file it has already is not written again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob {
    /// The SHA-256 of `data`.
    pub hash: ContentHash,
    /// The bytes.
    pub data: Vec<u8>,
}

impl Blob {
    /// A blob of `data`, with its hash.
    pub fn of(data: Vec<u8>) -> Self {
        Blob { hash: ContentHash::of(&data), data }
    }
}

/// The files of a new article split into the article's descriptions and the distinct blobs to store
/// (a file attached twice is one blob).
pub(crate) fn split_all(files: Vec<Attachment>) -> (Vec<AttachmentMeta>, Vec<Blob>) {
    let mut metas = Vec::with_capacity(files.len());
    let mut blobs: Vec<Blob> = Vec::with_capacity(files.len());
    for f in files {
        let (meta, blob) = f.split();
        if !blobs.iter().any(|b| b.hash == blob.hash) {
            blobs.push(blob);
        }
        metas.push(meta);
    }
    (metas, blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, data: &[u8]) -> Attachment {
        Attachment { name: name.into(), content_type: "image/png".into(), inline: true, data: data.to_vec() }
    }

    #[test]
    fn a_file_attached_twice_is_one_blob_and_joins_back() {
        let (metas, blobs) = split_all(vec![file("a.png", b"logo"), file("b.png", b"logo"), file("c", b"x")]);
        assert_eq!(metas.len(), 3);
        assert_eq!(blobs.len(), 2);
        assert_eq!(metas[0].sha256, metas[1].sha256);
        assert_eq!((metas[0].size, metas[0].inline, metas[1].name.as_str()), (4, true, "b.png"));
        let back = Attachment::join(metas[1].clone(), blobs[0].data.clone());
        assert_eq!(back, file("b.png", b"logo"));
    }
}
