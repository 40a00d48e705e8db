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
    k_key: Option<&'a str>,
    k_data: Option<Json<&'a chamado::IdempotencyRecord>>,
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
    /// Columns of `tickets` (from [`fold`]) and the rest of `c`. Tickets go in id order, so two commits
    /// touching the same tickets lock their rows in the same order and cannot deadlock on them.
    pub(crate) fn of(tickets: &[(u64, &'a Ticket)], c: &'a Commit) -> Self {
        let mut sorted: Vec<&(u64, &Ticket)> = tickets.iter().collect();
        sorted.sort_by_key(|(_, t)| t.id);
        let n = sorted.len();
        let writes = |id: chamado::TicketId| tickets.iter().any(|(_, t)| t.id == id);
        let shape = Shape::default()
            .with(Shape::INSERT, tickets.iter().any(|(e, _)| *e == 0))
            .with(Shape::UPDATE, tickets.iter().any(|(e, _)| *e != 0))
            .with(Shape::ARTICLES, !c.articles.is_empty())
            .with(Shape::OTHER_WORDS, c.articles.iter().any(|a| !writes(a.ticket_id)))
            .with(Shape::EXTERNAL, c.articles.iter().any(|a| a.external_id.is_some()))
            .with(Shape::HISTORY, !c.history.is_empty())
            .with(Shape::OUTBOX, !c.outbox.is_empty())
            .with(Shape::IDEMPOTENCY, c.idempotency.is_some())
            .with(Shape::BLOBS, !c.blobs.is_empty())
            .with(Shape::META, !c.meta.is_empty())
            .with(Shape::WEBHOOKS, !c.webhooks.is_empty());
        // The last write of each key wins, as applying them in turn would.
        let mut meta: Vec<&chamado::MetaWrite> = Vec::with_capacity(c.meta.len());
        for m in &c.meta {
            meta.retain(|o| o.key != m.key);
            meta.push(m);
        }
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
            a_id: c.articles.iter().map(|a| id(a.id.0)).collect(),
            a_ticket: c.articles.iter().map(|a| id(a.ticket_id.0)).collect(),
            a_body: c.articles.iter().map(|a| a.body.as_str()).collect(),
            a_data: c.articles.iter().map(Json).collect(),
            a_external: c.articles.iter().map(|a| a.external_id.as_deref()).collect(),
            h_ticket: c.history.iter().map(|h| id(h.ticket_id.0)).collect(),
            h_data: c.history.iter().map(Json).collect(),
            o_id: c.outbox.iter().map(|o| id(o.id.0)).collect(),
            o_ticket: c.outbox.iter().map(|o| id(o.ticket_id.0)).collect(),
            o_due: c.outbox.iter().map(|o| o.due_at().map(|t| t.0)).collect(),
            o_data: c.outbox.iter().map(Json).collect(),
            k_key: c.idempotency.as_ref().map(|i| i.key.as_str()),
            k_data: c.idempotency.as_ref().map(Json),
            b_hash: c.blobs.iter().map(|b| b.hash.as_bytes().as_slice()).collect(),
            b_data: c.blobs.iter().map(|b| b.data.as_slice()).collect(),
            m_key: meta.iter().map(|m| m.key.as_str()).collect(),
            m_value: meta.iter().map(|m| m.value.as_deref()).collect(),
            w_id: c.webhooks.iter().map(|w| id(w.id)).collect(),
            w_subscription: c.webhooks.iter().map(|w| w.subscription.as_str()).collect(),
            w_ticket: c.webhooks.iter().map(|w| w.ticket_id.map(|t| id(t.0))).collect(),
            w_due: c.webhooks.iter().map(|w| w.due_at().map(|t| t.0)).collect(),
            w_created: c.webhooks.iter().map(|w| w.created_at.0).collect(),
            w_data: c.webhooks.iter().map(Json).collect(),
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
