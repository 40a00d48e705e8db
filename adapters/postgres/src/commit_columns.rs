//! A commit turned into the parallel arrays the statements of [`crate::commit_sql`] take.

use crate::commit_sql::Shape;
use chamado::{Commit, DuplicateKind, StoreError, StoreResult, Ticket, TicketWrite};
use tokio_postgres::types::{Json, ToSql};

fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// One write per ticket, in the order of each ticket's first write: `(expected version, final row)`.
///
/// The statement sees each ticket once (a CTE cannot update a row its sibling inserted), so several writes
/// of one ticket in a commit fold into one when each expects the version the previous one wrote, which is
/// what applying them in turn would have required; any other sequence is refused as it would have been.
pub(crate) fn fold(writes: &[TicketWrite]) -> StoreResult<Vec<(u64, &Ticket)>> {
    let mut out: Vec<(u64, &Ticket)> = Vec::with_capacity(writes.len());
    for w in writes {
        match out.iter_mut().find(|(_, t)| t.id == w.ticket.id) {
            None => out.push((w.expected_version, &w.ticket)),
            Some((_, prev)) if w.expected_version != 0 && w.expected_version == prev.version => *prev = &w.ticket,
            Some((_, prev)) if w.expected_version == 0 => {
                return Err(StoreError::duplicate(
                    DuplicateKind::TicketId,
                    format!("ticket id {} twice in one commit", prev.id),
                ));
            }
            Some((_, prev)) => {
                return Err(StoreError::Conflict {
                    ticket: w.ticket.id.0,
                    expected: w.expected_version,
                    found: prev.version,
                });
            }
        }
    }
    Ok(out)
}

/// The `escalation_mark` column (migration 7): 2 when the ticket belongs to
/// [`chamado::TicketIndex::Escalated`], 1 when to [`chamado::TicketIndex::AtRisk`], else 0, by the rules
/// [`chamado::TicketIndex::keys_of`] applies.
pub(crate) fn escalation_mark(t: &Ticket) -> i16 {
    if t.escalation.is_breached() {
        2
    } else if t.escalation.is_at_risk() {
        1
    } else {
        0
    }
}

/// The statement's parameters, borrowing from the commit, and the parts it has.
pub(crate) struct Columns<'a> {
    shape: Shape,
    t_id: Vec<i64>,
    t_number: Vec<&'a str>,
    t_version: Vec<i64>,
    t_changed: Vec<i64>,
    t_queue: Vec<&'a str>,
    t_state: Vec<i16>,
    t_customer_user: Vec<Option<&'a str>>,
    t_customer_id: Vec<Option<&'a str>>,
    t_pending: Vec<Option<i64>>,
    t_title: Vec<&'a str>,
    t_data: Vec<Json<&'a Ticket>>,
    t_expected: Vec<i64>,
    t_escalation: Vec<i16>,
    a_id: Vec<i64>,
    a_ticket: Vec<i64>,
    a_body: Vec<&'a str>,
    a_data: Vec<Json<&'a chamado::Article>>,
    a_external: Vec<Option<&'a str>>,
    h_ticket: Vec<i64>,
    h_data: Vec<Json<&'a chamado::HistoryEntry>>,
    o_id: Vec<i64>,
    o_ticket: Vec<i64>,
    o_due: Vec<Option<i64>>,
    o_data: Vec<Json<&'a chamado::OutboxEntry>>,
    k_key: Vec<&'a str>,
    k_data: Vec<Json<&'a chamado::IdempotencyRecord>>,
    b_hash: Vec<&'a [u8]>,
    b_data: Vec<&'a [u8]>,
    m_key: Vec<&'a str>,
    m_value: Vec<Option<&'a [u8]>>,
    w_id: Vec<i64>,
    w_subscription: Vec<&'a str>,
    w_ticket: Vec<Option<i64>>,
    w_due: Vec<Option<i64>>,
    w_created: Vec<i64>,
    w_data: Vec<Json<&'a chamado::WebhookDelivery>>,
}

