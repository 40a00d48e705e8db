//! The texts admins write: auto-responses, salutations, signatures, standard templates and the
//! settings of agent notifications. Admins manage them; queues and the engine's rules use them.

use super::admin_texts as texts;
use super::{Actor, Admin, Engine};
use crate::directory::{
    AutoResponse, AutoResponseKind, NotificationDef, NotificationKind, Queue, Record, RecordKey, RecordKind,
    Salutation, Signature, StandardTemplate, TemplateKind,
};
use crate::error::{Error, Result};
use crate::permissions::Permission;
use chamado_i18n::Message;

impl Admin<'_> {
    /// Adds or replaces an auto-response. Its kind cannot change while a queue uses it for another.
    pub async fn put_auto_response(&self, a: AutoResponse) -> Result<()> {
        a.validate()?;
        for q in self.engine.all_queues().await? {
            for kind in AutoResponseKind::ALL {
                if q.auto_responses.get(kind) == Some(a.name.as_str()) && kind != a.kind {
                    return Err(Error::rejected(in_use(RecordKind::AutoResponse, &a.name, &q.name)));
                }
            }
        }
        self.put(Record::AutoResponse(a)).await
    }

    /// Adds or replaces a salutation.
    pub async fn put_salutation(&self, s: Salutation) -> Result<()> {
        self.put(Record::Salutation(s)).await
    }

    /// Adds or replaces a signature.
    pub async fn put_signature(&self, s: Signature) -> Result<()> {
        self.put(Record::Signature(s)).await
    }

    /// Adds or replaces a standard template; its queues must exist.
    pub async fn put_template(&self, t: StandardTemplate) -> Result<()> {
        t.validate()?;
        for q in &t.queues {
            if !self.record_exists(RecordKind::Queue, q).await? {
                return Err(Error::not_found(texts::missing(RecordKind::Queue, q)));
            }
        }
        self.put(Record::Template(t)).await
    }

    /// Sets what a notification kind does (on or off, default channels, whether agents may choose,
    /// texts).
    pub async fn put_notification(&self, n: NotificationDef) -> Result<()> {
        self.put(Record::Notification(n)).await
    }

    /// Removes an auto-response, salutation, signature or standard template; one a queue uses is kept
    /// (the refusal names the queue). Removing a notification's settings restores the shipped ones.
    pub async fn delete_text(&self, kind: RecordKind, name: &str) -> Result<()> {
        let queue_uses = |q: &Queue| match kind {
            RecordKind::AutoResponse => AutoResponseKind::ALL.iter().any(|k| q.auto_responses.get(*k) == Some(name)),
            RecordKind::Salutation => q.salutation.as_deref() == Some(name),
            RecordKind::Signature => q.signature.as_deref() == Some(name),
            _ => false,
        };
        match kind {
            RecordKind::AutoResponse
            | RecordKind::Salutation
            | RecordKind::Signature
            | RecordKind::Template
            | RecordKind::Notification => {}
            _ => return Err(Error::validation(Message::new("error-not-a-text-kind"))),
        }
        let key = RecordKey::new(kind, name);
        if self.engine.store().record(&key).await?.is_none() {
            return Err(Error::not_found(texts::missing(kind, name)));
        }
        if let Some(q) = self.engine.all_queues().await?.iter().find(|q| queue_uses(q)) {
            return Err(Error::rejected(in_use(kind, name, &q.name)));
        }
        self.engine.store().delete_record(&key).await?;
        self.engine.invalidate_directory();
        Ok(())
    }

    /// Checks the texts a queue names: each exists, and each auto-response is of the kind it is used for.
    pub(super) async fn check_queue_texts(&self, q: &Queue) -> Result<()> {
        for kind in AutoResponseKind::ALL {
            let Some(name) = q.auto_responses.get(kind) else { continue };
            match self.engine.auto_response(name).await? {
                None => return Err(Error::not_found(texts::missing(RecordKind::AutoResponse, name))),
                Some(a) if a.kind != kind => {
                    return Err(Error::validation(
                        Message::new("error-auto-response-wrong-kind")
                            .arg("name", format!("{name:?}"))
                            .arg("kind", kind.as_str()),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(s) = &q.salutation
            && !self.record_exists(RecordKind::Salutation, s).await?
        {
            return Err(Error::not_found(texts::missing(RecordKind::Salutation, s)));
        }
        if let Some(s) = &q.signature
            && !self.record_exists(RecordKind::Signature, s).await?
        {
            return Err(Error::not_found(texts::missing(RecordKind::Signature, s)));
        }
        Ok(())
    }

    async fn record_exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        Ok(self.engine.store().record(&RecordKey::new(kind, key)).await?.is_some())
    }
}

fn in_use(kind: RecordKind, name: &str, queue: &str) -> Message {
    Message::new("error-text-in-use")
        .arg_key("noun", texts::noun(kind))
        .arg("name", format!("{name:?}"))
        .arg("queue", format!("{queue:?}"))
}

impl Engine {
    async fn all_queues(&self) -> Result<Vec<Queue>> {
        Ok(self
            .all_records(RecordKind::Queue, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Queue(q) = r { Some(q) } else { None })
            .collect())
    }

    /// Every auto-response, in name order.
    pub async fn auto_responses(&self) -> Result<Vec<AutoResponse>> {
        Ok(self
            .all_records(RecordKind::AutoResponse, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::AutoResponse(a) = r { Some(a) } else { None })
            .collect())
    }

    /// One auto-response.
    pub async fn auto_response(&self, name: &str) -> Result<Option<AutoResponse>> {
        match self.store().record(&RecordKey::new(RecordKind::AutoResponse, name)).await? {
            Some(Record::AutoResponse(a)) => Ok(Some(a)),
            _ => Ok(None),
        }
    }

    /// Every salutation, in name order.
    pub async fn salutations(&self) -> Result<Vec<Salutation>> {
        Ok(self
            .all_records(RecordKind::Salutation, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Salutation(s) = r { Some(s) } else { None })
            .collect())
    }

    /// One salutation.
    pub async fn salutation(&self, name: &str) -> Result<Option<Salutation>> {
        match self.store().record(&RecordKey::new(RecordKind::Salutation, name)).await? {
            Some(Record::Salutation(s)) => Ok(Some(s)),
            _ => Ok(None),
        }
    }

    /// Every signature, in name order.
    pub async fn signatures(&self) -> Result<Vec<Signature>> {
        Ok(self
            .all_records(RecordKind::Signature, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Signature(s) = r { Some(s) } else { None })
            .collect())
    }

    /// One signature.
    pub async fn signature(&self, name: &str) -> Result<Option<Signature>> {
        match self.store().record(&RecordKey::new(RecordKind::Signature, name)).await? {
            Some(Record::Signature(s)) => Ok(Some(s)),
            _ => Ok(None),
        }
    }

    /// Every standard template, in name order (for admins).
    pub async fn templates(&self) -> Result<Vec<StandardTemplate>> {
        Ok(self
            .all_records(RecordKind::Template, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Template(t) = r { Some(t) } else { None })
            .collect())
    }

    /// One standard template.
    pub async fn template(&self, name: &str) -> Result<Option<StandardTemplate>> {
        match self.store().record(&RecordKey::new(RecordKind::Template, name)).await? {
            Some(Record::Template(t)) => Ok(Some(t)),
            _ => Ok(None),
        }
    }

    /// The valid templates of `kind` offered in `queue` to `actor` (an agent who may read the queue,
    /// for [`TemplateKind::Create`] one who may create in it), in name order. An agent without that
    /// permission is answered as for a queue that does not exist, so the answer does not tell which
    /// queues exist.
    pub async fn templates_for_queue(
        &self,
        actor: &Actor,
        queue: &str,
        kind: TemplateKind,
    ) -> Result<Vec<StandardTemplate>> {
        let Actor::Agent(login) = actor else {
            return Err(Error::permission_denied(Message::new("error-templates-agents-only")));
        };
        let access = self.agent_access(login).await?;
        let q = self.queue(queue).await?;
        let need = if kind == TemplateKind::Create { Permission::Create } else { Permission::Ro };
        if !access.has(&q.group, need) {
            return Err(Error::not_found(Message::new("error-queue-not-found").arg("name", format!("{queue:?}"))));
        }
        Ok(self
            .templates()
            .await?
            .into_iter()
            .filter(|t| t.valid && t.kind == kind && t.queues.iter().any(|n| n == queue))
            .collect())
    }

    /// What every notification kind does: the admin's settings, else the shipped ones.
    pub async fn notification_defs(&self) -> Result<Vec<NotificationDef>> {
        let stored: Vec<NotificationDef> = self
            .all_records(RecordKind::Notification, "")
            .await?
            .into_iter()
            .filter_map(|r| if let Record::Notification(n) = r { Some(n) } else { None })
            .collect();
        Ok(NotificationKind::ALL
            .into_iter()
            .map(|k| stored.iter().find(|n| n.kind == k).cloned().unwrap_or_else(|| NotificationDef::shipped(k)))
            .collect())
    }

    /// What one notification kind does.
    pub async fn notification_def(&self, kind: NotificationKind) -> Result<NotificationDef> {
        match self.store().record(&RecordKey::new(RecordKind::Notification, NotificationDef::key_of(kind))).await? {
            Some(Record::Notification(n)) => Ok(n),
            _ => Ok(NotificationDef::shipped(kind)),
        }
    }
}
