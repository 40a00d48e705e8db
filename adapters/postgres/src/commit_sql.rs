//! The statement behind [`crate::commit`]: a whole engine commit in one statement, so one round trip and
//! one (implicit) transaction, durable when it returns since `synchronous_commit` stays on.
//!
//! Every table's rows come as parallel arrays (`unnest`), so the statement's text depends only on which
//! parts a commit has (its [`Shape`]), not on its size: a handful of texts, each prepared once per
//! connection. A part the commit lacks is left out rather than fed empty arrays, because every
//! data-modifying CTE opens and locks its table and all of the table's indexes even for zero rows (the
//! outbox, external ids and idempotency tables were a dozen relations per ticket creation for nothing, and
//! past 16 relations a backend's locks leave the fast path for the shared lock table).
//!
//! Data-modifying CTEs all run to completion; the final `SELECT` compares what the ticket inserts,
//! version-checked updates and idempotency insert touched with what was asked, and calls `chamado_refuse`
//! (migration 3) when they differ, which raises and so undoes everything the statement did. The caller
//! then works out which ticket or key was at fault.
//!
//! Why the details:
//! - Articles' words are added to their ticket's search document in the same row write that inserts or
//!   updates the ticket (`words`), instead of a second `UPDATE` of each ticket, which wrote every new
//!   ticket twice (a dead tuple and a second entry in each of its indexes).
//! - `DISTINCT ON (..) ORDER BY .., n DESC` keeps the last of several rows with one key in a commit, as
//!   the former one-statement-per-row upserts did (`ON CONFLICT DO UPDATE` may touch a row only once).
//! - History keeps commit order: rows are sorted by their position before `seq` values are drawn.

use std::sync::OnceLock;
use tokio_postgres::types::Type;

/// The parameters' types, fixed for every shape so that a part left out leaves no parameter untyped.
/// Tickets `$1..$12` (id, number, version, changed_at, queue, state_type, customer_user, customer_id,
/// pending_due, title, data, expected version with 0 = insert), articles `$13..$17` (id, ticket_id, body,
/// data, external_id), history `$18..$19` (ticket_id, data), outbox `$20..$23` (id, ticket_id, due, data),
/// idempotency `$24..$25` (key, data: one per commit of a batch), files `$26..$27` (sha256, bytes), adapter state `$28..$29` (key,
/// value, a null value deleting the key), the tickets' escalation marks `$30`, and webhook deliveries
/// `$31..$36` (id, subscription, ticket_id, due, created_at, data; each part added last so the numbers
/// before stay).
pub(crate) const PARAM_TYPES: [Type; 36] = [
    Type::INT8_ARRAY,
    Type::TEXT_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::TEXT_ARRAY,
    Type::INT2_ARRAY,
    Type::TEXT_ARRAY,
    Type::TEXT_ARRAY,
    Type::INT8_ARRAY,
    Type::TEXT_ARRAY,
    Type::JSONB_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::TEXT_ARRAY,
    Type::JSONB_ARRAY,
    Type::TEXT_ARRAY,
    Type::INT8_ARRAY,
    Type::JSONB_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::JSONB_ARRAY,
    Type::TEXT_ARRAY,
    Type::JSONB_ARRAY,
    Type::BYTEA_ARRAY,
    Type::BYTEA_ARRAY,
    Type::TEXT_ARRAY,
    Type::BYTEA_ARRAY,
    Type::INT2_ARRAY,
    Type::INT8_ARRAY,
    Type::TEXT_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::INT8_ARRAY,
    Type::JSONB_ARRAY,
];

/// The SQLSTATE `chamado_refuse` raises; its DETAIL names the part refused.
pub(crate) const REFUSED: &str = "CH409";

/// Which parts a commit has, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Shape(u16);

impl Shape {
    /// New tickets.
    pub(crate) const INSERT: u16 = 1;
    /// Version-checked ticket updates.
    pub(crate) const UPDATE: u16 = 2;
    /// Articles.
    pub(crate) const ARTICLES: u16 = 4;
    /// Articles of tickets the commit does not write (their words need a ticket update of their own).
    pub(crate) const OTHER_WORDS: u16 = 8;
    /// Articles with an external id.
    pub(crate) const EXTERNAL: u16 = 16;
    /// History entries.
    pub(crate) const HISTORY: u16 = 32;
    /// Outbox entries.
    pub(crate) const OUTBOX: u16 = 64;
    /// An idempotency key.
    pub(crate) const IDEMPOTENCY: u16 = 128;
    /// Files of the commit's articles.
    pub(crate) const BLOBS: u16 = 256;
    /// Adapter state written with the change.
    pub(crate) const META: u16 = 512;
    /// Webhook deliveries and fan-out entries.
    pub(crate) const WEBHOOKS: u16 = 1024;
    /// One past the largest shape.
    const COUNT: usize = 2048;

