//! Mailboxes the helpdesk pulls mail from: admins manage them; the mail adapter reads them.

use super::admin_texts as texts;
use super::{Admin, Engine};
use crate::directory::{MailAccount, Record, RecordKey, RecordKind};
use crate::error::{Error, Result};

impl Admin<'_> {
    /// Adds or replaces a mail account; its queue must exist.
    pub async fn put_mail_account(&self, account: MailAccount) -> Result<()> {
        account.validate()?;
        let queue = RecordKey::new(RecordKind::Queue, &account.queue);
        if self.engine.store().record(&queue).await?.is_none() {
            return Err(Error::not_found(texts::missing(RecordKind::Queue, &account.queue)));
        }
        self.put(Record::MailAccount(account)).await
    }

    /// Removes a mail account, with what the helpdesk kept about it (its status and its OAuth2 tokens).
    /// Its checkpoints stay, so an account added again under the same name does not read its mail twice.
    pub async fn delete_mail_account(&self, name: &str) -> Result<()> {
        let key = RecordKey::new(RecordKind::MailAccount, name);
        if self.engine.store().record(&key).await?.is_none() {
            return Err(Error::not_found(texts::missing(RecordKind::MailAccount, name)));
        }
        self.engine.store().delete_record(&key).await?;
        self.engine.set_mail_account_status(name, None).await?;
        self.engine.set_mail_account_token(name, None).await?;
        self.engine.invalidate_directory();
        Ok(())
    }
}

impl Engine {
    /// Every mail account, valid or not, in name order: what the mail adapter reads.
    pub async fn mail_accounts(&self) -> Result<Vec<MailAccount>> {
        Ok(self
            .all_records(RecordKind::MailAccount, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::MailAccount(m) = r { Some(m) } else { None })
            .collect())
    }

    /// One mail account.
    pub async fn mail_account(&self, name: &str) -> Result<Option<MailAccount>> {
        match self.store().record(&RecordKey::new(RecordKind::MailAccount, name)).await? {
            Some(Record::MailAccount(m)) => Ok(Some(m)),
            _ => Ok(None),
        }
    }
}
