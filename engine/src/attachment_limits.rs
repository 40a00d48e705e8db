//! How large and how many files an article written through the API, the portal or the console may
//! carry. Mail and chat intake keep their own caps (a mail is never refused for its attachments).

use crate::attachment::Attachment;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Limits on the files of one article created by [`crate::Engine::create_ticket`] or
/// [`crate::Engine::add_article`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentLimits {
    /// The largest file in bytes (default 10 MiB).
    pub max_file_bytes: u64,
    /// The most bytes of all files of one article together (default 25 MiB).
    pub max_article_bytes: u64,
    /// The most files on one article (default 20).
    pub max_count: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits { max_file_bytes: 10 << 20, max_article_bytes: 25 << 20, max_count: 20 }
    }
}

/// Which limit an article's files break.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AttachmentRefusal {
    /// One file is larger than [`AttachmentLimits::max_file_bytes`].
    #[error("the file {name:?} is {size} bytes, more than the limit of {max} bytes per file")]
    FileTooLarge {
        /// The file's name.
        name: String,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The files together are larger than [`AttachmentLimits::max_article_bytes`].
    #[error("the files are {size} bytes together, more than the limit of {max} bytes per message")]
    ArticleTooLarge {
        /// Their size together.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// More files than [`AttachmentLimits::max_count`].
    #[error("{count} files, more than the limit of {max} per message")]
    TooMany {
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
}

impl AttachmentRefusal {
    /// True for the size limits (HTTP answers 413), false for the count (422).
    pub fn is_size(&self) -> bool {
        !matches!(self, AttachmentRefusal::TooMany { .. })
    }

    /// The refusal in the reader's language; its English is the [`std::fmt::Display`] text.
    pub fn message(&self) -> chamado_i18n::Message {
        use chamado_i18n::Message;
        match self {
            AttachmentRefusal::FileTooLarge { name, size, max } => Message::new("error-attachment-file-too-large")
                .arg("name", format!("{name:?}"))
                .arg("size", size)
                .arg("max", max),
            AttachmentRefusal::ArticleTooLarge { size, max } => {
                Message::new("error-attachment-files-too-large").arg("size", size).arg("max", max)
            }
            AttachmentRefusal::TooMany { count, max } => {
                Message::new("error-attachment-too-many").arg("count", count).arg("max", max)
            }
        }
    }
}

impl AttachmentLimits {
    /// Checks `files` against the limits: the count first, then each file, then the total.
    pub fn check(&self, files: &[Attachment]) -> Result<(), AttachmentRefusal> {
        if files.len() > self.max_count {
            return Err(AttachmentRefusal::TooMany { count: files.len(), max: self.max_count });
        }
        let mut total = 0u64;
        for f in files {
            let size = f.data.len() as u64;
            if size > self.max_file_bytes {
                return Err(AttachmentRefusal::FileTooLarge { name: f.name.clone(), size, max: self.max_file_bytes });
            }
            total = total.saturating_add(size);
        }
        if total > self.max_article_bytes {
            return Err(AttachmentRefusal::ArticleTooLarge { size: total, max: self.max_article_bytes });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(sizes: &[usize]) -> Vec<Attachment> {
        sizes
            .iter()
            .map(|&n| Attachment { name: format!("f{n}"), content_type: "a/b".into(), inline: false, data: vec![0; n] })
            .collect()
    }

    #[test]
    fn each_limit_refuses_one_past_it() {
        let l = AttachmentLimits { max_file_bytes: 10, max_article_bytes: 25, max_count: 3 };
        assert_eq!(l.check(&files(&[10, 10, 5])), Ok(()));
        let e = l.check(&files(&[11])).unwrap_err();
        assert_eq!(e, AttachmentRefusal::FileTooLarge { name: "f11".into(), size: 11, max: 10 });
        assert!(e.is_size());
        assert_eq!(l.check(&files(&[10, 10, 6])), Err(AttachmentRefusal::ArticleTooLarge { size: 26, max: 25 }));
        let e = l.check(&files(&[1, 1, 1, 1])).unwrap_err();
        assert_eq!(e, AttachmentRefusal::TooMany { count: 4, max: 3 });
        assert!(!e.is_size());
    }
}