    pub(crate) fn with(self, part: u16, present: bool) -> Self {
        if present { Shape(self.0 | part) } else { self }
    }

    fn has(self, part: u16) -> bool {
        self.0 & part != 0
    }
}

/// The statement for `shape`, built once per shape per process.
pub(crate) fn statement(shape: Shape) -> &'static str {
    static TEXTS: [OnceLock<String>; Shape::COUNT] = [const { OnceLock::new() }; Shape::COUNT];
    TEXTS[usize::from(shape.0)].get_or_init(|| build(shape))
}

const TK: &str = "tk AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::smallint[],
                         $7::text[], $8::text[], $9::bigint[], $10::text[], $11::jsonb[], $12::bigint[],
                         $30::smallint[])
        AS t(id, number, version, changed_at, queue, state_type, customer_user, customer_id, pending_due, title,
             data, expected, escalation_mark)
)";
const AR: &str = "ar AS (
    SELECT * FROM unnest($13::bigint[], $14::bigint[], $15::text[], $16::jsonb[], $17::text[]) WITH ORDINALITY
        AS a(id, ticket_id, body, data, external_id, n)
), words AS (
    SELECT ticket_id, chamado_tsvector_agg(to_tsvector('simple', left(body, 100000)) ORDER BY n) AS w
    FROM ar GROUP BY ticket_id
), art AS (
    INSERT INTO articles (id, ticket_id, body, data)
    SELECT DISTINCT ON (id) id, ticket_id, body, data FROM ar ORDER BY id, n DESC
    ON CONFLICT (id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, body = EXCLUDED.body, data = EXCLUDED.data
)";
const EXT: &str = "ext AS (
    INSERT INTO external_ids (external_id, article_id)
    SELECT DISTINCT ON (external_id) external_id, id FROM ar WHERE external_id IS NOT NULL
    ORDER BY external_id, n DESC
    ON CONFLICT (external_id) DO UPDATE SET article_id = EXCLUDED.article_id
)";
const HIST: &str = "hist AS (
    INSERT INTO history (ticket_id, data)
    SELECT ticket_id, data FROM unnest($18::bigint[], $19::jsonb[]) WITH ORDINALITY AS h(ticket_id, data, n)
    ORDER BY n
)";
const OUTB: &str = "outb AS (
    INSERT INTO outbox (id, ticket_id, due, data)
    SELECT DISTINCT ON (id) id, ticket_id, due, data
    FROM unnest($20::bigint[], $21::bigint[], $22::bigint[], $23::jsonb[]) WITH ORDINALITY
        AS o(id, ticket_id, due, data, n)
    ORDER BY id, n DESC
    ON CONFLICT (id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, due = EXCLUDED.due, data = EXCLUDED.data
)";
// A file already stored (by another article, or a concurrent commit) is left as it is: the hash names
// the bytes. A refused commit raises, which undoes these inserts with everything else.
const BLOB: &str = "blob AS (
    INSERT INTO blobs (sha256, data)
    SELECT DISTINCT ON (sha256) sha256, data FROM unnest($26::bytea[], $27::bytea[]) AS b(sha256, data)
    ORDER BY sha256
    ON CONFLICT DO NOTHING
)";
// Keys are distinct within a commit (the caller keeps the last write of each), so the upsert and the
// delete never meet the same row.
const META: &str = "mput AS (
    INSERT INTO meta (key, value)
    SELECT key, value FROM unnest($28::text[], $29::bytea[]) AS m(key, value) WHERE value IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
), mdel AS (
    DELETE FROM meta WHERE key IN (SELECT key FROM unnest($28::text[], $29::bytea[]) AS m(key, value)
                                   WHERE value IS NULL)
)";
// `due` is NULL once an entry is finished, so the due and pending-by-ticket indexes hold pending ones.
const HOOK: &str = "hook AS (
    INSERT INTO webhooks (id, subscription, ticket_id, due, created_at, data)
    SELECT DISTINCT ON (id) id, subscription, ticket_id, due, created_at, data
    FROM unnest($31::bigint[], $32::text[], $33::bigint[], $34::bigint[], $35::bigint[], $36::jsonb[])
        WITH ORDINALITY AS w(id, subscription, ticket_id, due, created_at, data, n)
    ORDER BY id, n DESC
    ON CONFLICT (id) DO UPDATE SET subscription = EXCLUDED.subscription, ticket_id = EXCLUDED.ticket_id,
        due = EXCLUDED.due, created_at = EXCLUDED.created_at, data = EXCLUDED.data
)";
const IDEM: &str = "idem AS (
    INSERT INTO idempotency (key, data) SELECT * FROM unnest($24::text[], $25::jsonb[])
    ON CONFLICT DO NOTHING
    RETURNING 1
)";

