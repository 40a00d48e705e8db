//! Webhook deliveries and fan-out entries (schema 9), each written with every index that names it: due
//! (pending only, what claiming walks), by subscription (deliveries only, the admin's list), pending by
//! ticket (what keeps a ticket's deliveries in order) and finished by creation time (what pruning walks).

use crate::codec::{decode, encode};
use crate::error::{Error, Result};
use crate::keys::{due_key, pair_child, pair_key, split_due_key};
use crate::tables::{WEBHOOKS, WEBHOOKS_BY_SUB, WEBHOOKS_DONE, WEBHOOKS_DUE, WEBHOOKS_PENDING, WriteTables};
use chamado::{OutboxStatus, TicketId, Timestamp, WebhookDelivery};
use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, ReadableTableMetadata};

impl WriteTables<'_> {
    /// Reads a delivery inside the write transaction.
    pub(crate) fn get_webhook(&self, id: u64) -> Result<Option<WebhookDelivery>> {
        match self.webhooks.get(id)? {
            Some(v) => Ok(Some(decode(v.value(), "a webhook delivery")?)),
            None => Ok(None),
        }
    }

    /// Inserts or replaces a delivery, moving its index entries.
    pub(crate) fn put_webhook(&mut self, w: &WebhookDelivery) -> Result<()> {
        if let Some(old) = self.get_webhook(w.id)? {
            self.index_webhook(&old, false)?;
        }
        self.index_webhook(w, true)?;
        self.webhooks.insert(w.id, encode(w)?.as_slice())?;
        Ok(())
    }

    fn index_webhook(&mut self, w: &WebhookDelivery, insert: bool) -> Result<()> {
        let due = w.due_at().map(|at| due_key(at, w.id));
        let done = (w.status != OutboxStatus::Pending).then(|| due_key(w.created_at, w.id));
        let pending = w.ticket_id.filter(|_| w.status == OutboxStatus::Pending).map(|t| pair_key(t.0, w.id));
        let by_sub = (!w.is_fan_out()).then_some((w.subscription.as_str(), w.id));
        if insert {
            if let Some(k) = due {
                self.webhooks_due.insert(k.as_slice(), ())?;
            }
            if let Some(k) = done {
                self.webhooks_done.insert(k.as_slice(), ())?;
            }
            if let Some(k) = pending {
                self.webhooks_pending.insert(k.as_slice(), ())?;
            }
            if let Some(k) = by_sub {
                self.webhooks_by_sub.insert(k, ())?;
            }
        } else {
            if let Some(k) = due {
                self.webhooks_due.remove(k.as_slice())?;
            }
            if let Some(k) = done {
                self.webhooks_done.remove(k.as_slice())?;
            }
            if let Some(k) = pending {
                self.webhooks_pending.remove(k.as_slice())?;
            }
            if let Some(k) = by_sub {
                self.webhooks_by_sub.remove(k)?;
            }
        }
        Ok(())
    }

    /// Claims up to `limit` due deliveries: their next attempt becomes the lease's end.
    pub(crate) fn claim_webhooks(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<WebhookDelivery>> {
        let due = due_ids(&self.webhooks_due, now, limit)?;
        let mut claimed = Vec::with_capacity(due.len());
        for id in due {
            if let Some(mut w) = self.get_webhook(id)? {
                w.next_attempt_at = lease_until;
                self.put_webhook(&w)?;
                claimed.push(w);
            }
        }
        Ok(claimed)
    }

    /// Removes up to `limit` finished deliveries created before `before`, oldest first.
    pub(crate) fn prune_webhooks(&mut self, before: Timestamp, limit: usize) -> Result<u64> {
        let old = old_finished(&self.webhooks_done, before, limit)?;
        for id in &old {
            if let Some(w) = self.get_webhook(*id)? {
                self.index_webhook(&w, false)?;
            }
            self.webhooks.remove(*id)?;
        }
        Ok(old.len() as u64)
    }
}

