//! Byte encodings of composite keys, chosen so that redb's byte order is the order listings need.

use chamado::{Cursor, RecordKind, TicketId, TicketIndex, Timestamp};

/// A timestamp as 8 bytes that sort like the signed value.
pub(crate) fn ts_asc(ts: Timestamp) -> [u8; 8] {
    ((ts.0 as u64) ^ (1 << 63)).to_be_bytes()
}

/// Inverse of [`ts_asc`].
pub(crate) fn ts_from_asc(b: [u8; 8]) -> Timestamp {
    Timestamp((u64::from_be_bytes(b) ^ (1 << 63)) as i64)
}

/// `(timestamp, id)` ascending: the pending-due and outbox-due indexes.
pub(crate) fn due_key(ts: Timestamp, id: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&ts_asc(ts));
    k[8..].copy_from_slice(&id.to_be_bytes());
    k
}

/// Splits a [`due_key`]; `None` for a key of the wrong length.
pub(crate) fn split_due_key(k: &[u8]) -> Option<(Timestamp, u64)> {
    let ts: [u8; 8] = k.get(..8)?.try_into().ok()?;
    let id: [u8; 8] = k.get(8..16)?.try_into().ok()?;
    (k.len() == 16).then(|| (ts_from_asc(ts), u64::from_be_bytes(id)))
}

/// `(parent, child)` ascending: articles by ticket, outbox by ticket.
pub(crate) fn pair_key(parent: u64, child: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&parent.to_be_bytes());
    k[8..].copy_from_slice(&child.to_be_bytes());
    k
}

/// The second half of a [`pair_key`].
pub(crate) fn pair_child(k: &[u8]) -> Option<u64> {
    let b: [u8; 8] = k.get(8..16)?.try_into().ok()?;
    Some(u64::from_be_bytes(b))
}

/// The length-framed prefix of a ticket index: `len (u32 BE) ++ TicketIndex::encode()`. Framing keeps
/// `CustomerUser("ab")` from being a prefix of `CustomerUser("abc")`.
pub(crate) fn index_prefix(index: &TicketIndex) -> Vec<u8> {
    let enc = index.encode();
    let mut k = Vec::with_capacity(4 + enc.len() + 16);
    k.extend_from_slice(&(enc.len() as u32).to_be_bytes());
    k.extend_from_slice(&enc);
    k
}

/// `prefix ++ changed_at desc ++ id desc`: a range scan from the prefix lists newest change first.
pub(crate) fn index_entry(prefix: &[u8], changed_at: Timestamp, id: TicketId) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + 16);
    k.extend_from_slice(prefix);
    k.extend_from_slice(&(!u64::from_be_bytes(ts_asc(changed_at))).to_be_bytes());
    k.extend_from_slice(&(!id.0).to_be_bytes());
    k
}

/// The index entry a cursor points at (listing continues strictly after it).
pub(crate) fn index_cursor(prefix: &[u8], c: Cursor) -> Vec<u8> {
    index_entry(prefix, c.changed_at, c.id)
}

/// The first and last possible entry of an index.
pub(crate) fn index_bounds(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut lo = prefix.to_vec();
    lo.extend_from_slice(&[0u8; 16]);
    let mut hi = prefix.to_vec();
    hi.extend_from_slice(&[0xffu8; 16]);
    (lo, hi)
}

/// The ticket id at the end of an index entry.
pub(crate) fn index_entry_id(k: &[u8]) -> Option<TicketId> {
    let tail: [u8; 8] = k.get(k.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(TicketId(!u64::from_be_bytes(tail)))
}

/// A stable one-byte code per record kind.
pub(crate) fn kind_code(kind: RecordKind) -> u8 {
    RecordKind::ALL.iter().position(|k| *k == kind).map_or(0xff, |p| p as u8)
}

/// `kind code ++ key bytes`: records of one kind are contiguous and in key order.
pub(crate) fn record_key(kind: RecordKind, key: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + key.len());
    k.push(kind_code(kind));
    k.extend_from_slice(key.as_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_sort_like_signed_values() {
        let v = [i64::MIN, -5, -1, 0, 1, 7, i64::MAX];
        for w in v.windows(2) {
            assert!(ts_asc(Timestamp(w[0])) < ts_asc(Timestamp(w[1])));
            assert_eq!(ts_from_asc(ts_asc(Timestamp(w[0]))), Timestamp(w[0]));
        }
    }

    #[test]
    fn index_entries_sort_newest_first() {
        let p = index_prefix(&TicketIndex::CustomerUser("ab".into()));
        let a = index_entry(&p, Timestamp(10), TicketId(1));
        let b = index_entry(&p, Timestamp(10), TicketId(2));
        let c = index_entry(&p, Timestamp(-3), TicketId(9));
        assert!(b < a && a < c);
        assert_eq!(index_entry_id(&c), Some(TicketId(9)));
        let other = index_prefix(&TicketIndex::CustomerUser("abc".into()));
        let (lo, hi) = index_bounds(&p);
        let x = index_entry(&other, Timestamp(10), TicketId(1));
        assert!(!(lo <= x && x <= hi));
    }

    /// Stored record keys start with these codes: a kind added later (webhooks, schema 9) must take a new
    /// code and leave every older kind's as it was, or older files would read records as other kinds.
    #[test]
    fn record_kind_codes_never_move() {
        let written_by_schema_8 = [
            "customer",
            "customer_user",
            "agent",
            "role",
            "group",
            "queue",
            "service",
            "state",
            "grant",
            "priority",
            "mail_account",
            "auto_response",
            "salutation",
            "signature",
            "template",
            "notification",
            "calendar",
            "sla",
        ];
        for (code, name) in written_by_schema_8.iter().enumerate() {
            let kind = RecordKind::ALL.iter().find(|k| k.as_str() == *name).copied();
            assert_eq!(kind.map(kind_code), Some(code as u8), "{name} keeps code {code}");
        }
        assert_eq!(kind_code(RecordKind::Webhook), 18, "the new kind comes after them");
        let codes: std::collections::HashSet<u8> = RecordKind::ALL.iter().map(|k| kind_code(*k)).collect();
        assert_eq!(codes.len(), RecordKind::ALL.len(), "one code per kind");
    }
}
