//! Imports from another help desk: directory records and tickets written as the old system had them
//! (numbers, times, articles, history), each ticket in one commit with the mark that lets a re-run skip
//! what did not change.

use super::{Admin, Engine};
use crate::article::Article;
use crate::attachment::{Attachment, Blob, split_all};
use crate::directory::{Record, StateDef};
use crate::error::{DuplicateKind, Error, Result, StoreError};
use crate::history::HistoryEntry;
use crate::ids::{ArticleId, TicketId};
use crate::import::{ImportMark, ImportOutcome, ImportedArticle, ImportedTicket};
use crate::store::{Commit, MetaWrite, TicketWrite};
use crate::ticket::Ticket;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

/// Set once the store holds imported tickets: their numbers may have any shape, so new numbers are
/// checked against them and text is searched for them as well.
pub(super) const IMPORTED_NUMBERS_KEY: &str = "import:numbers";

/// The longest ticket number an import accepts (OTRS keeps `tn` in 50 characters).
const MAX_NUMBER_LEN: usize = 50;

/// Whether the store holds imported tickets: not yet known, no, yes.
pub(super) const IMPORTED_UNKNOWN: u8 = 0;
const IMPORTED_NO: u8 = 1;
const IMPORTED_YES: u8 = 2;

impl Admin<'_> {
    /// Writes a directory record from an import: `Unchanged` (nothing written) when the store holds it
    /// as it is, else through the same checks as the admin screens. Agents and customer users keep what
    /// only chamado knows of them (API tokens, chat links, notification choices) and a password set or
    /// rehashed here since the last run, unless the old system's password changed since.
    pub async fn import_record(&self, record: Record) -> Result<ImportOutcome> {
        let store = self.engine.store();
        let existing = store.record(&record.key()).await?;
        let (record, remember) = self.keep_local_fields(record, existing.as_ref()).await?;
        if existing.as_ref() == Some(&record) {
            return Ok(ImportOutcome::Unchanged);
        }
        let outcome = if existing.is_some() { ImportOutcome::Updated } else { ImportOutcome::Created };
        match record {
            Record::Customer(c) => self.put_customer(c).await?,
            Record::CustomerUser(u) => self.store_customer_user(u).await?,
            Record::Agent(a) => self.store_agent(a).await?,
            Record::Role(r) => self.put_role(r).await?,
            Record::Group(g) => self.put_group(g).await?,
            Record::Queue(q) => self.put_queue(q).await?,
            Record::Service(s) => self.put_service(s).await?,
            Record::State(s) => self.put_state(s).await?,
            Record::Grant(g) => self.grant(g).await?,
            Record::Priority(p) => self.put_priority(p).await?,
            Record::Sla(s) => self.put_sla(s).await?,
            other => {
                other.validate()?;
                self.put(other).await?;
            }
        }
        // After the record: a failed write leaves the old mark, so the next run tries the password again.
        if let Some((key, value)) = remember {
            store.put_meta(&key, value).await?;
        }
        Ok(outcome)
    }

    /// The imported record with the fields the old system does not have taken from the stored one, and
    /// the stored password kept while the old system's password is the one imported before; with the
    /// password mark to write once the record is.
    async fn keep_local_fields(&self, record: Record, existing: Option<&Record>) -> Result<(Record, Option<MetaPair>)> {
        Ok(match (record, existing) {
            (Record::Agent(mut a), Some(Record::Agent(old))) => {
                a.token_hashes = old.token_hashes.clone();
                a.telegram_chat = a.telegram_chat.or_else(|| old.telegram_chat.clone());
                if a.notifications.is_empty() {
                    a.notifications = old.notifications.clone();
                }
                if a.my_queues.is_empty() {
                    a.my_queues = old.my_queues.clone();
                }
                let (hash, remember) =
                    self.kept_password("agent", &a.login, a.password_hash, &old.password_hash).await?;
                a.password_hash = hash;
                (Record::Agent(a), remember)
            }
            (Record::Agent(a), None) => {
                let remember = (password_key("agent", &a.login), a.password_hash.clone().map(String::into_bytes));
                (Record::Agent(a), Some(remember))
            }
            (Record::CustomerUser(mut u), Some(Record::CustomerUser(old))) => {
                for id in &old.identities {
                    if !u.identities.contains(id) {
                        u.identities.push(id.clone());
                    }
                }
                let (hash, remember) =
                    self.kept_password("customer_user", &u.login, u.password_hash, &old.password_hash).await?;
                u.password_hash = hash;
                (Record::CustomerUser(u), remember)
            }
            (Record::CustomerUser(u), None) => {
                let key = password_key("customer_user", &u.login);
                let remember = (key, u.password_hash.clone().map(String::into_bytes));
                (Record::CustomerUser(u), Some(remember))
            }
            (record, _) => (record, None),
        })
    }

    /// The password to store: the old system's when it changed there since the last run, else the one
    /// stored here (which a login may have rehashed); with the mark to remember when it changed.
    async fn kept_password(
        &self,
        kind: &str,
        login: &str,
        imported: Option<String>,
        stored: &Option<String>,
    ) -> Result<(Option<String>, Option<MetaPair>)> {
        let key = password_key(kind, login);
        let last = match self.engine.store().meta(&key).await? {
            Some(bytes) => String::from_utf8(bytes).ok(),
            None => None,
        };
        if last == imported {
            return Ok((stored.clone(), None));
        }
        let remember = (key, imported.clone().map(String::into_bytes));
        Ok((imported, Some(remember)))
    }

    /// Writes one ticket from an import, in one commit with its mark: `Created` the first time;
    /// `Unchanged` (nothing written) while its revision stays; `Updated` after, when the ticket's
    /// fields are written again and only the articles and history entries the last run did not write
    /// are added. The number is kept as it is; a native ticket holding it already is an error
    /// ([`DuplicateKind::TicketNumber`]). Imports write no events: integrations hear of what happens
    /// after. Escalation clocks do not run for what happened in the old system: under an SLA or queue
    /// targets, the ticket's first change here starts the clocks still owed (as for an SLA chosen later). Call [`Admin::reserve_imported_numbers`] after a batch so that new numbers skip the
    /// imported ones without a check.
    pub async fn import_ticket(&self, t: ImportedTicket) -> Result<ImportOutcome> {
        check_number(&t.number)?;
        let store = self.engine.store();
        let key = ImportMark::key(&t.source);
        let mark = match store.meta(&key).await? {
            Some(bytes) => Some(ImportMark::decode(&bytes).ok_or_else(|| {
                Error::Store(StoreError::Corrupt(format!("the import mark of {:?} cannot be read", t.source)))
            })?),
            None => None,
        };
        if mark.as_ref().is_some_and(|m| m.revision == t.revision) {
            return Ok(ImportOutcome::Unchanged);
        }
        self.engine.queue(&t.queue).await?;
        let state = self.engine.state(&t.state).await?;
        let existing = match &mark {
            Some(m) => store.ticket(m.ticket_id).await?,
            None => None,
        };
        if existing.is_none()
            && let Some(other) = store.ticket_by_number(&t.number).await?
        {
            return Err(StoreError::duplicate(
                DuplicateKind::TicketNumber,
                format!("ticket {} exists already (id {}), not from this import", t.number, other.id),
            )
            .into());
        }
        let mut mark = mark.unwrap_or_else(|| ImportMark {
            ticket_id: TicketId(0),
            revision: String::new(),
            articles: BTreeMap::new(),
            history_after: 0,
        });
        let ticket = self.imported_ticket_row(&t, &state, existing.as_ref()).await?;
        mark.ticket_id = ticket.id;
        mark.revision = t.revision.clone();
        let mut commit = Commit::default();
        let mut blobs: Vec<Blob> = Vec::new();
        let new: Vec<&ImportedArticle> = t.articles.iter().filter(|a| !mark.articles.contains_key(&a.source)).collect();
        // Ids handed out to tasks importing other tickets at the same time may arrive out of order:
        // sorted, they keep the articles in their order (articles are read in id order).
        let mut ids = Vec::with_capacity(new.len());
        for _ in &new {
            ids.push(self.engine.next_id("article_id").await?);
        }
        ids.sort_unstable();
        for (a, id) in new.into_iter().zip(ids) {
            let id = ArticleId(id);
            let (article, files) = self.imported_article(ticket.id, id, a);
            for b in files {
                if !blobs.iter().any(|x| x.hash == b.hash) {
                    blobs.push(b);
                }
            }
            mark.articles.insert(a.source.clone(), id);
            commit.articles.push(article);
        }
        for h in t.history.iter().filter(|h| h.source_id > mark.history_after) {
            commit.history.push(HistoryEntry {
                ticket_id: ticket.id,
                at: h.at,
                actor: h.actor.clone(),
                kind: h.kind,
                message: h.message.clone(),
                text: None,
            });
        }
        mark.history_after = t.history.iter().map(|h| h.source_id).fold(mark.history_after, u64::max);
        let outcome = if existing.is_some() { ImportOutcome::Updated } else { ImportOutcome::Created };
        commit.tickets.push(TicketWrite { expected_version: existing.as_ref().map_or(0, |e| e.version), ticket });
        commit.blobs = blobs;
        commit.meta.push(MetaWrite { key, value: Some(mark.encode()) });
        if self.engine.inner.imported.load(Ordering::Relaxed) != IMPORTED_YES {
            commit.meta.push(MetaWrite { key: IMPORTED_NUMBERS_KEY.into(), value: Some(b"1".to_vec()) });
        }
        store.commit(commit).await?;
        self.engine.inner.imported.store(IMPORTED_YES, Ordering::Relaxed);
        Ok(outcome)
    }

    /// Moves the number counters past every imported number our own format could also produce, so
    /// that new tickets never take one (new numbers are checked against imported ones in any case;
    /// this keeps that check from finding them one by one). Cheap to repeat: one counter write per
    /// day (or counter) that needs raising.
    pub async fn reserve_imported_numbers<'n>(&self, numbers: impl IntoIterator<Item = &'n str>) -> Result<()> {
        let mut highest: BTreeMap<String, u64> = BTreeMap::new();
        for n in numbers {
            if let Some((scope, counter)) = self.engine.numbers().counter_of(n) {
                let e = highest.entry(scope).or_default();
                *e = (*e).max(counter);
            }
        }
        let store = self.engine.store();
        for (scope, counter) in highest {
            let first = store.allocate(&scope, 1).await?;
            if first <= counter {
                store.allocate(&scope, counter - first + 1).await?;
            }
            self.engine.inner.allocator.forget(&scope);
        }
        Ok(())
    }

    async fn imported_ticket_row(
        &self,
        t: &ImportedTicket,
        state: &StateDef,
        existing: Option<&Ticket>,
    ) -> Result<Ticket> {
        let (id, version) = match existing {
            Some(e) => (e.id, e.version + 1),
            None => (TicketId(self.engine.next_id("ticket_id").await?), 1),
        };
        let title = t.title.trim();
        let title = if title.is_empty() { "(no subject)".to_string() } else { super::build::truncate(title, 255) };
        Ok(Ticket {
            id,
            number: t.number.clone(),
            title,
            queue: t.queue.clone(),
            state: state.name.clone(),
            state_type: state.state_type,
            priority: t.priority,
            lock: t.lock,
            owner: t.owner.clone(),
            responsible: t.responsible.clone(),
            customer_user: t.customer_user.clone(),
            customer_id: t.customer_id.clone(),
            service: t.service.clone(),
            channel: t.channel,
            created_at: t.created_at,
            changed_at: t.changed_at,
            pending_until: t.pending_until.filter(|_| state.state_type.is_pending()),
            reminded_for: existing.and_then(|e| e.reminded_for),
            merged_into: existing.and_then(|e| e.merged_into),
            linked: existing.map(|e| e.linked.clone()).unwrap_or_default(),
            version,
            watchers: existing.map(|e| e.watchers.clone()).unwrap_or_default(),
            unlock_at: None,
            sla: t.sla.clone(),
            escalation: existing.map(|e| e.escalation.clone()).unwrap_or_default(),
        })
    }

    /// The article row and its files. A body over the engine's limit is cut there, and kept whole as a
    /// text file beside it, so nothing of the old system's text is lost.
    fn imported_article(&self, ticket: TicketId, id: ArticleId, a: &ImportedArticle) -> (Article, Vec<Blob>) {
        let max = self.engine.config().max_body_bytes;
        let mut files = a.attachments.clone();
        let body = if a.body.len() > max {
            files.push(Attachment {
                name: "article-body.txt".into(),
                content_type: "text/plain; charset=utf-8".into(),
                inline: false,
                data: a.body.clone().into_bytes(),
            });
            let mut end = max;
            while !a.body.is_char_boundary(end) {
                end -= 1;
            }
            a.body[..end].to_string()
        } else {
            a.body.clone()
        };
        let (attachments, blobs) = split_all(files);
        let article = Article {
            id,
            ticket_id: ticket,
            sender: a.sender,
            channel: a.channel,
            visible_to_customer: a.visible_to_customer,
            from: a.from.clone(),
            reply_to: a.reply_to.clone(),
            to: a.to.clone(),
            subject: a.subject.clone(),
            body,
            attachments,
            external_id: a.message_id.clone().filter(|m| !m.trim().is_empty()),
            references: a.references.clone(),
            created_by: a.created_by.clone(),
            created_at: a.created_at,
            sender_auth: None,
        };
        (article, blobs)
    }
}

impl Engine {
    /// Whether the store holds imported tickets (read once, then kept; an import on this engine sets it).
    pub(super) async fn has_imported_numbers(&self) -> Result<bool> {
        match self.inner.imported.load(Ordering::Relaxed) {
            IMPORTED_YES => Ok(true),
            IMPORTED_NO => Ok(false),
            _ => {
                let yes = self.store().meta(IMPORTED_NUMBERS_KEY).await?.is_some();
                self.inner.imported.store(if yes { IMPORTED_YES } else { IMPORTED_NO }, Ordering::Relaxed);
                Ok(yes)
            }
        }
    }
}

/// An adapter-state key and the value to set (`None` deletes).
type MetaPair = (String, Option<Vec<u8>>);

fn password_key(kind: &str, login: &str) -> String {
    format!("import:password:{kind}:{login}")
}

/// Ticket numbers of other systems are digits in OTRS, but some installations add letters or dashes
/// with their own generators: accept those, nothing that would break a subject or a URL.
fn check_number(n: &str) -> Result<()> {
    let ok = !n.is_empty()
        && n.len() <= MAX_NUMBER_LEN
        && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(format!("ticket number {n:?} must be 1 to {MAX_NUMBER_LEN} letters, digits, - or _")))
    }
}
