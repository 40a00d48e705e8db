//! Directory records, customer-user lookups and adapter state.

use crate::codec::{decode, encode};
use crate::error::{db, pool as pool_err};
use crate::pipeline::{self, Request};
use chamado::{CustomerUser, Record, RecordKey, RecordKind, StoreResult};
use deadpool_postgres::Pool;
use tokio_postgres::{Client, Statement};

/// A record as its writes take it: [`put`] and a commit's records ([`chamado::Commit::records`]) run the same
/// statements ([`RecordWrite::requests`]), so a record is written the same way by both.
pub(crate) struct RecordWrite {
    kind: &'static str,
    key: String,
    data: serde_json::Value,
    /// A customer user's lookup keys (`None` for other kinds, which have none to index).
    lookups: Option<Vec<String>>,
}

/// The statements a record's write runs, prepared (cached per connection) before a pipeline, so each
/// request goes out when first polled.
pub(crate) struct RecordStatements {
    delete_lookups: Statement,
    put_lookup: Statement,
    put_record: Statement,
}

impl RecordStatements {
    pub(crate) async fn prepare(client: &deadpool_postgres::Client) -> StoreResult<Self> {
        Ok(RecordStatements {
            delete_lookups: client.prepare_cached("DELETE FROM lookups WHERE login = $1").await.map_err(db)?,
            put_lookup: client
                .prepare_cached(
                    "INSERT INTO lookups (lookup, login) VALUES ($1, $2) \
                     ON CONFLICT (lookup) DO UPDATE SET login = EXCLUDED.login",
                )
                .await
                .map_err(db)?,
            put_record: client
                .prepare_cached(
                    "INSERT INTO records (kind, key, data) VALUES ($1, $2, $3) \
                     ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data",
                )
                .await
                .map_err(db)?,
        })
    }
}

impl RecordWrite {
    pub(crate) fn of(record: &Record) -> StoreResult<Self> {
        let key = record.key();
        let lookups = (key.kind == RecordKind::CustomerUser).then(|| record.lookup_keys());
        Ok(RecordWrite { kind: key.kind.as_str(), key: key.key, data: encode(record)?, lookups })
    }

    /// The statements, to run in a transaction: the old record's lookup keys go and the new record's come
    /// (the latest writer of a key wins), then the record itself.
    pub(crate) fn requests<'a>(&'a self, client: &'a Client, s: &'a RecordStatements) -> Vec<Request<'a>> {
        let mut out: Vec<Request<'a>> = Vec::new();
        if let Some(lookups) = &self.lookups {
            out.push(Box::pin(async move { client.execute(&s.delete_lookups, &[&self.key]).await }));
            for k in lookups {
                out.push(Box::pin(async move { client.execute(&s.put_lookup, &[k, &self.key]).await }));
            }
        }
        out.push(Box::pin(async move { client.execute(&s.put_record, &[&self.kind, &self.key, &self.data]).await }));
        out
    }
}

pub(crate) async fn put(pool: &Pool, record: Record) -> StoreResult<()> {
    let write = RecordWrite::of(&record)?;
    let client = pool.get().await.map_err(pool_err)?;
    let statements = RecordStatements::prepare(&client).await?;
    let mut requests = vec![pipeline::simple(&client, "BEGIN")];
    requests.extend(write.requests(&client, &statements));
    requests.push(pipeline::simple(&client, "COMMIT"));
    pipeline::first_error(pipeline::run(requests).await).map_err(db)
}

pub(crate) async fn delete(pool: &Pool, key: &RecordKey) -> StoreResult<()> {
    let mut client = pool.get().await.map_err(pool_err)?;
    let tx = client.transaction().await.map_err(db)?;
    if key.kind == RecordKind::CustomerUser {
        tx.execute("DELETE FROM lookups WHERE login = $1", &[&key.key]).await.map_err(db)?;
    }
    tx.execute("DELETE FROM records WHERE kind = $1 AND key = $2", &[&key.kind.as_str(), &key.key])
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn get(pool: &Pool, key: &RecordKey) -> StoreResult<Option<Record>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client.prepare_cached("SELECT data FROM records WHERE kind = $1 AND key = $2").await.map_err(db)?;
    let row = client.query_opt(&stmt, &[&key.kind.as_str(), &key.key]).await.map_err(db)?;
    row.map(|r| decode(r.get(0))).transpose()
}

pub(crate) async fn list(
    pool: &Pool,
    kind: RecordKind,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> StoreResult<Vec<Record>> {
    let client = pool.get().await.map_err(pool_err)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let stmt = client
        .prepare_cached(
            "SELECT data FROM records WHERE kind = $1 AND key >= $2 AND starts_with(key, $2) \
             AND ($3::text IS NULL OR key > $3) ORDER BY key LIMIT $4",
        )
        .await
        .map_err(db)?;
    let rows = client.query(&stmt, &[&kind.as_str(), &prefix, &after, &limit]).await.map_err(db)?;
    rows.into_iter().map(|r| decode(r.get(0))).collect()
}

pub(crate) async fn by_lookup(pool: &Pool, lookup: &str) -> StoreResult<Option<CustomerUser>> {
    let client = pool.get().await.map_err(pool_err)?;
    let stmt = client
        .prepare_cached(
            "SELECT r.data FROM lookups l JOIN records r ON r.kind = 'customer_user' AND r.key = l.login WHERE l.lookup = $1",
        )
        .await
        .map_err(db)?;
    let row = client.query_opt(&stmt, &[&lookup]).await.map_err(db)?;
    match row.map(|r| decode::<Record>(r.get(0))).transpose()? {
        Some(Record::CustomerUser(u)) => Ok(Some(u)),
        _ => Ok(None),
    }
}

pub(crate) async fn meta(pool: &Pool, key: &str) -> StoreResult<Option<Vec<u8>>> {
    let client = pool.get().await.map_err(pool_err)?;
    let row = client.query_opt("SELECT value FROM meta WHERE key = $1", &[&key]).await.map_err(db)?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) async fn put_meta(pool: &Pool, key: &str, value: Option<Vec<u8>>) -> StoreResult<()> {
    let client = pool.get().await.map_err(pool_err)?;
    match value {
        Some(v) => client
            .execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&key, &v],
            )
            .await
            .map_err(db)?,
        None => client.execute("DELETE FROM meta WHERE key = $1", &[&key]).await.map_err(db)?,
    };
    Ok(())
}
