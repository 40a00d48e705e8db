//! Directory records, customer-user lookups and adapter state.

use crate::codec::{decode, encode};
use crate::error::{db, pool as pool_err};
use chamado::{CustomerUser, Record, RecordKey, RecordKind, StoreResult};
use deadpool_postgres::Pool;

pub(crate) async fn put(pool: &Pool, record: Record) -> StoreResult<()> {
    let key = record.key();
    let mut client = pool.get().await.map_err(pool_err)?;
    let tx = client.transaction().await.map_err(db)?;
    if key.kind == RecordKind::CustomerUser {
        // The old record's lookup keys go; the new record's come (the latest writer of a key wins).
        tx.execute("DELETE FROM lookups WHERE login = $1", &[&key.key]).await.map_err(db)?;
        for k in record.lookup_keys() {
            tx.execute(
                "INSERT INTO lookups (lookup, login) VALUES ($1, $2) ON CONFLICT (lookup) DO UPDATE SET login = EXCLUDED.login",
                &[&k, &key.key],
            )
            .await
            .map_err(db)?;
        }
    }
    tx.execute(
        "INSERT INTO records (kind, key, data) VALUES ($1, $2, $3) ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data",
        &[&key.kind.as_str(), &key.key, &encode(&record)?],
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)
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