impl<'a> Columns<'a> {
    /// Columns of `tickets` (from [`fold`]) and the rest of `c`.
    pub(crate) fn of(tickets: &[(u64, &'a Ticket)], c: &'a Commit) -> Self {
        Self::of_batch(&[(tickets, c)])
    }

    /// Columns of several commits applied as one (a group-commit batch, [`crate::group`]), each with its
    /// folded tickets. The caller makes sure no two of them write the same ticket, number or key, so
    /// the one statement does what applying them one after another would. Rows other than tickets keep
    /// commit order (history's seqs follow it). Tickets go in id order, so two statements touching the
    /// same tickets lock their rows in the same order and cannot deadlock on them.
    pub(crate) fn of_batch(parts: &[(&[(u64, &'a Ticket)], &'a Commit)]) -> Self {
        let mut sorted: Vec<&(u64, &Ticket)> = parts.iter().flat_map(|(t, _)| t.iter()).collect();
        sorted.sort_by_key(|(_, t)| t.id);
        let n = sorted.len();
        let commits = || parts.iter().map(|(_, c)| *c);
        let writes = |id: chamado::TicketId| sorted.iter().any(|(_, t)| t.id == id);
        let shape = Shape::default()
            .with(Shape::INSERT, sorted.iter().any(|(e, _)| *e == 0))
            .with(Shape::UPDATE, sorted.iter().any(|(e, _)| *e != 0))
            .with(Shape::ARTICLES, commits().any(|c| !c.articles.is_empty()))
            .with(Shape::OTHER_WORDS, commits().flat_map(|c| &c.articles).any(|a| !writes(a.ticket_id)))
            .with(Shape::EXTERNAL, commits().flat_map(|c| &c.articles).any(|a| a.external_id.is_some()))
            .with(Shape::HISTORY, commits().any(|c| !c.history.is_empty()))
            .with(Shape::OUTBOX, commits().any(|c| !c.outbox.is_empty()))
            .with(Shape::IDEMPOTENCY, commits().any(|c| c.idempotency.is_some()))
            .with(Shape::BLOBS, commits().any(|c| !c.blobs.is_empty()))
            .with(Shape::META, commits().any(|c| !c.meta.is_empty()))
            .with(Shape::WEBHOOKS, commits().any(|c| !c.webhooks.is_empty()));
        // The last write of each key within a commit wins, as applying them in turn would.
        let mut meta: Vec<&chamado::MetaWrite> = Vec::new();
        for c in commits() {
            let first = meta.len();
            for m in &c.meta {
                if let Some(at) = meta[first..].iter().position(|o| o.key == m.key) {
                    meta.remove(first + at);
                }
                meta.push(m);
            }
        }
        let articles = || commits().flat_map(|c| &c.articles);
        let history = || commits().flat_map(|c| &c.history);
        let outbox = || commits().flat_map(|c| &c.outbox);
        let blobs = || commits().flat_map(|c| &c.blobs);
        let webhooks = || commits().flat_map(|c| &c.webhooks);
        let idempotency = || commits().filter_map(|c| c.idempotency.as_ref());
        let mut cols = Columns {
            shape,
            t_id: Vec::with_capacity(n),
            t_number: Vec::with_capacity(n),
            t_version: Vec::with_capacity(n),
            t_changed: Vec::with_capacity(n),
            t_queue: Vec::with_capacity(n),
            t_state: Vec::with_capacity(n),
            t_customer_user: Vec::with_capacity(n),
            t_customer_id: Vec::with_capacity(n),
            t_pending: Vec::with_capacity(n),
            t_title: Vec::with_capacity(n),
            t_data: Vec::with_capacity(n),
            t_expected: Vec::with_capacity(n),
            t_escalation: Vec::with_capacity(n),
            a_id: articles().map(|a| id(a.id.0)).collect(),
            a_ticket: articles().map(|a| id(a.ticket_id.0)).collect(),
            a_body: articles().map(|a| a.body.as_str()).collect(),
            a_data: articles().map(Json).collect(),
            a_external: articles().map(|a| a.external_id.as_deref()).collect(),
            h_ticket: history().map(|h| id(h.ticket_id.0)).collect(),
            h_data: history().map(Json).collect(),
            o_id: outbox().map(|o| id(o.id.0)).collect(),
            o_ticket: outbox().map(|o| id(o.ticket_id.0)).collect(),
            o_due: outbox().map(|o| o.due_at().map(|t| t.0)).collect(),
            o_data: outbox().map(Json).collect(),
            k_key: idempotency().map(|i| i.key.as_str()).collect(),
            k_data: idempotency().map(Json).collect(),
            b_hash: blobs().map(|b| b.hash.as_bytes().as_slice()).collect(),
            b_data: blobs().map(|b| b.data.as_slice()).collect(),
            m_key: meta.iter().map(|m| m.key.as_str()).collect(),
            m_value: meta.iter().map(|m| m.value.as_deref()).collect(),
            w_id: webhooks().map(|w| id(w.id)).collect(),
            w_subscription: webhooks().map(|w| w.subscription.as_str()).collect(),
            w_ticket: webhooks().map(|w| w.ticket_id.map(|t| id(t.0))).collect(),
            w_due: webhooks().map(|w| w.due_at().map(|t| t.0)).collect(),
            w_created: webhooks().map(|w| w.created_at.0).collect(),
            w_data: webhooks().map(Json).collect(),
        };
        for (expected, t) in sorted {
            cols.t_id.push(id(t.id.0));
            cols.t_number.push(&t.number);
            cols.t_version.push(id(t.version));
            cols.t_changed.push(t.changed_at.0);
            cols.t_queue.push(&t.queue);
            cols.t_state.push(i16::from(t.state_type.code()));
            cols.t_customer_user.push(t.customer_user.as_deref());
            cols.t_customer_id.push(t.customer_id.as_deref());
            cols.t_pending.push(t.pending_due().map(|p| p.0));
            cols.t_title.push(&t.title);
            cols.t_data.push(Json(t));
            cols.t_expected.push(id(*expected));
            cols.t_escalation.push(escalation_mark(t));
        }
        cols
    }

    /// Which parts the commit has.
    pub(crate) fn shape(&self) -> Shape {
        self.shape
    }

    /// The parameters in statement order.
    pub(crate) fn params(&self) -> [&(dyn ToSql + Sync); 36] {
        [
            &self.t_id,
            &self.t_number,
            &self.t_version,
            &self.t_changed,
            &self.t_queue,
            &self.t_state,
            &self.t_customer_user,
            &self.t_customer_id,
            &self.t_pending,
            &self.t_title,
            &self.t_data,
            &self.t_expected,
            &self.a_id,
            &self.a_ticket,
            &self.a_body,
            &self.a_data,
            &self.a_external,
            &self.h_ticket,
            &self.h_data,
            &self.o_id,
            &self.o_ticket,
            &self.o_due,
            &self.o_data,
            &self.k_key,
            &self.k_data,
            &self.b_hash,
            &self.b_data,
            &self.m_key,
            &self.m_value,
            &self.t_escalation,
            &self.w_id,
            &self.w_subscription,
            &self.w_ticket,
            &self.w_due,
            &self.w_created,
            &self.w_data,
        ]
    }
}