fn build(shape: Shape) -> String {
    let words = shape.has(Shape::ARTICLES);
    // With articles, each written ticket takes its articles' words in the same row write.
    let (join, new_words, kept_words) = if words {
        (
            " LEFT JOIN words w ON w.ticket_id = t.id",
            "w.w",
            "CASE WHEN w.w IS NULL THEN k.body_tsv ELSE COALESCE(k.body_tsv, ''::tsvector) || w.w END",
        )
    } else {
        ("", "NULL::tsvector", "k.body_tsv")
    };
    let mut ctes: Vec<String> = Vec::new();
    let mut checks: Vec<&str> = Vec::new();
    if shape.has(Shape::INSERT) || shape.has(Shape::UPDATE) {
        ctes.push(TK.into());
    }
    if words {
        ctes.push(AR.into());
    }
    if shape.has(Shape::INSERT) {
        ctes.push(format!(
            "ins AS (
    INSERT INTO tickets (id, number, version, changed_at, queue, state_type, customer_user, customer_id,
                         pending_due, title, data, escalation_mark, body_tsv)
    SELECT t.id, t.number, t.version, t.changed_at, t.queue, t.state_type, t.customer_user, t.customer_id,
           t.pending_due, t.title, t.data, t.escalation_mark, {new_words}
    FROM tk t{join}
    WHERE t.expected = 0
    ON CONFLICT DO NOTHING
    RETURNING 1
)"
        ));
        checks.push(
            "WHEN (SELECT count(*) FROM ins) <> (SELECT count(*) FROM tk WHERE expected = 0) \
             THEN chamado_refuse('insert')",
        );
    }
    if shape.has(Shape::UPDATE) {
        ctes.push(format!(
            "upd AS (
    UPDATE tickets k SET number = t.number, version = t.version, changed_at = t.changed_at, queue = t.queue,
        state_type = t.state_type, customer_user = t.customer_user, customer_id = t.customer_id,
        pending_due = t.pending_due, title = t.title, data = t.data, escalation_mark = t.escalation_mark,
        body_tsv = {kept_words}
    FROM tk t{join}
    WHERE t.expected <> 0 AND k.id = t.id AND k.version = t.expected
    RETURNING 1
)"
        ));
        checks.push(
            "WHEN (SELECT count(*) FROM upd) <> (SELECT count(*) FROM tk WHERE expected <> 0) \
             THEN chamado_refuse('update')",
        );
    }
    if words && shape.has(Shape::OTHER_WORDS) {
        let not_written = if shape.has(Shape::INSERT) || shape.has(Shape::UPDATE) {
            " AND NOT EXISTS (SELECT 1 FROM tk t WHERE t.id = w.ticket_id)"
        } else {
            ""
        };
        ctes.push(format!(
            "other_words AS (
    UPDATE tickets k SET body_tsv = COALESCE(k.body_tsv, ''::tsvector) || w.w
    FROM words w
    WHERE k.id = w.ticket_id{not_written}
)"
        ));
    }
    if words && shape.has(Shape::EXTERNAL) {
        ctes.push(EXT.into());
    }
    if shape.has(Shape::HISTORY) {
        ctes.push(HIST.into());
    }
    if shape.has(Shape::OUTBOX) {
        ctes.push(OUTB.into());
    }
    if shape.has(Shape::BLOBS) {
        ctes.push(BLOB.into());
    }
    if shape.has(Shape::META) {
        ctes.push(META.into());
    }
    if shape.has(Shape::WEBHOOKS) {
        ctes.push(HOOK.into());
    }
    if shape.has(Shape::IDEMPOTENCY) {
        ctes.push(IDEM.into());
        checks.push("WHEN (SELECT count(*) FROM idem) <> cardinality($24::text[]) THEN chamado_refuse('idempotency')");
    }
    let with = if ctes.is_empty() { String::new() } else { format!("WITH {}\n", ctes.join(", ")) };
    let select = if checks.is_empty() { "0".to_string() } else { format!("CASE {} ELSE 0 END", checks.join(" ")) };
    format!("{with}SELECT {select}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_left_out_leave_their_tables_alone() {
        let create = Shape::default().with(Shape::INSERT, true).with(Shape::ARTICLES, true).with(Shape::HISTORY, true);
        let sql = statement(create);
        for table in ["outbox", "external_ids", "idempotency", "UPDATE tickets", "blobs", "meta", "webhooks"] {
            assert!(!sql.contains(table), "{table} in {sql}");
        }
        assert!(sql.contains("chamado_refuse('insert')"));
        assert_eq!(statement(Shape::default()), "SELECT 0");
        let every = Shape((Shape::COUNT - 1) as u16);
        for cte in [
            "tk AS",
            "ar AS",
            "ins AS",
            "upd AS",
            "other_words AS",
            "ext AS",
            "hist AS",
            "outb AS",
            "idem AS",
            "blob AS",
            "mput AS",
            "mdel AS",
            "hook AS",
        ] {
            assert!(statement(every).contains(cte), "{cte}");
        }
    }
}
