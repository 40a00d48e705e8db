//! Versioned schema migrations, embedded and applied at connect.

use crate::error::Error;
use tokio_postgres::Client;

/// An arbitrary, fixed key for the advisory lock that serialises migrations across nodes.
const MIGRATION_LOCK: i64 = 0x0063_6861_6d61_646f;

/// The migrations, in order. Never edit one that has shipped; add a new one.
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        r#"
CREATE TABLE counters (scope TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE tickets (
    id BIGINT PRIMARY KEY,
    number TEXT COLLATE "C" NOT NULL UNIQUE,
    version BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    queue TEXT COLLATE "C" NOT NULL,
    state_type SMALLINT NOT NULL,
    customer_user TEXT COLLATE "C",
    customer_id TEXT COLLATE "C",
    pending_due BIGINT,
    title TEXT NOT NULL,
    data JSONB NOT NULL
);
CREATE INDEX tickets_by_customer_user ON tickets (customer_user, changed_at DESC, id DESC) WHERE customer_user IS NOT NULL;
CREATE INDEX tickets_by_customer ON tickets (customer_id, changed_at DESC, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX tickets_by_queue ON tickets (queue, changed_at DESC, id DESC);
CREATE INDEX tickets_by_queue_state ON tickets (queue, state_type, changed_at DESC, id DESC);
CREATE INDEX tickets_by_state ON tickets (state_type, changed_at DESC, id DESC);
CREATE INDEX tickets_pending ON tickets (pending_due, id) WHERE pending_due IS NOT NULL;
CREATE TABLE articles (
    id BIGINT PRIMARY KEY,
    ticket_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    data JSONB NOT NULL
);
CREATE INDEX articles_by_ticket ON articles (ticket_id, id);
CREATE TABLE external_ids (external_id TEXT COLLATE "C" PRIMARY KEY, article_id BIGINT NOT NULL);
CREATE TABLE history (seq BIGSERIAL PRIMARY KEY, ticket_id BIGINT NOT NULL, data JSONB NOT NULL);
CREATE INDEX history_by_ticket ON history (ticket_id, seq);
CREATE TABLE idempotency (key TEXT COLLATE "C" PRIMARY KEY, data JSONB NOT NULL);
CREATE TABLE outbox (id BIGINT PRIMARY KEY, ticket_id BIGINT NOT NULL, due BIGINT, data JSONB NOT NULL);
CREATE INDEX outbox_due ON outbox (due, id) WHERE due IS NOT NULL;
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE TABLE records (kind TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, data JSONB NOT NULL, PRIMARY KEY (kind, key));
CREATE TABLE lookups (lookup TEXT COLLATE "C" PRIMARY KEY, login TEXT COLLATE "C" NOT NULL);
CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
"#,
    ),
    (
        2,
        r#"
ALTER TABLE tickets ADD COLUMN body_tsv tsvector;
ALTER TABLE tickets ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title) || COALESCE(body_tsv, ''::tsvector)) STORED;
CREATE INDEX tickets_search ON tickets USING GIN (search);
"#,
    ),
    (
        3,
        r#"
-- Helpers of the one-statement commit (commit_sql.rs): per-ticket words of a commit's articles, and a way
-- for a plain SQL statement to refuse (raise) when a version check or unique key did not hold.
CREATE AGGREGATE chamado_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
CREATE FUNCTION chamado_refuse(what text) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'CH409', MESSAGE = 'chamado commit refused: ' || what, DETAIL = what;
END
$$;
"#,
    ),
    (
        4,
        r#"
-- Newest-first order over all tickets: full-text search walks it for common words (search.rs).
CREATE INDEX tickets_by_recency ON tickets (changed_at DESC, id DESC);
"#,
    ),
    (
        5,
        r#"
-- The agent's locked and responsible tickets (TicketIndex::LockedBy / Responsible), read from the row's
-- JSON so commits stay as they are; partial, so the many unlocked tickets cost nothing.
CREATE INDEX tickets_by_locked_owner ON tickets ((data->>'owner'), changed_at DESC, id DESC)
    WHERE data->>'lock' = 'lock';
CREATE INDEX tickets_by_responsible ON tickets ((data->>'responsible'), changed_at DESC, id DESC)
    WHERE data->>'responsible' IS NOT NULL;
"#,
    ),
    (
        6,
        r#"
-- Content-addressed attachments: each distinct file once, under the SHA-256 of its bytes; an article's
-- JSON keeps name, content_type, inline, size and sha256 (hex), so reading articles reads no file bytes.
CREATE TABLE blobs (sha256 BYTEA PRIMARY KEY, data BYTEA NOT NULL);
-- Files stored inline until now (`data` as a JSON array of byte values) move into blobs, once each.
CREATE FUNCTION pg_temp.chamado_json_bytes(j jsonb) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(decode(string_agg(lpad(to_hex(e.v::int), 2, '0'), '' ORDER BY e.i), 'hex'), ''::bytea)
    FROM jsonb_array_elements_text(j) WITH ORDINALITY AS e(v, i)
$$;
INSERT INTO blobs (sha256, data)
SELECT DISTINCT ON (sha256(f.b)) sha256(f.b), f.b
FROM articles a
CROSS JOIN LATERAL jsonb_array_elements(a.data->'attachments') AS att
CROSS JOIN LATERAL (SELECT pg_temp.chamado_json_bytes(att->'data') AS b) f
WHERE att ? 'data'
ORDER BY sha256(f.b)
ON CONFLICT DO NOTHING;
UPDATE articles a SET data = jsonb_set(a.data, '{attachments}', (
    SELECT COALESCE(jsonb_agg(
        (x.att - 'data') || jsonb_build_object(
            'inline', COALESCE(x.att->'inline', 'false'::jsonb),
            'size', length(f.b),
            'sha256', encode(sha256(f.b), 'hex'))
        ORDER BY x.n), '[]'::jsonb)
    FROM jsonb_array_elements(a.data->'attachments') WITH ORDINALITY AS x(att, n)
    CROSS JOIN LATERAL (SELECT pg_temp.chamado_json_bytes(x.att->'data') AS b) f
))
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(a.data->'attachments') AS att WHERE att ? 'data');
DROP FUNCTION pg_temp.chamado_json_bytes(jsonb);
"#,
    ),
    (
        7,
        r#"
-- TicketIndex::Escalated / AtRisk: 2 while a running escalation clock has breached, 1 while one has warned
-- and none breached, 0 otherwise, written with every ticket from its clocks (commit_columns.rs), so each
-- view is a range scan of a small partial index however many tickets there are.
ALTER TABLE tickets ADD COLUMN escalation_mark SMALLINT NOT NULL DEFAULT 0;
-- Rows whose JSON already holds clocks (written before this column existed) take their mark; rows without
-- clocks stay 0, unwritten. A clock counts while running (`running_since` set), as Escalation's rules say.
CREATE FUNCTION pg_temp.chamado_escalation_mark(e jsonb) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
    SELECT (CASE
        WHEN bool_or(c->>'running_since' IS NOT NULL AND (c->>'breached')::boolean) THEN 2
        WHEN bool_or(c->>'running_since' IS NOT NULL AND (c->>'warned')::boolean) THEN 1
        ELSE 0 END)::smallint
    FROM (VALUES (e->'first_response'), (e->'update'), (e->'solution')) AS v(c)
$$;
UPDATE tickets SET escalation_mark = pg_temp.chamado_escalation_mark(data->'escalation')
WHERE data ? 'escalation' AND pg_temp.chamado_escalation_mark(data->'escalation') <> 0;
DROP FUNCTION pg_temp.chamado_escalation_mark(jsonb);
CREATE INDEX tickets_escalated ON tickets (changed_at DESC, id DESC) WHERE escalation_mark = 2;
CREATE INDEX tickets_at_risk ON tickets (changed_at DESC, id DESC) WHERE escalation_mark = 1;
"#,
    ),
    (
        8,
        r#"
-- The event log (events.rs). `seq` comes from a sequence that never goes back (pruning keeps it); CACHE 1,
-- so values are handed out in the order nextval is called on every node, which the feed's barrier needs.
CREATE SEQUENCE event_seq AS BIGINT MINVALUE 1 START 1 CACHE 1 NO CYCLE;
CREATE TABLE events (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, data JSONB NOT NULL);
-- The lock keys of this schema's event log (from the sequence's OID, so two installations in one
-- database, one schema each, never wait for each other): 0 the feed's barrier, 1 drawing seqs.
CREATE FUNCTION chamado_event_lock(which int) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT x'6368657600000000'::bigint | (which::bigint << 32) | 'event_seq'::regclass::oid::bigint
$$;
-- A writer appends its commit's events as the last statement before COMMIT: it holds the barrier lock
-- shared from before it draws seqs until its transaction ends (after it is visible). The seqs are one
-- block, so a commit's events stay together: drawn under a session lock released at once (a
-- transaction lock would last until COMMIT and make commits wait for each other's WAL flush), whose
-- handler releases it whatever fails, a cancel included.
CREATE FUNCTION chamado_append_events(ats bigint[], datas jsonb[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := cardinality(ats);
    first bigint;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(chamado_event_lock(0));
    BEGIN
        PERFORM pg_advisory_lock(chamado_event_lock(1));
        first := nextval('event_seq');
        IF n > 1 THEN
            PERFORM setval('event_seq', first + n - 1);
        END IF;
        PERFORM pg_advisory_unlock(chamado_event_lock(1));
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(chamado_event_lock(1));
        RAISE;
    END;
    INSERT INTO events (seq, at, data)
    SELECT first + i - 1, a, jsonb_set(d, '{seq}', to_jsonb(first + i - 1))
    FROM unnest(ats, datas) WITH ORDINALITY AS e(a, d, i);
    RETURN first + n - 1;
END
$$;
-- The feed's horizon: once no writer holds the lock, every seq drawn so far belongs to a transaction that
-- has ended, so every event up to the sequence's last value that will ever be visible is visible now.
CREATE FUNCTION chamado_event_horizon() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(chamado_event_lock(0));
    RETURN (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM event_seq);
END
$$;
-- Webhook deliveries and fan-out entries (subscription ''): `due` is the next attempt while pending and
-- NULL once finished, so the due index and the ticket's pending index hold pending entries only.
CREATE TABLE webhooks (
    id BIGINT PRIMARY KEY,
    subscription TEXT COLLATE "C" NOT NULL,
    ticket_id BIGINT,
    due BIGINT,
    created_at BIGINT NOT NULL,
    data JSONB NOT NULL
);
CREATE INDEX webhooks_due ON webhooks (due, id) WHERE due IS NOT NULL;
CREATE INDEX webhooks_by_subscription ON webhooks (subscription, id) WHERE subscription <> '';
CREATE INDEX webhooks_pending_by_ticket ON webhooks (ticket_id, id) WHERE due IS NOT NULL;
CREATE INDEX webhooks_finished ON webhooks (created_at, id) WHERE due IS NULL;
"#,
    ),
    (
        9,
        r#"
-- Exact ticket counts per listing index (Store::count_tickets), kept in the transaction that writes the
-- tickets, so the queue view reads a handful of rows instead of counting an index (reads.rs).
-- `key` names an index as `count_key` in reads.rs does; `slot` spreads one key over several rows, each
-- written by the connections whose backend pid falls on it, so concurrent transactions (group-commit
-- batches on one node, other nodes) rarely wait on one another's row lock, which is held until their
-- COMMIT's WAL flush. A count is the sum of a key's rows.
CREATE TABLE ticket_counts (
    key TEXT COLLATE "C" NOT NULL,
    slot SMALLINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (key, slot)
);
-- The keys of every index a ticket row belongs to, exactly as TicketIndex::keys_of and the listings'
-- conditions (reads.rs index_condition) say; a part concatenated with NULL is NULL and drops out.
CREATE FUNCTION chamado_count_keys(queue text, state_type smallint, customer_user text, customer_id text,
                                   data jsonb, escalation_mark smallint)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_remove(ARRAY[
        '3:' || queue,
        '3' || state_type || ':' || queue,
        '4' || state_type,
        '1' || customer_user,
        '2' || customer_id,
        CASE WHEN data->>'lock' = 'lock' THEN '5' || (data->>'owner') END,
        '6' || (data->>'responsible'),
        CASE escalation_mark WHEN 2 THEN '7' WHEN 1 THEN '8' END
    ], NULL)
$$;
-- Statement-level triggers with transition tables: whatever writes tickets (the commit statement, a
-- migration, a repair by hand) keeps the counts, and a statement that writes many tickets (a batch of
-- commits) applies one delta per key, in key order (two batches lock their shared rows in one order).
CREATE FUNCTION chamado_count_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_counts (key, slot, n)
        SELECT k, pg_backend_pid() % 64, count(*)
        FROM new_rows r
        CROSS JOIN LATERAL unnest(chamado_count_keys(r.queue, r.state_type, r.customer_user, r.customer_id, r.data,
                                                      r.escalation_mark)) AS k
        GROUP BY k ORDER BY k
        ON CONFLICT (key, slot) DO UPDATE SET n = ticket_counts.n + EXCLUDED.n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO ticket_counts (key, slot, n)
        SELECT k, pg_backend_pid() % 64, sum(d)
        FROM (SELECT r.*, -1 AS d FROM old_rows r UNION ALL SELECT r.*, 1 AS d FROM new_rows r) r
        CROSS JOIN LATERAL unnest(chamado_count_keys(r.queue, r.state_type, r.customer_user, r.customer_id, r.data,
                                                      r.escalation_mark)) AS k
        GROUP BY k HAVING sum(d) <> 0 ORDER BY k
        ON CONFLICT (key, slot) DO UPDATE SET n = ticket_counts.n + EXCLUDED.n;
    ELSE
        INSERT INTO ticket_counts (key, slot, n)
        SELECT k, pg_backend_pid() % 64, -count(*)
        FROM old_rows r
        CROSS JOIN LATERAL unnest(chamado_count_keys(r.queue, r.state_type, r.customer_user, r.customer_id, r.data,
                                                      r.escalation_mark)) AS k
        GROUP BY k ORDER BY k
        ON CONFLICT (key, slot) DO UPDATE SET n = ticket_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;
-- No other node writes tickets between the fill and the triggers (a write waits for this transaction, and
-- then sees the triggers): the counts start exact.
LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chamado_count_tickets();
CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chamado_count_tickets();
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chamado_count_tickets();
INSERT INTO ticket_counts (key, slot, n)
SELECT k, 0, count(*)
FROM tickets r
CROSS JOIN LATERAL unnest(chamado_count_keys(r.queue, r.state_type, r.customer_user, r.customer_id, r.data,
                                              r.escalation_mark)) AS k
GROUP BY k;
"#,
    ),
];

/// The newest schema version this build knows.
pub(crate) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Applies every migration the database lacks, once, even when several nodes start together.
pub(crate) async fn apply(client: &mut Client) -> Result<i32, Error> {
    let fail = |version: i32| move |e: tokio_postgres::Error| Error::Migration { version, message: e.to_string() };
    let tx = client.transaction().await.map_err(fail(0))?;
    // A migration (an index over every ticket) and the wait for another node's may take long: the
    // pooled connection's limits do not apply to this transaction.
    tx.batch_execute("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0").await.map_err(fail(0))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(fail(0))?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        .await
        .map_err(fail(0))?;
    let row = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await.map_err(fail(0))?;
    let current: i32 = row.get(0);
    if current > latest() {
        return Err(Error::TooNew { found: current, supported: latest() });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.batch_execute(sql).await.map_err(fail(*version))?;
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version]).await.map_err(fail(*version))?;
    }
    tx.commit().await.map_err(fail(latest()))?;
    Ok(latest())
}
