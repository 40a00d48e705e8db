//! Tickets with their articles, files and history, read a batch at a time (four queries a batch).

use crate::Skipped;
use crate::attachments;
use crate::db::Db;
use crate::error::Result;
use crate::history;
use crate::lookups::{Lookups, priority_level};
use crate::references::{message_id, message_ids};
use crate::row::Row;
use chamado::import::{ImportedArticle, ImportedHistory, ImportedTicket};
use chamado::{ChannelKind, Lock, Priority, SenderType, Timestamp};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// What one batch read: the tickets that could be mapped, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct TicketBatch {
    /// Tickets, in id order.
    pub tickets: Vec<ImportedTicket>,
    /// Tickets, articles, files and history entries left out (or changed), with the reason.
    pub skipped: Vec<Skipped>,
}

/// The `source` key of a Znuny ticket.
pub fn ticket_source(id: i64) -> String {
    format!("znuny:ticket:{id}")
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// What changes a ticket's revision besides its own change time.
#[derive(Default)]
struct Revision {
    articles: u64,
    last_article: i64,
    last_article_change: i64,
    files: u64,
    last_file: i64,
    history: u64,
    last_history: i64,
}

impl Revision {
    fn text(&self, changed: Timestamp) -> String {
        format!(
            "{}:a{}/{}/{}:f{}/{}:h{}/{}",
            changed.as_millis(),
            self.articles,
            self.last_article,
            self.last_article_change,
            self.files,
            self.last_file,
            self.history,
            self.last_history
        )
    }
}

pub(crate) async fn read(db: &Db, l: &Lookups, ids: &[i64], article_dir: Option<&Path>) -> Result<TicketBatch> {
    let mut batch = TicketBatch::default();
    if ids.is_empty() {
        return Ok(batch);
    }
    let list = id_list(ids);
    let sql = format!(
        "SELECT id, tn, title, queue_id, ticket_lock_id, service_id, sla_id, user_id, responsible_user_id, \
         ticket_priority_id, ticket_state_id, customer_id, customer_user_id, until_time, create_time, change_time \
         FROM ticket WHERE id IN ({list}) ORDER BY id"
    );
    let ticket_rows = db.rows("ticket", &sql).await?;
    let mut revisions: HashMap<i64, Revision> = HashMap::new();
    let mut tickets: BTreeMap<i64, ImportedTicket> = BTreeMap::new();
    let mut numbers: HashMap<i64, String> = HashMap::new();
    for r in &ticket_rows {
        let id = r.int(0)?;
        numbers.insert(id, r.text(1));
        match ticket(r, l) {
            Ok(t) => {
                tickets.insert(id, t);
            }
            Err(reason) => batch.skipped.push(Skipped::new("ticket", r.text(1), reason)),
        }
        revisions.insert(id, Revision::default());
    }
    let customers: HashMap<i64, Option<String>> =
        tickets.iter().map(|(id, t)| (*id, t.customer_user.clone())).collect();
    let number = |id: i64| numbers.get(&id).cloned().unwrap_or_else(|| id.to_string());

    let sql = format!(
        "SELECT a.id, a.ticket_id, a.article_sender_type_id, a.communication_channel_id, a.is_visible_for_customer, \
         a.create_by, a.create_time, a.change_time, m.a_from, m.a_reply_to, m.a_to, m.a_cc, m.a_subject, m.a_body, \
         m.a_message_id, m.a_in_reply_to, m.a_references, m.incoming_time, m.content_path, m.id \
         FROM article a LEFT JOIN article_data_mime m ON m.article_id = a.id \
         WHERE a.ticket_id IN ({list}) ORDER BY a.id"
    );
    let mut articles: BTreeMap<i64, (i64, ImportedArticle)> = BTreeMap::new();
    let mut content_paths: HashMap<i64, String> = HashMap::new();
    for r in db.rows("article", &sql).await? {
        let (id, ticket_id) = (r.int(0)?, r.int(1)?);
        if let Some(rev) = revisions.get_mut(&ticket_id) {
            rev.articles += 1;
            rev.last_article = rev.last_article.max(id);
            rev.last_article_change = rev.last_article_change.max(r.time(7)?.as_millis());
        }
        let key = format!("ticket {} article {id}", number(ticket_id));
        if r.opt_int(19)?.is_none() {
            let channel = l.channels.get(&r.int(3)?).cloned().unwrap_or_default();
            batch.skipped.push(Skipped::new(
                "article",
                key,
                format!("a {channel} article without MIME data (chat transcripts are not imported)"),
            ));
            continue;
        }
        let customer = customers.get(&ticket_id).cloned().flatten();
        let (article, notes) = article(&r, l, customer.as_deref(), &key)?;
        batch.skipped.extend(notes);
        if let Some(path) = r.opt_text(18) {
            content_paths.insert(id, path);
        }
        articles.insert(id, (ticket_id, article));
    }

    let sql = format!(
        "SELECT x.id, x.article_id, x.filename, x.content_type, x.content_id, x.disposition, x.content \
         FROM article_data_mime_attachment x JOIN article a ON a.id = x.article_id \
         WHERE a.ticket_id IN ({list}) ORDER BY x.id"
    );
    for r in db.rows("article_data_mime_attachment", &sql).await? {
        let (file_id, article_id) = (r.int(0)?, r.int(1)?);
        let Some((ticket_id, a)) = articles.get_mut(&article_id) else { continue };
        if let Some(rev) = revisions.get_mut(ticket_id) {
            rev.files += 1;
            rev.last_file = rev.last_file.max(file_id);
        }
        match attachments::from_row(&r, 2, db.dialect()) {
            Ok(file) => a.attachments.push(file),
            Err(reason) => batch.skipped.push(Skipped::new(
                "attachment",
                format!("ticket {} article {article_id}", number(*ticket_id)),
                reason,
            )),
        }
    }
    if let Some(dir) = article_dir {
        for (article_id, (ticket_id, a)) in articles.iter_mut() {
            // Znuny's file storage reads the directory first and the database only when it is empty.
            let Some(path) = content_paths.get(article_id) else { continue };
            let key = format!("ticket {} article {article_id}", number(*ticket_id));
            let (files, notes) = attachments::from_dir(dir, path, *article_id, &key);
            batch.skipped.extend(notes);
            if !files.is_empty() {
                if let Some(rev) = revisions.get_mut(ticket_id) {
                    rev.files += files.len() as u64;
                }
                a.attachments = files;
            }
        }
    }

    let sql = format!(
        "SELECT id, ticket_id, name, history_type_id, create_by, create_time FROM ticket_history \
         WHERE ticket_id IN ({list}) ORDER BY id"
    );
    let mut histories: HashMap<i64, Vec<ImportedHistory>> = HashMap::new();
    let mut unmapped: BTreeMap<(i64, String), u64> = BTreeMap::new();
    for r in db.rows("ticket_history", &sql).await? {
        let (id, ticket_id) = (r.int(0)?, r.int(1)?);
        if let Some(rev) = revisions.get_mut(&ticket_id) {
            rev.history += 1;
            rev.last_history = rev.last_history.max(id);
        }
        let type_name = l.history_types.get(&r.int(3)?).cloned().unwrap_or_default();
        let Some(kind) = history::kind(&type_name) else {
            *unmapped.entry((ticket_id, type_name)).or_default() += 1;
            continue;
        };
        let Ok(source_id) = u64::try_from(id) else { continue };
        histories.entry(ticket_id).or_default().push(ImportedHistory {
            source_id,
            at: r.time(5)?,
            actor: l.login(r.int(4)?).map_or_else(|| "system".to_string(), |a| format!("agent:{a}")),
            kind,
            message: format!("{type_name}: {}", r.text(2)),
        });
    }
    for ((ticket_id, type_name), count) in unmapped {
        batch.skipped.push(Skipped::new(
            "history",
            format!("ticket {}", number(ticket_id)),
            format!("{count} entries of type {type_name:?}: chamado keeps no such history"),
        ));
    }

    for (ticket_id, a) in articles.into_values() {
        if let Some(t) = tickets.get_mut(&ticket_id) {
            t.articles.push(a);
        }
    }
    for (id, mut t) in tickets {
        t.history = histories.remove(&id).unwrap_or_default();
        if let Some(first) = t.articles.first() {
            t.channel = first.channel;
        }
        t.revision = revisions.get(&id).map(|r| r.text(t.changed_at)).unwrap_or_default();
        batch.tickets.push(t);
    }
    Ok(batch)
}

/// The ticket row without its articles and history; `Err` is the reason it cannot come over.
fn ticket(r: &Row, l: &Lookups) -> std::result::Result<ImportedTicket, String> {
    let bad = |e: crate::Error| e.to_string();
    let id = r.int(0).map_err(bad)?;
    let queue = l.queues.get(&r.int(3).map_err(bad)?).cloned().ok_or("its queue does not exist")?;
    let state = l.states.get(&r.int(10).map_err(bad)?).cloned().ok_or("its state does not exist")?;
    let lock = match l.lock_types.get(&r.int(4).map_err(bad)?).map(String::as_str) {
        Some("lock" | "tmp_lock") => Lock::Lock,
        _ => Lock::Unlock,
    };
    let priority_id = r.int(9).map_err(bad)?;
    let priority =
        l.priorities.get(&priority_id).and_then(|name| priority_level(priority_id, name)).unwrap_or(Priority::NORMAL);
    // User 1 is Znuny's admin and its "nobody": the owner of every unlocked ticket no one took, and the
    // responsible of every ticket while responsibles are off.
    let owner_id = r.int(7).map_err(bad)?;
    let owner = if owner_id == 1 && lock == Lock::Unlock { None } else { l.login(owner_id).map(str::to_string) };
    let responsible_id = r.int(8).map_err(bad)?;
    let responsible = if responsible_id == 1 { None } else { l.login(responsible_id).map(str::to_string) };
    let name_of = |i: usize, names: &crate::lookups::Names| -> std::result::Result<Option<String>, String> {
        Ok(r.opt_int(i).map_err(bad)?.and_then(|id| names.get(&id).cloned()))
    };
    let until = r.opt_int(13).map_err(bad)?.unwrap_or(0);
    Ok(ImportedTicket {
        source: ticket_source(id),
        revision: String::new(),
        number: r.text(1),
        title: r.text(2),
        queue,
        state,
        priority,
        lock,
        owner,
        responsible,
        customer_user: r.opt_text(12).map(|s| s.trim().to_string()),
        customer_id: r.opt_text(11).map(|s| s.trim().to_string()),
        service: name_of(5, &l.services)?,
        sla: name_of(6, &l.slas)?,
        pending_until: (until > 0).then(|| Timestamp::from_unix_seconds(until)),
        channel: ChannelKind::Internal,
        created_at: r.time(14).map_err(bad)?,
        changed_at: r.time(15).map_err(bad)?,
        articles: Vec::new(),
        history: Vec::new(),
    })
}

/// One article row (with its MIME data) and notes about what changed on the way.
fn article(r: &Row, l: &Lookups, customer: Option<&str>, key: &str) -> Result<(ImportedArticle, Vec<Skipped>)> {
    let mut notes = Vec::new();
    let sender_name = l.sender_types.get(&r.int(2)?).cloned().unwrap_or_default();
    let sender = match sender_name.as_str() {
        "agent" => SenderType::Agent,
        "customer" => SenderType::Customer,
        "system" => SenderType::System,
        other => {
            notes.push(Skipped::new("article", key, format!("sender type {other:?} is unknown: taken as system")));
            SenderType::System
        }
    };
    let channel_name = l.channels.get(&r.int(3)?).cloned().unwrap_or_default();
    let channel = match channel_name.as_str() {
        "Email" => ChannelKind::Email,
        "Phone" => ChannelKind::Phone,
        "Internal" => ChannelKind::Internal,
        "Chat" => ChannelKind::Chat,
        other => {
            notes.push(Skipped::new("article", key, format!("channel {other:?} is unknown: taken as internal")));
            ChannelKind::Internal
        }
    };
    let created_by = match sender {
        SenderType::Agent => l.login(r.int(5)?).map_or_else(|| "system".to_string(), |a| format!("agent:{a}")),
        SenderType::Customer => customer.map_or_else(|| "system".to_string(), |c| format!("customer:{c}")),
        SenderType::System => "system".to_string(),
    };
    let to = [r.text(10), r.text(11)].into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join(", ");
    let incoming = r.opt_int(17)?.unwrap_or(0);
    let created_at = if incoming > 0 { Timestamp::from_unix_seconds(incoming) } else { r.time(6)? };
    let (in_reply_to, refs) = (r.text(15), r.text(16));
    Ok((
        ImportedArticle {
            source: format!("znuny:article:{}", r.int(0)?),
            sender,
            channel,
            visible_to_customer: r.opt_int(4)?.unwrap_or(0) != 0,
            from: r.text(8),
            reply_to: r.opt_text(9),
            to,
            subject: r.text(12),
            body: r.text(13),
            message_id: message_id(&r.text(14)),
            references: message_ids([in_reply_to.as_str(), refs.as_str()]),
            created_by,
            created_at,
            attachments: Vec::new(),
        },
        notes,
    ))
}