/// The ids of up to `limit` entries of a `(time, id)` index whose time is at or before `until`
/// (`inclusive`) or before it, earliest first.
fn walk(
    index: &impl ReadableTable<&'static [u8], ()>,
    until: Timestamp,
    inclusive: bool,
    limit: usize,
) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for row in index.iter()? {
        if out.len() >= limit {
            break;
        }
        let (k, _) = row?;
        let (at, id) =
            split_due_key(k.value()).ok_or_else(|| Error::Corrupt("a webhook index key is malformed".into()))?;
        if at > until || (!inclusive && at == until) {
            break;
        }
        out.push(id);
    }
    Ok(out)
}

fn due_ids(due: &impl ReadableTable<&'static [u8], ()>, now: Timestamp, limit: usize) -> Result<Vec<u64>> {
    walk(due, now, true, limit)
}

fn old_finished(done: &impl ReadableTable<&'static [u8], ()>, before: Timestamp, limit: usize) -> Result<Vec<u64>> {
    walk(done, before, false, limit)
}

fn get(table: &ReadOnlyTable<u64, &'static [u8]>, id: u64) -> Result<Option<WebhookDelivery>> {
    match table.get(id)? {
        Some(v) => Ok(Some(decode(v.value(), "a webhook delivery")?)),
        None => Ok(None),
    }
}

/// Whether a delivery is due at `now`: read first, so that an idle delivery loop costs no write.
pub(crate) fn has_due(txn: &ReadTransaction, now: Timestamp) -> Result<bool> {
    Ok(!due_ids(&txn.open_table(WEBHOOKS_DUE)?, now, 1)?.is_empty())
}

/// Whether a finished delivery was created before `before`: read first, so that a tick with nothing to
/// prune costs no write.
pub(crate) fn has_old(txn: &ReadTransaction, before: Timestamp) -> Result<bool> {
    Ok(!old_finished(&txn.open_table(WEBHOOKS_DONE)?, before, 1)?.is_empty())
}

/// One delivery by id.
pub(crate) fn delivery(txn: &ReadTransaction, id: u64) -> Result<Option<WebhookDelivery>> {
    get(&txn.open_table(WEBHOOKS)?, id)
}

/// A subscription's deliveries, highest id first, ids below `before` when given.
pub(crate) fn deliveries(
    txn: &ReadTransaction,
    subscription: &str,
    before: Option<u64>,
    limit: usize,
) -> Result<Vec<WebhookDelivery>> {
    let mut out = Vec::with_capacity(limit.min(1024));
    if limit == 0 || subscription.is_empty() {
        return Ok(out);
    }
    let index = txn.open_table(WEBHOOKS_BY_SUB)?;
    let table = txn.open_table(WEBHOOKS)?;
    let lo = (subscription, 0u64);
    let range = match before {
        Some(b) => index.range(lo..(subscription, b))?,
        None => index.range(lo..=(subscription, u64::MAX))?,
    };
    for row in range.rev() {
        let (k, _) = row?;
        if let Some(w) = get(&table, k.value().1)? {
            out.push(w);
        }
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// The pending deliveries and fan-out entries about a ticket, by id.
pub(crate) fn pending_for_ticket(txn: &ReadTransaction, ticket: TicketId) -> Result<Vec<WebhookDelivery>> {
    let index = txn.open_table(WEBHOOKS_PENDING)?;
    let table = txn.open_table(WEBHOOKS)?;
    let mut out = Vec::new();
    for row in index.range(pair_key(ticket.0, 0).as_slice()..=pair_key(ticket.0, u64::MAX).as_slice())? {
        let (k, _) = row?;
        let id = pair_child(k.value()).ok_or_else(|| Error::Corrupt("a webhook index key is malformed".into()))?;
        if let Some(w) = get(&table, id)? {
            out.push(w);
        }
    }
    Ok(out)
}

/// Pending deliveries and fan-out entries: the due index holds exactly those, and redb keeps its length.
pub(crate) fn pending_count(txn: &ReadTransaction) -> Result<u64> {
    Ok(txn.open_table(WEBHOOKS_DUE)?.len()?)
}
